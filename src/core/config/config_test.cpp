#include "core/config/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/parse/document.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::core {
namespace {

Result<Config> ParseText(std::string_view text, std::string file = "flow-test.config.yml",
                         std::string_view default_name = {}) {
  Result<Document> doc = ParseDocument(text, std::move(file));
  if (!doc) return doc.error();
  return ParseConfig(*doc, default_name);
}

Config Parsed(std::string_view text) {
  Result<Config> config = ParseText(text);
  EXPECT_TRUE(config.has_value()) << (config ? "" : FormatErrorLine(config.error()));
  return config ? *config : Config{};
}

Error Failed(std::string_view text) {
  Result<Config> config = ParseText(text);
  EXPECT_FALSE(config.has_value());
  return config ? Error{} : config.error();
}

TEST(Config, DefaultsAreTheDocumentedOnes) {
  const Config c = DefaultConfig();
  EXPECT_EQ(c.project_name, "flowtest");
  EXPECT_EQ(c.test_directory, ".");
  EXPECT_TRUE(c.extra_test_directories.empty());
  EXPECT_EQ(DumpJson(c.globals.variables), "{}");
  EXPECT_TRUE(c.globals.env_files.empty());
  EXPECT_EQ(c.globals.base_url, "");
  EXPECT_EQ(c.globals.timeouts.default_ms, 30000);
  EXPECT_EQ(c.globals.timeouts.slow_tests_ms, 60000);
  EXPECT_EQ(c.discovery.patterns, (std::vector<std::string>{"**/*.yaml", "**/*.yml", "**/*.json"}));
  EXPECT_EQ(c.discovery.exclude,
            (std::vector<std::string>{"**/node_modules/**", "**/drafts/**", "**/results/**"}));
  EXPECT_TRUE(c.discovery.recursive);
  EXPECT_EQ(c.priorities.levels, (std::vector<std::string>{"critical", "high", "medium", "low"}));
  EXPECT_EQ(c.priorities.required, (std::vector<std::string>{"critical"}));
  EXPECT_TRUE(c.priorities.fail_fast_on_required);
  EXPECT_EQ(c.execution.mode, ExecutionMode::kSequential);
  EXPECT_EQ(c.execution.max_parallel, 5);
  EXPECT_EQ(c.execution.timeout_ms, 30000);
  EXPECT_FALSE(c.execution.continue_on_failure);
  EXPECT_FALSE(c.execution.retry_failed.enabled);
  EXPECT_EQ(c.execution.retry_failed.max_attempts, 3);
  EXPECT_EQ(c.execution.retry_failed.delay_ms, 1000);
  EXPECT_TRUE(c.reporting.enabled);
  EXPECT_EQ(c.reporting.formats, (std::vector<std::string>{"json"}));
  EXPECT_EQ(c.reporting.output_dir, "results");
  EXPECT_TRUE(c.reporting.html.aggregate);
  EXPECT_TRUE(c.reporting.html.per_suite);
  EXPECT_EQ(c.reporting.html.output_subdir, "html");
  EXPECT_EQ(c.interpolation.unresolved, UnresolvedPolicy::kError);
  EXPECT_TRUE(c.http.follow_redirects);
  EXPECT_EQ(c.http.max_redirects, 20);
  EXPECT_TRUE(c.http.verify_tls);
  EXPECT_EQ(c.http.user_agent, "");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_TRUE(c.ignored_keys.empty());
}

TEST(Config, SecretGlobalVariablesAreUnwrappedAndNamed) {
  const Config config = Parsed(
      "globals:\n  variables:\n    token: {value: abc, secret: true}\n    shown: {value: 1, secret: false}\n"
      "    plain: {value: 2}\n");
  EXPECT_EQ(config.globals.variables["token"], Value("abc"));
  EXPECT_EQ(config.globals.variables["shown"], Value(1));
  EXPECT_EQ(config.globals.variables["plain"], Value::parse(R"({"value": 2})"));
  EXPECT_EQ(config.globals.secret_variables, std::vector<std::string>{"token"});
  const Error e = Failed("globals:\n  variables:\n    token: {value: abc, secret: yes}\n");
  EXPECT_EQ(e.message, "'globals.variables.token.secret' must be true or false, not string 'yes'");
  EXPECT_EQ(e.pointer, "/globals/variables/token/secret");
}

TEST(Config, DefaultProjectNameComesFromTheCaller) {
  EXPECT_EQ(DefaultConfig("shop-api").project_name, "shop-api");
  EXPECT_EQ(DefaultConfig("  ").project_name, "flowtest");
  const Result<Config> config = ParseText("test_directory: tests\n", "c.yml", "my-dir");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->project_name, "my-dir");
}

