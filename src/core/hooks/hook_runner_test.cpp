#include "core/hooks/hook_runner.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

Value J(const char* text) { return Value::parse(text); }

HookPlan Plan(const char* list) {
  HookPlanLoad load = HookPlan::Compile(J(list));
  for (const Error& e : load.errors) ADD_FAILURE() << e.pointer << ": " << e.message;
  return load.plan ? *load.plan : HookPlan();
}

// A step's variables and the env wired to them, as the runner wires it.
struct Step {
  Value runtime = Value::object();
  Value suite = J(R"({"user": "ann", "user_tier": "premium", "username": "test_user",
                      "password": "secret"})");
  Value global = J(R"({"base": "http://x"})");
  Value exports = Value::object();
  testing::FakeClock clock;
  testing::FakeScriptEngine engine;  // answers the JavaScript by its code
  std::unique_ptr<ScriptSession> session = engine.OpenSession({}).value();
  std::vector<std::pair<std::string, Value>> exported;
  HookEnv env;

  explicit Step(HookPoint point = HookPoint::kPreRequest) {
    env.point = point;
    env.interpolation.scopes = {
        .runtime = &runtime, .suite = &suite, .global = &global, .exports = &exports};
    env.interpolation.script = session.get();
    env.clock = &clock;
    env.set_variable = [this](const std::string& name, const Value& value) {
      runtime[name] = value;
    };
    env.export_variable = [this](const std::string& name, const Value& value) {
      exported.emplace_back(name, value);
    };
  }

  HookRunResult Run(const char* list) { return RunHooks(Plan(list), env); }
};

TEST(RunHooks, ComputeRendersTemplatesIntoTheCallersRuntimeVariables) {
  Step step;
  const HookRunResult result = step.Run(R"([{"compute": {
      "greeting": "hi {{user}}", "tier": "{{user_tier}}", "count": 3,
      "copy": "{{greeting}}!", "obj": {"u": "{{user}}"}}}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["greeting"], "hi ann");
  EXPECT_EQ(step.runtime["count"], 3);
  EXPECT_EQ(step.runtime["copy"], "hi ann!");  // an earlier entry is visible to a later one
  EXPECT_EQ(step.runtime["obj"], J(R"({"u": "ann"})"));
  EXPECT_EQ(result.computed["tier"], "premium");
  EXPECT_EQ(result.computed.size(), 5u);
}

TEST(RunHooks, AComputedVariableIsSeenByALaterCaptureAndLaterActions) {
  Step step;
  step.env.context["response"] = J(R"({"status_code": 200, "body": {"token": "abc"}})");
  const HookRunResult result = step.Run(R"([
      {"compute": {"prefix": "Bearer"}, "capture": {"p": "prefix", "tok": "response.body.token",
                                                      "same": "variables.prefix"}},
      {"log": {"message": "{{p}} {{tok}}"}}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["p"], "Bearer");
  EXPECT_EQ(step.runtime["same"], "Bearer");
  EXPECT_EQ(step.runtime["tok"], "abc");
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message, "Bearer abc");
  EXPECT_EQ(result.logs[0].level, "info");
}

TEST(RunHooks, ActionsOfOneHookActionRunInTheDocumentedOrder) {
  // Written in reverse order; run as compute, capture, validate, log, metric, call, wait, exports.
  Step step;
  std::vector<std::string> events;
  struct OrderClock final : Clock {
    std::vector<std::string>* events;
    std::int64_t NowUnixMs() override { return 7; }
    std::int64_t MonotonicUs() override { return 0; }
    void SleepMs(std::int64_t) override { events->push_back("wait"); }
  } clock;
  clock.events = &events;
  step.env.clock = &clock;
  step.env.set_variable = [&](const std::string& name, const Value& value) {
    events.push_back("set " + name);
    step.runtime[name] = value;
  };
  step.env.export_variable = [&](const std::string& name, const Value&) {
    events.push_back("export " + name);
  };
  step.env.call = [&](const Value&, const std::string&) -> Result<Value> {
    events.push_back("call sees " + step.runtime.value("captured", std::string("nothing")));
    return J(R"({"success": true})");
  };
  const HookRunResult result = step.Run(R"([{
      "exports": ["computed"],
      "wait": 5,
      "call": {"test": "a.yaml", "step": "s"},
      "metric": {"name": "m", "value": "{{computed}}"},
      "log": {"message": "log sees {{captured}}"},
      "validate": [{"expression": "captured == 'x'", "severity": "warning", "message": "v"}],
      "capture": {"captured": "computed"},
      "compute": {"computed": "x"}}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(events, (std::vector<std::string>{"set computed", "set captured", "call sees x", "wait",
                                              "export computed"}));
  ASSERT_EQ(result.logs.size(), 2u);  // the validate passed: no line for it
  EXPECT_EQ(result.logs[0].message, "log sees x");
  EXPECT_EQ(result.logs[1].message, "metric m=x");
}

