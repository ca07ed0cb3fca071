#include "core/run/runner.hpp"

#include <gtest/gtest.h>

#include "core/report/aggregated_report.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using flow::testing::FakeClock;
using flow::testing::FakeEntropy;
using flow::testing::FakeEnvironment;
using flow::testing::FakeHttpClient;
using flow::testing::FakeScriptEngine;

// Records every event as JSON text, so two runs can be compared exactly.
class RecordingSink final : public EventSink {
 public:
  void OnSuiteStarted(const std::string& node, const std::string&) override {
    events.push_back("suite-start " + node);
  }
  void OnStepFinished(const StepOutcome& step) override {
    Value v = StepToReport(step);
    events.push_back("step " + DumpJson(v));
    steps.push_back(step);
  }
  void OnSuiteFinished(const SuiteOutcome& suite) override {
    events.push_back("suite-end " + suite.node_id + " " + std::string(SuiteStatusName(suite.status)) +
                     " ok=" + std::to_string(suite.steps_successful) +
                     " failed=" + std::to_string(suite.steps_failed) +
                     " errored=" + std::to_string(suite.steps_errored) +
                     " skipped=" + std::to_string(suite.steps_skipped) + " exported=" +
                     DumpJson(suite.exported));
    suites.push_back(suite);
  }
  void OnRunFinished(const RunOutcome& run) override {
    events.push_back("run-end failed=" + std::to_string(run.suites_failed));
  }
  std::vector<std::string> events;
  std::vector<StepOutcome> steps;
  std::vector<SuiteOutcome> suites;
};

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status_code = status;
  r.headers = {{"content-type", "application/json"}};
  r.body = std::move(body);
  r.size_bytes = r.body.size();
  r.timings.total_ms = 5;
  return r;
}

struct Harness {
  FakeHttpClient http;
  FakeClock clock;
  FakeEntropy entropy;
  FakeEnvironment env;
  RecordingSink sink;
  FakeScriptEngine script;
  bool with_script = false;  // hand `script` to the runner
  std::vector<Suite> suites;
  RunOptions options;

  void Add(std::string_view text, std::string file = "s.yaml") {
    SuiteLoad load = LoadSuite(text, std::move(file));
    ASSERT_TRUE(load.suite) << (load.errors.empty() ? "" : FormatErrorLine(load.errors[0]));
    suites.push_back(std::move(*load.suite));
  }
  std::vector<const Suite*> Plan() const {
    std::vector<const Suite*> out;
    for (const Suite& s : suites) out.push_back(&s);
    return out;
  }
  std::unique_ptr<Runner> MakeRunner() {
    return std::make_unique<Runner>(
        RunnerPorts{.http = &http, .clock = &clock, .entropy = &entropy, .environment = &env,
                    .sink = &sink, .script = with_script ? &script : nullptr},
        Plan(), options, suites.size());
  }
};

constexpr std::string_view kLogin = R"(suite_name: Login
node_id: auth
base_url: "http://api.test"
variables:
  user: alice
  greeting: "hi {{user}}"
exports: [token]
steps:
  - name: login
    request:
      method: POST
      url: /login
      body: {user: "{{user}}", n: 2}
    assert:
      status_code: 200
      body:
        ok: {equals: true}
    capture:
      token: body.token
  - name: profile
    request:
      method: GET
      url: "/me?t={{token}}"
      headers:
        Authorization: "Bearer {{token}}"
        X-Greeting: "{{greeting}}"
    assert:
      status_code: 200
)";

