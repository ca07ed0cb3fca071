#include "adapters/storage_pg/pg_backend.hpp"

#include <gtest/gtest.h>

namespace flow::adapters::storage {
namespace {

TEST(PgBackend, NamesTheMonthPartitionOfATime) {
  // 2026-12-04T14:22:56.123Z
  const LogPartition p = LogPartitionOf(1796394176123);
  EXPECT_EQ(p.name, "step_log_p2026_12");
  EXPECT_EQ(p.from, "2026-12-01");
  EXPECT_EQ(p.to, "2027-01-01");
  EXPECT_EQ(p.end_ms, 1798761600000);
  EXPECT_EQ(LogPartitionOf(0).name, "step_log_p1970_01");
  EXPECT_EQ(LogPartitionOf(-1).name, "step_log_p1969_12");
  // The last and first millisecond of a month.
  EXPECT_EQ(LogPartitionOf(1798761600000 - 1).name, "step_log_p2026_12");
  EXPECT_EQ(LogPartitionOf(1798761600000).name, "step_log_p2027_01");
  // 2000-02-29 (a leap day)
  EXPECT_EQ(LogPartitionOf(951782400000).from, "2000-02-01");
  EXPECT_EQ(LogPartitionOf(951782400000).to, "2000-03-01");
}

TEST(PgBackend, HidesPasswordsInUrls) {
  EXPECT_EQ(RedactPgUrl("postgres://ana:s3cret@db:5432/flow"), "postgres://ana:***@db:5432/flow");
  EXPECT_EQ(RedactPgUrl("postgresql://ana@db/flow"), "postgresql://ana@db/flow");
  EXPECT_EQ(RedactPgUrl("postgres://db/flow?password=s3cret&sslmode=require"),
            "postgres://db/flow?password=***&sslmode=require");
  EXPECT_EQ(RedactPgUrl("host=db password=s3cret dbname=flow"), "host=db password=*** dbname=flow");
}

}  // namespace
}  // namespace flow::adapters::storage