TEST(RunHooks, AFalseValidateOfSeverityErrorStopsEverythingAfterIt) {
  Step step;
  const HookRunResult result = step.Run(R"([
      {"validate": [{"expression": "user_tier"},
                    {"expression": "auth_token", "message": "{{user}} must log in first"},
                    {"expression": "missing", "severity": "warning"}],
       "log": {"message": "not reached"}},
      {"compute": {"after": 1}}])");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->pointer, "/0/validate/1");
  EXPECT_EQ(result.error->reason, "hook-validate");
  EXPECT_EQ(result.error->message,
            "hook validation failed at hooks_pre_request: ann must log in first");
  EXPECT_TRUE(result.logs.empty());
  EXPECT_FALSE(step.runtime.contains("after"));
}

TEST(RunHooks, WarningAndInfoValidationsAreLoggedAndTheHooksGoOn) {
  Step step;
  step.runtime["response_time"] = 2500;
  const HookRunResult result = step.Run(R"([
      {"validate": [
          {"expression": "response_time < 2000", "message": "took {{response_time}}ms", "severity": "info"},
          {"expression": "response_time < 5000", "message": "slow", "severity": "warning"},
          {"expression": "response_time < 1000", "severity": "warning"}]},
      {"compute": {"after": 1}}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(result.logs.size(), 2u);
  EXPECT_EQ(result.logs[0].level, "info");
  EXPECT_EQ(result.logs[0].message, "took 2500ms");
  EXPECT_EQ(result.logs[0].data,
            J(R"({"expression": "response_time < 2000", "severity": "info"})"));
  EXPECT_EQ(result.logs[1].level, "warn");
  EXPECT_EQ(result.logs[1].message, "validation failed: response_time < 1000");
  EXPECT_EQ(step.runtime["after"], 1);
}

TEST(RunHooks, ValidateSeesVariablesOfEveryScopeAndPropagatedCallVariables) {
  Step step(HookPoint::kPostCall);
  step.runtime["auth.access_token"] = "tok";                     // call propagation with an alias
  step.exports["simple_auth"] = J(R"({"access_token": "t2"})");  // the registry
  const HookRunResult result = step.Run(R"([{"validate": [
      {"expression": "username && password"},
      {"expression": "username.length >= 3"},
      {"expression": "auth.access_token"},
      {"expression": "simple_auth.access_token"},
      {"expression": "user_tier == 'premium'"},
      {"expression": "base"},
      {"expression": "'{{user_tier}}' == 'premium'"}]}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
}

TEST(RunHooks, TheContextIsVisibleAndWinsOverAVariableOfTheSameName) {
  Step step(HookPoint::kPostCall);
  step.runtime["status"] = "from variable";
  step.env.context["status"] = "success";
  step.env.context["assertions"] = J(R"([{"passed": true}])");
  const HookRunResult result = step.Run(R"([{"capture": {
      "s": "status", "v": "variables.status", "a": "assertionResults[0].passed"}}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["s"], "success");
  EXPECT_EQ(step.runtime["v"], "from variable");
  EXPECT_EQ(step.runtime["a"], true);
}

TEST(RunHooks, AnExpressionThatCannotBeEvaluatedCountsAsFalse) {
  Step step;
  const HookRunResult result =
      step.Run(R"J([{"validate": [{"expression": "abs(user)", "message": "bad"}]}])J");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_NE(result.error->message.find("bad (could not evaluate 'abs(user)'"), std::string::npos)
      << result.error->message;
}