TEST(Runner, RunsStepsInOrderAndChainsCaptures) {
  Harness h;
  h.Add(kLogin);
  h.http.replies = {Json(200, R"({"ok":true,"token":"t-1"})"), Json(200, "{}")};
  auto runner = h.MakeRunner();
  runner->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/login");
  EXPECT_EQ(h.http.sent[0].body, R"({"user":"alice","n":2})");
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/me?t=t-1");
  EXPECT_EQ(FindHeader(h.http.sent[1].headers, "authorization"), "Bearer t-1");
  EXPECT_EQ(FindHeader(h.http.sent[1].headers, "x-greeting"), "hi alice");
  ASSERT_EQ(h.sink.suites.size(), 1u);
  EXPECT_EQ(h.sink.suites[0].status, SuiteStatus::kSuccess);
  // What is reported is masked ("token" looks secret); the run itself keeps the real value.
  EXPECT_EQ(h.sink.suites[0].exported["token"], "***");
  EXPECT_EQ(runner->exports()["auth"]["token"], "t-1");
  EXPECT_TRUE(runner->outcome().Passed());
}

TEST(Runner, FailedAssertionStopsTheSuiteAndReportsTheRestAsSkipped) {
  Harness h;
  h.Add(kLogin);
  h.http.replies = {Json(401, R"({"ok":false})")};
  auto runner = h.MakeRunner();
  runner->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 1u);
  ASSERT_EQ(h.sink.steps.size(), 2u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kFailure);
  EXPECT_EQ(h.sink.steps[0].FailedAssertions(), 2u);
  // Each check knows its place in the file: `status_code: 200` is on line 15.
  ASSERT_TRUE(h.sink.steps[0].assertions[0].where);
  EXPECT_EQ(h.sink.steps[0].assertions[0].where->line, 15);
  EXPECT_EQ(h.sink.steps[0].assertions[1].where->line, 17);
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.steps[1].skip_reason, "not run: step 'login' failed");
  EXPECT_EQ(h.sink.suites[0].status, SuiteStatus::kFailure);
  EXPECT_FALSE(runner->outcome().Passed());
}

TEST(Runner, ContinueOnFailureKeepsGoing) {
  Harness h;
  h.Add(kLogin);
  h.options.continue_on_failure = true;
  h.http.replies = {Json(500, "{}"), Json(200, "{}")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 2u);
  // The capture found nothing, so {{token}} is null: a warning, and the text "null".
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/me?t=null");
  EXPECT_FALSE(h.sink.steps[0].warnings.empty());
}

TEST(Runner, NetworkErrorIsAnErroredStep) {
  Harness h;
  h.Add(kLogin);
  h.http.replies = {Result<HttpResponse>(Unavailable("connection refused by api.test:80"))};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 2u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kError);
  EXPECT_EQ(h.sink.steps[0].error->message, "connection refused by api.test:80");
  EXPECT_EQ(h.sink.steps[0].error->where->line, 12);  // the url of the request
  EXPECT_EQ(h.sink.suites[0].steps_errored, 1u);
}

TEST(Runner, UnknownVariableIsAStepErrorWithAHint) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {token: abc}
steps:
  - name: a
    request: {method: GET, url: "http://x/{{tokn}}"}
)");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kError);
  EXPECT_EQ(h.sink.steps[0].error->message, "unknown variable 'tokn'");
  EXPECT_EQ(h.sink.steps[0].error->hint, "did you mean 'token'?");
  EXPECT_EQ(h.sink.steps[0].error->where->line, 6);
  EXPECT_TRUE(h.http.sent.empty());
}

TEST(Runner, LiteralPolicySendsUnknownPlaceholdersAsWrittenWithAWarning) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://x/", headers: {X-T: "a {{nope}}"}}
)");
  h.options.unresolved = UnresolvedPolicy::kLiteral;
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(FindHeader(h.http.sent[0].headers, "x-t"), "a {{nope}}");
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
  ASSERT_EQ(h.sink.steps[0].warnings.size(), 1u);
  EXPECT_NE(h.sink.steps[0].warnings[0].find("'nope'"), std::string::npos) << h.sink.steps[0].warnings[0];
}

