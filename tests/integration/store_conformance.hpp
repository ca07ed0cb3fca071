// The repository conformance suite: every store of service::Database (service/ports) checked
// against the same cases whatever the backend (SQLite, PostgreSQL, an in-memory one): each
// method, constraints, ordering, pagination, JSON and array round trips, and the races the ports
// promise to win (concurrent SaveVersion, seq allocation, job claims, epoch-conditional updates,
// retry-request moves, duplicate emails).
//
// A backend joins with a StoreFactory: a name and a function making one fresh, empty database
// per test (destroying it removes whatever it created). Include this header in ONE test file of
// a binary and instantiate it there:
//   INSTANTIATE_TEST_SUITE_P(Memory, StoreConformance,
//       ::testing::Values(StoreFactory{"Memory", [] { return MakeInMemoryDatabase(); }}),
//       StoreFactoryName);
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/util/digest.hpp"
#include "core/value.hpp"
#include "service/ports/database.hpp"
#include "tests/support/httpbin.hpp"
#include "tests/support/result_helpers.hpp"

namespace flow::testing {

struct StoreFactory {
  std::string name;  // a test-name part: letters and digits
  // One fresh, empty database. nullptr fails the test.
  std::function<std::unique_ptr<service::Database>()> make;
  // Why the backend cannot run here (say, its server is not configured), or "" when it can:
  // the tests then skip with that message, or fail when FLOW_REQUIRE_SERVICES=1. Optional.
  std::function<std::string()> unavailable;
};

inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }
inline std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().unavailable) {
      const std::string reason = GetParam().unavailable();
      if (!reason.empty()) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(reason);
    }
    db_ = GetParam().make();
    ASSERT_TRUE(db_) << "the " << GetParam().name << " factory made no database";
  }
  void TearDown() override { db_.reset(); }

  service::Database& db() { return *db_; }

  service::SavedVersion Save(const std::string& node_id, const std::string& yaml = "steps: []\n") {
    return Ok(db().suites().SaveVersion(service::NewVersion{
        .node_id = node_id, .name = "Suite " + node_id, .yaml_raw = yaml}));
  }
  service::RunRecord NewRun(const std::string& version_id, std::int64_t queued_at = 1'000,
                            std::string batch = "b1",
                            service::RunStatus status = service::RunStatus::kQueued) {
    return Ok(db().runs().CreateRun(service::NewRun{.version_id = version_id,
                                                    .batch_id = std::move(batch),
                                                    .status = status,
                                                    .queued_at = queued_at}));
  }
  service::RunRecord RunOf(const std::string& node_id) {
    return NewRun(Save(node_id).version.id);
  }
  static service::RecordedStep Step(const std::string& name, int index = 0) {
    service::RecordedStep s;
    s.step.step_index = index;
    s.step.step_name = name;
    s.step.status = service::StepRunStatus::kSuccess;
    return s;
  }

  std::unique_ptr<service::Database> db_;
};

using core::Value;
using service::JobState;
using service::Priority;
using service::RetryRequestStatus;
using service::RunStatus;

inline const std::string kMissingId = "00000000-0000-4000-8000-000000000000";

// ---- database ---------------------------------------------------------------------------------

TEST_P(StoreConformance, OpensAtTheLatestSchemaVersion) {
  EXPECT_GT(db().LatestSchemaVersion(), 0);
  EXPECT_EQ(Ok(db().SchemaVersion()), db().LatestSchemaVersion());
  EXPECT_FALSE(db().Dialect().empty());
}

// ---- suites and versions ----------------------------------------------------------------------

TEST_P(StoreConformance, SaveVersionCreatesTheSuiteAndNumbersVersionsByContent) {
  service::NewVersion v{.node_id = "auth",
                        .name = "Auth",
                        .description = "login flows",
                        .default_priority = Priority::kHigh,
                        .tags = {"smoke", "auth"},
                        .yaml_raw = "suite_name: Auth\n",
                        .effective_variables = Value{{"base", "http://x"}},
                        .compiled_config = Value{{"steps", 1}},
                        .created_by = "cli"};
  const service::SavedVersion first = Ok(db().suites().SaveVersion(v));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.suite.node_id, "auth");
  EXPECT_EQ(first.suite.name, "Auth");
  EXPECT_EQ(first.suite.description, "login flows");
  EXPECT_EQ(first.suite.default_priority, Priority::kHigh);
  EXPECT_EQ(first.suite.tags, (std::vector<std::string>{"smoke", "auth"}));
  EXPECT_FALSE(first.suite.id.empty());
  EXPECT_GT(first.suite.created_at, 0);
  EXPECT_EQ(first.version.version, 1);
  EXPECT_EQ(first.version.suite_id, first.suite.id);
  EXPECT_EQ(first.version.yaml_raw, v.yaml_raw);
  EXPECT_EQ(first.version.yaml_hash, core::Sha256Hex(v.yaml_raw));
  EXPECT_TRUE(core::DeepEqual(first.version.effective_variables, v.effective_variables));
  EXPECT_TRUE(core::DeepEqual(first.version.compiled_config, v.compiled_config));
  EXPECT_EQ(first.version.created_by, "cli");

  // The same text again: the same version, not a new one.
  const service::SavedVersion again = Ok(db().suites().SaveVersion(v));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.id, first.version.id);
  EXPECT_EQ(again.version.version, 1);
  EXPECT_EQ(again.version.suite_id, first.suite.id);
  EXPECT_EQ(again.version.yaml_raw, v.yaml_raw);
  EXPECT_EQ(again.version.yaml_hash, first.version.yaml_hash);
  EXPECT_EQ(again.version.created_by, "cli");
  EXPECT_EQ(again.version.created_at, first.version.created_at);
  EXPECT_TRUE(core::DeepEqual(again.version.effective_variables, v.effective_variables));
  EXPECT_TRUE(core::DeepEqual(again.version.compiled_config, v.compiled_config));

  // New text: version 2; the suite's fields follow the latest save.
  v.yaml_raw = "suite_name: Auth v2\n";
  v.name = "Auth (new)";
  v.tags = {"auth"};
  const service::SavedVersion second = Ok(db().suites().SaveVersion(v));
  EXPECT_TRUE(second.created);
  EXPECT_EQ(second.version.version, 2);
  EXPECT_EQ(second.suite.id, first.suite.id);
  EXPECT_EQ(second.suite.name, "Auth (new)");
  EXPECT_EQ(second.suite.tags, std::vector<std::string>{"auth"});

  const auto found = Ok(db().suites().FindSuite("auth"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Auth (new)");
  EXPECT_FALSE(Ok(db().suites().FindSuite("nope")));

  const auto versions = Ok(db().suites().ListVersions(first.suite.id));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);  // newest first
  EXPECT_EQ(versions[1].version, 1);
  const auto by_id = Ok(db().suites().FindVersion(first.version.id));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->yaml_raw, "suite_name: Auth\n");
  EXPECT_FALSE(Ok(db().suites().FindVersion(kMissingId)));
  EXPECT_FALSE(Ok(db().suites().FindVersion("not-a-uuid")));
  EXPECT_TRUE(Ok(db().suites().ListVersions("not-a-uuid")).empty());
  EXPECT_EQ(CodeOf(db().suites().SaveVersion(service::NewVersion{})), core::ErrorCode::kInvalidArgument);
}