TEST(RunHooks, LogRendersMessageAndMetadata) {
  Step step;
  const HookRunResult result = step.Run(R"([{"log": {"level": "warn", "message": "user {{user}}",
      "metadata": {"tier": "{{user_tier}}", "n": 2}}}])");
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].level, "warn");
  EXPECT_EQ(result.logs[0].message, "user ann");
  EXPECT_EQ(result.logs[0].data, J(R"({"tier": "premium", "n": 2})"));
}

TEST(RunHooks, ALogThatCannotBeRenderedIsAWarningNotAFailure) {
  Step step;
  const HookRunResult result =
      step.Run(R"([{"log": {"message": "x {{nope}}"}}, {"compute": {"a": 1}}])");
  ASSERT_FALSE(result.error.has_value());
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message, "x {{nope}}");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("hook log message could not be rendered"), std::string::npos);
  EXPECT_EQ(step.runtime["a"], 1);
}

TEST(RunHooks, MetricIsALogLineWithTypedValueTagsAndTimestamp) {
  Step step;
  step.runtime["response_time"] = "150";
  const HookRunResult result = step.Run(R"([
      {"metric": {"name": "api_login_duration_ms", "value": "{{response_time}}",
                  "tags": {"endpoint": "/auth/login", "tier": "{{user_tier}}"}}},
      {"metric": {"name": "cart", "value": 1, "timestamp": 42}}])");
  ASSERT_EQ(result.logs.size(), 2u);
  EXPECT_EQ(result.logs[0].level, "info");
  EXPECT_EQ(result.logs[0].message, "metric api_login_duration_ms=150");
  EXPECT_EQ(result.logs[0].data, J(R"({"name": "api_login_duration_ms", "value": 150,
      "tags": {"endpoint": "/auth/login", "tier": "premium"}, "timestamp": 1700000000000})"));
  EXPECT_EQ(result.logs[1].data["timestamp"], 42);
  EXPECT_EQ(result.logs[1].data["tags"], Value::object());
}

TEST(RunHooks, WaitSleepsOnTheClock) {
  Step step;
  step.runtime["pause"] = 40;
  const HookRunResult result = step.Run(R"([{"wait": 250}, {"wait": "{{pause}}"}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.clock.slept_ms, (std::vector<std::int64_t>{250, 40}));
  EXPECT_EQ(result.waited_ms, 290);
}

TEST(RunHooks, ARenderedWaitOutOfRangeFailsAndNoClockFails) {
  Step step;
  step.runtime["pause"] = -5;
  const HookRunResult bad = step.Run(R"([{"wait": "{{pause}}"}])");
  ASSERT_TRUE(bad.error.has_value());
  EXPECT_EQ(bad.error->pointer, "/0/wait");
  EXPECT_EQ(bad.error->message, "hook 'wait' must be 0 to 3600000 milliseconds, got '-5'");
  EXPECT_TRUE(step.clock.slept_ms.empty());

  step.env.clock = nullptr;
  const HookRunResult no_clock = step.Run(R"([{"wait": 5}])");
  ASSERT_TRUE(no_clock.error.has_value());
  EXPECT_EQ(no_clock.error->message, "hook 'wait' has no clock at hooks_pre_request");
}

TEST(RunHooks, ExportsPublishVariablesAndWarnAboutMissingOnes) {
  Step step;
  step.runtime["token"] = "abc";
  step.runtime["user"] = "runtime wins";
  const HookRunResult result =
      step.Run(R"([{"exports": ["token", "user", "user_tier", "ghost"]}])");
  ASSERT_FALSE(result.error.has_value());
  ASSERT_EQ(step.exported.size(), 3u);
  EXPECT_EQ(step.exported[0], (std::pair<std::string, Value>{"token", "abc"}));
  EXPECT_EQ(step.exported[1].second, "runtime wins");
  EXPECT_EQ(step.exported[2].second, "premium");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0],
            "hook export 'ghost': no such variable at hooks_pre_request; nothing exported");
}

TEST(RunHooks, ExportsWithoutARegistryAreAWarning) {
  Step step;
  step.env.export_variable = nullptr;
  const HookRunResult result = step.Run(R"([{"exports": "user"}])");
  EXPECT_FALSE(result.error.has_value());
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("not available"), std::string::npos);
}

