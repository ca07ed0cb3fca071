// Migrations of both dialects: from an empty database to the latest version, and from each
// earlier version with data in it (the data survives, and the schema ends equal to a fresh one:
// tables, columns and their types, constraints, indexes); a database newer than the binary, or
// with an edited migration, is refused; concurrent migrators apply each migration once. And
// SQLite's own upkeep of its write-ahead log.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "adapters/storage/open_database.hpp"
#include "adapters/storage_pg/pg_backend.hpp"
#include "adapters/storage_sql/migrator.hpp"
#include "adapters/storage_sqlite/sqlite_backend.hpp"
#include "core/util/digest.hpp"
#include "tests/support/result_helpers.hpp"
#include "tests/support/store_backends.hpp"

namespace flow::testing {
namespace {

using adapters::storage::DatabaseOptions;
using adapters::storage::SqlDatabase;

constexpr const char* kSuite = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* kVersion = "aaaaaaaa-0000-4000-8000-000000000002";
constexpr const char* kRun = "aaaaaaaa-0000-4000-8000-000000000003";
constexpr const char* kStep = "aaaaaaaa-0000-4000-8000-000000000004";
constexpr const char* kJob = "aaaaaaaa-0000-4000-8000-000000000005";
constexpr const char* kRetry = "aaaaaaaa-0000-4000-8000-000000000006";
constexpr const char* kUser = "aaaaaaaa-0000-4000-8000-000000000007";
constexpr std::int64_t kLogTime = 1'797'292'800'000;  // 2026-12-15

// Rows as the schema of each version takes them, in SQL both dialects run (flow_ts and
// flow_text_array are the conversion functions of sql_backend.hpp).
std::vector<std::string> DataOfVersion(int version) {
  const std::string s = kSuite, v = kVersion, r = kRun, st = kStep;
  switch (version) {
    case 1:
      return {
          "INSERT INTO flow_suite (id, node_id, name, description, default_priority, tags, "
          "created_at, updated_at) VALUES ('" + s + "', 'legacy', 'Legacy ☃', '', 'high', "
          "flow_text_array('[\"old\",\"ünï\"]'), flow_ts(1000), flow_ts(1000))",
          "INSERT INTO flow_version (id, suite_id, version, yaml_raw, yaml_hash, "
          "effective_variables, compiled_config, created_by, created_at) VALUES ('" + v + "', '" +
              s + "', 1, 'steps: []', '" + core::Sha256Hex("steps: []") +
              "', '{\"a\": [1, 2]}', '{}', '', flow_ts(1000))",
          "INSERT INTO flow_run (id, version_id, batch_id, status, trigger_source, priority, "
          "requested_by, queued_at, finished_at, input_payload, result_summary, checkpoint, "
          "step_seq, event_seq) VALUES ('" + r + "', '" + v + "', 'b1', 'completed', 'cli', 'high', "
          "'', flow_ts(2000), flow_ts(3000), '{}', '{\"passed\": 3}', NULL, 1, 1)",
          "INSERT INTO step_run (id, flow_run_id, seq, step_index, step_name, status, assertions, "
          "captures, duration_ms, attempt, depth, parent_step_id) VALUES ('" + st + "', '" + r +
              "', 1, 0, 'get', 'success', '[]', '{}', 12.5, 1, 0, '')",
          "INSERT INTO step_log (step_run_id, log_level, message, payload, timestamp) VALUES ('" +
              st + "', 'info', 'hello', NULL, flow_ts(" + std::to_string(kLogTime) + "))",
          "INSERT INTO variable_snapshot (flow_run_id, step_run_id, scope, key, value, source, "
          "created_at) VALUES ('" + r + "', '" + st + "', 'step', 'id', '42', 'capture', flow_ts(2500))",
          "INSERT INTO flow_run_event (flow_run_id, seq, type, payload, created_at) VALUES ('" + r +
              "', 1, 'step_completed', '{\"step_name\": \"get\"}', flow_ts(2600))"};
    case 2:
      return {
          "INSERT INTO queue_job (id, flow_run_id, queue_name, state, priority, run_at, epoch, "
          "created_at, updated_at) VALUES ('" + std::string(kJob) + "', '" + r +
              "', 'runs', 'completed', 'high', flow_ts(2000), 1, flow_ts(2000), flow_ts(3000))",
          "UPDATE flow_run SET queue_job_id = '" + std::string(kJob) + "'",
          "INSERT INTO manual_retry_request (id, flow_run_id, step_run_id, requested_by, reason, "
          "status, created_at) VALUES ('" + std::string(kRetry) + "', '" + r + "', '" + st +
              "', 'ana', 'flaky', 'pending', flow_ts(4000))"};
    case 3:
      return {
          "INSERT INTO user_account (id, email, name, password_hash, roles, created_at) VALUES ('" +
              std::string(kUser) + "', 'ana@example.com', 'Ana', 'h', flow_text_array('[\"admin\"]'), "
              "flow_ts(5000))",
          "INSERT INTO audit_log (actor_id, action, created_at) VALUES ('', 'user.create', "
          "flow_ts(5000))"};
    default:
      return {};
  }
}

class Migrations : public ::testing::TestWithParam<DialectParam> {
 protected:
  std::unique_ptr<TestDatabase> Fresh() {
    std::string reason;
    auto place = GetParam().make(reason);
    if (!place) skip_reason_ = reason;
    return place;
  }
  void SetUp() override {
    place_ = Fresh();
    if (!place_) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(skip_reason_);
  }
  std::unique_ptr<SqlDatabase> OpenAsIs(const TestDatabase& place) {
    return Ok(place.Open(DatabaseOptions{.migrate = false}));
  }
  std::string FreshSchema() {
    auto fresh = Fresh();
    if (!fresh) return "no fresh database";
    return Ok(Ok(fresh->Open())->DescribeSchema());
  }

