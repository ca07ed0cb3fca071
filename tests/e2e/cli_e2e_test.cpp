#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

TEST(CliE2e, ValidateReportsErrorsCompilerStyle) {
  ScratchDir dir;
  dir.Write("bad.yaml", "suite_name: Bad\nnode_id: bad\nsteps:\n  - name: a\n    request: {method: GET, url: /x}\n    expct:\n      status_code: 200\n");
  const ProcessResult r = RunFlowtest(dir.path(), "validate bad.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:6:5: error: unknown step key 'expct'\n"
                          " 6 |     expct:\n"
                          "   |     ^^^^^\n"
                          "  hint: did you mean 'assert'?\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("0 valid suites (0 steps), 1 invalid"), std::string::npos) << r.output;
}

TEST(CliE2e, ValidateAcceptsTheExamples) {
  const ProcessResult r = RunFlowtest(SourceDir() + "/examples", "validate .");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("5 valid suites"), std::string::npos) << r.output;
}

TEST(CliE2e, GarbageInputIsAnErrorNeverACrash) {
  ScratchDir dir;
  dir.Write("a.yaml", std::string("suite_name: [\x01\x02\xff", 12));
  dir.Write("b.json", "{\"suite_name\": ");
  dir.Write("c.yaml", "key: {{token}}\n");
  for (const char* file : {"a.yaml", "b.json", "c.yaml"}) {
    const ProcessResult r = RunFlowtest(dir.path(), std::string("run --no-report ") + file);
    EXPECT_EQ(r.exit_code, 1) << file << "\n" << r.output;
    EXPECT_NE(r.output.find(std::string(file) + ":"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("error:"), std::string::npos) << r.output;
  }
  const ProcessResult r = RunFlowtest(dir.path(), "validate c.yaml");
  EXPECT_NE(r.output.find("unquoted template"), std::string::npos) << r.output;
}

TEST(CliE2e, UsageErrorsExitTwo) {
  ScratchDir dir;
  ProcessResult r = RunFlowtest(dir.path(), "run --dryrun");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean '--dry-run'?"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "frobnicate");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "run -c missing.yml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("flowtest 0.1.0"), std::string::npos);
}

// Each command's own option rules, as its users have them: which forms are options, how a
// missing value and an unknown option are said, and with which exit code.
TEST(CliE2e, EachCommandKeepsItsOptionRulesAndMessages) {
  ScratchDir dir;
  struct Case {
    const char* args;
    int exit_code;
    const char* output;  // the whole output
  };
  const std::vector<Case> cases = {
      {"import openapi spec.yaml -o", 2,
       "flowtest: error: option '--output' needs a value\n"
       "run 'flowtest import --help' for the options\n"},
      {"import openapi spec.yaml -- x", 2,
       "flowtest: error: unknown option '--'\nrun 'flowtest import --help' for the options\n"},
      {"import postman c.json --singel-suite", 2,
       "flowtest: error: unknown option '--singel-suite'\n"
       "  hint: did you mean '--single-suite'?\n"
       "run 'flowtest import --help' for the options\n"},
      {"export postman -c", 2,
       "flowtest: error: option '--config' needs a value\n"
       "run 'flowtest export --help' for the options\n"},
      {"export postman --nmae x", 2,
       "flowtest: error: unknown option '--nmae'\n  hint: did you mean '--name'?\n"
       "run 'flowtest export --help' for the options\n"},
      {"validate --config", 2,
       "flowtest: error: option '-c' needs a value\nrun 'flowtest run --help' for the options\n"},
      {"validate -", 2,
       "flowtest: error: unknown option '-'\nrun 'flowtest run --help' for the options\n"},
      {"--swagger-import", 2, "flowtest: error: option '--swagger-import' needs a value\n"},
      {"run --live-events --colour=never", 2,
       "flowtest: error: unknown option '--colour'\n  hint: did you mean '--color'?\n"
       "run 'flowtest run --help' for the options\n"},
      {"jp -cx a", 2, "error: unknown option '-x'\n\n"},
      {"jp --raw=1 a", 2, "error: unknown option '--raw=1'\n\n"},
  };
  for (const Case& c : cases) {
    const ProcessResult r = RunFlowtest(dir.path(), c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.output;
    EXPECT_EQ(r.output.substr(0, std::string(c.output).size()), c.output) << c.args;
  }
  // fmt and schema print their whole usage after the error.
  ProcessResult r = RunFlowtest(dir.path(), "fmt --check=1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(
      r.output.rfind("flowtest fmt: error: unknown option '--check=1'\nusage: flowtest fmt", 0), 0u)
      << r.output;
  r = RunFlowtest(dir.path(), "schema -o");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.rfind("flowtest schema: error: option '-o' needs a file name\nusage: ", 0), 0u)
      << r.output;
  r = RunFlowtest(dir.path(), "schema --output=s.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.rfind("flowtest schema: error: unknown argument '--output=s.json'\n", 0), 0u)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/s.json"));
}

