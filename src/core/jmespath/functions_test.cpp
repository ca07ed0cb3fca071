#include "core/jmespath/functions.hpp"

#include <gtest/gtest.h>

#include "core/jmespath/jmespath.hpp"

namespace flow::core::jmespath {
namespace {

Value Eval(std::string_view expression, std::string_view json = "null") {
  const Result<Value> result = Search(expression, Value::parse(json));
  EXPECT_TRUE(result.has_value()) << expression << ": " << (result ? "" : result.error().message);
  return result ? *result : Value("<error>");
}

Error Fails(std::string_view expression, std::string_view json = "null") {
  const Result<Value> result = Search(expression, Value::parse(json));
  EXPECT_FALSE(result.has_value()) << expression << " gave " << (result ? result->dump() : "");
  return result ? Error{} : result.error();
}

Value J(std::string_view json) { return Value::parse(json); }

TEST(JmesPathFunctions, NumbersStayIntegralWhenTheResultIs) {
  EXPECT_TRUE(Eval("abs(`-3`)").is_number_integer());
  EXPECT_EQ(Eval("abs(`-3`)"), 3);
  EXPECT_EQ(Eval("abs(`-2.5`)"), 2.5);
  EXPECT_TRUE(Eval("floor(`2.7`)").is_number_integer());
  EXPECT_EQ(Eval("floor(`-2.5`)"), -3);
  EXPECT_EQ(Eval("ceil(`2.1`)"), 3);
  EXPECT_EQ(Eval("ceil(`5`)"), 5);
  EXPECT_TRUE(Eval("sum(`[1, 2, 3]`)").is_number_integer());
  EXPECT_EQ(Eval("sum(`[1, 2, 3]`)"), 6);
  EXPECT_EQ(Eval("sum(`[1, 2.5]`)"), 3.5);
  EXPECT_EQ(Eval("sum(`[]`)"), 0);
  EXPECT_EQ(Eval("sum(`[9223372036854775807, 1]`)"), 9223372036854775808.0);
  EXPECT_EQ(Eval("abs(`-9223372036854775808`)"), 9223372036854775808.0);
  EXPECT_EQ(Eval("avg(`[1, 2]`)"), 1.5);
  EXPECT_EQ(Eval("avg(`[]`)"), Value());
}

TEST(JmesPathFunctions, ToNumberParsesJsonNumbersOnly) {
  EXPECT_TRUE(Eval("to_number('42')").is_number_integer());
  EXPECT_EQ(Eval("to_number('-42')"), -42);
  EXPECT_TRUE(Eval("to_number('1.0')").is_number_float());
  EXPECT_EQ(Eval("to_number('1e3')"), 1000.0);
  EXPECT_EQ(Eval("to_number('99999999999999999999')"), 1e20);
  EXPECT_EQ(Eval("to_number('abc')"), Value());
  EXPECT_EQ(Eval("to_number(' 1')"), Value());
  EXPECT_EQ(Eval("to_number('1.')"), Value());
  EXPECT_EQ(Eval("to_number('1e999')"), Value());
  EXPECT_EQ(Eval("to_number(`true`)"), Value());
}

TEST(JmesPathFunctions, StringsCountAndReverseCharacters) {
  EXPECT_EQ(Eval("length('\xE2\x9C\x93"
                 "ab')"),
            3);
  EXPECT_EQ(Eval("reverse('\xE2\x9C\x93"
                 "ab')"),
            "ba\xE2\x9C\x93");
  EXPECT_EQ(Eval("starts_with('abc', 'ab')"), true);
  EXPECT_EQ(Eval("ends_with('abc', 'abcd')"), false);
  EXPECT_EQ(Eval("contains('abc', 'bc')"), true);
  EXPECT_EQ(Eval("contains(`[1, [2]]`, `[2]`)"), true);
  EXPECT_EQ(Eval("join('-', `[\"a\", \"b\"]`)"), "a-b");
  EXPECT_EQ(Eval("to_string(`{\"a\": [1, 2]}`)"), "{\"a\":[1,2]}");
  EXPECT_EQ(Eval("to_string('x')"), "x");
}

TEST(JmesPathFunctions, SortByIsStableAndNeedsOneKeyType) {
  const std::string_view people =
      R"([{"n": "a", "k": 2}, {"n": "b", "k": 1}, {"n": "c", "k": 2}, {"n": "d", "k": 1}])";
  EXPECT_EQ(Eval("sort_by(@, &k)[].n", people), J(R"(["b", "d", "a", "c"])"));
  EXPECT_EQ(Eval("max_by(@, &k).n", people), "a");
  EXPECT_EQ(Eval("min_by(@, &k).n", people), "b");
  const Error mixed = Fails("sort_by(@, &v)", R"([{"v": 1}, {"v": "x"}])");
  EXPECT_EQ(mixed.reason, "invalid-type");
  EXPECT_EQ(mixed.message,
            "sort_by() expected the expression to give a number for every element, got string");
  EXPECT_EQ(Fails("max_by(@, &v)", R"([{"v": true}])").reason, "invalid-type");
}

TEST(JmesPathFunctions, SortMaxAndMinCompareNumbersOrStrings) {
  EXPECT_EQ(Eval("sort(`[3, 1.5, 2]`)"), J("[1.5, 2, 3]"));
  EXPECT_EQ(Eval("sort(`[\"b\", \"a\", \"B\"]`)"), J(R"(["B", "a", "b"])"));
  EXPECT_EQ(Eval("max(`[1, 3, 2]`)"), 3);
  EXPECT_EQ(Eval("min(`[\"b\", \"a\"]`)"), "a");
  EXPECT_EQ(Eval("max(`[]`)"), Value());
  EXPECT_EQ(Fails("max(`[1, \"a\"]`)").reason, "invalid-type");
}

TEST(JmesPathFunctions, ObjectFunctionsKeepKeyOrder) {
  EXPECT_EQ(Eval("keys(@)", R"({"z": 1, "a": 2})"), J(R"(["z", "a"])"));
  EXPECT_EQ(Eval("values(@)", R"({"z": 1, "a": 2})"), J("[1, 2]"));
  EXPECT_EQ(Eval("merge(`{\"a\": 1, \"b\": 2}`, `{\"a\": 3, \"c\": 4}`)").dump(),
            R"({"a":3,"b":2,"c":4})");
}

TEST(JmesPathFunctions, MapKeepsNullsAndNotNullSkipsThem) {
  EXPECT_EQ(Eval("map(&a, @)", R"([{"a": 1}, {}, {"a": 3}])"), J("[1, null, 3]"));
  EXPECT_EQ(Eval("not_null(a, b, `5`)", R"({"b": false})"), false);
  EXPECT_EQ(Eval("not_null(a, b)", "{}"), Value());
}

TEST(JmesPathFunctions, TypeAndToArray) {
  EXPECT_EQ(
      Eval("[type(`1`), type('a'), type(`true`), type(`[]`), type(`{}`), type(`null`)]", "{}"),
      J(R"(["number", "string", "boolean", "array", "object", "null"])"));
  EXPECT_EQ(Eval("to_array(`1`)"), J("[1]"));
  EXPECT_EQ(Eval("to_array(`[1]`)"), J("[1]"));
}

TEST(JmesPathFunctions, WrongArgumentTypesAreInvalidTypeErrorsThatSayWhat) {
  const Error error = Fails("abs('x')");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.reason, "invalid-type");
  EXPECT_EQ(error.message, "abs() expected argument 1 to be a number, got string");
  EXPECT_EQ(Fails("sum(`[1, \"2\"]`)").message,
            "sum() expected argument 1 to be an array of numbers, got array");
  EXPECT_EQ(Fails("sort_by(@, a)", "[]").message,
            "sort_by() expected argument 2 to be an expression reference (&...), got null");
  EXPECT_EQ(Fails("length(&a)").message,
            "length() expected argument 1 to be a string or an array or an object, got an "
            "expression reference");
  EXPECT_EQ(Fails("merge(`{}`, `1`)").message,
            "merge() expected argument 2 to be an object, got number");
}

TEST(JmesPathFunctions, TableHasEveryBuiltInFunction) {
  EXPECT_EQ(detail::FunctionNames().size(), 26u);
  for (const char* name :
       {"abs",      "avg",       "ceil",      "contains", "ends_with", "floor",       "join",
        "keys",     "length",    "map",       "max",      "max_by",    "merge",       "min",
        "min_by",   "not_null",  "reverse",   "sort",     "sort_by",   "starts_with", "sum",
        "to_array", "to_string", "to_number", "type",     "values"}) {
    EXPECT_NE(detail::FindFunction(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace flow::core::jmespath
