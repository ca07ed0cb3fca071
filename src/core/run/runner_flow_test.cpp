// The flow-control features of the runner: iterate, scenarios, retry, call, conditions,
// required dependencies and fail-fast.
#include <gtest/gtest.h>

#include <map>

#include "core/input/input_test_support.hpp"
#include "core/run/runner.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using flow::testing::FakeClock;
using flow::testing::FakeEntropy;
using flow::testing::FakeEnvironment;
using flow::testing::FakeHttpClient;

struct Sink final : EventSink {
  void OnStepFinished(const StepOutcome& step) override { steps.push_back(step); }
  void OnSuiteFinished(const SuiteOutcome& suite) override { suites.push_back(suite); }
  void OnRunFinished(const RunOutcome& r) override { run = r; }
  const StepOutcome* Find(std::string_view name) const {
    for (const StepOutcome& s : steps) {
      if (s.step_name == name) return &s;
    }
    return nullptr;
  }
  std::vector<StepOutcome> steps;
  std::vector<SuiteOutcome> suites;
  RunOutcome run;
};

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status_code = status;
  r.headers = {{"content-type", "application/json"}};
  r.body = std::move(body);
  r.size_bytes = r.body.size();
  return r;
}

class MapSuiteSource final : public SuiteSource {
 public:
  Result<const Suite*> Load(const std::string& path) override {
    loads.push_back(path);
    auto it = suites.find(path);
    if (it == suites.end()) return NotFound("no suite file " + path);
    return &it->second;
  }
  Result<std::string> ReadText(const std::string& path) override {
    auto it = files.find(path);
    if (it == files.end()) return NotFound("no file " + path);
    return it->second;
  }
  void Add(const std::string& path, std::string_view text) {
    SuiteLoad load = LoadSuite(text, path);
    ASSERT_TRUE(load.suite) << FormatErrorLine(load.errors.at(0));
    suites.emplace(path, std::move(*load.suite));
  }
  std::map<std::string, Suite> suites;
  std::map<std::string, std::string> files;
  std::vector<std::string> loads;
};

struct Harness {
  FakeHttpClient http;
  FakeClock clock;
  FakeEntropy entropy;
  FakeEnvironment env;
  MapSuiteSource source;
  flow::testing::ScriptedInputProvider input;
  Sink sink;
  std::vector<Suite> suites;
  RunOptions options;

  void Add(std::string_view text, std::string file = "tests/s.yaml") {
    SuiteLoad load = LoadSuite(text, std::move(file));
    ASSERT_TRUE(load.suite) << (load.errors.empty() ? "" : FormatErrorLine(load.errors[0]));
    suites.push_back(std::move(*load.suite));
  }
  void Run() {
    std::vector<const Suite*> plan;
    for (const Suite& s : suites) plan.push_back(&s);
    Runner runner(RunnerPorts{.http = &http, .clock = &clock, .entropy = &entropy,
                              .environment = &env, .sink = &sink, .input = &input,
                              .suites = &source},
                  plan, options, suites.size());
    runner.RunToEnd();
    exports = runner.exports();
  }
  Value exports;
};

TEST(RunnerIterate, RunsOncePerItemWithTheItemAndIterationInfo) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
base_url: http://api.test
variables:
  users: [{name: ann}, {name: bob}]
