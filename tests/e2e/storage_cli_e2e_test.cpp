// The operator's database commands as a black box, on SQLite and on the PostgreSQL of
// $FLOW_PG_URL: `flowtest migrate [--status] [--to N]`, `flowtest user create|list|roles`,
// `flowtest db retention|keygen`, and `flowtest run --database URL` with `runs export`. What they
// leave in the database is read back through the stores.
#include <gtest/gtest.h>

#include <regex>

#include "adapters/sodium/checkpoint_cipher.hpp"
#include "adapters/sodium/password.hpp"
#include "core/value.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"
#include "tests/support/result_helpers.hpp"
#include "tests/support/store_backends.hpp"

namespace flow::testing {
namespace {

class StorageCli : public ::testing::TestWithParam<DialectParam> {
 protected:
  void SetUp() override {
    std::string reason;
    place_ = GetParam().make(reason);
    if (!place_) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(reason);
  }
  // flowtest ARGS --database URL, with `stdin_text` on its standard input.
  ProcessResult Run(const std::string& args, const std::string& stdin_text = "") {
    return RunCommand("cd " + ShellQuote(dir_.path()) + " && printf '%s' " + ShellQuote(stdin_text) +
                      " | " + Flowtest() + " " + args + " --database " + ShellQuote(place_->url()));
  }
  std::unique_ptr<adapters::storage::SqlDatabase> Open() { return Ok(place_->Open()); }

  ScratchDir dir_;
  std::unique_ptr<TestDatabase> place_;
};

TEST_P(StorageCli, MigrateListsAppliesAndRefusesToGoBack) {
  std::string reason;
  std::unique_ptr<TestDatabase> other = GetParam().make(reason);  // the binary's latest version
  ASSERT_TRUE(other) << reason;
  const std::string latest = std::to_string(Ok(other->Open())->LatestSchemaVersion());
  ProcessResult status = Run("migrate --status");
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("schema version 0, this flowtest knows " + latest),
            std::string::npos)
      << status.output;
  EXPECT_TRUE(std::regex_search(status.output, std::regex("0001 +0001_runs +pending"))) << status.output;
  EXPECT_TRUE(std::regex_search(status.output, std::regex("0003 +0003_accounts_audit +pending")));

  ProcessResult partial = Run("migrate --to 2");
  ASSERT_EQ(partial.exit_code, 0) << partial.output;
  EXPECT_NE(partial.output.find("applied 0001_runs\napplied 0002_queue_retries\n"), std::string::npos)
      << partial.output;
  EXPECT_EQ(partial.output.find("0003"), std::string::npos) << partial.output;
  EXPECT_EQ(std::to_string(Ok(Open()->SchemaVersion())), latest) << "opening migrates the rest";

  ProcessResult again = Run("migrate");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("schema version " + latest + " (up to date)"), std::string::npos)
      << again.output;
  status = Run("migrate --status");
  EXPECT_TRUE(std::regex_search(status.output,
                                std::regex("0002 +0002_queue_retries +applied +20[0-9]{2}-")))
      << status.output;

  ProcessResult back = Run("migrate --to 1");
  EXPECT_EQ(back.exit_code, 2) << back.output;
  EXPECT_NE(back.output.find("never undone"), std::string::npos) << back.output;
  EXPECT_EQ(Run("migrate --to x").exit_code, 2);
  EXPECT_EQ(Run("migrate extra").exit_code, 2);
}

TEST_P(StorageCli, MigrateRefusesADatabaseNewerThanTheBinaryNamingBothVersions) {
  ASSERT_EQ(Run("migrate").exit_code, 0);
  const int latest = Ok(Open()->SchemaVersion());
  const std::string future = std::to_string(latest + 1);
  const std::string padded = std::string(4 - future.size(), '0') + future;  // as listed
  Ok(place_->Raw("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (" +
                 future + ", '" + padded + "_future', 'x', 0)"));
  for (const char* command : {"migrate", "user list", "db retention --older-than 30d"}) {
    ProcessResult refused = Run(command);
    EXPECT_EQ(refused.exit_code, 1) << command << ": " << refused.output;
    EXPECT_NE(refused.output.find("has schema version " + future +
                                  ", newer than this flowtest knows (" + std::to_string(latest) +
                                  ")"),
              std::string::npos)
        << command << ": " << refused.output;
  }
  ProcessResult status = Run("migrate --status");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_TRUE(std::regex_search(
      status.output, std::regex(padded + " +" + padded + "_future +unknown .*newer flowtest")))
      << status.output;
}