TEST(Runner, DelayWaitsBeforeTheStepAndTimeoutsApply) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {wait: 250}
steps:
  - name: fixed
    delay: 100
    timeout: 700
    request: {method: GET, url: "http://x/"}
  - name: templated
    delay: "{{wait}}"
    request: {method: GET, url: "http://x/", timeout: 900}
  - name: random
    delay: {min: 10, max: 20}
    metadata: {timeout: 800}
    request: {method: GET, url: "http://x/"}
)");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.clock.slept_ms.size(), 3u);
  EXPECT_EQ(h.clock.slept_ms[0], 100);
  EXPECT_EQ(h.clock.slept_ms[1], 250);
  EXPECT_GE(h.clock.slept_ms[2], 10);
  EXPECT_LE(h.clock.slept_ms[2], 20);
  EXPECT_EQ(h.sink.steps[1].delay_ms, 250);
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(h.http.sent[0].timeout, std::chrono::milliseconds(700));
  EXPECT_EQ(h.http.sent[1].timeout, std::chrono::milliseconds(900));
  EXPECT_EQ(h.http.sent[2].timeout, std::chrono::milliseconds(800));
}

TEST(Runner, ADelayThatIsNotANumberIsAStepError) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {wait: soon}
steps:
  - name: a
    delay: "{{wait}}"
    request: {method: GET, url: "http://x/"}
)");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kError);
  EXPECT_EQ(h.sink.steps[0].error->message, "'delay' must be milliseconds, got 'soon'");
  EXPECT_EQ(h.sink.steps[0].error->where->line, 6);
  EXPECT_TRUE(h.http.sent.empty());
}

TEST(Runner, SkipConditionsDecideBeforeOrAfterTheStep) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {env: staging, retries: 3, feature: {on: false}}
steps:
  - name: always
    skip: true
    request: {method: GET, url: "http://x/1"}
  - name: by-number
    skip: "retries == 3"
    request: {method: GET, url: "http://x/2"}
  - name: by-template
    skip: "'{{env}}' == 'production'"
    request: {method: GET, url: "http://x/3"}
  - name: by-path
    skip: feature.on
    request: {method: GET, url: "http://x/4"}
  - name: after
    skip: {when: post_capture, condition: "status_code == `404`"}
    request: {method: GET, url: "http://x/5"}
    capture: {seen: status_code}
)");
  h.http.replies = {Json(200, "{}"), Json(200, "{}"), Json(404, "{}")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 5u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.steps[0].skip_reason, "skip condition is true: true");
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.steps[2].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[3].status, StepStatus::kSuccess);
  // post_capture: the request was made and its captures kept, then the step counts as skipped.
  EXPECT_EQ(h.sink.steps[4].status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.steps[4].captured["seen"], 404);
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(h.http.sent[0].url, "http://x/3");
  EXPECT_EQ(h.sink.suites[0].status, SuiteStatus::kSuccess);
}

TEST(Runner, JavaScriptNeedsTheScriptEngine) {
  Harness h;
  h.Add(R"y(suite_name: S
node_id: s
steps:
  - name: a
    skip: "env === 'prod'"
    request: {method: GET, url: "http://x/"}
)y");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kError);
  EXPECT_EQ(h.sink.steps[0].error->reason, kScriptDisabled);
  EXPECT_EQ(h.sink.steps[0].error->where->line, 5);
  EXPECT_TRUE(h.http.sent.empty());
}

TEST(Runner, JavaScriptSkipConditionsSeeTheVariables) {
  Harness h;
  h.with_script = true;
  h.script.On("env === 'prod'", [](const Value& b) { return Value(b.at("env") == "prod"); });
  h.Add(R"y(suite_name: S
node_id: s
variables: {env: prod}
steps:
  - name: a
    skip: "env === 'prod'"
    request: {method: GET, url: "http://x/"}
)y");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSkipped);
  ASSERT_EQ(h.script.calls.size(), 1u);
  EXPECT_EQ(h.script.calls[0].bindings, Value::parse(R"y({"env": "prod"})y"));
  EXPECT_EQ(h.script.sessions_opened, 1);
}

