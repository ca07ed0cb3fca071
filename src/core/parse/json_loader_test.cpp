// ParseDocument on `.json` files: strict JSON with the position of every value and key.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/parse/document.hpp"
#include "core/parse/parse_test_support.hpp"

namespace flow::core {
namespace {

using testing::At;
using testing::MustFail;
using testing::MustLoad;

Document LoadJson(std::string_view text) { return MustLoad(text, "suite.json"); }
Error FailJson(std::string_view text) { return MustFail(text, "suite.json"); }

TEST(JsonLoader, ReadsEveryKindOfValue) {
  const Document doc =
      LoadJson(R"({"s": "text", "i": -42, "u": 18446744073709551615, "f": 1.5e2, "t": true,)"
               R"( "n": null, "a": [1, [], {}], "o": {"k": false}})");
  EXPECT_EQ(doc.root.dump(),
            R"({"s":"text","i":-42,"u":18446744073709551615,"f":150.0,"t":true,"n":null,)"
            R"("a":[1,[],{}],"o":{"k":false}})");
  EXPECT_TRUE(doc.root["i"].is_number_integer());
  EXPECT_FALSE(doc.root["i"].is_number_unsigned());
  EXPECT_TRUE(doc.root["u"].is_number_unsigned());
  EXPECT_TRUE(doc.root["f"].is_number_float());
}

TEST(JsonLoader, KeepsKeysInTheOrderWritten) {
  EXPECT_EQ(LoadJson(R"({"z": 1, "a": 2})").root.dump(), R"({"z":1,"a":2})");
}

TEST(JsonLoader, IntegersBeyondSixtyFourBitsBecomeDoubles) {
  const Document doc = LoadJson(
      "[9223372036854775807, -9223372036854775808, "
      "-9223372036854775809, 18446744073709551616]");
  EXPECT_EQ(doc.root[0].get<std::int64_t>(), INT64_MAX);
  EXPECT_EQ(doc.root[1].get<std::int64_t>(), INT64_MIN);
  EXPECT_TRUE(doc.root[2].is_number_float());
  EXPECT_TRUE(doc.root[3].is_number_float());
  EXPECT_DOUBLE_EQ(doc.root[3].get<double>(), 18446744073709551616.0);
}

TEST(JsonLoader, DecodesEscapesAndSurrogatePairs) {
  const Document doc = LoadJson(R"(["a\"b\\c\/d", "\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00"])");
  EXPECT_EQ(doc.root[0], "a\"b\\c/d");
  EXPECT_EQ(doc.root[1], "\b\f\n\r\t");
  EXPECT_EQ(doc.root[2], "\xC3\xA9\xE4\xB8\xAD");
  EXPECT_EQ(doc.root[3], "\xF0\x9F\x98\x80");
}

TEST(JsonLoader, SpansOfKeysAndValues) {
  const Document doc = LoadJson(
      "{\n"
      "  \"name\": \"login\",\n"
      "  \"steps\": [\n"
      "    {\"url\": \"/a\", \"status\": 200},\n"
      "    true\n"
      "  ]\n"
      "}\n");
  EXPECT_EQ(At(doc.WhereValue("")), "1:1/1");
  EXPECT_EQ(At(doc.WhereKey("/name")), "2:3/6");
  EXPECT_EQ(At(doc.WhereValue("/name")), "2:11/7");
  EXPECT_EQ(At(doc.WhereKey("/steps")), "3:3/7");
  EXPECT_EQ(At(doc.WhereValue("/steps")), "3:12/1");
  EXPECT_EQ(At(doc.WhereValue("/steps/0")), "4:5/1");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/url")), "4:6/5");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/url")), "4:13/4");
  EXPECT_EQ(At(doc.WhereKey("/steps/0/status")), "4:19/8");
  EXPECT_EQ(At(doc.WhereValue("/steps/0/status")), "4:29/3");
  EXPECT_EQ(At(doc.WhereValue("/steps/1")), "5:5/4");
  EXPECT_EQ(doc.WhereValue("/steps/1").file, "suite.json");
}

TEST(JsonLoader, KeySpansUseEscapedPointers) {
  const Document doc = LoadJson(R"({"a/b": {"c~d": 1}})");
  EXPECT_EQ(At(doc.WhereKey("/a~1b")), "1:2/5");
  EXPECT_EQ(At(doc.WhereKey("/a~1b/c~0d")), "1:10/5");
  EXPECT_EQ(At(doc.WhereValue("/a~1b/c~0d")), "1:17/1");
}

TEST(JsonLoader, TheExtensionIsCaseInsensitive) {
  EXPECT_EQ(MustFail("a: 1", "S.JSON").message,
            "json syntax error: unexpected 'a', expected a value");
  EXPECT_EQ(MustLoad("a: 1", "s.json.yaml").root.dump(), R"({"a":1})");
}

TEST(JsonLoader, AnEmptyFileHasANullRoot) {
  EXPECT_TRUE(LoadJson("").root.is_null());
  EXPECT_TRUE(LoadJson(" \n\t ").root.is_null());
}

