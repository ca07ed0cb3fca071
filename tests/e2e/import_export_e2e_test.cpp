// `flowtest import openapi|postman` and `flowtest export postman` as black boxes: every fixture
// under tests/fixtures/import imports into suites that `flowtest validate` accepts; the httpbin
// fixtures import into suites that pass against a local httpbin, also after an export to Postman
// and an import back; files are never overwritten without --force; bad input gives located errors;
// the original engine's --swagger-import/--postman-* flags run the same commands.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

std::string Fixture(const std::string& name) {
  return std::filesystem::absolute(SourceDir() + "/tests/fixtures/import/" + name)
      .lexically_normal()
      .string();
}

std::vector<std::string> FixturesIn(const std::string& folder) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(Fixture(folder)))
    out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The environment the httpbin suites read: credentials for the basic-auth and bearer endpoints.
std::string HttpbinEnv(const std::string& url) {
  return "FLOW_TEST_HTTPBIN_URL=" + ShellQuote(url) +
         " API_USERNAME=ada API_PASSWORD=s3cret API_TOKEN=tok-1 API_KEY=k-1";
}

TEST(ImportExportE2e, EveryOpenApiFixtureImportsIntoValidSuites) {
  const std::vector<std::string> specs = FixturesIn("openapi");
  ASSERT_GE(specs.size(), 3u);
  for (const std::string& spec : specs) {
    ScratchDir dir;
    ProcessResult r =
        RunFlowtest(dir.path(), "import openapi " + ShellQuote(spec) + " --output out");
    ASSERT_EQ(r.exit_code, 0) << spec << "\n" << r.output;
    EXPECT_NE(r.output.find("imported " + spec), std::string::npos) << r.output;
    r = RunFlowtest(dir.path(), "validate out");
    EXPECT_EQ(r.exit_code, 0) << spec << "\n" << r.output;
    EXPECT_NE(r.output.find(" valid suite"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(", 0 invalid"), std::string::npos) << r.output;
  }
}

TEST(ImportExportE2e, EveryPostmanFixtureImportsIntoValidSuitesBothWays) {
  const std::vector<std::string> collections = FixturesIn("postman");
  ASSERT_GE(collections.size(), 2u);
  for (const std::string& collection : collections) {
    for (const char* mode : {"", " --single-suite"}) {
      ScratchDir dir;
      ProcessResult r = RunFlowtest(
          dir.path(), "import postman " + ShellQuote(collection) + " --output out" + mode);
      ASSERT_EQ(r.exit_code, 0) << collection << mode << "\n" << r.output;
      r = RunFlowtest(dir.path(), "validate out");
      EXPECT_EQ(r.exit_code, 0) << collection << mode << "\n" << r.output;
      EXPECT_NE(r.output.find(", 0 invalid"), std::string::npos) << r.output;
    }
  }
}

TEST(ImportExportE2e, ImportedOpenApiSuitesPassAgainstHttpbin) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  ProcessResult r =
      RunFlowtest(dir.path(), "import openapi " + ShellQuote(Fixture("openapi/httpbin.yaml")) +
                                  " --base-url '{{httpbin_url}}'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 suites, 8 steps"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/tests/imported/fixtures/sample-upload.txt"));
  r = RunFlowtest(dir.path(), "run tests/imported --output-dir results", HttpbinEnv(url));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("PASSED  suites: 3 passed, 0 failed, 3 run"), std::string::npos)
      << r.output;
  // The checks really ran: each step has its status check and the body checks of its schema.
  const nlohmann::json report =
      nlohmann::json::parse(ReadFileText(dir.path() + "/results/latest.json"));
  std::size_t checks = 0;
  for (const auto& suite : report["suites_results"]) {
    for (const auto& step : suite["steps_results"]) {
      EXPECT_FALSE(step["assertions_results"].empty()) << step["step_name"];
      checks += step["assertions_results"].size();
    }
  }
  EXPECT_GE(checks, 20u);
  // Wrong credentials make the auth suite fail: the headers really carry them.
  r = RunFlowtest(
      dir.path(), "run tests/imported/auth.yaml --no-report",
      "FLOW_TEST_HTTPBIN_URL=" + ShellQuote(url) + " API_USERNAME=ada API_PASSWORD=wrong");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("expected 200, got 401"), std::string::npos) << r.output;
}

TEST(ImportExportE2e, ImportedPostmanSuitesPassAgainstHttpbinAlsoAfterARoundTrip) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  ProcessResult r = RunFlowtest(
      dir.path(), "import postman " +
                      ShellQuote(Fixture("postman/httpbin.postman_collection.json")) + " -o first");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 suites, 9 steps"), std::string::npos) << r.output;
  // The statement that does not map is kept on its step, and said.
  EXPECT_NE(r.output.find("1 test script statement was not converted"), std::string::npos)
      << r.output;
  EXPECT_NE(
      ReadFileText(dir.path() + "/first/requests.yaml")
          .find("#   pm.test(\"uuid\"): pm.expect(_.isString(pm.response.json().uuid)).to.be.true"),
      std::string::npos);
  r = RunFlowtest(dir.path(), "run first --no-report", HttpbinEnv(url));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("PASSED  suites: 2 passed, 0 failed, 2 run"), std::string::npos)
      << r.output;

  r = RunFlowtest(dir.path(), "export postman first --output tour.json --name 'httpbin tour'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(
      r.output.find("exported 2 suites (9 requests) as a Postman collection v2.1 to tour.json"),
      std::string::npos)
      << r.output;
  const nlohmann::json collection = nlohmann::json::parse(ReadFileText(dir.path() + "/tour.json"));
  EXPECT_EQ(collection["info"]["name"], "httpbin tour");
  EXPECT_EQ(collection["item"].size(), 2u);
  r = RunFlowtest(dir.path(), "import postman tour.json -o second");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunFlowtest(dir.path(), "run second --no-report", HttpbinEnv(url));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("PASSED  suites: 2 passed, 0 failed, 2 run"), std::string::npos)
      << r.output;
}