TEST(Config, EmptyFileGivesDefaults) {
  const Config c = Parsed("");
  EXPECT_EQ(c.project_name, "flowtest");
  EXPECT_EQ(c.execution.timeout_ms, 30000);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(Parsed("# only a comment\n").test_directory, ".");
}

TEST(Config, ReadsEveryKey) {
  const Config c = Parsed(R"(
project_name: Shop API
test_directory: ./suites
test_directories: [more, other]
globals:
  variables:
    httpbin_url: http://localhost:8080
    retries: 3
  env_files: [.env, .env.local]
  base_url: " https://api.example.com "
discovery:
  patterns: ['**/*.test.yaml']
  exclude: []
  recursive: false
priorities:
  levels: [p0, p1, p2]
  required: [p0, p1]
  fail_fast_on_required: false
execution:
  mode: parallel
  max_parallel: 8
  timeout: 1500
  continue_on_failure: true
  retry_failed:
    enabled: true
    max_attempts: 2
    delay_ms: 0
reporting:
  enabled: false
  formats: [json, junit, html, qa]
  output_dir: out
  html:
    aggregate: false
    per_suite: false
    output_subdir: pages
interpolation:
  unresolved: literal
http:
  follow_redirects: false
  max_redirects: 0
  verify_tls: false
  user_agent: flowtest-ci
)");
  EXPECT_EQ(c.project_name, "Shop API");
  EXPECT_EQ(c.test_directory, "./suites");
  EXPECT_EQ(c.extra_test_directories, (std::vector<std::string>{"more", "other"}));
  EXPECT_EQ(DumpJson(c.globals.variables),
            R"({"httpbin_url":"http://localhost:8080","retries":3})");
  EXPECT_EQ(c.globals.env_files, (std::vector<std::string>{".env", ".env.local"}));
  EXPECT_EQ(c.globals.base_url, "https://api.example.com");
  EXPECT_EQ(c.discovery.patterns, (std::vector<std::string>{"**/*.test.yaml"}));
  EXPECT_TRUE(c.discovery.exclude.empty());
  EXPECT_FALSE(c.discovery.recursive);
  EXPECT_EQ(c.priorities.levels, (std::vector<std::string>{"p0", "p1", "p2"}));
  EXPECT_EQ(c.priorities.required, (std::vector<std::string>{"p0", "p1"}));
  EXPECT_FALSE(c.priorities.fail_fast_on_required);
  EXPECT_EQ(c.execution.mode, ExecutionMode::kParallel);
  EXPECT_EQ(c.execution.max_parallel, 8);
  EXPECT_EQ(c.execution.timeout_ms, 1500);
  EXPECT_TRUE(c.execution.continue_on_failure);
  EXPECT_TRUE(c.execution.retry_failed.enabled);
  EXPECT_EQ(c.execution.retry_failed.max_attempts, 2);
  EXPECT_EQ(c.execution.retry_failed.delay_ms, 0);
  EXPECT_FALSE(c.reporting.enabled);
  EXPECT_EQ(c.reporting.formats, (std::vector<std::string>{"json", "junit", "html", "qa"}));
  EXPECT_EQ(c.reporting.output_dir, "out");
  EXPECT_FALSE(c.reporting.html.aggregate);
  EXPECT_FALSE(c.reporting.html.per_suite);
  EXPECT_EQ(c.reporting.html.output_subdir, "pages");
  EXPECT_EQ(c.interpolation.unresolved, UnresolvedPolicy::kLiteral);
  EXPECT_FALSE(c.http.follow_redirects);
  EXPECT_EQ(c.http.max_redirects, 0);
  EXPECT_FALSE(c.http.verify_tls);
  EXPECT_EQ(c.http.user_agent, "flowtest-ci");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(Config, JsonConfigWorksToo) {
  const Result<Config> c = ParseText(
      R"({"project_name": "j", "execution": {"timeout": 2500, "mode": "sequential"},
          "reporting": {"formats": ["qa"]}})",
      "flow-test.config.json");
  ASSERT_TRUE(c.has_value()) << FormatErrorLine(c.error());
  EXPECT_EQ(c->project_name, "j");
  EXPECT_EQ(c->execution.timeout_ms, 2500);
  EXPECT_EQ(c->reporting.formats, (std::vector<std::string>{"qa"}));
}

