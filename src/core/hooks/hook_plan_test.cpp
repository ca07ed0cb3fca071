#include "core/hooks/hook_plan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flow::core {
namespace {

Value J(const char* text) { return Value::parse(text); }

HookPlan MustCompile(const Value& list) {
  HookPlanLoad load = HookPlan::Compile(list);
  for (const Error& e : load.errors) ADD_FAILURE() << e.pointer << ": " << e.message;
  EXPECT_TRUE(load.plan.has_value());
  return load.plan ? *load.plan : HookPlan();
}

// The single error of compiling `list`.
Error OnlyError(const Value& list) {
  HookPlanLoad load = HookPlan::Compile(list);
  EXPECT_FALSE(load.plan.has_value());
  EXPECT_EQ(load.errors.size(), 1u);
  for (const Error& e : load.errors) std::cerr << e.pointer << ": " << e.message << "\n";
  return load.errors.empty() ? Error{} : load.errors[0];
}

TEST(HookPlan, CompilesEveryActionOfAHookAction) {
  const HookPlan plan = MustCompile(J(R"([{
      "compute": {"request_id": "{{id}}", "agent": "flow/1", "count": 3},
      "capture": {"token": "response.body.token"},
      "validate": [{"expression": "token", "message": "no token for {{user}}", "severity": "warning"},
                   {"expression": "count > 2"}],
      "log": {"level": "debug", "message": "hi {{user}}", "metadata": {"u": "{{user}}"}},
      "metric": {"name": "latency", "value": "{{ms}}", "tags": {"a": "b"}, "timestamp": 5},
      "call": {"test": "./auth.yaml", "step": "login", "alias": "auth", "isolate_context": true,
               "on_error": "warn", "path_type": "relative", "timeout": 1000, "variables": {"x": 1}},
      "wait": 250,
      "exports": ["token", "agent"]
    }])"));
  ASSERT_EQ(plan.actions().size(), 1u);
  const hooks::Action& a = plan.actions()[0];
  EXPECT_EQ(a.pointer, "/0");
  ASSERT_EQ(a.compute.size(), 3u);
  EXPECT_EQ(a.compute[0].name, "request_id");
  EXPECT_EQ(a.compute[0].pointer, "/0/compute/request_id");
  EXPECT_EQ(a.compute[2].name, "count");
  ASSERT_EQ(a.capture.size(), 1u);
  EXPECT_EQ(a.capture[0].expression->text(), "response.body.token");
  ASSERT_EQ(a.validate.size(), 2u);
  EXPECT_EQ(a.validate[0].severity, HookSeverity::kWarning);
  EXPECT_EQ(a.validate[1].severity, HookSeverity::kError);  // the default
  EXPECT_EQ(a.validate[1].pointer, "/0/validate/1");
  EXPECT_EQ(a.validate[1].expression->text(), "count > `2`");
  ASSERT_TRUE(a.log.has_value());
  EXPECT_EQ(a.log->level, "debug");
  EXPECT_EQ(a.log->message_text, "hi {{user}}");
  ASSERT_TRUE(a.metric.has_value());
  EXPECT_EQ(a.metric->name_text, "latency");
  ASSERT_TRUE(a.call.has_value());
  EXPECT_EQ(a.call->spec["alias"], "auth");
  EXPECT_EQ(a.call->pointer, "/0/call");
  ASSERT_TRUE(a.wait.has_value());
  EXPECT_EQ(a.wait->ms, 250);
  ASSERT_EQ(a.exports.size(), 2u);
  EXPECT_EQ(a.exports[1].name, "agent");
  EXPECT_EQ(a.exports[1].pointer, "/0/exports/1");
  EXPECT_TRUE(plan.HasCall());
  EXPECT_FALSE(plan.HasScript());
  EXPECT_TRUE(plan.scripts().empty());
  EXPECT_FALSE(a.compute[0].uses_script);
}

TEST(HookPlan, NullIsAnEmptyPlanAndOtherNonListsAreErrors) {
  const HookPlan empty = MustCompile(Value());
  EXPECT_TRUE(empty.empty());
  const Error e = OnlyError(J(R"({"log": {"message": "x"}})"));
  EXPECT_EQ(e.pointer, "");
  EXPECT_EQ(e.reason, "wrong-type");
  EXPECT_EQ(e.message, "a hooks list must be a list of hook actions, got object");
}