steps:
  - name: "create {{user.name}}"
    iterate: {over: "{{users}}", as: user}
    request:
      method: POST
      url: /users
      body: {name: "{{user.name}}", i: "{{_iteration.index}}", last: "{{_iteration.isLast}}"}
    capture:
      id: body.id
  - name: after
    request: {method: GET, url: "/u/{{id}}/{{id_iteration_0}}"}
)");
  h.http.replies = {Json(200, R"({"id": 1})"), Json(200, R"({"id": 2})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(h.http.sent[0].body, R"({"name":"ann","i":0,"last":false})");
  EXPECT_EQ(h.http.sent[1].body, R"({"name":"bob","i":1,"last":true})");
  // The last value stays visible after the loop, and each one as <var>_iteration_<k>.
  EXPECT_EQ(h.http.sent[2].url, "http://api.test/u/2/1");
  ASSERT_EQ(h.sink.steps.size(), 4u);
  EXPECT_EQ(h.sink.steps[0].step_name, "create ann [1/2]");
  EXPECT_EQ(h.sink.steps[0].iteration, 0u);
  EXPECT_EQ(h.sink.steps[0].depth, 1u);
  EXPECT_EQ(h.sink.steps[0].parent_qualified_id, "s::step-1-create-user.name");
  EXPECT_EQ(h.sink.steps[1].step_id, "step-1-create-user.name-iter-2");
  const StepOutcome& parent = h.sink.steps[2];
  EXPECT_EQ(parent.kind, "iterate");
  EXPECT_EQ(parent.depth, 0u);
  EXPECT_EQ(parent.details["iteration_summary"]["passed"], 2);
  EXPECT_EQ(h.sink.suites[0].steps_reported, 2u);  // children are not top-level steps
}

TEST(RunnerIterate, RangesTakeVariablesAndCountDown) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {top: 3}
steps:
  - name: r
    iterate: {range: "{{top}}..1", as: n}
    request: {method: GET, url: "http://api.test/{{n}}"}
)");
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/3");
  EXPECT_EQ(h.http.sent[2].url, "http://api.test/1");
}

TEST(RunnerIterate, AFailedIterationStopsTheLoopUnlessContinueOnFailure) {
  for (const bool keep_going : {false, true}) {
    Harness h;
    h.Add(std::string(R"(suite_name: S
node_id: s
steps:
  - name: r
    iterate: {range: "1..3", as: n}
    continue_on_failure: )") + (keep_going ? "true" : "false") + R"(
    request: {method: GET, url: "http://api.test/{{n}}"}
    assert: {status_code: 200}
)");
    h.http.replies = {Json(500, "{}"), Json(200, "{}"), Json(200, "{}")};
    h.Run();
    EXPECT_EQ(h.http.sent.size(), keep_going ? 3u : 1u);
    EXPECT_EQ(h.sink.steps.back().status, StepStatus::kFailure);
    EXPECT_EQ(h.sink.steps.back().details["iteration_summary"]["failed"], 1);
  }
}

TEST(RunnerIterate, OverAnExpressionAndOverANonListFails) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables:
  users: [{id: 1, active: true}, {id: 2, active: false}, {id: 3, active: true}]
  name: x
steps:
  - name: active
    iterate: {over: "users[?active]", as: u}
    request: {method: GET, url: "http://api.test/{{u.id}}"}
  - name: bad
    iterate: {over: name}
    request: {method: GET, url: "http://api.test/"}
)");
  h.options.continue_on_failure = true;
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/3");
  const StepOutcome* bad = h.sink.Find("bad");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->status, StepStatus::kError);
  EXPECT_EQ(bad->error->message, "'iterate.over' must give a list, 'name' is string");
  EXPECT_EQ(bad->error->where->line, 11);
}

TEST(RunnerIterate, AnEmptyListSucceedsWithoutChildren) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {items: []}
steps:
  - name: none
    iterate: {over: items}
    request: {method: GET, url: "http://api.test/"}
)");
  h.Run();
  EXPECT_TRUE(h.http.sent.empty());
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
}

constexpr std::string_view kScenarios = R"(suite_name: S
node_id: s
base_url: http://api.test
variables: {want: admin}
steps:
  - name: who
    request: {method: GET, url: /me}
    scenarios:
      - name: admin
        condition: "body.role == {{want}}"
        then:
          assert: {body: {level: {greater_than: 5}}}
          capture: {role: body.role}
          variables: {is_admin: true}
          steps:
            - name: nested
              request: {method: GET, url: "/admin/{{role}}"}
        else:
          variables: {is_admin: false}
      - condition: "status_code == 200"
        then:
          variables: {ok: yes}
  - name: next
    request: {method: GET, url: "/next/{{is_admin}}/{{ok}}"}
)";