  std::unique_ptr<TestDatabase> place_;
  std::string skip_reason_;
};

TEST_P(Migrations, FromEmptyToTheLatestVersion) {
  auto db = OpenAsIs(*place_);
  EXPECT_EQ(Ok(db->SchemaVersion()), 0);
  const auto pending = Ok(db->MigrationStatuses());
  ASSERT_EQ(pending.size(), static_cast<std::size_t>(db->LatestSchemaVersion()));
  for (const auto& m : pending) EXPECT_FALSE(m.applied) << m.name;
  const auto applied = Ok(db->Migrate());
  EXPECT_EQ(applied.size(), pending.size());
  EXPECT_EQ(Ok(db->SchemaVersion()), db->LatestSchemaVersion());
  for (const auto& m : Ok(db->MigrationStatuses())) {
    EXPECT_TRUE(m.applied) << m.name;
    EXPECT_TRUE(m.applied_at);
  }
  EXPECT_TRUE(Ok(db->Migrate()).empty());  // nothing left to do
  const std::string schema = Ok(db->DescribeSchema());
  for (const char* table : {"flow_suite", "flow_version", "flow_run", "step_run", "step_log",
                            "variable_snapshot", "manual_retry_request", "queue_job",
                            "user_account", "api_token", "audit_log", "flow_run_event",
                            "schema_migrations"}) {
    EXPECT_NE(schema.find(table), std::string::npos) << table;
  }
  EXPECT_NE(schema.find("flow_run_status_priority_queued_at"), std::string::npos);
  if (place_->dialect() == "postgres") {
    EXPECT_NE(schema.find("USING gin (tags)"), std::string::npos);
    EXPECT_NE(schema.find("USING gin (result_summary)"), std::string::npos);
    EXPECT_NE(schema.find("partitioned step_log RANGE (\"timestamp\")"), std::string::npos) << schema;
  }
}

TEST_P(Migrations, EveryForeignKeyIsTheFirstColumnOfAnIndex) {
  Ok(place_->Open());
  // Each row: a table and a foreign-key column of it that no index starts with.
  const std::string sql =
      place_->dialect() == "postgres"
          ? "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c JOIN pg_attribute a "
            "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] WHERE c.contype = 'f' AND NOT "
            "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = "
            "c.conkey[1])"
          : "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
            "WHERE m.type = 'table' AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) il, "
            "pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = f.\"from\")";
  const auto unindexed = Ok(place_->Raw(sql));
  for (const auto& row : unindexed.rows) ADD_FAILURE() << row.Text(0) << "." << row.Text(1);
  // The query does see foreign keys.
  const std::string count_sql =
      place_->dialect() == "postgres"
          ? "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
          : "SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'";
  EXPECT_GE(Ok(place_->Raw(count_sql)).rows.at(0).Int(0), 12);
}

TEST_P(Migrations, FromEachEarlierVersionKeepingTheData) {
  const std::string expected_schema = FreshSchema();
  int latest = 0;
  {
    auto db = OpenAsIs(*place_);
    latest = db->LatestSchemaVersion();
  }
  for (int from = 1; from < latest; ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    auto place = Fresh();
    ASSERT_TRUE(place) << skip_reason_;
    {
      auto db = OpenAsIs(*place);
      EXPECT_EQ(Ok(db->Migrate(from)).size(), static_cast<std::size_t>(from));
      EXPECT_EQ(Ok(db->SchemaVersion()), from);
    }
    if (place->dialect() == "postgres") {
      Ok(place->Raw("CREATE TABLE step_log_p2026_12 PARTITION OF step_log FOR VALUES FROM "
                    "('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')"));
    }
    for (int v = 1; v <= from; ++v) {
      for (const std::string& sql : DataOfVersion(v)) Ok(place->Raw(sql));
    }
    auto db = Ok(place->Open());  // migrates the rest
    EXPECT_EQ(Ok(db->SchemaVersion()), latest);
    EXPECT_EQ(Ok(db->DescribeSchema()), expected_schema);

    const auto suite = Ok(db->suites().FindSuite("legacy"));
    ASSERT_TRUE(suite);
    EXPECT_EQ(suite->name, "Legacy ☃");
    EXPECT_EQ(suite->tags, (std::vector<std::string>{"old", "ünï"}));
    EXPECT_EQ(suite->default_priority, service::Priority::kHigh);
    const auto version = Ok(db->suites().FindVersion(kVersion));
    ASSERT_TRUE(version);
    EXPECT_EQ(version->effective_variables["a"][1], 2);
    const auto run = Ok(db->runs().FindRun(kRun));
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, service::RunStatus::kCompleted);
    EXPECT_EQ(run->queued_at, 2000);
    EXPECT_EQ(run->finished_at, 3000);
    EXPECT_EQ(run->result_summary["passed"], 3);
    EXPECT_EQ(run->node_id, "legacy");
    const auto steps = Ok(db->runs().ListSteps(kRun));
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_DOUBLE_EQ(steps[0].duration_ms, 12.5);
    const auto logs = Ok(db->runs().ListLogs(kRun));
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].message, "hello");
    EXPECT_EQ(logs[0].timestamp, kLogTime);
    EXPECT_EQ(Ok(db->runs().ListVariables(kRun)).at(0).value, 42);
    const auto events = Ok(db->runs().ListEvents(kRun, 0, 10));
    ASSERT_EQ(events.size(), 1u);
    // A step's event recorded before 0007 keeps the payload it stored, and names no step.
    EXPECT_EQ(events[0].payload["step_name"], "get");
    EXPECT_FALSE(events[0].step_seq);
    EXPECT_FALSE(events[0].step);
    // The old run goes on numbering where it stopped.
    EXPECT_EQ(Ok(db->runs().AppendEvent(kRun, "note", core::Value::object(), 1)).seq, 2);
    service::RecordedStep next;
    next.step.step_name = "next";
    next.event = service::StepEvent{.type = "step_completed"};
    EXPECT_EQ(Ok(db->runs().RecordStep(kRun, next)).event_seq, 3);
    EXPECT_EQ(Ok(db->runs().ListSteps(kRun)).back().seq, 2);
    const auto after = Ok(db->runs().ListEvents(kRun, 2, 10));
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].step_seq, 2);
    ASSERT_TRUE(after[0].step);
    EXPECT_EQ(after[0].step->step_name, "next");
    if (from >= 2) {
      EXPECT_EQ(run->queue_job_id, kJob);
      EXPECT_EQ(Ok(db->jobs().FindJob(kJob))->epoch, 1);
      EXPECT_EQ(Ok(db->retries().FindRetryRequest(kRetry))->reason, "flaky");
    } else {
      EXPECT_FALSE(run->queue_job_id);
    }
    // What later versions added works on the migrated data.
    const auto job = Ok(db->jobs().CreateJob(service::JobRecord{.flow_run_id = kRun, .run_at = 0}));
    EXPECT_EQ(Ok(db->runs().FindRun(kRun))->queue_job_id, job.id);
    Ok(db->users().CreateUser(service::UserRecord{.email = "new@example.com", .password_hash = "h"}));
    Ok(db->audit().Append(service::AuditRecord{.action = "run.create"}));
  }
}

