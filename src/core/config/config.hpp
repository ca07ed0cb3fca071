// Config: the project configuration `flow-test.config.yml` (the original engine's format, its
// bugs fixed), validated. Plain value; ParseConfig builds it from a parsed Document and never
// touches files (the CLI's config_loader finds and reads the file). Thread-compatible.
//
// Every key, its type and default. All keys are optional; a key with nothing after it (`key:`,
// i.e. null) keeps its default; "no effect" keys are accepted and give a warning in
// Config::warnings; any other unknown key is an error:
//
//   project_name: string                 directory of the config file (as given by the caller),
//                                        else "flowtest"; used in report names. The original
//                                        requires it.
//   test_directory: string               "." ; where suites are searched when no path is given.
//                                        (original: "./tests")
//   test_directories / testDirectories / testDirectory: string or [string], tests.directories:
//                                        [string]   -> extra_test_directories: more roots searched
//                                        for the dependencies of a suite run on its own (the
//                                        original's single-file mode reads these keys).
//   globals:
//     variables: mapping                 {}  ; global variables ({{name}}); not interpolated.
//     env_files: [string]                []  ; dotenv files loaded in order before the run.
//     base_url: string                   ""  ; base URL of every suite that has none (the
//                                        original ignores it).
//     timeouts: {default, slow_tests}    30000 / 60000 ms; no effect (as in the original): the
//                                        request timeout is execution.timeout.
//     certificates: [mapping]            [] ; client certificates by host (the original drops
//                                        them), used for a request when neither it nor its suite
//                                        has a `certificate`: the first entry one of whose
//                                        domains matches the URL's host. Each entry:
//       name: string                     "" ; shown in messages.
//       domains: [string]                required, non-empty: "api.local" (that host) or
//                                        "*.example.com" (exactly one more label).
//       cert_path, key_path: string      PEM certificate and key; or
//       pfx_path: string                 a PKCS#12 bundle (not with cert_path/key_path).
//       passphrase, ca_path: string
//       verify: bool                     http.verify_tls ; verify the server's certificate.
//       min_version, max_version:        TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 (any case).
//                                        An entry needs cert_path, pfx_path, ca_path or verify.
//                                        Paths are used as written (relative: to the directory
//                                        flowtest runs in, as in the original).
//     max_scenario_nesting_depth, use_strategy_pattern: no effect.
//   discovery:
//     patterns: [glob]                   ["**/*.yaml", "**/*.yml", "**/*.json"] (the original:
//                                        "**/*.test.yml", "**/*.test.yaml" only); relative to
//                                        the searched directory. A list replaces the default.
//     exclude: [glob]                    ["**/node_modules/**", "**/drafts/**", "**/results/**"];
//                                        a list replaces the default.
//     recursive: bool                    true ; false: only files directly in the directory.
//   priorities:
//     levels: [string]                   [critical, high, medium, low]; non-empty, no duplicates;
//                                        the order gives the weights.
//     required: [string]                 [critical] (or [] when levels lack "critical"); each
//                                        must be one of levels. A failure at one of these
//                                        levels stops the run...
//     fail_fast_on_required: bool        true ; ...unless this is false (the original always
//                                        stops).
//   execution:
//     mode: sequential | parallel        sequential
//     max_parallel: integer > 0          5 ; suites at a time in parallel mode.
//     timeout: integer > 0               30000 ; HTTP timeout per request, in ms.
//     continue_on_failure: bool          false ; true: a failed step does not stop its suite.
//     retry_failed:
//       enabled: bool                    false
//       max_attempts: integer > 0        3
//       delay_ms: integer >= 0           1000
//   reporting:
//     enabled: bool                      true ; false: no report files.
//     formats: [json|html|qa|junit]      [json]; duplicates dropped; an empty list means [json]
//                                        (warning).
//     output_dir: string                 "results"
//     html:
//       aggregate: bool                  true ; write the aggregated HTML report.
//       per_suite: bool                  true ; write one HTML page per suite.
//       output_subdir: string            "html" ; below output_dir.
//     aggregate, include_performance_metrics, include_variables_state: bool; no effect.
//   Our additions (not in the original):
//   interpolation:
//     unresolved: error | literal        error ; an unknown {{name}} fails the step, or (literal,
//                                        the original's behaviour) is sent as written.
//   http:
//     follow_redirects: bool             true
//     max_redirects: integer >= 0        20
//     verify_tls: bool                   true ; false accepts any server certificate.
//     user_agent: string                 "" ; empty: the HTTP client's own User-Agent.
//     cookies: bool                      true ; keep a cookie jar per suite: Set-Cookie of
//                                        every response (and redirect hop) is stored and sent
//                                        back (RFC 6265). false: only Cookie headers written in
//                                        the suite are sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model/http.hpp"
#include "core/result.hpp"
#include "core/template/unresolved_policy.hpp"
#include "core/value.hpp"