TEST(CliE2e, NoSuitesFoundIsAFailureWithAMessage) {
  ScratchDir dir;
  const ProcessResult r = RunFlowtest(dir.path(), "run");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no suites found"), std::string::npos) << r.output;
}

TEST(CliE2e, DryRunPrintsThePlanInDependencyOrder) {
  ScratchDir dir;
  dir.Write("a.yaml", "suite_name: A\nnode_id: a\ndepends: [{node_id: b}]\nmetadata: {priority: critical}\nsteps:\n  - name: x\n    request: {method: GET, url: 'http://127.0.0.1:1/'}\n");
  dir.Write("b.yaml", "suite_name: B\nnode_id: b\nmetadata: {priority: low}\nsteps:\n  - name: y\n    request: {method: GET, url: 'http://127.0.0.1:1/'}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --dry-run");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::size_t b = r.output.find("1. B (low)");
  const std::size_t a = r.output.find("2. A (critical)");
  EXPECT_NE(b, std::string::npos) << r.output;
  EXPECT_NE(a, std::string::npos) << r.output;
  EXPECT_NE(r.output.find("a::step-1-x"), std::string::npos) << r.output;
}

TEST(CliE2e, NetworkErrorsAreReportedWithTheirPlace) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: refused\n    request:\n      method: GET\n      url: 'http://127.0.0.1:1/x'\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report s.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("error: s.yaml:7:12: connection refused by 127.0.0.1:1"), std::string::npos)
      << r.output;
}

TEST(CliE2e, ExamplesPassAgainstHttpbinAndWriteTheReport) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir out;
  const ProcessResult r =
      RunFlowtest(SourceDir() + "/examples", "run . --no-history --output-dir " + ShellQuote(out.path()),
                  "FLOW_TEST_HTTPBIN_URL=" + ShellQuote(url));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("PASSED  suites: 5 passed, 0 failed, 5 run"), std::string::npos) << r.output;
  // Suites run in dependency order: the login provider before the orders consumer.
  EXPECT_LT(r.output.find("▶ Login"), r.output.find("▶ Orders")) << r.output;

  const std::string latest = out.path() + "/latest.json";
  ASSERT_TRUE(std::filesystem::exists(latest)) << r.output;
  const nlohmann::json report = nlohmann::json::parse(ReadFileText(latest));
  EXPECT_EQ(report["project_name"], "flowtest examples");
  EXPECT_EQ(report["total_tests"], 5);
  EXPECT_EQ(report["successful_tests"], 5);
  EXPECT_EQ(report["failed_tests"], 0);
  EXPECT_EQ(report["success_rate"], 100.0);
  ASSERT_EQ(report["suites_results"].size(), 5u);
  bool saw_export = false;
  for (const auto& suite : report["suites_results"]) {
    EXPECT_EQ(suite["status"], "success") << suite["suite_name"];
    EXPECT_TRUE(std::filesystem::path(suite["file_path"].get<std::string>()).is_absolute());
    for (const auto& step : suite["steps_results"]) {
      EXPECT_TRUE(step.contains("request_details"));
      EXPECT_TRUE(step["response_details"].contains("timing"));
      EXPECT_FALSE(step["assertions_results"].empty()) << step["step_name"];
    }
    if (suite["node_id"] == "auth-login") {
      saw_export = suite["variables_captured"]["user_id"] == 42;
    }
  }
  EXPECT_TRUE(saw_export);
  // The time-stamped copy is identical to latest.json; the examples' config asks for the other
  // formats too.
  std::size_t copies = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("flowtest-examples_2", 0) == 0 && entry.path().extension() == ".json") {
      ++copies;
      EXPECT_EQ(ReadFileText(entry.path().string()), ReadFileText(latest));
    }
  }
  EXPECT_EQ(copies, 1u);
  for (const char* other : {"latest-qa.json", "latest-junit.xml", "html/latest.html"}) {
    EXPECT_TRUE(std::filesystem::exists(out.path() + "/" + other)) << other;
  }
}

