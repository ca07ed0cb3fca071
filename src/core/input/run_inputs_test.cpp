#include "core/input/run_inputs.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "core/input/input_test_support.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using flow::testing::ScriptedInputProvider;
using flow::testing::Yaml;

// One step's inputs run against scripted answers, with suite variables and a runtime scope.
class RunInputsTest : public ::testing::Test {
 protected:
  InputRunResult Run(std::string_view yaml, InputPolicy policy = InputPolicy::kFail,
                     bool with_provider = true) {
    InputPlanLoad load = InputPlan::Compile(Yaml(yaml));
    EXPECT_TRUE(load.plan) << (load.errors.empty() ? "" : load.errors[0].message);
    if (!load.plan) return {};
    plan_ = std::move(*load.plan);
    merged_ = suite_;
    for (auto it = runtime_.begin(); it != runtime_.end(); ++it) merged_[it.key()] = it.value();
    InputRunContext ctx;
    ctx.interpolation.scopes.runtime = &runtime_;
    ctx.interpolation.scopes.suite = &suite_;
    ctx.interpolation.script = with_script_ ? session_.get() : nullptr;
    ctx.interpolation.script_budget.cpu_ms = 33;
    ctx.variables = &merged_;
    ctx.provider = with_provider ? &provider_ : nullptr;
    ctx.policy = policy;
    ctx.ci = ci_;
    ctx.step = {.suite_name = "Shop",
                .suite_path = "tests/shop.yaml",
                .node_id = "shop",
                .step_name = "Pick",
                .step_id = "pick",
                .step_index = 2};
    ctx.clock = &clock_;
    return RunInputs(plan_, ctx);
  }

  Value suite_ = Value::object();
  Value runtime_ = Value::object();
  Value merged_;
  bool ci_ = false;
  ScriptedInputProvider provider_;
  flow::testing::FakeClock clock_;
  flow::testing::FakeScriptEngine engine_;  // answers the JavaScript by its code
  std::unique_ptr<ScriptSession> session_ = engine_.OpenSession({}).value();
  bool with_script_ = true;
  InputPlan plan_;
};

TEST_F(RunInputsTest, TextAnswerIsStoredAndReported) {
  provider_.Say("Ada");
  InputRunResult r = Run("prompt: 'Name?'\nvariable: name\n");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned, Value({{"name", "Ada"}}));
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].value, "Ada");
  EXPECT_FALSE(r.results[0].used_default);
  EXPECT_TRUE(r.results[0].validation_passed);
  // FakeClock: each reading advances 1 ms.
  EXPECT_EQ(r.results[0].input_time_ms, 1.0);
  EXPECT_EQ(DumpJson(r.results[0].ToReport()),
            R"({"variable":"name","value":"Ada","input_time_ms":1.0,"validation_passed":true,)"
            R"("used_default":false,"timed_out":false})");
}

TEST_F(RunInputsTest, RequestCarriesTheRenderedPromptAndStepContext) {
  suite_ = {{"shop", "Acme"}};
  provider_.Say("x");
  InputRunResult r = Run(R"(
prompt: "Welcome to {{shop}}"
variable: v
description: "for {{shop}}"
placeholder: "type"
default: "{{shop}}-1"
ci_default: 7
style: boxed
required: true
)");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(provider_.requests.size(), 1u);
  const InputRequest& req = provider_.requests[0];
  EXPECT_EQ(req.prompt, "Welcome to Acme");
  EXPECT_EQ(req.description, "for Acme");
  EXPECT_EQ(req.placeholder, "type");
  EXPECT_EQ(req.default_value, "Acme-1");
  EXPECT_EQ(req.ci_default, 7);
  EXPECT_EQ(req.style, "boxed");
  EXPECT_TRUE(req.required);
  EXPECT_EQ(req.type, "text");
  EXPECT_EQ(req.cache_key, "shop::pick::v");
  EXPECT_EQ(req.suite_name, "Shop");
  EXPECT_EQ(req.step_index, 2u);
  EXPECT_EQ(req.attempt, 1u);
}