TEST(RunnerScenarios, EveryScenarioIsEvaluatedAndBranchesApply) {
  Harness h;
  h.Add(kScenarios);
  h.http.replies = {Json(200, R"({"role":"admin","level":9})"), Json(200, "{}"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 3u);
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/admin/admin");
  EXPECT_EQ(h.http.sent[2].url, "http://api.test/next/true/yes");
  const StepOutcome* nested = h.sink.Find("nested");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->depth, 1u);
  EXPECT_EQ(nested->parent_qualified_id, "s::step-1-who");
  const StepOutcome* who = h.sink.Find("who");
  ASSERT_NE(who, nullptr);
  EXPECT_EQ(who->status, StepStatus::kSuccess);
  ASSERT_EQ(who->assertions.size(), 1u);
  EXPECT_EQ(who->details["scenarios_meta"]["executed_count"], 2);
  EXPECT_EQ(who->details["scenarios_meta"]["evaluations"][0]["branch"], "then");
}

TEST(RunnerScenarios, ElseBranchAndFailingBranchAssertion) {
  Harness h;
  h.Add(kScenarios);
  h.options.continue_on_failure = true;
  h.http.replies = {Json(200, R"({"role":"user","level":1})"), Json(200, "{}")};
  h.Run();
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/next/false/yes");

  Harness failing;
  failing.Add(kScenarios);
  failing.http.replies = {Json(200, R"({"role":"admin","level":1})"), Json(200, "{}")};
  failing.Run();
  const StepOutcome* who = failing.sink.Find("who");
  ASSERT_NE(who, nullptr);
  EXPECT_EQ(who->status, StepStatus::kFailure);
  EXPECT_EQ(who->assertions[0].where->line, 12);
}

TEST(RunnerScenarios, ScenarioOnlyStepsSeeVariablesSendBranchRequestsAndSkipWhenNothingMatches) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
base_url: http://api.test
variables: {mode: fast}
steps:
  - name: choose
    scenarios:
      - condition: "mode == 'fast'"
        then:
          request: {method: GET, url: /fast}
          assert: {status_code: 201}
          capture: {speed: body.speed}
  - name: none
    scenarios:
      - condition: "mode == 'slow'"
        then:
          variables: {x: 1}
  - name: after
    request: {method: GET, url: "/after/{{speed}}"}
)");
  h.http.replies = {Json(201, R"({"speed": 9})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/fast");
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/after/9");
  EXPECT_EQ(h.sink.Find("choose")->status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.Find("choose")->assertions.size(), 1u);
  EXPECT_EQ(h.sink.Find("none")->status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.Find("none")->skip_reason, "no scenario condition matched");
}

TEST(RunnerScenarios, AConditionThatCannotBeEvaluatedFailsTheStep) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://api.test/"}
    scenarios:
      - condition: "{{missing}} == `1`"
        then: {variables: {x: 1}}
)");
  h.Run();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kError);
  EXPECT_NE(h.sink.steps[0].error->message.find("scenario 1"), std::string::npos);
  EXPECT_EQ(h.sink.steps[0].error->where->line, 7);
}

TEST(RunnerRetry, RetriesOnListedStatusesWithBackoffAndReportsEveryAttempt) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: flaky
    request: {method: GET, url: "http://api.test/"}
    assert: {status_code: 200}
    retry: {max_attempts: 4, delay_ms: 100, backoff: 2, retry_on: [503]}
)");
  h.http.replies = {Json(503, "{}"), Json(503, "{}"), Json(200, "{}")};
  h.Run();
  EXPECT_EQ(h.http.sent.size(), 3u);
  ASSERT_EQ(h.sink.steps.size(), 1u);
  const StepOutcome& s = h.sink.steps[0];
  EXPECT_EQ(s.status, StepStatus::kSuccess);
  ASSERT_EQ(s.attempts.size(), 3u);
  EXPECT_EQ(s.attempts[0].status, StepStatus::kFailure);
  EXPECT_EQ(s.attempts[0].status_code, 503);
  EXPECT_EQ(s.attempts[2].status, StepStatus::kSuccess);
  EXPECT_EQ(h.clock.slept_ms, (std::vector<std::int64_t>{100, 200}));
}

