#include "core/diagnostic.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

TEST(Diagnostic, ShowsLineCaretAndHint) {
  Error e = InvalidArgument("unknown key 'expct'", "did you mean 'expect'?");
  e.where = SourceSpan{.file = "suites/login.yaml", .line = 2, .column = 5, .length = 5};
  const std::string text = "steps:\n    expct:\n      status: 200\n";
  EXPECT_EQ(FormatDiagnostic(e, text),
            "suites/login.yaml:2:5: error: unknown key 'expct'\n"
            " 2 |     expct:\n"
            "   |     ^^^^^\n"
            "  hint: did you mean 'expect'?\n");
}

TEST(Diagnostic, WithoutSourceOnlyTheHeadline) {
  Error e = InvalidArgument("bad");
  e.where = SourceSpan{.file = "x.yaml", .line = 9, .column = 1};
  EXPECT_EQ(FormatDiagnostic(e, "", "warning"), "x.yaml:9:1: warning: bad\n");
}

TEST(Diagnostic, CaretIsClampedToTheLine) {
  Error e = InvalidArgument("bad");
  e.where = SourceSpan{.file = "x.yaml", .line = 1, .column = 3, .length = 99};
  EXPECT_EQ(FormatDiagnostic(e, "abcd"), "x.yaml:1:3: error: bad\n 1 | abcd\n   |   ^^\n");
}

TEST(Diagnostic, LineBeyondTheFileGivesNoExcerpt) {
  Error e = InvalidArgument("bad");
  e.where = SourceSpan{.file = "x.yaml", .line = 40, .column = 3};
  EXPECT_EQ(FormatDiagnostic(e, "one line"), "x.yaml:40:3: error: bad\n");
}

}  // namespace
}  // namespace flow::core