TEST(RunHooks, CallHandsTheSpecAndPointerToTheCallback) {
  Step step(HookPoint::kPreCall);
  Value seen_spec;
  std::string seen_pointer;
  step.env.call = [&](const Value& spec, const std::string& pointer) -> Result<Value> {
    seen_spec = spec;
    seen_pointer = pointer;
    step.runtime["helper.token"] = "t";  // the caller propagates the called step's captures
    return J(R"({"success": true, "propagated_variables": {"helper.token": "t"}})");
  };
  const HookRunResult result = step.Run(R"([{"log": {"message": "m"}},
      {"call": {"test": "./helper.yaml", "step": "{{user}}"}, "exports": "helper.token"}])");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(seen_spec, J(R"({"test": "./helper.yaml", "step": "{{user}}"})"));
  EXPECT_EQ(seen_pointer, "/1/call");
  ASSERT_EQ(step.exported.size(), 1u);
  EXPECT_EQ(step.exported[0].second, "t");
}

TEST(RunHooks, AFailingCallFailsTheHooks) {
  Step step(HookPoint::kPreCall);
  step.env.call = [](const Value&, const std::string&) -> Result<Value> {
    return NotFound("step 'login' not found in './a.yaml'");
  };
  const HookRunResult error = step.Run(R"([{"call": {"test": "./a.yaml", "step": "login"}},
                                            {"compute": {"after": 1}}])");
  ASSERT_TRUE(error.error.has_value());
  EXPECT_EQ(error.error->code, ErrorCode::kNotFound);
  EXPECT_EQ(error.error->pointer, "/0/call");
  EXPECT_EQ(error.error->message, "hook call: step 'login' not found in './a.yaml'");
  EXPECT_FALSE(step.runtime.contains("after"));

  step.env.call = [](const Value&, const std::string&) -> Result<Value> {
    return J(R"({"success": false, "error": "assertion failed"})");
  };
  const HookRunResult failed = step.Run(R"([{"call": {"test": "./a.yaml", "step": "login"}}])");
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->reason, "hook-call");
  EXPECT_EQ(failed.error->message,
            "hook call of step 'login' in './a.yaml' failed: assertion failed");
}

TEST(RunHooks, CallIsAnErrorWhereNoCallIsAvailable) {
  Step step(HookPoint::kPostInput);
  const HookRunResult result = step.Run(R"([{"call": {"test": "./a.yaml", "step": "login"}}])");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->message, "hook 'call' is not available at hooks_post_input");
  EXPECT_EQ(result.error->pointer, "/0/call");
}

TEST(RunHooks, AFailingComputeStopsWithItsPointer) {
  Step step;
  const HookRunResult result =
      step.Run(R"([{"compute": {"a": 1, "b": {"deep": "{{nope}}"}, "c": 3}}])");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->pointer, "/0/compute/b/deep");
  EXPECT_EQ(result.error->message.rfind("hook compute 'b': ", 0), 0u) << result.error->message;
  EXPECT_EQ(step.runtime["a"], 1);
  EXPECT_FALSE(step.runtime.contains("c"));
}

TEST(RunHooks, ACaptureThatMatchesNothingStoresNullAndWarns) {
  Step step(HookPoint::kPostRequest);
  const HookRunResult result = step.Run(R"([{"capture": {"id": "response.body.id"}}])");
  ASSERT_FALSE(result.error.has_value());
  ASSERT_TRUE(step.runtime.contains("id"));
  EXPECT_TRUE(step.runtime["id"].is_null());
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0],
            "hook capture 'id': 'response.body.id' matched nothing at hooks_post_request");
}

TEST(RunHooks, DirectJavaScriptComputeSeesTheHookDataAndEarlierComputes) {
  Step step(HookPoint::kPostRequest);
  step.env.interpolation.script_budget.cpu_ms = 77;
  step.env.context["response"] = J(R"J({"status_code": 200, "body": {"accessToken": "abcdef"}})J");
  step.engine.On("Date.now()", [](const Value&) { return Value(1000); });
  step.engine.On("Date.now() - timestamp",
                 [](const Value& b) { return Value(1250 - b.at("timestamp").get<int>()); });
  step.engine.On("response.body.accessToken.length", [](const Value& b) {
    return Value(b.at("response").at("body").at("accessToken").get<std::string>().size());
  });
  const HookRunResult result = step.Run(R"J([
      {"compute": {"timestamp": "$Date.now()"}},
      {"compute": {"response_time": "$Date.now() - timestamp",
                   "token_length": "$response.body.accessToken.length"}}])J");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["timestamp"], 1000);
  EXPECT_EQ(step.runtime["response_time"], 250);
  EXPECT_EQ(step.runtime["token_length"], 6);
  EXPECT_EQ(result.computed["token_length"], 6);
  ASSERT_EQ(step.engine.calls.size(), 3u);
  EXPECT_EQ(step.engine.calls[0].bindings, Value::object());  // Date is the sandbox's own
  EXPECT_EQ(step.engine.calls[1].bindings, J(R"J({"timestamp": 1000})J"));
  EXPECT_EQ(step.engine.calls[2].bindings,
            J(R"J({"response": {"status_code": 200, "body": {"accessToken": "abcdef"}}})J"));
  EXPECT_EQ(step.engine.calls[1].budget.cpu_ms, 77);
}

