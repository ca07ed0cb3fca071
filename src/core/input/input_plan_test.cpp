#include "core/input/input_plan.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/input/input_test_support.hpp"

namespace flow::core {
namespace {

using flow::testing::Yaml;

InputPlanLoad CompileYaml(std::string_view yaml) { return InputPlan::Compile(Yaml(yaml)); }

const Error* FindError(const std::vector<Error>& errors, std::string_view pointer) {
  for (const Error& e : errors) {
    if (e.pointer == pointer) return &e;
  }
  return nullptr;
}

TEST(InputPlan, CompilesOneMappingAndAList) {
  InputPlanLoad one = CompileYaml("prompt: 'Name?'\nvariable: name\n");
  ASSERT_TRUE(one.plan) << one.errors[0].message;
  EXPECT_EQ(one.plan->size(), 1u);
  EXPECT_EQ(one.plan->inputs()[0].pointer, "");
  EXPECT_EQ(one.plan->inputs()[0].type, InputType::kText);

  InputPlanLoad two = CompileYaml(R"(
- {prompt: "A?", variable: a, type: number}
- prompt: "B?"
  variable: b
  type: select
  options: [x, y]
  dynamic:
    computed: {b_upper: "{{b}}!"}
)");
  ASSERT_TRUE(two.plan) << two.errors[0].message;
  EXPECT_EQ(two.plan->size(), 2u);
  EXPECT_EQ(two.plan->inputs()[1].pointer, "/1");
  EXPECT_EQ(two.plan->inputs()[0].type, InputType::kNumber);
  EXPECT_EQ(two.plan->inputs()[1].type, InputType::kSelect);
  EXPECT_EQ(two.plan->variables(), (std::vector<std::string>{"a", "b", "b_upper"}));
  EXPECT_TRUE(two.warnings.empty());
}

TEST(InputPlan, UnknownKeyIsAnErrorWithDidYouMean) {
  InputPlanLoad load = CompileYaml("- {promt: 'x', variable: v}\n");
  EXPECT_FALSE(load.plan);
  const Error* unknown = FindError(load.errors, "/0/promt");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->message, "unknown input key 'promt'");
  EXPECT_EQ(unknown->hint, "did you mean 'prompt'?");
  EXPECT_EQ(unknown->reason, "unknown-key");
  const Error* missing = FindError(load.errors, "/0");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->message, "missing required key 'prompt' in 'input[0]'");
}

TEST(InputPlan, ReportsEveryErrorAtOnce) {
  InputPlanLoad load = CompileYaml(R"(
- prompt: "Key?"
  variable: key
  type: passwrd
  required: "yes"
  validation:
    pattern: "^(sk-"
    min_length: -1
- prompt: 3
  variable: ""
)");
  EXPECT_FALSE(load.plan);
  ASSERT_NE(FindError(load.errors, "/0/type"), nullptr);
  EXPECT_EQ(FindError(load.errors, "/0/type")->hint, "did you mean 'password'?");
  ASSERT_NE(FindError(load.errors, "/0/required"), nullptr);
  EXPECT_EQ(FindError(load.errors, "/0/required")->message,
            "'input[0].required' must be true or false, got string");
  const Error* regex = FindError(load.errors, "/0/validation/pattern");
  ASSERT_NE(regex, nullptr);
  EXPECT_NE(regex->message.find("invalid regular expression in 'input[0].validation.pattern'"),
            std::string::npos)
      << regex->message;
  EXPECT_NE(FindError(load.errors, "/0/validation/min_length"), nullptr);
  EXPECT_NE(FindError(load.errors, "/1/prompt"), nullptr);
  EXPECT_NE(FindError(load.errors, "/1/variable"), nullptr);
  EXPECT_EQ(load.errors.size(), 6u);
}

TEST(InputPlan, SingleMappingPointersHaveNoIndex) {
  InputPlanLoad load = CompileYaml("prompt: x\nvariable: v\nvalidation: {patern: 'a'}\n");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].pointer, "/validation/patern");
  EXPECT_EQ(load.errors[0].hint, "did you mean 'pattern'?");
}

TEST(InputPlan, InvalidConditionIsAnError) {
  InputPlanLoad load = CompileYaml("prompt: x\nvariable: v\ncondition: \"a ==\"\n");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].pointer, "/condition");
  EXPECT_NE(load.errors[0].message.find("invalid condition 'a =='"), std::string::npos);
}

