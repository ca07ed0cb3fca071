// Every suite of the original engine (../shared/conformance/original-suites: examples/ and
// tests/) runs against a local httpbin, as the original was measured (single-file runs,
// FLOW_TEST_AUTO_INPUT=true). Each file has an expected verdict; docs/compatibility.md lists the
// same table with the reasons. The test fails when a suite listed as passing fails, when a listed
// failure passes or fails for another reason, or when a file is not listed at all.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::testing {
namespace {

enum class Verdict {
  kPasses,
  kNeedsCaller,      // a helper suite for `call`: alone it lacks its caller's variables
  kNeedsInternet,    // calls a public host (the tests run offline, on loopback only)
  kSuiteBug,         // the suite is wrong; the original checked nothing and passed
};

struct Expectation {
  Verdict verdict;
  std::string text;  // must appear in the output of a failing suite
};

const std::map<std::string, Expectation>& Expected() {
  static const std::map<std::string, Expectation> table = {
      {"examples/advanced/conditional-logic.json", {Verdict::kPasses, ""}},
      {"examples/advanced/conditional-logic.yaml", {Verdict::kPasses, ""}},
      {"examples/basic/simple-auth.json", {Verdict::kPasses, ""}},
      {"examples/basic/simple-auth.yaml", {Verdict::kPasses, ""}},
      {"examples/basic/simple-get.json", {Verdict::kPasses, ""}},
      {"examples/basic/simple-get.yaml", {Verdict::kPasses, ""}},
      {"examples/basic/simple-post.json", {Verdict::kPasses, ""}},
      {"examples/basic/simple-post.yaml", {Verdict::kPasses, ""}},
      {"examples/basic/simple-variables.json", {Verdict::kPasses, ""}},
      {"examples/basic/simple-variables.yaml", {Verdict::kPasses, ""}},
      {"examples/intermediate/auth-flow.json", {Verdict::kPasses, ""}},
      {"examples/intermediate/auth-flow.yaml", {Verdict::kPasses, ""}},
      {"examples/intermediate/crud-operations.json", {Verdict::kPasses, ""}},
      {"examples/intermediate/crud-operations.yaml", {Verdict::kPasses, ""}},
      {"examples/intermediate/data-validation.yaml", {Verdict::kPasses, ""}},
      {"examples/intermediate/error-handling.yaml", {Verdict::kSuiteBug, "timeout after 1000 ms"}},
      {"examples/patterns/deterministic-parser.yaml", {Verdict::kSuiteBug, "unknown variable 'name'"}},
      {"examples/patterns/dynamic-data.yaml", {Verdict::kSuiteBug, "faker method 'company.suffix' does not exist"}},
      {"examples/patterns/retry-patterns.yaml", {Verdict::kPasses, ""}},
      {"tests/advanced-assertions-comprehensive-test.yaml", {Verdict::kSuiteBug, "failed body.json.long_text.length.min"}},
      {"tests/advanced-retry-patterns-test.yaml", {Verdict::kPasses, ""}},
      {"tests/advanced-scenarios-test.yaml", {Verdict::kPasses, ""}},
      {"tests/array-filtering-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/assertions-demo.yaml", {Verdict::kPasses, ""}},
      {"tests/auth-flows-test.yaml", {Verdict::kSuiteBug, "failed body.json.grant_type.equals"}},
      {"tests/call-alias-helper.yaml", {Verdict::kNeedsCaller, "unknown variable 'input_value'"}},
      {"tests/call-alias-isolated.yaml", {Verdict::kPasses, ""}},
      {"tests/call-alias-test.yaml", {Verdict::kPasses, ""}},
      {"tests/cli-comprehensive-test.yaml", {Verdict::kPasses, ""}},
      {"tests/complex-conditional-scenarios.yaml", {Verdict::kSuiteBug, "unknown variable 'registered_features'"}},
      {"tests/comprehensive-basic-test.yaml", {Verdict::kPasses, ""}},
      {"tests/data-formatting-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/debug-introspection-test.yaml", {Verdict::kSuiteBug, "unquoted template '{{total_variables_tested}}' was read by YAML as a mapping"}},
      {"tests/demo-timing-waterfall.yaml", {Verdict::kPasses, ""}},
      {"tests/dependency-comprehensive-test.yaml", {Verdict::kSuiteBug, "unknown variable 'auth_token'"}},
      {"tests/dependency-edge-cases.yaml", {Verdict::kPasses, ""}},
      {"tests/dependency-setup-flow.yaml", {Verdict::kPasses, ""}},
      {"tests/environment-variables-test.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/auth-setup-demo.yaml", {Verdict::kNeedsCaller, "unknown variable 'username'"}},
      {"tests/examples/hooks-pre-post-call-demo.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/skip-condition-example.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/skip-test-fixes.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/syntax-showcase.yaml", {Verdict::kSuiteBug, "javascript: unbalanced '}'"}},
      {"tests/faker-comprehensive-test.yaml", {Verdict::kSuiteBug, "unknown variable 'domain_name'"}},
      {"tests/faker-demo.yaml", {Verdict::kPasses, ""}},
      {"tests/file-upload-multipart-comprehensive-test.yaml", {Verdict::kPasses, ""}},
      {"tests/file-upload-test.yaml", {Verdict::kSuiteBug, "failed body.json.operation.equals"}},
      {"tests/hooks-example.yaml", {Verdict::kNeedsInternet, "could not resolve host 'dummyjson.com'"}},
      {"tests/input-capture-advanced-test.yaml", {Verdict::kPasses, ""}},
      {"tests/input-capture-jmespath-test.yaml", {Verdict::kPasses, ""}},
      {"tests/input-capture-test.yaml", {Verdict::kPasses, ""}},
      {"tests/interactive-input-examples.yaml", {Verdict::kSuiteBug, "unknown variable 'action_reason'"}},
      {"tests/iteration-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/javascript-expressions-test.yaml", {Verdict::kPasses, ""}},
      {"tests/logging-system-test.yaml", {Verdict::kSuiteBug, "multipart field 'upload_metadata' must be"}},
      {"tests/meu-primeiro-test.yaml", {Verdict::kSuiteBug, "unknown variable 'auth_token'"}},
      {"tests/nested-steps-example.yaml", {Verdict::kPasses, ""}},
      {"tests/parallel-execution-test.yaml", {Verdict::kPasses, ""}},
      {"tests/performance-test.yaml", {Verdict::kPasses, ""}},
      {"tests/retry-logic-comprehensive-test.yaml", {Verdict::kPasses, ""}},
      {"tests/scenario-test.yaml", {Verdict::kPasses, ""}},
      {"tests/sequential-vs-parallel-execution-test.yaml", {Verdict::kPasses, ""}},
      {"tests/skip-timing-example.yaml", {Verdict::kPasses, ""}},
      {"tests/start-flow.json", {Verdict::kPasses, ""}},
      {"tests/start-flow.yaml", {Verdict::kPasses, ""}},
      {"tests/tag-filtering-test.yaml", {Verdict::kPasses, ""}},
      {"tests/test-alias-debug.yaml", {Verdict::kPasses, ""}},
      {"tests/test-dynamic-computed.yaml", {Verdict::kPasses, ""}},
      {"tests/test-hooks-post-input.yaml", {Verdict::kPasses, ""}},
      {"tests/test-in-operator.yaml", {Verdict::kSuiteBug, "failed body.status.in"}},
      {"tests/variable-interpolation-test.yaml", {Verdict::kPasses, ""}},
  };
  return table;
}

std::optional<std::filesystem::path> SuitesRoot() {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  if (shared == nullptr) return std::nullopt;
  const std::filesystem::path root = std::filesystem::path(shared) / "conformance" / "original-suites";
  if (!std::filesystem::is_directory(root / "examples")) return std::nullopt;
  return root;
}

TEST(OriginalSuites, EverySuiteHasItsExpectedVerdict) {
  const std::optional<std::filesystem::path> root = SuitesRoot();
  if (!root) {
    FLOW_SKIP_OR_FAIL_MISSING_SHARED(
        "no ../shared/conformance/original-suites (FLOW_SHARED_DIR): this test needs the shared data");
  }
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  const std::string port = url.substr(url.rfind(':') + 1);
  ScratchDir out;

  std::set<std::string> seen;
  std::size_t passing = 0;
  for (const char* dir : {"examples", "tests"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(*root / dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      if (ext != ".yaml" && ext != ".json") continue;
      const std::string relative = std::filesystem::relative(entry.path(), *root).generic_string();
      seen.insert(relative);
      const auto expected = Expected().find(relative);
      if (expected == Expected().end()) {
        ADD_FAILURE() << relative << " has no expected verdict: add it here and to docs/compatibility.md";
        continue;
      }
      // The suites hard-code http://localhost:8080: connect that to the local httpbin, keeping
      // the Host header (some suites assert on it).
      const ProcessResult r = RunFlowtest(
          root->string(), "run --no-history " + ShellQuote(relative) + " --connect-to localhost:8080:127.0.0.1:" +
                              port + " --output-dir " + ShellQuote(out.path()),
          "FLOW_TEST_AUTO_INPUT=true");
      EXPECT_EQ(r.output.find("internal error"), std::string::npos) << relative << "\n" << r.output;
      if (expected->second.verdict == Verdict::kPasses) {
        ++passing;
        EXPECT_EQ(r.exit_code, 0) << relative << " should pass:\n" << r.output;
        EXPECT_NE(r.output.find("✓ PASS"), std::string::npos) << relative << "\n" << r.output;
      } else {
        EXPECT_EQ(r.exit_code, 1) << relative << " should fail:\n" << r.output;
        EXPECT_NE(r.output.find(expected->second.text), std::string::npos)
            << relative << " should fail with '" << expected->second.text << "':\n" << r.output;
        // Nothing is "not supported" any more (the config's html/qa report formats warn
        // "… is not supported yet": not counted).
        std::string steps_output;
        std::istringstream lines(r.output);
        for (std::string line; std::getline(lines, line);) {
          if (line.find("warning: report format") == std::string::npos) steps_output += line + "\n";
        }
        EXPECT_EQ(steps_output.find("is not supported yet"), std::string::npos)
            << relative << " fails on a feature flowtest lacks:\n" << r.output;
      }
    }
  }
  for (const auto& [file, expectation] : Expected()) {
    EXPECT_TRUE(seen.count(file)) << file << " is listed but not in the shared suites";
  }
  EXPECT_GT(passing, 0u);
}

}  // namespace
}  // namespace flow::testing
