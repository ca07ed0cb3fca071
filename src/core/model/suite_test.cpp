#include "core/model/suite.hpp"

#include "core/model/condition.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

SuiteLoad Load(std::string_view text) { return LoadSuite(text, "s.yaml"); }

std::string Messages(const SuiteLoad& load) {
  std::string out;
  for (const Error& e : load.errors) out += FormatErrorLine(e) + "\n";
  return out;
}

constexpr std::string_view kMinimal = R"(suite_name: "Demo"
node_id: demo
steps:
  - name: first
    request:
      method: GET
      url: /get
)";

TEST(Suite, LoadsAMinimalSuite) {
  const SuiteLoad load = Load(kMinimal);
  ASSERT_TRUE(load.suite) << Messages(load);
  const Suite& s = *load.suite;
  EXPECT_EQ(s.suite_name, "Demo");
  EXPECT_EQ(s.node_id, "demo");
  ASSERT_EQ(s.steps.size(), 1u);
  EXPECT_EQ(s.steps[0].id, "step-1-first");
  EXPECT_EQ(s.steps[0].qualified_id, "demo::step-1-first");
  EXPECT_TRUE(s.steps[0].has_request);
  EXPECT_EQ(s.steps[0].raw_url, "/get");
  EXPECT_EQ(s.steps[0].where.line, 4);
  EXPECT_EQ(s.priority, "medium");
  EXPECT_TRUE(s.priority_inferred);
  EXPECT_EQ(s.estimated_duration_ms, 500);
}

TEST(Suite, SecretVariablesAreTheirValueAndAreNamed) {
  const SuiteLoad load = Load(R"(suite_name: "Demo"
node_id: demo
variables:
  password: {value: "{{$env.PW}}", secret: true}
  user: {value: ann, secret: false}
  pair: {value: 1, other: 2}
steps:
  - name: first
    request: {method: GET, url: /get}
    capture:
      token: {path: body.token, redact: true}
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  EXPECT_EQ(load.suite->secret_variables, std::vector<std::string>{"password"});
  ASSERT_EQ(load.suite->variable_templates.size(), 3u);
  EXPECT_EQ(load.suite->variable_templates[1].first, "user");
  const SuiteLoad bad = Load(R"(suite_name: "Demo"
node_id: demo
variables:
  password: {value: x, secret: "yes"}
steps:
  - name: first
    request: {method: GET, url: /get}
)");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].message, "'secret' must be true or false, got string");
  EXPECT_EQ(bad.errors[0].where->line, 4);
}

TEST(Suite, UnknownStepKeyIsAnErrorWithSuggestionAndPlace) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /get}
    asert:
      status_code: 200
)");
  ASSERT_FALSE(load.suite);
  ASSERT_EQ(load.errors.size(), 1u) << Messages(load);
  EXPECT_EQ(load.errors[0].message, "unknown step key 'asert'");
  EXPECT_EQ(load.errors[0].hint, "did you mean 'assert'?");
  EXPECT_EQ(load.errors[0].where->line, 6);
  EXPECT_EQ(load.errors[0].where->column, 5);
}

TEST(Suite, SuggestsOurKeyForOtherToolsWordsAndMisplacedKeys) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /get}
    expct: {status_code: 200}
    extract: {id: body.id}
    url: /other
)");
  ASSERT_EQ(load.errors.size(), 3u) << Messages(load);
  EXPECT_EQ(load.errors[0].hint, "did you mean 'assert'?");
  EXPECT_EQ(load.errors[1].hint, "did you mean 'capture'?");
  EXPECT_EQ(load.errors[2].hint, "'url' belongs under 'request:'");
}

TEST(Suite, MissingRequiredKeysAreAllReported) {
  const SuiteLoad load = Load("description: nothing\nsteps: []\n");
  ASSERT_FALSE(load.suite);
  const std::string all = Messages(load);
  EXPECT_NE(all.find("missing required key 'suite_name'"), std::string::npos) << all;
  EXPECT_NE(all.find("missing required key 'node_id'"), std::string::npos) << all;
  EXPECT_NE(all.find("'steps' is empty"), std::string::npos) << all;
}

