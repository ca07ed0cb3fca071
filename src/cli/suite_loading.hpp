// Loading the suite files a command was given (run, validate, export): read, parse, validate,
// with every problem printed compiler-style. Thread-compatible.
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
  std::vector<std::pair<std::string, std::vector<core::Error>>> invalid;  // file -> its errors
  std::size_t not_suites = 0;  // walked files that do not look like suites (left alone)
};

void PrintDiagnostics(std::ostream& err, const std::vector<core::Error>& errors,
                      const std::string& text, std::string_view severity);

// A file found by walking a directory is only a suite if it has `steps`, `suite_name` or
// `node_id`; a file named on the command line always is. Two suites with one node_id: the second
// is invalid. Errors (and warnings, when asked) go to `err`.
LoadedSuites LoadSuites(const std::vector<DiscoveredFile>& files, bool print_warnings,
                        std::ostream& err);

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