TEST_P(Migrations, FreshAndUpgradedDatabasesOfTheLatestVersionHaveEqualSchemas) {
  // The schema description is a real comparison: an older database differs (in SQLite, one
  // migration short: 0005 changes only CHECK constraints, which the description shows).
  auto db = OpenAsIs(*place_);
  Ok(db->Migrate(place_->dialect() == "sqlite" ? db->LatestSchemaVersion() - 1 : 3));
  EXPECT_NE(Ok(db->DescribeSchema()), FreshSchema());
  Ok(db->Migrate());
  EXPECT_EQ(Ok(db->DescribeSchema()), FreshSchema());
}

TEST_P(Migrations, ADatabaseNewerThanTheBinaryIsRefused) {
  int latest = 0;
  {
    auto db = Ok(place_->Open());
    latest = db->LatestSchemaVersion();
  }
  const std::string future = std::to_string(latest + 1);
  Ok(place_->Raw("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (" +
                 future + ", '" + future + "_future', 'x', 0)"));
  const auto refused = place_->Open();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("schema version " + future), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("(" + std::to_string(latest) + ")"), std::string::npos)
      << refused.error().message;
  // --status still shows it, as not known to this binary.
  const auto statuses = Ok(OpenAsIs(*place_)->MigrationStatuses());
  ASSERT_EQ(statuses.size(), static_cast<std::size_t>(latest + 1));
  EXPECT_FALSE(statuses.back().known);
  EXPECT_TRUE(statuses.back().applied);
}