TEST(CliE2e, FailedAssertionsExitOneAndFiltersNeverFailAPassingRun) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("ok.yaml", "suite_name: Ok\nnode_id: ok\nmetadata: {tags: [smoke]}\nbase_url: '" + url +
                           "'\nsteps:\n  - name: s\n    request: {method: GET, url: /status/200}\n    assert: {status_code: 200}\n");
  dir.Write("bad.yaml", "suite_name: Bad\nnode_id: bad\nbase_url: '" + url +
                            "'\nsteps:\n  - name: s\n    request: {method: GET, url: /status/404}\n    assert: {status_code: [200, 201]}\n");
  ProcessResult r = RunFlowtest(dir.path(), "run --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("failed status_code.in: "), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "run --no-report --tag smoke");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = RunFlowtest(dir.path(), "--no-report --node ok");  // the original's fest form
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(CliE2e, GlobalsAreTemplatesAndUrlsAreEncoded) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("flow-test.config.yml",
            "project_name: g\nglobals:\n  variables:\n    api: \"{{$env.FLOW_E2E_API}}\"\n"
            "    who: \"x y\"\n    greeting: \"hello {{who}}\"\n");
  dir.Write("s.yaml",
            "suite_name: G\nnode_id: g\nbase_url: \"{{api}}\"\nsteps:\n  - name: s\n"
            "    request: {method: GET, url: \"/anything/a b?q={{greeting}}\"}\n"
            "    assert:\n      status_code: 200\n      body: {args.q: hello x y}\n");
  const ProcessResult r =
      RunFlowtest(dir.path(), "run --no-report s.yaml", "FLOW_E2E_API=" + ShellQuote(url));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("/anything/a%20b?q=hello%20x%20y"), std::string::npos) << r.output;
}

TEST(CliE2e, CertificatesReachTheTlsLayer) {
  const std::optional<HttpbinTls> tls = HttpbinTlsServer();
  if (!tls) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(HttpbinTlsUnavailableReason());
  ScratchDir dir;
  const std::string step = "steps:\n  - name: s\n    request: {method: GET, url: /get}\n"
                           "    assert: {status_code: 200}\n";
  dir.Write("trusted.yaml", "suite_name: T\nnode_id: t\nbase_url: '" + tls->url +
                                "'\ncertificate: {ca_path: '" + tls->ca_path + "'}\n" + step);
  dir.Write("untrusted.yaml", "suite_name: U\nnode_id: u\nbase_url: '" + tls->url + "'\n" + step);
  dir.Write("client.yaml",
            "suite_name: C\nnode_id: c\nbase_url: '" + tls->url + "'\nvariables: {pw: '" +
                tls->passphrase + "'}\nsteps:\n  - name: s\n    request:\n      method: GET\n"
                "      url: /get\n      certificate: {ca_path: '" + tls->ca_path +
                "', pfx_path: '" + tls->client_p12_path + "', passphrase: '{{pw}}'}\n"
                "    assert: {status_code: 200}\n");
  ProcessResult r = RunFlowtest(dir.path(), "run --no-report trusted.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = RunFlowtest(dir.path(), "run --no-report client.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = RunFlowtest(dir.path(), "run --no-report untrusted.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("tls"), std::string::npos) << r.output;
}

TEST(CliE2e, RedirectsAreFollowedUnlessARequestSaysNot) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("r.yaml", "suite_name: R\nnode_id: r\nbase_url: '" + url +
                          "'\nsteps:\n  - name: followed\n    request: {method: GET, url: /redirect/2}\n"
                          "    assert: {status_code: 200}\n  - name: not followed\n"
                          "    request: {method: GET, url: /redirect/2, follow_redirects: false}\n"
                          "    assert: {status_code: 302, headers: {location: {contains: /relative-redirect/1}}}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report r.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(CliE2e, StepFilterThatMatchesNothingIsAnError) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: login\n    request: {method: GET, url: 'http://127.0.0.1:1/'}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report --step s::step-1-logn");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no selected step matches --step 's::step-1-logn'"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("did you mean 's::step-1-login'?"), std::string::npos) << r.output;
}

TEST(CliE2e, ASuiteThatFailsToLoadFailsTheSummary) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("ok.yaml", "suite_name: Ok\nnode_id: ok\nsteps:\n  - name: s\n    request: {method: GET, url: '" +
                           url + "/get'}\n");
  dir.Write("bad.yaml", "suite_name: Bad\nnode_id: bad\nsteps:\n  - name: s\n    request: {method: GET, url: /x}\n    asert: {}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAILED  suites: 1 passed, 1 failed (1 could not be loaded), 1 run"),
            std::string::npos)
      << r.output;
}


