// SqlDatabase: a service::Database over one SqlBackend (SQLite or PostgreSQL): a connection
// pool, the stores written once over SqlConnection (sql_stores.hpp), the migrations and what
// only the operator's commands need (migration status, step_log retention). Opening applies the
// pending migrations unless told not to, refuses a database newer than the binary, and, on
// PostgreSQL, creates the step_log partitions of this month and the next two.
//
// Thread-safe; the stores it hands out live as long as it does.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sodium/checkpoint_cipher.hpp"
#include "adapters/storage_sql/connection_pool.hpp"
#include "adapters/storage_sql/migrator.hpp"
#include "adapters/storage_sql/sql_backend.hpp"
#include "adapters/storage_sql/sql_stores.hpp"
#include "service/ports/database.hpp"

namespace flow::adapters::storage {

struct DatabaseOptions {
  // Apply pending migrations when opening (and refuse a newer database). false opens the
  // database as it is, for `flowtest migrate --status`.
  bool migrate = true;
  // An SQLite file that does not exist is an error (kNotFound) instead of a new database: for
  // commands that only read what was recorded.
  bool must_exist = false;
  // How checkpoints (and MFA secrets) are kept at rest; default: FLOWTEST_SECRET_KEY.
  std::optional<CheckpointCipher> cipher;
  // Warnings (the one about a missing secret key); default: "flowtest: warning: ..." on stderr.
  Warn warn;
  // The clock for times the stores fill in (unix ms); default: the system clock.
  std::function<std::int64_t()> now;
};

class SqlDatabase final : public service::Database {
 public:
  static core::Result<std::unique_ptr<SqlDatabase>> Open(std::unique_ptr<SqlBackend> backend,
                                                         DatabaseOptions options = {});
  ~SqlDatabase() override;

  std::string Dialect() const override { return std::string(backend_->Dialect()); }
  core::Result<int> SchemaVersion() override;
  int LatestSchemaVersion() const override;
  service::SuiteStore& suites() override { return suites_; }
  service::RunStore& runs() override { return runs_; }
  service::RetryStore& retries() override { return retries_; }
  service::JobStore& jobs() override { return jobs_; }
  service::UserStore& users() override { return users_; }
  service::AuditLog& audit() override { return audit_; }
  core::Result<void> Housekeep(Upkeep upkeep = Upkeep::kWhenDue) override;
  // Two connections (the recording's writer's and one for whoever else works meanwhile, such as
  // the upkeep), each with the statements of SqlRunStore and SqlSuiteStore's RecordingStatements.
  core::Result<void> PrepareToRecord() override;

  // Where it is, safe to print.
  std::string Location() const { return backend_->Location(); }
  // Applies the pending migrations (up to `target`); returns those applied now.
  core::Result<std::vector<MigrationStatus>> Migrate(std::optional<int> target = std::nullopt);
  core::Result<std::vector<MigrationStatus>> MigrationStatuses();
  // step_log retention (SqlBackend::DropLogsBefore).
  core::Result<RetentionResult> DropStepLogsBefore(std::int64_t cutoff);
  // The schema as comparable text (SqlBackend::DescribeSchema), for tests and diagnostics.
  core::Result<std::string> DescribeSchema();

 private:
  SqlDatabase(std::unique_ptr<SqlBackend> backend, DatabaseOptions options);
  template <typename Body>
  auto WithConnection(Body&& body) -> std::invoke_result_t<Body&, SqlConnection&>;

  std::unique_ptr<SqlBackend> backend_;
  ConnectionPool pool_;
  CheckpointCipher cipher_;
  SqlContext context_;
  SqlSuiteStore suites_;
  SqlRunStore runs_;
  SqlRetryStore retries_;
  SqlJobStore jobs_;
  SqlUserStore users_;
  SqlAuditLog audit_;
};

}  // namespace flow::adapters::storage