TEST(Suite, WrongTypesNameTheKeyAndTheType) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    continue_on_failure: "yes"
    request: {method: GET, url: 5}
)");
  const std::string all = Messages(load);
  EXPECT_NE(all.find("s.yaml:5:26: 'continue_on_failure' must be true or false, got string"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("'url' must be a string, got number"), std::string::npos) << all;
}

TEST(Suite, UnknownMethodIsRejected) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GTE, url: /x}
)");
  ASSERT_EQ(load.errors.size(), 1u) << Messages(load);
  EXPECT_EQ(load.errors[0].message, "unknown HTTP method 'GTE'");
  EXPECT_EQ(load.errors[0].hint, "did you mean 'GET'?");
}

TEST(Suite, StepWithoutAnyActionIsAnError) {
  const SuiteLoad load = Load("suite_name: x\nnode_id: x\nsteps:\n  - name: only a name\n");
  ASSERT_EQ(load.errors.size(), 1u) << Messages(load);
  EXPECT_EQ(load.errors[0].message, "step 'only a name' does nothing");
}

TEST(Suite, LaterFeaturesAreRecordedNotRejected) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /x}
    metadata:
      retry: {max_attempts: 3}
      timeout: 1000
    pre_request:
      script: "var a = 1"
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  const StepSpec& step = load.suite->steps[0];
  EXPECT_TRUE(step.unsupported.empty());
  ASSERT_TRUE(step.pre_request);
  ASSERT_TRUE(step.pre_request->source);
  EXPECT_EQ(step.pre_request->source->code, "var a = 1");
  EXPECT_EQ(step.pre_request->source->line, 10);
  EXPECT_EQ(step.pre_request->timeout_ms, 5000);
  ASSERT_EQ(load.suite->scripts.size(), 1u);
  EXPECT_EQ(load.suite->scripts[0].where.line, 10);
  ASSERT_TRUE(step.retry);
  EXPECT_EQ(step.retry->max_attempts, 3);
  EXPECT_EQ(step.timeout_ms, 1000);
}

TEST(Suite, FlowControlKeysAreCompiledWithTheirErrorsLocated) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /x}
    iterate: {over: items, range: "1..2"}
    retry: {max_attempts: 0, retry_on: [teapot]}
    scenarios:
      - condition: "a == == b"
        then: {}
      - then: {}
  - name: c
    call: {test: x.yaml}
    request: {method: GET, url: /x}
  - name: d
    iterate: {range: "1..3", as: "bad name"}
    condition: "{{x}} == 'y'"
    scenarios:
      - condition: "x"
        then:
          steps:
            - name: nested
              request: {method: GET, url: /n}
)");
  const std::string all = Messages(load);
  EXPECT_NE(all.find("s.yaml:6:14: 'iterate' has both 'over' and 'range'"), std::string::npos) << all;
  EXPECT_NE(all.find("s.yaml:7:27: 'max_attempts' must be a number from 1 to 100"), std::string::npos) << all;
  EXPECT_NE(all.find("'retry_on' entries are status codes"), std::string::npos) << all;
  EXPECT_NE(all.find("s.yaml:9:20: invalid scenario condition 'a == == b'"), std::string::npos) << all;
  EXPECT_NE(all.find("a scenario needs a 'condition'"), std::string::npos) << all;
  EXPECT_NE(all.find("missing required key 'step'"), std::string::npos) << all;
  EXPECT_NE(all.find("a step cannot define 'call' alongside 'request'"), std::string::npos) << all;
  EXPECT_NE(all.find("'as' must be a variable name"), std::string::npos) << all;
}

TEST(Suite, NestedScenarioStepsAreBuiltWithTheirOwnIds) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: d
    scenarios:
      - condition: "x"
        then:
          steps:
            - name: nested one
              request: {method: GET, url: /n}
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  const StepSpec& step = load.suite->steps[0];
  ASSERT_EQ(step.scenarios.size(), 1u);
  ASSERT_TRUE(step.scenarios[0].then_branch);
  ASSERT_EQ(step.scenarios[0].then_branch->steps.size(), 1u);
  const StepSpec& nested = step.scenarios[0].then_branch->steps[0];
  EXPECT_EQ(nested.id, "step-1-d.s1-then-step-1-nested-one");
  EXPECT_EQ(nested.pointer, "/steps/0/scenarios/0/then/steps/0");
}