TEST_P(StorageCli, UserCreateMakesTheFirstAdminWithAnArgon2idHash) {
  ProcessResult created =
      Run("user create --email Admin@Example.COM --name 'First Admin' --role admin --password-stdin",
          "s3cret-passw0rd\n");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find("created user admin@example.com"), std::string::npos) << created.output;
  EXPECT_EQ(created.output.find("s3cret"), std::string::npos) << "the password is not echoed";

  auto db = Open();
  const auto admin = Ok(db->users().FindUserByEmail("admin@example.com"));
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->name, "First Admin");
  EXPECT_EQ(admin->roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(admin->password_hash.rfind("$argon2id$", 0), 0u) << admin->password_hash;
  EXPECT_TRUE(adapters::VerifyPassword("s3cret-passw0rd", admin->password_hash));
  EXPECT_FALSE(adapters::VerifyPassword("s3cret-passw0rd\n", admin->password_hash));
  const auto audit = Ok(db->audit().List(service::AuditFilter{.target_type = "user"}));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "user.create");
  EXPECT_EQ(audit[0].target_id, admin->id);

  // Without --password-stdin a random password is made and printed once.
  ProcessResult generated = Run("user create --email ops@example.com --name Ops --role viewer,operator");
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(generated.output, match, std::regex("password: ([A-Za-z0-9_-]{24})\n")))
      << generated.output;
  const auto ops = Ok(db->users().FindUserByEmail("ops@example.com"));
  ASSERT_TRUE(ops);
  EXPECT_TRUE(adapters::VerifyPassword(match[1].str(), ops->password_hash));
  EXPECT_EQ(ops->roles, (std::vector<std::string>{"operator", "viewer"}));

  ProcessResult list = Run("user list");
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("admin@example.com\tFirst Admin\tadmin\tactive"), std::string::npos)
      << list.output;
  EXPECT_NE(list.output.find("ops@example.com\tOps\toperator,viewer\tactive"), std::string::npos);

  // The seeded roles, most rights first.
  ProcessResult roles = Run("user roles");
  ASSERT_EQ(roles.exit_code, 0) << roles.output;
  EXPECT_TRUE(std::regex_search(roles.output, std::regex("^admin\t[^\n]+\noperator\t[^\n]+\nviewer\t")))
      << roles.output;
}

TEST_P(StorageCli, UserCreateRefusesBadInputWithoutWritingAnything) {
  struct Case {
    std::string args;
    std::string input;
    int code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"user create --email a@x.io --name A --role admin --password-stdin", "short\n", 2,
       "shorter than 8 characters"},
      {"user create --email a@x.io --name A --role admin --password-stdin", "", 2,
       "standard input is empty"},
      {"user create --email a@x.io --name A --role root", "", 2, "unknown role 'root'"},
      {"user create --email not-an-email --name A --role admin", "", 2, "email"},
      {"user create --name A --role admin", "", 2, "needs --email"},
      {"user create --email a@x.io --role admin", "", 2, "needs --name"},
      {"user create --email a@x.io --name A", "", 2, "needs --role"},
      {"user create --email a@x.io --name A --role admin --pasword-stdin", "", 2,
       "did you mean '--password-stdin'?"},
      {"user remove --email a@x.io", "", 2, "unknown subcommand 'remove'"},
  };
  for (const Case& c : cases) {
    ProcessResult r = Run(c.args, c.input);
    EXPECT_EQ(r.exit_code, c.code) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << ": " << r.output;
  }
  EXPECT_TRUE(Ok(Open()->users().ListUsers()).empty());
  ASSERT_EQ(Run("user create --email a@x.io --name A --role admin").exit_code, 0);
  ProcessResult taken = Run("user create --email A@X.IO --name B --role viewer");
  EXPECT_EQ(taken.exit_code, 1) << taken.output;
  EXPECT_NE(taken.output.find("a user with email 'a@x.io' exists"), std::string::npos) << taken.output;
}

