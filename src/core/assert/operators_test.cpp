#include "core/assert/operators.hpp"

#include <gtest/gtest.h>

namespace flow::core::assertion {
namespace {

Value J(const char* text) { return Value::parse(text); }

OperatorResult Apply(std::string_view name, const Value& expected, const Value& actual,
                     bool present = true) {
  const std::optional<Operator> op = FindOperator(name);
  EXPECT_TRUE(op.has_value()) << name;
  return ApplyOperator(OperatorSpec{.op = op.value_or(Operator::kEquals), .name = name}, expected,
                       CheckedValue{.value = actual, .present = present});
}

OperatorResult ApplyLength(std::string_view sub, const Value& expected, const Value& actual) {
  return ApplyOperator(OperatorSpec{.op = Operator::kLength,
                                    .name = "length",
                                    .comparison = FindLengthComparison(sub).value()},
                       expected, CheckedValue{.value = actual});
}

TEST(Operators, NamesAndAliases) {
  EXPECT_EQ(FindOperator("min"), Operator::kGreaterThanOrEqual);
  EXPECT_EQ(FindOperator("max"), Operator::kLessThanOrEqual);
  EXPECT_EQ(FindOperator("one_of"), Operator::kIn);
  EXPECT_EQ(FindOperator("pattern"), Operator::kRegex);
  EXPECT_FALSE(FindOperator("greaterthan").has_value());
  EXPECT_EQ(OperatorNames().size(), 22u);
}

TEST(Operators, LooseEqualComparesNumbersAndBooleansWithTheirText) {
  EXPECT_TRUE(LooseEqual(J("200"), J("\"200\"")));
  EXPECT_TRUE(LooseEqual(J("\"true\""), J("true")));
  EXPECT_TRUE(LooseEqual(J("1.0"), J("\"1\"")));  // JavaScript's String(1.0) is "1"
  EXPECT_TRUE(LooseEqual(J("1.5"), J("\"1.5\"")));
  EXPECT_TRUE(LooseEqual(J("1"), J("1.0")));
  EXPECT_FALSE(LooseEqual(J("200"), J("\"200.0\"")));
  EXPECT_FALSE(LooseEqual(J("null"), J("\"null\"")));
  EXPECT_FALSE(LooseEqual(J("0"), J("false")));
  EXPECT_TRUE(LooseEqual(J(R"({"a": 1, "b": [1, "2"]})"), J(R"({"b": ["1", 2], "a": "1"})")));
  EXPECT_FALSE(LooseEqual(J("[1, 2]"), J("[2, 1]")));
  EXPECT_FALSE(LooseEqual(J(R"({"a": 1})"), J(R"({"a": 1, "b": 2})")));
}

TEST(Operators, EqualsAndNotEquals) {
  EXPECT_TRUE(Apply("equals", J("200"), J("200")).passed);
  EXPECT_EQ(Apply("equals", J("200"), J("200")).message, "OK");
  const OperatorResult fail = Apply("equals", J("200"), J("404"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.message, "expected 200, got 404");
  EXPECT_EQ(fail.actual, J("404"));
  EXPECT_TRUE(Apply("equals", J("\"200\""), J("200")).passed);
  EXPECT_TRUE(Apply("equals", J("[1, [2]]"), J("[1, [2]]")).passed);
  EXPECT_TRUE(Apply("not_equals", J("1"), J("2")).passed);
  const OperatorResult same = Apply("not_equals", J("\"a\""), J("\"a\""));
  EXPECT_FALSE(same.passed);
  EXPECT_EQ(same.message, "expected a value other than \"a\", got \"a\"");
}

TEST(Operators, ContainsOnStringsArraysAndObjects) {
  EXPECT_TRUE(Apply("contains", J("\"json\""), J("\"application/json\"")).passed);
  EXPECT_TRUE(Apply("contains", J("200"), J("\"code 200 ok\"")).passed);
  EXPECT_TRUE(Apply("contains", J(R"({"id": 2})"), J(R"([{"id": 1}, {"id": 2}])")).passed);
  EXPECT_TRUE(Apply("contains", J("\"x\""), J(R"({"k": "x"})")).passed);
  EXPECT_FALSE(Apply("contains", J("\"k\""), J(R"({"k": "x"})")).passed);  // values, not keys
  const OperatorResult miss = Apply("contains", J("\"xml\""), J("\"application/json\""));
  EXPECT_FALSE(miss.passed);
  EXPECT_EQ(miss.message, "expected a value containing \"xml\", got \"application/json\"");
  const OperatorResult wrong = Apply("contains", J("1"), J("5"));
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(wrong.message, "expected a string, array or object containing 1, got number 5");
}

TEST(Operators, NotContains) {
  EXPECT_TRUE(Apply("not_contains", J("\"error\""), J("\"all good\"")).passed);
  EXPECT_TRUE(Apply("not_contains", J("3"), J("[1, 2]")).passed);
  EXPECT_FALSE(Apply("not_contains", J("2"), J("[1, 2]")).passed);
  const OperatorResult missing = Apply("not_contains", J("\"x\""), J("null"));
  EXPECT_FALSE(missing.passed);  // nothing to look into is a failure, never a vacuous pass
  EXPECT_EQ(missing.message, "expected a string, array or object not containing \"x\", got null");
}

TEST(Operators, RegexAndPattern) {
  EXPECT_TRUE(
      Apply("regex", J("\"^[a-f0-9-]{36}$\""), J("\"123e4567-e89b-12d3-a456-426614174000\""))
          .passed);
  EXPECT_TRUE(Apply("pattern", J("\"\\\\d+\""), J("\"abc123\"")).passed);
  const OperatorResult miss = Apply("regex", J("\"^x\""), J("\"abc\""));
  EXPECT_FALSE(miss.passed);
  EXPECT_EQ(miss.message, "expected a string matching /^x/, got \"abc\"");
  const OperatorResult number = Apply("regex", J("\"^1\""), J("123"));
  EXPECT_FALSE(number.passed);  // the actual value must be a string
  EXPECT_EQ(number.message, "expected a string matching /^1/, got number 123");
  const OperatorResult invalid = Apply("regex", J("\"(\""), J("\"abc\""));
  EXPECT_FALSE(invalid.passed);
  EXPECT_EQ(invalid.message.rfind("invalid regex /(/: missing closing parenthesis", 0), 0u)
      << invalid.message;
}

TEST(Operators, RegexOverItsLimitFails) {
  const OperatorResult result = Apply("regex", J("\"(a+)+$\""), Value(std::string(40, 'a') + "b"));
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.message.rfind("regex exceeded its match limit", 0), 0u) << result.message;
}

TEST(Operators, TypeNamesAndMissingHasNoType) {
  EXPECT_TRUE(Apply("type", J("\"string\""), J("\"a\"")).passed);
  EXPECT_TRUE(Apply("type", J("\"number\""), J("1.5")).passed);
  EXPECT_TRUE(Apply("type", J("\"boolean\""), J("false")).passed);
  EXPECT_TRUE(Apply("type", J("\"object\""), J("{}")).passed);
  EXPECT_TRUE(Apply("type", J("\"array\""), J("[]")).passed);
  EXPECT_TRUE(Apply("type", J("\"null\""), J("null")).passed);  // present, holding null
  const OperatorResult missing = Apply("type", J("\"null\""), J("null"), false);
  EXPECT_FALSE(missing.passed);  // a mistyped path must not pass `type: null`
  EXPECT_EQ(missing.message, "expected type null, got nothing (no such field)");
  const OperatorResult fail = Apply("type", J("\"string\""), J("5"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.message, "expected type string, got number 5");
}

TEST(Operators, ExistsUsesPresence) {
  EXPECT_TRUE(Apply("exists", J("true"), J("1")).passed);
  EXPECT_TRUE(Apply("exists", J("true"), J("null"), /*present=*/true).passed);
  const OperatorResult absent = Apply("exists", J("true"), J("null"), false);
  EXPECT_FALSE(absent.passed);
  EXPECT_EQ(absent.message, "expected a value to exist, got nothing");
  EXPECT_TRUE(Apply("exists", J("false"), J("null"), false).passed);
  const OperatorResult there = Apply("exists", J("false"), J("7"));
  EXPECT_FALSE(there.passed);
  EXPECT_EQ(there.message, "expected no value, got 7");
}

TEST(Operators, NumericComparisonsNeedANumber) {
  EXPECT_TRUE(Apply("greater_than", J("5"), J("6")).passed);
  EXPECT_FALSE(Apply("greater_than", J("5"), J("5")).passed);
  EXPECT_TRUE(Apply("less_than", J("5"), J("4.5")).passed);
  EXPECT_FALSE(Apply("less_than", J("5"), J("5")).passed);
  EXPECT_TRUE(Apply("greater_than_or_equal", J("5"), J("5")).passed);
  EXPECT_FALSE(Apply("greater_than_or_equal", J("5"), J("4")).passed);
  EXPECT_TRUE(Apply("less_than_or_equal", J("5"), J("5")).passed);
  EXPECT_FALSE(Apply("less_than_or_equal", J("5"), J("6")).passed);
  EXPECT_TRUE(Apply("min", J("1"), J("1")).passed);
  EXPECT_FALSE(Apply("min", J("1"), J("0")).passed);
  EXPECT_TRUE(Apply("max", J("10"), J("10")).passed);
  EXPECT_FALSE(Apply("max", J("10"), J("11")).passed);
  EXPECT_TRUE(Apply("greater_than", J("\"5\""), J("6")).passed);  // numeric text as expected
  EXPECT_TRUE(Apply("greater_than", J("-1"), J("18446744073709551615")).passed);
  EXPECT_EQ(Apply("greater_than", J("5"), J("3")).message, "expected greater than 5, got 3");
  EXPECT_EQ(Apply("max", J("10"), J("11")).message, "expected at most 10, got 11");
  const OperatorResult text = Apply("greater_than", J("5"), J("\"6\""));
  EXPECT_FALSE(text.passed);  // a numeric string is not a number
  EXPECT_EQ(text.message, "expected a number greater than 5, got string \"6\"");
}

TEST(Operators, InOneOfAndNotIn) {
  EXPECT_TRUE(Apply("in", J("[200, 201]"), J("201")).passed);
  EXPECT_TRUE(Apply("one_of", J(R"(["a", "b"])"), J("\"b\"")).passed);
  EXPECT_TRUE(Apply("in", J(R"([{"a": 1}])"), J(R"({"a": 1})")).passed);
  const OperatorResult miss = Apply("in", J("[200, 201]"), J("404"));
  EXPECT_FALSE(miss.passed);
  EXPECT_EQ(miss.message, "expected one of [200,201], got 404");
  EXPECT_TRUE(Apply("not_in", J("[500, 503]"), J("200")).passed);
  const OperatorResult hit = Apply("not_in", J("[500, 503]"), J("503"));
  EXPECT_FALSE(hit.passed);
  EXPECT_EQ(hit.message, "expected none of [500,503], got 503");
  const OperatorResult rendered = Apply("in", J("\"200\""), J("200"));
  EXPECT_FALSE(rendered.passed);  // a template that rendered to a non-list fails
  EXPECT_EQ(rendered.message, "operator 'in' expects a list of values, got string \"200\"");
}

TEST(Operators, LengthCountsCodePointsAndElements) {
  EXPECT_EQ(LengthOf(J("\"caf\u00e9\"")), 4u);
  EXPECT_EQ(LengthOf(Value("\xF0\x9F\x98\x80")), 1u);  // one emoji, four bytes
  EXPECT_EQ(LengthOf(J("[1, 2, 3]")), 3u);
  EXPECT_FALSE(LengthOf(J("{}")).has_value());
  const OperatorResult equal = ApplyLength("equals", J("4"), J("\"caf\u00e9\""));
  EXPECT_TRUE(equal.passed);
  EXPECT_EQ(equal.actual, J("4"));
  EXPECT_FALSE(ApplyLength("equals", J("5"), J("\"caf\u00e9\"")).passed);
  EXPECT_TRUE(ApplyLength("not_equals", J("2"), J("[1]")).passed);
  EXPECT_FALSE(ApplyLength("not_equals", J("1"), J("[1]")).passed);
  EXPECT_TRUE(ApplyLength("greater_than", J("2"), J("[1, 2, 3]")).passed);
  EXPECT_FALSE(ApplyLength("greater_than", J("3"), J("[1, 2, 3]")).passed);
  EXPECT_TRUE(ApplyLength("less_than", J("4"), J("[1, 2, 3]")).passed);
  EXPECT_FALSE(ApplyLength("less_than", J("3"), J("[1, 2, 3]")).passed);
  EXPECT_TRUE(ApplyLength("greater_than_or_equal", J("3"), J("[1, 2, 3]")).passed);
  EXPECT_FALSE(ApplyLength("greater_than_or_equal", J("4"), J("[1, 2, 3]")).passed);
  EXPECT_TRUE(ApplyLength("less_than_or_equal", J("3"), J("[1, 2, 3]")).passed);
  EXPECT_FALSE(ApplyLength("less_than_or_equal", J("2"), J("[1, 2, 3]")).passed);
  EXPECT_TRUE(ApplyLength("min", J("3"), J("\"abc\"")).passed);
  EXPECT_FALSE(ApplyLength("max", J("2"), J("\"abc\"")).passed);
  EXPECT_EQ(ApplyLength("greater_than", J("3"), J("[1, 2]")).message,
            "expected length greater than 3, got length 2");
  const OperatorResult number = ApplyLength("equals", J("1"), J("5"));
  EXPECT_FALSE(number.passed);
  EXPECT_EQ(number.message, "expected a string or an array for 'length', got number 5");
}

TEST(Operators, MinLengthAndMaxLength) {
  EXPECT_TRUE(Apply("minLength", J("2"), J("\"ab\"")).passed);
  EXPECT_FALSE(Apply("minLength", J("3"), J("\"ab\"")).passed);
  EXPECT_TRUE(Apply("maxLength", J("2"), J("[1, 2]")).passed);
  const OperatorResult fail = Apply("maxLength", J("1"), J("[1, 2]"));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.message, "expected length at most 1, got length 2");
  EXPECT_FALSE(Apply("minLength", J("0"), J("null")).passed);
}

TEST(Operators, NotEmptyAndEmpty) {
  EXPECT_TRUE(Apply("notEmpty", J("true"), J("\"x\"")).passed);
  EXPECT_TRUE(Apply("notEmpty", J("true"), J("0")).passed);
  for (const char* empty : {"null", "\"\"", "[]", "{}"}) {
    EXPECT_FALSE(Apply("notEmpty", J("true"), J(empty)).passed) << empty;
    EXPECT_TRUE(Apply("notEmpty", J("false"), J(empty)).passed) << empty;
    EXPECT_TRUE(Apply("empty", J("true"), J(empty)).passed) << empty;
  }
  EXPECT_EQ(Apply("notEmpty", J("true"), J("\"\"")).message,
            "expected a non-empty value, got \"\"");
  EXPECT_FALSE(Apply("notEmpty", J("false"), J("[1]")).passed);
  EXPECT_FALSE(Apply("empty", J("true"), J("[1]")).passed);
  EXPECT_TRUE(Apply("empty", J("false"), J("[1]")).passed);
}

TEST(Operators, ValidateOperandRejectsWrongLiteralTypes) {
  const auto problem = [](std::string_view name, const char* json) {
    return ValidateOperand(*FindOperator(name), name, J(json));
  };
  EXPECT_FALSE(problem("equals", R"({"any": "thing"})").has_value());
  ASSERT_TRUE(problem("greater_than", "\"abc\"").has_value());
  EXPECT_EQ(problem("greater_than", "\"abc\"")->message,
            "operator 'greater_than' expects a number, got string \"abc\"");
  EXPECT_EQ(problem("greater_than", "\"abc\"")->reason, "invalid-value");
  EXPECT_FALSE(problem("greater_than", "\"12\"").has_value());
  EXPECT_EQ(problem("exists", "\"yes\"")->message,
            "operator 'exists' expects true or false, got string \"yes\"");
  EXPECT_EQ(problem("type", "\"strng\"")->hint, "did you mean 'string'?");
  EXPECT_TRUE(problem("regex", "5").has_value());
  EXPECT_TRUE(problem("in", "200").has_value());
  EXPECT_TRUE(problem("not_in", "{}").has_value());
  EXPECT_TRUE(problem("minLength", "-1").has_value());
  EXPECT_TRUE(problem("notEmpty", "1").has_value());
}

TEST(Operators, ShowValueCutsLongValues) {
  const std::string shown = ShowValue(Value(std::string(500, 'x')));
  EXPECT_LT(shown.size(), 210u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
}

}  // namespace
}  // namespace flow::core::assertion