TEST(Runner, SuitesWithoutJavaScriptOpenNoSession) {
  Harness h;
  h.with_script = true;
  h.Add(kLogin);
  h.http.replies = {Json(200, R"y({"ok":true,"token":"t"})y"), Json(200, "{}")};
  h.MakeRunner()->RunToEnd();
  EXPECT_EQ(h.script.sessions_opened, 0);
}

TEST(Runner, PreRequestScriptChangesTheRequestAndSetsVariables) {
  Harness h;
  h.with_script = true;
  h.script.answers["request.headers['X-Sig'] = 'abc'; setVariable('signed', true)"] =
      [](const ScriptCall& call) -> Result<ScriptOutcome> {
    EXPECT_EQ(call.kind, ScriptCallKind::kBlock);
    EXPECT_EQ(call.read_back, std::vector<std::string>{"request"});
    EXPECT_EQ(call.budget.cpu_ms, 250);
    EXPECT_EQ(call.bindings.at("request").at("url"), "http://x/a");
    EXPECT_TRUE(call.bindings.at("variables").contains("base"));
    ScriptOutcome out;
    out.read_back["request"] = call.bindings.at("request");
    out.read_back["request"]["headers"]["X-Sig"] = "abc";
    out.set_variables["signed"] = true;
    out.console.push_back({"log", "signing"});
    return out;
  };
  h.Add(R"y(suite_name: S
node_id: s
variables: {base: "http://x"}
steps:
  - name: a
    request: {method: GET, url: "{{base}}/a"}
    pre_request:
      script: "request.headers['X-Sig'] = 'abc'; setVariable('signed', true)"
      timeout: 250
  - name: b
    request: {method: GET, url: "http://x/{{signed}}"}
)y");
  h.http.replies = {Json(200, "{}"), Json(200, "{}")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(FindHeader(h.http.sent[0].headers, "x-sig"), "abc");
  EXPECT_EQ(h.http.sent[1].url, "http://x/true");
  ASSERT_EQ(h.sink.steps[0].logs.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].logs[0].message, "signing");
}

TEST(Runner, PostRequestScriptSeesTheResponseAndFailuresFailTheStep) {
  Harness h;
  h.with_script = true;
  h.script.answers["setVariable('n', response.body.n * 2)"] =
      [](const ScriptCall& call) -> Result<ScriptOutcome> {
    EXPECT_EQ(call.bindings.at("response").at("status_code"), 201);
    ScriptOutcome out;
    out.set_variables["n"] = call.bindings.at("response").at("body").at("n").get<int>() * 2;
    return out;
  };
  h.Add(R"y(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://x/"}
    post_request:
      script: "setVariable('n', response.body.n * 2)"
  - name: b
    request: {method: GET, url: "http://x/"}
    post_request:
      script: "boom()"
  - name: c
    request: {method: GET, url: "http://x/"}
    post_request:
      script: "boom()"
      continue_on_error: true
)y");
  h.options.continue_on_failure = true;
  h.http.replies = {Json(201, R"y({"n": 21})y"), Json(200, "{}"), Json(200, "{}")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 3u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[0].captured.at("n"), 42);
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kError);
  EXPECT_NE(h.sink.steps[1].error->message.find("post_request script failed"), std::string::npos);
  EXPECT_EQ(h.sink.steps[1].error->where->line, 11);
  EXPECT_EQ(h.sink.steps[2].status, StepStatus::kSuccess);
  ASSERT_FALSE(h.sink.steps[2].warnings.empty());
}