TEST(RunnerRetry, StatusOnlyRetryOnDoesNotRetryOtherFailures) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: once
    request: {method: GET, url: "http://api.test/"}
    assert: {status_code: 200}
    retry: {max_attempts: 3, retry_on: [503]}
)");
  h.http.replies = {Json(404, "{}"), Json(200, "{}")};
  h.Run();
  EXPECT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kFailure);
}

TEST(RunnerRetry, MetadataRetryAndRetryFailedRetryAnyFailureIncludingNetworkErrors) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: a
    request: {method: GET, url: "http://api.test/a"}
    metadata: {retry: {max_attempts: 2, delay_ms: 5}}
  - name: b
    request: {method: GET, url: "http://api.test/b"}
    assert: {status_code: 200}
)");
  h.options.retry_failed = {.enabled = true, .max_attempts = 3, .delay_ms = 7};
  h.http.replies = {Unavailable("connection refused"), Json(200, "{}"), Json(500, "{}"),
                    Json(500, "{}"), Json(200, "{}")};
  h.Run();
  EXPECT_EQ(h.http.sent.size(), 5u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[0].attempts.size(), 2u);
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[1].attempts.size(), 3u);
  EXPECT_EQ(h.clock.slept_ms, (std::vector<std::int64_t>{5, 7, 7}));
}

TEST(RunnerRetry, UntilPollsUntilTheConditionHoldsOrFails) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: poll
    request: {method: GET, url: "http://api.test/job"}
    retry: {max_attempts: 5, delay_ms: 10, until: "body.state == 'done'"}
  - name: never
    request: {method: GET, url: "http://api.test/job"}
    retry: {max_attempts: 2, until: "body.state == 'done'"}
)");
  h.options.continue_on_failure = true;
  h.http.replies = {Json(200, R"({"state":"queued"})"), Json(200, R"({"state":"done"})"),
                    Json(200, R"({"state":"queued"})"), Json(200, R"({"state":"queued"})")};
  h.Run();
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kSuccess);
  EXPECT_EQ(h.sink.steps[0].attempts.size(), 2u);
  EXPECT_EQ(h.sink.steps[1].status, StepStatus::kError);
  EXPECT_NE(h.sink.steps[1].error->message.find("did not hold after 2 attempts"), std::string::npos);
}

constexpr std::string_view kHelper = R"(suite_name: Helper
node_id: helper
base_url: http://helper.test
variables: {greeting: hello}
steps:
  - name: Make token
    step_id: make-token
    request: {method: GET, url: "/token/{{who}}/{{greeting}}"}
    capture: {token: body.token}
)";

TEST(RunnerCall, IsolatedCallsPropagateCapturesUnderTheAliasAndKeepTheCallersBaseUrl) {
  Harness h;
  h.source.Add("tests/helpers/h.yaml", kHelper);
  h.Add(R"(suite_name: Main
node_id: main
base_url: http://main.test
variables: {me: ann}
steps:
  - name: get token
    call: {test: helpers/h.yaml, step: make-token, alias: auth, variables: {who: "{{me}}"}}
  - name: use
    request: {method: GET, url: "/use/{{auth.token}}"}
)");
  h.http.replies = {Json(200, R"({"token":"T1"})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://helper.test/token/ann/hello");
  EXPECT_EQ(h.http.sent[1].url, "http://main.test/use/T1");
  EXPECT_EQ(h.source.loads, (std::vector<std::string>{"tests/helpers/h.yaml"}));
  const StepOutcome* call = h.sink.Find("get token");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->kind, "call");
  // What is reported is masked ("token" looks secret); the run itself keeps the real value.
  EXPECT_EQ(call->captured["auth"]["token"], "***");
  EXPECT_EQ(h.exports["auth"]["token"], "T1");
  const StepOutcome* called = h.sink.Find("Make token");
  ASSERT_NE(called, nullptr);
  EXPECT_EQ(called->depth, 1u);
  EXPECT_EQ(called->node_id, "helper");
}

