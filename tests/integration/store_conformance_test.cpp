// The repository conformance suite (store_conformance.hpp) against SQLite and a real
// PostgreSQL, and what only a database keeps at rest: encrypted or masked checkpoints and MFA
// secrets, the step_log retention.
#include "tests/integration/store_conformance.hpp"

#include <map>

#include "adapters/memory/in_memory_database.hpp"
#include "tests/support/store_backends.hpp"

namespace flow::testing {
namespace {

// A factory over one dialect: each test gets a fresh database (a temporary SQLite file, or a new
// database on the PostgreSQL server of $FLOW_PG_URL).
StoreFactory SqlFactory(std::string name, TestDatabaseMaker maker) {
  return StoreFactory{
      .name = std::move(name),
      .make = [maker]() -> std::unique_ptr<service::Database> {
        std::string error;
        std::unique_ptr<service::Database> db = OpenOwned(maker(error), error);
        if (!db) ADD_FAILURE() << error;
        return db;
      },
      .unavailable = [maker] {
        return maker == &NewPgDatabase ? PgUnavailableReason() : std::string();
      }};
}
StoreFactory SqliteFactory() { return SqlFactory("Sqlite", &NewSqliteDatabase); }
StoreFactory PostgresFactory() { return SqlFactory("Postgres", &NewPgDatabase); }

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(SqliteFactory()),
                         StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(PostgresFactory()),
                         StoreFactoryName);
// The in-memory stores the use cases' unit tests run on must behave as the databases do.
INSTANTIATE_TEST_SUITE_P(
    Memory, StoreConformance,
    ::testing::Values(StoreFactory{
        .name = "Memory",
        .make = []() -> std::unique_ptr<service::Database> {
          return std::make_unique<adapters::InMemoryDatabase>();
        },
        .unavailable = [] { return std::string(); }}),
    StoreFactoryName);

// ---- at rest: what only the SQL databases store -------------------------------------------------

class AtRest : public ::testing::TestWithParam<DialectParam> {
 protected:
  void SetUp() override {
    std::string reason;
    place_ = GetParam().make(reason);
    if (!place_) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(reason);
  }
  std::unique_ptr<adapters::storage::SqlDatabase> Open(std::optional<adapters::SecretKey> key,
                                                       adapters::Warn warn = {}) {
    adapters::storage::DatabaseOptions options{.cipher = adapters::CheckpointCipher(key, warn)};
    return Ok(place_->Open(std::move(options)));
  }
  std::string RawCell(const std::string& sql) {
    const auto rows = Ok(place_->Raw(sql));
    return rows.rows.empty() ? std::string() : rows.rows[0].Text(0);
  }
  std::int64_t Count(const std::string& table) {
    return Ok(place_->Raw("SELECT count(*) FROM " + table)).rows.at(0).Int(0);
  }

  std::unique_ptr<TestDatabase> place_;
};

const core::Value kState = {{"secrets", {"tok-ABCDEF-123", "pw-hunter22"}},
                            {"variables", {{"token", "tok-ABCDEF-123"}, {"note", "public"}}},
                            {"cursor", 3}};

TEST_P(AtRest, CheckpointsAreEncryptedWithTheKeyAndRefusedWithoutIt) {
  std::string run_id;
  {
    auto db = Open(TestKey());
    const auto version = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
    run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = version.version.id})).id;
    Ok(db->runs().SaveCheckpoint(run_id, kState));
    EXPECT_TRUE(core::DeepEqual(Ok(db->runs().FindRun(run_id))->checkpoint, kState));
  }
  const std::string raw = RawCell("SELECT checkpoint FROM flow_run");
  EXPECT_NE(raw.find("secretbox-v1"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("tok-ABCDEF-123"), std::string::npos);
  EXPECT_EQ(raw.find("public"), std::string::npos);
  {
    auto db = Open(std::nullopt);
    const auto found = db->runs().FindRun(run_id);
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("FLOWTEST_SECRET_KEY is not set"), std::string::npos);
    // Listings do not carry checkpoints, so they still work.
    EXPECT_EQ(Ok(db->runs().ListRuns({})).size(), 1u);
  }
  {
    auto db = Open(TestKey(1));
    const auto found = db->runs().FindRun(run_id);
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("cannot be decrypted"), std::string::npos);
  }
}

