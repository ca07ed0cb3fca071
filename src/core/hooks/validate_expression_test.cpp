#include "core/hooks/validate_expression.hpp"

#include <gtest/gtest.h>

#include "core/jmespath/jmespath.hpp"

namespace flow::core {
namespace {

// The rewritten expression evaluated over `data`, as a truth value.
bool Holds(const char* expression, const char* data) {
  Result<Value> value =
      jmespath::Search(ValidateExpressionToJmesPath(expression), Value::parse(data));
  EXPECT_TRUE(value.has_value()) << expression << ": " << (value ? "" : value.error().message);
  return value && IsHookTruthy(*value);
}

TEST(ValidateExpressionToJmesPath, TurnsBareLiteralsAfterComparisonsIntoJmesPathLiterals) {
  EXPECT_EQ(ValidateExpressionToJmesPath("response_time < 2000"), "response_time < `2000`");
  EXPECT_EQ(ValidateExpressionToJmesPath("discount_rate >= 0 && discount_rate <= 1"),
            "discount_rate >= `0` && discount_rate <= `1`");
  EXPECT_EQ(ValidateExpressionToJmesPath("ok == true"), "ok == `true`");
}

TEST(ValidateExpressionToJmesPath, LeavesExpressionsThatMeanTheSameInBothLanguagesAlone) {
  for (const char* text : {"username && password", "auth.access_token", "user_tier", "!token",
                           "a.b || c", "length(items) > `2`"}) {
    EXPECT_EQ(ValidateExpressionToJmesPath(text), text);
  }
}

TEST(ValidateExpressionToJmesPath, ReadsDotLengthAsTheLength) {
  EXPECT_EQ(ValidateExpressionToJmesPath("username.length >= 3"), "length(username) >= `3`");
  EXPECT_EQ(ValidateExpressionToJmesPath("user.tags[0].length"), "length(user.tags[0])");
  EXPECT_EQ(ValidateExpressionToJmesPath("a.length > b.length"), "length(a) > length(b)");
  // Not a trailing `.length` of a path.
  EXPECT_EQ(ValidateExpressionToJmesPath("a.lengthy"), "a.lengthy");
  EXPECT_EQ(ValidateExpressionToJmesPath("a.length.b"), "a.length.b");
  EXPECT_EQ(ValidateExpressionToJmesPath("@.length"), "@.length");
}

TEST(ValidateExpressionToJmesPath, DoubleQuotedTextAfterAComparisonIsAString) {
  EXPECT_EQ(ValidateExpressionToJmesPath("name == \"ann\""), "name == 'ann'");
  // A quoted identifier elsewhere stays an identifier.
  EXPECT_EQ(ValidateExpressionToJmesPath("\"odd key\" == 'x'"), "\"odd key\" == 'x'");
}

TEST(ValidateExpressionToJmesPath, DoesNotRewriteInsideQuotes) {
  EXPECT_EQ(ValidateExpressionToJmesPath("msg == 'took > 3 s' && n > 3"),
            "msg == 'took > 3 s' && n > `3`");
  EXPECT_EQ(ValidateExpressionToJmesPath("x == `5`"), "x == `5`");
  // An unterminated quote is left for JMESPath to reject.
  EXPECT_EQ(ValidateExpressionToJmesPath("n > 3 && m == 'open"), "n > `3` && m == 'open");
}

TEST(ValidateExpressionToJmesPath, CommonJavaScriptConditionsHoldAsTheyWouldThere) {
  const char* data =
      R"({"username": "test_user", "password": "p", "user_tier": "premium", "discount_rate": 0.15,
          "response_time": 150, "auth": {"access_token": "t"}, "empty": ""})";
  EXPECT_TRUE(Holds("username && password", data));
  EXPECT_TRUE(Holds("username.length >= 3", data));
  EXPECT_FALSE(Holds("username.length >= 30", data));
  EXPECT_TRUE(Holds("user_tier", data));
  EXPECT_TRUE(Holds("user_tier == \"premium\"", data));
  EXPECT_TRUE(Holds("discount_rate >= 0 && discount_rate <= 1", data));
  EXPECT_TRUE(Holds("response_time < 2000", data));
  EXPECT_FALSE(Holds("response_time > 2000", data));
  EXPECT_TRUE(Holds("auth.access_token", data));
  EXPECT_FALSE(Holds("auth.refresh_token", data));
  EXPECT_FALSE(Holds("empty", data));
  EXPECT_TRUE(Holds("!empty", data));
}

TEST(IsHookTruthy, FollowsJmesPath) {
  EXPECT_FALSE(IsHookTruthy(Value()));
  EXPECT_FALSE(IsHookTruthy(Value(false)));
  EXPECT_FALSE(IsHookTruthy(Value("")));
  EXPECT_FALSE(IsHookTruthy(Value::array()));
  EXPECT_FALSE(IsHookTruthy(Value::object()));
  EXPECT_TRUE(IsHookTruthy(Value(0)));
  EXPECT_TRUE(IsHookTruthy(Value(true)));
  EXPECT_TRUE(IsHookTruthy(Value("0")));
  EXPECT_TRUE(IsHookTruthy(Value::parse("[null]")));
}

}  // namespace
}  // namespace flow::core
