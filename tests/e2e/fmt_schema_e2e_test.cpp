// `flowtest schema` and `flowtest fmt` as a user runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.hpp"

namespace flow::testing {
namespace {

TEST(SchemaCommand, PrintsTheSuiteSchemaOrTheConfigSchemaToAFile) {
  ScratchDir dir;
  const ProcessResult printed = RunFlowtest(dir.path(), "schema");
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  const nlohmann::json schema = nlohmann::json::parse(printed.output);
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_TRUE(schema["definitions"].contains("step"));

  const ProcessResult written = RunFlowtest(dir.path(), "schema --config --output config.schema.json");
  ASSERT_EQ(written.exit_code, 0) << written.output;
  const nlohmann::json config = nlohmann::json::parse(ReadFileText(dir.path() + "/config.schema.json"));
  EXPECT_TRUE(config["definitions"].contains("config.execution"));
  EXPECT_FALSE(config["definitions"].contains("step"));

  EXPECT_EQ(RunFlowtest(dir.path(), "schema --bogus").exit_code, 2);
}

constexpr const char* kMessy =
    "# login suite\n"
    "\n"
    "node_id: auth\n"
    "suite_name: Login\n"
    "steps:\n"
    "- request: {url: /login, method: POST}\n"
    "  name: log in   # the only step\n";

constexpr const char* kCanonical =
    "# login suite\n"
    "\n"
    "suite_name: Login\n"
    "node_id: auth\n"
    "steps:\n"
    "  - name: log in  # the only step\n"
    "    request: { method: POST, url: /login }\n";

TEST(FmtCommand, CheckListsFilesThatWouldChangeAndWritesNothing) {
  ScratchDir dir;
  const std::string file = dir.Write("suites/login.yaml", kMessy);
  dir.Write("suites/ok.yaml", kCanonical);
  const ProcessResult check = RunFlowtest(dir.path(), "fmt --check suites");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_NE(check.output.find("suites/login.yaml\n"), std::string::npos) << check.output;
  EXPECT_EQ(check.output.find("suites/ok.yaml\n"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("1 file would be reformatted, 1 unchanged"), std::string::npos) << check.output;
  EXPECT_EQ(ReadFileText(file), kMessy);
}

TEST(FmtCommand, DiffPrintsAUnifiedDiff) {
  ScratchDir dir;
  dir.Write("login.yaml", kMessy);
  const ProcessResult diff = RunFlowtest(dir.path(), "fmt --diff login.yaml");
  EXPECT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_NE(diff.output.find("--- login.yaml\n+++ login.yaml (formatted)\n@@ "), std::string::npos) << diff.output;
  EXPECT_NE(diff.output.find("-node_id: auth\n"), std::string::npos) << diff.output;
  EXPECT_NE(diff.output.find("+  - name: log in  # the only step\n"), std::string::npos) << diff.output;
}

TEST(FmtCommand, RewritesFilesInPlaceAndThenHasNothingToDo) {
  ScratchDir dir;
  const std::string file = dir.Write("login.yaml", kMessy);
  const ProcessResult run = RunFlowtest(dir.path(), "fmt login.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("formatted login.yaml"), std::string::npos) << run.output;
  EXPECT_EQ(ReadFileText(file), kCanonical);
  const ProcessResult again = RunFlowtest(dir.path(), "fmt --check login.yaml");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(RunFlowtest(dir.path(), "validate login.yaml").exit_code, 0);
}

TEST(FmtCommand, RefusesACommentItCannotPlaceAndLeavesTheFileAlone) {
  ScratchDir dir;
  const std::string text = "suite_name: S\nnode_id: n\nsteps: [\n  # inside\n  {name: a, request: {method: GET, url: /}}]\n";
  const std::string file = dir.Write("s.yaml", text);
  const ProcessResult run = RunFlowtest(dir.path(), "fmt s.yaml");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("s.yaml:4:3: error: fmt cannot keep the comment here"), std::string::npos)
      << run.output;
  EXPECT_EQ(ReadFileText(file), text);
}

}  // namespace
}  // namespace flow::testing
