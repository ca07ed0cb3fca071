#include "cli/age.hpp"

#include <gtest/gtest.h>

namespace flow::cli {
namespace {

TEST(ParseAge, ReadsANumberAndAUnit) {
  EXPECT_EQ(*ParseAge("30d", "--older-than"), 30LL * 86'400'000);
  EXPECT_EQ(*ParseAge("12h", "--older-than"), 12LL * 3'600'000);
  EXPECT_EQ(*ParseAge("2w", "--older-than"), 14LL * 86'400'000);
  EXPECT_EQ(*ParseAge("90m", "--older-than"), 90LL * 60'000);
  EXPECT_EQ(*ParseAge("45s", "--older-than"), 45'000);
}

TEST(ParseAge, RefusesAnythingElseNamingTheOption) {
  for (const char* bad : {"", "d", "30", "30y", "-3d", "0d", "3.5d", "d30", "30 d", "99999999w"}) {
    const core::Result<std::int64_t> age = ParseAge(bad, "--older-than");
    ASSERT_FALSE(age) << bad;
    EXPECT_EQ(age.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(age.error().message.find("--older-than"), std::string::npos);
  }
}

}  // namespace
}  // namespace flow::cli
