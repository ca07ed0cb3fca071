// LoadConfig: finds, reads and validates the project configuration, then loads its .env files.
// This is where configuration meets the file system; the rules live in core/config (pure).
// Stateless functions; thread-compatible (reads files and, by default, the process environment).
//
// Which file:
//   - `-c FILE` (ConfigLoadOptions::config_path): that file; it must exist (else kNotFound).
//   - otherwise the first of flow-test.config.yml, flow-test.config.yaml, flow-test.yml,
//     flow-test.yaml, flow-test.config.json in `working_directory` (not its parents);
//   - none: the defaults (Config with project_name = the directory's name). Not an error,
//     unlike the original.
//
// Relative paths written in the file (globals.env_files, test_directory, reporting.output_dir,
// the extra test directories) are resolved against the config file's directory, so
// `flowtest -c project/flow-test.config.yml` works from anywhere; the original resolves them
// against the current directory, which gives the same result in its usual case (the config in
// the current directory). The returned Config holds the resolved paths, still relative when
// they were relative ("project/tests"), lexically normalised.
//
// Environment: globals.env_files are read in order; a file that does not exist gives a warning;
// a malformed one is an error (file:line). A variable already in the process environment is
// never overridden by a file; between files, a later file overrides an earlier one (as the
// comment in the original's sample config promises: ".env.local" overrides ".env").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/config.hpp"
#include "core/error.hpp"
#include "core/result.hpp"

namespace flow::cli {

using EnvironmentPairs = std::vector<std::pair<std::string, std::string>>;

// The names LoadConfig looks for, in order.
inline constexpr std::string_view kConfigFileNames[] = {"flow-test.config.yml",
                                                        "flow-test.config.yaml", "flow-test.yml",
                                                        "flow-test.yaml", "flow-test.config.json"};

struct ConfigLoadOptions {
  std::string config_path;              // -c; "" = search working_directory
  std::string working_directory = ".";  // where to search; relative results stay relative
  // The process environment; nullopt = ReadProcessEnvironment().
  std::optional<EnvironmentPairs> environment;
  std::string default_project_name;  // "" = the config directory's name, else "flowtest"
};

// A warning (or error) with the text of the file it points into, ready for FormatDiagnostic.
struct ConfigDiagnostic {
  core::Error error;
  std::string source;  // "" when the problem is in no file

  std::string Render(std::string_view severity = "warning") const;
};

struct LoadedConfig {
  core::Config config;
  // The process environment plus every variable from the env files that it lacks, sorted by
  // name: what $env.NAME and the FLOW_TEST_* globals (core::BuildGlobals) read.
  EnvironmentPairs environment;
  std::string config_path;     // the file read ("" = none, defaults)
  std::string config_source;   // its text
  std::string base_directory;  // where relative paths of the file were resolved ("." or a path)
  std::vector<std::string> env_files_loaded;  // resolved paths, in order
  std::vector<ConfigDiagnostic> warnings;     // config warnings, then missing env files
};

// Errors: kNotFound for a missing -c file; kInvalidArgument for a file that cannot be read, a
// YAML/JSON error, an invalid key (all with `where` set), or a malformed env file.
// FormatLoadError renders such an error with an excerpt of the file it points into.
core::Result<LoadedConfig> LoadConfig(const ConfigLoadOptions& options);
std::string FormatLoadError(const core::Error& error);

// This process's environment, sorted by name (the first of duplicated names, as getenv).
EnvironmentPairs ReadProcessEnvironment();

}  // namespace flow::cli
