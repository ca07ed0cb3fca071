#include "adapters/storage_sql/sql_database.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace flow::adapters::storage {
namespace {

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Warn DefaultWarn() {
  return [](std::string_view message) { std::cerr << "flowtest: warning: " << message << "\n"; };
}

CheckpointCipher MakeCipher(DatabaseOptions& options) {
  if (!options.warn) options.warn = DefaultWarn();
  if (options.cipher) return CheckpointCipher(*options.cipher);
  // Open() has already checked that the environment's key parses.
  core::Result<CheckpointCipher> cipher = CheckpointCipher::FromEnvironment(options.warn);
  return cipher ? *cipher : CheckpointCipher(std::nullopt, options.warn);
}

constexpr std::int64_t kMonthMs = 31LL * 24 * 3600 * 1000;

}  // namespace

SqlDatabase::SqlDatabase(std::unique_ptr<SqlBackend> backend, DatabaseOptions options)
    : backend_(std::move(backend)),
      pool_([b = backend_.get()] { return b->Connect(); }, backend_->MaxConnections()),
      cipher_(MakeCipher(options)),
      context_{.backend = *backend_,
               .pool = pool_,
               .cipher = cipher_,
               .now = options.now ? options.now : SystemNowMs},
      suites_(context_),
      runs_(context_),
      retries_(context_),
      jobs_(context_),
      users_(context_),
      audit_(context_) {}

SqlDatabase::~SqlDatabase() = default;

core::Result<std::unique_ptr<SqlDatabase>> SqlDatabase::Open(std::unique_ptr<SqlBackend> backend,
                                                             DatabaseOptions options) {
  if (!options.cipher) {
    core::Result<CheckpointCipher> from_env = CheckpointCipher::FromEnvironment();
    if (!from_env) return std::move(from_env).error();
  }
  const bool migrate = options.migrate;
  std::unique_ptr<SqlDatabase> db(new SqlDatabase(std::move(backend), std::move(options)));
  if (!migrate) return db;
  core::Result<std::vector<MigrationStatus>> migrated = db->Migrate();
  if (!migrated) return std::move(migrated).error();
  const std::int64_t now = db->context_.now();
  FLOW_TRY_VOID(db->WithConnection([&](SqlConnection& c) {
    return db->backend_->PrepareLogTimes(c, {now, now + kMonthMs, now + 2 * kMonthMs});
  }));
  return db;
}

template <typename Body>
auto SqlDatabase::WithConnection(Body&& body) -> std::invoke_result_t<Body&, SqlConnection&> {
  core::Result<ConnectionPool::Lease> lease = pool_.Acquire();
  if (!lease) return std::move(lease).error();
  return body(**lease);
}

core::Result<int> SqlDatabase::SchemaVersion() {
  return WithConnection([&](SqlConnection& c) { return Migrator(*backend_, c).CurrentVersion(); });
}

int SqlDatabase::LatestSchemaVersion() const {
  const auto migrations = backend_->Migrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

core::Result<std::vector<MigrationStatus>> SqlDatabase::Migrate(std::optional<int> target) {
  return WithConnection([&](SqlConnection& c) { return Migrator(*backend_, c).Migrate(target); });
}

core::Result<std::vector<MigrationStatus>> SqlDatabase::MigrationStatuses() {
  return WithConnection([&](SqlConnection& c) { return Migrator(*backend_, c).Status(); });
}

core::Result<RetentionResult> SqlDatabase::DropStepLogsBefore(std::int64_t cutoff) {
  return WithConnection([&](SqlConnection& c) { return backend_->DropLogsBefore(c, cutoff); });
}

core::Result<void> SqlDatabase::Housekeep(Upkeep upkeep) {
  return WithConnection([&](SqlConnection& c) { return backend_->Housekeep(c, upkeep); });
}

core::Result<void> SqlDatabase::PrepareToRecord() {
  std::vector<std::string> statements = SqlRunStore::RecordingStatements();
  for (std::string& sql : SqlSuiteStore::RecordingStatements()) {
    statements.push_back(std::move(sql));
  }
  std::vector<ConnectionPool::Lease> leases;
  for (std::size_t i = 0; i < std::min<std::size_t>(2, backend_->MaxConnections()); ++i) {
    core::Result<ConnectionPool::Lease> lease = pool_.Acquire();  // held: the next is another
    if (!lease) return std::move(lease).error();
    for (const std::string& sql : statements) FLOW_TRY_VOID((*lease)->PrepareAhead(sql));
    leases.push_back(std::move(*lease));
  }
  return core::Ok();
}

core::Result<std::string> SqlDatabase::DescribeSchema() {
  return WithConnection([&](SqlConnection& c) { return backend_->DescribeSchema(c); });
}

}  // namespace flow::adapters::storage
