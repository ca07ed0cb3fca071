#include "cli/graph_command.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/arg_cursor.hpp"
#include "cli/config_loader.hpp"
#include "cli/discovery.hpp"
#include "cli/file_util.hpp"
#include "cli/suite_loader.hpp"
#include "core/diagnostic.hpp"
#include "core/graph/graph_render.hpp"
#include "core/graph/suite_graph.hpp"
#include "core/parse/document.hpp"
#include "core/run/planner.hpp"

namespace flow::cli {
namespace {

const char* GraphUsage() {
  return R"(usage: flowtest graph [PATH...] [options]

Prints how the suites in PATH (files or directories; default: the config's test_directory)
use each other: a node per suite (suite_name, node_id, priority, exports) and an arrow from a
suite to what it uses: `depends` (requires: bold), `call` steps (dashed, labelled with the
called step) and the exports it reads ({{auth.token}}: blue, labelled with the variables).
Missing suites and files are drawn dashed in red and warned about on stderr.

options:
  -f, --format FORMAT        mermaid (default: a Mermaid flowchart) or dot (Graphviz)
  -o, --output FILE          write the graph to FILE instead of standard output
  -c, --config FILE          config file (default: ./flow-test.config.yml and the other names)
  -d, --directory DIR        search suites in DIR instead of test_directory
  -h, --help                 this help

exit status: 0 the graph of every suite, 1 a suite could not be loaded (the graph of the others
             is printed) or none was found, 2 usage or configuration error
)";
}

struct GraphArgs {
  std::vector<std::string> paths;
  std::string format = "mermaid";
  std::optional<std::string> output;
  std::optional<std::string> config;
  std::optional<std::string> directory;
  bool help = false;
};

core::Result<GraphArgs> ParseGraphArgs(const std::vector<std::string>& args) {
  GraphArgs out;
  ArgCursor cursor(args);
  while (cursor.Next()) {
    if (cursor.option().empty()) {
      out.paths.push_back(cursor.positional());
      continue;
    }
    if (cursor.Is("-h") || cursor.Is("--help")) {
      FLOW_TRY_VOID(cursor.NoValue());
      out.help = true;
      continue;
    }
    const bool known = cursor.Is("--format") || cursor.Is("-f") || cursor.Is("-o") ||
                       cursor.Is("--output") || cursor.Is("-c") || cursor.Is("--config") ||
                       cursor.Is("-d") || cursor.Is("--directory");
    if (!known)
      return cursor.Unknown({"--format", "--output", "--config", "--directory", "--help"});
    core::Result<std::string> value = cursor.Value();
    if (!value) return std::move(value).error();
    if (cursor.Is("--format") || cursor.Is("-f")) {
      if (*value != "mermaid" && *value != "dot") {
        return core::InvalidArgument("--format must be mermaid or dot, got '" + *value + "'");
      }
      out.format = *value;
    } else if (cursor.Is("-o") || cursor.Is("--output")) {
      out.output = *value;
    } else if (cursor.Is("-c") || cursor.Is("--config")) {
      out.config = *value;
    } else {
      out.directory = *value;
    }
  }
  return out;
}

// Loads the files the loaded suites call or depend on by path and that discovery did not find
// (helpers outside the patterns, a single file's neighbours), until nothing new turns up.
void AddReferencedFiles(LoadedSuites& loaded, const std::string& test_directory,
                        std::ostream& err) {
  for (;;) {
    std::vector<std::string> wanted;
    for (const auto& suite : loaded.suites) {
      for (std::string& file : core::ReferencedSuiteFiles(*suite, test_directory)) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(file, ec)) wanted.push_back(std::move(file));
      }
    }
    const std::size_t before = loaded.suites.size() + loaded.invalid.size();
    (void)AddSuiteFiles(loaded, wanted, /*print_warnings=*/false, err);
    if (loaded.suites.size() + loaded.invalid.size() == before) return;
  }
}