TEST_P(StoreConformance, SaveVersionDerivesOnlyANewVersion) {
  int derived = 0;
  const auto version = [&derived](const std::string& yaml) {
    return service::NewVersion{.node_id = "derived",
                               .name = "Derived",
                               .yaml_raw = yaml,
                               .derive = [&derived](service::NewVersion& v) {
                                 ++derived;
                                 v.effective_variables = Value{{"made", derived}};
                                 v.compiled_config = Value{{"text", v.yaml_raw}};
                               }};
  };
  const service::SavedVersion first = Ok(db().suites().SaveVersion(version("a: 1\n")));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(derived, 1);
  EXPECT_EQ(first.version.compiled_config["text"], "a: 1\n");
  const auto stored = Ok(db().suites().FindVersion(first.version.id));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->effective_variables["made"], 1);
  EXPECT_EQ(stored->compiled_config["text"], "a: 1\n");
  // The same text: found by its hash, nothing derived; the stored version keeps what it had.
  const service::SavedVersion again = Ok(db().suites().SaveVersion(version("a: 1\n")));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.id, first.version.id);
  EXPECT_EQ(derived, 1);
  EXPECT_TRUE(core::DeepEqual(again.version.compiled_config, Value::object()));
  EXPECT_EQ(Ok(db().suites().FindVersion(first.version.id))->compiled_config["text"], "a: 1\n");
  // New text: derived again.
  const service::SavedVersion second = Ok(db().suites().SaveVersion(version("a: 2\n")));
  EXPECT_TRUE(second.created);
  EXPECT_EQ(derived, 2);
  EXPECT_EQ(Ok(db().suites().FindVersion(second.version.id))->effective_variables["made"], 2);
}

TEST_P(StoreConformance, ATextWithSecretValuesIsStoredMaskedAndFoundByItsHash) {
  // The conformance databases have no secret key (see AtRest for one that has).
  const service::NewVersion v{.node_id = "sec",
                              .yaml_raw = "variables:\n  password: 's3cret-pw'\n  user: ann\n",
                              .secret_values = {"s3cret-pw"}};
  const service::SavedVersion first = Ok(db().suites().SaveVersion(v));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.version.yaml_raw, v.yaml_raw);
  EXPECT_EQ(first.version.yaml_hash, core::Sha256Hex(v.yaml_raw));
  const auto found = Ok(db().suites().FindVersion(first.version.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->yaml_raw, "variables:\n  password: '***'\n  user: ann\n");
  EXPECT_EQ(found->yaml_hash, core::Sha256Hex(v.yaml_raw));  // of the text as written
  EXPECT_EQ(Ok(db().suites().ListVersions(first.suite.id)).at(0).yaml_raw, found->yaml_raw);
  // The same text again is the same version: deduplication is by the hash of the written text.
  const service::SavedVersion again = Ok(db().suites().SaveVersion(v));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version.id, first.version.id);
  // A text with no secret value is stored as it is.
  const service::SavedVersion open = Save("open", "variables:\n  user: ann\n");
  EXPECT_EQ(Ok(db().suites().FindVersion(open.version.id))->yaml_raw, "variables:\n  user: ann\n");
}

TEST_P(StoreConformance, ListSuitesOrdersByNodeId) {
  for (const char* node : {"zeta", "alpha", "mid"}) Save(node);
  const auto suites = Ok(db().suites().ListSuites());
  ASSERT_EQ(suites.size(), 3u);
  EXPECT_EQ(suites[0].node_id, "alpha");
  EXPECT_EQ(suites[1].node_id, "mid");
  EXPECT_EQ(suites[2].node_id, "zeta");
}

TEST_P(StoreConformance, ConcurrentSavesOfOneSuiteNumberVersionsWithoutGapsOrDuplicates) {
  constexpr int kThreads = 8;
  constexpr int kSaves = 12;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSaves; ++i) {
        // Half the texts are saved by two threads: each must become one version only.
        const int text = i % 2 == 0 ? t * kSaves + i : (t / 2) * kSaves + i;
        auto saved = db().suites().SaveVersion(service::NewVersion{
            .node_id = "shared", .name = "Shared", .yaml_raw = "n: " + std::to_string(text) + "\n"});
        if (!saved) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  const auto suite = Ok(db().suites().FindSuite("shared"));
  ASSERT_TRUE(suite);
  const auto versions = Ok(db().suites().ListVersions(suite->id));
  std::set<std::string> texts;
  for (const auto& v : versions) texts.insert(v.yaml_raw);
  EXPECT_EQ(texts.size(), versions.size()) << "a text was stored twice";
  EXPECT_EQ(versions.size(), static_cast<std::size_t>(kThreads * kSaves / 2 + (kThreads / 2) * kSaves / 2));
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i].version, static_cast<int>(versions.size() - i));
  }
  EXPECT_EQ(Ok(db().suites().ListSuites()).size(), 1u);
}

TEST_P(StoreConformance, JsonAndArraysRoundTrip) {
  Value deep = Value::array();
  Value* at = &deep;
  for (int i = 0; i < 40; ++i) {
    at->push_back(Value::object());
    at = &(*at)[0]["next"];
    *at = Value::array();
  }
  const std::string big(1 << 20, 'x');
  const Value doc = {
      {"unicode", "ação ☃ 𝄞 \"quoted\" back\\slash \t tab"},
      {"nested", deep},
      {"big", big},
      {"numbers", {0, -1, 9007199254740993LL, 0.1, -2.5e-300, 1e300}},
      {"flags", {true, false, nullptr}},
      {"empty", {{"a", Value::array()}, {"o", Value::object()}, {"s", ""}}},
      {"ключ", "значение"}};
  const std::vector<std::string> tags = {"", "with space", "quote\"s", "comma,and{braces}",
                                         "back\\slash", "ünï", "NULL", "null"};
  const service::SavedVersion saved = Ok(db().suites().SaveVersion(service::NewVersion{
      .node_id = "json", .name = "JSON ☃", .tags = tags, .yaml_raw = "x: ☃\n",
      .effective_variables = doc, .compiled_config = Value::array()}));
  const auto version = Ok(db().suites().FindVersion(saved.version.id));
  ASSERT_TRUE(version);
  EXPECT_TRUE(core::DeepEqual(version->effective_variables, doc));
  EXPECT_TRUE(version->compiled_config.is_array());
  EXPECT_EQ(Ok(db().suites().FindSuite("json"))->tags, tags);
  EXPECT_EQ(Ok(db().suites().FindSuite("json"))->name, "JSON ☃");
  EXPECT_TRUE(Ok(db().suites().SaveVersion(service::NewVersion{.node_id = "empty-tags", .yaml_raw = "a"}))
                  .suite.tags.empty());
}

// ---- runs -------------------------------------------------------------------------------------

