#include "cli/run_args.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>

#include "cli/arg_cursor.hpp"
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
bool IsOptionalValue(const std::string& next) {
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

using Apply = std::function<core::Result<void>(const std::string& value, RunArgs& out)>;

// An option that takes a value: its names and what the value sets (or why it is refused).
struct ValueOption {
  std::vector<std::string_view> names;
  Apply apply;
};

template <typename Field>
Apply Store(Field RunArgs::*field) {
  return [field](const std::string& value, RunArgs& out) {
    out.*field = value;
    return core::Ok();
  };
}

Apply AppendTo(std::vector<std::string> RunArgs::*field) {
  return [field](const std::string& value, RunArgs& out) {
    Append(out.*field, value);
    return core::Ok();
  };
}

// One of `choices`; anything else is refused with "<refusal>, got '<value>'".
template <typename Field>
Apply OneOf(Field RunArgs::*field, std::vector<std::string> choices, std::string refusal) {
  return [field, choices = std::move(choices), refusal = std::move(refusal)](
             const std::string& value, RunArgs& out) -> core::Result<void> {
    if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
      return core::InvalidArgument(refusal + ", got '" + value + "'");
    }
    out.*field = value;
    return core::Ok();
  };
}

// A whole number from `min` to `max`; anything else is refused with "<refusal>, got '<value>'".
template <typename Number>
Apply WholeNumber(std::optional<Number> RunArgs::*field, long long min, long long max,
                  std::string refusal) {
  return [=](const std::string& value, RunArgs& out) -> core::Result<void> {
    long long n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < min || n > max) {
      return core::InvalidArgument(refusal + ", got '" + value + "'");
    }
    out.*field = static_cast<Number>(n);
    return core::Ok();
  };
}

constexpr long long kNoLimit = std::numeric_limits<long long>::max();

const std::vector<ValueOption>& ValueOptions() {
  static const std::vector<ValueOption> options = {
      {{"-c", "--config"}, Store(&RunArgs::config)},
      {{"-d", "--directory"}, Store(&RunArgs::directory)},
      {{"--suite"}, AppendTo(&RunArgs::suites)},
      {{"--node"}, AppendTo(&RunArgs::nodes)},
      {{"--tag", "--tags"}, AppendTo(&RunArgs::tags)},
      {{"--priority"}, AppendTo(&RunArgs::priorities)},
      {{"--step", "--step-id"}, AppendTo(&RunArgs::steps)},
      {{"-f", "--format"}, AppendTo(&RunArgs::formats)},
      {{"--output-dir"}, Store(&RunArgs::output_dir)},
      {{"--database"}, Store(&RunArgs::database)},
      {{"--input-file"}, Store(&RunArgs::input_file)},
      {{"--secret"},
       [](const std::string& v, RunArgs& out) -> core::Result<void> {
         const std::size_t eq = v.find('=');
         const std::string name = v.substr(0, eq);
         if (name.empty() || name.find_first_of(" \t.{}") != std::string::npos) {
           return core::InvalidArgument(
               "--secret needs NAME=VALUE or NAME (a variable name), got '" +
               v.substr(0, std::min<std::size_t>(eq, 40)) + "'");
         }
         out.secrets.emplace_back(
             name, eq == std::string::npos ? std::nullopt : std::optional(v.substr(eq + 1)));
         return core::Ok();
       }},
      {{"--color"},
       OneOf(&RunArgs::color, {"auto", "always", "never"},
             "--color must be auto, always or never")},
      {{"--connect-to"},
       [](const std::string& v, RunArgs& out) -> core::Result<void> {
         if (std::count(v.begin(), v.end(), ':') < 3) {
           return core::InvalidArgument(
               "--connect-to needs HOST:PORT:CONNECT-HOST:CONNECT-PORT, got '" + v + "'");
         }
         out.connect_to.push_back(v);
         return core::Ok();
       }},
      {{"--unresolved"},
       OneOf(&RunArgs::unresolved, {"error", "literal"},
             "--unresolved must be 'error' or 'literal'")},
      {{"--timeout"},
       WholeNumber(&RunArgs::timeout_ms, 1, kNoLimit,
                   "--timeout needs a positive number of milliseconds")},
      {{"--parallel"},
       WholeNumber(&RunArgs::parallel, 1, 256,
                   "--parallel needs a number of suites from 1 to 256")},
      {{"--input-policy"},
       OneOf(&RunArgs::input_policy, {"auto", "fail", "prompt"},
             "--input-policy must be auto, fail or prompt")},
      {{"--faker-seed"},
       WholeNumber(&RunArgs::faker_seed, 0, kNoLimit,
                   "--faker-seed needs a whole number, 0 or more")},
      {{"--faker-locale"},
       OneOf(&RunArgs::faker_locale, {"en", "pt_BR"}, "--faker-locale must be en or pt_BR")},
      {{"-e", "--environment"},
       [](const std::string&, RunArgs& out) {
         out.notes.push_back("--environment has no effect (as in the original engine)");
         return core::Ok();
       }},
  };
  return options;
}

const ValueOption* FindValueOption(const std::string& name) {
  for (const ValueOption& option : ValueOptions()) {
    if (std::find(option.names.begin(), option.names.end(), name) != option.names.end()) {
      return &option;
    }
  }
  return nullptr;
}

// Applies the switch `name`; false when there is no such switch.
bool ApplySwitch(const std::string& name, RunArgs& out) {
  if (name == "--runner-interactive-inputs") {
    out.runner_inputs = true;
  } else if (name == "--no-js") {
    out.no_js = true;
  } else if (name == "--no-log") {
    out.notes.push_back("--no-log has no effect: flowtest writes no log file");
  } else if (name == "--continue-on-failure") {
    out.continue_on_failure = true;
  } else if (name == "--dry-run") {
    out.dry_run = true;
  } else if (name == "--no-report") {
    out.no_report = true;
  } else if (name == "--no-history") {
    out.no_history = true;
  } else if (name == "--verbose") {
    out.verbosity = Verbosity::kVerbose;
  } else if (name == "--detailed") {
    out.verbosity = Verbosity::kDetailed;
  } else if (name == "--simple") {
    out.verbosity = Verbosity::kSimple;
  } else if (name == "--silent") {
    out.verbosity = Verbosity::kSilent;
  } else if (name == "-h" || name == "--help") {
    out.help = true;
  } else {
    return false;
  }
  return true;
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
  // As always: a switch ignores a value given after '=' ("--dry-run=1").
  ArgCursor cursor(args);
  while (cursor.Next()) {
    if (cursor.IsPositional()) {
      out.paths.push_back(cursor.positional());
    } else if (cursor.Is("--")) {
      // "--=x" is read as "--": the rest are paths, taken as they are.
      for (std::string& path : cursor.Rest()) out.paths.push_back(std::move(path));
    } else if (cursor.Is("--html-output") || cursor.Is("--live-events")) {
      (cursor.Is("--html-output") ? out.html_output : out.live_events) =
          cursor.OptionalValue(IsOptionalValue).value_or("");
    } else if (const ValueOption* option = FindValueOption(cursor.option())) {
      core::Result<std::string> value = cursor.Value();
      if (!value) return std::move(value).error();
      FLOW_TRY_VOID(option->apply(*value, out));
    } else if (!ApplySwitch(cursor.option(), out)) {
      return cursor.Unknown(KnownFlags());
    }
  }
  return out;
}

}  // namespace flow::cli