TEST(RunnerCall, SharedContextCapturesLandUnprefixed) {
  Harness h;
  h.source.Add("tests/h.yaml", kHelper);
  h.Add(R"(suite_name: Main
node_id: main
base_url: http://main.test
variables: {who: bob, greeting: hi}
steps:
  - name: c
    call: {test: h.yaml, step: Make Token, isolate_context: false}
  - name: use
    request: {method: GET, url: "/use/{{token}}"}
)");
  h.http.replies = {Json(200, R"({"token":"T2"})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://helper.test/token/bob/hi");
  EXPECT_EQ(h.http.sent[1].url, "http://main.test/use/T2");
}

TEST(RunnerCall, ResolutionErrorsFollowOnError) {
  Harness h;
  h.source.Add("tests/h.yaml", kHelper);
  h.Add(R"(suite_name: Main
node_id: main
steps:
  - name: missing step
    call: {test: h.yaml, step: nope, on_error: continue}
  - name: missing file
    call: {test: gone.yaml, step: x}
  - name: absolute
    call: {test: /etc/passwd, step: x}
)");
  h.options.continue_on_failure = true;
  h.Run();
  EXPECT_EQ(h.sink.Find("missing step")->status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.Find("missing file")->status, StepStatus::kError);
  EXPECT_EQ(h.sink.Find("missing file")->error->message, "no suite file tests/gone.yaml");
  EXPECT_EQ(h.sink.Find("absolute")->status, StepStatus::kError);
  EXPECT_NE(h.sink.Find("absolute")->error->message.find("absolute path"), std::string::npos);
  EXPECT_TRUE(h.http.sent.empty());
}

TEST(RunnerCall, RecursionIsDetected) {
  Harness h;
  h.source.Add("tests/loop.yaml", R"(suite_name: Loop
node_id: loop
steps:
  - name: again
    call: {test: loop.yaml, step: again}
)");
  h.Add(R"(suite_name: Main
node_id: main
steps:
  - name: start
    call: {test: loop.yaml, step: again}
)");
  h.Run();
  const StepOutcome* start = h.sink.Find("start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->status, StepStatus::kError);
  const StepOutcome* inner = h.sink.Find("again");
  ASSERT_NE(inner, nullptr);
  EXPECT_NE(inner->error->message.find("recursive call"), std::string::npos);
}

TEST(RunnerConditions, StepConditionAndSkipConditionUseValuesOfPlaceholders) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {role: admin, env: dev}
steps:
  - name: admin only
    condition: "{{role}} == 'admin'"
    request: {method: GET, url: "http://api.test/admin"}
  - name: prod only
    condition: "{{env}} == 'production'"
    request: {method: GET, url: "http://api.test/prod"}
  - name: not in dev
    skip_condition: "env == 'dev'"
    request: {method: GET, url: "http://api.test/dev"}
)");
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/admin");
  EXPECT_EQ(h.sink.Find("prod only")->status, StepStatus::kSkipped);
  EXPECT_EQ(h.sink.Find("prod only")->skip_reason, "condition is false: {{env}} == 'production'");
  EXPECT_EQ(h.sink.Find("not in dev")->status, StepStatus::kSkipped);
}

constexpr std::string_view kFailing = R"(suite_name: {name}
node_id: {id}
metadata: {priority: {priority}}
steps:
  - name: s
    request: {method: GET, url: "http://api.test/{id}"}
    assert: {status_code: 200}
)";

std::string Make(std::string id, std::string priority) {
  std::string text(kFailing);
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{name}", "Suite " + id},
                                   {"{id}", id}, {"{priority}", priority}}) {
    for (std::size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), value);
  }
  return text;
}

