#include "cli/arg_cursor.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace flow::cli {
namespace {

TEST(ArgCursor, ReadsOptionsValuesSwitchesAndPositionals) {
  const std::vector<std::string> args = {"dir", "--format",       "dot", "--output=g.dot", "-y",
                                         "--",  "--not-an-option"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.IsPositional());
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
  EXPECT_EQ(c.Value("a file name").error().message, "option '--format' needs a file name");
}

TEST(ArgCursor, OnlyLongOptionsSplitAtTheFirstEqualsSign) {
  const std::vector<std::string> args = {"--output=a=b", "-o=x", "spec=1.yaml", "--name="};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--output"));
  EXPECT_EQ(c.arg(), "--output=a=b");
  EXPECT_EQ(*c.Value(), "a=b");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("-o=x"));
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "spec=1.yaml");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--name"));
  EXPECT_EQ(*c.Value(), "");
}

TEST(ArgCursor, TheNextArgumentIsAValueEvenWhenItLooksLikeAnOption) {
  const std::vector<std::string> args = {"--tag", "--force", "x"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(*c.Value(), "--force");
  EXPECT_EQ(c.arg(), "--tag");  // still the option, not the value read after it
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "x");
}

TEST(ArgCursor, UnknownOptionsSuggestTheClosest) {
  const std::vector<std::string> args = {"--fromat=dot"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  const core::Error e = c.Unknown({"--format", "--output"});
  EXPECT_EQ(e.message, "unknown option '--fromat'");
  EXPECT_EQ(e.hint, "did you mean '--format'?");
  EXPECT_EQ(c.Unknown().hint, "");
}

TEST(ArgCursor, ALoneDashAndAnEmptyArgumentArePositional) {
  const std::vector<std::string> args = {"-", ""};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "-");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.IsPositional());
  EXPECT_EQ(c.positional(), "");
}

TEST(ArgCursor, AnOptionalValueIsInlineOrANextArgumentThatPassesTheTest) {
  const std::vector<std::string> args = {"--live", "file", "--live", "x.yaml", "--live=", "--live"};
  const auto not_a_suite = [](const std::string& next) {
    return next.find(".yaml") == std::string::npos;
  };
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.OptionalValue(not_a_suite), "file");
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.OptionalValue(not_a_suite), std::nullopt);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "x.yaml");  // left for the next read
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.OptionalValue(not_a_suite), "");
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.OptionalValue(not_a_suite), std::nullopt);  // none left
  EXPECT_FALSE(c.Next());
}

TEST(ArgCursor, RestGivesTheUnreadArgumentsAsGiven) {
  const std::vector<std::string> args = {"a", "--", "--b=1", "--"};
  ArgCursor c(args);
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.Rest(), (std::vector<std::string>{"--", "--b=1", "--"}));
  EXPECT_FALSE(c.Next());
}

TEST(ArgCursor, AliasesReadAsTheirLongNameAlsoInErrors) {
  const std::vector<std::string> args = {"-o", "dir", "-o"};
  ArgCursor c(args, {.aliases = {{"-o", "--output"}}});
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--output"));
  EXPECT_EQ(c.arg(), "-o");
  EXPECT_EQ(*c.Value(), "dir");
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.Value().error().message, "option '--output' needs a value");
}

TEST(ArgCursor, WithoutInlineValuesAnEqualsSignIsPartOfTheOption) {
  const std::vector<std::string> args = {"--raw=1", "--", "--raw"};
  ArgCursor c(args, {.inline_values = false});
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--raw=1"));
  EXPECT_TRUE(c.NoValue().has_value());
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "--raw");
}

TEST(ArgCursor, DoubleDashCanBeAnOptionLikeAnyOther) {
  const std::vector<std::string> args = {"--", "--=x", "--force"};
  ArgCursor c(args, {.double_dash_ends_options = false});
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--"));
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--"));
  EXPECT_EQ(*c.Value(), "x");
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.Is("--force"));
}

TEST(ArgCursor, WholeSyntaxTakesEveryDashArgumentAsOneOption) {
  const std::vector<std::string> args = {"--check=1", "-", "--", "--diff", "", "p"};
  ArgCursor c(args, ArgSyntax::Whole());
  for (const char* option : {"--check=1", "-", "--", "--diff"}) {
    ASSERT_TRUE(c.Next());
    EXPECT_TRUE(c.Is(option)) << option;
  }
  ASSERT_TRUE(c.Next());
  EXPECT_TRUE(c.IsPositional());
  ASSERT_TRUE(c.Next());
  EXPECT_EQ(c.positional(), "p");
  EXPECT_FALSE(c.Next());
}

TEST(ArgCursor, UsageErrorsNameTheCommandOrTheProgram) {
  const core::Error e = core::InvalidArgument("unknown option '--x'", "did you mean '--y'?");
  std::ostringstream command;
  PrintUsageError(command, "graph", e);
  EXPECT_EQ(command.str(),
            "flowtest graph: error: unknown option '--x'\n  hint: did you mean '--y'?\n"
            "run 'flowtest graph --help' for the options\n");
  std::ostringstream program;
  PrintUsageError(program, "import", core::InvalidArgument("name the file"), UsageLabel::kProgram);
  EXPECT_EQ(program.str(),
            "flowtest: error: name the file\nrun 'flowtest import --help' for the options\n");
  std::ostringstream with_usage;
  PrintUsageErrorWithUsage(with_usage, "fmt", core::InvalidArgument("bad"), "usage: x\n");
  EXPECT_EQ(with_usage.str(), "flowtest fmt: error: bad\nusage: x\n");
}

}  // namespace
}  // namespace flow::cli
