#include "core/value.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(Value, DeepEqualIgnoresObjectKeyOrder) {
  const Value a = Value::parse(R"({"a":1,"b":[1,2,{"c":true}]})");
  const Value b = Value::parse(R"({"b":[1,2,{"c":true}],"a":1})");
  EXPECT_TRUE(DeepEqual(a, b));
  EXPECT_FALSE(DeepEqual(a, Value::parse(R"({"a":1,"b":[2,1,{"c":true}]})")));
}

TEST(Value, DeepEqualComparesNumbersByValue) {
  EXPECT_TRUE(DeepEqual(Value(1), Value(1.0)));
  EXPECT_TRUE(DeepEqual(Value(5u), Value(5)));
  EXPECT_FALSE(DeepEqual(Value(-1), Value(18446744073709551615u)));
  EXPECT_FALSE(DeepEqual(Value(1), Value("1")));
}

TEST(Value, TypeNamesAreTheOriginalEngines) {
  EXPECT_EQ(TypeName(Value(1.5)), "number");
  EXPECT_EQ(TypeName(Value::array()), "array");
  EXPECT_EQ(TypeName(Value::object()), "object");
  EXPECT_EQ(TypeName(Value()), "null");
  EXPECT_EQ(TypeName(Value(true)), "boolean");
}

TEST(Value, ToTextWritesObjectsAsJson) {
  EXPECT_EQ(ToText(Value("plain")), "plain");
  EXPECT_EQ(ToText(Value::parse(R"({"a":[1,2]})")), R"({"a":[1,2]})");
  EXPECT_EQ(ToText(Value()), "null");
  EXPECT_EQ(ToText(Value(42)), "42");
}

TEST(Value, EmptyValues) {
  EXPECT_TRUE(IsEmptyValue(Value()));
  EXPECT_TRUE(IsEmptyValue(Value("")));
  EXPECT_TRUE(IsEmptyValue(Value::array()));
  EXPECT_FALSE(IsEmptyValue(Value(0)));
  EXPECT_FALSE(IsEmptyValue(Value(" ")));
}

TEST(Value, FindsJsonNestedBeyondALimit) {
  EXPECT_EQ(FindJsonNestingBeyond("[[[1]]]", 3), std::nullopt);
  EXPECT_EQ(FindJsonNestingBeyond("[[[1]]]", 2), 2u);
  EXPECT_EQ(FindJsonNestingBeyond(R"({"a":"[[[[[[","b":[{}]})", 3), std::nullopt);
  EXPECT_EQ(FindJsonNestingBeyond(R"(["\"[[[", [[1]]])", 2), 11u);
  EXPECT_EQ(FindJsonNestingBeyond("]]]][", 1), std::nullopt);
}

TEST(ResolvePointer, WalksKeysAndIndicesWithEscapes) {
  const Value doc = Value::parse(R"({"steps": [{"a/b": {"~x": 1}}, 2], "": 3})");
  EXPECT_EQ(ResolvePointer(doc, ""), &doc);
  ASSERT_NE(ResolvePointer(doc, "/steps/0/a~1b/~0x"), nullptr);
  EXPECT_EQ(*ResolvePointer(doc, "/steps/0/a~1b/~0x"), 1);
  EXPECT_EQ(*ResolvePointer(doc, "/steps/1"), 2);
  EXPECT_EQ(*ResolvePointer(doc, "/"), 3);
  EXPECT_EQ(ResolvePointer(doc, "/steps/2"), nullptr);
  EXPECT_EQ(ResolvePointer(doc, "/steps/x"), nullptr);
  EXPECT_EQ(ResolvePointer(doc, "/steps/99999999999999999999999"), nullptr);
  EXPECT_EQ(ResolvePointer(doc, "/nope"), nullptr);
  EXPECT_EQ(ResolvePointer(doc, "steps"), nullptr);
}

TEST(JoinPointer, EscapesTildeAndSlash) {
  EXPECT_EQ(JoinPointer("", "steps"), "/steps");
  EXPECT_EQ(JoinPointer("/steps", 0), "/steps/0");
  EXPECT_EQ(JoinPointer("/a", "x/y~z"), "/a/x~1y~0z");
  EXPECT_EQ(JoinPointer("/a", "~1"), "/a/~01");
  EXPECT_EQ(JoinPointer("", ""), "/");
  EXPECT_EQ(JoinPointer("/list", 12), "/list/12");
}

}  // namespace
}  // namespace flow::core
