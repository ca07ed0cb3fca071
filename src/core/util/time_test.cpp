#include "core/util/time.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace flow::core {
namespace {

TEST(Time, FormatsIsoUtcWithMilliseconds) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtc(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatIsoUtc(951782400000), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(FormatIsoUtc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, NeverOverflowsAtTheLimits) {
  EXPECT_FALSE(FormatIsoUtc(std::numeric_limits<std::int64_t>::min()).empty());
  EXPECT_FALSE(FormatIsoUtc(std::numeric_limits<std::int64_t>::max()).empty());
  EXPECT_EQ(FormatIsoUtc(1'796'394'176'123), "2026-12-04T14:22:56.123Z");
}

TEST(Time, FileStampHasNoColons) {
  EXPECT_EQ(FormatFileStamp(1700000000123), "2023-11-14_22-13-20");
}

}  // namespace
}  // namespace flow::core
