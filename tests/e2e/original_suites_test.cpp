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
  kNeedsJavaScript,  // fails with "… is not supported yet": JavaScript or faker (a later version)
  kNeedsCaller,      // a helper suite for `call`: alone it lacks its caller's variables
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
      {"examples/basic/simple-variables.json", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/basic/simple-variables.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/intermediate/auth-flow.json", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/intermediate/auth-flow.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/intermediate/crud-operations.json", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/intermediate/crud-operations.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/intermediate/data-validation.yaml", {Verdict::kPasses, ""}},
      {"examples/intermediate/error-handling.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/patterns/deterministic-parser.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/patterns/dynamic-data.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"examples/patterns/retry-patterns.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/advanced-assertions-comprehensive-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/advanced-retry-patterns-test.yaml", {Verdict::kPasses, ""}},
      {"tests/advanced-scenarios-test.yaml", {Verdict::kPasses, ""}},
      {"tests/array-filtering-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/assertions-demo.yaml", {Verdict::kPasses, ""}},
      {"tests/auth-flows-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/call-alias-helper.yaml", {Verdict::kNeedsCaller, "unknown variable 'input_value'"}},
      {"tests/call-alias-isolated.yaml", {Verdict::kPasses, ""}},
      {"tests/call-alias-test.yaml", {Verdict::kPasses, ""}},
      {"tests/cli-comprehensive-test.yaml", {Verdict::kPasses, ""}},
      {"tests/complex-conditional-scenarios.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/comprehensive-basic-test.yaml", {Verdict::kPasses, ""}},
      {"tests/data-formatting-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/debug-introspection-test.yaml", {Verdict::kSuiteBug, "unquoted template '{{total_variables_tested}}' was read by YAML as a mapping"}},
      {"tests/demo-timing-waterfall.yaml", {Verdict::kPasses, ""}},
      {"tests/dependency-comprehensive-test.yaml", {Verdict::kSuiteBug, "unknown variable 'auth_token'"}},
      {"tests/dependency-edge-cases.yaml", {Verdict::kPasses, ""}},
      {"tests/dependency-setup-flow.yaml", {Verdict::kPasses, ""}},
      {"tests/environment-variables-test.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/auth-setup-demo.yaml", {Verdict::kNeedsCaller, "unknown variable 'username'"}},
      {"tests/examples/hooks-pre-post-call-demo.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/examples/skip-condition-example.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/examples/skip-test-fixes.yaml", {Verdict::kPasses, ""}},
      {"tests/examples/syntax-showcase.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/faker-comprehensive-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/faker-demo.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/file-upload-multipart-comprehensive-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/file-upload-test.yaml", {Verdict::kSuiteBug, "failed body.json.operation.equals"}},
      {"tests/hooks-example.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/input-capture-advanced-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/input-capture-jmespath-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/input-capture-test.yaml", {Verdict::kPasses, ""}},
      {"tests/interactive-input-examples.yaml", {Verdict::kSuiteBug, "unknown variable 'action_reason'"}},
      {"tests/iteration-examples.yaml", {Verdict::kPasses, ""}},
      {"tests/javascript-expressions-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/logging-system-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/meu-primeiro-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/nested-steps-example.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/parallel-execution-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/performance-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/retry-logic-comprehensive-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/scenario-test.yaml", {Verdict::kPasses, ""}},
      {"tests/sequential-vs-parallel-execution-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/skip-timing-example.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/start-flow.json", {Verdict::kPasses, ""}},
      {"tests/start-flow.yaml", {Verdict::kPasses, ""}},
      {"tests/tag-filtering-test.yaml", {Verdict::kPasses, ""}},
      {"tests/test-alias-debug.yaml", {Verdict::kPasses, ""}},
      {"tests/test-dynamic-computed.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
      {"tests/test-hooks-post-input.yaml", {Verdict::kPasses, ""}},
      {"tests/test-in-operator.yaml", {Verdict::kSuiteBug, "failed body.status.in"}},
      {"tests/variable-interpolation-test.yaml", {Verdict::kNeedsJavaScript, "is not supported yet"}},
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
          root->string(), "run " + ShellQuote(relative) + " --connect-to localhost:8080:127.0.0.1:" +
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
        if (expected->second.verdict != Verdict::kNeedsJavaScript) {
          // (the config's html/qa report formats warn "… is not supported yet" too: not counted)
          std::string steps_output;
          std::istringstream lines(r.output);
          for (std::string line; std::getline(lines, line);) {
            if (line.find("warning: report format") == std::string::npos) steps_output += line + "\n";
          }
          EXPECT_EQ(steps_output.find("is not supported yet"), std::string::npos)
              << relative << " is listed as failing for another reason than JavaScript:\n" << r.output;
        }
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
