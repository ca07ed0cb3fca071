#include "core/parse/yaml_scalar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace flow::core {
namespace {

// "int:42", "float:1.5", "string:yes", ...: the type nlohmann holds and the value.
std::string Typed(const Value& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    return "int:" + std::to_string(value.get<std::int64_t>());
  }
  if (value.is_number_unsigned()) return "uint:" + std::to_string(value.get<std::uint64_t>());
  if (value.is_number_float()) return "float:" + value.dump();
  if (value.is_string()) return "string:" + value.get<std::string>();
  return std::string(TypeName(value)) + ":" + value.dump();
}

std::string Plain(std::string_view text) { return Typed(ResolvePlainScalar(text)); }

TEST(YamlScalar, NullSpellingsOfTheCoreSchema) {
  EXPECT_EQ(Plain(""), "null:null");
  EXPECT_EQ(Plain("~"), "null:null");
  EXPECT_EQ(Plain("null"), "null:null");
  EXPECT_EQ(Plain("Null"), "null:null");
  EXPECT_EQ(Plain("NULL"), "null:null");
  EXPECT_EQ(Plain("nULL"), "string:nULL");
  EXPECT_EQ(Plain("none"), "string:none");
}

TEST(YamlScalar, BooleansAreOnlyTrueAndFalseSoYesNoOnOffStayStrings) {
  EXPECT_EQ(Plain("true"), "boolean:true");
  EXPECT_EQ(Plain("True"), "boolean:true");
  EXPECT_EQ(Plain("TRUE"), "boolean:true");
  EXPECT_EQ(Plain("false"), "boolean:false");
  EXPECT_EQ(Plain("False"), "boolean:false");
  EXPECT_EQ(Plain("FALSE"), "boolean:false");
  EXPECT_EQ(Plain("tRUE"), "string:tRUE");
  for (const char* word : {"yes", "no", "on", "off", "y", "n", "Yes", "OFF"}) {
    EXPECT_EQ(Plain(word), std::string("string:") + word);
  }
}

TEST(YamlScalar, DecimalIntegersWithSignAndUnderscores) {
  EXPECT_EQ(Plain("0"), "int:0");
  EXPECT_EQ(Plain("-0"), "int:0");
  EXPECT_EQ(Plain("42"), "int:42");
  EXPECT_EQ(Plain("+42"), "int:42");
  EXPECT_EQ(Plain("-17"), "int:-17");
  EXPECT_EQ(Plain("1_000"), "int:1000");
  EXPECT_EQ(Plain("012"), "int:12");  // js-yaml 4: no legacy octal
  EXPECT_EQ(Plain("_1"), "string:_1");
  EXPECT_EQ(Plain("1_"), "string:1_");
  EXPECT_EQ(Plain("0_1"), "float:1.0");  // not an int for js-yaml, but its float pattern matches
  EXPECT_EQ(Plain("-"), "string:-");
  EXPECT_EQ(Plain("1 2"), "string:1 2");
  EXPECT_EQ(Plain("1:30"), "string:1:30");  // no YAML 1.1 sexagesimal
}

TEST(YamlScalar, HexOctalAndBinaryIntegers) {
  EXPECT_EQ(Plain("0x1F"), "int:31");
  EXPECT_EQ(Plain("0x1f"), "int:31");
  EXPECT_EQ(Plain("-0x10"), "int:-16");
  EXPECT_EQ(Plain("0x_F_F"), "int:255");
  EXPECT_EQ(Plain("0o17"), "int:15");
  EXPECT_EQ(Plain("0b101"), "int:5");
  EXPECT_EQ(Plain("+0b1_1"), "int:3");
  EXPECT_EQ(Plain("0X1F"), "string:0X1F");
  EXPECT_EQ(Plain("0x"), "string:0x");
  EXPECT_EQ(Plain("0b102"), "string:0b102");
  EXPECT_EQ(Plain("0o8"), "string:0o8");
  EXPECT_EQ(Plain("0x1_"), "string:0x1_");
}

TEST(YamlScalar, IntegersBeyondInt64BecomeUnsignedThenFloat) {
  EXPECT_EQ(Plain("9223372036854775807"), "int:9223372036854775807");
  EXPECT_EQ(Plain("-9223372036854775808"), "int:-9223372036854775808");
  EXPECT_EQ(Plain("9223372036854775808"), "uint:9223372036854775808");
  EXPECT_EQ(Plain("18446744073709551615"), "uint:18446744073709551615");
  EXPECT_EQ(Plain("0xFFFFFFFFFFFFFFFF"), "uint:18446744073709551615");
  EXPECT_EQ(Plain("18446744073709551616"), "float:1.8446744073709552e+19");
  EXPECT_EQ(Plain("-9223372036854775809"), "float:-9.223372036854776e+18");
  EXPECT_EQ(Plain("0x10000000000000000"), "float:1.8446744073709552e+19");
}