TEST(Runner, CustomAssertionsPassFailAndReportExceptions) {
  Harness h;
  h.with_script = true;
  h.script.On("body.token.split('.').length === 3",
              [](const Value& b) { return Value(b.at("body").at("token") == "a.b.c"); });
  h.script.On("status_code === 500", [](const Value& b) { return Value(b.at("status_code") == 500); });
  h.Add(R"y(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://x/"}
    assert:
      custom:
        - name: jwt
          condition: "body.token.split('.').length === 3"
        - name: broken
          condition: "js: status_code === 500"
          message: "expected a server error"
        - name: throws
          condition: "nope()"
)y");
  h.http.replies = {Json(200, R"y({"token": "a.b.c"})y")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  const std::vector<AssertionOutcome>& a = h.sink.steps[0].assertions;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_TRUE(a[0].passed);
  EXPECT_EQ(a[0].field, "custom.jwt");
  EXPECT_FALSE(a[1].passed);
  EXPECT_EQ(a[1].message, "expected a server error");
  EXPECT_FALSE(a[2].passed);
  EXPECT_NE(a[2].message.find("error evaluating condition"), std::string::npos);
  EXPECT_EQ(a[2].where->line, 14);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kFailure);
}

TEST(Runner, ForbiddenJavaScriptIsALoadErrorWithItsPlace) {
  SuiteLoad load = LoadSuite(R"y(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://x/{{js: require('fs')}}"}
    pre_request:
      script: |
        const x = 1;
        process.exit(1)
)y", "bad.yaml");
  ASSERT_FALSE(load.suite);
  ASSERT_EQ(load.errors.size(), 2u);
  EXPECT_EQ(load.errors[0].where->line, 5);
  EXPECT_NE(load.errors[0].message.find("'require' is not available"), std::string::npos)
      << load.errors[0].message;
  EXPECT_EQ(load.errors[1].where->line, 9);  // the line of process.exit in the block
  EXPECT_EQ(load.errors[1].where->column, 9);
  EXPECT_NE(load.errors[1].message.find("line 2, column 1 of the code"), std::string::npos)
      << load.errors[1].message;
}

TEST(Runner, DirectJavaScriptCapturesKeepTheirType) {
  Harness h;
  h.with_script = true;
  h.script.On("body.items.length", [](const Value& b) { return Value(b.at("body").at("items").size()); });
  h.Add(R"y(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://x/"}
    capture:
      count: "$body.items.length"
)y");
  h.http.replies = {Json(200, R"y({"items": [1, 2, 3]})y")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].captured.at("count"), 3);
}

TEST(Runner, ExportsReachLaterSuitesByNodeId) {
  Harness h;
  h.Add(kLogin, "login.yaml");
  h.Add(R"(suite_name: Orders
node_id: orders
steps:
  - name: list
    request:
      method: GET
      url: "http://api.test/orders"
      headers: {Authorization: "Bearer {{auth.token}}"}
)",
        "orders.yaml");
  h.http.replies = {Json(200, R"({"ok":true,"token":"t-9"})"), Json(200, "{}"), Json(200, "[]")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(FindHeader(h.http.sent[2].headers, "authorization"), "Bearer t-9");
}

TEST(Runner, StepFilterSkipsOtherSteps) {
  Harness h;
  h.Add(kLogin);
  h.options.step_filter = {"auth:step-1-login"};
  h.http.replies = {Json(200, R"({"ok":true,"token":"t-1"})")};
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.steps.size(), 2u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.steps[1].skip_reason, "not selected by --step");
  EXPECT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(h.sink.suites[0].status, SuiteStatus::kSuccess);
}

TEST(Runner, SuiteVariableErrorFailsTheSuiteAtItsPlace) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables:
  email: "{{$faker.internet.email}}"
steps:
  - name: a
    request: {method: GET, url: "http://x/"}
)");
  h.MakeRunner()->RunToEnd();
  ASSERT_EQ(h.sink.suites.size(), 1u);
  ASSERT_TRUE(h.sink.suites[0].error);
  EXPECT_EQ(h.sink.suites[0].error->reason, kScriptDisabled);
  EXPECT_EQ(h.sink.suites[0].error->where->line, 4);
  EXPECT_EQ(h.sink.suites[0].status, SuiteStatus::kFailure);
  EXPECT_TRUE(h.http.sent.empty());
}