TEST(RunHooks, JavaScriptSeesDottedVariablesNestedAndTheContextOverAVariable) {
  Step step(HookPoint::kPostCall);
  step.runtime["auth.access_token"] = "tok";  // call propagation with an alias
  step.runtime["status"] = "from variable";
  step.env.context["status"] = "success";
  step.engine.On("auth.access_token + status", [](const Value& b) {
    return Value(b.at("auth").at("access_token").get<std::string>() +
                 b.at("status").get<std::string>());
  });
  const HookRunResult result =
      step.Run(R"J([{"compute": {"s": "{{js: auth.access_token + status}}"}}])J");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["s"], "toksuccess");
}

TEST(RunHooks, LogMetricAndWaitTemplatesRunJavaScriptAndFaker) {
  Step step(HookPoint::kPostRequest);
  step.env.context["response"] = J(R"J({"status_code": 201, "body": {"id": 7}})J");
  step.engine.On("user.toUpperCase()",
                 [](const Value& b) { return Value(b.at("user").get<std::string>() + "!"); });
  step.engine.On("response.body.id",
                 [](const Value& b) { return b.at("response").at("body").at("id"); });
  step.engine.On("number.int", [](const Value&) { return Value(42); });
  step.engine.On("pause * 2", [](const Value& b) { return Value(b.at("pause").get<int>() * 2); });
  step.runtime["pause"] = 20;
  const HookRunResult result = step.Run(R"J([
      {"log": {"message": "hi {{js: user.toUpperCase()}}", "metadata": {"id": "$response.body.id"}}},
      {"metric": {"name": "m", "value": "{{$faker.number.int}}"}},
      {"wait": "{{js: pause * 2}}"}])J");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(result.logs.size(), 2u);
  EXPECT_EQ(result.logs[0].message, "hi ann!");
  EXPECT_EQ(result.logs[0].data, J(R"J({"id": 7})J"));
  EXPECT_EQ(result.logs[1].message, "metric m=42");
  EXPECT_EQ(step.clock.slept_ms, std::vector<std::int64_t>{40});
  EXPECT_EQ(step.engine.calls[0].bindings, J(R"J({"user": "ann"})J"));
  EXPECT_EQ(step.engine.calls[2].kind, ScriptCallKind::kFaker);
}

TEST(RunHooks, JavaScriptValidateIsTruthyAsJavaScriptDefinesIt) {
  Step step;
  step.suite["env"] = "prod";
  step.engine.On("env === 'prod'", [](const Value& b) { return Value(b.at("env") == "prod"); });
  step.engine.On("user_tier !== 'premium' || 0", [](const Value&) { return Value(0); });
  const HookRunResult result = step.Run(R"J([{"validate": [
      {"expression": "env === 'prod'"},
      {"expression": "user_tier !== 'premium' || 0", "message": "zero is false"}]}])J");
  ASSERT_TRUE(result.error.has_value());  // 0 is falsy in JavaScript (JMESPath: truthy)
  EXPECT_EQ(result.error->pointer, "/0/validate/1");
  EXPECT_EQ(result.error->reason, "hook-validate");
  EXPECT_EQ(result.error->message, "hook validation failed at hooks_pre_request: zero is false");
  ASSERT_EQ(step.engine.calls.size(), 2u);
  EXPECT_EQ(step.engine.calls[0].bindings, J(R"J({"env": "prod"})J"));
  EXPECT_EQ(step.engine.calls[1].bindings, J(R"J({"user_tier": "premium"})J"));
  EXPECT_EQ(step.engine.calls[0].kind, ScriptCallKind::kExpression);
}

