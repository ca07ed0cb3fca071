// The original engine's example suites (../shared/conformance/original-suites/examples) run
// against a local httpbin. Each file has an expected verdict; docs/compatibility.md lists the
// same table. The test fails when a suite listed as passing fails, when a suite listed as needing
// a later feature passes or fails for another reason, or when a file is not listed at all.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::testing {
namespace {

enum class Verdict { kPasses, kNotSupportedYet };

const std::map<std::string, Verdict>& Expected() {
  static const std::map<std::string, Verdict> table = {
      {"basic/simple-get.yaml", Verdict::kPasses},
      {"basic/simple-get.json", Verdict::kPasses},
      {"basic/simple-post.yaml", Verdict::kPasses},
      {"basic/simple-post.json", Verdict::kPasses},
      {"basic/simple-auth.yaml", Verdict::kPasses},
      {"basic/simple-auth.json", Verdict::kPasses},
      {"intermediate/data-validation.yaml", Verdict::kPasses},
      {"basic/simple-variables.yaml", Verdict::kNotSupportedYet},
      {"basic/simple-variables.json", Verdict::kNotSupportedYet},
      {"intermediate/auth-flow.yaml", Verdict::kNotSupportedYet},
      {"intermediate/auth-flow.json", Verdict::kNotSupportedYet},
      {"intermediate/crud-operations.yaml", Verdict::kNotSupportedYet},
      {"intermediate/crud-operations.json", Verdict::kNotSupportedYet},
      {"intermediate/error-handling.yaml", Verdict::kNotSupportedYet},
      {"advanced/conditional-logic.yaml", Verdict::kNotSupportedYet},
      {"advanced/conditional-logic.json", Verdict::kNotSupportedYet},
      {"patterns/deterministic-parser.yaml", Verdict::kNotSupportedYet},
      {"patterns/dynamic-data.yaml", Verdict::kNotSupportedYet},
      {"patterns/retry-patterns.yaml", Verdict::kNotSupportedYet},
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

TEST(OriginalSuites, ExamplesHaveTheirExpectedVerdicts) {
  const std::optional<std::filesystem::path> root = SuitesRoot();
  if (!root) {
    FLOW_SKIP_OR_FAIL_MISSING_SHARED(
        "no ../shared/conformance/original-suites (FLOW_SHARED_DIR): this test needs the shared data");
  }
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  const std::string port = url.substr(url.rfind(':') + 1);
  ScratchDir out;

  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*root / "examples")) {
    if (!entry.is_regular_file()) continue;
    const std::string relative =
        std::filesystem::relative(entry.path(), *root / "examples").generic_string();
    seen.insert(relative);
    const auto expected = Expected().find(relative);
    if (expected == Expected().end()) {
      ADD_FAILURE() << relative << " has no expected verdict: add it here and to docs/compatibility.md";
      continue;
    }
    // The suites hard-code http://localhost:8080: connect that to the local httpbin, keeping the
    // Host header (simple-get asserts on it).
    const ProcessResult r = RunFlowtest(
        root->string(), "run " + ShellQuote("examples/" + relative) +
                            " --connect-to localhost:8080:127.0.0.1:" + port +
                            " --output-dir " + ShellQuote(out.path()));
    if (expected->second == Verdict::kPasses) {
      EXPECT_EQ(r.exit_code, 0) << relative << " should pass:\n" << r.output;
      EXPECT_NE(r.output.find("✓ PASS"), std::string::npos) << relative << "\n" << r.output;
    } else {
      EXPECT_EQ(r.exit_code, 1) << relative << " should fail (later features):\n" << r.output;
      EXPECT_NE(r.output.find("is not supported yet"), std::string::npos)
          << relative << " should fail with 'not supported yet':\n" << r.output;
      EXPECT_EQ(r.output.find("internal error"), std::string::npos) << relative << "\n" << r.output;
    }
  }
  for (const auto& [file, verdict] : Expected()) {
    EXPECT_TRUE(seen.count(file)) << file << " is listed but not in the shared suites";
  }
}

}  // namespace
}  // namespace flow::testing
