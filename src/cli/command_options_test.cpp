#include "cli/command_options.hpp"

#include <gtest/gtest.h>

namespace flow::cli {
namespace {

TEST(CommandOptions, SplitsLongOptionsWithAnInlineValue) {
  const OptionArg inline_value = SplitOption("--output=a=b");
  EXPECT_EQ(inline_value.name, "--output");
  EXPECT_EQ(inline_value.inline_value, "a=b");
  EXPECT_EQ(SplitOption("-o").name, "-o");
  EXPECT_FALSE(SplitOption("-o=x").inline_value);
  EXPECT_EQ(SplitOption("spec=1.yaml").name, "spec=1.yaml");
}

TEST(CommandOptions, TakesTheInlineValueOrTheNextArgument) {
  const std::vector<std::string> args = {"--tag", "users", "--tag=x", "--force"};
  std::size_t i = 0;
  EXPECT_EQ(TakeOptionValue(SplitOption(args[0]), args, i), "users");
  EXPECT_EQ(i, 1u);
  i = 2;
  EXPECT_EQ(TakeOptionValue(SplitOption(args[2]), args, i), "x");
  EXPECT_EQ(i, 2u);
  i = 3;
  EXPECT_EQ(TakeOptionValue(SplitOption(args[3]), args, i), std::nullopt);
}

}  // namespace
}  // namespace flow::cli