TEST(RunnerSuites, AFailedRequiredDependencySkipsItsDependents) {
  Harness h;
  h.Add(Make("a", "medium"), "a.yaml");
  h.Add(Make("b", "medium"), "b.yaml");
  h.Add(Make("c", "medium"), "c.yaml");
  h.options.dependencies = {{}, {PlannedDependency{.suite = 0, .required = true}},
                            {PlannedDependency{.suite = 0, .required = false}}};
  h.http.replies = {Json(500, "{}"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.sink.suites.size(), 3u);
  EXPECT_EQ(h.sink.suites[1].status, SuiteStatus::kSkipped);
  EXPECT_EQ(h.sink.suites[1].skip_reason, "required dependency 'a' failed");
  EXPECT_EQ(h.sink.suites[2].status, SuiteStatus::kSuccess);
  EXPECT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.sink.run.suites_skipped, 1u);
}

TEST(RunnerSuites, ARequiredPriorityFailureStopsTheRunUnlessFailFastIsOff) {
  for (const bool fail_fast : {true, false}) {
    Harness h;
    h.Add(Make("crit", "critical"), "a.yaml");
    h.Add(Make("other", "medium"), "b.yaml");
    h.options.fail_fast_on_required = fail_fast;
    h.http.reply = Json(500, "{}");
    h.Run();
    ASSERT_EQ(h.sink.suites.size(), 2u);
    EXPECT_EQ(h.sink.suites[1].status, fail_fast ? SuiteStatus::kSkipped : SuiteStatus::kFailure);
    EXPECT_EQ(h.http.sent.size(), fail_fast ? 1u : 2u);
  }
}

TEST(RunnerHooks, HooksWorkOnTheStepsRealVariablesAtEveryRequestPoint) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
variables: {base: 10}
steps:
  - name: login
    request: {method: GET, url: "http://api.test/login"}
    hooks_pre_request:
      - compute: {before: "{{base}}"}
    hooks_post_request:
      - capture: {status_seen: response.status_code}
    hooks_post_assertion:
      - log: {level: info, message: "asserted {{status_seen}}"}
    hooks_post_capture:
      - validate:
          - expression: "token"
            message: "token must be captured"
            severity: error
        exports: [token]
    capture: {token: body.token}
  - name: use
    request: {method: GET, url: "http://api.test/{{before}}/{{status_seen}}/{{token}}"}
)");
  h.http.replies = {Json(201, R"({"token":"T"})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[1].url, "http://api.test/10/201/T");
  const StepOutcome* login = h.sink.Find("login");
  ASSERT_NE(login, nullptr);
  ASSERT_EQ(login->logs.size(), 1u);
  EXPECT_EQ(login->logs[0].message, "asserted 201");
  EXPECT_EQ(h.exports["hook_login"]["token"], "T");
}

TEST(RunnerHooks, AFailingValidateWithSeverityErrorFailsTheStep) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: check
    request: {method: GET, url: "http://api.test/"}
    hooks_post_request:
      - validate:
          - expression: "response.body.ok"
            message: "the API said no"
            severity: error
)");
  h.http.reply = Json(200, R"({"ok": false})");
  h.Run();
  ASSERT_EQ(h.sink.steps.size(), 1u);
  EXPECT_EQ(h.sink.steps[0].status, StepStatus::kFailure);
  ASSERT_TRUE(h.sink.steps[0].error);
  EXPECT_NE(h.sink.steps[0].error->message.find("the API said no"), std::string::npos);
  EXPECT_EQ(h.sink.steps[0].error->where->line, 8);
}

