// The databases the storage tests run against: a fresh SQLite file in a temporary folder, or a
// fresh database on the PostgreSQL server of $FLOW_PG_URL (scripts/postgres.sh starts one; the
// test scripts export its URL), dropped when the test is done. Each test gets its own database.
//
// Thread-compatible; tests only.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "adapters/sodium/checkpoint_cipher.hpp"
#include "adapters/storage_sql/sql_database.hpp"
#include "core/result.hpp"
#include "service/ports/database.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {

// $FLOW_PG_URL (an admin URL of a server the tests may create databases on), or nullopt.
std::optional<std::string> PgAdminUrl();
// Why the PostgreSQL tests cannot run ("" when FLOW_PG_URL is set).
std::string PgUnavailableReason();

// One empty database for one test: its URL, removed (file or PostgreSQL database) at
// destruction. Open() opens it (again) with the given options.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual std::string dialect() const = 0;
  const std::string& url() const { return url_; }
  core::Result<std::unique_ptr<adapters::storage::SqlDatabase>> Open(
      adapters::storage::DatabaseOptions options = {}) const;
  // Runs `sql` on a connection of its own (outside the stores) and returns the rows.
  core::Result<adapters::storage::SqlResult> Raw(const std::string& sql) const;

 protected:
  std::string url_;
};

// A fresh database, or nullptr with `reason` set when the dialect's server is not available.
std::unique_ptr<TestDatabase> NewSqliteDatabase(std::string& reason);
std::unique_ptr<TestDatabase> NewPgDatabase(std::string& reason);

// Both dialects, for value-parameterized tests: {"Sqlite", NewSqliteDatabase}, ...
using TestDatabaseMaker = std::unique_ptr<TestDatabase> (*)(std::string& reason);
struct DialectParam {
  std::string name;
  TestDatabaseMaker make;
};
inline void PrintTo(const DialectParam& param, std::ostream* os) { *os << param.name; }
inline std::string DialectParamName(const ::testing::TestParamInfo<DialectParam>& info) {
  return info.param.name;
}
inline DialectParam SqliteParam() { return {"Sqlite", &NewSqliteDatabase}; }
inline DialectParam PostgresParam() { return {"Postgres", &NewPgDatabase}; }

// The database `place` names, opened (migrated) and owning `place`: closing it removes the file
// or the PostgreSQL database. nullptr (with the reason in `error`) when it cannot be opened.
std::unique_ptr<service::Database> OpenOwned(std::unique_ptr<TestDatabase> place,
                                             std::string& error);

// A cipher for tests: a fixed key, or none.
adapters::CheckpointCipher TestCipher(bool with_key);
adapters::SecretKey TestKey(int variant = 0);

}  // namespace flow::testing