TEST_P(StoreConformance, CreateRunStoresItsFieldsAndJoinsTheSuite) {
  const service::SavedVersion v = Save("checkout");
  const service::RunRecord run = Ok(db().runs().CreateRun(service::NewRun{
      .version_id = v.version.id,
      .batch_id = "batch-1",
      .trigger_source = service::TriggerSource::kApi,
      .priority = Priority::kCritical,
      .requested_by = "user-1",
      .input_payload = Value{{"answer", 42}},
      .queued_at = 5'000}));
  EXPECT_FALSE(run.id.empty());
  EXPECT_EQ(run.version_id, v.version.id);
  EXPECT_EQ(run.status, RunStatus::kQueued);
  EXPECT_EQ(run.trigger_source, service::TriggerSource::kApi);
  EXPECT_EQ(run.priority, Priority::kCritical);
  EXPECT_EQ(run.requested_by, "user-1");
  EXPECT_EQ(run.queued_at, 5'000);
  EXPECT_FALSE(run.started_at);
  EXPECT_FALSE(run.finished_at);
  EXPECT_EQ(run.input_payload["answer"], 42);
  EXPECT_EQ(run.batch_id, "batch-1");
  EXPECT_EQ(run.node_id, "checkout");
  EXPECT_EQ(run.suite_name, "Suite checkout");
  EXPECT_TRUE(run.checkpoint.is_null());

  const service::RunRecord retry = Ok(db().runs().CreateRun(
      service::NewRun{.version_id = v.version.id, .retry_of = run.id, .queued_at = 6'000}));
  EXPECT_EQ(retry.retry_of, run.id);
  const auto found = Ok(db().runs().FindRun(retry.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->retry_of, run.id);
  EXPECT_EQ(found->node_id, "checkout");

  EXPECT_FALSE(Ok(db().runs().FindRun(kMissingId)));
  EXPECT_FALSE(Ok(db().runs().FindRun("garbage")));
  EXPECT_EQ(CodeOf(db().runs().CreateRun(service::NewRun{.version_id = kMissingId})),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().runs().CreateRun(service::NewRun{.version_id = "garbage"})),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().runs().CreateRun(
                service::NewRun{.version_id = v.version.id, .retry_of = kMissingId})),
            core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ARunCreatedPastQueuedStartedWhenItWasQueued) {
  const service::SavedVersion v = Save("created-running");
  const service::RunRecord running = NewRun(v.version.id, 7'000, "b1", RunStatus::kRunning);
  EXPECT_EQ(running.status, RunStatus::kRunning);
  EXPECT_EQ(running.started_at, 7'000);
  EXPECT_FALSE(running.finished_at);
  const service::RunRecord ended = NewRun(v.version.id, 8'000, "b1", RunStatus::kFailed);
  EXPECT_EQ(ended.started_at, 8'000);
  EXPECT_EQ(ended.finished_at, 8'000);
  const auto found = Ok(db().runs().FindRun(running.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->started_at, 7'000);
  EXPECT_FALSE(found->finished_at);
}

TEST_P(StoreConformance, RunStatusSetsStartAndFinishTimes) {
  const service::RunRecord run = RunOf("times");
  Ok(db().runs().SetRunStatus(run.id, RunStatus::kRunning, 10'000));
  Ok(db().runs().SetRunStatus(run.id, RunStatus::kWaitingInput, 11'000));
  Ok(db().runs().SetRunStatus(run.id, RunStatus::kRunning, 12'000));  // resumed: start kept
  auto found = Ok(db().runs().FindRun(run.id));
  EXPECT_EQ(found->status, RunStatus::kRunning);
  EXPECT_EQ(found->started_at, 10'000);
  EXPECT_FALSE(found->finished_at);
  Ok(db().runs().FinishRun(run.id, RunStatus::kFailed, Value{{"passed", 1}, {"failed", 2}}, 15'000));
  found = Ok(db().runs().FindRun(run.id));
  EXPECT_EQ(found->status, RunStatus::kFailed);
  EXPECT_EQ(found->finished_at, 15'000);
  EXPECT_EQ(found->result_summary["failed"], 2);
  EXPECT_EQ(CodeOf(db().runs().SetRunStatus(kMissingId, RunStatus::kRunning, 1)),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().runs().FinishRun(kMissingId, RunStatus::kCompleted, Value::object(), 1)),
            core::ErrorCode::kNotFound);
  // A run ends completed, failed or cancelled.
  EXPECT_EQ(CodeOf(db().runs().FinishRun(run.id, RunStatus::kRunning, Value::object(), 16'000)),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Ok(db().runs().FindRun(run.id))->status, RunStatus::kFailed);
  const service::RunRecord cancelled = RunOf("times2");
  Ok(db().runs().SetRunStatus(cancelled.id, RunStatus::kCancelled, 20'000));
  found = Ok(db().runs().FindRun(cancelled.id));
  EXPECT_EQ(found->finished_at, 20'000);
  EXPECT_FALSE(found->started_at);
}

TEST_P(StoreConformance, CheckpointsRoundTrip) {
  const service::RunRecord run = RunOf("checkpoint");
  const Value state = {{"cursor", {{"suite", 0}, {"step", 3}}}, {"variables", {{"n", 1}}}};
  Ok(db().runs().SaveCheckpoint(run.id, state));
  EXPECT_TRUE(core::DeepEqual(Ok(db().runs().FindRun(run.id))->checkpoint, state));
  Ok(db().runs().SaveCheckpoint(run.id, Value()));
  EXPECT_TRUE(Ok(db().runs().FindRun(run.id))->checkpoint.is_null());
  EXPECT_EQ(CodeOf(db().runs().SaveCheckpoint(kMissingId, state)), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, RecordStepStoresTheStepWithItsLogsVariablesAndEvent) {
  const service::RunRecord run = RunOf("record");
  service::RecordedStep s = Step("login", 2);
  s.step.status = service::StepRunStatus::kFailed;
  s.step.request_snapshot = Value{{"method", "POST"}, {"url", "http://x/login"}};
  s.step.response_snapshot = Value{{"status", 401}};
  s.step.assertions = Value::array({Value{{"path", "status_code"}, {"passed", false}}});
  s.step.captures = Value{{"token", "***"}};
  s.step.error_details = Value{{"message", "expected 200"}};
  s.step.started_at = 100;
  s.step.finished_at = 250;
  s.step.duration_ms = 150.25;
  s.step.attempt = 3;
  s.step.depth = 1;
  s.step.iteration = 4;
  s.step.parent_step_id = "outer";
  s.step.outcome = Value{{"kind", "request"}};
  s.logs = {service::StepLogRecord{.log_level = service::LogLevel::kWarn,
                                   .message = "slow ☃",
                                   .payload = Value{{"ms", 150}},
                                   .timestamp = 1'796'394'176'123},
            service::StepLogRecord{.message = "second", .timestamp = 1'796'394'176'124}};
  s.variables = {service::VariableSnapshotRecord{.scope = service::VariableScope::kStep,
                                                 .key = "token",
                                                 .value = "***",
                                                 .source = service::VariableSource::kCapture,
                                                 .created_at = 300}};
  s.event = service::StepEvent{.type = "step_completed", .created_at = 400};
  const auto recorded = Ok(db().runs().RecordStep(run.id, s));
  EXPECT_FALSE(recorded.step_run_id.empty());
  EXPECT_EQ(recorded.event_seq, 1);

  const auto steps = Ok(db().runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), 1u);
  const service::StepRunRecord& got = steps[0];
  EXPECT_EQ(got.id, recorded.step_run_id);
  EXPECT_EQ(got.flow_run_id, run.id);
  EXPECT_EQ(got.seq, 1);
  EXPECT_EQ(got.step_index, 2);
  EXPECT_EQ(got.step_name, "login");
  EXPECT_EQ(got.status, service::StepRunStatus::kFailed);
  EXPECT_TRUE(core::DeepEqual(got.request_snapshot, s.step.request_snapshot));
  EXPECT_TRUE(core::DeepEqual(got.response_snapshot, s.step.response_snapshot));
  EXPECT_TRUE(core::DeepEqual(got.assertions, s.step.assertions));
  EXPECT_TRUE(core::DeepEqual(got.captures, s.step.captures));
  EXPECT_TRUE(core::DeepEqual(got.error_details, s.step.error_details));
  EXPECT_EQ(got.started_at, 100);
  EXPECT_EQ(got.finished_at, 250);
  EXPECT_DOUBLE_EQ(got.duration_ms, 150.25);
  EXPECT_EQ(got.attempt, 3);
  EXPECT_EQ(got.depth, 1);
  EXPECT_EQ(got.iteration, 4);
  EXPECT_EQ(got.parent_step_id, "outer");
  EXPECT_TRUE(core::DeepEqual(got.outcome, s.step.outcome));

  const auto logs = Ok(db().runs().ListLogs(run.id));
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].step_run_id, recorded.step_run_id);
  EXPECT_EQ(logs[0].log_level, service::LogLevel::kWarn);
  EXPECT_EQ(logs[0].message, "slow ☃");
  EXPECT_EQ(logs[0].payload["ms"], 150);
  EXPECT_EQ(logs[0].timestamp, 1'796'394'176'123);
  EXPECT_EQ(logs[1].message, "second");
  EXPECT_TRUE(logs[1].payload.is_null());
  EXPECT_LT(logs[0].id, logs[1].id);

  const auto variables = Ok(db().runs().ListVariables(run.id));
  ASSERT_EQ(variables.size(), 1u);
  EXPECT_EQ(variables[0].flow_run_id, run.id);
  EXPECT_EQ(variables[0].step_run_id, recorded.step_run_id);
  EXPECT_EQ(variables[0].scope, service::VariableScope::kStep);
  EXPECT_EQ(variables[0].key, "token");
  EXPECT_EQ(variables[0].value, "***");
  EXPECT_EQ(variables[0].source, service::VariableSource::kCapture);
  EXPECT_EQ(variables[0].created_at, 300);

  const auto events = Ok(db().runs().ListEvents(run.id, 0, 100));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[0].type, "step_completed");
  EXPECT_EQ(events[0].created_at, 400);
  // The step's event names its step and comes with it as stored, without a payload of its own.
  EXPECT_EQ(events[0].step_seq, 1);
  ASSERT_TRUE(events[0].step);
  EXPECT_EQ(events[0].step->id, recorded.step_run_id);
  EXPECT_EQ(events[0].step->step_name, "login");
  EXPECT_TRUE(core::DeepEqual(events[0].step->outcome, s.step.outcome));
  EXPECT_TRUE(core::DeepEqual(events[0].step->request_snapshot, s.step.request_snapshot));
  EXPECT_EQ(events[0].payload, Value::object());

  // A second step without an event: seq 2, no event.
  const auto next = Ok(db().runs().RecordStep(run.id, Step("logout", 3)));
  EXPECT_EQ(next.event_seq, 0);
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).back().seq, 2);
  EXPECT_TRUE(Ok(db().runs().ListSteps(run.id)).back().request_snapshot.is_null());
  EXPECT_EQ(CodeOf(db().runs().RecordStep(kMissingId, Step("x"))), core::ErrorCode::kNotFound);
  EXPECT_TRUE(Ok(db().runs().ListSteps("garbage")).empty());
}

// A step whose columns come as JSON text (the recorder's way) is stored with that text, not
// the Values, and reads back as the Values the text is; "" for error_details is null.
TEST_P(StoreConformance, AStepsColumnsGivenAsTextAreStoredAsThatText) {
  const service::RunRecord run = RunOf("text");
  service::RecordedStep s = Step("as text");
  s.step.assertions = Value::array({"ignored"});
  s.step.error_details = Value{{"ignored", true}};
  s.json = service::StepJsonColumns{
      .assertions = R"([{"field":"status_code","expected":200,"actual":201,"passed":false}])",
      .captures = R"({"token":"***","n":1.5,"text":"caf\u00e9 \"q\" \u0001"})",
      .error_details = R"({"code":"timeout","message":"slow"})",
      .outcome = R"({"node_id":"n","kind":"request","list":[1,null,true]})"};
  Ok(db().runs().RecordStep(run.id, s));
  s.json->error_details.clear();
  Ok(db().runs().RecordStep(run.id, s));
  const auto steps = Ok(db().runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), 2u);
  // (PostgreSQL's jsonb keeps its own key order: compared as values)
  EXPECT_TRUE(core::DeepEqual(steps[0].assertions, Value::parse(s.json->assertions)));
  EXPECT_EQ(steps[0].captures["text"], "caf\xc3\xa9 \"q\" \x01");
  EXPECT_EQ(steps[0].captures["n"], 1.5);
  EXPECT_EQ(steps[0].error_details["code"], "timeout");
  EXPECT_TRUE(core::DeepEqual(steps[0].outcome, Value::parse(s.json->outcome)));
  EXPECT_TRUE(steps[1].error_details.is_null());
  EXPECT_EQ(steps[1].outcome["list"][2], true);
}

TEST_P(StoreConformance, RecordStepsStoresABatchInOrderAllOrNothing) {
  const service::RunRecord run = RunOf("batch");
  std::vector<service::RecordedStep> batch;
  for (const char* name : {"one", "two", "three"}) {
    service::RecordedStep s = Step(name);
    s.logs = {service::StepLogRecord{.message = std::string("log of ") + name,
                                     .timestamp = 1'796'394'176'000}};
    s.event = service::StepEvent{.type = "step_completed"};
    batch.push_back(std::move(s));
  }
  const auto recorded = Ok(db().runs().RecordSteps(run.id, batch));
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[0].event_seq, 1);
  EXPECT_EQ(recorded[2].event_seq, 3);
  const auto steps = Ok(db().runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].step_name, "one");
  EXPECT_EQ(steps[2].step_name, "three");
  EXPECT_EQ(steps[2].seq, 3);
  EXPECT_EQ(steps[2].id, recorded[2].step_run_id);
  EXPECT_EQ(Ok(db().runs().ListLogs(run.id)).size(), 3u);

  // A batch whose last step conflicts (an id already used) stores none of its steps.
  std::vector<service::RecordedStep> bad;
  bad.push_back(Step("four"));
  bad.back().event = service::StepEvent{.type = "step_completed"};
  bad.push_back(Step("five"));
  bad.back().step.id = steps[0].id;
  EXPECT_FALSE(db().runs().RecordSteps(run.id, bad));
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).size(), 3u);
  EXPECT_EQ(Ok(db().runs().ListEvents(run.id, 0, 10)).size(), 3u);
  EXPECT_EQ(CodeOf(db().runs().RecordSteps(kMissingId, {Step("x")})), core::ErrorCode::kNotFound);
  // The numbering goes on without a gap.
  EXPECT_EQ(Ok(db().runs().RecordSteps(run.id, {Step("six")}))[0].event_seq, 0);
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).back().seq, 4);
}

TEST_P(StoreConformance, RecordWritesStepsVariablesEventsAndTheEndAtOnce) {
  const service::RunRecord run = RunOf("record");
  Ok(db().runs().AppendEvent(run.id, "run_started", Value::object(), 1'000));
  service::RunWrite write;
  for (const char* name : {"one", "two"}) {
    service::RecordedStep s = Step(name);
    s.variables = {service::VariableSnapshotRecord{.key = std::string("captured_") + name,
                                                   .value = name}};
    s.event = service::StepEvent{.type = "step_completed"};
    write.steps.push_back(std::move(s));
  }
  write.variables = {service::VariableSnapshotRecord{.scope = service::VariableScope::kSuite,
                                                     .key = "exported",
                                                     .value = 7,
                                                     .source = service::VariableSource::kExport}};
  write.events = {service::RunEventRecord{.type = "suite_completed", .created_at = 2'000},
                  service::RunEventRecord{.type = "run_completed",
                                          .payload = Value{{"passed", 2}},
                                          .created_at = 2'001}};
  write.end = service::RunWrite::End{
      .status = RunStatus::kCompleted, .result_summary = Value{{"passed", 2}}, .at = 2'002};
  const auto recorded = Ok(db().runs().Record(run.id, std::move(write)));
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].event_seq, 2);  // after the event appended before
  EXPECT_EQ(recorded[1].event_seq, 3);
  // The run's events after its steps', in the order given.
  const auto events = Ok(db().runs().ListEvents(run.id, 0, 10));
  ASSERT_EQ(events.size(), 5u);
  const std::vector<std::string> types = {"run_started", "step_completed", "step_completed",
                                          "suite_completed", "run_completed"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].type, types[i]);
    EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(events[3].created_at, 2'000);
  EXPECT_EQ(events[4].payload["passed"], 2);
  // Each step's event brings its own step, a page starting in the middle too; the run's events
  // keep their payloads and name no step.
  for (int i : {1, 2}) {
    ASSERT_TRUE(events[i].step) << i;
    EXPECT_EQ(events[i].step->id, recorded[i - 1].step_run_id);
    EXPECT_EQ(events[i].step_seq, events[i].step->seq);
  }
  EXPECT_FALSE(events[0].step_seq);
  EXPECT_FALSE(events[4].step);
  const auto page = Ok(db().runs().ListEvents(run.id, 2, 1));
  ASSERT_EQ(page.size(), 1u);
  ASSERT_TRUE(page[0].step);
  EXPECT_EQ(page[0].step->step_name, "two");
  // Without the steps: the same events, naming their steps, without them.
  const auto own = Ok(db().runs().ListEvents(run.id, 0, 10, service::RunStore::EventSteps::kWithout));
  ASSERT_EQ(own.size(), events.size());
  for (std::size_t i = 0; i < own.size(); ++i) {
    EXPECT_EQ(own[i].type, events[i].type);
    EXPECT_EQ(own[i].step_seq, events[i].step_seq);
    EXPECT_FALSE(own[i].step);
  }
  EXPECT_EQ(own[4].payload["passed"], 2);
  // The steps' variables name their steps; the run's none.
  const auto vars = Ok(db().runs().ListVariables(run.id));
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[0].step_run_id, recorded[0].step_run_id);
  EXPECT_EQ(vars[1].step_run_id, recorded[1].step_run_id);
  EXPECT_EQ(vars[2].key, "exported");
  EXPECT_FALSE(vars[2].step_run_id);
  EXPECT_EQ(vars[2].source, service::VariableSource::kExport);
  // And the end, last.
  const auto found = Ok(db().runs().FindRun(run.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, RunStatus::kCompleted);
  EXPECT_EQ(found->finished_at, 2'002);
  EXPECT_EQ(found->result_summary["passed"], 2);
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).size(), 2u);
}

TEST_P(StoreConformance, RecordIsAllOrNothing) {
  const service::RunRecord run = RunOf("record-atomic");
  // A variable naming a step run that is not the run's: nothing of the write is stored.
  service::RunWrite bad_variable;
  bad_variable.steps.push_back(Step("lost"));
  bad_variable.steps.back().event = service::StepEvent{.type = "step_completed"};
  bad_variable.variables = {
      service::VariableSnapshotRecord{.step_run_id = kMissingId, .key = "v", .value = 1}};
  bad_variable.events = {service::RunEventRecord{.type = "suite_completed"}};
  bad_variable.end = service::RunWrite::End{.status = RunStatus::kFailed, .at = 3'000};
  EXPECT_FALSE(db().runs().Record(run.id, std::move(bad_variable)));
  // An end that is not an end: refused, nothing stored.
  service::RunWrite not_an_end;
  not_an_end.steps.push_back(Step("lost too"));
  not_an_end.end = service::RunWrite::End{.status = RunStatus::kWaitingInput, .at = 3'000};
  EXPECT_EQ(CodeOf(db().runs().Record(run.id, std::move(not_an_end))),
            core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Ok(db().runs().ListSteps(run.id)).empty());
  EXPECT_TRUE(Ok(db().runs().ListEvents(run.id, 0, 10)).empty());
  EXPECT_TRUE(Ok(db().runs().ListVariables(run.id)).empty());
  const auto found = Ok(db().runs().FindRun(run.id));
  EXPECT_EQ(found->status, RunStatus::kQueued);
  EXPECT_FALSE(found->finished_at);
  EXPECT_EQ(CodeOf(db().runs().Record(kMissingId, service::RunWrite{.events = {{.type = "x"}}})),
            core::ErrorCode::kNotFound);
  // The numbering goes on without a gap.
  service::RunWrite good;
  good.steps.push_back(Step("kept"));
  good.events = {service::RunEventRecord{.type = "suite_completed"}};
  Ok(db().runs().Record(run.id, std::move(good)));
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).front().seq, 1);
  EXPECT_EQ(Ok(db().runs().ListEvents(run.id, 0, 10)).front().seq, 1);
}

TEST_P(StoreConformance, RecordStepIsAllOrNothing) {
  const service::RunRecord run = RunOf("atomic");
  service::RecordedStep s = Step("bad");
  s.logs = {service::StepLogRecord{.message = "kept?", .timestamp = 1'796'394'176'000}};
  s.event = service::StepEvent{.type = "step_completed"};
  EXPECT_TRUE(Ok(db().runs().ListSteps(run.id)).empty());
  // With a step id given twice, the second call conflicts and leaves nothing behind.
  service::RecordedStep first = Step("first");
  first.step.id = "11111111-1111-4111-8111-111111111111";
  Ok(db().runs().RecordStep(run.id, first));
  service::RecordedStep dup = s;
  dup.variables.clear();
  dup.step.id = first.step.id;
  EXPECT_FALSE(db().runs().RecordStep(run.id, dup));
  EXPECT_EQ(Ok(db().runs().ListSteps(run.id)).size(), 1u);
  EXPECT_TRUE(Ok(db().runs().ListLogs(run.id)).empty());
  EXPECT_TRUE(Ok(db().runs().ListEvents(run.id, 0, 10)).empty());
  // And the seq numbers stay gap-free after the failure.
  EXPECT_EQ(Ok(db().runs().RecordStep(run.id, Step("after"))).event_seq, 0);
  const auto steps = Ok(db().runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].seq, 2);
  EXPECT_EQ(Ok(db().runs().AppendEvent(run.id, "x", Value::object(), 1)).seq, 1);
}

TEST_P(StoreConformance, ConcurrentWritersOfOneRunGetUniqueGapFreeSeqs) {
  const service::RunRecord run = RunOf("race");
  constexpr int kThreads = 8;
  constexpr int kEach = 20;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (t % 2 == 0) {
          service::RecordedStep s = Step("t" + std::to_string(t) + "-" + std::to_string(i));
          s.event = service::StepEvent{.type = "step_completed"};
          if (!db().runs().RecordStep(run.id, s)) ++errors;
        } else if (!db().runs().AppendEvent(run.id, "log", Value{{"t", t}}, 0)) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  const auto steps = Ok(db().runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), static_cast<std::size_t>(kThreads / 2 * kEach));
  for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].seq, static_cast<std::int64_t>(i + 1));
  const auto events = Ok(db().runs().ListEvents(run.id, 0, 10'000));
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kThreads * kEach));
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
}

TEST_P(StoreConformance, EventsResumeAfterASeqWithALimit) {
  const service::RunRecord run = RunOf("events");
  const service::RunRecord other = RunOf("events-other");
  for (int i = 1; i <= 10; ++i) {
    EXPECT_EQ(Ok(db().runs().AppendEvent(run.id, "e", Value{{"i", i}}, i)).seq, i);
  }
  Ok(db().runs().AppendEvent(other.id, "e", Value::object(), 1));
  const auto page = Ok(db().runs().ListEvents(run.id, 4, 3));
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].seq, 5);
  EXPECT_EQ(page[2].seq, 7);
  EXPECT_EQ(page[0].payload["i"], 5);
  EXPECT_EQ(page[0].flow_run_id, run.id);
  EXPECT_TRUE(Ok(db().runs().ListEvents(run.id, 10, 5)).empty());
  EXPECT_EQ(Ok(db().runs().ListEvents(other.id, 0, 5)).size(), 1u);
  EXPECT_EQ(CodeOf(db().runs().AppendEvent(kMissingId, "e", Value::object(), 1)),
            core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, AddVariablesBelongToTheRun) {
  const service::RunRecord run = RunOf("vars");
  Ok(db().runs().AddVariables(run.id, {service::VariableSnapshotRecord{.key = "a", .value = 1},
                                       service::VariableSnapshotRecord{
                                           .scope = service::VariableScope::kGlobal,
                                           .key = "b",
                                           .value = Value{{"x", Value::array({1, 2})}},
                                           .source = service::VariableSource::kExport}}));
  const auto vars = Ok(db().runs().ListVariables(run.id));
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].key, "a");
  EXPECT_FALSE(vars[0].step_run_id);
  EXPECT_GT(vars[0].created_at, 0);  // filled in
  EXPECT_EQ(vars[1].scope, service::VariableScope::kGlobal);
  EXPECT_EQ(vars[1].value["x"][1], 2);
  EXPECT_EQ(CodeOf(db().runs().AddVariables(kMissingId, {service::VariableSnapshotRecord{.key = "a"}})),
            core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ListRunsFiltersOrdersAndPages) {
  const std::string a = Save("alpha").version.id;
  const std::string b = Save("beta").version.id;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    const service::RunRecord run =
        NewRun(i % 2 == 0 ? a : b, 1'000 + i * 10, i < 4 ? "first" : "second");
    ids.push_back(run.id);
    if (i % 3 == 0) Ok(db().runs().SetRunStatus(run.id, RunStatus::kCompleted, 5'000));
  }
  // Two runs queued at the same time are ordered by id.
  const service::RunRecord twin1 = NewRun(a, 2'000, "twins");
  const service::RunRecord twin2 = NewRun(a, 2'000, "twins");

  const auto all = Ok(db().runs().ListRuns(service::RunFilter{.limit = 100}));
  ASSERT_EQ(all.size(), 9u);
  EXPECT_EQ(all[0].id, std::max(twin1.id, twin2.id));
  EXPECT_EQ(all[1].id, std::min(twin1.id, twin2.id));
  EXPECT_EQ(all[2].id, ids[6]);  // newest first
  EXPECT_EQ(all[8].id, ids[0]);
  EXPECT_TRUE(all[0].checkpoint.is_null());

  std::vector<std::string> paged;
  for (std::size_t offset = 0; offset < 12; offset += 4) {
    for (const auto& r : Ok(db().runs().ListRuns(service::RunFilter{.limit = 4, .offset = offset}))) {
      paged.push_back(r.id);
    }
  }
  ASSERT_EQ(paged.size(), all.size());
  for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i], all[i].id);

  EXPECT_EQ(Ok(db().runs().ListRuns(service::RunFilter{.status = RunStatus::kCompleted})).size(), 3u);
  const auto betas = Ok(db().runs().ListRuns(service::RunFilter{.node_id = "beta"}));
  EXPECT_EQ(betas.size(), 3u);
  for (const auto& r : betas) EXPECT_EQ(r.node_id, "beta");
  EXPECT_EQ(Ok(db().runs().ListRuns(service::RunFilter{.batch_id = "second"})).size(), 3u);
  EXPECT_EQ(Ok(db().runs().ListRuns(service::RunFilter{.queued_before = 1'030})).size(), 3u);
  EXPECT_EQ(Ok(db().runs().ListRuns(service::RunFilter{.queued_after = 1'030})).size(), 5u);
  EXPECT_EQ(Ok(db().runs().ListRuns(service::RunFilter{.status = RunStatus::kQueued,
                                                       .node_id = "alpha",
                                                       .batch_id = "first"}))
                .size(),
            1u);
}

TEST_P(StoreConformance, PurgeRunsDeletesOldEndedRunsWithEverythingTheyRecorded) {
  const std::string v = Save("purge").version.id;
  const service::RunRecord old_done = NewRun(v, 1'000);
  const service::RunRecord old_running = NewRun(v, 1'000);
  const service::RunRecord new_done = NewRun(v, 9'000);
  const service::RunRecord retry = Ok(db().runs().CreateRun(
      service::NewRun{.version_id = v, .retry_of = old_done.id, .queued_at = 9'500}));
  Ok(db().runs().SetRunStatus(old_done.id, RunStatus::kCompleted, 2'000));
  Ok(db().runs().SetRunStatus(old_running.id, RunStatus::kRunning, 2'000));
  Ok(db().runs().SetRunStatus(new_done.id, RunStatus::kFailed, 9'100));
  service::RecordedStep s = Step("s");
  s.logs = {service::StepLogRecord{.message = "log", .timestamp = 1'796'394'176'000}};
  s.variables = {service::VariableSnapshotRecord{.key = "k", .value = 1}};
  s.event = service::StepEvent{.type = "step_completed"};
  const auto recorded = Ok(db().runs().RecordStep(old_done.id, s));
  Ok(db().runs().RecordStep(new_done.id, s));
  Ok(db().retries().CreateRetryRequest(service::RetryRequestRecord{
      .flow_run_id = old_done.id, .step_run_id = recorded.step_run_id, .requested_by = "u"}));
  const service::JobRecord job = Ok(db().jobs().CreateJob(service::JobRecord{.flow_run_id = old_done.id, .run_at = 1}));

  EXPECT_EQ(Ok(db().runs().PurgeRuns(5'000)), 1u);
  EXPECT_FALSE(Ok(db().runs().FindRun(old_done.id)));
  EXPECT_TRUE(Ok(db().runs().FindRun(old_running.id)));  // not ended
  EXPECT_TRUE(Ok(db().runs().FindRun(new_done.id)));     // too new
  EXPECT_TRUE(Ok(db().runs().ListSteps(old_done.id)).empty());
  EXPECT_TRUE(Ok(db().runs().ListLogs(old_done.id)).empty());
  EXPECT_TRUE(Ok(db().runs().ListVariables(old_done.id)).empty());
  EXPECT_TRUE(Ok(db().runs().ListEvents(old_done.id, 0, 10)).empty());
  EXPECT_TRUE(Ok(db().retries().ListRetryRequests(old_done.id)).empty());
  EXPECT_FALSE(Ok(db().jobs().FindJob(job.id)));
  EXPECT_FALSE(Ok(db().runs().FindRun(retry.id))->retry_of);  // the link is cleared
  EXPECT_EQ(Ok(db().runs().ListLogs(new_done.id)).size(), 1u);
  EXPECT_EQ(Ok(db().runs().PurgeRuns(5'000)), 0u);
}

// ---- retry requests ---------------------------------------------------------------------------

TEST_P(StoreConformance, RetryRequestsMoveThroughTheirStateMachine) {
  const service::RunRecord run = RunOf("retry");
  const auto step = Ok(db().runs().RecordStep(run.id, Step("s")));
  const service::RetryRequestRecord r = Ok(db().retries().CreateRetryRequest(
      service::RetryRequestRecord{.flow_run_id = run.id,
                                  .step_run_id = step.step_run_id,
                                  .requested_by = "ana",
                                  .reason = "flaky",
                                  .created_at = 100}));
  EXPECT_FALSE(r.id.empty());
  EXPECT_EQ(r.status, RetryRequestStatus::kPending);
  EXPECT_EQ(r.step_run_id, step.step_run_id);
  EXPECT_EQ(r.created_at, 100);
  const service::RetryRequestRecord approved =
      Ok(db().retries().ResolveRetryRequest(r.id, RetryRequestStatus::kApproved, "ok", 200));
  EXPECT_EQ(approved.status, RetryRequestStatus::kApproved);
  EXPECT_EQ(approved.resolution_notes, "ok");
  EXPECT_EQ(approved.resolved_at, 200);
  EXPECT_EQ(CodeOf(db().retries().ResolveRetryRequest(r.id, RetryRequestStatus::kRejected, "", 1)),
            core::ErrorCode::kConflict);
  EXPECT_EQ(Ok(db().retries().ResolveRetryRequest(r.id, RetryRequestStatus::kExecuted, "done", 300)).status,
            RetryRequestStatus::kExecuted);
  EXPECT_EQ(CodeOf(db().retries().ResolveRetryRequest(r.id, RetryRequestStatus::kApproved, "", 1)),
            core::ErrorCode::kConflict);

  const service::RetryRequestRecord whole = Ok(db().retries().CreateRetryRequest(
      service::RetryRequestRecord{.flow_run_id = run.id, .requested_by = "bo", .created_at = 150}));
  EXPECT_FALSE(whole.step_run_id);
  EXPECT_EQ(CodeOf(db().retries().ResolveRetryRequest(whole.id, RetryRequestStatus::kExecuted, "", 1)),
            core::ErrorCode::kConflict);  // not approved yet
  EXPECT_EQ(Ok(db().retries().ResolveRetryRequest(whole.id, RetryRequestStatus::kRejected, "no", 400)).status,
            RetryRequestStatus::kRejected);
  EXPECT_EQ(CodeOf(db().retries().ResolveRetryRequest(whole.id, RetryRequestStatus::kApproved, "", 1)),
            core::ErrorCode::kConflict);

  const auto list = Ok(db().retries().ListRetryRequests(run.id));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, r.id);  // by creation time
  EXPECT_EQ(list[0].status, RetryRequestStatus::kExecuted);
  EXPECT_EQ(Ok(db().retries().FindRetryRequest(whole.id))->resolution_notes, "no");
  EXPECT_FALSE(Ok(db().retries().FindRetryRequest(kMissingId)));
  EXPECT_EQ(CodeOf(db().retries().ResolveRetryRequest(kMissingId, RetryRequestStatus::kApproved, "", 1)),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().retries().CreateRetryRequest(
                service::RetryRequestRecord{.flow_run_id = kMissingId, .requested_by = "x"})),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().retries().CreateRetryRequest(service::RetryRequestRecord{
                .flow_run_id = run.id, .requested_by = "x", .status = RetryRequestStatus::kApproved})),
            core::ErrorCode::kInvalidArgument);
  // A step of another run is refused.
  const service::RunRecord other = RunOf("retry-other");
  EXPECT_EQ(CodeOf(db().retries().CreateRetryRequest(service::RetryRequestRecord{
                .flow_run_id = other.id, .step_run_id = step.step_run_id, .requested_by = "x"})),
            core::ErrorCode::kInvalidArgument);
}

TEST_P(StoreConformance, ConcurrentResolutionsOfOneRetryRequestHaveOneWinner) {
  const service::RunRecord run = RunOf("retry-race");
  for (int round = 0; round < 3; ++round) {
    const service::RetryRequestRecord r = Ok(db().retries().CreateRetryRequest(
        service::RetryRequestRecord{.flow_run_id = run.id, .requested_by = "x"}));
    std::atomic<int> won{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        auto moved = db().retries().ResolveRetryRequest(
            r.id, t % 2 ? RetryRequestStatus::kApproved : RetryRequestStatus::kRejected,
            "by " + std::to_string(t), 1'000 + t);
        if (moved) {
          ++won;
        } else if (moved.error().code == core::ErrorCode::kConflict) {
          ++conflicts;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(conflicts.load(), 7);
  }
}

// ---- jobs -------------------------------------------------------------------------------------

TEST_P(StoreConformance, ClaimJobTakesTheMostUrgentDueJob) {
  const service::RunRecord run = RunOf("jobs");
  auto job = [&](Priority p, std::int64_t run_at, std::string queue = "runs") {
    return Ok(db().jobs().CreateJob(service::JobRecord{
        .flow_run_id = run.id, .queue_name = std::move(queue), .priority = p, .run_at = run_at}));
  };
  const auto low = job(Priority::kLow, 100);
  const auto high_late = job(Priority::kHigh, 300);
  const auto high_early = job(Priority::kHigh, 200);
  const auto critical_future = job(Priority::kCritical, 10'000);
  const auto medium = job(Priority::kMedium, 100);
  const auto other_queue = job(Priority::kCritical, 100, "reports");
  EXPECT_EQ(high_early.state, JobState::kWaiting);
  EXPECT_EQ(high_early.epoch, 0);
  EXPECT_EQ(high_early.attempts_made, 0);
  EXPECT_GT(high_early.created_at, 0);
  EXPECT_EQ(Ok(db().runs().FindRun(run.id))->queue_job_id, other_queue.id);  // the latest job

  std::vector<std::string> order;
  while (auto claimed = Ok(db().jobs().ClaimJob("runs", "worker-1", 1'000, 30'000))) {
    EXPECT_EQ(claimed->state, JobState::kActive);
    EXPECT_EQ(claimed->lease_owner, "worker-1");
    EXPECT_EQ(claimed->lease_expires_at, 31'000);
    EXPECT_EQ(claimed->epoch, 1);
    EXPECT_EQ(claimed->attempts_made, 1);
    EXPECT_EQ(claimed->updated_at, 1'000);
    order.push_back(claimed->id);
  }
  EXPECT_EQ(order, (std::vector<std::string>{high_early.id, high_late.id, medium.id, low.id}));
  // Due later, and in another queue.
  const auto later = Ok(db().jobs().ClaimJob("runs", "w", 10'000, 1'000));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->id, critical_future.id);
  EXPECT_EQ(Ok(db().jobs().ClaimJob("reports", "w", 1'000, 1'000))->id, other_queue.id);
  EXPECT_FALSE(Ok(db().jobs().ClaimJob("reports", "w", 1'000, 1'000)));
  EXPECT_EQ(CodeOf(db().jobs().CreateJob(service::JobRecord{.flow_run_id = kMissingId})),
            core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ConcurrentClaimsNeverShareAJob) {
  const service::RunRecord run = RunOf("claims");
  constexpr int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) {
    Ok(db().jobs().CreateJob(service::JobRecord{.flow_run_id = run.id, .run_at = i}));
  }
  std::mutex mutex;
  std::vector<std::string> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto job = db().jobs().ClaimJob("runs", "w" + std::to_string(t), 1'000, 60'000);
        if (!job) {
          ++errors;
          return;
        }
        if (!*job) return;
        std::lock_guard lock(mutex);
        claimed.push_back((*job)->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size());
  for (const auto& j : Ok(db().jobs().ListJobs(JobState::kActive, 100))) EXPECT_EQ(j.epoch, 1);
}

TEST_P(StoreConformance, UpdateJobNeedsTheCurrentEpoch) {
  const service::RunRecord run = RunOf("epochs");
  const auto created = Ok(db().jobs().CreateJob(service::JobRecord{.flow_run_id = run.id, .run_at = 0}));
  const auto first = Ok(db().jobs().ClaimJob("runs", "a", 100, 1'000));
  ASSERT_TRUE(first);
  // The lease ran out and the job went back to waiting, claimed again by b: epoch 2.
  Ok(db().jobs().UpdateJob(created.id, 1, JobState::kWaiting, "stalled", 150, 150));
  const auto second = Ok(db().jobs().ClaimJob("runs", "b", 200, 1'000));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->epoch, 2);
  EXPECT_EQ(second->attempts_made, 2);
  // a may no longer write.
  EXPECT_EQ(CodeOf(db().jobs().UpdateJob(created.id, 1, JobState::kCompleted, "", 0, 300)),
            core::ErrorCode::kConflict);
  // b keeps its lease while active, and releases it when done.
  const auto still = Ok(db().jobs().UpdateJob(created.id, 2, JobState::kActive, "", 200, 250));
  EXPECT_EQ(still.lease_owner, "b");
  const auto done = Ok(db().jobs().UpdateJob(created.id, 2, JobState::kFailed, "boom", 200, 400));
  EXPECT_EQ(done.state, JobState::kFailed);
  EXPECT_EQ(done.last_error, "boom");
  EXPECT_EQ(done.lease_owner, "");
  EXPECT_FALSE(done.lease_expires_at);
  EXPECT_EQ(done.updated_at, 400);
  EXPECT_EQ(done.epoch, 2);
  EXPECT_EQ(CodeOf(db().jobs().UpdateJob(kMissingId, 1, JobState::kFailed, "", 0, 1)),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(Ok(db().jobs().FindJob(created.id))->state, JobState::kFailed);
  EXPECT_FALSE(Ok(db().jobs().FindJob(kMissingId)));
}

TEST_P(StoreConformance, ConcurrentUpdatesWithAStaleEpochAllFail) {
  const service::RunRecord run = RunOf("epoch-race");
  const auto job = Ok(db().jobs().CreateJob(service::JobRecord{.flow_run_id = run.id, .run_at = 0}));
  ASSERT_TRUE(Ok(db().jobs().ClaimJob("runs", "a", 1, 10)));
  Ok(db().jobs().UpdateJob(job.id, 1, JobState::kWaiting, "", 0, 2));
  ASSERT_TRUE(Ok(db().jobs().ClaimJob("runs", "b", 3, 10)));  // epoch 2
  std::atomic<int> ok{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = db().jobs().UpdateJob(job.id, t % 2 ? 1 : 2, JobState::kActive, "", 0, 10 + t);
      if (r) {
        ++ok;
      } else if (r.error().code == core::ErrorCode::kConflict) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(conflicts.load(), 4);
}

TEST_P(StoreConformance, ListJobsByState) {
  const service::RunRecord run = RunOf("list-jobs");
  for (int i = 0; i < 5; ++i) {
    Ok(db().jobs().CreateJob(service::JobRecord{.flow_run_id = run.id, .run_at = 0, .created_at = 100 + i}));
  }
  ASSERT_TRUE(Ok(db().jobs().ClaimJob("runs", "w", 1'000, 10)));
  EXPECT_EQ(Ok(db().jobs().ListJobs(std::nullopt, 100)).size(), 5u);
  EXPECT_EQ(Ok(db().jobs().ListJobs(std::nullopt, 2)).size(), 2u);
  EXPECT_EQ(Ok(db().jobs().ListJobs(JobState::kWaiting, 100)).size(), 4u);
  const auto active = Ok(db().jobs().ListJobs(JobState::kActive, 100));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].created_at, 100);
  const auto all = Ok(db().jobs().ListJobs(std::nullopt, 100));
  EXPECT_EQ(all.front().created_at, 100);  // oldest first
  EXPECT_EQ(all.back().created_at, 104);
}

// ---- users and tokens -------------------------------------------------------------------------

TEST_P(StoreConformance, RolesAreSeededAsTheCodeKnowsThem) {
  const std::vector<service::RoleRecord> roles = Ok(db().users().ListRoles());
  const std::vector<service::RoleRecord>& known = service::BuiltInRoles();
  ASSERT_EQ(roles.size(), known.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(roles[i].name, known[i].name) << "role " << i;
    EXPECT_EQ(roles[i].description, known[i].description) << known[i].name;
  }
  EXPECT_EQ(roles.front().name, "admin");
}

TEST_P(StoreConformance, UsersHaveUniqueLowerCasedEmails) {
  const service::UserRecord ana = Ok(db().users().CreateUser(service::UserRecord{
      .email = "  Ana@Example.COM ", .name = "Ana", .password_hash = "$argon2id$x",
      .roles = {"viewer", "admin"}}));
  EXPECT_FALSE(ana.id.empty());
  EXPECT_EQ(ana.email, "ana@example.com");
  EXPECT_EQ(ana.roles, (std::vector<std::string>{"admin", "viewer"}));
  EXPECT_GT(ana.created_at, 0);
  const auto conflict = db().users().CreateUser(
      service::UserRecord{.email = "ANA@example.com", .password_hash = "h"});
  EXPECT_EQ(CodeOf(conflict), core::ErrorCode::kConflict);
  EXPECT_EQ(CodeOf(db().users().CreateUser(service::UserRecord{
                .email = "bo@example.com", .password_hash = "h", .roles = {"root"}})),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(db().users().CreateUser(service::UserRecord{.email = "nobody", .password_hash = "h"})),
            core::ErrorCode::kInvalidArgument);

  const auto found = Ok(db().users().FindUserByEmail("ANA@EXAMPLE.com"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, ana.id);
  EXPECT_EQ(found->name, "Ana");
  EXPECT_EQ(found->password_hash, "$argon2id$x");
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(Ok(db().users().FindUser(ana.id))->email, "ana@example.com");
  EXPECT_FALSE(Ok(db().users().FindUser(kMissingId)));
  EXPECT_FALSE(Ok(db().users().FindUserByEmail("x@y")));

  Ok(db().users().CreateUser(service::UserRecord{.email = "aaron@example.com", .password_hash = "h"}));
  const auto users = Ok(db().users().ListUsers());
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].email, "aaron@example.com");

  service::UserRecord changed = *found;
  changed.name = "Ana B";
  changed.password_hash = "$argon2id$y";
  changed.roles = {"operator"};
  changed.disabled = true;
  changed.last_login_at = 777;
  const service::UserRecord updated = Ok(db().users().UpdateUser(changed));
  EXPECT_EQ(updated.name, "Ana B");
  const auto reread = Ok(db().users().FindUser(ana.id));
  EXPECT_EQ(reread->password_hash, "$argon2id$y");
  EXPECT_EQ(reread->roles, std::vector<std::string>{"operator"});
  EXPECT_TRUE(reread->disabled);
  EXPECT_EQ(reread->last_login_at, 777);
  EXPECT_EQ(reread->email, "ana@example.com");
  changed.id = kMissingId;
  EXPECT_EQ(CodeOf(db().users().UpdateUser(changed)), core::ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ConcurrentSignupsWithOneEmailHaveOneWinner) {
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto r = db().users().CreateUser(service::UserRecord{
          .email = t % 2 ? "Same@Example.com" : "same@example.com", .password_hash = "h"});
      if (r) {
        ++created;
      } else if (r.error().code == core::ErrorCode::kConflict) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
}

TEST_P(StoreConformance, ApiTokensAreFoundByHashRevokedAndTouched) {
  const service::UserRecord user =
      Ok(db().users().CreateUser(service::UserRecord{.email = "ci@example.com", .password_hash = "h"}));
  const service::ApiTokenRecord token = Ok(db().users().CreateToken(service::ApiTokenRecord{
      .user_id = user.id, .name = "ci", .prefix = "ft_ab12", .hash = std::string(64, 'a'),
      .scopes = {"runs:write", "runs:read"}, .created_at = 50, .expires_at = 99'999}));
  EXPECT_FALSE(token.id.empty());
  Ok(db().users().CreateToken(service::ApiTokenRecord{
      .user_id = user.id, .name = "other", .prefix = "ft_cd", .hash = std::string(64, 'b'), .created_at = 60}));
  const auto found = Ok(db().users().FindTokenByHash(std::string(64, 'a')));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, token.id);
  EXPECT_EQ(found->user_id, user.id);
  EXPECT_EQ(found->prefix, "ft_ab12");
  EXPECT_EQ(found->scopes, (std::vector<std::string>{"runs:write", "runs:read"}));
  EXPECT_EQ(found->expires_at, 99'999);
  EXPECT_EQ(found->created_at, 50);
  EXPECT_FALSE(found->revoked_at);
  EXPECT_FALSE(Ok(db().users().FindTokenByHash("nope")));

  Ok(db().users().TouchToken(token.id, 1'234));
  Ok(db().users().RevokeToken(token.id, 2'000));
  Ok(db().users().RevokeToken(token.id, 3'000));  // the first revocation time stays
  const auto after = Ok(db().users().FindTokenByHash(std::string(64, 'a')));
  EXPECT_EQ(after->last_used_at, 1'234);
  EXPECT_EQ(after->revoked_at, 2'000);
  const auto tokens = Ok(db().users().ListTokens(user.id));
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].name, "ci");
  EXPECT_EQ(CodeOf(db().users().RevokeToken(kMissingId, 1)), core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().users().TouchToken(kMissingId, 1)), core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(db().users().CreateToken(service::ApiTokenRecord{
                .user_id = user.id, .name = "dup", .prefix = "p", .hash = std::string(64, 'a')})),
            core::ErrorCode::kConflict);
  EXPECT_EQ(CodeOf(db().users().CreateToken(service::ApiTokenRecord{
                .user_id = kMissingId, .name = "x", .prefix = "p", .hash = "c"})),
            core::ErrorCode::kNotFound);
}

// ---- audit ------------------------------------------------------------------------------------

TEST_P(StoreConformance, AuditLogListsNewestFirstWithFilters) {
  for (int i = 0; i < 6; ++i) {
    const service::AuditRecord r = Ok(db().audit().Append(service::AuditRecord{
        .actor_id = i % 2 ? "ana" : "",
        .action = i < 3 ? "run.create" : "user.disable",
        .target_type = i < 3 ? "run" : "user",
        .target_id = "t" + std::to_string(i % 3),
        .metadata = Value{{"i", i}, {"ü", "☃"}},
        .ip_address = "127.0.0.1",
        .user_agent = "curl/8",
        .created_at = 1'000 + i}));
    EXPECT_GT(r.id, 0);
    EXPECT_EQ(r.metadata["i"], i);
  }
  const auto all = Ok(db().audit().List(service::AuditFilter{}));
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].created_at, 1'005);
  EXPECT_EQ(all[5].created_at, 1'000);
  EXPECT_EQ(all[0].ip_address, "127.0.0.1");
  EXPECT_EQ(all[0].metadata["ü"], "☃");
  EXPECT_EQ(Ok(db().audit().List(service::AuditFilter{.actor_id = "ana"})).size(), 3u);
  EXPECT_EQ(Ok(db().audit().List(service::AuditFilter{.target_type = "user", .target_id = "t1"})).size(), 1u);
  EXPECT_EQ(Ok(db().audit().List(service::AuditFilter{.since = 1'004})).size(), 2u);
  EXPECT_EQ(Ok(db().audit().List(service::AuditFilter{.limit = 2})).size(), 2u);
  EXPECT_EQ(CodeOf(db().audit().Append(service::AuditRecord{})), core::ErrorCode::kInvalidArgument);
}

}  // namespace flow::testing
