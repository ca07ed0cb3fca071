#include "cli/since.hpp"

#include <gtest/gtest.h>

namespace flow::cli {
namespace {

TEST(Since, IsAnAgeOrAUtcDate) {
  const std::int64_t now = 1'764'547'200'000;  // 2025-12-01T00:00:00Z
  EXPECT_EQ(*ParseSince("7d", now, "--since"), now - 7LL * 24 * 3600 * 1000);
  EXPECT_EQ(*ParseSince("2w", now, "--since"), now - 14LL * 24 * 3600 * 1000);
  EXPECT_EQ(*ParseSince("2025-12-01", now, "--since"), now);
  EXPECT_EQ(*ParseSince("2025-12-01T08:30", now, "--since"), now + (8 * 60 + 30) * 60'000LL);
  EXPECT_EQ(*ParseSince("2025-12-01T08:30:15Z", now, "--since"),
            now + (8 * 60 + 30) * 60'000LL + 15'000);
  EXPECT_EQ(*ParseSince("1970-01-02", now, "--since"), 24LL * 3600 * 1000);
  for (const char* bad : {"2025-13-01", "2025-02-30", "2025-12-01T25:00", "2025-12-01T08",
                          "2025-12-01X", "2025/12/01", "yesterday", "7 d", "", "0d"}) {
    const core::Result<std::int64_t> since = ParseSince(bad, now, "--since");
    ASSERT_FALSE(since) << bad;
    EXPECT_EQ(since.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
  const core::Result<std::int64_t> word = ParseSince("yesterday", now, "--since");
  EXPECT_NE(word.error().message.find("--since"), std::string::npos) << word.error().message;
  EXPECT_NE(word.error().hint.find("UTC date"), std::string::npos);
}

}  // namespace
}  // namespace flow::cli