TEST(RunnerHooks, IterationAndCallHooksSeeTheirContext) {
  Harness h;
  h.source.Add("tests/h.yaml", kHelper);
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: loop
    iterate: {range: "1..2", as: n}
    request: {method: GET, url: "http://api.test/{{n}}"}
    hooks_pre_iteration:
      - compute: {last_index: "{{_iteration.index}}"}
  - name: c
    call: {test: h.yaml, step: make-token, variables: {who: x}}
    hooks_post_call:
      - capture: {call_ok: success}
  - name: after
    request: {method: GET, url: "http://api.test/after/{{last_index}}/{{call_ok}}"}
)");
  h.http.replies = {Json(200, "{}"), Json(200, "{}"), Json(200, R"({"token":"T"})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 4u);
  EXPECT_EQ(h.http.sent[3].url, "http://api.test/after/1/true");
}

TEST(RunnerHooks, AHookCallRunsTheCalledStepAndItsCapturesArriveUnderTheAlias) {
  Harness h;
  h.source.Add("tests/h.yaml", kHelper);
  h.Add(R"(suite_name: S
node_id: s
base_url: http://main.test
steps:
  - name: main
    hooks_pre_request:
      - call: {test: h.yaml, step: make-token, alias: pre, variables: {who: hook}}
    request: {method: GET, url: "/use/{{pre.token}}"}
)");
  h.http.replies = {Json(200, R"({"token":"H1"})"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 2u);
  EXPECT_EQ(h.http.sent[0].url, "http://helper.test/token/hook/hello");
  EXPECT_EQ(h.http.sent[1].url, "http://main.test/use/H1");
  EXPECT_EQ(h.sink.Find("main")->status, StepStatus::kSuccess);
}

TEST(RunnerInputs, AnswersBecomeVariablesAndRequiredInputsWithoutAnAnswerFailTheStep) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: ask
    input:
      - {prompt: "Size?", variable: size, type: number, required: true}
      - {prompt: "Sure?", variable: sure, type: confirm, default: true}
    capture: {doubled: "size"}
  - name: use
    request: {method: GET, url: "http://api.test/{{size}}/{{sure}}/{{doubled}}"}
  - name: ask again
    input: {prompt: "Token?", variable: token, required: true}
)");
  h.options.continue_on_failure = true;
  h.input.Say("12");
  h.input.Say("false");
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/12/false/12");
  const StepOutcome* ask = h.sink.Find("ask");
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(ask->kind, "input");
  ASSERT_EQ(ask->details["input_results"].size(), 2u);
  EXPECT_EQ(ask->details["input_results"][0]["value"], 12);
  const StepOutcome* again = h.sink.Find("ask again");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->status, StepStatus::kError);
  EXPECT_NE(again->error->message.find("required"), std::string::npos);
  EXPECT_EQ(again->error->where->line, 12);
}

TEST(RunnerInputs, CiModeUsesCiDefaults) {
  Harness h;
  h.Add(R"(suite_name: S
node_id: s
steps:
  - name: ask
    input: {prompt: "Env?", variable: env, default: dev, ci_default: ci}
  - name: use
    request: {method: GET, url: "http://api.test/{{env}}"}
)");
  h.options.ci = true;
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 1u);
  EXPECT_EQ(h.http.sent[0].url, "http://api.test/ci");
  // The provider (an answers file, say) is asked first; with no answer CI takes ci_default.
  EXPECT_EQ(h.input.requests.size(), 1u);
}

TEST(RunnerCookies, ASuiteKeepsItsCookiesAndTheNextSuiteStartsWithoutThem) {
  Harness h;
  const std::string suite = R"(suite_name: S{n}
node_id: s{n}
steps:
  - name: a
    request: {method: GET, url: "http://api.test/login"}
  - name: b
    request: {method: GET, url: "http://api.test/me"}
)";
  std::string one = suite, two = suite;
  for (std::string* t : {&one, &two}) {
    const char* n = t == &one ? "1" : "2";
    for (std::size_t at; (at = t->find("{n}")) != std::string::npos;) t->replace(at, 3, n);
  }
  h.Add(one, "a.yaml");
  h.Add(two, "b.yaml");
  HttpResponse set = Json(200, "{}");
  set.headers.push_back({"set-cookie", "sid=abc; Path=/"});
  h.http.replies = {set, Json(200, "{}"), Json(200, "{}"), Json(200, "{}")};
  h.Run();
  ASSERT_EQ(h.http.sent.size(), 4u);
  EXPECT_EQ(FindHeader(h.http.sent[1].headers, "Cookie").value_or(""), "sid=abc");
  EXPECT_FALSE(FindHeader(h.http.sent[2].headers, "Cookie").has_value());
}

}  // namespace
}  // namespace flow::core