// What can still be read of a file that failed to load: its node_id and suite_name.
core::UnloadedSuite Unloaded(const std::string& file) {
  core::UnloadedSuite out{.file = file};
  core::Result<std::string> text = ReadTextFile(file);
  if (!text) return out;
  core::Result<core::Document> doc = core::ParseDocument(*text, file);
  if (!doc || !doc->root.is_object()) return out;
  if (doc->root.contains("node_id") && doc->root["node_id"].is_string()) {
    out.node_id = doc->root["node_id"].get<std::string>();
  }
  if (doc->root.contains("suite_name") && doc->root["suite_name"].is_string()) {
    out.suite_name = doc->root["suite_name"].get<std::string>();
  }
  return out;
}

}  // namespace

int RunGraphCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  core::Result<GraphArgs> parsed = ParseGraphArgs(argv);
  if (!parsed) {
    PrintUsageError(err, "graph", parsed.error());
    return 2;
  }
  const GraphArgs& args = *parsed;
  if (args.help) {
    out << GraphUsage();
    return 0;
  }
  core::Result<LoadedConfig> loaded_config =
      LoadConfig(ConfigLoadOptions{.config_path = args.config.value_or("")});
  if (!loaded_config) {
    err << FormatLoadError(loaded_config.error());
    return 2;
  }
  const core::Config& config = loaded_config->config;
  const std::string test_directory = args.directory.value_or(config.test_directory);
  std::vector<std::string> roots = args.paths;
  if (roots.empty()) roots.push_back(test_directory);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(roots, config);
  if (!files) {
    PrintUsageError(err, "graph", files.error());
    return 2;
  }
  // Only errors: the warnings about a suite's keys are for `flowtest validate`.
  LoadedSuites loaded = LoadSuites(*files, /*print_warnings=*/false, err);
  if (std::any_of(files->begin(), files->end(),
                  [](const DiscoveredFile& f) { return f.explicit_path; })) {
    (void)AddDependencies(loaded, test_directory, /*print_warnings=*/false, err);
  }
  AddReferencedFiles(loaded, test_directory, err);
  if (loaded.suites.empty() && loaded.invalid.empty()) {
    err << "flowtest graph: error: no suites found in " << roots.front()
        << (roots.size() > 1 ? " and the other paths" : "") << "\n";
    return 1;
  }

  core::GraphInput input{.test_directory = test_directory, .file_key = &CanonicalPath};
  std::map<std::string, const std::string*> texts;  // file -> its text, for warning excerpts
  for (const auto& suite : loaded.suites) {
    input.suites.push_back(suite.get());
    texts[suite->file] = &suite->text;
  }
  for (const auto& [file, errors] : loaded.invalid) input.unloaded.push_back(Unloaded(file));
  const core::SuiteGraph graph = core::BuildSuiteGraph(input);
  for (const core::Error& w : graph.warnings) {
    const auto it = w.where ? texts.find(w.where->file) : texts.end();
    err << core::FormatDiagnostic(w, it != texts.end() ? std::string_view(*it->second) : "",
                                  "warning");
  }
  // A dependency cycle draws fine but makes `run` fail: say so.
  if (core::Result<core::RunPlan> plan = core::PlanRun(input.suites, {}, config.priorities.levels);
      !plan) {
    const core::Error& e = plan.error();
    const auto it = e.where ? texts.find(e.where->file) : texts.end();
    err << core::FormatDiagnostic(e, it != texts.end() ? std::string_view(*it->second) : "",
                                  "warning");
  }

  const std::string text =
      args.format == "dot" ? core::RenderDot(graph) : core::RenderMermaid(graph);
  if (args.output) {
    core::Result<void> written = WriteTextFile(*args.output, text);
    if (!written) {
      err << "flowtest graph: error: " << written.error().message << "\n";
      return 2;
    }
    out << "graph of " << input.suites.size() << " suite" << (input.suites.size() == 1 ? "" : "s")
        << " written to " << *args.output << "\n";
  } else {
    out << text;
  }
  if (!loaded.invalid.empty()) {
    err << "flowtest graph: " << loaded.invalid.size() << " suite file"
        << (loaded.invalid.size() == 1 ? "" : "s") << " could not be loaded (drawn in red)\n";
    return 1;
  }
  return 0;
}

}  // namespace flow::cli