TEST(HookPlan, UnknownActionKeysAreErrorsWithDidYouMean) {
  const Error e = OnlyError(J(R"([{"log": {"message": "x"}}, {"comput": {"a": 1}}])"));
  EXPECT_EQ(e.pointer, "/1/comput");
  EXPECT_EQ(e.reason, "unknown-key");
  EXPECT_EQ(e.message, "unknown hook action 'comput'");
  EXPECT_EQ(e.hint, "did you mean 'compute'?");

  const Error far = OnlyError(J(R"([{"frobnicate": 1}])"));
  EXPECT_NE(far.hint.find("compute, capture, validate"), std::string::npos) << far.hint;
}

TEST(HookPlan, UnknownKeysInsideActionsAreErrorsWithDidYouMean) {
  const Error e = OnlyError(J(R"([{"validate": [{"expression": "a", "sevrity": "error"}]}])"));
  EXPECT_EQ(e.pointer, "/0/validate/0/sevrity");
  EXPECT_EQ(e.reason, "unknown-key");
  EXPECT_EQ(e.hint, "did you mean 'severity'?");

  const Error call = OnlyError(J(R"([{"call": {"test": "a.yaml", "step": "s", "alais": "x"}}])"));
  EXPECT_EQ(call.pointer, "/0/call/alais");
  EXPECT_EQ(call.hint, "did you mean 'alias'?");
}

TEST(HookPlan, InvalidCaptureJmesPathPointsAtTheEntry) {
  const Error e = OnlyError(J(R"([{"capture": {"token": "body.[", "ok": "body.id"}}])"));
  EXPECT_EQ(e.pointer, "/0/capture/token");
  EXPECT_EQ(e.reason, "invalid-capture");
  EXPECT_EQ(e.message.rfind("invalid JMESPath in hook capture 'token': ", 0), 0u) << e.message;
}

TEST(HookPlan, UnknownLogLevelsAndSeveritiesSuggestTheRightWord) {
  const Error level = OnlyError(J(R"([{"log": {"level": "warning", "message": "m"}}])"));
  EXPECT_EQ(level.pointer, "/0/log/level");
  EXPECT_EQ(level.reason, "invalid-value");
  EXPECT_EQ(level.hint, "did you mean 'warn'?");

  const Error severity =
      OnlyError(J(R"([{"validate": [{"expression": "a", "severity": "warn"}]}])"));
  EXPECT_EQ(severity.pointer, "/0/validate/0/severity");
  EXPECT_EQ(severity.message, "unknown severity 'warn': use error, warning or info");
  EXPECT_EQ(severity.hint, "did you mean 'warning'?");
}

TEST(HookPlan, WaitMustBeZeroToAnHour) {
  EXPECT_EQ(OnlyError(J(R"([{"wait": -1}])")).message,
            "'wait' must be 0 to 3600000 milliseconds, got -1");
  EXPECT_EQ(OnlyError(J(R"([{"wait": 3600001}])")).pointer, "/0/wait");
  EXPECT_EQ(OnlyError(J(R"([{"wait": "soon"}])")).message,
            "'wait' must be a number of milliseconds, got 'soon'");
  EXPECT_EQ(OnlyError(J(R"([{"wait": true}])")).reason, "wrong-type");

  const HookPlan plan = MustCompile(J(R"([{"wait": "150"}, {"wait": "{{pause}}"}, {"wait": 0}])"));
  EXPECT_EQ(plan.actions()[0].wait->ms, 150);
  EXPECT_TRUE(plan.actions()[1].wait->ms_template.has_value());
  EXPECT_EQ(plan.actions()[2].wait->ms, 0);
}

TEST(HookPlan, ReportsEveryProblemAtOnce) {
  HookPlanLoad load = HookPlan::Compile(J(R"([
      {"log": {"message": "m", "level": "loud"}, "metric": {"value": 1}},
      "not a mapping",
      {},
      {"exports": [1], "call": {"test": "a.yaml"}}])"));
  EXPECT_FALSE(load.plan.has_value());
  std::vector<std::string> pointers;
  for (const Error& e : load.errors) pointers.push_back(e.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/0/log/level", "/0/metric", "/1", "/2",
                                                "/3/exports/0", "/3/call"}));
}

