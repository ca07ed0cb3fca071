#include "core/util/path.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(Path, NormalizeResolvesDotsLexically) {
  EXPECT_EQ(NormalizePath("a/./b/../c"), "a/c");
  EXPECT_EQ(NormalizePath("/x/../../y"), "/y");
  EXPECT_EQ(NormalizePath("../a"), "../a");
  EXPECT_EQ(NormalizePath("a//b/"), "a/b");
}

TEST(Path, DirNameAndJoin) {
  EXPECT_EQ(DirName("tests/a.yaml"), "tests");
  EXPECT_EQ(DirName("/a.yaml"), "/");
  EXPECT_EQ(DirName("a.yaml"), "");
  EXPECT_EQ(JoinPath("tests/sub", "../h.yaml"), "tests/h.yaml");
  EXPECT_EQ(JoinPath("", "h.yaml"), "h.yaml");
}

}  // namespace
}  // namespace flow::core
