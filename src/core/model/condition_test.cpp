#include "core/model/condition.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

InterpolationContext ContextWith(const Value& vars) {
  InterpolationContext ctx;
  ctx.scopes.runtime = &vars;
  return ctx;
}

bool Eval(std::string_view text, const Value& data, const Value& vars = Value::object()) {
  Result<Condition> c = Condition::Compile(text);
  EXPECT_TRUE(c.has_value()) << (c.has_value() ? "" : c.error().message);
  if (!c) return false;
  Result<bool> r = c->Evaluate(data, ContextWith(vars));
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message);
  return r.has_value() && *r;
}

TEST(Condition, PlaceholderOutsideQuotesIsALiteralOfItsValue) {
  const Value vars = {{"role", "admin"}, {"count", 3}};
  EXPECT_TRUE(Eval("{{role}} == 'admin'", Value::object(), vars));
  EXPECT_FALSE(Eval("{{role}} == 'user'", Value::object(), vars));
  EXPECT_TRUE(Eval("{{count}} > `2`", Value::object(), vars));
}

TEST(Condition, PlaceholderInsideQuotesPastesItsText) {
  const Value vars = {{"env", "prod"}};
  EXPECT_TRUE(Eval("'{{env}}' == 'prod'", Value::object(), vars));
  EXPECT_FALSE(Eval("'{{env}}-x' == 'prod'", Value::object(), vars));
}

TEST(Condition, BareLiteralsAfterComparisonsAreRewritten) {
  const Value data = {{"status_code", 200}, {"ok", true}, {"body", nullptr}};
  EXPECT_TRUE(Eval("status_code == 200", data));
  EXPECT_FALSE(Eval("status_code == 201", data));
  EXPECT_TRUE(Eval("ok == true", data));
  EXPECT_TRUE(Eval("body == null", data));
  EXPECT_TRUE(Eval("status_code >= 200 && status_code < 300", data));
}

TEST(Condition, BracketKeysBecomeQuotedIdentifiers) {
  const Value data = {{"headers", {{"x-id", "7"}}}};
  EXPECT_TRUE(Eval("headers['x-id'] == '7'", data));
  EXPECT_EQ(ConditionToJmesPath("headers['x-id']"), "headers.\"x-id\"");
}

TEST(Condition, TruthinessFollowsJmesPath) {
  const Value data = {{"empty", Value::array()}, {"zero", 0}, {"text", ""}, {"list", {1}}};
  EXPECT_FALSE(Eval("empty", data));
  EXPECT_TRUE(Eval("zero", data));
  EXPECT_FALSE(Eval("text", data));
  EXPECT_TRUE(Eval("list", data));
  EXPECT_FALSE(Eval("missing", data));
}

TEST(Condition, InvalidSyntaxIsACompileErrorQuotingTheCondition) {
  Result<Condition> c = Condition::Compile("a == == b");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("invalid condition 'a == == b'"), std::string::npos);
  Result<Condition> with_placeholder = Condition::Compile("{{x}} == == 1");
  EXPECT_FALSE(with_placeholder.has_value());
}

TEST(Condition, AnUnknownVariableInAPlaceholderIsAnError) {
  Result<Condition> c = Condition::Compile("{{nope}} == `1`");
  ASSERT_TRUE(c.has_value());
  const Value vars = Value::object();
  Result<bool> r = c->Evaluate(Value::object(), ContextWith(vars));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("nope"), std::string::npos);
}

TEST(Condition, ValuesWithBackticksStayOneLiteral) {
  const Value vars = {{"s", "a`b"}};
  EXPECT_TRUE(Eval("{{s}} == 'a`b'", Value::object(), vars));
}

}  // namespace
}  // namespace flow::core
