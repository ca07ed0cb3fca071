#include <gtest/gtest.h>

#include <string>

#include "core/template/template.hpp"

namespace flow::core {
namespace {

class CompiledValueTest : public ::testing::Test {
 protected:
  CompiledValueTest() {
    runtime = Value::parse(R"({"id": 7, "host": "api.local", "tags": ["a", "b"]})");
    ctx.scopes.runtime = &runtime;
  }
  Value runtime;
  InterpolationContext ctx;
};

TEST_F(CompiledValueTest, RendersStringsInsideMapsAndListsButNeverKeys) {
  const Value source = Value::parse(R"({
    "url": "https://{{host}}/users/{{id}}",
    "{{id}}": "key stays",
    "body": {"id": "{{id}}", "tags": "{{tags}}", "list": ["{{ id }}", "x{{id}}", 3, true, null],
             "plain": {"a": [1, {"b": "c"}]}}
  })");
  const Result<CompiledValue> compiled = CompiledValue::Compile(source);
  ASSERT_TRUE(compiled.has_value());
  EXPECT_TRUE(compiled->HasExpressions());
  const Result<Value> rendered = compiled->Render(ctx);
  ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
  const Value expected = Value::parse(R"({
    "url": "https://api.local/users/7",
    "{{id}}": "key stays",
    "body": {"id": 7, "tags": ["a", "b"], "list": [7, "x7", 3, true, null],
             "plain": {"a": [1, {"b": "c"}]}}
  })");
  EXPECT_TRUE(DeepEqual(*rendered, expected)) << DumpJson(*rendered);
  EXPECT_EQ(rendered->begin().key(), "url");  // written order kept
}

TEST_F(CompiledValueTest, ValueWithoutExpressionsRendersUnchanged) {
  const Value source = Value::parse(R"({"a": "plain {{ unclosed", "b": [1, 2.5, "x"], "c": null})");
  const Result<CompiledValue> compiled = CompiledValue::Compile(source);
  ASSERT_TRUE(compiled.has_value());
  EXPECT_FALSE(compiled->HasExpressions());
  EXPECT_EQ(*compiled->Render(ctx), source);
  EXPECT_EQ(*CompiledValue::Compile(Value(5))->Render(ctx), Value(5));
  EXPECT_EQ(*CompiledValue::Compile(Value("{{id}}"))->Render(ctx), Value(7));
}

TEST_F(CompiledValueTest, RenderErrorPointsAtTheFailingNode) {
  const Value source =
      Value::parse(R"({"headers": {"a/b~c": "{{nope}}"}, "list": [1, "{{id}}", "{{idd}}"]})");
  const Result<CompiledValue> compiled = CompiledValue::Compile(source);
  ASSERT_TRUE(compiled.has_value());
  Result<Value> rendered = compiled->Render(ctx);
  ASSERT_FALSE(rendered.has_value());
  EXPECT_EQ(rendered.error().pointer, "/headers/a~1b~0c");
  EXPECT_EQ(rendered.error().message, "unknown variable 'nope'");

  runtime["nope"] = 1;
  rendered = compiled->Render(ctx);
  ASSERT_FALSE(rendered.has_value());
  EXPECT_EQ(rendered.error().pointer, "/list/2");
  EXPECT_EQ(rendered.error().hint, "did you mean 'id'?");
}

TEST_F(CompiledValueTest, LiteralPolicyAppliesInsideTrees) {
  std::vector<std::string> warnings;
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  ctx.warnings = &warnings;
  const Result<Value> rendered =
      CompiledValue::Compile(Value::parse(R"({"a": ["{{x}}", "{{id}}"]})"))->Render(ctx);
  ASSERT_TRUE(rendered.has_value());
  EXPECT_EQ(DumpJson(*rendered), R"({"a":["{{x}}",7]})");
  EXPECT_EQ(warnings.size(), 1u);
}

TEST_F(CompiledValueTest, TooDeepIsAnErrorWithAPointer) {
  Value deep = "{{id}}";
  for (int i = 0; i < CompiledValue::kMaxDepth + 5; ++i) deep = Value::array({deep});
  const Result<CompiledValue> compiled = CompiledValue::Compile(deep);
  ASSERT_FALSE(compiled.has_value());
  EXPECT_EQ(compiled.error().reason, "too-deep");
  std::string pointer;
  for (int i = 0; i < CompiledValue::kMaxDepth; ++i) pointer += "/0";
  EXPECT_EQ(compiled.error().pointer, pointer);

  Value fine = "{{id}}";
  for (int i = 0; i < CompiledValue::kMaxDepth; ++i) fine = Value::array({fine});
  ASSERT_TRUE(CompiledValue::Compile(fine).has_value());
}

TEST_F(CompiledValueTest, RendersTheSameCompiledValueRepeatedly) {
  const CompiledValue compiled = *CompiledValue::Compile(Value::parse(R"({"n": "{{id}}"})"));
  for (int i = 0; i < 3; ++i) {
    runtime["id"] = i;
    EXPECT_EQ((*compiled.Render(ctx))["n"], Value(i));
  }
}

TEST(CompiledValue, DefaultRendersNull) {
  const CompiledValue empty;
  EXPECT_FALSE(empty.HasExpressions());
  EXPECT_EQ(*empty.Render(InterpolationContext{}), Value(nullptr));
}

}  // namespace
}  // namespace flow::core
