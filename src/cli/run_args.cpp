#include "cli/run_args.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "core/util/strings.hpp"

namespace flow::cli {
namespace {

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& part : core::Split(text, ',')) {
    const std::string_view trimmed = core::Trim(part);
    if (!trimmed.empty()) out.emplace_back(trimmed);
  }
  return out;
}

// Whether `next`, following a flag whose value is optional, is that value rather than a suite
// path or another flag.
bool OptionalValue(const std::string& next) {
  if (next.empty() || next[0] == '-') return false;
  for (const char* ext : {".yaml", ".yml", ".json"}) {
    if (core::EndsWith(next, ext)) return false;
  }
  std::error_code ec;
  return !std::filesystem::is_directory(next, ec);
}

void Append(std::vector<std::string>& to, const std::string& text) {
  for (std::string& item : CommaList(text)) to.push_back(std::move(item));
}

const std::vector<std::string>& KnownFlags() {
  static const std::vector<std::string> flags = {
      "--config", "--directory", "--suite", "--node", "--tag", "--tags", "--priority", "--step",
      "--step-id", "--format", "--output-dir", "--connect-to", "--unresolved", "--timeout",
      "--continue-on-failure", "--dry-run", "--no-report", "--verbose", "--detailed",
      "--simple", "--silent", "--help", "--environment", "--no-log", "--parallel",
      "--input-file", "--input-policy", "--runner-interactive-inputs", "--no-js",
      "--faker-seed", "--faker-locale", "--html-output", "--live-events", "--color", "--secret",
      "--no-history", "--database"};
  return flags;
}

}  // namespace

const char* RunUsage() {
  return R"(usage: flowtest run [PATH...] [options]
       flowtest [PATH] [options]            (the original engine's `fest` form)

Runs the suites in PATH (files or directories; default: the config's test_directory).

options:
  -c, --config FILE          config file (default: ./flow-test.config.yml and the other names)
  -d, --directory DIR        search suites in DIR instead of test_directory
      --suite NAMES          only suites with these suite_name values (comma-separated)
      --node IDS             only suites with these node_id values
      --tag, --tags TAGS     only suites having any of these metadata.tags
      --priority LEVELS      only suites of these priorities
      --step, --step-id IDS  only these steps (id, node::id or node:id); others are skipped
      --dry-run              print the execution plan and exit
  -f, --format LIST          report formats to add to the config's: json, junit, html, qa
      --html-output [SUBDIR] add the html report (written in SUBDIR of the output directory)
      --output-dir DIR       where reports go (default: results)
      --live-events [FILE]   stream run/suite/step events as JSON lines to FILE while running
                             (default: <output dir>/live-events.jsonl)
      --no-report            write no report files
      --no-history           record nothing in the run history (docs/history.md)
      --database URL         record the run history there: sqlite:PATH, a file path, or
                             postgres://... (default: $FLOWTEST_DATABASE_URL, else
                             .flowtest/history.db)
      --connect-to H:P:H2:P2 connect to H2:P2 for requests to H:P (URL and Host unchanged)
      --unresolved MODE      unknown {{variables}}: error (default) or literal (send as written)
      --timeout MS           HTTP timeout per request (default: execution.timeout, 30000)
      --continue-on-failure  a failed step does not stop its suite
      --parallel N           run up to N suites at a time (default: execution.max_parallel
                             when execution.mode is parallel, else 1)
      --input-file FILE      answers for `input` steps (YAML/JSON, by variable or step id)
      --input-policy P       inputs nobody answers: auto (ci_default/default/first option),
                             fail (default without a terminal), prompt (ask on the terminal)
      --runner-interactive-inputs
                             ask for inputs with the @@FLOW_INPUT@@ line protocol on stdout/stdin
      --faker-seed N         reproducible faker values (default: config faker.seed, else random)
      --faker-locale L       faker data in en or pt_BR (default: config faker.locale, en)
      --no-js                refuse suites that use JavaScript or faker (javascript.enabled: false)
      --verbose | --detailed | --simple | --silent
                             console detail (default: simple)
      --color WHEN           auto (default: on a terminal unless NO_COLOR is set), always, never
      --secret NAME=VALUE    a global variable whose value is masked in every output; with NAME
                             alone, the value comes from the environment variable NAME
                             (repeatable)
      --swagger-import, --postman-import, --postman-export ...
                             the original engine's conversion flags: they run
                             'flowtest import' / 'flowtest export' (see docs/compatibility.md)
  -h, --help                 this help

exit status: 0 every selected suite passed, 1 a suite failed or could not be loaded,
             2 usage or configuration error
)";
}

core::Result<RunArgs> ParseRunArgs(const std::vector<std::string>& args) {
  RunArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> inline_value;
    if (core::StartsWith(arg, "--")) {
      if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }
    const auto value = [&](std::string_view flag) -> core::Result<std::string> {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) {
        return core::InvalidArgument("option '" + std::string(flag) + "' needs a value");
      }
      return args[++i];
    };