TEST(JsonLoader, ALeadingByteOrderMarkIsDropped) {
  EXPECT_EQ(LoadJson("\xEF\xBB\xBF{\"a\": 1}").root.dump(), R"({"a":1})");
}

TEST(JsonLoader, DuplicateKeysNameBothPlaces) {
  const Error error = FailJson("{\n  \"a\": 1,\n  \"a\": 2\n}");
  EXPECT_EQ(error.message, "duplicate key 'a'");
  EXPECT_EQ(error.hint, "first defined at suite.json:2:3");
  EXPECT_EQ(error.reason, "duplicate-key");
  EXPECT_EQ(At(error), "suite.json@3:3/3");
}

struct SyntaxCase {
  const char* text;
  const char* message;
  const char* where;
};

TEST(JsonLoader, SyntaxErrorsCarryLineAndColumn) {
  const SyntaxCase cases[] = {
      {"{\"a\": 1,}", "json syntax error: trailing comma before '}'", "1:9/1"},
      {"[1, 2,\n]", "json syntax error: trailing comma before ']'", "2:1/1"},
      {"{\"a\" 1}", "json syntax error: expected ':' after the key 'a'", "1:6/1"},
      {"{'a': 1}", "json syntax error: unexpected ''', expected a double-quoted key", "1:2/1"},
      {"[1 2]", "json syntax error: unexpected '2', expected ',' or ']'", "1:4/1"},
      {"{\"a\": 1 \"b\": 2}", "json syntax error: unexpected '\"', expected ',' or '}'", "1:9/1"},
      {"[01]", "json syntax error: invalid number: leading zeros are not allowed", "1:2/1"},
      {"[-]", "json syntax error: invalid number: '-' must be followed by a digit", "1:2/1"},
      {"[1.]", "json syntax error: invalid number: a digit must follow '.'", "1:2/1"},
      {"[1e]", "json syntax error: invalid number: the exponent needs digits", "1:2/1"},
      {"[.5]", "json syntax error: unexpected '.', expected a value", "1:2/1"},
      {"[+1]", "json syntax error: unexpected '+', expected a value", "1:2/1"},
      {"[tru]", "json syntax error: unexpected 't', expected a value", "1:2/1"},
      {"[NaN]", "json syntax error: unexpected 'N', expected a value", "1:2/1"},
      {"\n  [\"abc", "json syntax error: unterminated string", "2:4/1"},
      {"[\"a\nb\"]", "json syntax error: control character U+000A inside a string", "1:4/1"},
      {"[\"\\x\"]", "json syntax error: invalid escape '\\x' in a string", "1:3/1"},
      {"[\"\\u12g4\"]", "json syntax error: invalid \\u escape: it needs four hexadecimal digits",
       "1:3/1"},
      {"[\"\\ud800\"]",
       "json syntax error: invalid \\u escape: a lone UTF-16 surrogate is not a character",
       "1:3/1"},
      {"[\"\\udc00\\ud800\"]",
       "json syntax error: invalid \\u escape: a lone UTF-16 surrogate is not a character",
       "1:3/1"},
      {"{} []", "json syntax error: unexpected '[' after the JSON value", "1:4/1"},
      {"// note\n{}", "json syntax error: unexpected '/', expected a value", "1:1/1"},
      {"{\"a\": [1, 2",
       "json syntax error: unexpected end of file: the array opened here is "
       "never closed",
       "1:7/1"},
      {"{\"a\": 1",
       "json syntax error: unexpected end of file: the object opened here is never "
       "closed",
       "1:1/1"},
      {"{\"a\":", "json syntax error: unexpected end of file, expected a value", "1:6/1"},
      {"[1e999]", "json syntax error: number 1e999 is out of range", "1:2/1"},
  };
  for (const SyntaxCase& c : cases) {
    const Error error = FailJson(c.text);
    EXPECT_EQ(error.message, c.message) << c.text;
    EXPECT_EQ(At(error), std::string("suite.json@") + c.where) << c.text;
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument) << c.text;
  }
  EXPECT_EQ(FailJson("{'a': 1}").reason, "syntax");
}

TEST(JsonLoader, TinyNumbersUnderflowToZero) {
  EXPECT_EQ(LoadJson("[1e-999]").root[0].get<double>(), 0.0);
}

TEST(JsonLoader, InvalidUtf8IsAnEncodingError) {
  const Error error = FailJson("{\"a\": \"\xFF\"}");
  EXPECT_EQ(error.reason, "encoding");
  EXPECT_EQ(At(error), "suite.json@1:8/1");
}

std::string NestedArrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(JsonLoader, DepthIsLimitedWithoutRecursingDeeper) {
  EXPECT_TRUE(LoadJson(NestedArrays(kMaxDocumentDepth)).root.is_array());
  Error error = FailJson(NestedArrays(kMaxDocumentDepth + 1));
  EXPECT_EQ(error.message, "nesting deeper than 200 levels");
  EXPECT_EQ(error.reason, "too-deep");
  EXPECT_EQ(At(error), "suite.json@1:201/1");
  EXPECT_EQ(FailJson(std::string(10000, '[')).reason, "too-deep");
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
  EXPECT_EQ(FailJson(objects).reason, "too-deep");
}

}  // namespace
}  // namespace flow::core