TEST(HookPlan, ValidateNeedsAListOfEntriesWithAnExpression) {
  const Error object = OnlyError(J(R"([{"validate": {"expression": "a"}}])"));
  EXPECT_EQ(object.pointer, "/0/validate");
  EXPECT_EQ(object.hint, "write it as a list: '- expression: ...'");
  EXPECT_EQ(OnlyError(J(R"([{"validate": [{"message": "m"}]}])")).reason, "missing-key");
  EXPECT_EQ(OnlyError(J(R"([{"validate": [{"expression": "  "}]}])")).pointer,
            "/0/validate/0/expression");
  EXPECT_EQ(OnlyError(J(R"([{"validate": [{"expression": true}]}])")).reason, "wrong-type");
}

TEST(HookPlan, ValidateExpressionsThatAreNotJmesPathAreJavaScript) {
  const HookPlan plan = MustCompile(J(R"J([{"validate": [
      {"expression": "user_tier"},
      {"expression": "env === 'prod'"},
      {"expression": "x > 3 ? a : b"}]}])J"));
  const std::vector<hooks::ValidateEntry>& v = plan.actions()[0].validate;
  ASSERT_EQ(v.size(), 3u);
  EXPECT_TRUE(v[0].expression.has_value());
  EXPECT_FALSE(v[0].script.has_value());
  ASSERT_TRUE(v[1].script.has_value());
  EXPECT_FALSE(v[1].expression.has_value());
  EXPECT_EQ(v[1].script->kind, ScriptCallKind::kExpression);
  EXPECT_EQ(v[1].script->code, "env === 'prod'");
  EXPECT_EQ(v[1].script->names, std::vector<std::string>{"env"});
  ASSERT_TRUE(v[2].script.has_value());
  EXPECT_EQ(v[2].script->names, (std::vector<std::string>{"x", "a", "b"}));
  EXPECT_EQ(plan.scripts(),
            (std::vector<HookScriptUse>{{"/0/validate/1/expression", "javascript"},
                                        {"/0/validate/2/expression", "javascript"}}));
  EXPECT_FALSE(plan.HasScript());
}

TEST(HookPlan, AJavaScriptValidateThatFailsTheStaticCheckIsAnError) {
  const Error e = OnlyError(J(R"J([{"validate": [{"expression": "a === 1 && require('fs')"}]}])J"));
  EXPECT_EQ(e.pointer, "/0/validate/0/expression");
  EXPECT_EQ(e.reason, "invalid-script");
  EXPECT_EQ(e.message,
            "hook validate expression 'a === 1 && require('fs')': invalid javascript: 'require' is "
            "not available in flowtest JavaScript (line 1, column 12 of the expression)");
}

TEST(HookPlan, ScriptsAreCheckedBlocksAndListed) {
  const HookPlan plan = MustCompile(J(R"J([{"log": {"message": "m"}},
      {"script": "const t = response.body.token;\nsetVariable('t', t)"}])J"));
  EXPECT_TRUE(plan.HasScript());
  EXPECT_EQ(plan.ScriptPointers(), std::vector<std::string>{"/1/script"});
  ASSERT_TRUE(plan.actions()[1].script.has_value());
  EXPECT_EQ(plan.actions()[1].script->kind, ScriptCallKind::kBlock);
  EXPECT_EQ(plan.actions()[1].script->code, "const t = response.body.token;\nsetVariable('t', t)");
  EXPECT_EQ(plan.scripts(), (std::vector<HookScriptUse>{{"/1/script", "javascript"}}));
  EXPECT_EQ(OnlyError(J(R"J([{"script": 5}])J")).reason, "wrong-type");

  const Error bad = OnlyError(J(R"J([{"script": "let a = 1;\n  process.exit(1)"}])J"));
  EXPECT_EQ(bad.pointer, "/0/script");
  EXPECT_EQ(bad.reason, "invalid-script");
  EXPECT_EQ(bad.message,
            "hook script: invalid javascript: 'process' is not available in flowtest JavaScript "
            "(line 2, column 3 of the script)");
}