TEST_P(Migrations, AnEditedMigrationIsRefused) {
  { Ok(place_->Open()); }
  Ok(place_->Raw("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"));
  const auto refused = place_->Open();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("0001_runs"), std::string::npos) << refused.error().message;
}

TEST_P(Migrations, ConcurrentMigratorsApplyEachMigrationOnce) {
  constexpr int kOpeners = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::string first_error;
  std::mutex mutex;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&] {
      auto db = place_->Open();
      if (!db) {
        ++failures;
        std::lock_guard lock(mutex);
        first_error = db.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  auto db = Ok(place_->Open());
  const auto rows = Ok(place_->Raw("SELECT count(*), count(DISTINCT version) FROM schema_migrations"));
  EXPECT_EQ(rows.rows.at(0).Int(0), db->LatestSchemaVersion());
  EXPECT_EQ(rows.rows.at(0).Int(1), db->LatestSchemaVersion());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, Migrations, ::testing::Values(SqliteParam()), DialectParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, Migrations, ::testing::Values(PostgresParam()), DialectParamName);

// The checksums embedded with the migrations at build time (so that opening a database hashes
// nothing) are those of the SQL embedded, which applied databases hold.
TEST(EmbeddedMigrations, CarryTheSha256OfTheirSql) {
  for (const auto migrations : {adapters::storage::SqliteMigrations(),
                                adapters::storage::PgMigrations()}) {
    ASSERT_FALSE(migrations.empty());
    for (const adapters::storage::Migration& m : migrations) {
      EXPECT_EQ(std::string(m.checksum), core::Sha256Hex(m.sql)) << m.name;
      EXPECT_EQ(adapters::storage::ChecksumOf(m), core::Sha256Hex(m.sql)) << m.name;
    }
  }
  const adapters::storage::Migration bare{.version = 1, .name = "0001_x", .sql = "SELECT 1;"};
  EXPECT_EQ(adapters::storage::ChecksumOf(bare), core::Sha256Hex("SELECT 1;"));
}

// SQLite's 0005: the enumeration CHECKs are comparisons joined by OR (an IN list costs a temporary
// table at every write), and they still refuse what is not a label.
TEST(SqliteSchema, EnumerationChecksAreComparisonsThatStillRefuseOtherValues) {
  std::string reason;
  std::unique_ptr<TestDatabase> place = NewSqliteDatabase(reason);
  ASSERT_TRUE(place) << reason;
  Ok(place->Open());  // migrated
  const adapters::storage::SqlResult tables =
      Ok(place->Raw("SELECT name, sql FROM sqlite_master WHERE type = 'table'"));
  int checked = 0;
  for (const adapters::storage::SqlRow& row : tables.rows) {
    const std::string sql = row.Text(1);
    EXPECT_EQ(sql.find(" IN ("), std::string::npos) << row.Text(0) << ": " << sql;
    if (sql.find("CHECK (status = ") != std::string::npos) ++checked;
  }
  EXPECT_EQ(checked, 3) << "flow_run, step_run and manual_retry_request";
  const auto insert = [&](const std::string& priority) {
    return place->Raw("INSERT INTO flow_suite (id, node_id, name, description, default_priority, "
                      "tags, created_at, updated_at) VALUES (lower(hex(randomblob(16))), '" +
                      priority + "-suite', 'n', '', '" + priority + "', '[]', 1, 1)");
  };
  EXPECT_TRUE(insert("high"));
  EXPECT_TRUE(insert("low"));
  const auto refused = insert("urgent");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("CHECK constraint failed"), std::string::npos)
      << refused.error().message;
}

