#include "cli/arg_cursor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flow::cli {
namespace {

TEST(ArgCursor, ReadsOptionsValuesSwitchesAndPositionals) {
  const std::vector<std::string> args = {"dir", "--format",       "dot", "--output=g.dot", "-y",
                                         "--",  "--not-an-option"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.option().empty());
  EXPECT_EQ(c.positional(), "dir");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--format"));
  EXPECT_EQ(*c.Value(), "dot");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--output"));
  EXPECT_EQ(*c.Value(), "g.dot");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("-y"));
  EXPECT_TRUE(c.NoValue().has_value());
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "--not-an-option");
  EXPECT_FALSE(c.Next());
}

TEST(ArgCursor, AMissingValueOrAValueForASwitchIsAnError) {
  const std::vector<std::string> args = {"--yes=1", "--format"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  ASSERT_FALSE(c.NoValue().has_value());
  EXPECT_EQ(c.NoValue().error().message, "option '--yes' takes no value");
  ASSERT_TRUE(c.Next());
  const core::Result<std::string> v = c.Value();
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "option '--format' needs a value");
}

TEST(ArgCursor, UnknownOptionsSuggestTheClosest) {
  const std::vector<std::string> args = {"--fromat=dot"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  const core::Error e = c.Unknown({"--format", "--output"});
  EXPECT_EQ(e.message, "unknown option '--fromat'");
  EXPECT_EQ(e.hint, "did you mean '--format'?");
}

TEST(ArgCursor, ALoneDashIsPositional) {
  const std::vector<std::string> args = {"-"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "-");
}

}  // namespace
}  // namespace flow::cli
