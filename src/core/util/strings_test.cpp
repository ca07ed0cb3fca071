#include "core/util/strings.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(Strings, TrimAndLower) {
  EXPECT_EQ(Trim("  a b \t\n"), "a b");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(ToLower("Content-Type"), "content-type");
}

TEST(Strings, SplitKeepsEmptyParts) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
}

TEST(Strings, EditDistanceCountsTranspositionsAsOne) {
  EXPECT_EQ(EditDistance("expect", "expcet"), 1u);
  EXPECT_EQ(EditDistance("assert", "asert"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(Strings, AppendUtf8EncodesEveryLength) {
  std::string out;
  for (std::uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) AppendUtf8(out, cp);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(Strings, EditDistanceOfLongNamesIsBounded) {
  const std::string a(100000, 'a');
  EXPECT_EQ(EditDistance(a, a), 0u);  // capped at 256 characters: no 10^10-cell table
}

TEST(Strings, DidYouMeanSuggestsCloseNames) {
  const std::vector<std::string> keys{"request", "assert", "capture", "name"};
  EXPECT_EQ(DidYouMean("asert", keys), "did you mean 'assert'?");
  EXPECT_EQ(DidYouMean("zzzzzzzz", keys), "");
  EXPECT_EQ(ClosestMatches("captures", keys), std::vector<std::string>{"capture"});
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(Strings, DecodeUtf8AtReadsOneCharacterAndReplacesInvalidOnes) {
  std::size_t len = 0;
  EXPECT_EQ(DecodeUtf8At("a", 0, len), 'a');
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(DecodeUtf8At("é", 0, len), 0xE9u);
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(DecodeUtf8At("🚀", 0, len), 0x1F680u);
  EXPECT_EQ(len, 4u);
  for (const char* bad : {"\xff", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80"}) {
    EXPECT_EQ(DecodeUtf8At(bad, 0, len), 0xFFFDu) << bad;
    EXPECT_EQ(len, 1u);
  }
}

}  // namespace
}  // namespace flow::core