// A run to record steps into, its suite's version saved first.
std::string NewRunIn(SqlDatabase& db) {
  const service::SavedVersion saved = Ok(db.suites().SaveVersion(
      service::NewVersion{.node_id = "big", .name = "big", .yaml_raw = "steps: []"}));
  return Ok(db.runs().CreateRun(service::NewRun{.version_id = saved.version.id})).id;
}

// SQLite's 0006: the columns written for every step are not parsed again by a json_valid()
// CHECK (the stores write them from JSON values); the run's and version's JSON columns keep theirs.
// A cell that is not JSON (written by hand) reads back as null.
TEST(SqliteSchema, StepColumnsAreNotParsedAgainButRunColumnsAre) {
  std::string reason;
  std::unique_ptr<TestDatabase> place = NewSqliteDatabase(reason);
  ASSERT_TRUE(place) << reason;
  std::unique_ptr<SqlDatabase> db = Ok(place->Open());  // migrated
  const auto definition = [&](const std::string& table) {
    const adapters::storage::SqlResult rows = Ok(place->Raw(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"));
    return rows.rows.at(0).Text(0);
  };
  for (const char* table : {"step_run", "step_log", "variable_snapshot", "flow_run_event"}) {
    EXPECT_EQ(definition(table).find("json_valid"), std::string::npos) << definition(table);
  }
  EXPECT_NE(definition("step_run").find("CHECK (status = "), std::string::npos)
      << "only the JSON checks went";
  EXPECT_NE(definition("flow_run").find("json_valid(result_summary)"), std::string::npos);
  EXPECT_NE(definition("flow_version").find("json_valid(compiled_config)"), std::string::npos);

  const std::string run = NewRunIn(*db);
  service::RecordedStep step;
  step.step.step_name = "one";
  step.step.response_snapshot = core::Value{{"status_code", 200}};
  const std::string step_id = Ok(db->runs().RecordStep(run, std::move(step))).step_run_id;
  EXPECT_EQ(Ok(db->runs().ListSteps(run)).at(0).response_snapshot["status_code"], 200);
  Ok(place->Raw("UPDATE step_run SET response_snapshot = '{not json' WHERE id = '" + step_id +
                "'"));
  EXPECT_TRUE(Ok(db->runs().ListSteps(run)).at(0).response_snapshot.is_null());
  const auto refused = place->Raw("UPDATE flow_run SET result_summary = '{not json'");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("CHECK constraint failed"), std::string::npos)
      << refused.error().message;
}

// `count` steps of about two pages each (an 8000-byte response body), in one batch.
void RecordBigSteps(SqlDatabase& db, const std::string& run_id, int count) {
  std::vector<service::RecordedStep> steps;
  for (int i = 0; i < count; ++i) {
    service::RecordedStep s;
    s.step.step_name = "step";
    s.step.status = service::StepRunStatus::kSuccess;
    s.step.response_snapshot = core::Value{{"body", std::string(8000, 'x')}};
    steps.push_back(std::move(s));
  }
  Ok(db.runs().RecordSteps(run_id, std::move(steps)));
}

// SQLite's write-ahead log is not folded back by the commit that passes 1000 pages (it might be
// the end of a run) but by Housekeep, which a background writer calls between batches.
TEST(SqliteSchema, HousekeepingFoldsALongLogBackIntoTheFile) {
  std::string reason;
  std::unique_ptr<TestDatabase> place = NewSqliteDatabase(reason);
  ASSERT_TRUE(place) << reason;
  std::unique_ptr<SqlDatabase> db = Ok(place->Open());
  const std::string run = NewRunIn(*db);
  for (int batch = 0; batch < 30; ++batch) RecordBigSteps(*db, run, 20);
  // 1200 pages and more are in the log, none in the file yet: no commit folded them back.
  const std::string file = place->url();
  const std::uintmax_t file_before = std::filesystem::file_size(file);
  EXPECT_GT(std::filesystem::file_size(file + "-wal"), 1200u * 4096);
  EXPECT_LT(file_before, 400u * 4096);
  Ok(db->Housekeep());
  EXPECT_GT(std::filesystem::file_size(file), file_before + 1200u * 4096);
  EXPECT_EQ(Ok(db->runs().ListSteps(run)).size(), 600u);
  Ok(db->Housekeep());  // nothing more to do: harmless
}

// `flowtest run` folds back, while its suites load, the log the runs before it left once it is
// longer than 1 MB; the log's file is cut back to 1 MB when the log starts again.
TEST(SqliteSchema, HousekeepingNowFoldsBackALogLongerThanAMegabyte) {
  std::string reason;
  std::unique_ptr<TestDatabase> place = NewSqliteDatabase(reason);
  ASSERT_TRUE(place) << reason;
  std::unique_ptr<SqlDatabase> db = Ok(place->Open());
  const std::string run = NewRunIn(*db);
  const std::string file = place->url();
  RecordBigSteps(*db, run, 200);  // about 400 pages: 1.6 MB of log
  ASSERT_GT(std::filesystem::file_size(file + "-wal"), 1u << 20);
  const std::uintmax_t file_before = std::filesystem::file_size(file);
  Ok(db->Housekeep(service::Database::Upkeep::kWhenDue));  // not due: under 1000 pages
  EXPECT_EQ(std::filesystem::file_size(file), file_before);
  Ok(db->Housekeep(service::Database::Upkeep::kNow));
  const std::uintmax_t file_folded = std::filesystem::file_size(file);
  EXPECT_GT(file_folded, file_before + 390u * 4096);

  // The log starts again, its file cut back to 1 MB; a short log stays where it is.
  RecordBigSteps(*db, run, 5);
  EXPECT_LE(std::filesystem::file_size(file + "-wal"), 1u << 20);
  Ok(db->Housekeep(service::Database::Upkeep::kNow));
  EXPECT_EQ(std::filesystem::file_size(file), file_folded);
  EXPECT_EQ(Ok(db->runs().ListSteps(run)).size(), 205u);
}

TEST(OpenDatabase, ReadsTheUrlForms) {
  std::string reason;
  auto place = NewSqliteDatabase(reason);
  ASSERT_TRUE(place);
  const std::string dir = place->url().substr(0, place->url().rfind('/'));
  DatabaseOptions quiet{.cipher = TestCipher(false), .warn = [](std::string_view) {}};
  for (const std::string& url : {"sqlite:" + dir + "/a/b.db", dir + "/c/d.db", "file:" + dir + "/e/f.db?cache=private"}) {
    auto db = adapters::storage::OpenDatabase(url, quiet);
    ASSERT_TRUE(db) << url << ": " << db.error().message;
    EXPECT_EQ((*db)->Dialect(), "sqlite");
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/a/b.db"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/c/d.db"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/e/f.db"));
  const auto unknown = adapters::storage::OpenDatabase("mysql://x/y", quiet);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(adapters::storage::OpenDatabase("", quiet));
  const auto down = adapters::storage::OpenDatabase("postgres://nobody:pw@127.0.0.1:1/x", quiet);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(down.error().message.find(":pw@"), std::string::npos) << down.error().message;
  // Garbage in place of an SQLite file is an error, not a crash.
  std::ofstream(dir + "/junk.db") << std::string(4096, 'j');
  const auto junk = adapters::storage::OpenDatabase(dir + "/junk.db", quiet);
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace flow::testing
