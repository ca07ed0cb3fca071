#include "cli/suite_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "cli/file_util.hpp"
#include "cli/suite_files.hpp"
#include "core/diagnostic.hpp"
#include "core/parse/document.hpp"

namespace flow::cli {

void PrintDiagnostics(std::ostream& err, const std::vector<core::Error>& errors,
                      const std::string& text, std::string_view severity) {
  for (const core::Error& e : errors) err << core::FormatDiagnostic(e, text, severity);
}

LoadedSuites LoadSuites(const std::vector<DiscoveredFile>& files, bool print_warnings,
                        std::ostream& err) {
  LoadedSuites out;
  std::map<std::string, std::string> node_files;
  for (const DiscoveredFile& file : files) {
    core::Result<std::string> text = ReadTextFile(file.path);
    if (!text) {
      core::Error e = std::move(text).error();
      err << "error: " << e.message << "\n";
      out.invalid.emplace_back(file.path, std::vector<core::Error>{e});
      continue;
    }
    core::Result<core::Document> doc = core::ParseDocument(*text, file.path);
    if (!doc) {
      PrintDiagnostics(err, {doc.error()}, *text, "error");
      out.invalid.emplace_back(file.path, std::vector<core::Error>{doc.error()});
      continue;
    }
    if (!file.explicit_path && !LooksLikeSuite(*doc)) {
      ++out.not_suites;
      continue;
    }
    core::SuiteLoad load = core::BuildSuite(std::move(*doc));
    if (print_warnings) PrintDiagnostics(err, load.warnings, *text, "warning");
    if (!load.suite) {
      PrintDiagnostics(err, load.errors, *text, "error");
      out.invalid.emplace_back(file.path, std::move(load.errors));
      continue;
    }
    const auto [it, inserted] = node_files.emplace(load.suite->node_id, file.path);
    if (!inserted) {
      core::Error e = core::InvalidArgument(
          "node_id '" + load.suite->node_id + "' is also used by " + it->second,
          "each suite needs its own node_id: exports are published under it");
      e.where = load.suite->document.WhereValue("/node_id");
      PrintDiagnostics(err, {e}, *text, "error");
      out.invalid.emplace_back(file.path, std::vector<core::Error>{e});
      continue;
    }
    out.suites.push_back(std::make_unique<core::Suite>(std::move(*load.suite)));
  }
  return out;
}

std::vector<std::string> AddSuiteFiles(LoadedSuites& loaded, const std::vector<std::string>& files,
                                       bool print_warnings, std::ostream& err) {
  std::set<std::string> known;
  std::set<std::string> have;
  for (const auto& s : loaded.suites) {
    known.insert(CanonicalPath(s->file));
    have.insert(s->node_id);
  }
  for (const auto& [file, errors] : loaded.invalid) known.insert(CanonicalPath(file));
  std::vector<std::string> added;
  for (const std::string& file : files) {
    if (!known.insert(CanonicalPath(file)).second) continue;
    LoadedSuites more =
        LoadSuites({DiscoveredFile{.path = file, .explicit_path = true}}, print_warnings, err);
    for (auto& s : more.suites) {
      if (!have.insert(s->node_id).second) continue;
      added.push_back(s->file);
      loaded.suites.push_back(std::move(s));
    }
    for (auto& bad : more.invalid) loaded.invalid.push_back(std::move(bad));
  }
  return added;
}

std::vector<std::string> AddDependencies(LoadedSuites& loaded, const std::string& root,
                                         bool print_warnings, std::ostream& err) {
  std::vector<std::string> added;
  std::optional<std::map<std::string, std::string>> index;
  for (std::size_t i = 0; i < loaded.suites.size(); ++i) {
    std::vector<std::string> wanted;
    for (const core::Dependency& dep : loaded.suites[i]->depends) {
      if (!dep.node_id.empty()) {
        const bool have = std::any_of(loaded.suites.begin(), loaded.suites.end(),
                                      [&](const auto& s) { return s->node_id == dep.node_id; });
        if (have) continue;
        if (!index) index = IndexSuitesByNodeId(root);
        if (auto it = index->find(dep.node_id); it != index->end()) wanted.push_back(it->second);
      } else if (!dep.path.empty()) {
        const std::filesystem::path base =
            dep.path_type == "absolute"
                ? std::filesystem::path(root)
                : std::filesystem::path(loaded.suites[i]->file).parent_path();
        const std::string candidate = (base / dep.path).lexically_normal().string();
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) wanted.push_back(candidate);
      }
    }
    for (std::string& file : AddSuiteFiles(loaded, wanted, print_warnings, err)) {
      added.push_back(std::move(file));
    }
  }
  return added;
}

std::optional<ProjectSuites> LoadProjectSuites(
    const std::string& config_path, std::vector<std::string> paths, bool print_warnings,
    std::ostream& err, const std::function<void(const core::Error&)>& usage) {
  core::Result<LoadedConfig> config = LoadConfig(ConfigLoadOptions{.config_path = config_path});
  if (!config) {
    err << FormatLoadError(config.error());
    return std::nullopt;
  }
  if (paths.empty()) paths.push_back(config->config.test_directory);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(paths, config->config);
  if (!files) {
    usage(files.error());
    return std::nullopt;
  }
  LoadedSuites loaded = LoadSuites(*files, print_warnings, err);
  return ProjectSuites{
      .config = std::move(*config), .paths = std::move(paths), .loaded = std::move(loaded)};
}

}  // namespace flow::cli
