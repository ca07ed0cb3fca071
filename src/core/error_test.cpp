#include "core/error.hpp"

#include <gtest/gtest.h>

#include "core/result.hpp"

namespace flow::core {
namespace {

TEST(Error, FactoriesSetCodeMessageAndHint) {
  const Error e = InvalidArgument("unknown key 'expct'", "did you mean 'expect'?");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.message, "unknown key 'expct'");
  EXPECT_EQ(e.hint, "did you mean 'expect'?");
  EXPECT_EQ(Timeout("x").code, ErrorCode::kTimeout);
  EXPECT_EQ(Unavailable("x").code, ErrorCode::kUnavailable);
}

TEST(Error, InvalidArgumentAtNamesTheNode) {
  const Error e = InvalidArgumentAt("bad operator", "/body/id/equalz", "unknown-operator", "hint");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.pointer, "/body/id/equalz");
  EXPECT_EQ(e.reason, "unknown-operator");
  EXPECT_EQ(e.hint, "hint");
}

TEST(Error, WithLocationKeepsAnExistingLocation) {
  const SourceSpan inner{.file = "a.yaml", .line = 3, .column = 4};
  const SourceSpan outer{.file = "a.yaml", .line = 1, .column = 1};
  Error e = WithLocation(InvalidArgument("bad"), inner);
  EXPECT_EQ(*e.where, inner);
  e = WithLocation(e, outer);
  EXPECT_EQ(*e.where, inner);
}

TEST(Error, FormatErrorLineIsCompilerStyle) {
  Error e = InvalidArgument("bad value");
  EXPECT_EQ(FormatErrorLine(e), "bad value");
  e.where = SourceSpan{.file = "s.yaml", .line = 12, .column = 5};
  EXPECT_EQ(FormatErrorLine(e), "s.yaml:12:5: bad value");
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 7);
  Result<int> bad = NotFound("no such suite");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(bad.value_or(3), 3);
  Result<void> done;
  EXPECT_TRUE(done);
  Result<void> failed = Internal("boom");
  EXPECT_FALSE(failed);
}

}  // namespace
}  // namespace flow::core