namespace flow::core {

struct Document;

enum class ExecutionMode { kSequential, kParallel };

// The report formats reporting.formats accepts, in the order reports are written.
inline constexpr std::string_view kReportFormats[] = {"json", "html", "qa", "junit"};

struct TimeoutsConfig {
  std::int64_t default_ms = 30'000;
  std::int64_t slow_tests_ms = 60'000;
};

struct GlobalsConfig {
  // Each variable's value; one written `{value: V, secret: true|false}` is V here.
  Value variables = Value::object();
  // Variables written `{value: V, secret: true}`: names whose values every output masks.
  std::vector<std::string> secret_variables;
  std::vector<std::string> env_files;  // as written; config_loader resolves them
  std::string base_url;                // "" = none
  TimeoutsConfig timeouts;             // no effect (see above)
  // Client certificates by domain, in file order. Each `certificate` holds the keys given
  // (cert_path, key_path, pfx_path, passphrase, ca_path, verify, min_version, max_version), as
  // a request's `certificate` map would.
  std::vector<DomainCertificate> certificates;
};

struct DiscoveryConfig {
  std::vector<std::string> patterns = {"**/*.yaml", "**/*.yml", "**/*.json"};
  std::vector<std::string> exclude = {"**/node_modules/**", "**/drafts/**", "**/results/**"};
  bool recursive = true;
};

struct PrioritiesConfig {
  std::vector<std::string> levels = {"critical", "high", "medium", "low"};
  std::vector<std::string> required = {"critical"};
  bool fail_fast_on_required = true;
};

struct RetryFailedConfig {
  bool enabled = false;
  int max_attempts = 3;
  std::int64_t delay_ms = 1'000;
};

struct ExecutionConfig {
  ExecutionMode mode = ExecutionMode::kSequential;
  int max_parallel = 5;
  std::int64_t timeout_ms = 30'000;
  bool continue_on_failure = false;
  RetryFailedConfig retry_failed;
};

struct HtmlReportConfig {
  bool aggregate = true;
  bool per_suite = true;
  std::string output_subdir = "html";
};

struct ReportingConfig {
  bool enabled = true;
  std::vector<std::string> formats = {"json"};  // each one of kReportFormats, no duplicates
  std::string output_dir = "results";
  HtmlReportConfig html;
};

struct InterpolationConfig {
  UnresolvedPolicy unresolved = UnresolvedPolicy::kError;
};

struct HttpConfig {
  bool follow_redirects = true;
  int max_redirects = 20;
  bool verify_tls = true;
  std::string user_agent;  // "" = the client's default
  bool cookies = true;     // a cookie jar per suite
};

// `javascript`: the sandbox that runs JavaScript expressions, scripts and faker.
struct JavaScriptConfig {
  bool enabled = true;   // false: every JavaScript or faker use in a suite is a load error
  int cpu_ms = 1000;     // budget of one expression, condition, assertion or hook script
  int memory_mb = 64;    // heap growth allowed during one evaluation
  int max_helpers = 0;   // sandbox helper processes at most; 0: one per parallel suite + 1
};

// `faker`: the data of {{$faker.…}} and faker in scripts.
struct FakerConfig {
  std::string locale = "en";         // "en" or "pt_BR"
  std::optional<std::int64_t> seed;  // reproducible values when set
};

struct Config {
  std::string project_name = "flowtest";
  std::string test_directory = ".";
  std::vector<std::string> extra_test_directories;
  GlobalsConfig globals;
  DiscoveryConfig discovery;
  PrioritiesConfig priorities;
  ExecutionConfig execution;
  ReportingConfig reporting;
  InterpolationConfig interpolation;
  HttpConfig http;
  JavaScriptConfig javascript;
  FakerConfig faker;

  // Dotted names of the keys present in the file that have no effect ("globals.timeouts",
  // "reporting.aggregate", ...), in file order; each also has a warning below.
  std::vector<std::string> ignored_keys;
  // Problems that do not stop loading, each with `where` set (reason "no-effect" or
  // "suspicious").
  std::vector<Error> warnings;
};

// The defaults, with `project_name` = `default_project_name` when it is not empty.
Config DefaultConfig(std::string_view default_project_name = {});

// Validates `doc` (whose root may be null for an empty file) and builds the Config; keys that are
// absent keep the defaults above. Errors are kInvalidArgument, located with doc.WhereKey /
// WhereValue, `pointer` set to the JSON pointer at fault, and `reason` one of: "unknown-key"
// (hint: did you mean...), "wrong-type", "invalid-value" (an enum value outside the allowed
// ones, which the message lists; required not in levels; a bad glob).
Result<Config> ParseConfig(const Document& doc, std::string_view default_project_name = {});

std::string_view ExecutionModeName(ExecutionMode mode);          // "sequential" / "parallel"
std::string_view UnresolvedPolicyName(UnresolvedPolicy policy);  // "error" / "literal"

}  // namespace flow::core
