#include "core/jmespath/jmespath.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/value.hpp"

namespace flow::core::jmespath {
namespace {

TEST(JmesPathExpression, CompilesOnceAndSearchesManyDocuments) {
  const Result<Expression> expression = Expression::Compile("items[?price > `10`].name");
  ASSERT_TRUE(expression.has_value());
  EXPECT_EQ(expression->text(), "items[?price > `10`].name");
  const Value cheap = Value::parse(R"({"items": [{"name": "a", "price": 5}]})");
  const Value dear = Value::parse(R"({"items": [{"name": "b", "price": 50}]})");
  EXPECT_EQ(*expression->Search(cheap), Value::array());
  EXPECT_EQ(*expression->Search(dear), Value::parse(R"(["b"])"));
}

TEST(JmesPathExpression, CopiesShareTheTreeAndWorkFromManyThreads) {
  const Result<Expression> compiled = Expression::Compile("sum(a[].b)");
  ASSERT_TRUE(compiled.has_value());
  const Value data = Value::parse(R"({"a": [{"b": 1}, {"b": 2}, {"b": 3}]})");
  std::vector<int> sums(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([expression = *compiled, &data, &sums, t] {
      for (int i = 0; i < 200; ++i) sums[t] += expression.Search(data)->get<int>();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(sums, std::vector<int>(4, 1200));
}

TEST(JmesPathExpression, ErrorsCarryTheKindAsReason) {
  const auto reason_of = [](std::string_view text) {
    const Result<Value> result = Search(text, Value::parse(R"({"a": "x"})"));
    EXPECT_FALSE(result.has_value()) << text;
    if (result) return std::string();
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << text;
    return result.error().reason;
  };
  EXPECT_EQ(reason_of("a.["), "syntax");
  EXPECT_EQ(reason_of("abs(a)"), "invalid-type");
  EXPECT_EQ(reason_of("abs(a, a)"), "invalid-arity");
  EXPECT_EQ(reason_of("a[::0]"), "invalid-value");
  EXPECT_EQ(reason_of("nope(a)"), "unknown-function");
}

TEST(JmesPathExpression, CompileErrorsDoNotNeedData) {
  const Result<Expression> result = Expression::Compile("foo || ");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "syntax");
  EXPECT_EQ(result.error().message, "unexpected end of expression at column 8");
}

TEST(JmesPathExpression, HostileDepthFailsCleanly) {
  const std::string text(1'000'000, '[');
  const Result<Expression> result = Expression::Compile(text);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "syntax");
}

TEST(JmesPathExpression, LongChainsSearchWithoutDeepRecursion) {
  std::string text = "a";
  Value data = Value::parse(R"({"a": 1})");
  for (int i = 0; i < 100000; ++i) text += " | @";
  EXPECT_EQ(*Search(text, data), 1);
}

TEST(JmesPathExpression, ResultIsACopyThatOutlivesTheDocument) {
  Value result;
  {
    const Value data = Value::parse(R"({"a": {"b": [1, 2]}})");
    result = *Search("a.b", data);
  }
  EXPECT_EQ(result, Value::parse("[1, 2]"));
}

}  // namespace
}  // namespace flow::core::jmespath