// The checkpoint contract: stop after any number of steps, serialise, restore into a fresh
// runner (new sink, new HTTP client), finish: the events are exactly those of an uninterrupted run.
TEST(Runner, SavedStateResumesInAFreshRunnerAndFinishesIdentically) {
  const auto replies = [] {
    return std::vector<Result<HttpResponse>>{Json(200, R"({"ok":true,"token":"t-1"})"),
                                             Json(200, "{}"), Json(200, "[]")};
  };
  constexpr std::string_view kOrders = R"(suite_name: Orders
node_id: orders
steps:
  - name: list
    request: {method: GET, url: "http://api.test/orders?t={{auth.token}}"}
    assert: {status_code: 200}
)";
  Harness whole;
  whole.Add(kLogin, "login.yaml");
  whole.Add(kOrders, "orders.yaml");
  whole.http.replies = replies();
  auto whole_runner = whole.MakeRunner();
  whole_runner->RunToEnd();
  ASSERT_GE(whole.sink.events.size(), 7u);

  for (int cut = 1; cut <= 6; ++cut) {
    Harness first;
    first.Add(kLogin, "login.yaml");
    first.Add(kOrders, "orders.yaml");
    first.http.replies = replies();
    auto runner = first.MakeRunner();
    for (int i = 0; i < cut; ++i) runner->Advance();
    const std::string saved = DumpJson(runner->SaveState());

    Harness second;
    second.Add(kLogin, "login.yaml");
    second.Add(kOrders, "orders.yaml");
    second.clock = first.clock;
    second.http.replies = replies();
    second.http.replies.erase(second.http.replies.begin(),
                              second.http.replies.begin() +
                                  static_cast<std::ptrdiff_t>(first.http.sent.size()));
    auto resumed = second.MakeRunner();
    ASSERT_TRUE(resumed->RestoreState(Value::parse(saved)));
    resumed->RunToEnd();

    std::vector<std::string> events = first.sink.events;
    events.insert(events.end(), second.sink.events.begin(), second.sink.events.end());
    EXPECT_EQ(events, whole.sink.events) << "cut after " << cut << " advances";
    EXPECT_TRUE(DeepEqual(resumed->exports(), whole_runner->exports())) << "cut " << cut;
  }
}

TEST(Runner, RestoreRejectsAStateOfAnotherPlan) {
  Harness h;
  h.Add(kLogin);
  auto runner = h.MakeRunner();
  Value state = runner->SaveState();
  state["suites"] = {"other"};
  const Result<void> restored = h.MakeRunner()->RestoreState(state);
  ASSERT_FALSE(restored);
  EXPECT_NE(restored.error().message.find("'other'"), std::string::npos);
  EXPECT_FALSE(h.MakeRunner()->RestoreState(Value("junk")));
}

