#include "cli/config_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "core/config/dotenv.hpp"
#include "core/diagnostic.hpp"
#include "core/parse/document.hpp"
#include "core/util/strings.hpp"

extern char** environ;  // NOLINT: POSIX

namespace flow::cli {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::Result;

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// `relative` against `base`, lexically normalised, without a trailing '/'; "." for nothing.
std::string Resolve(const fs::path& base, std::string_view relative) {
  const fs::path path(relative);
  std::string out = (path.is_absolute() ? path : base / path).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return core::InvalidArgument(std::string(what) + " " + Quoted(path) +
                                 " is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::InvalidArgument("cannot read " + std::string(what) + " " + Quoted(path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return core::InvalidArgument("cannot read " + std::string(what) + " " + Quoted(path));
  return text.str();
}

// The name of `directory` (made absolute), for the default project name; "" at the root.
std::string DirectoryName(const fs::path& directory) {
  std::error_code ec;
  fs::path absolute = fs::absolute(directory, ec);
  if (ec) return {};
  absolute = absolute.lexically_normal();
  std::string name = absolute.filename().string();
  if (name.empty()) name = absolute.parent_path().filename().string();
  return name;
}

// Finds the config file: -c, else the first known name in the working directory.
Result<std::string> FindConfig(const ConfigLoadOptions& options) {
  const fs::path working(options.working_directory.empty() ? "." : options.working_directory);
  if (!options.config_path.empty()) {
    const std::string path = Resolve(working, options.config_path);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return core::NotFound("configuration file " + Quoted(options.config_path) + " does not exist",
                            "check the path given to -c/--config");
    }
    return path;
  }
  for (const std::string_view name : kConfigFileNames) {
    const std::string path = Resolve(working, name);
    if (IsFile(path)) return path;
  }
  return std::string();
}

}  // namespace

std::string ConfigDiagnostic::Render(std::string_view severity) const {
  return core::FormatDiagnostic(error, source, severity);
}

EnvironmentPairs ReadProcessEnvironment() {
  EnvironmentPairs out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    out.emplace_back(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  // getenv answers the first of duplicated names; keep that one.
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  return out;
}

Result<LoadedConfig> LoadConfig(const ConfigLoadOptions& options) {
  LoadedConfig loaded;
  Result<std::string> found = FindConfig(options);
  if (!found) return std::move(found).error();
  loaded.config_path = *found;

  const fs::path working(options.working_directory.empty() ? "." : options.working_directory);
  const fs::path base =
      loaded.config_path.empty() ? working : fs::path(loaded.config_path).parent_path();
  loaded.base_directory = Resolve(base, ".");
  const std::string default_name = !options.default_project_name.empty()
                                       ? options.default_project_name
                                       : DirectoryName(loaded.base_directory);

  core::Document doc;
  if (loaded.config_path.empty()) {
    loaded.config = core::DefaultConfig(default_name);
  } else {
    Result<std::string> text = ReadFile(loaded.config_path, "configuration file");
    if (!text) return std::move(text).error();
    loaded.config_source = std::move(text).value();
    Result<core::Document> parsed = core::ParseDocument(loaded.config_source, loaded.config_path);
    if (!parsed) return std::move(parsed).error();
    doc = std::move(parsed).value();
    Result<core::Config> config = core::ParseConfig(doc, default_name);
    if (!config) return std::move(config).error();
    loaded.config = std::move(config).value();
    for (Error& warning : loaded.config.warnings) {
      loaded.warnings.push_back({.error = warning, .source = loaded.config_source});
    }
  }

  core::Config& config = loaded.config;
  const fs::path base_path(loaded.base_directory);
  config.test_directory = Resolve(base_path, config.test_directory);
  config.reporting.output_dir = Resolve(base_path, config.reporting.output_dir);
  for (std::string& dir : config.extra_test_directories) dir = Resolve(base_path, dir);

  // Later env files override earlier ones; the process environment overrides them all.
  std::map<std::string, std::string> from_files;
  for (std::size_t i = 0; i < config.globals.env_files.size(); ++i) {
    const std::string& written = config.globals.env_files[i];
    const std::string path = Resolve(base_path, written);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      Error warning = core::NotFound(
          "env file " + Quoted(written) + " does not exist" +
              (path != written ? " (looked for " + Quoted(path) + ")" : std::string()),
          "create it or remove it from 'globals.env_files'");
      warning.reason = "missing-file";
      warning.pointer = core::JoinPointer("/globals/env_files", i);
      warning.where = doc.WhereValue(warning.pointer);
      if (!warning.where->IsKnown()) warning.where.reset();
      loaded.warnings.push_back({.error = std::move(warning), .source = loaded.config_source});
      continue;
    }
    Result<std::string> text = ReadFile(path, "env file");
    if (!text) return std::move(text).error();
    Result<EnvironmentPairs> pairs = core::ParseDotenv(*text, path);
    if (!pairs) return std::move(pairs).error();
    for (auto& [name, value] : *pairs) from_files[name] = std::move(value);
    loaded.env_files_loaded.push_back(path);
  }

  loaded.environment = options.environment ? *options.environment : ReadProcessEnvironment();
  std::map<std::string, std::string> merged(loaded.environment.begin(), loaded.environment.end());
  for (auto& [name, value] : from_files) merged.emplace(name, std::move(value));  // never replaces
  loaded.environment.assign(merged.begin(), merged.end());
  return loaded;
}

std::string FormatLoadError(const core::Error& error) {
  std::string source;
  if (error.where && error.where->IsKnown() && IsFile(error.where->file)) {
    Result<std::string> text = ReadFile(error.where->file, "file");
    if (text) source = std::move(text).value();
  }
  return core::FormatDiagnostic(error, source, "error");
}

}  // namespace flow::cli
