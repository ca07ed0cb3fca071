// Secrets through the flowtest binary: values planted through every source of secrets (a name
// that looks secret, $env, Authorization and Cookie headers, a capture under a secret name,
// --secret NAME=VALUE and --secret NAME, a suite variable and a config global marked
// `secret: true`, a capture marked `redact: true`) reach the server unchanged, and none of them
// appears in anything flowtest writes: the console at its most verbose, every report format, the
// per-suite pages and the live events.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kPlanted = {
    "PLANTED-name-1111",   "PLANTED-header-2222", "PLANTED-cookie-3333", "PLANTED-env-4444",
    "PLANTED-cli-5555",    "PLANTED-cli-env-6666", "PLANTED-marked-7777", "PLANTED-redact-8888",
    "PLANTED-global-9999"};

std::string SecretSuite(const std::string& url) {
  return "suite_name: Secrets\n"
         "node_id: secrets\n"
         "base_url: '" + url + "'\n"
         "variables:\n"
         "  api_password: PLANTED-name-1111\n"
         "  from_env: '{{$env.FLOW_E2E_TOKEN}}'\n"
         "  order_ref: {value: PLANTED-marked-7777, secret: true}\n"
         "exports: [access_token]\n"
         "steps:\n"
         "  - name: login\n"
         "    continue_on_failure: true\n"
         "    request:\n"
         "      method: POST\n"
         "      url: /post\n"
         "      headers:\n"
         "        Authorization: Bearer PLANTED-header-2222\n"
         "        Cookie: sid=PLANTED-cookie-3333\n"
         "      body: {pw: '{{api_password}}', env: '{{from_env}}', cli: '{{cli_secret}}',\n"
         "             ci: '{{CI_TOKEN}}', ref: '{{order_ref}}', account: '{{account}}',\n"
         "             number: PLANTED-redact-8888}\n"
         "    assert:\n"
         // The server got the real values: these pass...
         "      body.json.pw: {equals: '{{api_password}}'}\n"
         "      body.json.cli: {equals: PLANTED-cli-5555}\n"
         "      body.headers.Authorization: {equals: Bearer PLANTED-header-2222}\n"
         // ...and this one fails, so a failure message holding a secret is printed too.
         "      body.json.env: {equals: 'not {{from_env}}'}\n"
         "    capture:\n"
         "      access_token: body.json.pw\n"
         "      receipt: {path: body.json.number, redact: true}\n"
         "  - name: reuse\n"
         "    continue_on_failure: true\n"
         "    request: {method: GET, url: '/get?t={{access_token}}&e={{from_env}}&c={{CI_TOKEN}}"
         "&r={{receipt}}'}\n"
         "    assert:\n"
         "      body.args.t: {equals: '{{access_token}}'}\n"
         "      status_code: 201\n"
         "  - name: iterate over secrets\n"
         "    continue_on_failure: true\n"
         "    iterate: {over: '{{[api_password, from_env]}}', as: value}\n"
         "    request: {method: GET, url: '/anything/{{value}}'}\n"
         "    assert: {status_code: 500}\n";
}

TEST(SecretsE2e, NoPlantedSecretAppearsInAnyOutput) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("secrets.yaml", SecretSuite(url));
  dir.Write("flow-test.config.yml",
            "project_name: secrets\nglobals:\n  variables:\n"
            "    account: {value: PLANTED-global-9999, secret: true}\n");
  const ProcessResult r = RunFlowtest(
      dir.path(),
      "run secrets.yaml --verbose --format json,junit,html,qa --live-events --output-dir out "
      "--secret cli_secret=PLANTED-cli-5555 --secret CI_TOKEN",
      "FLOW_E2E_TOKEN=PLANTED-env-4444 CI_TOKEN=PLANTED-cli-env-6666");
  ASSERT_EQ(r.exit_code, 1) << r.output;
  // The checks that compare with the real values passed: the server saw them.
  EXPECT_NE(r.output.find("ok body.json.pw.equals"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok body.json.cli.equals"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok body.headers.Authorization.equals"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok body.args.t.equals"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("failed body.json.env.equals"), std::string::npos) << r.output;
  // Every output: the console and each file written.
  std::vector<std::pair<std::string, std::string>> outputs = {{"console", r.output}};
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() + "/out")) {
    if (!entry.is_regular_file()) continue;
    outputs.emplace_back(entry.path().string(), ReadFileText(entry.path().string()));
    ++files;
  }
  EXPECT_GE(files, 9u);  // json, qa, junit and html with their stamped copies, a page, events
  for (const auto& [name, text] : outputs) {
    ASSERT_FALSE(text.empty()) << name;
    for (const std::string& secret : kPlanted) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked into " << name;
    }
  }
  // The masks are there instead, where the secrets were.
  EXPECT_NE(r.output.find("\"Authorization\":\"***\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/get?t=***&e=***&c=***&r=***"), std::string::npos) << r.output;
  const std::string json = ReadFileText(dir.path() + "/out/latest.json");
  EXPECT_NE(json.find("api_password: ***"), std::string::npos);  // the suite's own text
  EXPECT_NE(json.find("\"curl_command\": \"curl -X POST"), std::string::npos);
}

TEST(SecretsE2e, ASecretNamedButNotSetIsAnError) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: a\n    request: {method: GET, "
                      "url: 'http://127.0.0.1:9/'}\n");
  const ProcessResult r = RunFlowtest(dir.path(), "run s.yaml --secret NOT_SET_ANYWHERE_42",
                                      "env -u NOT_SET_ANYWHERE_42");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--secret NOT_SET_ANYWHERE_42: no value given"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace flow::testing
