#include "cli/export_command.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "cli/arg_cursor.hpp"
#include "cli/config_loader.hpp"
#include "cli/discovery.hpp"
#include "cli/file_util.hpp"
#include "cli/suite_loader.hpp"
#include "core/convert/postman_collection.hpp"
#include "core/convert/postman_export.hpp"
#include "core/diagnostic.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: flowtest export postman [PATH...] [--output FILE] [--name NAME] [-c CONFIG] [--force]

Writes the suites in PATH (files or directories; default: the config's test_directory) as one
Postman collection v2.1: a folder per suite, a request per step, assertions as pm.test scripts,
captures as collection variables. What Postman cannot express is listed in the descriptions and
as warnings.

options:
  -o, --output FILE    write the collection there (default: standard output)
      --name NAME      the collection's name (default: the config's project_name)
  -c, --config FILE    config file (for discovery and the project name)
      --force          overwrite FILE if it exists (default: refuse)
  -h, --help           this help

exit status: 0 written, 1 a suite is invalid, none was found or FILE exists, 2 usage error
)";

int Usage(std::ostream& err, const core::Error& error) {
  PrintUsageError(err, "export", error, UsageLabel::kProgram);
  return 2;
}

// Suites after the ones they depend on (by node_id), otherwise in the order found.
std::vector<const core::Suite*> DependencyOrder(
    const std::vector<std::unique_ptr<core::Suite>>& suites) {
  std::map<std::string, const core::Suite*> by_id;
  for (const auto& suite : suites) by_id[suite->node_id] = suite.get();
  std::vector<const core::Suite*> order;
  std::set<const core::Suite*> placed;
  std::set<const core::Suite*> visiting;
  std::function<void(const core::Suite*)> place = [&](const core::Suite* suite) {
    if (placed.count(suite) != 0 || !visiting.insert(suite).second) return;  // done, or a cycle
    for (const core::Dependency& dependency : suite->depends) {
      if (const auto found = by_id.find(dependency.node_id); found != by_id.end())
        place(found->second);
    }
    visiting.erase(suite);
    if (placed.insert(suite).second) order.push_back(suite);
  };
  for (const auto& suite : suites) place(suite.get());
  return order;
}

int ExportPostmanCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  std::vector<std::string> paths;
  std::optional<std::string> output;
  std::optional<std::string> name;
  std::optional<std::string> config_path;
  bool force = false;
  const std::vector<std::string> known = {"--output", "--name", "--config", "--force", "--help"};
  // As always: a switch ignores a value given after '=', and "--" is an (unknown) option.
  ArgCursor cursor(args, {.double_dash_ends_options = false,
                          .aliases = {{"-o", "--output"}, {"-c", "--config"}}});
  while (cursor.Next()) {
    if (cursor.Is("-h") || cursor.Is("--help")) {
      out << kUsage;
      return 0;
    }
    if (cursor.IsPositional()) {
      paths.push_back(cursor.positional());
    } else if (cursor.Is("--force")) {
      force = true;
    } else if (cursor.Is("--output") || cursor.Is("--name") || cursor.Is("--config")) {
      core::Result<std::string> value = cursor.Value();
      if (!value) return Usage(err, value.error());
      (cursor.Is("--output") ? output : cursor.Is("--name") ? name : config_path) = *value;
    } else {
      return Usage(err, cursor.Unknown(known));
    }
  }
  std::optional<ProjectSuites> project = LoadProjectSuites(
      config_path.value_or(""), paths, false, err, [&](const core::Error& e) { Usage(err, e); });
  if (!project) return 2;
  const LoadedSuites& suites = project->loaded;
  if (!suites.invalid.empty()) {
    err << "flowtest: error: " << suites.invalid.size() << " suite file"
        << (suites.invalid.size() == 1 ? " is" : "s are") << " invalid: nothing exported\n";
    return 1;
  }
  if (suites.suites.empty()) {
    err << "flowtest: error: no suites found in " << project->paths.front()
        << (project->paths.size() > 1 ? " and the other paths" : "") << "\n";
    return 1;
  }
  if (output && !force) {
    std::error_code ec;
    if (std::filesystem::exists(*output, ec)) {
      err << "flowtest: error: refusing to overwrite " << *output << "\n"
          << "  hint: choose another --output file, or pass --force to overwrite it\n";
      return 1;
    }
  }
  const std::vector<const core::Suite*> order = DependencyOrder(suites.suites);
  core::convert::PostmanExport exported = core::convert::ExportPostman(
      order, core::convert::PostmanExportOptions{
                 .name = name.value_or(project->config.config.project_name.empty()
                                           ? "flowtest suites"
                                           : project->config.config.project_name),
                 .working_directory = AbsolutePath(".")});
  std::map<std::string, const core::Suite*> by_file;
  for (const core::Suite* suite : order) by_file[suite->file] = suite;
  for (const core::Error& warning : exported.warnings) {
    const auto found = warning.where ? by_file.find(warning.where->file) : by_file.end();
    err << core::FormatDiagnostic(warning, found == by_file.end() ? "" : found->second->text,
                                  "warning");
  }
  // The collection must have the structure Postman reads: a failure is a bug, said as such.
  const std::vector<core::Error> problems =
      core::convert::CheckPostmanCollection(exported.collection);
  if (!problems.empty()) {
    err << "flowtest: internal error: the collection is not valid Postman v2.1 (please report "
           "this): "
        << problems.front().message << " at " << problems.front().pointer << "\n";
    return 1;
  }
  const std::string json = core::DumpJson(exported.collection, 2) + "\n";
  std::ostream& summary = output ? out : err;
  if (output) {
    core::Result<void> written = WriteTextFile(*output, json);
    if (!written) {
      err << "flowtest: error: " << written.error().message << "\n";
      return 1;
    }
  } else {
    out << json;
  }
  summary << "exported " << exported.folders << " suite" << (exported.folders == 1 ? "" : "s")
          << " (" << exported.requests << " request" << (exported.requests == 1 ? "" : "s")
          << ") as a Postman collection v2.1" << (output ? " to " + *output : std::string());
  if (!exported.warnings.empty()) {
    summary << ", " << exported.warnings.size() << " warning"
            << (exported.warnings.size() == 1 ? "" : "s") << " (above)";
  }
  summary << "\n";
  return 0;
}

}  // namespace

int RunExportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return Usage(err, core::InvalidArgument("name what to export: postman"));
  const std::string& kind = args.front();
  if (kind == "-h" || kind == "--help" || kind == "help") {
    out << kUsage;
    return 0;
  }
  if (kind == "postman")
    return ExportPostmanCommand(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
  return Usage(err, core::InvalidArgument("unknown export kind '" + kind + "'",
                                          "the only kind is postman (a Postman collection v2.1)"));
}

}  // namespace flow::cli