TEST(Config, NullValuesKeepTheDefaults) {
  const Config c =
      Parsed("globals:\n  env_files:\n  variables:\nexecution:\n  timeout:\nreporting:\n");
  EXPECT_TRUE(c.globals.env_files.empty());
  EXPECT_EQ(DumpJson(c.globals.variables), "{}");
  EXPECT_EQ(c.execution.timeout_ms, 30000);
  EXPECT_EQ(c.reporting.formats, (std::vector<std::string>{"json"}));
}

TEST(Config, EmptyProjectNameKeepsTheDefault) {
  EXPECT_EQ(Parsed("project_name: ''\n").project_name, "flowtest");
}

TEST(Config, UnknownRootKeyIsAnErrorAtTheKeyWithSuggestion) {
  const Error e = Failed("project_name: x\ntest_directry: tests\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.message, "unknown key 'test_directry'");
  EXPECT_EQ(e.hint, "did you mean 'test_directory'?");
  EXPECT_EQ(e.reason, "unknown-key");
  EXPECT_EQ(e.pointer, "/test_directry");
  ASSERT_TRUE(e.where.has_value());
  EXPECT_EQ(e.where->file, "flow-test.config.yml");
  EXPECT_EQ(e.where->line, 2);
  EXPECT_EQ(e.where->column, 1);
}

TEST(Config, UnknownNestedKeyNamesItsSection) {
  const Error e = Failed("discovery:\n  patern: ['*.yaml']\n");
  EXPECT_EQ(e.message, "unknown key 'patern' in 'discovery'");
  EXPECT_EQ(e.hint, "did you mean 'patterns'?");
  EXPECT_EQ(e.pointer, "/discovery/patern");
  EXPECT_EQ(e.where->line, 2);
  EXPECT_EQ(e.where->column, 3);
}

TEST(Config, UnknownKeyFarFromAnyGivesNoHint) {
  const Error e = Failed("execution:\n  zzzzzzzz: 1\n");
  EXPECT_EQ(e.message, "unknown key 'zzzzzzzz' in 'execution'");
  EXPECT_EQ(e.hint, "");
}

TEST(Config, RootMustBeAMapping) {
  const Error e = Failed("- a\n- b\n");
  EXPECT_EQ(e.message, "the configuration must be a mapping of keys, not a list");
  EXPECT_EQ(e.reason, "wrong-type");
}

TEST(Config, SectionMustBeAMapping) {
  const Error e = Failed("execution: fast\n");
  EXPECT_EQ(e.message, "'execution' must be a mapping of keys, not string 'fast'");
  EXPECT_EQ(e.where->line, 1);
}

TEST(Config, WrongTypeNamesKeyExpectationAndValue) {
  const Error e = Failed("execution:\n  timeout: 30s\n");
  EXPECT_EQ(e.message,
            "'execution.timeout' must be a positive whole number of milliseconds, not string "
            "'30s'");
  EXPECT_EQ(e.hint, "write the number without quotes or units");
  EXPECT_EQ(e.reason, "wrong-type");
  EXPECT_EQ(e.pointer, "/execution/timeout");
  EXPECT_EQ(e.where->line, 2);
}

TEST(Config, ZeroAndNegativeTimeoutsAreRejected) {
  EXPECT_EQ(Failed("execution:\n  timeout: 0\n").message,
            "'execution.timeout' must be a positive whole number of milliseconds, not number 0");
  EXPECT_EQ(Failed("execution:\n  max_parallel: -2\n").message,
            "'execution.max_parallel' must be a positive whole number, not number -2");
  EXPECT_EQ(Failed("execution:\n  timeout: 1.5\n").message,
            "'execution.timeout' must be a positive whole number of milliseconds, not number 1.5");
}

TEST(Config, HugeIntegerIsTooLarge) {
  EXPECT_EQ(Failed("execution:\n  timeout: 99999999999\n").message,
            "'execution.timeout' is too large (at most 2147483647)");
}

TEST(Config, IntegralFloatIsAccepted) {
  EXPECT_EQ(Parsed("execution:\n  timeout: 2000.0\n").execution.timeout_ms, 2000);
}

TEST(Config, YesIsNotABoolean) {
  const Error e = Failed("execution:\n  continue_on_failure: yes\n");
  EXPECT_EQ(e.message, "'execution.continue_on_failure' must be true or false, not string 'yes'");
  EXPECT_EQ(e.hint, "YAML 1.2 reads this as text; write true or false without quotes");
}

TEST(Config, NumberWhereStringExpectedSuggestsQuotes) {
  const Error e = Failed("project_name: 2024\n");
  EXPECT_EQ(e.message, "'project_name' must be a string, not number 2024");
  EXPECT_EQ(e.hint, "put the value in quotes");
}

TEST(Config, ListElementErrorsPointAtTheElement) {
  const Error e = Failed("globals:\n  env_files:\n    - .env\n    - 42\n");
  EXPECT_EQ(e.message, "'globals.env_files[1]' must be a string, not number 42");
  EXPECT_EQ(e.pointer, "/globals/env_files/1");
  EXPECT_EQ(e.where->line, 4);
}

TEST(Config, StringWhereListExpectedSuggestsAList) {
  const Error e = Failed("globals:\n  env_files: .env\n");
  EXPECT_EQ(e.message, "'globals.env_files' must be a list of strings, not string '.env'");
  EXPECT_EQ(e.hint, "write it as a list: [.env]");
}

TEST(Config, VariablesMustBeAMapping) {
  EXPECT_EQ(Failed("globals:\n  variables: [a]\n").message,
            "'globals.variables' must be a mapping, not a list");
}

TEST(Config, InvalidModeListsTheAllowedValues) {
  const Error e = Failed("execution:\n  mode: paralel\n");
  EXPECT_EQ(e.message, "'execution.mode' must be one of sequential, parallel, not 'paralel'");
  EXPECT_EQ(e.hint, "did you mean 'parallel'?");
  EXPECT_EQ(e.reason, "invalid-value");
  EXPECT_EQ(e.where->line, 2);
}

TEST(Config, InvalidUnresolvedPolicyIsRejected) {
  EXPECT_EQ(Failed("interpolation:\n  unresolved: ignore\n").message,
            "'interpolation.unresolved' must be one of error, literal, not 'ignore'");
}

TEST(Config, InvalidReportFormatListsTheAllowedOnes) {
  const Error e = Failed("reporting:\n  formats: [json, jnuit]\n");
  EXPECT_EQ(e.message, "'reporting.formats[1]' must be one of json, html, qa, junit, not 'jnuit'");
  EXPECT_EQ(e.hint, "did you mean 'junit'?");
  EXPECT_EQ(e.pointer, "/reporting/formats/1");
}

TEST(Config, DuplicateFormatsAreDropped) {
  EXPECT_EQ(Parsed("reporting:\n  formats: [html, json, html]\n").reporting.formats,
            (std::vector<std::string>{"html", "json"}));
}

TEST(Config, EmptyFormatsMeansJsonWithAWarning) {
  const Config c = Parsed("reporting:\n  formats: []\n");
  EXPECT_EQ(c.reporting.formats, (std::vector<std::string>{"json"}));
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].message, "'reporting.formats' is empty, so the json report is written");
  EXPECT_EQ(c.warnings[0].reason, "suspicious");
  ASSERT_TRUE(c.warnings[0].where.has_value());
  EXPECT_EQ(c.warnings[0].where->line, 2);
}