TEST(Suite, NoEffectKeysAreWarnings) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
priority: high
steps:
  - name: a
    request: {method: GET, url: /x}
    assertions: {status_code: 200}
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  ASSERT_EQ(load.warnings.size(), 2u);
  EXPECT_EQ(load.warnings[1].hint, "did you mean 'assert'?");
}

TEST(Suite, UnknownMetadataKeysAreWarningsNotErrors) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
metadata: {owner: team-a, priorty: high}
steps:
  - name: a
    request: {method: GET, url: /x}
    metadata: {can_run_parallel: true}
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  ASSERT_EQ(load.warnings.size(), 3u);
  EXPECT_EQ(load.warnings[1].hint, "did you mean 'priority'?");
}

TEST(Suite, DirectJavaScriptInCapturesIsAScriptSite) {
  const SuiteLoad load = Load(R"yaml(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /x}
    capture:
      upper: "$name.toUpperCase()"
)yaml");
  ASSERT_TRUE(load.suite) << Messages(load);
  EXPECT_TRUE(load.suite->steps[0].unsupported.empty());
  ASSERT_TRUE(load.suite->steps[0].captures);
  ASSERT_EQ(load.suite->scripts.size(), 1u);
  EXPECT_EQ(load.suite->scripts[0].what, "javascript");
  EXPECT_EQ(load.suite->scripts[0].where.line, 7);
}

TEST(Suite, JavaScriptConditionsAndScriptsAreCheckedAtLoad) {
  const SuiteLoad ok = Load(R"yaml(suite_name: x
node_id: x
steps:
  - name: a
    skip: "env === 'prod'"
    request: {method: GET, url: /x}
  - name: b
    condition: "flags.includes('beta')"
    request: {method: GET, url: /x}
)yaml");
  ASSERT_TRUE(ok.suite) << Messages(ok);
  ASSERT_TRUE(ok.suite->steps[0].skip);
  EXPECT_TRUE(ok.suite->steps[0].skip->condition->IsJavaScript());
  EXPECT_EQ(ok.suite->scripts.size(), 2u);
  const SuiteLoad bad = Load(R"yaml(suite_name: x
node_id: x
steps:
  - name: a
    skip: "process.env.X === 'prod'"
    request: {method: GET, url: /x}
    post_request:
      script: "eval('1')"
      timeout: 0
)yaml");
  const std::string all = Messages(bad);
  EXPECT_NE(all.find("s.yaml:5:11: invalid javascript skip"), std::string::npos) << all;
  EXPECT_NE(all.find("'process' is not available"), std::string::npos) << all;
  EXPECT_NE(all.find("s.yaml:8:16: 'post_request' script: 'eval' is not available"), std::string::npos) << all;
  EXPECT_NE(all.find("s.yaml:9:16: 'timeout' must be a number of milliseconds"), std::string::npos) << all;
}

