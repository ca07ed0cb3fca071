#include "cli/discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "cli/config_loader.hpp"
#include "core/config/glob.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {
namespace {

namespace fs = std::filesystem;
using core::Result;

// Guards the recursion against absurdly deep trees (loops are caught by `visited_`).
constexpr int kMaxDepth = 256;

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string Normalised(const fs::path& path) {
  std::string out = path.lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

// Identity of a file for deduplication: its canonical path when it can be had.
std::string Identity(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? Normalised(path) : canonical.generic_string();
}

class Walker {
 public:
  explicit Walker(const core::DiscoveryConfig& discovery) : discovery_(discovery) {}

  // Each root has its own visited set: a directory already walked as part of another root is
  // walked again here, since the patterns are relative to this root.
  Result<void> Walk(const fs::path& root) {
    visited_.clear();
    std::error_code ec;
    const fs::path canonical = fs::canonical(root, ec);
    if (!ec) visited_.insert(canonical.generic_string());
    return WalkDirectory(root, "", 0);
  }

  void AddFile(const fs::path& path) { found_.push_back({path, true}); }
  std::vector<std::pair<fs::path, bool>>& found() { return found_; }

 private:
  bool Included(const std::string& relative) const {
    return std::any_of(discovery_.patterns.begin(), discovery_.patterns.end(),
                       [&](const std::string& p) { return core::GlobMatch(p, relative); }) &&
           std::none_of(discovery_.exclude.begin(), discovery_.exclude.end(),
                        [&](const std::string& p) { return core::GlobMatch(p, relative); });
  }

  bool WorthEntering(const std::string& relative) const {
    if (!discovery_.recursive) return false;
    if (std::any_of(discovery_.exclude.begin(), discovery_.exclude.end(),
                    [&](const std::string& p) { return core::GlobMatchesAllUnder(p, relative); })) {
      return false;
    }
    return std::any_of(discovery_.patterns.begin(), discovery_.patterns.end(),
                       [&](const std::string& p) { return core::GlobMayMatchUnder(p, relative); });
  }

  Result<void> WalkDirectory(const fs::path& directory, const std::string& relative, int depth) {
    if (depth > kMaxDepth) return core::Ok();
    std::error_code ec;
    fs::directory_iterator it(directory, ec);
    if (ec) {
      return core::InvalidArgument("cannot read directory " + Quoted(Normalised(directory)) + ": " +
                                       core::ToLower(ec.message()),
                                   "exclude it with 'discovery.exclude'");
    }
    std::vector<fs::directory_entry> entries;
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    if (ec) {
      return core::InvalidArgument("cannot read directory " + Quoted(Normalised(directory)) + ": " +
                                   core::ToLower(ec.message()));
    }
    // Sorted, so which of two links to one directory is entered does not depend on the OS.
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename() < b.path().filename();
    });
    for (const fs::directory_entry& entry : entries) {
      const std::string name = entry.path().filename().string();
      const std::string child = relative.empty() ? name : relative + "/" + name;
      std::error_code status_ec;
      const fs::file_status status = entry.status(status_ec);  // follows symbolic links
      if (status_ec) continue;                                 // dangling link
      if (fs::is_directory(status)) {
        if (!WorthEntering(child)) continue;
        std::error_code canonical_ec;
        const fs::path canonical = fs::canonical(entry.path(), canonical_ec);
        if (canonical_ec) continue;
        if (!visited_.insert(canonical.generic_string()).second) continue;  // a loop or a twin
        const Result<void> walked = WalkDirectory(entry.path(), child, depth + 1);
        if (!walked) return walked;
      } else if (fs::is_regular_file(status)) {
        if (IsNeverASuite(name) || !Included(child)) continue;
        found_.push_back({entry.path(), false});
      }
    }
    return core::Ok();
  }

  const core::DiscoveryConfig& discovery_;
  std::set<std::string> visited_;
  std::vector<std::pair<fs::path, bool>> found_;  // path, explicit
};

}  // namespace

bool LooksLikeSuite(const core::Document& doc) {
  return doc.root.is_object() &&
         (doc.root.contains("steps") || doc.root.contains("suite_name") || doc.root.contains("node_id"));
}

bool IsNeverASuite(std::string_view file_name) {
  if (core::EndsWith(file_name, ".schema.json")) return true;
  return std::find(std::begin(kConfigFileNames), std::end(kConfigFileNames), file_name) !=
         std::end(kConfigFileNames);
}

Result<std::vector<DiscoveredFile>> DiscoverSuites(const std::vector<std::string>& paths,
                                                   const core::Config& config) {
  const bool from_config = paths.empty();
  const std::vector<std::string> roots =
      from_config ? std::vector<std::string>{config.test_directory} : paths;
  Walker walker(config.discovery);
  for (const std::string& root : roots) {
    const fs::path path(root.empty() ? "." : root);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) {
      if (from_config) {
        return core::NotFound("test directory " + Quoted(root) + " does not exist",
                              "set 'test_directory' in the configuration, or give a path");
      }
      return core::NotFound("path " + Quoted(root) + " does not exist");
    }
    if (fs::is_regular_file(status)) {
      walker.AddFile(path);
    } else if (fs::is_directory(status)) {
      const Result<void> walked = walker.Walk(path);
      if (!walked) return walked.error();
    } else {
      return core::InvalidArgument("path " + Quoted(root) + " is neither a file nor a directory");
    }
  }

  struct Named {
    std::string display;
    std::string identity;
    bool explicit_path;
  };
  std::vector<Named> named;
  std::set<std::string> explicit_identities;
  for (const auto& [file, explicit_path] : walker.found()) {
    named.push_back({Normalised(file), Identity(file), explicit_path});
    if (explicit_path) explicit_identities.insert(named.back().identity);
  }
  std::sort(named.begin(), named.end(), [](const Named& a, const Named& b) {
    return a.display != b.display ? a.display < b.display : a.explicit_path > b.explicit_path;
  });
  std::vector<DiscoveredFile> out;
  std::set<std::string> seen;
  for (Named& file : named) {
    if (!seen.insert(file.identity).second) continue;
    out.push_back({.path = std::move(file.display),
                   .explicit_path = explicit_identities.count(file.identity) > 0});
  }
  return out;
}

}  // namespace flow::cli