TEST(YamlScalar, FloatsWithFractionsAndExponents) {
  EXPECT_EQ(Plain("1.5"), "float:1.5");
  EXPECT_EQ(Plain("-1.5"), "float:-1.5");
  EXPECT_EQ(Plain("+2.25"), "float:2.25");
  EXPECT_EQ(Plain("1e3"), "float:1000.0");
  EXPECT_EQ(Plain("1.5E+3"), "float:1500.0");
  EXPECT_EQ(Plain("2e-2"), "float:0.02");
  EXPECT_EQ(Plain("1."), "float:1.0");
  EXPECT_EQ(Plain(".5"), "float:0.5");
  EXPECT_EQ(Plain("1_0.5"), "float:10.5");
  EXPECT_EQ(Plain("1e-400"), "float:0.0");
  EXPECT_EQ(Plain("-.5"), "string:-.5");  // js-yaml's pattern allows no sign before ".5"
  EXPECT_EQ(Plain("1e"), "string:1e");
  EXPECT_EQ(Plain("1.5_"), "string:1.5_");
  EXPECT_EQ(Plain("1.2.3"), "string:1.2.3");
  EXPECT_EQ(Plain("e3"), "string:e3");
}

TEST(YamlScalar, InfinityAndNanAreStoredAsStringsBecauseJsonCannotHoldThem) {
  EXPECT_EQ(Plain(".inf"), "string:.inf");
  EXPECT_EQ(Plain("+.Inf"), "string:.inf");
  EXPECT_EQ(Plain("-.INF"), "string:-.inf");
  EXPECT_EQ(Plain(".nan"), "string:.nan");
  EXPECT_EQ(Plain(".NaN"), "string:.nan");
  EXPECT_EQ(Plain(".NAN"), "string:.nan");
  EXPECT_EQ(Plain("1e400"), "string:.inf");
  EXPECT_EQ(Plain("-1e400"), "string:-.inf");
  EXPECT_EQ(Plain("-.nan"), "string:-.nan");  // not in the pattern: an ordinary string
  EXPECT_EQ(Plain(".infinity"), "string:.infinity");
}

TEST(YamlScalar, TimestampsStayTheStringsAsWritten) {
  EXPECT_EQ(Plain("2024-01-01"), "string:2024-01-01");
  EXPECT_EQ(Plain("2001-12-14t21:59:43.10-05:00"), "string:2001-12-14t21:59:43.10-05:00");
}

std::string Tagged(std::string_view tag, std::string_view text) {
  const Result<Value> value = ResolveTaggedScalar(tag, text);
  if (!value) return "error:" + value.error().message;
  return Typed(*value);
}

TEST(YamlScalar, NonSpecificTagOfQuotedAndBlockScalarsMeansString) {
  EXPECT_EQ(Tagged("!", "42"), "string:42");
  EXPECT_EQ(Tagged("!", "true"), "string:true");
  EXPECT_EQ(Tagged("!", "null"), "string:null");
  EXPECT_EQ(Tagged("?", "42"), "int:42");
}

TEST(YamlScalar, ExplicitCoreTagsAreHonoured) {
  EXPECT_EQ(Tagged("tag:yaml.org,2002:str", "42"), "string:42");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:str", "~"), "string:~");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:int", "0x10"), "int:16");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:float", "1"), "float:1.0");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:float", ".inf"), "string:.inf");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:bool", "False"), "boolean:false");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:null", ""), "null:null");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:null", "~"), "null:null");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:timestamp", "2024-01-01"), "string:2024-01-01");
}

TEST(YamlScalar, ATextTheTagRejectsIsAnErrorNamingBoth) {
  EXPECT_EQ(Tagged("tag:yaml.org,2002:int", "abc"),
            "error:'abc' is not a valid value for tag '!!int'");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:int", "1.5"),
            "error:'1.5' is not a valid value for tag '!!int'");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:float", "x"),
            "error:'x' is not a valid value for tag '!!float'");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:bool", "yes"),
            "error:'yes' is not a valid value for tag '!!bool'");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:null", "0"),
            "error:'0' is not a valid value for tag '!!null'");
  const Result<Value> result = ResolveTaggedScalar("tag:yaml.org,2002:int", "abc");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "bad-tag");
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
}

TEST(YamlScalar, UnknownTagsAreErrors) {
  EXPECT_EQ(Tagged("!foo", "x"), "error:unsupported tag '!foo'");
  EXPECT_EQ(Tagged("tag:yaml.org,2002:binary", "aGk="), "error:unsupported tag '!!binary'");
}

TEST(YamlScalar, DisplayTagShortensTheCorePrefix) {
  EXPECT_EQ(DisplayTag("tag:yaml.org,2002:int"), "!!int");
  EXPECT_EQ(DisplayTag("!local"), "!local");
}

TEST(YamlScalar, FloatValueKeepsFiniteNumbers) {
  EXPECT_EQ(Typed(FloatValue(2.5)), "float:2.5");
  EXPECT_EQ(Typed(FloatValue(-std::numeric_limits<double>::infinity())), "string:-.inf");
}

TEST(YamlScalar, DecimalToDoubleOverflowsToInfinityAndUnderflowsToZero) {
  EXPECT_EQ(DecimalToDouble("12.5e3"), 12500.0);
  EXPECT_EQ(DecimalToDouble("0.0001e-400"), 0.0);
  EXPECT_TRUE(std::isinf(DecimalToDouble("0.001e400")));
  EXPECT_TRUE(std::isinf(DecimalToDouble("1" + std::string(400, '0'))));
  EXPECT_EQ(DecimalToDouble("0." + std::string(400, '0') + "1"), 0.0);
}

}  // namespace
}  // namespace flow::core
