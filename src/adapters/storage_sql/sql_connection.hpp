// SqlConnection: the small interface the stores are written against, implemented once per
// dialect (storage_sqlite: sqlite3; storage_pg: libpq). Statements take positional parameters
// written $1, $2, ... in both dialects, and return their rows with every cell as text (or NULL),
// read through typed accessors. Errors come back as core::Error with a stable `reason`:
// "unique" and "foreign_key" (kConflict) for constraint violations, "retry" (kUnavailable) when
// the transaction lost a race and may simply be run again (serialization failure, deadlock,
// SQLite busy), "connection" (kUnavailable) when the server is gone.
//
// One connection is used by one thread at a time (ConnectionPool hands them out).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace flow::adapters::storage {

// A statement parameter. Text is also how JSON, arrays (as JSON text) and ids are passed.
struct SqlParam {
  std::variant<std::monostate, std::int64_t, double, std::string, bool> value;

  static SqlParam Null() { return {}; }
};
SqlParam Param(std::int64_t v);
SqlParam Param(int v);
SqlParam Param(std::size_t v);
SqlParam Param(double v);
SqlParam Param(bool v);
SqlParam Param(std::string v);
SqlParam Param(std::string_view v);
SqlParam Param(const char* v);
SqlParam Param(const std::optional<std::int64_t>& v);
SqlParam Param(const std::optional<std::string>& v);
// "" becomes NULL (optional references such as step_run_id).
SqlParam TextOrNull(const std::string& v);

using SqlParams = std::vector<SqlParam>;

// One row of a result: cells by column position.
class SqlRow {
 public:
  explicit SqlRow(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool IsNull(std::size_t i) const { return !cells_.at(i).has_value(); }
  // NULL reads as "" / 0 / false.
  const std::string& Text(std::size_t i) const;
  std::int64_t Int(std::size_t i) const;
  double Double(std::size_t i) const;
  bool Bool(std::size_t i) const;  // "t", "true", "1"
  std::optional<std::string> OptText(std::size_t i) const { return cells_.at(i); }
  std::optional<std::int64_t> OptInt(std::size_t i) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
};

enum class TxMode {
  kRead,   // a consistent read (SQLite: BEGIN; PostgreSQL: BEGIN)
  kWrite,  // a write (SQLite: BEGIN IMMEDIATE, the one writer; PostgreSQL: BEGIN)
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual core::Result<SqlResult> Query(std::string_view sql, const SqlParams& params = {}) = 0;
  // Several statements without parameters (a migration file), run as they are.
  virtual core::Result<void> ExecScript(std::string_view sql) = 0;
  virtual core::Result<void> Begin(TxMode mode) = 0;
  virtual core::Result<void> Commit() = 0;
  virtual core::Result<void> Rollback() = 0;
  // False once the connection is unusable (the server went away); the pool drops it.
  virtual bool Healthy() const = 0;
  // Makes `sql` ready to run (SQLite: prepared into the connection's statements), so that its
  // first Query does not prepare it. By default nothing.
  virtual core::Result<void> PrepareAhead(std::string_view /*sql*/) { return core::Ok(); }

  core::Result<void> Exec(std::string_view sql, const SqlParams& params = {});
};

// Errors of the drivers, with their reasons.
core::Error SqlConflict(std::string message, std::string reason);
core::Error SqlRetry(std::string message);
core::Error SqlConnectionLost(std::string message);
bool IsRetryable(const core::Error& error);

}  // namespace flow::adapters::storage