TEST(Suite, CertificatesAreValidated) {
  SuiteLoad load = Load(R"(suite_name: x
node_id: x
certificate: {ca_path: ca.pem, verify: true}
steps:
  - name: a
    request:
      method: GET
      url: https://h/
      certificate: {pfx_path: c.p12, passphrase: "{{pw}}"}
)");
  ASSERT_TRUE(load.suite) << Messages(load);
  EXPECT_TRUE(load.suite->certificate);
  EXPECT_TRUE(load.suite->steps[0].unsupported.empty());

  load = Load(R"(suite_name: x
node_id: x
certificate: {cert: a.pem, verify: 1}
steps:
  - name: a
    request: {method: GET, url: https://h/, certificate: {pfx_path: a.p12, cert_path: b.pem}}
)");
  const std::string all = Messages(load);
  EXPECT_NE(all.find("unknown certificate key 'cert'"), std::string::npos) << all;
  EXPECT_NE(all.find("'verify' must be true or false, got number"), std::string::npos) << all;
  EXPECT_NE(all.find("either 'pfx_path' or 'cert_path'"), std::string::npos) << all;
}

TEST(Suite, DelaysAreValidated) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    delay: soon
    request: {method: GET, url: /x}
  - name: b
    delay: {min: 50, max: 10}
    request: {method: GET, url: /x}
  - name: c
    delay: {min: 5, maks: 10}
    request: {method: GET, url: /x}
  - name: d
    delay: -5
    request: {method: GET, url: /x}
)");
  const std::string all = Messages(load);
  EXPECT_NE(all.find("s.yaml:5:12: 'delay' must be milliseconds, got 'soon'"), std::string::npos) << all;
  EXPECT_NE(all.find("'delay.min' is greater than 'delay.max'"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown delay key 'maks'"), std::string::npos) << all;
  EXPECT_NE(all.find("'delay' must be 0 or more milliseconds, got -5"), std::string::npos) << all;
}

TEST(Suite, SkipConditionsAreCheckedAtLoad) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    skip: "a == == b"
    request: {method: GET, url: /x}
  - name: b
    skip: {when: later, condition: "true"}
    request: {method: GET, url: /x}
  - name: c
    skip: {condition: x, whem: post_capture}
    request: {method: GET, url: /x}
)");
  const std::string all = Messages(load);
  EXPECT_NE(all.find("s.yaml:5:11: invalid skip condition 'a == == b'"), std::string::npos) << all;
  EXPECT_NE(all.find("'when' must be 'pre_execution' or 'post_capture', got later"), std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown skip key 'whem'"), std::string::npos) << all;
}

TEST(Suite, SkipConditionLiteralsBecomeJmesPathLiterals) {
  EXPECT_EQ(SkipConditionToJmesPath("count == 3"), "count == `3`");
  EXPECT_EQ(SkipConditionToJmesPath("a != true && b >= -1.5"), "a != `true` && b >= `-1.5`");
  EXPECT_EQ(SkipConditionToJmesPath("name == 'x' || v == null"), "name == 'x' || v == `null`");
  EXPECT_EQ(SkipConditionToJmesPath("x > y"), "x > y");
}

TEST(Suite, DuplicateStepIdsAreAnError) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    step_id: login
    request: {method: GET, url: /x}
  - name: b
    step_id: Login
    request: {method: GET, url: /y}
)");
  ASSERT_EQ(load.errors.size(), 1u) << Messages(load);
  EXPECT_EQ(load.errors[0].message, "duplicate step id 'login'");
}

TEST(Suite, AssertionErrorsAreLocatedInTheFile) {
  const SuiteLoad load = Load(R"(suite_name: x
node_id: x
steps:
  - name: a
    request: {method: GET, url: /x}
    assert:
      body:
        id:
          equals: 3
          typ: number
)");
  ASSERT_FALSE(load.suite);
  ASSERT_FALSE(load.errors.empty());
  EXPECT_EQ(load.errors[0].where->line, 10) << Messages(load);
  EXPECT_NE(load.errors[0].hint.find("type"), std::string::npos) << load.errors[0].hint;
}

TEST(Suite, NormalizesStepIdsLikeTheOriginal) {
  EXPECT_EQ(NormalizeStepId("  Create User (v2)!  "), "create-user-v2");
  EXPECT_EQ(NormalizeStepId("a__b..c::d"), "a__b..c::d");
  EXPECT_EQ(NormalizeStepId("---"), "");
}

TEST(Suite, InfersPriorityFromTheName) {
  EXPECT_EQ(InferPriority("Smoke tests"), "critical");
  EXPECT_EQ(InferPriority("User Login"), "high");
  EXPECT_EQ(InferPriority("Edge cases"), "low");
  EXPECT_EQ(InferPriority("Orders"), "medium");
}

TEST(Suite, NonMappingRootIsAClearError) {
  EXPECT_EQ(Load("- a\n- b\n").errors.at(0).message,
            "a suite must be a mapping with 'suite_name', 'node_id' and 'steps', got array");
  EXPECT_NE(Load("").errors.at(0).message.find("the file is empty"), std::string::npos);
}

}  // namespace
}  // namespace flow::core