TEST(Config, RequiredPriorityMustBeALevel) {
  const Error e = Failed("priorities:\n  levels: [critical, high]\n  required: [critical, hihg]\n");
  EXPECT_EQ(e.message,
            "required priority 'hihg' is not one of 'priorities.levels' (critical, high)");
  EXPECT_EQ(e.hint, "did you mean 'high'?");
  EXPECT_EQ(e.pointer, "/priorities/required/1");
  EXPECT_EQ(e.reason, "invalid-value");
  EXPECT_EQ(e.where->line, 3);
}

TEST(Config, RequiredIsCheckedAgainstDefaultLevels) {
  const Error e = Failed("priorities:\n  required: [blocker]\n");
  EXPECT_EQ(e.message,
            "required priority 'blocker' is not one of 'priorities.levels' (critical, high, "
            "medium, low), the default levels");
  EXPECT_EQ(e.hint, "add it to 'priorities.levels' or remove it here");
}

TEST(Config, RequiredMayComeBeforeLevels) {
  const Config c = Parsed("priorities:\n  required: [p1]\n  levels: [p1, p2]\n");
  EXPECT_EQ(c.priorities.required, (std::vector<std::string>{"p1"}));
}

TEST(Config, DefaultRequiredFollowsCustomLevels) {
  EXPECT_TRUE(Parsed("priorities:\n  levels: [p1, p2]\n").priorities.required.empty());
  EXPECT_EQ(Parsed("priorities:\n  levels: [low, critical]\n").priorities.required,
            (std::vector<std::string>{"critical"}));
}