TEST(RunHooks, AThrowingJavaScriptValidateIsAFailedValidationUnderItsSeverity) {
  Step step;
  const HookRunResult warned = step.Run(R"J([
      {"validate": [{"expression": "a.b === 1", "message": "no b", "severity": "warning"}]},
      {"compute": {"after": 1}}])J");
  ASSERT_FALSE(warned.error.has_value()) << warned.error->message;
  ASSERT_EQ(warned.logs.size(), 1u);
  EXPECT_EQ(warned.logs[0].level, "warn");
  EXPECT_EQ(
      warned.logs[0].message,
      "no b (could not evaluate 'a.b === 1': ReferenceError: no fake answer for 'a.b === 1')");
  EXPECT_EQ(step.runtime["after"], 1);

  const HookRunResult failed = step.Run(R"J([{"validate": [{"expression": "a.b === 1"}]}])J");
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->reason, "hook-validate");
  EXPECT_EQ(failed.error->message,
            "hook validation failed at hooks_pre_request: validation failed: a.b === 1 (could not "
            "evaluate 'a.b === 1': ReferenceError: no fake answer for 'a.b === 1')");
}

TEST(RunHooks, AJavaScriptValidateThatCannotRunFailsTheHook) {
  Step step;
  step.engine.answers["x === 1"] = [](const ScriptCall&) -> Result<ScriptOutcome> {
    Error e = InvalidArgument("cpu budget of 1000 ms exceeded");
    e.reason = kScriptCpuBudget;
    return e;
  };
  const HookRunResult result = step.Run(R"J([
      {"validate": [{"expression": "x === 1", "severity": "info"}]}, {"compute": {"after": 1}}])J");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->reason, kScriptCpuBudget);
  EXPECT_EQ(result.error->pointer, "/0/validate/0/expression");
  EXPECT_EQ(result.error->message, "hook validate 'x === 1': cpu budget of 1000 ms exceeded");
  EXPECT_TRUE(result.logs.empty());
  EXPECT_FALSE(step.runtime.contains("after"));

  step.env.interpolation.script = nullptr;  // no sandbox
  const HookRunResult none = step.Run(R"J([{"validate": [{"expression": "x === 1"}]}])J");
  ASSERT_TRUE(none.error.has_value());
  EXPECT_EQ(none.error->reason, kScriptDisabled);
}

TEST(RunHooks, AValidateTemplateThatRendersToJavaScriptRunsAsJavaScript) {
  Step step;
  step.engine.On("'ann' === 'ann' && 1", [](const Value&) { return Value(1); });
  const HookRunResult result = step.Run(R"J([{"validate": [
      {"expression": "'{{user}}' === 'ann' && 1"},
      {"expression": "'{{user_tier}}' == 'premium'"}]}])J");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  ASSERT_EQ(step.engine.calls.size(), 1u);  // the second one is JMESPath
  EXPECT_EQ(step.engine.calls[0].code, "'ann' === 'ann' && 1");
}

TEST(RunHooks, ScriptActionSetsVariablesThroughTheEnvAndListsThemAsComputed) {
  Step step(HookPoint::kPostRequest);
  step.env.interpolation.script_budget.cpu_ms = 55;
  step.env.context["response"] = J(R"J({"body": {"token": "abc"}})J");
  const char* code = "setVariable('auth', variables.user + ':' + response.body.token)";
  step.engine.answers[code] = [](const ScriptCall& call) -> Result<ScriptOutcome> {
    ScriptOutcome out;
    out.value = "ignored";
    out.set_variables["auth"] =
        call.bindings.at("variables").at("user").get<std::string>() + ":" +
        call.bindings.at("response").at("body").at("token").get<std::string>();
    out.set_variables["n"] = 2;
    return out;
  };
  const HookRunResult result = step.Run(R"J([
      {"script": "setVariable('auth', variables.user + ':' + response.body.token)"},
      {"log": {"message": "{{auth}} {{n}}"}}])J");
  ASSERT_FALSE(result.error.has_value()) << result.error->message;
  EXPECT_EQ(step.runtime["auth"], "ann:abc");
  EXPECT_EQ(step.runtime["n"], 2);
  EXPECT_EQ(result.computed, J(R"J({"auth": "ann:abc", "n": 2})J"));
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].message, "ann:abc 2");
  ASSERT_EQ(step.engine.calls.size(), 1u);
  const ScriptCall& call = step.engine.calls[0];
  EXPECT_EQ(call.kind, ScriptCallKind::kBlock);
  EXPECT_EQ(call.budget.cpu_ms, 55);
  EXPECT_EQ(call.bindings.at("variables").at("user_tier"), "premium");
  EXPECT_FALSE(call.bindings.contains("setVariable"));
}

