// Evaluation rules: projections, slices, comparisons, truthiness and numbers.
#include "core/jmespath/interpreter.hpp"

#include <gtest/gtest.h>

#include "core/jmespath/jmespath.hpp"

namespace flow::core::jmespath {
namespace {

Value Eval(std::string_view expression, std::string_view json) {
  const Result<Value> result = Search(expression, Value::parse(json));
  EXPECT_TRUE(result.has_value()) << expression << ": " << (result ? "" : result.error().message);
  return result ? *result : Value("<error>");
}

Value J(std::string_view json) { return Value::parse(json); }

constexpr std::string_view kPeople = R"({"people": [
  {"name": "a", "age": 30, "tags": ["x", "y"]},
  {"name": "b", "age": 20, "tags": ["z"]},
  {"name": "c", "tags": []},
  {"age": 40}
]})";

TEST(JmesPathProjection, DropsNullResults) {
  EXPECT_EQ(Eval("people[*].name", kPeople), J(R"(["a", "b", "c"])"));
  EXPECT_EQ(Eval("people[*].missing", kPeople), J("[]"));
}

TEST(JmesPathProjection, AppliesEverythingAfterItToEachElement) {
  EXPECT_EQ(Eval("people[*].tags[0]", kPeople), J(R"(["x", "z"])"));
}

TEST(JmesPathProjection, PipeStopsTheProjection) {
  EXPECT_EQ(Eval("people[*].tags | [0]", kPeople), J(R"(["x", "y"])"));
}

TEST(JmesPathProjection, ParenthesesStopTheProjection) {
  EXPECT_EQ(Eval("(people[*].tags)[0]", kPeople), J(R"(["x", "y"])"));
}

TEST(JmesPathProjection, FlattenStopsTheProjectionAndMergesOneLevel) {
  EXPECT_EQ(Eval("people[*].tags[]", kPeople), J(R"(["x", "y", "z"])"));
  EXPECT_EQ(Eval("@[]", "[[1, [2]], 3, null]"), J("[1, [2], 3]"));
}

TEST(JmesPathProjection, NestedProjectionsNest) {
  EXPECT_EQ(Eval("a[*].b[*].c", R"({"a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": [{"c": 3}]}]})"),
            J("[[1, 2], [3]]"));
}

TEST(JmesPathProjection, OfANonArrayIsNull) {
  EXPECT_EQ(Eval("foo[*].a", R"({"foo": {"a": 1}})"), Value());
  EXPECT_EQ(Eval("foo.*", R"({"foo": [1]})"), Value());
  EXPECT_EQ(Eval("foo[?a]", R"({"foo": "x"})"), Value());
}

TEST(JmesPathProjection, ObjectWildcardProjectsTheValues) {
  EXPECT_EQ(Eval("*.a", R"({"x": {"a": 1}, "y": {"b": 2}, "z": {"a": 3}})"), J("[1, 3]"));
}

TEST(JmesPathProjection, FilterKeepsTruthyConditionsAndProjects) {
  EXPECT_EQ(Eval("people[?age > `25`].name", kPeople), J(R"(["a"])"));
  EXPECT_EQ(Eval("people[?tags].name", kPeople), J(R"(["a", "b"])"));
  EXPECT_EQ(Eval("people[?!name].age", kPeople), J("[40]"));
}

TEST(JmesPathProjection, MultiSelectOnNullIsNull) {
  EXPECT_EQ(Eval("missing.[a, b]", "{}"), Value());
  EXPECT_EQ(Eval("missing.{a: a}", "{}"), Value());
  EXPECT_EQ(Eval("[a, b]", R"({"a": 1})"), J("[1, null]"));
}

TEST(JmesPathSlice, FollowsPythonRules) {
  const std::string_view list = "[0, 1, 2, 3, 4, 5]";
  EXPECT_EQ(Eval("[1:3]", list), J("[1, 2]"));
  EXPECT_EQ(Eval("[::2]", list), J("[0, 2, 4]"));
  EXPECT_EQ(Eval("[::-1]", list), J("[5, 4, 3, 2, 1, 0]"));
  EXPECT_EQ(Eval("[-2:]", list), J("[4, 5]"));
  EXPECT_EQ(Eval("[4:1:-2]", list), J("[4, 2]"));
  EXPECT_EQ(Eval("[100:]", list), J("[]"));
  EXPECT_EQ(Eval("[-100:2]", list), J("[0, 1]"));
  EXPECT_EQ(Eval("[:-100:-1]", list), J("[5, 4, 3, 2, 1, 0]"));
  EXPECT_EQ(Eval("[99999999999999999999:0:-99999999999999999999]", list), J("[5]"));
  EXPECT_EQ(Eval("[1:]", R"("abc")"), Value());
}

