// PostgreSQL through libpq: text-format statements with untyped $N parameters (the server infers
// each one's type from where it is used: uuid, jsonb, enums), a pool of up to 8 connections,
// row locks (FOR UPDATE, SKIP LOCKED) where the stores ask for them, an advisory lock around
// migrations, and step_log partitioned by month: the partitions (step_log_pYYYY_MM) are created
// on first need and dropped whole by the retention. Text PostgreSQL cannot hold (NUL characters,
// invalid UTF-8) is stored as U+FFFD. Thread-safe (a connection per pool slot).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/storage_sql/sql_backend.hpp"

namespace flow::adapters::storage {

std::span<const Migration> PgMigrations();  // generated from migrations/

// `url`: postgres://user:password@host:port/database?options (or postgresql://, or a libpq
// "key=value" connection string).
std::unique_ptr<SqlBackend> MakePgBackend(std::string url);

// The URL with its password replaced by "***", for messages.
std::string RedactPgUrl(std::string_view url);

// The month partition of step_log holding `unix_ms`: {"step_log_p2026_12", from, to} where from
// and to are "2026-12-01" and "2027-01-01" (UTC).
struct LogPartition {
  std::string name;
  std::string from;
  std::string to;
  std::int64_t end_ms = 0;  // unix ms of `to`
};
LogPartition LogPartitionOf(std::int64_t unix_ms);

}  // namespace flow::adapters::storage