TEST_P(AtRest, SuiteTextsWithSecretsAreSealedWithTheKeyAndRefusedWithoutIt) {
  const service::NewVersion v{.node_id = "s",
                              .yaml_raw = "variables:\n  password: s3cret-pw\n",
                              .secret_values = {"s3cret-pw"}};
  std::string version_id;
  {
    auto db = Open(TestKey());
    const auto saved = Ok(db->suites().SaveVersion(v));
    version_id = saved.version.id;
    EXPECT_EQ(saved.version.yaml_raw, v.yaml_raw);
    EXPECT_EQ(Ok(db->suites().FindVersion(version_id))->yaml_raw, v.yaml_raw);  // round trip
    EXPECT_EQ(Ok(db->suites().ListVersions(saved.suite.id)).at(0).yaml_raw, v.yaml_raw);
  }
  const std::string raw = RawCell("SELECT yaml_raw FROM flow_version");
  EXPECT_NE(raw.find("secretbox-v1"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("s3cret-pw"), std::string::npos);
  EXPECT_EQ(raw.find("password"), std::string::npos);
  EXPECT_EQ(RawCell("SELECT yaml_hash FROM flow_version"), core::Sha256Hex(v.yaml_raw));
  {
    auto db = Open(std::nullopt);
    const auto found = db->suites().FindVersion(version_id);
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("FLOWTEST_SECRET_KEY is not set"), std::string::npos)
        << found.error().message;
    EXPECT_NE(found.error().message.find(version_id), std::string::npos);
    // Saving the same text again still finds it by its hash, with no need to open it.
    const auto again = Ok(db->suites().SaveVersion(v));
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.version.id, version_id);
  }
  {
    auto db = Open(TestKey(1));
    const auto found = db->suites().FindVersion(version_id);
    ASSERT_FALSE(found);
    EXPECT_NE(found.error().message.find("cannot be decrypted"), std::string::npos);
  }
}

TEST_P(AtRest, WithoutAKeyCheckpointSecretsAreMaskedAndAWarningGivenOnce) {
  std::vector<std::string> warnings;
  auto db = Open(std::nullopt, [&](std::string_view w) { warnings.emplace_back(w); });
  const auto version = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
  const std::string run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = version.version.id})).id;
  Ok(db->runs().SaveCheckpoint(run_id, kState));
  Ok(db->runs().SaveCheckpoint(run_id, kState));
  const std::string raw = RawCell("SELECT checkpoint FROM flow_run");
  EXPECT_EQ(raw.find("tok-ABCDEF-123"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("pw-hunter22"), std::string::npos) << raw;
  EXPECT_NE(raw.find("public"), std::string::npos);
  const auto found = Ok(db->runs().FindRun(run_id));
  EXPECT_EQ(found->checkpoint["variables"]["token"], "***");
  EXPECT_EQ(found->checkpoint["cursor"], 3);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("FLOWTEST_SECRET_KEY"), std::string::npos);
}

TEST_P(AtRest, MfaSecretsAreSealedAndNeedTheKey) {
  {
    auto db = Open(std::nullopt);
    EXPECT_EQ(CodeOf(db->users().CreateUser(service::UserRecord{
                  .email = "a@x.io", .password_hash = "h", .mfa_secret = "JBSWY3DPEHPK3PXP"})),
              core::ErrorCode::kInvalidArgument);
  }
  auto db = Open(TestKey());
  const auto user = Ok(db->users().CreateUser(service::UserRecord{
      .email = "a@x.io", .password_hash = "h", .mfa_secret = "JBSWY3DPEHPK3PXP"}));
  EXPECT_EQ(Ok(db->users().FindUser(user.id))->mfa_secret, "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(Ok(db->users().ListUsers())[0].mfa_secret, "JBSWY3DPEHPK3PXP");
  const std::string raw = RawCell("SELECT mfa_secret FROM user_account");
  EXPECT_EQ(raw.find("JBSWY3DPEHPK3PXP"), std::string::npos);
  EXPECT_NE(raw.find("secretbox-v1"), std::string::npos);
}

TEST_P(AtRest, RetentionRemovesOldStepLogs) {
  auto db = Open(std::nullopt);
  const auto version = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
  const std::string run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = version.version.id})).id;
  // 2026-10-15, 2026-11-15, 2026-12-15 (UTC)
  const std::int64_t oct = 1'792'022'400'000, nov = 1'794'700'800'000, dec = 1'797'292'800'000;
  service::RecordedStep step;
  step.step.step_name = "s";
  for (std::int64_t t : {oct, oct + 1, nov, dec}) {
    step.logs.push_back(service::StepLogRecord{.message = "at " + std::to_string(t), .timestamp = t});
  }
  Ok(db->runs().RecordStep(run_id, step));
  EXPECT_EQ(Ok(db->runs().ListLogs(run_id)).size(), 4u);
  // Cut at 2026-11-20: October goes; November straddles the cut.
  const adapters::storage::RetentionResult result = Ok(db->DropStepLogsBefore(1'795'132'800'000));
  const auto logs = Ok(db->runs().ListLogs(run_id));
  if (place_->dialect() == "postgres") {
    EXPECT_EQ(result.dropped_partitions, std::vector<std::string>{"step_log_p2026_10"});
    EXPECT_EQ(logs.size(), 2u);  // November's partition is kept whole
  } else {
    EXPECT_EQ(result.deleted_rows, 3);
    EXPECT_EQ(logs.size(), 1u);
  }
  EXPECT_EQ(logs.back().timestamp, dec);
  // Logs can be written again for the month that was dropped.
  step.logs = {service::StepLogRecord{.message = "late", .timestamp = oct}};
  Ok(db->runs().RecordStep(run_id, step));
  EXPECT_EQ(Ok(db->runs().ListLogs(run_id)).size(), logs.size() + 1);
}