TEST_P(StorageCli, DbRetentionRemovesStepLogsOlderThanTheAge) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  constexpr std::int64_t kDay = 86'400'000;
  std::string run_id;
  {
    auto db = Open();
    const auto v = Ok(db->suites().SaveVersion(service::NewVersion{.node_id = "s", .yaml_raw = "a"}));
    run_id = Ok(db->runs().CreateRun(service::NewRun{.version_id = v.version.id})).id;
    service::RecordedStep step;
    step.step.step_name = "s";
    for (std::int64_t age : {200 * kDay, 150 * kDay, 1 * kDay}) {
      step.logs.push_back(service::StepLogRecord{.message = "old", .timestamp = now - age});
    }
    Ok(db->runs().RecordStep(run_id, step));
  }
  ProcessResult r = Run("db retention --older-than 90d");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto db = Open();
  const auto logs = Ok(db->runs().ListLogs(run_id));
  ASSERT_EQ(logs.size(), 1u);  // both old months are wholly before the cut
  EXPECT_EQ(logs[0].timestamp, now - kDay);
  if (place_->dialect() == "postgres") {
    EXPECT_TRUE(std::regex_search(r.output, std::regex("2 partition\\(s\\) dropped \\(step_log_p20")))
        << r.output;
  } else {
    EXPECT_NE(r.output.find("2 row(s) deleted"), std::string::npos) << r.output;
  }
  const auto audit = Ok(db->audit().List(service::AuditFilter{.target_type = "step_log"}));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "db.retention");
  EXPECT_EQ(Run("db retention").exit_code, 2);
  EXPECT_EQ(Run("db retention --older-than 0d").exit_code, 2);
}

