// The stores of the service (service/ports/*_store.hpp, audit_log.hpp) written once over
// SqlConnection for both dialects (docs/adr/0005-storage.md). Each call is one transaction on a
// pooled connection (RunTransaction). Concurrency is handled in SQL: a suite row locked by its
// upsert serializes SaveVersion of one suite; per-run counters (flow_run.step_seq, event_seq)
// raised in the same transaction give gap-free sequence numbers; ClaimJob takes a row with
// FOR UPDATE SKIP LOCKED (PostgreSQL) or inside BEGIN IMMEDIATE (SQLite); conditional updates
// (epoch, retry request status) detect lost races. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>

#include "adapters/sodium/checkpoint_cipher.hpp"
#include "adapters/storage_sql/connection_pool.hpp"
#include "adapters/storage_sql/sql_backend.hpp"
#include "service/ports/audit_log.hpp"
#include "service/ports/job_store.hpp"
#include "service/ports/retry_store.hpp"
#include "service/ports/run_store.hpp"
#include "service/ports/suite_store.hpp"
#include "service/ports/user_store.hpp"

namespace flow::adapters::storage {

// What every store shares; owned by the SqlDatabase, borrowed by the stores.
struct SqlContext {
  SqlBackend& backend;
  ConnectionPool& pool;
  const CheckpointCipher& cipher;
  std::function<std::int64_t()> now;  // unix ms, for the times a store fills in
};

class SqlSuiteStore final : public service::SuiteStore {
 public:
  explicit SqlSuiteStore(SqlContext& context) : ctx_(context) {}
  // The statements SaveVersion runs for a suite it has seen (SqlDatabase::PrepareToRecord).
  static std::vector<std::string> RecordingStatements();
  core::Result<service::SavedVersion> SaveVersion(service::NewVersion version) override;
  core::Result<std::optional<service::SuiteRecord>> FindSuite(const std::string& node_id) override;
  core::Result<std::vector<service::SuiteRecord>> ListSuites() override;
  core::Result<std::vector<service::VersionRecord>> ListVersions(
      const std::string& suite_id) override;
  core::Result<std::optional<service::VersionRecord>> FindVersion(const std::string& id) override;

 private:
  SqlContext& ctx_;
};

class SqlRunStore final : public service::RunStore {
 public:
  explicit SqlRunStore(SqlContext& context) : ctx_(context) {}
  // The statements recording a run runs (SqlDatabase::PrepareToRecord).
  static std::vector<std::string> RecordingStatements();
  core::Result<service::RunRecord> CreateRun(const service::NewRun& run) override;
  core::Result<void> SetRunStatus(const std::string& run_id, service::RunStatus status,
                                  std::int64_t at) override;
  core::Result<void> FinishRun(const std::string& run_id, service::RunStatus status,
                               const service::Value& result_summary, std::int64_t at) override;
  core::Result<void> SaveCheckpoint(const std::string& run_id,
                                    const service::Value& checkpoint) override;
  core::Result<std::vector<Recorded>> Record(const std::string& run_id,
                                             service::RunWrite write) override;
  core::Result<service::RunEventRecord> AppendEvent(const std::string& run_id, std::string type,
                                                    service::Value payload,
                                                    std::int64_t at) override;
  core::Result<void> AddVariables(const std::string& run_id,
                                  std::vector<service::VariableSnapshotRecord> variables) override;
  core::Result<std::optional<service::RunRecord>> FindRun(const std::string& run_id) override;
  core::Result<std::vector<service::RunRecord>> ListRuns(const service::RunFilter& filter) override;
  core::Result<std::vector<service::StepRunRecord>> ListSteps(const std::string& run_id) override;
  core::Result<std::vector<service::StepLogRecord>> ListLogs(const std::string& run_id) override;
  core::Result<std::vector<service::VariableSnapshotRecord>> ListVariables(
      const std::string& run_id) override;
  using service::RunStore::ListEvents;
  core::Result<std::vector<service::RunEventRecord>> ListEvents(const std::string& run_id,
                                                                std::int64_t after_seq,
                                                                std::size_t limit,
                                                                EventSteps steps) override;
  core::Result<std::size_t> PurgeRuns(std::int64_t before) override;

 private:
  SqlContext& ctx_;
};

class SqlRetryStore final : public service::RetryStore {
 public:
  explicit SqlRetryStore(SqlContext& context) : ctx_(context) {}
  core::Result<service::RetryRequestRecord> CreateRetryRequest(
      service::RetryRequestRecord request) override;
  core::Result<service::RetryRequestRecord> ResolveRetryRequest(const std::string& id,
                                                                service::RetryRequestStatus to,
                                                                std::string notes,
                                                                std::int64_t at) override;
  core::Result<std::optional<service::RetryRequestRecord>> FindRetryRequest(
      const std::string& id) override;
  core::Result<std::vector<service::RetryRequestRecord>> ListRetryRequests(
      const std::string& flow_run_id) override;

 private:
  SqlContext& ctx_;
};

class SqlJobStore final : public service::JobStore {
 public:
  explicit SqlJobStore(SqlContext& context) : ctx_(context) {}
  core::Result<service::JobRecord> CreateJob(service::JobRecord job) override;
  core::Result<std::optional<service::JobRecord>> FindJob(const std::string& id) override;
  core::Result<std::optional<service::JobRecord>> ClaimJob(const std::string& queue_name,
                                                           const std::string& owner,
                                                           std::int64_t now,
                                                           std::int64_t lease_ms) override;
  core::Result<service::JobRecord> UpdateJob(const std::string& id, std::int64_t epoch,
                                             service::JobState state, std::string last_error,
                                             std::int64_t run_at, std::int64_t now) override;
  core::Result<std::vector<service::JobRecord>> ListJobs(std::optional<service::JobState> state,
                                                         std::size_t limit) override;

 private:
  SqlContext& ctx_;
};

class SqlUserStore final : public service::UserStore {
 public:
  explicit SqlUserStore(SqlContext& context) : ctx_(context) {}
  core::Result<service::UserRecord> CreateUser(service::UserRecord user) override;
  core::Result<std::optional<service::UserRecord>> FindUserByEmail(
      const std::string& email) override;
  core::Result<std::optional<service::UserRecord>> FindUser(const std::string& id) override;
  core::Result<std::vector<service::UserRecord>> ListUsers() override;
  core::Result<std::vector<service::RoleRecord>> ListRoles() override;
  core::Result<service::UserRecord> UpdateUser(const service::UserRecord& user) override;
  core::Result<service::ApiTokenRecord> CreateToken(service::ApiTokenRecord token) override;
  core::Result<std::optional<service::ApiTokenRecord>> FindTokenByHash(
      const std::string& hash) override;
  core::Result<std::vector<service::ApiTokenRecord>> ListTokens(
      const std::string& user_id) override;
  core::Result<void> RevokeToken(const std::string& id, std::int64_t at) override;
  core::Result<void> TouchToken(const std::string& id, std::int64_t at) override;

 private:
  SqlContext& ctx_;
};

class SqlAuditLog final : public service::AuditLog {
 public:
  explicit SqlAuditLog(SqlContext& context) : ctx_(context) {}
  core::Result<service::AuditRecord> Append(service::AuditRecord record) override;
  core::Result<std::vector<service::AuditRecord>> List(const service::AuditFilter& filter) override;

 private:
  SqlContext& ctx_;
};

}  // namespace flow::adapters::storage