TEST(ImportExportE2e, ExistingFilesAreNotOverwrittenWithoutForce) {
  ScratchDir dir;
  const std::string spec = ShellQuote(Fixture("openapi/petstore-swagger2.json"));
  ProcessResult r = RunFlowtest(dir.path(), "import openapi " + spec + " -o out");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  dir.Write("out/pet.yaml", "# mine\n");
  r = RunFlowtest(dir.path(), "import openapi " + spec + " -o out");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("refusing to overwrite"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("out/pet.yaml"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("out/store.yaml"), std::string::npos) << r.output;
  EXPECT_EQ(ReadFileText(dir.path() + "/out/pet.yaml"), "# mine\n");
  r = RunFlowtest(dir.path(), "import openapi " + spec + " -o out --force");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(ReadFileText(dir.path() + "/out/pet.yaml").find("suite_name: pet"), std::string::npos);
}

TEST(ImportExportE2e, BadInputIsALocatedErrorAndUsageErrorsExitTwo) {
  ScratchDir dir;
  dir.Write("broken.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: {a: 1}\n");
  ProcessResult r = RunFlowtest(dir.path(), "import openapi broken.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("broken.yaml:5:19: error: 'parameters' must be a list, got object"),
            std::string::npos)
      << r.output;
  dir.Write("syntax.json", "{\"openapi\": \"3.0.0\",\n  \"paths\": {\"/a\": }}");
  r = RunFlowtest(dir.path(), "import openapi syntax.json");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("syntax.json:2:"), std::string::npos) << r.output;
  dir.Write("v1.json", "{\"info\": {\"name\": \"x\"}, \"requests\": [], \"order\": []}");
  r = RunFlowtest(dir.path(), "import postman v1.json");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("v1.json:1:1: error: this is a Postman collection v1"), std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/tests"));

  r = RunFlowtest(dir.path(), "import swagger x.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown import kind 'swagger'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("openapi"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("postman"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "import openapi");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "import openapi a.yaml --single-suite");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "import postman a.json --tag x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "import openapi missing.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  r = RunFlowtest(dir.path(), "export postmen");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(ImportExportE2e, ExportWritesTheExamplesAsACollection) {
  ScratchDir dir;
  ProcessResult r =
      RunFlowtest(SourceDir() + "/examples",
                  "export postman . --output " + ShellQuote(dir.path() + "/examples.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json collection =
      nlohmann::json::parse(ReadFileText(dir.path() + "/examples.json"));
  EXPECT_EQ(collection["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
  EXPECT_EQ(collection["item"].size(), 5u);
  // Suites come after the suites they depend on.
  std::vector<std::string> names;
  for (const auto& folder : collection["item"]) names.push_back(folder["name"]);
  EXPECT_LT(std::find(names.begin(), names.end(), "Login") - names.begin(),
            std::find(names.begin(), names.end(), "Orders") - names.begin())
      << r.output;
  r = RunFlowtest(dir.path(), "import postman examples.json -o back");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = RunFlowtest(dir.path(), "validate back");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // Standard output by default; an existing file is refused.
  dir.Write("s.yaml",
            "suite_name: S\nnode_id: s\nsteps:\n  - name: a\n    request: {method: GET, url: "
            "'http://h/x'}\n");
  r = RunFlowtest(dir.path(), "export postman s.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"raw\": \"http://h/x\""), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "export postman s.yaml --output examples.json");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("refusing to overwrite examples.json"), std::string::npos) << r.output;
  dir.Write("bad.yaml", "suite_name: B\nsteps: []\n");
  r = RunFlowtest(dir.path(), "export postman bad.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("nothing exported"), std::string::npos) << r.output;
}

TEST(ImportExportE2e, TheOriginalFlagsRunTheSameCommands) {
  ScratchDir dir;
  ProcessResult r =
      RunFlowtest(dir.path(), "--swagger-import " + ShellQuote(Fixture("openapi/httpbin.yaml")) +
                                  " --swagger-output sw");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/sw/http_methods.yaml")) << r.output;
  const std::string collection = ShellQuote(Fixture("postman/httpbin.postman_collection.json"));
  r = RunFlowtest(dir.path(),
                  "run --postman-import " + collection + " --postman-import-output one");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/one/httpbin_tour.yaml")) << r.output;
  r = RunFlowtest(
      dir.path(),
      "--postman-import " + collection +
          " --postman-import-output folders --postman-preserve-folders --postman-analyze-deps");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/folders/session.yaml")) << r.output;
  std::filesystem::create_directories(dir.path() + "/exported");
  r = RunFlowtest(dir.path(), "--postman-export folders --postman-output exported");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/exported/postman_collection.json"))
      << r.output;
  r = RunFlowtest(dir.path(), "--postman-export folders --postman-import " + collection);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "--postman-export-from-results results/latest.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("flowtest export postman"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace flow::testing
