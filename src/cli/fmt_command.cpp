#include "cli/fmt_command.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "cli/arg_cursor.hpp"
#include "cli/config_loader.hpp"
#include "cli/discovery.hpp"
#include "cli/file_util.hpp"
#include "core/diagnostic.hpp"
#include "core/fmt/suite_formatter.hpp"
#include "core/fmt/unified_diff.hpp"

namespace flow::cli {
namespace {

constexpr const char* kUsage =
    "usage: flowtest fmt [-c CONFIG] [--check] [--diff] [PATH...]\n"
    "Rewrites suite files canonically: keys in the registry's order, 2-space indentation,\n"
    "templates quoted, comments kept. Directories are searched like 'flowtest run' does\n"
    "(default: the config's test_directory). See docs/fmt.md.\n"
    "  --check          write nothing; list the files that would change (exit 1 if any)\n"
    "  --diff           write nothing; print the changes as a unified diff\n"
    "  -c, --config F   the config file (for discovery)\n"
    "exit status: 0 formatted, 1 a file was refused (or would change, with --check), 2 usage\n";

// flow-test.config.yml and its other names: formatted with the config's key order.
core::FormatRoot RootOf(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  const bool config = std::find(std::begin(kConfigFileNames), std::end(kConfigFileNames), name) !=
                      std::end(kConfigFileNames);
  return config ? core::FormatRoot::kConfig : core::FormatRoot::kSuite;
}

}  // namespace

int RunFmtCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool check = false;
  bool diff = false;
  std::optional<std::string> config_path;
  std::vector<std::string> paths;
  ArgCursor cursor(args, ArgSyntax::Whole());
  while (cursor.Next()) {
    if (cursor.Is("-h") || cursor.Is("--help")) {
      out << kUsage;
      return 0;
    }
    if (cursor.IsPositional()) {
      paths.push_back(cursor.positional());
    } else if (cursor.Is("--check")) {
      check = true;
    } else if (cursor.Is("--diff")) {
      diff = true;
    } else if (cursor.Is("-c") || cursor.Is("--config")) {
      core::Result<std::string> value = cursor.Value();
      if (!value) {
        PrintUsageErrorWithUsage(err, "fmt", value.error(), kUsage);
        return 2;
      }
      config_path = *value;
    } else {
      PrintUsageErrorWithUsage(err, "fmt", cursor.Unknown(), kUsage);
      return 2;
    }
  }
  core::Result<LoadedConfig> loaded = LoadConfig(ConfigLoadOptions{.config_path = config_path.value_or("")});
  if (!loaded) {
    err << FormatLoadError(loaded.error());
    return 2;
  }
  if (paths.empty()) paths.push_back(loaded->config.test_directory);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(paths, loaded->config);
  if (!files) {
    err << "flowtest fmt: error: " << files.error().message << "\n";
    return 2;
  }

  std::size_t changed = 0, unchanged = 0, refused = 0;
  for (const DiscoveredFile& file : *files) {
    core::Result<std::string> text = ReadTextFile(file.path);
    if (!text) {
      err << "flowtest fmt: error: " << text.error().message << "\n";
      ++refused;
      continue;
    }
    if (!file.explicit_path) {
      core::Result<core::Document> doc = core::ParseDocument(*text, file.path);
      if (doc && !LooksLikeSuite(*doc)) continue;  // not a suite: left alone
    }
    core::Result<std::string> formatted = core::FormatSuiteText(*text, file.path, RootOf(file.path));
    if (!formatted) {
      err << core::FormatDiagnostic(formatted.error(), *text, "error");
      ++refused;
      continue;
    }
    if (*formatted == *text) {
      ++unchanged;
      continue;
    }
    ++changed;
    if (check) out << file.path << "\n";
    if (diff) out << core::UnifiedDiff(*text, *formatted, file.path, file.path + " (formatted)");
    if (check || diff) continue;
    core::Result<void> written = WriteTextFile(file.path, *formatted);
    if (!written) {
      err << "flowtest fmt: error: " << written.error().message << "\n";
      ++refused;
      --changed;
      continue;
    }
    out << "formatted " << file.path << "\n";
  }
  const bool dry = check || diff;
  err << changed << " file" << (changed == 1 ? "" : "s") << (dry ? " would be reformatted" : " reformatted")
      << ", " << unchanged << " unchanged" << (refused > 0 ? ", " + std::to_string(refused) + " refused" : "")
      << "\n";
  if (refused > 0) return 1;
  return check && changed > 0 ? 1 : 0;
}

}  // namespace flow::cli
