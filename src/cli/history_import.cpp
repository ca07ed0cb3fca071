#include "cli/history_import.hpp"

#include <cstdio>

#include "cli/arg_cursor.hpp"
#include "cli/history_database.hpp"
#include "cli/suite_loader.hpp"
#include "service/suites/suite_versions.hpp"

namespace flow::cli {

int RunImportSuites(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::string config_path;
  std::string database;
  ArgCursor cursor(args);
  const auto usage = [&](const core::Error& e) {
    PrintUsageError(err, "import", e);
    return 2;
  };
  while (cursor.Next()) {
    if (cursor.option().empty()) {
      paths.push_back(cursor.positional());
      continue;
    }
    if (!cursor.Is("-c") && !cursor.Is("--config") && !cursor.Is("--database")) {
      return usage(cursor.Unknown({"--config", "--database"}));
    }
    core::Result<std::string> value = cursor.Value();
    if (!value) return usage(value.error());
    (cursor.Is("--database") ? database : config_path) = *value;
  }
  if (paths.empty()) return usage(core::InvalidArgument("name the directory to import"));

  int code = 0;
  std::optional<ProjectSuites> project =
      LoadProjectSuites(config_path, paths, true, err, [&](const core::Error& e) { code = usage(e); });
  if (!project) return code != 0 ? code : 2;
  const LoadedSuites& loaded = project->loaded;
  if (loaded.suites.empty() && loaded.invalid.empty()) {
    err << "flowtest import: error: no suites found in " << paths.front()
        << (paths.size() > 1 ? " and the other paths" : "") << "\n";
    return 1;
  }
  core::Result<HistoryDatabase> opened = OpenHistoryDatabase(database);
  if (!opened) {
    err << "flowtest import: error: " << opened.error().message << "\n";
    if (!opened.error().hint.empty()) err << "  hint: " << opened.error().hint << "\n";
    return 1;
  }
  std::size_t created = 0;
  std::size_t unchanged = 0;
  for (const auto& suite : loaded.suites) {
    core::Result<service::SavedVersion> saved =
        service::SaveSuiteVersion(opened->database->suites(), *suite);
    if (!saved) {
      err << "flowtest import: error: " << suite->file << ": " << saved.error().message << "\n";
      return 1;
    }
    (saved->created ? created : unchanged) += 1;
    char line[64];
    std::snprintf(line, sizeof line, "  %-9s v%-4d ", saved->created ? "new" : "unchanged",
                  saved->version.version);
    out << line << suite->node_id << "  " << suite->file << "\n";
  }
  out << "imported into " << opened->location << ": " << created << " new version"
      << (created == 1 ? "" : "s") << ", " << unchanged << " unchanged";
  if (!loaded.invalid.empty()) {
    out << ", " << loaded.invalid.size() << " file" << (loaded.invalid.size() == 1 ? "" : "s")
        << " not imported (errors above)";
  }
  out << "\n";
  return loaded.invalid.empty() ? 0 : 1;
}

}  // namespace flow::cli