TEST_P(AtRest, RetentionByAnotherProcessDoesNotBreakLateWrites) {
  auto writer = Open(std::nullopt);
  auto janitor = Open(std::nullopt);  // stands for `flowtest db retention` in another process
  const auto version = Ok(writer->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
  const std::string run_id = Ok(writer->runs().CreateRun(service::NewRun{.version_id = version.version.id})).id;
  const std::int64_t jan_2020 = 1'579'046'400'000;  // 2020-01-15
  service::RecordedStep step;
  step.step.step_name = "s";
  step.logs = {service::StepLogRecord{.message = "early", .timestamp = jan_2020}};
  Ok(writer->runs().RecordStep(run_id, step));
  const auto result = Ok(janitor->DropStepLogsBefore(1'583'020'800'000));  // 2020-03-01
  EXPECT_TRUE(Ok(writer->runs().ListLogs(run_id)).empty());
  if (place_->dialect() == "postgres") {
    EXPECT_EQ(result.dropped_partitions, std::vector<std::string>{"step_log_p2020_01"});
  }
  // The writer's month of January 2020 is gone; writing to it again recreates it.
  step.logs = {service::StepLogRecord{.message = "late", .timestamp = jan_2020 + 1}};
  Ok(writer->runs().RecordStep(run_id, step));
  const auto logs = Ok(writer->runs().ListLogs(run_id));
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].message, "late");
}

TEST_P(AtRest, PurgeCascadesThroughEveryTable) {
  auto db = Open(std::nullopt);
  const auto version = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
  const std::string run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = version.version.id, .queued_at = 10})).id;
  service::RecordedStep step;
  step.step.step_name = "s";
  step.logs = {service::StepLogRecord{.message = "m", .timestamp = 1'797'292'800'000}};
  step.variables = {service::VariableSnapshotRecord{.key = "k", .value = 1}};
  step.event = service::StepEvent{.type = "t"};
  const auto recorded = Ok(db->runs().RecordStep(run_id, step));
  Ok(db->retries().CreateRetryRequest(service::RetryRequestRecord{.flow_run_id = run_id, .step_run_id = recorded.step_run_id, .requested_by = "u"}));
  Ok(db->jobs().CreateJob(service::JobRecord{.flow_run_id = run_id, .run_at = 0}));
  Ok(db->runs().SetRunStatus(run_id, RunStatus::kCompleted, 20));
  const std::vector<std::string> tables = {"step_run", "step_log", "variable_snapshot", "flow_run_event", "manual_retry_request", "queue_job", "flow_run"};
  for (const auto& t : tables) EXPECT_EQ(Count(t), 1) << t;
  EXPECT_EQ(Ok(db->runs().PurgeRuns(100)), 1u);
  for (const auto& t : tables) EXPECT_EQ(Count(t), 0) << t;
  EXPECT_EQ(Count("flow_version"), 1);
}

// PrepareToRecord readies two connections with the statements recording a run runs: each must
// be valid SQL of the dialect (SQLite prepares them now), and recording works after it.
TEST_P(AtRest, PrepareToRecordReadiesTheRecordingStatements) {
  auto db = Open(std::nullopt);
  Ok(db->PrepareToRecord());
  Ok(db->PrepareToRecord());  // again: harmless
  const auto version = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "p", .yaml_raw = "x"}));
  const std::string run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = version.version.id, .status = RunStatus::kRunning})).id;
  service::RunWrite write;
  service::RecordedStep step;
  step.step.step_name = "one";
  step.logs = {service::StepLogRecord{.message = "m", .timestamp = 1'797'292'800'000}};
  step.variables = {service::VariableSnapshotRecord{.key = "k", .value = 1}};
  step.event = service::StepEvent{.type = "step_completed"};
  write.steps.push_back(std::move(step));
  write.events = {service::RunEventRecord{.type = "run_completed"}};
  write.end = service::RunWrite::End{.status = RunStatus::kCompleted, .at = 5};
  Ok(db->runs().Record(run_id, std::move(write)));
  EXPECT_EQ(Ok(db->runs().ListEvents(run_id, 0, 10)).size(), 2u);
  EXPECT_EQ(Ok(db->runs().FindRun(run_id))->status, RunStatus::kCompleted);
  EXPECT_FALSE(Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "p", .yaml_raw = "x"})).created);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AtRest, ::testing::Values(SqliteParam()), DialectParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, AtRest, ::testing::Values(PostgresParam()), DialectParamName);

}  // namespace
}  // namespace flow::testing