TEST(RunHooks, AThrowingScriptFailsTheHookAndStopsTheRest) {
  Step step;
  step.engine.answers["throw new Error('boom')"] = [](const ScriptCall&) -> Result<ScriptOutcome> {
    Error e = InvalidArgument("Error: boom");
    e.reason = kScriptException;
    return e;
  };
  const HookRunResult result =
      step.Run(R"J([{"script": "throw new Error('boom')"}, {"compute": {"after": 1}}])J");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->message, "hook script: Error: boom");
  EXPECT_EQ(result.error->pointer, "/0/script");
  EXPECT_EQ(result.error->reason, kScriptException);
  EXPECT_FALSE(step.runtime.contains("after"));
}

TEST(RunHooks, AScriptCannotSetVariablesWhereThereIsNoVariableStore) {
  Step step;
  step.env.set_variable = nullptr;
  step.engine.answers["setVariable('a', 1)"] = [](const ScriptCall&) -> Result<ScriptOutcome> {
    ScriptOutcome out;
    out.set_variables["a"] = 1;
    return out;
  };
  const HookRunResult result = step.Run(R"J([{"script": "setVariable('a', 1)"}])J");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->message, "hook 'script' cannot set variables at hooks_pre_request");
  EXPECT_EQ(result.error->pointer, "/0/script");
}

TEST(RunHooks, OddPlansAndABareEnvNeverCrash) {
  // Every action with values of every type, compiled and (when valid) run with no callbacks, no
  // clock and no scopes: each outcome is a value, an error or a warning.
  const Value odd = J(R"J([null, 0, -1, 1.5, "", "x", "{{x}}", "$Date.now()", "[[[[1]]]]", true,
                          [], [null], ["a", 1], {}, {"a": null}, {"expression": "a"},
                          {"message": "m", "name": "n", "value": "{{v}}", "test": "t", "step": "s"}])J");
  std::size_t ran = 0;
  for (const char* key :
       {"compute", "capture", "validate", "log", "metric", "script", "call", "wait", "exports"}) {
    for (const Value& value : odd) {
      for (const Value& form : {value, Value::array({value}), Value::object({{"v", value}})}) {
        Value list = Value::array();
        list.push_back(Value::object({{key, form}}));
        HookPlanLoad load = HookPlan::Compile(list);
        if (!load.plan) {
          EXPECT_FALSE(load.errors.empty());
          continue;
        }
        HookEnv env;
        const HookRunResult result = RunHooks(*load.plan, env);
        if (result.error) {
          EXPECT_FALSE(result.error->message.empty());
        }
        ++ran;
      }
    }
  }
  EXPECT_GT(ran, 20u);
}

TEST(MergeHookVariables, HigherScopesWinAndDottedNamesNest) {
  const Value runtime = J(R"({"a": "runtime", "auth.token": "t", "auth.user.id": 7})");
  const Value suite = J(R"({"a": "suite", "b": "suite", "auth": {"kind": "basic"}})");
  const Value global = J(R"({"b": "global", "c": "global", "x.y": 1, "x": 2})");
  const Value exports = J(R"({"node": {"v": 1}, "c": "export"})");
  const Value merged = MergeHookVariables(
      {.runtime = &runtime, .suite = &suite, .global = &global, .exports = &exports});
  EXPECT_EQ(merged["a"], "runtime");
  EXPECT_EQ(merged["b"], "suite");
  EXPECT_EQ(merged["c"], "global");
  EXPECT_EQ(merged["node"], J(R"({"v": 1})"));
  EXPECT_EQ(merged["auth"], J(R"({"kind": "basic", "token": "t", "user": {"id": 7}})"));
  EXPECT_EQ(merged["auth.token"], "t");  // the literal name stays too
  EXPECT_EQ(merged["x"], 2);             // a non-object in the way: no nesting
}

}  // namespace
}  // namespace flow::core
