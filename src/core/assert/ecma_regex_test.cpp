#include "core/assert/ecma_regex.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace flow::core {
namespace {

bool Matches(std::string_view pattern, std::string_view subject) {
  Result<EcmaRegex> regex = EcmaRegex::Compile(pattern);
  EXPECT_TRUE(regex.has_value()) << (regex ? "" : regex.error().message);
  if (!regex) return false;
  Result<bool> matched = regex->Search(subject);
  EXPECT_TRUE(matched.has_value()) << (matched ? "" : matched.error().message);
  return matched.has_value() && *matched;
}

TEST(EcmaRegex, SearchesUnanchored) {
  EXPECT_TRUE(Matches("b+c", "abbbcd"));
  EXPECT_FALSE(Matches("^b", "abc"));
  EXPECT_TRUE(Matches("^\\d{3}-\\d{4}$", "555-1234"));
  EXPECT_TRUE(Matches("", "anything"));
}

TEST(EcmaRegex, DollarMatchesOnlyAtTheVeryEnd) {
  EXPECT_FALSE(Matches("abc$", "abc\n"));
  EXPECT_TRUE(Matches("abc$", "xabc"));
}

TEST(EcmaRegex, HyphenBesideAClassEscapeIsLiteral) {
  EXPECT_EQ(TranslateEcmaPattern("[\\w-\\.]+"), "[\\w\\-\\.]+");
  EXPECT_EQ(TranslateEcmaPattern("[a-\\d]"), "[a\\-\\d]");
  EXPECT_TRUE(Matches("^[\\w-\\.]+@([\\w-]+\\.)+[\\w-]{2,4}$", "first.last-x@mail.example.com"));
  EXPECT_TRUE(Matches("^[\\w-.]+$", "a-b.c"));
  EXPECT_FALSE(Matches("^[\\w-.]+$", "a b"));
  EXPECT_TRUE(Matches("^[a-\\d]+$", "a-5"));
  EXPECT_FALSE(Matches("^[a-\\d]+$", "b"));
}

TEST(EcmaRegex, RangesStillWork) {
  EXPECT_EQ(TranslateEcmaPattern("[a-z0-9]"), "[a-z0-9]");
  EXPECT_TRUE(Matches("^[a-z-0]+$", "a-0"));  // a hyphen after a range is literal in JS
  EXPECT_FALSE(Matches("^[a-z-0]+$", "5"));
  EXPECT_TRUE(Matches("^[-a]+$", "-a"));
  EXPECT_TRUE(Matches("^[a-]+$", "a-"));
}

TEST(EcmaRegex, IdentityEscapesMeanTheLetter) {
  EXPECT_TRUE(Matches("^\\i\\e\\a$", "iea"));
  EXPECT_TRUE(Matches("^\\p{L}$", "p{L}"));  // no `u` flag: \p is "p"
  EXPECT_TRUE(Matches("^a\\vb$", "a\vb"));   // \v is a vertical tab, not a class
  EXPECT_FALSE(Matches("^a\\vb$", "a\nb"));
}

TEST(EcmaRegex, EcmaScriptEscapesAndClasses) {
  EXPECT_TRUE(Matches("^\\u0041\\x42$", "AB"));
  EXPECT_TRUE(Matches("^[[]$", "["));  // '[' inside a class is literal, never POSIX [:x:]
  EXPECT_TRUE(Matches("^[[:a]+$", ":a["));
  EXPECT_FALSE(Matches("[]", "abc"));   // matches nothing
  EXPECT_TRUE(Matches("^[^]$", "\n"));  // matches anything
  EXPECT_TRUE(Matches("^(?<year>\\d{4})-\\k<year>$", "2024-2024"));
  EXPECT_TRUE(Matches("^caf\u00e9$", "caf\u00e9"));
  EXPECT_TRUE(Matches("^.$", "\u00e9"));  // one code point, not one byte
}

TEST(EcmaRegex, DotDoesNotMatchLineTerminators) {
  EXPECT_FALSE(Matches("^a.b$", "a\nb"));
  EXPECT_FALSE(Matches("^a.b$", "a\rb"));
  EXPECT_TRUE(Matches("^a.b$", "a-b"));
}

TEST(EcmaRegex, InvalidPatternIsAnErrorWithOffset) {
  Result<EcmaRegex> regex = EcmaRegex::Compile("ab(c");
  ASSERT_FALSE(regex.has_value());
  EXPECT_EQ(regex.error().reason, "invalid-regex");
  EXPECT_EQ(regex.error().message, "invalid regex /ab(c/: missing closing parenthesis at offset 4");
}

TEST(EcmaRegex, ErrorOffsetPointsIntoTheOriginalPattern) {
  // "\\v" becomes four bytes; the offset still counts in the pattern as written.
  Result<EcmaRegex> regex = EcmaRegex::Compile("\\v\\v(");
  ASSERT_FALSE(regex.has_value());
  EXPECT_NE(regex.error().message.find("at offset 5"), std::string::npos) << regex.error().message;
}

TEST(EcmaRegex, CatastrophicPatternFailsQuicklyWithTheLimitError) {
  Result<EcmaRegex> regex = EcmaRegex::Compile("(a+)+$");
  ASSERT_TRUE(regex.has_value());
  const std::string subject = std::string(40, 'a') + "b";
  const auto start = std::chrono::steady_clock::now();
  Result<bool> matched = regex->Search(subject);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(matched.has_value());
  EXPECT_EQ(matched.error().message, "regex exceeded its match limit");
  EXPECT_EQ(matched.error().reason, "regex-limit");
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST(EcmaRegex, InvalidUtf8SubjectDoesNotBreakMatching) {
  Result<EcmaRegex> regex = EcmaRegex::Compile("ok");
  ASSERT_TRUE(regex.has_value());
  Result<bool> matched = regex->Search("\xff\xfe ok");
  ASSERT_TRUE(matched.has_value());
  EXPECT_TRUE(*matched);
}

}  // namespace
}  // namespace flow::core
