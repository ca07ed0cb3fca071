#include "cli/suite_files.hpp"

#include <filesystem>
#include <system_error>

#include "cli/file_util.hpp"
#include "core/diagnostic.hpp"
#include "core/parse/document.hpp"

namespace flow::cli {
namespace fs = std::filesystem;

namespace {

bool Inside(const std::string& path, const std::string& root) {
  if (root.empty()) return false;
  if (path == root) return true;
  const std::string prefix = root.back() == '/' ? root : root + "/";
  return path.rfind(prefix, 0) == 0;
}

}  // namespace

FileSuiteSource::FileSuiteSource(std::string test_directory) : root_(CanonicalPath(test_directory)) {}

core::Result<const core::Suite*> FileSuiteSource::Load(const std::string& path) {
  const std::string canonical = CanonicalPath(path);
  if (auto it = cache_.find(canonical); it != cache_.end()) return it->second.get();
  core::Result<std::string> text = ReadInside(path, canonical, "called suites", "suite file ");
  if (!text) return std::move(text).error();
  core::SuiteLoad load = core::LoadSuite(*text, path);
  if (!load.suite) {
    std::string details;
    for (const core::Error& e : load.errors) details += "\n" + core::FormatErrorLine(e);
    return core::InvalidArgument("the called suite " + path + " is invalid:" + details);
  }
  auto suite = std::make_unique<core::Suite>(std::move(*load.suite));
  const core::Suite* out = suite.get();
  cache_.emplace(canonical, std::move(suite));
  return out;
}

core::Result<std::string> FileSuiteSource::ReadText(const std::string& path) {
  return ReadInside(path, CanonicalPath(path), "script files", "file ");
}

core::Result<std::string> FileSuiteSource::ReadInside(const std::string& path,
                                                      const std::string& canonical,
                                                      const std::string& what,
                                                      const std::string& noun) const {
  if (!Inside(canonical, root_)) {
    core::Error e;
    e.code = core::ErrorCode::kPermissionDenied;
    e.message = "'" + path + "' is outside the test directory " + root_;
    e.hint = what + " must be inside test_directory (config) or -d DIR";
    return e;
  }
  std::error_code ec;
  if (!fs::is_regular_file(canonical, ec)) return core::NotFound("no " + noun + path);
  return ReadTextFile(canonical);
}

std::map<std::string, std::string> IndexSuitesByNodeId(const std::string& root) {
  std::map<std::string, std::string> index;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return index;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (it->is_directory(ec)) {
      if (name == "node_modules" || (!name.empty() && name[0] == '.')) it.disable_recursion_pending();
      continue;
    }
    const std::string ext = p.extension().string();
    if (ext != ".yaml" && ext != ".yml" && ext != ".json") continue;
    core::Result<std::string> text = ReadTextFile(p.string());
    if (!text || text->size() > 4'000'000) continue;
    core::Result<core::Document> doc = core::ParseDocument(*text, p.string());
    if (!doc || !doc->root.is_object() || !doc->root.contains("node_id") ||
        !doc->root["node_id"].is_string() || !doc->root.contains("steps")) {
      continue;
    }
    index.emplace(doc->root["node_id"].get<std::string>(), p.lexically_normal().string());
  }
  return index;
}

}  // namespace flow::cli