TEST(CliE2e, ParallelSuitesKeepThePlanOrderAndSkipDependentsOfFailedRequiredSuites) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  const auto suite = [&](const std::string& id, const std::string& path, const std::string& deps) {
    return "suite_name: " + id + "\nnode_id: " + id + "\nbase_url: '" + url + "'\n" + deps +
           "steps:\n  - name: s\n    request: {method: GET, url: " + path +
           "}\n    assert: {status_code: 200}\n";
  };
  dir.Write("a.yaml", suite("a", "/delay/1", ""));
  dir.Write("b.yaml", suite("b", "/get", ""));
  dir.Write("c.yaml", suite("c", "/status/500", ""));
  dir.Write("d.yaml", suite("d", "/get", "depends:\n  - {node_id: c, required: true}\n"));
  const ProcessResult r = RunFlowtest(dir.path(), "run --parallel 4 --output-dir out");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("[b]"), std::string::npos) << r.output;  // lines name their suite
  const nlohmann::json report = nlohmann::json::parse(ReadFileText(dir.path() + "/out/latest.json"));
  std::vector<std::string> order;
  for (const auto& s : report["suites_results"]) order.push_back(s["node_id"]);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"})) << r.output;
  EXPECT_EQ(report["suites_results"][3]["status"], "skipped");
  EXPECT_EQ(report["suites_results"][3]["skip_reason"], "required dependency 'c' failed");
}

TEST(CliE2e, InputsFromAFileMultipartFilesAndCookiesWorkEndToEnd) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("suites/data/hello.txt", "hello file");
  dir.Write("answers.yaml", "who: ann\n");
  dir.Write("suites/s.yaml", "suite_name: S\nnode_id: s\nbase_url: '" + url + "'\nsteps:\n"
            "  - name: ask\n    input: {prompt: 'Who?', variable: who, required: true}\n"
            "  - name: upload\n    request:\n      method: POST\n      url: /post\n"
            "      headers: {Content-Type: multipart/form-data}\n"
            "      body:\n        who: '{{who}}'\n        doc: {file: data/hello.txt}\n"
            "    assert:\n      status_code: 200\n      body:\n        form.who: ann\n"
            "        files.doc: hello file\n"
            "  - name: set cookie\n    request: {method: GET, url: '/cookies/set?flavour={{who}}'}\n"
            "  - name: read cookies\n    request: {method: GET, url: /cookies}\n"
            "    assert:\n      body: {cookies.flavour: ann}\n");
  ProcessResult r = RunFlowtest(dir.path(), "run --no-report suites/s.yaml --input-file answers.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // Without an answer and without a terminal the input fails fast, never waits.
  r = RunFlowtest(dir.path(), "run --no-report suites/s.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("input 'who' is required and has no answer"), std::string::npos) << r.output;
}

TEST(CliE2e, RunnerInputProtocolAsksOnStdoutAndReadsStdin) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nbase_url: '" + url + "'\nsteps:\n"
            "  - name: ask\n    input: {prompt: 'Size?', variable: size, type: number}\n"
            "  - name: use\n    request: {method: GET, url: '/anything/{{size}}'}\n"
            "    assert: {body: {url: {contains: '/anything/42'}}}\n");
  const ProcessResult r = RunCommand("cd " + ShellQuote(dir.path()) + " && printf '42\\n' | " +
                                     Flowtest() + " run --no-report s.yaml --runner-interactive-inputs");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("@@FLOW_INPUT@@{\"type\":\"request\""), std::string::npos) << r.output;
}

TEST(CliE2e, ASingleFileRunBringsItsDependencies) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("flow-test.config.yml", "project_name: p\ntest_directory: ./tests\n");
  dir.Write("tests/setup.yaml", "suite_name: Setup\nnode_id: setup\nbase_url: '" + url +
            "'\nexports: [token]\nsteps:\n  - name: s\n    request: {method: GET, url: '/anything/t1'}\n"
            "    capture: {token: body.url}\n");
  dir.Write("tests/orders/use.yaml", "suite_name: Use\nnode_id: use\nbase_url: '" + url +
            "'\ndepends: [{node_id: setup}]\nsteps:\n  - name: s\n"
            "    request: {method: GET, url: '/anything/x', params: {t: '{{setup.token}}'}}\n"
            "    assert: {status_code: 200}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report tests/orders/use.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("added 1 dependency: tests/setup.yaml"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace flow::testing