TEST(Config, LevelsMustBeNonEmptyAndUnique) {
  EXPECT_EQ(Failed("priorities:\n  levels: []\n").message,
            "'priorities.levels' must name at least one level");
  const Error e = Failed("priorities:\n  levels: [a, b, a]\n");
  EXPECT_EQ(e.message, "priority level 'a' is listed twice in 'priorities.levels'");
  EXPECT_EQ(e.pointer, "/priorities/levels/2");
}

TEST(Config, BadGlobIsAnErrorAtThePattern) {
  const Error e = Failed("discovery:\n  exclude:\n    - '**/ok/**'\n    - 'tests/[abc'\n");
  EXPECT_EQ(e.message, "unclosed '[' in glob pattern 'tests/[abc'");
  EXPECT_EQ(e.pointer, "/discovery/exclude/1");
  EXPECT_EQ(e.reason, "invalid-value");
  EXPECT_EQ(e.where->line, 4);
}

TEST(Config, EmptyPatternListIsAnError) {
  const Error e = Failed("discovery:\n  patterns: []\n");
  EXPECT_EQ(e.message, "'discovery.patterns' is empty, so no suite would be found");
  EXPECT_EQ(e.hint, "remove the key to use the default patterns");
}

TEST(Config, DocumentedButIneffectiveKeysAreAcceptedWithWarnings) {
  const Config c = Parsed(R"(globals:
  max_scenario_nesting_depth: 3
  use_strategy_pattern: true
  timeouts:
    default: 60000
    slow_tests: 120000
reporting:
  aggregate: true
  include_performance_metrics: true
  include_variables_state: false
)");
  EXPECT_EQ(c.ignored_keys,
            (std::vector<std::string>{
                "globals.max_scenario_nesting_depth", "globals.use_strategy_pattern",
                "globals.timeouts", "reporting.aggregate", "reporting.include_performance_metrics",
                "reporting.include_variables_state"}));
  ASSERT_EQ(c.warnings.size(), 6u);
  EXPECT_EQ(c.warnings[0].message, "'globals.max_scenario_nesting_depth' has no effect");
  EXPECT_EQ(c.warnings[0].reason, "no-effect");
  ASSERT_TRUE(c.warnings[0].where.has_value());
  EXPECT_EQ(c.warnings[0].where->line, 2);
  EXPECT_EQ(c.warnings[0].where->column, 3);
  EXPECT_EQ(c.warnings[2].message, "'globals.timeouts' has no effect");
  EXPECT_EQ(c.warnings[2].hint, "the request timeout is 'execution.timeout'");
  EXPECT_EQ(c.globals.timeouts.default_ms, 60000);
  EXPECT_EQ(c.globals.timeouts.slow_tests_ms, 120000);
}

TEST(Config, CertificatesByDomainAreParsedInOrder) {
  const Config c = Parsed(R"(globals:
  certificates:
    - name: internal
      domains: ["*.internal.example.com", api.local]
      cert_path: certs/client.pem
      key_path: certs/client.key
      passphrase: secret
      ca_path: certs/ca.pem
      min_version: tlsv1.2
      max_version: TLSv1.3
    - domains: [legacy.example.com]
      pfx_path: legacy.p12
      verify: false
)");
  ASSERT_EQ(c.globals.certificates.size(), 2u);
  const DomainCertificate& first = c.globals.certificates[0];
  EXPECT_EQ(first.name, "internal");
  EXPECT_EQ(first.domains, (std::vector<std::string>{"*.internal.example.com", "api.local"}));
  EXPECT_EQ(DumpJson(first.certificate),
            R"({"cert_path":"certs/client.pem","key_path":"certs/client.key",)"
            R"("passphrase":"secret","ca_path":"certs/ca.pem","min_version":"TLSv1.2",)"
            R"("max_version":"TLSv1.3"})");
  EXPECT_EQ(DumpJson(c.globals.certificates[1].certificate),
            R"({"pfx_path":"legacy.p12","verify":false})");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(CertificateForHost(c.globals.certificates, "db.internal.example.com"),
            first.certificate);
}

