#include "core/config/dotenv.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace flow::core {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs Parsed(std::string_view text) {
  Result<Pairs> result = ParseDotenv(text, ".env");
  EXPECT_TRUE(result.has_value()) << (result ? "" : FormatErrorLine(result.error()));
  return result ? *result : Pairs{};
}

Error Failed(std::string_view text) {
  Result<Pairs> result = ParseDotenv(text, "conf/.env");
  EXPECT_FALSE(result.has_value());
  return result ? Error{} : result.error();
}

TEST(Dotenv, ReadsNameValueLinesInOrder) {
  EXPECT_EQ(Parsed("B=2\nA=1\n"), (Pairs{{"B", "2"}, {"A", "1"}}));
}

TEST(Dotenv, SkipsCommentsAndBlankLines) {
  EXPECT_EQ(Parsed("# header\n\n   \n  # indented comment\nA=1\n\n"), (Pairs{{"A", "1"}}));
}

TEST(Dotenv, EmptyTextGivesNoPairs) {
  EXPECT_EQ(Parsed(""), Pairs{});
  EXPECT_EQ(Parsed("\n\n"), Pairs{});
}

TEST(Dotenv, IgnoresExportPrefixAndSpacesAroundEquals) {
  EXPECT_EQ(Parsed("export TOKEN=abc\n  KEY  =  value  \nexport\tX=1"),
            (Pairs{{"TOKEN", "abc"}, {"KEY", "value"}, {"X", "1"}}));
}

TEST(Dotenv, AVariableNamedExportIsStillAVariable) {
  EXPECT_EQ(Parsed("export=1\nexporter=2"), (Pairs{{"export", "1"}, {"exporter", "2"}}));
}

TEST(Dotenv, AcceptsColonSeparatorAndDottedNames) {
  EXPECT_EQ(Parsed("A: 1\napp.name-x=2"), (Pairs{{"A", "1"}, {"app.name-x", "2"}}));
}

TEST(Dotenv, EmptyValueIsTheEmptyString) {
  EXPECT_EQ(Parsed("A=\nB=   \nC= # only a comment"), (Pairs{{"A", ""}, {"B", ""}, {"C", ""}}));
}

TEST(Dotenv, UnquotedValueLosesTrailingCommentButKeepsInnerHash) {
  EXPECT_EQ(Parsed("URL=http://x/#frag # the url\nPASS=a#b\nSPACED=a b c  # note"),
            (Pairs{{"URL", "http://x/#frag"}, {"PASS", "a#b"}, {"SPACED", "a b c"}}));
}

TEST(Dotenv, SingleQuotesAreLiteral) {
  EXPECT_EQ(Parsed("A='a\\nb $HOME # not a comment'  # comment"),
            (Pairs{{"A", "a\\nb $HOME # not a comment"}}));
}

TEST(Dotenv, DoubleQuotesUnderstandEscapes) {
  EXPECT_EQ(Parsed(R"(A="line1\nline2\ttab \"q\" back\\slash \$ \x")"),
            (Pairs{{"A", "line1\nline2\ttab \"q\" back\\slash $ \\x"}}));
}

TEST(Dotenv, QuotedValuesMaySpanLines) {
  EXPECT_EQ(
      Parsed("KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT='x\ny'\nLAST=1"),
      (Pairs{{"KEY", "-----BEGIN-----\nabc\n-----END-----"}, {"NEXT", "x\ny"}, {"LAST", "1"}}));
}

TEST(Dotenv, BackquotesAreLiteralToo) {
  EXPECT_EQ(Parsed("A=`it's \"fine\"`"), (Pairs{{"A", "it's \"fine\""}}));
}

TEST(Dotenv, QuotedValueKeepsInnerSpaces) {
  EXPECT_EQ(Parsed("A=\"  padded  \"\nB='  x '"), (Pairs{{"A", "  padded  "}, {"B", "  x "}}));
}

