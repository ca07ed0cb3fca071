// Loading discovered suite files the one way every command does (run, validate, graph, export): read,
// parse, check that a walked file looks like a suite, validate and compile it, refuse a second
// suite with the same node_id. Problems are printed compiler-style as they are found.
// Reads files; thread-compatible.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/config_loader.hpp"
#include "cli/discovery.hpp"
#include "core/error.hpp"
#include "core/model/suite.hpp"

namespace flow::cli {

struct LoadedSuites {
  std::vector<std::unique_ptr<core::Suite>> suites;
  std::vector<std::pair<std::string, std::vector<core::Error>>> invalid;  // file, its errors
  std::size_t not_suites = 0;  // walked files that are not suites (fixtures, CI configs)
};

// Loads `files` in order. Errors go to `err` always, warnings when `print_warnings`.
LoadedSuites LoadSuites(const std::vector<DiscoveredFile>& files, bool print_warnings,
                        std::ostream& err);

// Loads those of `files` that are not loaded yet (nor failed to load; compared by CanonicalPath)
// and adds their suites, skipping a suite whose node_id is taken. Returns the files added.
std::vector<std::string> AddSuiteFiles(LoadedSuites& loaded, const std::vector<std::string>& files,
                                       bool print_warnings, std::ostream& err);

// Loads the suites that the loaded ones depend on and that are not loaded yet: by node_id from
// an index of the suite files under `root`, or by `path`, transitively. Returns the files added.
std::vector<std::string> AddDependencies(LoadedSuites& loaded, const std::string& root,
                                         bool print_warnings, std::ostream& err);

void PrintDiagnostics(std::ostream& err, const std::vector<core::Error>& errors,
                      const std::string& text, std::string_view severity);

struct ProjectSuites {
  LoadedConfig config;
  std::vector<std::string> paths;  // what was searched (default: the config's test_directory)
  LoadedSuites loaded;
};

// LoadConfig (`config_path`; "" searches the current directory), DiscoverSuites under `paths`
// (none: the config's test_directory) and LoadSuites. A configuration problem is printed to
// `err`; a discovery problem is handed to `usage`. Either gives nullopt (a usage error, exit 2).
std::optional<ProjectSuites> LoadProjectSuites(
    const std::string& config_path, std::vector<std::string> paths, bool print_warnings,
    std::ostream& err, const std::function<void(const core::Error&)>& usage);

}  // namespace flow::cli