TEST(JmesPathIndex, CountsNegativeIndexesFromTheEnd) {
  EXPECT_EQ(Eval("[-1]", "[1, 2, 3]"), 3);
  EXPECT_EQ(Eval("[-4]", "[1, 2, 3]"), Value());
  EXPECT_EQ(Eval("[3]", "[1, 2, 3]"), Value());
  EXPECT_EQ(Eval("[0]", R"({"0": 1})"), Value());
}

TEST(JmesPathComparison, OrdersOnlyNumbers) {
  EXPECT_EQ(Eval("a < b", R"({"a": 1, "b": 2.5})"), true);
  EXPECT_EQ(Eval("a < b", R"({"a": "a", "b": "b"})"), Value());
  EXPECT_EQ(Eval("a >= b", R"({"a": null, "b": 1})"), Value());
}

TEST(JmesPathComparison, IntegersCompareExactlyAcrossSignedness) {
  EXPECT_EQ(Eval("a < b", R"({"a": -1, "b": 18446744073709551615})"), true);
  EXPECT_EQ(Eval("a > b", R"({"a": 9007199254740993, "b": 9007199254740992})"), true);
}

TEST(JmesPathComparison, EqualityIgnoresKeyOrderAndNumberRepresentation) {
  EXPECT_EQ(Eval("a == b", R"({"a": {"x": 1, "y": [1, 2]}, "b": {"y": [1, 2.0], "x": 1}})"), true);
  EXPECT_EQ(Eval("a != b", R"({"a": [1, 2], "b": [2, 1]})"), true);
  EXPECT_EQ(Eval("a == b", R"({"a": "1", "b": 1})"), false);
}

TEST(JmesPathLogic, OrAndAndReturnOperandsNotBooleans) {
  EXPECT_EQ(Eval("a || b", R"({"a": [], "b": "x"})"), "x");
  EXPECT_EQ(Eval("a && b", R"({"a": [1], "b": "x"})"), "x");
  EXPECT_EQ(Eval("a && b", R"({"a": "", "b": "x"})"), "");
  EXPECT_EQ(Eval("a || b || c", R"({"c": 0})"), 0);
  EXPECT_EQ(Eval("!a", R"({"a": 0})"), false);
  EXPECT_EQ(Eval("!a", R"({"a": {}})"), true);
}

TEST(JmesPathNumbers, LiteralsKeepTheirIntegerOrFloatForm) {
  const Value integer = Eval("`3`", "null");
  EXPECT_TRUE(integer.is_number_integer());
  EXPECT_EQ(integer.dump(), "3");
  const Value floating = Eval("`3.0`", "null");
  EXPECT_TRUE(floating.is_number_float());
  EXPECT_EQ(floating.dump(), "3.0");
}

TEST(JmesPathTruthiness, FollowsTheSpecification) {
  using detail::IsTruthy;
  EXPECT_FALSE(IsTruthy(Value()));
  EXPECT_FALSE(IsTruthy(Value(false)));
  EXPECT_FALSE(IsTruthy(Value("")));
  EXPECT_FALSE(IsTruthy(Value::array()));
  EXPECT_FALSE(IsTruthy(Value::object()));
  EXPECT_TRUE(IsTruthy(Value(0)));
  EXPECT_TRUE(IsTruthy(Value(" ")));
}

TEST(JmesPathDatum, BorrowsUntilReleasedAndMovesWhatItOwnsAlone) {
  const Value document = J(R"({"a": [1, 2]})");
  const detail::Datum borrowed = detail::Datum::Borrow(document);
  EXPECT_EQ(&*borrowed, &document);
  detail::Datum owned = detail::Datum::Own(J("[1, 2, 3]"));
  const detail::Datum part = owned.Part((*owned)[1]);
  EXPECT_EQ(*part, 2);
  EXPECT_EQ(std::move(owned).Release(), J("[1, 2, 3]"));  // still shared with part: a copy
  EXPECT_EQ(*part, 2);
}

TEST(JmesPathExpressionRef, OutsideAFunctionIsAnInvalidType) {
  const Result<Value> result = Search("&a", Value::object());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "invalid-type");
}

}  // namespace
}  // namespace flow::core::jmespath