TEST(Dotenv, RepeatedNameKeepsFirstPlaceAndLastValue) {
  EXPECT_EQ(Parsed("A=1\nB=2\nA=3"), (Pairs{{"A", "3"}, {"B", "2"}}));
}

TEST(Dotenv, DollarReferencesAreNotExpanded) {
  EXPECT_EQ(Parsed("A=1\nB=${A}-$A"), (Pairs{{"A", "1"}, {"B", "${A}-$A"}}));
}

TEST(Dotenv, HandlesCrlfAndBom) {
  EXPECT_EQ(Parsed("\xEF\xBB\xBF"
                   "A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC=3 # z\r\n"),
            (Pairs{{"A", "1"}, {"B", "x\ny"}, {"C", "3"}}));
}

TEST(Dotenv, LineWithoutEqualsIsAnErrorWithFileAndLine) {
  const Error error = Failed("A=1\n\nJUST_A_NAME\n");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.message, "expected '=' after 'JUST_A_NAME'");
  ASSERT_TRUE(error.where.has_value());
  EXPECT_EQ(error.where->file, "conf/.env");
  EXPECT_EQ(error.where->line, 3);
  EXPECT_EQ(error.where->column, 12);
  EXPECT_EQ(error.hint, "write JUST_A_NAME= for an empty value");
}

TEST(Dotenv, SpaceInsideANameIsAnError) {
  const Error error = Failed("MY VAR=1");
  EXPECT_EQ(error.message, "expected '=' after 'MY'");
  EXPECT_EQ(error.where->line, 1);
  EXPECT_EQ(error.where->column, 4);
}

TEST(Dotenv, NameMustStartWithALetterOrUnderscore) {
  const Error error = Failed("OK=1\n9LIVES=x");
  EXPECT_EQ(error.message, "invalid variable name '9LIVES': it must start with a letter or '_'");
  EXPECT_EQ(error.where->line, 2);
  EXPECT_EQ(error.where->column, 1);
}

TEST(Dotenv, GarbageLineIsAnErrorNamingTheCharacter) {
  EXPECT_EQ(Failed("=value").message, "expected NAME=value, found '='");
  EXPECT_EQ(Failed("\x01").message, "expected NAME=value, found byte 0x01");
}

TEST(Dotenv, UnterminatedQuoteIsReportedWhereItOpens) {
  const Error error = Failed("A=1\nKEY=\"never closed\nMORE=2\n");
  EXPECT_EQ(error.message, "unterminated double-quoted value of 'KEY'");
  EXPECT_EQ(error.where->line, 2);
  EXPECT_EQ(error.where->column, 5);
  EXPECT_EQ(Failed("K='x").message, "unterminated single-quoted value of 'K'");
  EXPECT_EQ(Failed("K=\"ends with backslash\\").message, "unterminated double-quoted value of 'K'");
}

TEST(Dotenv, TextAfterClosingQuoteIsAnError) {
  const Error error = Failed("A=\"x\ny\" trailing");
  EXPECT_EQ(error.message, "unexpected text after the closing quote of 'A'");
  EXPECT_EQ(error.where->line, 2);
  EXPECT_EQ(error.where->column, 4);
}

TEST(Dotenv, RandomTextNeverCrashesAndOnlyYieldsValidNames) {
  std::mt19937 random(7);
  const std::string alphabet = "AB_9=:\"'`#\\ \t\n\r$x-.e\xC3";
  int parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 24);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    const Result<Pairs> result = ParseDotenv(text, "fuzz.env");
    if (!result) {
      ASSERT_TRUE(result.error().where.has_value()) << text;
      EXPECT_GE(result.error().where->line, 1);
      EXPECT_GE(result.error().where->column, 1);
      continue;
    }
    ++parsed;
    for (const auto& [name, value] : *result) {
      ASSERT_FALSE(name.empty()) << text;
      EXPECT_TRUE(name[0] == '_' || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == 'x' ||
                  name[0] == 'e')
          << text;
    }
  }
  EXPECT_GT(parsed, 1000);
}

}  // namespace
}  // namespace flow::core
