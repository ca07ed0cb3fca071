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

TEST(Strings, DidYouMeanSuggestsCloseNames) {
  const std::vector<std::string> keys{"request", "assert", "capture", "name"};
  EXPECT_EQ(DidYouMean("asert", keys), "did you mean 'assert'?");
  EXPECT_EQ(DidYouMean("zzzzzzzz", keys), "");
  EXPECT_EQ(ClosestMatches("captures", keys), std::vector<std::string>{"capture"});
}

}  // namespace
}  // namespace flow::core