TEST_F(RunInputsTest, ConfirmFalseTextIsFalse) {
  for (const char* no : {"false", "FALSE", "no", "n", "0", "off", " No "}) {
    provider_.Say(no);
    InputRunResult r = Run("prompt: ok?\nvariable: ok\ntype: confirm\n");
    ASSERT_FALSE(r.error) << no;
    EXPECT_EQ(r.assigned["ok"], false) << no;
  }
  for (const char* yes : {"true", "Yes", "y", "1", "on"}) {
    provider_.Say(yes);
    InputRunResult r = Run("prompt: ok?\nvariable: ok\ntype: confirm\n");
    EXPECT_EQ(r.assigned["ok"], true) << yes;
  }
  provider_.Say(false);
  EXPECT_EQ(Run("prompt: ok?\nvariable: ok\ntype: confirm\n").assigned["ok"], false);
}

TEST_F(RunInputsTest, NumberAnswerBecomesANumberAndTextIsRejected) {
  provider_.Say("42");
  InputRunResult r = Run("prompt: n?\nvariable: n\ntype: number\n");
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.assigned["n"].is_number_integer());
  EXPECT_EQ(r.assigned["n"], 42);

  provider_.Say("abc");
  r = Run("prompt: n?\nvariable: n\ntype: number\n");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'n' is invalid: expected a number, got 'abc'");
  EXPECT_EQ(r.error->reason, "input-invalid");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_FALSE(r.results[0].validation_passed);
  EXPECT_EQ(r.results[0].validation_error, "expected a number, got 'abc'");
  EXPECT_FALSE(r.assigned.contains("n"));
}

TEST_F(RunInputsTest, SelectAcceptsValueNumberOrLabelAndKeepsTheValueType) {
  const char* yaml = R"(
prompt: pick
variable: pick
type: select
options:
  - {value: 10, label: "Ten"}
  - {value: 20, label: "Twenty"}
  - {value: 30, label: "Thirty"}
)";
  provider_.Say("20");  // the value's text
  EXPECT_EQ(Run(yaml).assigned["pick"], 20);
  provider_.Say("3");  // the option's number
  EXPECT_EQ(Run(yaml).assigned["pick"], 30);
  provider_.Say("ten");  // the label, any case
  EXPECT_EQ(Run(yaml).assigned["pick"], 10);
  provider_.Say(30);  // a typed value
  EXPECT_TRUE(Run(yaml).assigned["pick"].is_number_integer());
  provider_.Say("40");
  InputRunResult r = Run(yaml);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'pick' is invalid: '40' is not one of the options: 10, 20, 30 (or 1-3)");
}

TEST_F(RunInputsTest, EmailAndUrlAreFormatChecked) {
  provider_.Say("john@example.com");
  EXPECT_FALSE(Run("{prompt: e, variable: e, type: email}").error);
  provider_.Say("john@example");
  InputRunResult r = Run("{prompt: e, variable: e, type: email}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'e' is invalid: invalid email address 'john@example'");
  provider_.Say("https://example.com/hook");
  EXPECT_FALSE(Run("{prompt: u, variable: u, type: url}").error);
  provider_.Say("example.com");
  EXPECT_TRUE(Run("{prompt: u, variable: u, type: url}").error);
}

TEST_F(RunInputsTest, OptionalEmptyAnswerIsTheDefaultOrNull) {
  provider_.PressEnter();
  InputRunResult r = Run("{prompt: u, variable: u, type: url, required: false}");
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.assigned["u"].is_null());  // no url format check on nothing
  EXPECT_FALSE(r.results[0].used_default);
  provider_.Say("");
  r = Run("{prompt: u, variable: u, type: url, default: 'https://example.com'}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["u"], "https://example.com");
  EXPECT_TRUE(r.results[0].used_default);
}