// Secrets: whatever the run learns is secret is masked in every event it emits, while the
// requests carry the real values.
TEST(RunnerSecrets, EverySourceOfASecretIsMaskedInTheEventsNotOnTheWire) {
  Harness h;
  h.env.vars["API_KEY_FROM_ENV"] = "env-secret-1";
  h.Add(R"(suite_name: S
node_id: s
base_url: "http://api.test"
variables:
  db_password: name-secret-2
  env_key: "{{$env.API_KEY_FROM_ENV}}"
steps:
  - name: login
    request:
      method: POST
      url: /login
      headers: {Authorization: "Basic header-secret-3", Cookie: "sid=cookie-secret-4"}
      body: {p: "{{db_password}}", k: "{{env_key}}"}
    capture: {access_token: body.token}
  - name: use
    request: {method: GET, url: "/use?t={{access_token}}&k={{env_key}}"}
    assert:
      body.echo: {equals: "{{access_token}}-x"}
)");
  h.http.replies = {Json(200, R"({"token":"capture-secret-5"})"),
                    Json(200, R"({"echo":"capture-secret-5-y","set":"session=srv-secret-6"})")};
  h.http.replies[1]->headers.emplace_back("set-cookie", "session=srv-secret-6; Path=/");
  auto runner = h.MakeRunner();
  runner->RunToEnd();
  // The wire carries the real values.
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].body, R"({"p":"name-secret-2","k":"env-secret-1"})");
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/use?t=capture-secret-5&k=env-secret-1");
  // No event holds any of them.
  std::string everything;
  for (const std::string& e : h.sink.events) everything += e + "\n";
  for (const SuiteOutcome& s : h.sink.suites) {
    everything += DumpJson(s.variables) + DumpJson(s.exported) + "\n";
  }
  for (const char* secret : {"env-secret-1", "name-secret-2", "header-secret-3", "cookie-secret-4",
                             "capture-secret-5", "srv-secret-6"}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << secret << "\n" << everything;
  }
  EXPECT_NE(everything.find("/use?t=***&k=***"), std::string::npos) << everything;
  // The failed assertion still says what differed, masked.
  ASSERT_EQ(h.sink.steps.size(), 2u);
  EXPECT_EQ(h.sink.steps[1].assertions[0].actual, "***-y");
  EXPECT_EQ(h.sink.steps[1].assertions[0].expected, "***-x");
}

TEST(RunnerSecrets, VariablesMarkedSecretAndRedactedCapturesAreMaskedWhateverTheirNames) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
base_url: "http://api.test"
variables:
  plain_name: {value: "marked-secret-8", secret: true}
  shown: {value: "not-a-secret", secret: false}
steps:
  - name: one
    request: {method: GET, url: "/a/{{plain_name}}/{{shown}}"}
    capture:
      order_ref: {path: body.ref, redact: true}
      visible: body.other
  - name: two
    request: {method: GET, url: "/b/{{order_ref}}/{{visible}}"}
)");
  h.http.replies = {Json(200, R"({"ref":"redacted-9","other":"plain-10"})"), Json(200, "{}")};
  auto runner = h.MakeRunner();
  runner->RunToEnd();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/a/marked-secret-8/not-a-secret");
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/b/redacted-9/plain-10");
  std::string everything;
  for (const std::string& e : h.sink.events) everything += e;
  EXPECT_EQ(everything.find("marked-secret-8"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("redacted-9"), std::string::npos) << everything;
  EXPECT_NE(everything.find("/a/***/not-a-secret"), std::string::npos) << everything;
  EXPECT_NE(everything.find("/b/***/plain-10"), std::string::npos) << everything;
}

TEST(RunnerSecrets, ASavedRunKeepsItsSecretsSoTheResumedRunMasksThem) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
base_url: "http://api.test"
steps:
  - name: login
    request: {method: GET, url: /login}
    capture: {token: body.token}
  - name: use
    request: {method: GET, url: "/use/{{token}}"}
)");
  h.http.reply = Json(200, R"({"token":"resume-secret-7"})");
  auto first = h.MakeRunner();
  first->Advance();  // run started
  first->Advance();  // suite started
  first->Advance();  // login
  const Value state = first->SaveState();
  ASSERT_TRUE(state.contains("secrets"));
  EXPECT_NE(DumpJson(state["secrets"]).find("resume-secret-7"), std::string::npos);
  h.sink.events.clear();
  auto second = h.MakeRunner();
  ASSERT_TRUE(second->RestoreState(state));
  second->RunToEnd();
  std::string everything;
  for (const std::string& e : h.sink.events) everything += e;
  EXPECT_EQ(everything.find("resume-secret-7"), std::string::npos) << everything;
  EXPECT_NE(everything.find("/use/***"), std::string::npos) << everything;
}

}  // namespace
}  // namespace flow::core
