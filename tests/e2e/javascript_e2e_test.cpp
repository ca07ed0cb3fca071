// The JavaScript sandbox through the flowtest binary: helpers spawned from the real executable,
// faker seeds, switching JavaScript off, and a secret of the host environment that stays out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

std::string JsSuite(const std::string& url) {
  return "suite_name: Js\nnode_id: js\nbase_url: '" + url + "'\n"
         "variables:\n  count: 4\n  who: \"{{$faker.person.firstName}}\"\n"
         "steps:\n"
         "  - name: echo\n"
         "    pre_request:\n"
         "      script: |\n"
         "        request.headers['X-Sum'] = String(count + 1);\n"
         "        setVariable('from_script', 'yes');\n"
         "    request:\n"
         "      method: POST\n"
         "      url: /post\n"
         "      body:\n"
         "        doubled: \"{{js: count * 2}}\"\n"
         "        who: \"{{who}}\"\n"
         "        word: \"#faker.lorem.word\"\n"
         "        secret: \"{{js: Object.getOwnPropertyNames(this).filter(k => /proc|env|secret/i.test(k)).join()}}\"\n"
         "    assert:\n"
         "      status_code: 200\n"
         "      body.json.doubled: {equals: 8}\n"
         "      custom:\n"
         "        - name: header_seen\n"
         "          condition: \"body.headers['X-Sum'] === '5'\"\n"
         "    capture:\n"
         "      who_back: \"$body.json.who\"\n"
         "  - name: after\n"
         "    skip: \"from_script !== 'yes'\"\n"
         "    request: {method: GET, url: \"/get?who={{who_back}}\"}\n"
         "    assert:\n"
         "      body.args.who: {equals: \"{{who}}\"}\n";
}

TEST(JavaScriptE2e, ScriptsExpressionsFakerAndCustomAssertionsRunInTheSandbox) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("js.yaml", JsSuite(url));
  const ProcessResult r =
      RunFlowtest(dir.path(), "run --no-report --verbose js.yaml", "FLOW_E2E_SECRET=hunter2");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ok custom.header_seen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"secret\":\"\""), std::string::npos) << r.output;  // no such globals
  EXPECT_EQ(r.output.find("hunter2"), std::string::npos) << r.output;
}

TEST(JavaScriptE2e, AFakerSeedRepeatsTheValuesRunAfterRun) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("js.yaml", JsSuite(url));
  const auto who = [&](const std::string& flags) {
    ScratchDir out;
    const ProcessResult r =
        RunFlowtest(dir.path(), "run js.yaml " + flags + " --output-dir " + ShellQuote(out.path()));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const nlohmann::json report = nlohmann::json::parse(ReadFileText(out.path() + "/latest.json"));
    return report.at("suites_results").at(0).at("available_variables").value("who", std::string());
  };
  const std::string first = who("--faker-seed 42");
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(who("--faker-seed 42"), first);
  EXPECT_NE(who("--faker-seed 7"), first);
}

TEST(JavaScriptE2e, NoJsRefusesEveryUseWithItsPlace) {
  ScratchDir dir;
  dir.Write("js.yaml", JsSuite("http://127.0.0.1:9"));
  ProcessResult r = RunFlowtest(dir.path(), "run --no-report --no-js js.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("js.yaml:6:8: error: faker is switched off (--no-js)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("js.yaml:10:15: error: 'pre_request' script is switched off"), std::string::npos)
      << r.output;
  dir.Write("flow-test.config.yml", "javascript:\n  enabled: false\n");
  r = RunFlowtest(dir.path(), "validate js.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("is switched off (javascript.enabled: false)"), std::string::npos)
      << r.output;
}

TEST(JavaScriptE2e, ARunawayScriptFailsItsStepAndTheRunGoesOn) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("flow-test.config.yml", "javascript:\n  cpu_ms: 200\n");
  dir.Write("loop.yaml", "suite_name: Loop\nnode_id: loop\nbase_url: '" + url + "'\n"
                         "steps:\n"
                         "  - name: spin\n"
                         "    continue_on_failure: true\n"
                         "    request: {method: GET, url: \"/get?x={{js: (() => { for (;;) {} })()}}\"}\n"
                         "  - name: fine\n"
                         "    request: {method: GET, url: \"/get?x={{js: 40 + 2}}\"}\n"
                         "    assert: {body.args.x: {equals: \"42\"}}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run --no-report loop.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cpu budget of 200 ms exceeded"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 passed, 0 failed, 1 errors"), std::string::npos) << r.output;
}

// flowtest starts its helpers from flowtest-sandbox beside it, and from itself when that is
// missing: a copy of flowtest alone in a directory still runs JavaScript, and a copy next to a
// flowtest-sandbox that is not a helper names that file in the step's error.
TEST(JavaScriptE2e, HelpersComeFromFlowtestSandboxBesideTheBinaryElseFromFlowtestItself) {
  ScratchDir bin;
  const std::string copy = bin.path() + "/flowtest";
  std::filesystem::copy_file(FLOW_BINARY, copy);
  ScratchDir dir;
  dir.Write("js.yaml", "suite_name: Alone\nnode_id: alone\nsteps:\n"
                       "  - name: compute\n"
                       "    request: {method: GET, url: \"http://127.0.0.1:9/{{js: 6 * 7}}\"}\n");
  const std::string run = "cd " + ShellQuote(dir.path()) + " && " + ShellQuote(copy) +
                          " run --no-report js.yaml </dev/null";
  ProcessResult r = RunCommand(run);
  EXPECT_EQ(r.exit_code, 1) << r.output;  // port 9 refuses: the JavaScript ran, the request failed
  EXPECT_NE(r.output.find("http://127.0.0.1:9/42"), std::string::npos) << r.output;

  const std::string fake = bin.Write("flowtest-sandbox", "#!/bin/sh\nexit 3\n");
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  r = RunCommand(run);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the javascript sandbox helper '" + fake + "' ended during start-up"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace flow::testing