// The policy table of docs/inputs.md.
TEST_F(RunInputsTest, AutoPolicyUsesCiDefaultThenDefaultThenFirstOption) {
  const char* both = "{prompt: x, variable: v, default: d, ci_default: c}";
  EXPECT_EQ(Run(both, InputPolicy::kAuto, false).assigned["v"], "c");
  EXPECT_EQ(Run("{prompt: x, variable: v, default: d}", InputPolicy::kAuto, false).assigned["v"],
            "d");
  InputRunResult r =
      Run("{prompt: x, variable: v, type: select, options: [a, b]}", InputPolicy::kAuto, false);
  EXPECT_EQ(r.assigned["v"], "a");
  EXPECT_TRUE(r.results[0].used_default);
  r = Run("{prompt: x, variable: v, required: true}", InputPolicy::kAuto, false);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'v' is required and has no answer (auto mode: it has no ci_default or default)");
  EXPECT_TRUE(Run("{prompt: x, variable: v}", InputPolicy::kAuto, false).assigned["v"].is_null());
}

TEST_F(RunInputsTest, CiBehavesLikeAuto) {
  ci_ = true;
  InputRunResult r =
      Run("{prompt: x, variable: v, default: d, ci_default: c}", InputPolicy::kFail, false);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["v"], "c");
  EXPECT_TRUE(r.results[0].used_default);
}

TEST_F(RunInputsTest, FailPolicyFailsARequiredInputWithoutAnswer) {
  InputRunResult r = Run("- {prompt: 'Key?', variable: api_key, required: true, default: x}",
                         InputPolicy::kFail, false);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'api_key' is required and has no answer (no terminal; use --input-file, "
            "--input-policy auto, or set ci_default)");
  EXPECT_EQ(r.error->pointer, "/0");
  EXPECT_EQ(r.error->reason, "input-required");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_FALSE(r.results[0].validation_passed);

  r = Run("{prompt: x, variable: v, default: d, ci_default: c}", InputPolicy::kFail, false);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["v"], "d");  // not required: the default, never ci_default
  EXPECT_TRUE(r.results[0].used_default);

  // With a provider that has no answer, the message says so.
  r = Run("{prompt: x, variable: v, required: true}", InputPolicy::kFail, true);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("(none was given; add it to the --input-file"),
            std::string::npos);
}

TEST_F(RunInputsTest, PromptPolicyNeedsAProvider) {
  InputRunResult r = Run("{prompt: x, variable: v, default: d}", InputPolicy::kPrompt, false);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'v' needs an answer but there is no terminal to ask (--input-policy prompt); "
            "use --input-file or --input-policy auto");
  provider_.Say("typed");
  EXPECT_EQ(Run("{prompt: x, variable: v}", InputPolicy::kPrompt).assigned["v"], "typed");
}

TEST_F(RunInputsTest, ProviderAnswerWinsOverEveryPolicy) {
  for (InputPolicy policy : {InputPolicy::kAuto, InputPolicy::kFail, InputPolicy::kPrompt}) {
    provider_.Say("from-file");
    InputRunResult r = Run("{prompt: x, variable: v, ci_default: c, default: d}", policy);
    EXPECT_EQ(r.assigned["v"], "from-file");
    EXPECT_FALSE(r.results[0].used_default);
  }
}