TEST(InputPlan, SelectNeedsOptionsAndOptionsNeedValues) {
  InputPlanLoad load = CompileYaml(R"(
- {prompt: x, variable: a, type: select}
- {prompt: x, variable: b, type: select, options: [{label: "no value"}]}
- {prompt: x, variable: c, type: select, options: 42}
- {prompt: x, variable: d, type: select, options: "not jmespath ]["}
)");
  EXPECT_FALSE(load.plan);
  EXPECT_EQ(FindError(load.errors, "/0")->message, "a 'select' input needs 'options' ('input[0]')");
  EXPECT_EQ(FindError(load.errors, "/1/options/0")->message,
            "option 1 of 'input[1].options' has no 'value'");
  EXPECT_NE(FindError(load.errors, "/2/options"), nullptr);
  EXPECT_NE(FindError(load.errors, "/3/options")->message.find("invalid options expression"),
            std::string::npos);
}

TEST(InputPlan, OptionsExpressionCompilesAsJmesPath) {
  InputPlanLoad load = CompileYaml(
      "prompt: x\nvariable: v\ntype: select\noptions: \"{{users[*].{value: id, label: name}}}\"\n");
  ASSERT_TRUE(load.plan) << load.errors[0].message;
  const input_detail::OptionsSpec& options = load.plan->inputs()[0].options;
  EXPECT_TRUE(options.is_expression);
  ASSERT_TRUE(options.jmespath);
  EXPECT_EQ(options.jmespath->text(), "users[*].{value: id, label: name}");
  EXPECT_TRUE(load.plan->scripts().empty());  // the ':' is JMESPath, not JavaScript
}

TEST(InputPlan, KeysWithoutEffectAreWarnings) {
  InputPlanLoad load = CompileYaml(R"(
prompt: x
variable: v
timeout_seconds: 30
dynamic:
  scope: runtime
  exports: [a]
  persist_to_global: false
  computed: {a: "{{v}}"}
)");
  ASSERT_TRUE(load.plan);
  ASSERT_EQ(load.warnings.size(), 4u);
  EXPECT_EQ(load.warnings[0].pointer, "/timeout_seconds");
  EXPECT_EQ(load.warnings[0].message,
            "'timeout_seconds' has no effect: a prompt waits until it is answered");
  EXPECT_EQ(load.warnings[1].pointer, "/dynamic/scope");
  EXPECT_EQ(load.warnings[2].message, "'dynamic.exports' has no effect and is ignored");
  EXPECT_EQ(load.warnings[2].hint, "list the variables in the suite's 'exports'");
  EXPECT_EQ(load.plan->inputs()[0].timeout_seconds, 30.0);
}

TEST(InputPlan, JavaScriptPartsAreCompiledAndListed) {
  InputPlanLoad load = CompileYaml(R"Y(
- prompt: "Hi {{js: name.toUpperCase()}}"
  variable: a
  default: "#faker.person.firstName"
  validation:
    custom_validation: "value.length > 3"
    expressions:
      - {expression: "value.startsWith('x')", message: "starts with x"}
      - {expression: "length(value) > `2`", language: jmespath, message: "short"}
  dynamic:
    computed:
      upper: "{{$js: a.toUpperCase()}}"
      item: "$list[a].name"
      pasted: "$list[{{a}}].name"
      plain: "{{a}}"
      price: "$100"
)Y");
  ASSERT_TRUE(load.plan) << load.errors[0].message;
  const std::vector<InputScriptUse> expected = {
      {"/0/prompt", "javascript"},
      {"/0/default", "faker"},
      {"/0/validation/custom_validation", "javascript"},
      {"/0/validation/expressions/0/expression", "javascript"},
      {"/0/dynamic/computed/upper", "javascript"},
      {"/0/dynamic/computed/item", "javascript"},
      {"/0/dynamic/computed/pasted", "javascript"},
  };
  EXPECT_EQ(load.plan->scripts(), expected);
  const input_detail::InputSpec& spec = load.plan->inputs()[0];
  ASSERT_TRUE(spec.custom_validation);
  ASSERT_TRUE(spec.custom_validation->source);
  EXPECT_EQ(spec.custom_validation->source->code, "value.length > 3");
  EXPECT_EQ(spec.custom_validation_pointer, "/0/validation/custom_validation");
  ASSERT_EQ(spec.rules.size(), 2u);
  EXPECT_TRUE(spec.rules[0].condition.IsJavaScript());
  EXPECT_FALSE(spec.rules[1].condition.IsJavaScript());
  ASSERT_EQ(spec.computed.size(), 5u);
  EXPECT_FALSE(spec.computed[0].script);  // a template's JavaScript
  ASSERT_TRUE(spec.computed[1].script);
  ASSERT_TRUE(spec.computed[1].script->source);
  EXPECT_EQ(spec.computed[1].script->source->code, "list[a].name");
  EXPECT_EQ(spec.computed[1].script->source->names, (std::vector<std::string>{"list", "a"}));
  ASSERT_TRUE(spec.computed[2].script);
  EXPECT_TRUE(spec.computed[2].script->code_template);  // rendered, then checked at run time
  EXPECT_FALSE(spec.computed[3].script);
  EXPECT_FALSE(spec.computed[4].script);  // "$100" is no name
}