TEST(Config, CertificateErrorsPointAtTheEntry) {
  Error e = Failed("globals:\n  certificates: {name: x}\n");
  EXPECT_EQ(e.message, "'globals.certificates' must be a list of certificates, not a mapping");
  EXPECT_EQ(e.reason, "wrong-type");

  e = Failed("globals:\n  certificates:\n    - name: a\n      cert_path: c.pem\n");
  EXPECT_EQ(e.message, "certificate 'a' names no domains");
  EXPECT_EQ(e.pointer, "/globals/certificates/0");

  e = Failed("globals:\n  certificates:\n    - domains: []\n      cert_path: c.pem\n");
  EXPECT_EQ(e.message, "certificate 'globals.certificates[0]' names no domains");
  EXPECT_EQ(e.pointer, "/globals/certificates/0/domains");

  e = Failed("globals:\n  certificates:\n    - domains: [ok.com, 'https://api.com']\n");
  EXPECT_EQ(e.message, "domain 'https://api.com' is a url, not a host name");
  EXPECT_EQ(e.pointer, "/globals/certificates/0/domains/1");
  EXPECT_EQ(e.where->line, 3);

  e = Failed("globals:\n  certificates:\n    - domains: ['api.*.com']\n      ca_path: ca\n");
  EXPECT_EQ(e.message, "domain 'api.*.com' has a '*' that is not the whole first label");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      cert_pth: c.pem\n");
  EXPECT_EQ(e.message, "unknown key 'cert_pth' in 'globals.certificates[0]'");
  EXPECT_EQ(e.hint, "did you mean 'cert_path'?");

  e = Failed(
      "globals:\n  certificates:\n    - domains: [a.com]\n      pfx_path: p\n      cert_path: "
      "c\n");
  EXPECT_EQ(e.message,
            "certificate 'globals.certificates[0]' has both pfx_path and cert_path/key_path");
  EXPECT_EQ(e.pointer, "/globals/certificates/0/pfx_path");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      key_path: k\n");
  EXPECT_EQ(e.message, "certificate 'globals.certificates[0]' has a key_path but no cert_path");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      passphrase: p\n");
  EXPECT_EQ(e.message, "certificate 'globals.certificates[0]' sets nothing to use");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      min_version: ssl3\n");
  EXPECT_EQ(e.message,
            "'globals.certificates[0].min_version' must be one of TLSv1, TLSv1.1, TLSv1.2, "
            "TLSv1.3, not string 'ssl3'");
  EXPECT_EQ(e.reason, "invalid-value");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      verify: 'no'\n");
  EXPECT_EQ(e.message, "'globals.certificates[0].verify' must be true or false, not string 'no'");

  e = Failed("globals:\n  certificates:\n    - domains: [a.com]\n      ca_path: 3\n");
  EXPECT_EQ(e.message, "'globals.certificates[0].ca_path' must be a string, not number 3");
}

TEST(Config, CookiesAreOnByDefaultAndCanBeTurnedOff) {
  EXPECT_TRUE(DefaultConfig().http.cookies);
  EXPECT_FALSE(Parsed("http:\n  cookies: false\n").http.cookies);
  const Error e = Failed("http:\n  cookies: off\n");
  EXPECT_EQ(e.message, "'http.cookies' must be true or false, not string 'off'");
  EXPECT_EQ(e.pointer, "/http/cookies");
}

TEST(Config, TimeoutsAreStillTypeChecked) {
  EXPECT_EQ(Failed("globals:\n  timeouts:\n    default: soon\n").message,
            "'globals.timeouts.default' must be a positive whole number of milliseconds, not "
            "string 'soon'");
  EXPECT_EQ(Failed("globals:\n  timeouts:\n    fast: 1\n").message,
            "unknown key 'fast' in 'globals.timeouts'");
}