#define FLOW_VALUE(flag)                              \
  core::Result<std::string> v = value(flag);          \
  if (!v) return std::move(v).error();
    if (arg == "-c" || arg == "--config") {
      FLOW_VALUE(arg) out.config = *v;
    } else if (arg == "-d" || arg == "--directory") {
      FLOW_VALUE(arg) out.directory = *v;
    } else if (arg == "--suite") {
      FLOW_VALUE(arg) Append(out.suites, *v);
    } else if (arg == "--node") {
      FLOW_VALUE(arg) Append(out.nodes, *v);
    } else if (arg == "--tag" || arg == "--tags") {
      FLOW_VALUE(arg) Append(out.tags, *v);
    } else if (arg == "--priority") {
      FLOW_VALUE(arg) Append(out.priorities, *v);
    } else if (arg == "--step" || arg == "--step-id") {
      FLOW_VALUE(arg) Append(out.steps, *v);
    } else if (arg == "-f" || arg == "--format") {
      FLOW_VALUE(arg) Append(out.formats, *v);
    } else if (arg == "--database") {
      FLOW_VALUE(arg) out.database = *v;
    } else if (arg == "--output-dir") {
      FLOW_VALUE(arg) out.output_dir = *v;
    } else if (arg == "--html-output" || arg == "--live-events") {
      // The value is optional: `--flag=VALUE`, or the next argument when it cannot be a suite
      // path (starts with '-', names a directory or a .yaml/.yml/.json file: then it is a path).
      std::string given;
      if (inline_value) {
        given = *inline_value;
      } else if (i + 1 < args.size() && OptionalValue(args[i + 1])) {
        given = args[++i];
      }
      (arg == "--html-output" ? out.html_output : out.live_events) = given;
    } else if (arg == "--secret") {
      FLOW_VALUE(arg)
      const std::size_t eq = v->find('=');
      const std::string name = v->substr(0, eq);
      if (name.empty() || std::string_view(name).find_first_of(" \t.{}") != std::string_view::npos) {
        return core::InvalidArgument("--secret needs NAME=VALUE or NAME (a variable name), got '" +
                                     v->substr(0, std::min<std::size_t>(eq, 40)) + "'");
      }
      out.secrets.emplace_back(name, eq == std::string::npos ? std::nullopt
                                                             : std::optional(v->substr(eq + 1)));
    } else if (arg == "--color") {
      FLOW_VALUE(arg)
      if (*v != "auto" && *v != "always" && *v != "never") {
        return core::InvalidArgument("--color must be auto, always or never, got '" + *v + "'");
      }
      out.color = *v;
    } else if (arg == "--connect-to") {
      FLOW_VALUE(arg)
      if (std::count(v->begin(), v->end(), ':') < 3) {
        return core::InvalidArgument("--connect-to needs HOST:PORT:CONNECT-HOST:CONNECT-PORT, got '" +
                                     *v + "'");
      }
      out.connect_to.push_back(*v);
    } else if (arg == "--unresolved") {
      FLOW_VALUE(arg)
      if (*v != "error" && *v != "literal") {
        return core::InvalidArgument("--unresolved must be 'error' or 'literal', got '" + *v + "'");
      }
      out.unresolved = *v;
    } else if (arg == "--timeout") {
      FLOW_VALUE(arg)
      long long ms = 0;
      const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
      if (ec != std::errc() || end != v->data() + v->size() || ms <= 0) {
        return core::InvalidArgument("--timeout needs a positive number of milliseconds, got '" +
                                     *v + "'");
      }
      out.timeout_ms = ms;
    } else if (arg == "--parallel") {
      FLOW_VALUE(arg)
      long long n = 0;
      const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > 256) {
        return core::InvalidArgument("--parallel needs a number of suites from 1 to 256, got '" + *v + "'");
      }
      out.parallel = static_cast<int>(n);
    } else if (arg == "--input-file") {
      FLOW_VALUE(arg) out.input_file = *v;
    } else if (arg == "--input-policy") {
      FLOW_VALUE(arg)
      if (*v != "auto" && *v != "fail" && *v != "prompt") {
        return core::InvalidArgument("--input-policy must be auto, fail or prompt, got '" + *v + "'");
      }
      out.input_policy = *v;
    } else if (arg == "--runner-interactive-inputs") {
      out.runner_inputs = true;
    } else if (arg == "--no-js") {
      out.no_js = true;
    } else if (arg == "--faker-seed") {
      FLOW_VALUE(arg)
      long long n = 0;
      const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || end != v->data() + v->size() || n < 0) {
        return core::InvalidArgument("--faker-seed needs a whole number, 0 or more, got '" + *v + "'");
      }
      out.faker_seed = n;
    } else if (arg == "--faker-locale") {
      FLOW_VALUE(arg)
      if (*v != "en" && *v != "pt_BR") {
        return core::InvalidArgument("--faker-locale must be en or pt_BR, got '" + *v + "'");
      }
      out.faker_locale = *v;
    } else if (arg == "-e" || arg == "--environment") {
      FLOW_VALUE(arg) out.notes.push_back("--environment has no effect (as in the original engine)");
    } else if (arg == "--no-log") {
      out.notes.push_back("--no-log has no effect: flowtest writes no log file");
    } else if (arg == "--continue-on-failure") {
      out.continue_on_failure = true;
    } else if (arg == "--dry-run") {
      out.dry_run = true;
    } else if (arg == "--no-report") {
      out.no_report = true;
    } else if (arg == "--no-history") {
      out.no_history = true;
    } else if (arg == "--verbose") {
      out.verbosity = Verbosity::kVerbose;
    } else if (arg == "--detailed") {
      out.verbosity = Verbosity::kDetailed;
    } else if (arg == "--simple") {
      out.verbosity = Verbosity::kSimple;
    } else if (arg == "--silent") {
      out.verbosity = Verbosity::kSilent;
    } else if (arg == "-h" || arg == "--help") {
      out.help = true;
    } else if (arg == "--") {
      for (++i; i < args.size(); ++i) out.paths.push_back(args[i]);
    } else if (core::StartsWith(arg, "-") && arg.size() > 1) {
      return core::InvalidArgument("unknown option '" + arg + "'", core::DidYouMean(arg, KnownFlags()));
    } else {
      if (inline_value) arg += "=" + *inline_value;
      out.paths.push_back(arg);
    }
#undef FLOW_VALUE
  }
  return out;
}

}  // namespace flow::cli