TEST(InputPlan, JavaScriptThatFailsTheStaticCheckIsAnErrorAtItsString) {
  InputPlanLoad load = CompileYaml(R"Y(
- prompt: "{{js: require('x')}}"
  variable: a
  validation:
    custom_validation: "value && process.exit(1)"
    expressions:
      - {expression: "eval(value)", message: "m"}
  dynamic:
    computed:
      item: "$list[a].constructor"
)Y");
  EXPECT_FALSE(load.plan);
  ASSERT_EQ(load.errors.size(), 4u);
  for (const Error& e : load.errors) EXPECT_EQ(e.reason, "invalid-script") << e.pointer;
  EXPECT_EQ(load.errors[0].pointer, "/0/prompt");
  EXPECT_EQ(load.errors[0].message,
            "invalid javascript in 'input[0].prompt': 'require' is not available in flowtest "
            "JavaScript (line 1, column 1 of the expression)");
  EXPECT_EQ(load.errors[1].pointer, "/0/validation/custom_validation");
  EXPECT_EQ(load.errors[1].message,
            "invalid javascript in 'input[0].validation.custom_validation': 'process' is not "
            "available in flowtest JavaScript (line 1, column 10 of the expression)");
  EXPECT_EQ(load.errors[2].pointer, "/0/validation/expressions/0/expression");
  EXPECT_NE(load.errors[2].message.find("'input[0].validation.expressions[0]': invalid javascript"),
            std::string::npos)
      << load.errors[2].message;
  EXPECT_EQ(load.errors[3].pointer, "/0/dynamic/computed/item");
}

TEST(InputPlan, NotAMappingOrListIsAnError) {
  InputPlanLoad load = InputPlan::Compile(Value("name"));
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].message, "'input' must be a mapping or a list of mappings, got string");
  EXPECT_EQ(InputPlan::Compile(Value::array()).errors[0].message,
            "'input' is an empty list: give at least one input");
}

// Every `input` in the original engine's suites compiles; the JavaScript in computed values is
// listed.
TEST(InputPlan, CompilesTheOriginalSuitesInputs) {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  if (shared == nullptr) GTEST_SKIP() << "FLOW_SHARED_DIR is not set";
  const std::filesystem::path dir =
      std::filesystem::path(shared) / "conformance/original-suites/tests";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no original suites at " << dir;
  std::size_t inputs = 0;
  std::size_t scripts = 0;
  for (const char* name :
       {"input-capture-test", "input-capture-advanced-test", "input-capture-jmespath-test",
        "interactive-input-examples", "test-dynamic-computed", "test-hooks-post-input"}) {
    std::ifstream in(dir / (std::string(name) + ".yaml"));
    ASSERT_TRUE(in) << name;
    std::stringstream text;
    text << in.rdbuf();
    Result<Document> doc = ParseDocument(text.str(), name);
    ASSERT_TRUE(doc) << doc.error().message;
    for (const Value& step : doc->root["steps"]) {
      if (!step.contains("input")) continue;
      InputPlanLoad load = InputPlan::Compile(step["input"]);
      ASSERT_TRUE(load.plan) << name << ": " << load.errors[0].message;
      inputs += load.plan->size();
      scripts += load.plan->scripts().size();
    }
  }
  EXPECT_EQ(inputs, 26u);
  EXPECT_EQ(scripts, 5u);  // test-dynamic-computed's "$beneficios_teste[...]" values
}

}  // namespace
}  // namespace flow::core