TEST_F(RunInputsTest, EmptyAnswerTakesTheDefault) {
  provider_.PressEnter();
  InputRunResult r = Run("{prompt: x, variable: n, type: number, default: 25}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["n"], 25);
  EXPECT_TRUE(r.results[0].used_default);

  provider_.PressEnter();
  r = Run("{prompt: x, variable: v, required: true}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'v' is invalid: a value is required");
}

TEST_F(RunInputsTest, FalseConditionSkipsThePromptAndTakesTheDefault) {
  runtime_ = {{"user_action", "view_activity"}};
  InputRunResult r = Run(R"(
condition: user_action == 'disable_account' || user_action == 'reset_password'
prompt: sure?
variable: confirm_action
type: confirm
default: "no"
)");
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(provider_.requests.empty());
  EXPECT_EQ(r.assigned["confirm_action"], false);
  EXPECT_TRUE(r.results[0].skipped_by_condition);
  EXPECT_EQ(r.results[0].ToReport()["skipped_by_condition"], true);

  runtime_ = {{"user_action", "reset_password"}};
  provider_.Say("y");
  r = Run(R"(
condition: user_action == 'disable_account' || user_action == 'reset_password'
prompt: sure?
variable: confirm_action
type: confirm
)");
  EXPECT_EQ(provider_.requests.size(), 1u);
  EXPECT_EQ(r.assigned["confirm_action"], true);
  EXPECT_FALSE(r.results[0].skipped_by_condition);
}

TEST_F(RunInputsTest, LaterInputsSeeEarlierOnes) {
  provider_.Say("7");
  provider_.Say("yes");
  InputRunResult r = Run(R"(
- {prompt: "count?", variable: count, type: number}
- prompt: "really {{count}}?"
  variable: sure
  type: confirm
  condition: count > 5
- prompt: skipped
  variable: small
  condition: count < 5
  default: none
)");
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(provider_.requests.size(), 2u);
  EXPECT_EQ(provider_.requests[1].prompt, "really 7?");
  EXPECT_EQ(r.assigned, Value({{"count", 7}, {"sure", true}, {"small", "none"}}));
}

TEST_F(RunInputsTest, OptionsFromAnExpressionAndDependentSelect) {
  suite_ = Yaml(R"(
users: [{id: u1, name: Alice}, {id: u2, name: Bob}]
orgs:
  - {id: acme, teams: [{id: t1, name: Red}, {id: t2, name: Blue}]}
  - {id: init, teams: [{id: t3, name: Green}]}
)");
  provider_.Say("Bob");
  provider_.Say("1");
  provider_.Say("2");
  InputRunResult r = Run(R"(
- prompt: user
  variable: user
  type: select
  options: "{{users[*].{value: id, label: name}}}"
- prompt: org
  variable: org
  type: select
  options: "{{orgs[*].{value: @, label: id}}}"
- prompt: "team of {{org.id}}"
  variable: team
  type: select
  options: "{{org.teams[*].{value: id, label: name}}}"
)");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["user"], "u2");
  EXPECT_EQ(r.assigned["org"]["id"], "acme");
  EXPECT_EQ(r.assigned["team"], "t2");
  ASSERT_EQ(provider_.requests.size(), 3u);
  ASSERT_EQ(provider_.requests[0].options.size(), 2u);
  EXPECT_EQ(provider_.requests[0].options[1].label, "Bob");
  EXPECT_EQ(provider_.requests[2].prompt, "team of acme");
  ASSERT_EQ(provider_.requests[2].options.size(), 2u);
  EXPECT_EQ(provider_.requests[2].options[0].label, "Red");
}

TEST_F(RunInputsTest, OptionsFromATemplateAndPlainValues) {
  suite_ = {{"colors", {"red", "green"}}};
  provider_.Say("green");
  InputRunResult r = Run("{prompt: c, variable: c, type: select, options: \"{{colors}}\"}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["c"], "green");
  EXPECT_EQ(provider_.requests[0].options[0].label, "red");
}

TEST_F(RunInputsTest, OptionsExpressionThatIsNoListIsAClearError) {
  suite_ = {{"users", "nobody"}};
  InputRunResult r = Run("- {prompt: u, variable: u, type: select, options: \"{{users}}\"}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'u': options expression '{{users}}' gave string, expected a list of options "
            "({value, label} or plain values)");
  EXPECT_EQ(r.error->pointer, "/0/options");
}

TEST_F(RunInputsTest, EmptyOptionsListFailsAtOnce) {
  suite_ = {{"users", Value::array()}};
  provider_.reprompt = true;
  InputRunResult r = Run("{prompt: u, variable: u, type: select, options: \"{{users}}\"}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message,
            "input 'u' has no options to choose from ('{{users}}' gave an empty list)");
  EXPECT_EQ(r.error->pointer, "/options");
  EXPECT_TRUE(provider_.requests.empty());
}

TEST_F(RunInputsTest, ValidationOfEveryKind) {
  struct Case {
    const char* yaml;
    Value answer;
    const char* error;  // "" when valid
  };
  const Case cases[] = {
      {"{prompt: k, variable: k, validation: {min_length: 5}}", "abcd",
       "must be at least 5 characters long (got 4)"},
      {"{prompt: k, variable: k, validation: {min_length: 2}}", "éé", ""},
      {"{prompt: k, variable: k, validation: {max_length: 3}}", "abcd",
       "must be at most 3 characters long (got 4)"},
      {"{prompt: k, variable: k, validation: {pattern: '^sk-[a-z]+'}}", "pk-abc",
       "does not match the pattern '^sk-[a-z]+'"},
      {"{prompt: k, variable: k, validation: {pattern: '^sk-[a-z]+'}}", "sk-abc", ""},
      {"{prompt: n, variable: n, type: number, validation: {min: 1, max: 100}}", "0",
       "must be at least 1"},
      {"{prompt: n, variable: n, type: number, validation: {min: 1, max: 100}}", "101",
       "must be at most 100"},
      {"{prompt: n, variable: n, type: number, validation: {max: '{{limit}}'}}", "11",
       "must be at most 10"},
      {"{prompt: n, variable: n, type: number, validation: {max: '{{limit}}'}}", "10", ""},
      {"{prompt: c, variable: c, validation: {options: [a, b]}}", "c",
       "is not one of the allowed values: \"a\", \"b\""},
      {R"({prompt: n, variable: n, type: number, validation: {expressions: [
          {expression: "value > limit", language: jmespath, message: "above the limit"}]}})",
       "5", "above the limit"},
      {R"({prompt: n, variable: n, type: number, validation: {expressions: [
          {expression: "value > variables.limit", language: jmespath, message: "x"}]}})",
       "11", ""},
      {R"({prompt: n, variable: n, validation: {expressions: [
          {name: short, expression: "length(value) < `3`", language: jmespath}]}})",
       "abcd", "validation 'short' failed"},
  };
  suite_ = {{"limit", 10}};
  for (const Case& c : cases) {
    provider_.Say(c.answer);
    InputRunResult r = Run(c.yaml);
    if (std::string(c.error).empty()) {
      EXPECT_FALSE(r.error) << c.yaml << ": " << r.error->message;
    } else {
      ASSERT_TRUE(r.error) << c.yaml;
      ASSERT_EQ(r.results.size(), 1u);
      EXPECT_EQ(r.results[0].validation_error, c.error) << c.yaml;
    }
  }
}

