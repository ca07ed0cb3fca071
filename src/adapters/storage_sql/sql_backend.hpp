// SqlBackend: what one SQL dialect supplies to the stores written once over SqlConnection
// (docs/adr/0005-storage.md): connections, its migrations, the few SQL pieces that differ
// (row locks, the priority order, JSON text), and what only it can do (PostgreSQL's monthly
// step_log partitions, the retention that drops them, the catalog description used by tests).
// The SQL the stores send is otherwise the same in both dialects: $N parameters, RETURNING,
// ON CONFLICT upserts, and the conversion functions flow_ts/flow_ms (unix ms <-> timestamp) and
// flow_text_array/flow_array_json (JSON text <-> text[]), which PostgreSQL defines in its first
// migration and SQLite registers on each connection as the identity.
//
// Thread-safe: one instance is shared by every connection of a database.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage_sql/sql_connection.hpp"
#include "core/result.hpp"
#include "core/value_fwd.hpp"
#include "service/ports/database.hpp"

namespace flow::adapters::storage {

// A migration file: migrations/NNNN_name.sql, embedded at build time (embed_migrations.cmake).
struct Migration {
  int version = 0;
  const char* name = "";  // "0001_runs"
  const char* sql = "";
  // Lower-case hex SHA-256 of `sql`, computed when the migrations are embedded (opening a
  // database compares those applied with them); "" = computed when needed.
  const char* checksum = "";
};

struct RetentionResult {
  std::vector<std::string> dropped_partitions;  // PostgreSQL: whole months dropped
  std::int64_t deleted_rows = 0;                // SQLite: rows deleted
};

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;
  virtual std::string_view Dialect() const = 0;  // "sqlite" or "postgres"
  // Where the database is, safe to print (a PostgreSQL password is hidden).
  virtual std::string Location() const = 0;
  virtual core::Result<std::unique_ptr<SqlConnection>> Connect() = 0;
  virtual std::size_t MaxConnections() const = 0;
  virtual std::span<const Migration> Migrations() const = 0;

  // " FOR UPDATE" in PostgreSQL, "" in SQLite (whose write transactions exclude each other).
  virtual std::string_view ForUpdate() const = 0;
  // " FOR UPDATE SKIP LOCKED" in PostgreSQL, "" in SQLite.
  virtual std::string_view ForUpdateSkipLocked() const = 0;
  // An expression ordering a priority column critical, high, medium, low.
  virtual std::string PriorityRank(std::string_view column) const = 0;
  // The JSON text stored for `value`.
  virtual std::string JsonText(const core::Value& value) const = 0;
  // The JSON text stored for `json`, text DumpJson wrote (or text written as it writes).
  virtual std::string StoredJsonText(std::string json) const = 0;
  // The count of tables named $1 in the current schema, as SQL.
  virtual std::string_view TableExistsSql() const = 0;

  // Called first in each migration's write transaction: concurrent migrators wait here
  // (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE already excludes them).
  virtual core::Result<void> LockMigrations(SqlConnection& connection) = 0;
  // Makes step_log ready to take rows stamped at `times` (unix ms). PostgreSQL creates the
  // missing monthly partitions, each in its own short transaction: call it outside of any
  // transaction on `connection`. SQLite: nothing to do.
  virtual core::Result<void> PrepareLogTimes(SqlConnection& connection,
                                             const std::vector<std::int64_t>& times) = 0;
  // Removes step_log rows older than `cutoff` (unix ms): PostgreSQL drops the partitions of
  // months that ended at or before it (rows of a month that straddles it stay); SQLite deletes
  // the rows.
  virtual core::Result<RetentionResult> DropLogsBefore(SqlConnection& connection,
                                                       std::int64_t cutoff) = 0;
  // The schema as comparable text: tables, columns with their types, nullability and defaults,
  // indexes with their definitions, sorted (partitions of step_log left out).
  virtual core::Result<std::string> DescribeSchema(SqlConnection& connection) = 0;
  // Database::Housekeep on one of its connections.
  virtual core::Result<void> Housekeep(SqlConnection&, service::Database::Upkeep) {
    return core::Ok();
  }
};

}  // namespace flow::adapters::storage