TEST(HookPlan, DirectJavaScriptAndFakerValuesAreListedWithTheirPointers) {
  const HookPlan plan = MustCompile(J(R"J([{
      "compute": {"t": "$Date.now()", "plain": "$100", "name": "#faker.person.name",
                  "n": "{{js: count + 1}}"},
      "log": {"message": "m", "metadata": {"id": "$response.body.id"}},
      "metric": {"name": "m", "value": "{{$faker.number.int}}"},
      "wait": "{{js: pause * 2}}"}])J"));
  EXPECT_EQ(plan.scripts(), (std::vector<HookScriptUse>{{"/0/compute/t", "javascript"},
                                                        {"/0/compute/name", "faker"},
                                                        {"/0/compute/n", "javascript"},
                                                        {"/0/log/metadata/id", "javascript"},
                                                        {"/0/metric/value", "faker"},
                                                        {"/0/wait", "javascript"}}));
  const hooks::Action& a = plan.actions()[0];
  ASSERT_EQ(a.compute.size(), 4u);
  EXPECT_TRUE(a.compute[0].uses_script);
  EXPECT_FALSE(a.compute[1].uses_script);  // "$100" is a price
  EXPECT_TRUE(a.compute[2].uses_script);
  EXPECT_TRUE(a.log->uses_script);
  EXPECT_TRUE(a.metric->uses_script);
  EXPECT_TRUE(a.wait->uses_script);
}

TEST(HookPlan, JavaScriptInValuesThatFailsTheStaticCheckIsAnErrorAtItsString) {
  HookPlanLoad load = HookPlan::Compile(J(R"J([{
      "compute": {"ok": "$Date.now()", "bad": "$require('fs')"},
      "log": {"message": "m", "metadata": {"x": ["a", "{{js: eval('1')}}"]}}}])J"));
  EXPECT_FALSE(load.plan.has_value());
  ASSERT_EQ(load.errors.size(), 2u);
  EXPECT_EQ(load.errors[0].pointer, "/0/compute/bad");
  EXPECT_EQ(load.errors[0].reason, "invalid-script");
  EXPECT_EQ(load.errors[0].message,
            "hook compute 'bad': invalid javascript: 'require' is not available in flowtest "
            "JavaScript (line 1, column 1 of the expression)");
  EXPECT_EQ(load.errors[1].pointer, "/0/log/metadata/x/1");
  EXPECT_EQ(load.errors[1].message.rfind("hook log metadata: invalid javascript: ", 0), 0u)
      << load.errors[1].message;
}

TEST(HookPlan, CallKeysAreChecked) {
  const Error missing = OnlyError(J(R"([{"call": {"test": "a.yaml"}}])"));
  EXPECT_EQ(missing.message, "a hook call needs 'step'");
  EXPECT_EQ(missing.reason, "missing-key");
  const Error on_error =
      OnlyError(J(R"([{"call": {"test": "a", "step": "b", "on_error": "fial"}}])"));
  EXPECT_EQ(on_error.pointer, "/0/call/on_error");
  EXPECT_EQ(on_error.hint, "did you mean 'fail'?");
  EXPECT_EQ(
      OnlyError(J(R"([{"call": {"test": "a", "step": "b", "isolate_context": "no"}}])")).pointer,
      "/0/call/isolate_context");
  EXPECT_EQ(OnlyError(J(R"([{"call": {"test": "a", "step": "b", "variables": [1]}}])")).reason,
            "wrong-type");

  HookPlanLoad retry =
      HookPlan::Compile(J(R"([{"call": {"test": "a", "step": "b", "retry": 3}}])"));
  ASSERT_TRUE(retry.plan.has_value());
  ASSERT_EQ(retry.warnings.size(), 1u);
  EXPECT_EQ(retry.warnings[0].pointer, "/0/call/retry");
}

TEST(HookPlan, LogAndMetricNeedTheirRequiredKeys) {
  EXPECT_EQ(OnlyError(J(R"([{"log": {"level": "info"}}])")).message,
            "a hook log needs a 'message'");
  EXPECT_EQ(OnlyError(J(R"([{"log": "hello"}])")).hint, "write it as 'log: {message: \"...\"}'");
  EXPECT_EQ(OnlyError(J(R"([{"metric": {"name": "n"}}])")).message,
            "a hook metric needs a 'value'");
  EXPECT_EQ(OnlyError(J(R"([{"metric": {"name": "n", "value": 1, "tags": [1]}}])")).pointer,
            "/0/metric/tags");
}

TEST(HookPlan, ExportsTakeANameOrAListOfNames) {
  EXPECT_EQ(MustCompile(J(R"([{"exports": "token"}])")).actions()[0].exports[0].name, "token");
  EXPECT_EQ(OnlyError(J(R"([{"exports": {"a": 1}}])")).reason, "wrong-type");
  EXPECT_EQ(OnlyError(J(R"([{"exports": [""]}])")).pointer, "/0/exports/0");
}

}  // namespace
}  // namespace flow::core