TEST_F(RunInputsTest, WarningExpressionsDoNotFail) {
  provider_.Say("abc");
  InputRunResult r = Run(R"(
prompt: k
variable: k
validation:
  expressions:
    - {expression: "length(value) > `5`", language: jmespath, severity: warning, message: "short"}
)");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.results[0].validation_warnings, std::vector<std::string>{"short"});
  EXPECT_EQ(r.results[0].ToReport()["validation_warnings"], Value({"short"}));
}

TEST_F(RunInputsTest, InvalidAnswerIsAskedAgainWhenThePersonCan) {
  provider_.reprompt = true;
  provider_.Say("abc");
  provider_.Say("12");
  InputRunResult r = Run("{prompt: n, variable: n, type: number, validation: {min: 10}}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.assigned["n"], 12);
  ASSERT_EQ(provider_.requests.size(), 2u);
  EXPECT_EQ(provider_.requests[0].previous_error, "");
  EXPECT_EQ(provider_.requests[1].previous_error, "expected a number, got 'abc'");
  EXPECT_EQ(provider_.requests[1].attempt, 2u);
}

TEST_F(RunInputsTest, AskingAgainStopsAfterFiveAttempts) {
  provider_.reprompt = true;
  for (int i = 0; i < 7; ++i) provider_.Say("abc");
  InputRunResult r = Run("{prompt: n, variable: n, type: number}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(provider_.requests.size(), kMaxInputAttempts);
  EXPECT_EQ(r.error->message,
            "input 'n' is invalid: expected a number, got 'abc' (after 5 attempts)");
}

// The original counted a failed validation as a passed step.
TEST_F(RunInputsTest, InvalidDefaultFailsTheStep) {
  InputRunResult r = Run(
      "{prompt: k, variable: k, type: password, ci_default: short, validation: {min_length: 20}}",
      InputPolicy::kAuto, false);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'k' is invalid: must be at least 20 characters long (got 5)");
  EXPECT_EQ(r.results[0].ToReport()["value"], "********");
}

TEST_F(RunInputsTest, DynamicComputedSeesTheInputs) {
  suite_ = Yaml("people: {ann: {name: Ann}, bo: {name: Bo}}");
  provider_.Say("bo");
  InputRunResult r = Run(R"(
prompt: who
variable: who
dynamic:
  computed:
    person: "{{people.bo}}"
    greeting: "hi {{person.name}}, alias {{who}}"
    fixed: 3
)");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["person"], Value({{"name", "Bo"}}));
  EXPECT_EQ(r.assigned["greeting"], "hi Bo, alias bo");
  EXPECT_EQ(r.assigned["fixed"], 3);
  ASSERT_EQ(r.dynamic_assignments.size(), 3u);
  const Value report = r.dynamic_assignments[1].ToReport();
  EXPECT_EQ(report["name"], "greeting");
  EXPECT_EQ(report["expression"], "hi {{person.name}}, alias {{who}}");
  EXPECT_EQ(report["source"], "computed");
  EXPECT_EQ(report["timestamp"], "2023-11-14T22:13:20.000Z");
}

TEST_F(RunInputsTest, ComputedTemplateErrorIsLocated) {
  provider_.Say("x");
  InputRunResult r = Run("{prompt: a, variable: a, dynamic: {computed: {b: '{{nope}}'}}}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->pointer, "/dynamic/computed/b");
  EXPECT_EQ(r.error->message.rfind("input 'a': unknown variable 'nope'", 0), 0u)
      << r.error->message;
}

TEST_F(RunInputsTest, PromptTemplateErrorIsLocated) {
  InputRunResult r = Run("- {prompt: 'hi {{who}}', variable: a}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->pointer, "/0/prompt");
  EXPECT_TRUE(provider_.requests.empty());
}

TEST_F(RunInputsTest, ProviderErrorFailsTheStep) {
  const Result<std::optional<InputAnswer>> closed = Unavailable("stdin closed");
  provider_.replies.push_back(closed);
  InputRunResult r = Run("{prompt: a, variable: a, default: d}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'a': stdin closed");
  EXPECT_EQ(r.error->code, ErrorCode::kUnavailable);
  EXPECT_FALSE(r.assigned.contains("a"));
}

TEST_F(RunInputsTest, FirstFailureStopsLaterInputs) {
  provider_.Say("abc");
  provider_.Say("never asked");
  InputRunResult r = Run("[{prompt: a, variable: a, type: number}, {prompt: b, variable: b}]");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(provider_.requests.size(), 1u);
  EXPECT_EQ(r.results.size(), 1u);
}

// A failure of the sandbox, not of the code.
Result<ScriptOutcome> CpuBudgetExceeded(const ScriptCall&) {
  Error e = InvalidArgument("cpu budget of 33 ms exceeded");
  e.reason = kScriptCpuBudget;
  return e;
}

TEST_F(RunInputsTest, ComputedDirectJavaScriptSeesTheAnswersAndTheVariables) {
  suite_ = Yaml("list: [{name: Ann}, {name: Bo}]");
  engine_.On("list[idx].name",
             [](const Value& b) { return b.at("list")[b.at("idx").get<std::size_t>()]["name"]; });
  engine_.On("idx + 1", [](const Value& b) { return Value(b.at("idx").get<int>() + 1); });
  provider_.Say("1");
  InputRunResult r = Run(R"(
prompt: which
variable: idx
type: number
dynamic:
  computed:
    name: "$list[idx].name"
    next: "{{js: idx + 1}}"
)");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["name"], "Bo");
  EXPECT_EQ(r.assigned["next"], 2);
  ASSERT_EQ(r.dynamic_assignments.size(), 2u);
  EXPECT_EQ(r.dynamic_assignments[0].expression, "$list[idx].name");
  ASSERT_EQ(engine_.calls.size(), 2u);
  EXPECT_EQ(engine_.calls[0].bindings, Yaml("{list: [{name: Ann}, {name: Bo}], idx: 1}"));
  EXPECT_EQ(engine_.calls[0].kind, ScriptCallKind::kExpression);
  EXPECT_EQ(engine_.calls[0].budget.cpu_ms, 33);
  EXPECT_EQ(engine_.calls[1].bindings, Value({{"idx", 1}}));
}

TEST_F(RunInputsTest, ComputedDirectJavaScriptWithPlaceholdersPastesThemFirst) {
  suite_ = Yaml("list: [{name: Ann}, {name: Bo}]");
  engine_.On("list[0].name", [](const Value& b) { return b.at("list")[0]["name"]; });
  provider_.Say("0");
  InputRunResult r =
      Run("{prompt: which, variable: idx, dynamic: {computed: {name: '$list[{{idx}}].name'}}}");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["name"], "Ann");
  ASSERT_EQ(engine_.calls.size(), 1u);
  EXPECT_EQ(engine_.calls[0].code, "list[0].name");
}

TEST_F(RunInputsTest, AComputedJavaScriptThatThrowsFailsTheStepAtItsEntry) {
  provider_.Say("x");
  InputRunResult r = Run("{prompt: a, variable: a, dynamic: {computed: {b: '$missing[a].x'}}}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->pointer, "/dynamic/computed/b");
  EXPECT_EQ(r.error->reason, kScriptException);
  EXPECT_EQ(r.error->message, "input 'a': ReferenceError: no fake answer for 'missing[a].x'");
}

TEST_F(RunInputsTest, CustomValidationSeesTheAnswerAsValueAndInputAndTheVariables) {
  suite_ = {{"min_len", 4}};
  engine_.On("value.length >= variables.min_len && input === value", [](const Value& b) {
    return Value(b.at("value").get<std::string>().size() >=
                     b.at("variables").at("min_len").get<std::size_t>() &&
                 b.at("input") == b.at("value"));
  });
  provider_.reprompt = true;
  provider_.Say("abc");
  provider_.Say("abcd");
  InputRunResult r = Run(R"(
prompt: k
variable: k
validation:
  custom_validation: "value.length >= variables.min_len && input === value"
)");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.assigned["k"], "abcd");
  ASSERT_EQ(provider_.requests.size(), 2u);
  EXPECT_EQ(provider_.requests[1].previous_error, "custom validation failed");
  ASSERT_EQ(engine_.calls.size(), 2u);
  EXPECT_EQ(engine_.calls[0].bindings["value"], "abc");
  EXPECT_EQ(engine_.calls[0].bindings["input"], "abc");
  EXPECT_EQ(engine_.calls[0].bindings["variables"]["min_len"], 4);
}

TEST_F(RunInputsTest, ACustomValidationStringIsTheErrorMessage) {
  engine_.On("value.startsWith('x') || 'must start with x'", [](const Value& b) {
    return b.at("value").get<std::string>().rfind('x', 0) == 0 ? Value(true)
                                                               : Value("must start with x");
  });
  provider_.Say("abc");
  InputRunResult r = Run(R"(
prompt: k
variable: k
validation: {custom_validation: "value.startsWith('x') || 'must start with x'"}
)");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "input 'k' is invalid: must start with x");
  EXPECT_EQ(r.error->reason, "input-invalid");

  provider_.Say("xyz");
  InputRunResult ok = Run(R"(
prompt: k
variable: k
validation: {custom_validation: "value.startsWith('x') || 'must start with x'"}
)");
  ASSERT_FALSE(ok.error) << ok.error->message;
  EXPECT_EQ(ok.assigned["k"], "xyz");
}

TEST_F(RunInputsTest, ACustomValidationThatThrowsIsAFailedCheckAndOneThatCannotRunFailsTheStep) {
  provider_.Say("abc");
  InputRunResult thrown =
      Run("{prompt: k, variable: k, validation: {custom_validation: 'value.nope()'}}");
  ASSERT_TRUE(thrown.error);
  EXPECT_EQ(thrown.error->reason, "input-invalid");
  EXPECT_EQ(thrown.results[0].validation_error,
            "custom validation could not be evaluated: ReferenceError: no fake answer for "
            "'value.nope()'");

  engine_.answers["value.slow()"] = CpuBudgetExceeded;
  provider_.Say("abc");
  InputRunResult budget =
      Run("{prompt: k, variable: k, validation: {custom_validation: 'value.slow()'}}");
  ASSERT_TRUE(budget.error);
  EXPECT_EQ(budget.error->reason, kScriptCpuBudget);
  EXPECT_EQ(budget.error->pointer, "/validation/custom_validation");
  EXPECT_EQ(budget.error->message, "input 'k': cpu budget of 33 ms exceeded");

  with_script_ = false;
  provider_.Say("abc");
  InputRunResult none =
      Run("{prompt: k, variable: k, validation: {custom_validation: 'value.slow()'}}");
  ASSERT_TRUE(none.error);
  EXPECT_EQ(none.error->reason, kScriptDisabled);
}

TEST_F(RunInputsTest, JavaScriptExpressionsAreTheDefaultLanguageAndSeeTheAnswer) {
  suite_ = {{"reserved", "admin"}};
  engine_.On("value !== reserved",
             [](const Value& b) { return Value(b.at("value") != b.at("reserved")); });
  engine_.On("input.length",
             [](const Value& b) { return Value(b.at("input").get<std::string>().size()); });
  const char* yaml = R"(
prompt: user
variable: user
validation:
  expressions:
    - {expression: "value !== reserved", message: "admin is reserved"}
    - {expression: "input.length", language: javascript, message: "empty", severity: warning}
)";
  provider_.Say("admin");
  InputRunResult r = Run(yaml);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.results[0].validation_error, "admin is reserved");
  ASSERT_EQ(engine_.calls.size(), 1u);
  EXPECT_EQ(engine_.calls[0].bindings, Value({{"value", "admin"}, {"reserved", "admin"}}));

  provider_.Say("ann");
  InputRunResult ok = Run(yaml);
  ASSERT_FALSE(ok.error) << ok.error->message;
  EXPECT_EQ(ok.assigned["user"], "ann");
  EXPECT_TRUE(ok.results[0].validation_warnings.empty());
  ASSERT_EQ(engine_.calls.size(), 3u);
  EXPECT_EQ(engine_.calls[2].bindings, Value({{"input", "ann"}}));  // the answer, as `input`
}

TEST_F(RunInputsTest, AJavaScriptExpressionThatCannotRunFailsTheStep) {
  engine_.answers["value > 1"] = CpuBudgetExceeded;
  provider_.Say("5");
  InputRunResult r = Run(R"(
prompt: n
variable: n
type: number
validation: {expressions: [{expression: "value > 1"}]}
)");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->reason, kScriptCpuBudget);
  EXPECT_EQ(r.error->pointer, "/validation/expressions/0/expression");
}

TEST_F(RunInputsTest, PromptJavaScriptAndFakerDefaultsRunInTheSession) {
  suite_ = {{"shop", "acme"}};
  engine_.On("shop.toUpperCase()",
             [](const Value& b) { return Value(b.at("shop").get<std::string>() + "!"); });
  engine_.On("person.firstName", [](const Value&) { return Value("Zed"); });
  provider_.PressEnter();
  InputRunResult r = Run(R"(
prompt: "Name for {{js: shop.toUpperCase()}}"
variable: name
default: "#faker.person.firstName"
)");
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(provider_.requests.size(), 1u);
  EXPECT_EQ(provider_.requests[0].prompt, "Name for acme!");
  EXPECT_EQ(r.assigned["name"], "Zed");
  ASSERT_EQ(engine_.calls.size(), 2u);
  EXPECT_EQ(engine_.calls[1].kind, ScriptCallKind::kFaker);
}

}  // namespace
}  // namespace flow::core
