// Arguments of `flowtest run` (and of the original's `fest` invocation, which takes the same
// flags without the command word). Pure parsing; no files are touched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/console_reporter.hpp"
#include "core/result.hpp"

namespace flow::cli {

struct RunArgs {
  std::vector<std::string> paths;       // files or directories; empty: the config's test_directory
  std::optional<std::string> config;    // -c/--config
  std::optional<std::string> directory; // -d/--directory: overrides test_directory
  std::vector<std::string> suites;      // --suite
  std::vector<std::string> nodes;       // --node
  std::vector<std::string> tags;        // --tag/--tags
  std::vector<std::string> priorities;  // --priority
  std::vector<std::string> steps;       // --step/--step-id
  std::vector<std::string> formats;     // -f/--format: added to the config's formats
  std::optional<std::string> output_dir;
  std::optional<std::string> html_output;   // --html-output [SUBDIR]: html on; "" = config's subdir
  std::optional<std::string> live_events;   // --live-events [FILE]: "" = <output_dir>/live-events.jsonl
  std::string color = "auto";               // --color auto|always|never
  // --secret NAME=VALUE (a global variable whose value is masked everywhere) or --secret NAME
  // (its value from the environment variable NAME); in order.
  std::vector<std::pair<std::string, std::optional<std::string>>> secrets;
  std::vector<std::string> connect_to;  // --connect-to HOST:PORT:HOST2:PORT2
  std::optional<std::string> unresolved;  // --unresolved error|literal
  std::optional<long long> timeout_ms;  // --timeout
  std::optional<int> parallel;          // --parallel N
  std::optional<std::string> input_file;    // --input-file
  std::optional<std::string> input_policy;  // --input-policy auto|fail|prompt
  bool runner_inputs = false;           // --runner-interactive-inputs
  bool no_js = false;                   // --no-js: JavaScript and faker are load errors
  std::optional<std::int64_t> faker_seed;   // --faker-seed N
  std::optional<std::string> faker_locale;  // --faker-locale en|pt_BR
  bool continue_on_failure = false;
  bool dry_run = false;
  bool no_report = false;
  bool no_history = false;                  // --no-history: record nothing
  std::optional<std::string> database;      // --database URL: where the history goes
  bool help = false;
  Verbosity verbosity = Verbosity::kSimple;
  std::vector<std::string> notes;       // accepted flags that have no effect, for a warning
};

// Errors are usage errors (exit code 2): unknown flags (with "did you mean"), missing values.
core::Result<RunArgs> ParseRunArgs(const std::vector<std::string>& args);

const char* RunUsage();

}  // namespace flow::cli
