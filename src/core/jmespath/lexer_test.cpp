#include "core/jmespath/lexer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace flow::core::jmespath::detail {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  const Result<std::vector<Token>> tokens = Tokenize(text);
  EXPECT_TRUE(tokens.has_value()) << (tokens ? "" : tokens.error().message);
  std::vector<TokenKind> kinds;
  if (tokens) {
    for (const Token& token : *tokens) kinds.push_back(token.kind);
  }
  return kinds;
}

Token Single(std::string_view text) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  EXPECT_TRUE(tokens.has_value()) << (tokens ? "" : tokens.error().message);
  if (!tokens || tokens->size() != 2) return Token{};
  return (*tokens)[0];
}

TEST(JmesPathLexer, ReadsTwoCharacterOperatorsBeforeOneCharacterOnes) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a||b&&c|d&e"),
            (std::vector<K>{K::kUnquotedIdentifier, K::kOr, K::kUnquotedIdentifier, K::kAnd,
                            K::kUnquotedIdentifier, K::kPipe, K::kUnquotedIdentifier, K::kExpref,
                            K::kUnquotedIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("<= < >= > == != !"),
            (std::vector<K>{K::kLte, K::kLt, K::kGte, K::kGt, K::kEq, K::kNe, K::kNot, K::kEof}));
  EXPECT_EQ(Kinds("[] [? [ ]"),
            (std::vector<K>{K::kFlatten, K::kFilter, K::kLbracket, K::kRbracket, K::kEof}));
}

TEST(JmesPathLexer, QuotedIdentifiersDecodeJsonEscapes) {
  const Token token = Single(R"("a\u00e9\n\"b")");
  EXPECT_EQ(token.kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(token.text, "a\xC3\xA9\n\"b");
  EXPECT_EQ(Single(R"("\uD834\uDD1E")").text, "\xF0\x9D\x84\x9E");
}

TEST(JmesPathLexer, RawStringsOnlyUnescapeTheQuote) {
  EXPECT_EQ(Single(R"('it\'s')").literal, "it's");
  EXPECT_EQ(Single(R"('\z')").literal, "\\z");
  EXPECT_EQ(Single(R"('\\')").literal, "\\\\");
  EXPECT_EQ(Single(R"('\u03a6')").literal, "\\u03a6");
}

TEST(JmesPathLexer, JsonLiteralsParseJsonAndUnescapeBackticks) {
  EXPECT_EQ(Single("`[1, {\"a\": true}]`").literal, Value::parse(R"([1, {"a": true}])"));
  EXPECT_EQ(Single(R"(`"a\`b"`)").literal, "a`b");
  EXPECT_EQ(Single("`  2.5  `").literal, 2.5);
}

TEST(JmesPathLexer, JsonLiteralThatIsNotJsonIsTheLegacyString) {
  EXPECT_EQ(Single("`foo bar`").literal, "foo bar");
  EXPECT_EQ(Single("`  foo`").literal, "foo");
}

TEST(JmesPathLexer, NumbersSaturateInsteadOfOverflowing) {
  EXPECT_EQ(Single("-12").number, -12);
  EXPECT_EQ(Single("99999999999999999999999").number, std::int64_t{1} << 62);
  EXPECT_EQ(Single("-99999999999999999999999").number, -(std::int64_t{1} << 62));
}

TEST(JmesPathLexer, ErrorsAreSyntaxErrorsWithTheColumn) {
  const auto error_of = [](std::string_view text) {
    const Result<std::vector<Token>> tokens = Tokenize(text);
    EXPECT_FALSE(tokens.has_value()) << text;
    return tokens ? Error{} : tokens.error();
  };
  EXPECT_EQ(error_of("foo = bar").reason, "syntax");
  EXPECT_EQ(error_of("foo = bar").message,
            "'=' is not an operator (did you mean '=='?) at column 5");
  EXPECT_EQ(error_of("a.\"b").message, "unterminated quoted identifier at column 3");
  EXPECT_EQ(error_of("'abc").message, "unterminated raw string literal at column 1");
  EXPECT_EQ(error_of("`[1,").message, "unterminated json literal at column 1");
  EXPECT_EQ(error_of("a ^ b").message, "unexpected character '^' at column 3");
  EXPECT_EQ(error_of("\"\\u\"").reason, "syntax");
  EXPECT_EQ(error_of("a-").message, "'-' must be followed by a digit at column 2");
}

TEST(JmesPathLexer, ColumnsCountCharactersNotBytes) {
  const Result<std::vector<Token>> tokens = Tokenize("\"\xE2\x9C\x93\" ^");
  ASSERT_FALSE(tokens.has_value());
  EXPECT_EQ(tokens.error().message, "unexpected character '^' at column 5");
}

}  // namespace
}  // namespace flow::core::jmespath::detail
