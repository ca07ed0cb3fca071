#include "core/fmt/unified_diff.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(UnifiedDiff, EqualTextsHaveNoDiff) { EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), ""); }

TEST(UnifiedDiff, OneChangedLineWithItsContext) {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
  EXPECT_EQ(UnifiedDiff(before, after, "a.yaml", "b.yaml"),
            "--- a.yaml\n+++ b.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  const std::string diff = UnifiedDiff(before, after, "a", "b");
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n"), std::string::npos) << diff;
}

TEST(UnifiedDiff, InsertionsAndAMissingFinalNewline) {
  EXPECT_EQ(UnifiedDiff("a\n", "a\nb\n", "x", "y"), "--- x\n+++ y\n@@ -1 +1,2 @@\n a\n+b\n");
  EXPECT_EQ(UnifiedDiff("a", "a\n", "x", "y"),
            "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
  EXPECT_EQ(UnifiedDiff("", "a\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
}

}  // namespace
}  // namespace flow::core