// A run recorded in the database given: its rows as the recorder writes them (the run created
// running, its start and end events around the steps', its variables), the report exported back
// byte for byte, and the version found again by a second run.
TEST_P(StorageCli, ARunIsRecordedAndItsReportExportedAgain) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  dir_.Write("s.yaml", "suite_name: Recorded\nnode_id: recorded\nbase_url: '" + url +
                           "'\nvariables: {who: ann}\nsteps:\n"
                           "  - name: post\n"
                           "    request: {method: POST, url: /post, body: {user: '{{who}}'}}\n"
                           "    assert: {status_code: 200}\n"
                           "    capture: {user: body.json.user}\n"
                           "  - name: missing\n"
                           "    continue_on_failure: true\n"
                           "    request: {method: GET, url: /status/404}\n"
                           "    assert: {status_code: 200}\n"
                           "  - name: get\n"
                           "    request: {method: GET, url: '/get?user={{user}}'}\n"
                           "    assert: {status_code: 200}\n");
  ProcessResult r = Run("run s.yaml --format json --output-dir out");
  ASSERT_EQ(r.exit_code, 1) << r.output;  // the 404 step fails
  const std::size_t at = r.output.find("(batch ");
  ASSERT_NE(at, std::string::npos) << r.output;
  const std::string batch = r.output.substr(at + 7, 36);

  {
    auto db = Open();
    const auto runs = Ok(db->runs().ListRuns(service::RunFilter{.batch_id = batch}));
    ASSERT_EQ(runs.size(), 1u);
    const service::RunRecord& run = runs[0];
    EXPECT_EQ(run.status, service::RunStatus::kFailed);
    EXPECT_EQ(run.node_id, "recorded");
    EXPECT_EQ(run.started_at, run.queued_at);  // created running
    ASSERT_TRUE(run.finished_at);
    EXPECT_GE(*run.finished_at, run.queued_at);
    const auto steps = Ok(db->runs().ListSteps(run.id));
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[1].status, service::StepRunStatus::kFailed);
    EXPECT_EQ(steps[1].response_snapshot["status_code"], 404);
    std::vector<std::string> types;
    for (const auto& e : Ok(db->runs().ListEvents(run.id, 0, 100))) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"run_started", "suite_started", "step_completed",
                                               "step_completed", "step_completed",
                                               "suite_completed", "run_completed"}));
    bool captured = false;
    bool suite_variable = false;
    for (const auto& v : Ok(db->runs().ListVariables(run.id))) {
      if (v.key == "user" && v.source == service::VariableSource::kCapture) {
        captured = v.value == "ann" && v.step_run_id == steps[0].id;
      }
      if (v.key == "who" && v.scope == service::VariableScope::kSuite) suite_variable = true;
    }
    EXPECT_TRUE(captured);
    EXPECT_TRUE(suite_variable);
  }
  r = Run("runs export " + batch + " --format json -o exported.json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string exported = ReadFileText(dir_.path() + "/exported.json");
  const std::string written = ReadFileText(dir_.path() + "/out/latest.json");
  if (place_->dialect() == "postgres") {
    // jsonb keeps no key order (docs/history.md): the same report, its objects' keys reordered.
    const core::Value a = core::Value::parse(exported, nullptr, false);
    const core::Value b = core::Value::parse(written, nullptr, false);
    ASSERT_FALSE(a.is_discarded()) << exported;
    ASSERT_FALSE(b.is_discarded()) << written;
    EXPECT_TRUE(core::DeepEqual(a, b)) << exported << "\n---\n" << written;
  } else {
    EXPECT_EQ(exported, written);  // byte for byte
  }

  // Again: the same version, a second run.
  r = Run("run s.yaml --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  auto db = Open();
  const auto runs = Ok(db->runs().ListRuns(service::RunFilter{}));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].version_id, runs[1].version_id);
  const auto version = Ok(db->suites().FindVersion(runs[0].version_id));
  ASSERT_TRUE(version);
  EXPECT_EQ(version->compiled_config["suite_name"], "Recorded");  // made with the first
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StorageCli, ::testing::Values(SqliteParam()), DialectParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, StorageCli, ::testing::Values(PostgresParam()), DialectParamName);

TEST(StorageCliDefaults, TheDatabaseComesFromTheEnvironmentElseTheProjectFolder) {
  ScratchDir dir;
  ProcessResult fallback = RunFlowtest(dir.path(), "migrate", "FLOWTEST_DATABASE_URL=");
  ASSERT_EQ(fallback.exit_code, 0) << fallback.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/.flowtest/history.db"));
  ProcessResult from_env =
      RunFlowtest(dir.path(), "migrate", "FLOWTEST_DATABASE_URL=sqlite:elsewhere/h.db");
  ASSERT_EQ(from_env.exit_code, 0) << from_env.output;
  EXPECT_NE(from_env.output.find("elsewhere/h.db"), std::string::npos) << from_env.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/elsewhere/h.db"));
  ProcessResult bad = RunFlowtest(dir.path(), "migrate --database mysql://x/y");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("unknown database URL scheme 'mysql'"), std::string::npos) << bad.output;
}

TEST(StorageCliDefaults, KeygenPrintsAFreshValidSecretKey) {
  ScratchDir dir;
  const ProcessResult a = RunFlowtest(dir.path(), "db keygen");
  const ProcessResult b = RunFlowtest(dir.path(), "db keygen");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_FALSE(a.output.empty());
  EXPECT_TRUE(adapters::ParseSecretKey(a.output)) << a.output;
  EXPECT_NE(a.output, b.output);
  // The key it printed is accepted by the commands, a broken one refused.
  EXPECT_EQ(RunFlowtest(dir.path(), "migrate", "FLOWTEST_SECRET_KEY=" + ShellQuote(a.output)).exit_code, 0);
  const ProcessResult broken = RunFlowtest(dir.path(), "migrate", "FLOWTEST_SECRET_KEY=short");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("FLOWTEST_SECRET_KEY"), std::string::npos) << broken.output;
}

}  // namespace
}  // namespace flow::testing