TEST(Config, SingleFileModeDirectoryKeysAreCollected) {
  const Config c =
      Parsed("testDirectory: a\ntestDirectories: [b]\ntests:\n  directories: [c, d]\n");
  EXPECT_EQ(c.extra_test_directories, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_TRUE(c.warnings.empty());
}

TEST(Config, EmptyDirectoryIsRejected) {
  EXPECT_EQ(Failed("test_directory: ' '\n").message, "'test_directory' must not be empty");
  EXPECT_EQ(Failed("reporting:\n  output_dir: ''\n").message,
            "'reporting.output_dir' must not be empty");
}

TEST(Config, NamesAreSpelledOut) {
  EXPECT_EQ(ExecutionModeName(ExecutionMode::kParallel), "parallel");
  EXPECT_EQ(ExecutionModeName(ExecutionMode::kSequential), "sequential");
  EXPECT_EQ(UnresolvedPolicyName(UnresolvedPolicy::kError), "error");
  EXPECT_EQ(UnresolvedPolicyName(UnresolvedPolicy::kLiteral), "literal");
}

TEST(Config, OriginalRepositoryConfigLoadsWithoutErrors) {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  const std::string path =
      std::string(shared ? shared : "") + "/conformance/original-suites/flow-test.config.yml";
  std::ifstream in(path, std::ios::binary);
  if (!shared || !in) {
    FLOW_SKIP_OR_FAIL_MISSING_SHARED("no original config at '" + path + "' (FLOW_SHARED_DIR)");
  }
  std::stringstream text;
  text << in.rdbuf();
  const Result<Config> c = ParseText(text.str(), "flow-test.config.yml");
  ASSERT_TRUE(c.has_value()) << FormatErrorLine(c.error());
  EXPECT_EQ(c->project_name, "Flow Test Demo Project");
  EXPECT_EQ(c->test_directory, "./");
  EXPECT_EQ(c->globals.env_files, (std::vector<std::string>{".env", ".env.local"}));
  EXPECT_EQ(c->globals.variables["httpbin_url"].get<std::string>(), "http://localhost:8080");
  EXPECT_EQ(c->discovery.patterns.size(), 6u);
  EXPECT_EQ(c->discovery.exclude.size(), 9u);
  EXPECT_EQ(c->priorities.required, (std::vector<std::string>{"critical", "high"}));
  EXPECT_FALSE(c->priorities.fail_fast_on_required);
  EXPECT_EQ(c->execution.max_parallel, 3);
  EXPECT_EQ(c->execution.timeout_ms, 60000);
  EXPECT_TRUE(c->execution.continue_on_failure);
  EXPECT_EQ(c->execution.retry_failed.max_attempts, 2);
  EXPECT_EQ(c->execution.retry_failed.delay_ms, 2000);
  EXPECT_EQ(c->reporting.formats, (std::vector<std::string>{"json", "html", "qa"}));
  EXPECT_EQ(c->reporting.output_dir, "./results");
  EXPECT_EQ(c->ignored_keys, (std::vector<std::string>{"globals.timeouts", "reporting.aggregate",
                                                       "reporting.include_performance_metrics",
                                                       "reporting.include_variables_state"}));
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(Config, JavaScriptAndFakerSections) {
  const Config defaults = DefaultConfig();
  EXPECT_TRUE(defaults.javascript.enabled);
  EXPECT_EQ(defaults.javascript.cpu_ms, 1000);
  EXPECT_EQ(defaults.faker.locale, "en");
  EXPECT_FALSE(defaults.faker.seed.has_value());
  const Config c = Parsed(
      "javascript:\n  enabled: false\n  cpu_ms: 250\n  memory_mb: 32\n  max_helpers: 3\n"
      "faker:\n  locale: pt_BR\n  seed: 42\n");
  EXPECT_FALSE(c.javascript.enabled);
  EXPECT_EQ(c.javascript.cpu_ms, 250);
  EXPECT_EQ(c.javascript.memory_mb, 32);
  EXPECT_EQ(c.javascript.max_helpers, 3);
  EXPECT_EQ(c.faker.locale, "pt_BR");
  EXPECT_EQ(c.faker.seed, 42);
}

TEST(Config, JavaScriptAndFakerValuesAreChecked) {
  Result<Config> locale = ParseText("faker:\n  locale: fr\n");
  ASSERT_FALSE(locale);
  EXPECT_NE(locale.error().message.find("faker.locale"), std::string::npos) << locale.error().message;
  EXPECT_EQ(locale.error().where->line, 2);
  Result<Config> cpu = ParseText("javascript:\n  cpu_ms: 0\n");
  ASSERT_FALSE(cpu);
  EXPECT_NE(cpu.error().message.find("javascript.cpu_ms"), std::string::npos);
  Result<Config> unknown = ParseText("javascript:\n  enable: false\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().hint.find("enabled"), std::string::npos) << unknown.error().hint;
}

}  // namespace
}  // namespace flow::core
