#include "core/value.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <random>

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


// DumpJson writes compact text itself (faster than nlohmann): it must be nlohmann's, byte for byte.
std::string NlohmannDump(const Value& v) {
  return v.dump(-1, ' ', false, Value::error_handler_t::replace);
}

TEST(Value, DumpJsonWritesWhatNlohmannWrites) {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
  const std::vector<Value> cases = {
      Value(), true, false, 0, -1, 42, std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::uint64_t>::max(),
      0.0, -0.0, 1.0, 0.1, 0.852, 1e300, -2.5e-8, std::numeric_limits<double>::quiet_NaN(),
      "", "plain", every_ascii, "quote \" backslash \\ slash / tab \t", "caf\xc3\xa9 \xe2\x82\xac",
      "bad \xff utf-8 \xc3", "\x7f\x01\x1f", Value::array(), Value::object(),
      Value::parse(R"({"a":[1,2.5,{"b":null,"c":"x\ny"}],"k\"ey":{"":[]},"n":-7})"),
      Value{{"\xc3\xa9t\xc3\xa9", "\tv"}, {"list", {1, "two", 3.0, false, nullptr}}}};
  for (const Value& v : cases) EXPECT_EQ(DumpJson(v), NlohmannDump(v)) << NlohmannDump(v);
  // Each kind of character at each place of strings of every length around the 8-byte words the
  // plain runs go by (and the padded word of their last bytes).
  for (const std::string odd : {"\"", "\\", "\x01", "\x1f", "\n", "\x7f", " ", "~", "\xc3\xa9", "\xff"}) {
    for (std::size_t length = 0; length <= 20; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string text(length, 'a');
        text.insert(at, odd);
        EXPECT_EQ(DumpJson(text), NlohmannDump(text)) << NlohmannDump(text);
      }
    }
  }

  // And for values made at random from those pieces, nested.
  std::mt19937 random(7);
  const std::function<Value(int)> make = [&](int depth) -> Value {
    const std::size_t pick = random() % (depth > 3 ? 8 : 10);
    if (pick < 8) return cases[random() % 24];
    Value out = pick == 8 ? Value::array() : Value::object();
    for (std::size_t n = random() % 5; n > 0; --n) {
      if (out.is_array()) {
        out.push_back(make(depth + 1));
      } else {
        out[cases[17 + random() % 6].get<std::string>() + std::to_string(n)] = make(depth + 1);
      }
    }
    return out;
  };
  for (int i = 0; i < 500; ++i) {
    const Value v = make(0);
    ASSERT_EQ(DumpJson(v), NlohmannDump(v)) << NlohmannDump(v);
  }
  EXPECT_EQ(DumpJson(Value{{"a", 1}}, 2), "{\n  \"a\": 1\n}");  // indented: nlohmann's
}

// The pieces DumpJson is made of, appended to text already there, write what it writes.
TEST(Value, AppendingJsonWritesWhatDumpJsonWrites) {
  const std::vector<Value> values = {
      Value(), true, -3, std::numeric_limits<std::uint64_t>::max(), 0.1, 1e21, -0.0,
      std::numeric_limits<double>::infinity(), "a \"quoted\"\r\n line", "bad \xff",
      Value::parse(R"({"a":[1,2.5,{"b":null}],"k":"v"})")};
  for (const Value& v : values) {
    std::string out = "prefix";
    AppendJson(out, v);
    EXPECT_EQ(out, "prefix" + DumpJson(v));
  }
  for (const std::string text : {"", "plain", "tab\there", "caf\xc3\xa9", "bad \xff", "\x01"}) {
    std::string out = "[";
    AppendJsonString(out, text);
    EXPECT_EQ(out, "[" + DumpJson(Value(text)));
  }
  for (const double x : {0.0, 0.852, 150.25, 1e300, -2.5e-8, std::numeric_limits<double>::quiet_NaN()}) {
    std::string out;
    AppendJsonNumber(out, x);
    EXPECT_EQ(out, DumpJson(Value(x)));
  }
  std::string out;
  AppendJsonNumber(out, std::int64_t{-42});
  out += ',';
  AppendJsonNumber(out, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(out, "-42,18446744073709551615");
}

TEST(Value, ObjectsBuiltWithRoomKeepTheirMembersInOrder) {
  Value object = ObjectWithRoom(2);
  AppendMember(object, "b", 1);
  AppendMember(object, "a", Value{{"x", true}});
  AppendMember(object, "c", "three");  // past the room: it grows
  EXPECT_EQ(DumpJson(object), R"({"b":1,"a":{"x":true},"c":"three"})");
  EXPECT_EQ(object["a"]["x"], true);
  EXPECT_EQ(object.size(), 3u);
}

}  // namespace
}  // namespace flow::core
