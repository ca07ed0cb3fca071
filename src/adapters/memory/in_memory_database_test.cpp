#include "adapters/memory/in_memory_database.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/util/digest.hpp"
#include "tests/support/fakes.hpp"

namespace flow::adapters {
namespace {

using namespace flow::service;  // NOLINT: the records of the test
using flow::testing::FakeClock;
using flow::testing::FakeEntropy;

struct Db {
  FakeClock clock;
  FakeEntropy entropy;
  InMemoryDatabase db{&clock, &entropy};

  VersionRecord Version(const std::string& node_id, const std::string& text = "steps: []") {
    core::Result<SavedVersion> saved = db.suites().SaveVersion(
        NewVersion{.node_id = node_id, .name = node_id + " suite", .yaml_raw = text});
    EXPECT_TRUE(saved) << saved.error().message;
    return saved->version;
  }
  RunRecord Run(const std::string& node_id, RunStatus status = RunStatus::kRunning,
                std::int64_t queued_at = 0, const std::string& batch = "b1") {
    core::Result<RunRecord> run = db.runs().CreateRun(NewRun{.version_id = Version(node_id).id,
                                                       .batch_id = batch,
                                                       .status = status,
                                                       .queued_at = queued_at});
    EXPECT_TRUE(run) << run.error().message;
    return *run;
  }
};

template <typename T>
T Must(core::Result<T> r) {
  EXPECT_TRUE(r) << r.error().message;
  return std::move(r).value();
}

TEST(InMemoryDatabase, SaveVersionCreatesTheSuiteThenNumbersVersionsAndDedupsByHash) {
  Db d;
  const SavedVersion first = Must(d.db.suites().SaveVersion(NewVersion{
      .node_id = "auth", .name = "Login", .description = "d", .default_priority = Priority::kHigh,
      .tags = {"smoke"}, .yaml_raw = "a: 1\n", .effective_variables = {{"user", "ann"}}}));
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.suite.node_id, "auth");
  EXPECT_EQ(first.suite.default_priority, Priority::kHigh);
  EXPECT_EQ(first.version.version, 1);
  EXPECT_EQ(first.version.yaml_hash, core::Sha256Hex("a: 1\n"));
  EXPECT_EQ(first.version.yaml_hash.size(), 64u);
  EXPECT_EQ(first.version.effective_variables["user"], "ann");
  EXPECT_EQ(first.version.suite_id, first.suite.id);
  EXPECT_EQ(first.version.created_at, d.clock.unix_ms);

  d.clock.unix_ms += 1000;
  const SavedVersion same = Must(d.db.suites().SaveVersion(
      NewVersion{.node_id = "auth", .name = "Login 2", .yaml_raw = "a: 1\n"}));
  EXPECT_FALSE(same.created);
  EXPECT_EQ(same.version.id, first.version.id);
  EXPECT_EQ(same.suite.id, first.suite.id);
  EXPECT_EQ(same.suite.name, "Login 2");  // the suite's fields follow the latest save
  EXPECT_EQ(same.suite.updated_at, d.clock.unix_ms);
  EXPECT_EQ(same.suite.created_at, first.suite.created_at);

  const SavedVersion second =
      Must(d.db.suites().SaveVersion(NewVersion{.node_id = "auth", .yaml_raw = "a: 2\n"}));
  EXPECT_TRUE(second.created);
  EXPECT_EQ(second.version.version, 2);
  // The same text in another suite is that suite's own version.
  const SavedVersion other =
      Must(d.db.suites().SaveVersion(NewVersion{.node_id = "billing", .yaml_raw = "a: 1\n"}));
  EXPECT_TRUE(other.created);
  EXPECT_EQ(other.version.version, 1);

  const std::vector<VersionRecord> versions = Must(d.db.suites().ListVersions(first.suite.id));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);  // newest first
  EXPECT_EQ(versions[1].version, 1);
  const std::vector<SuiteRecord> suites = Must(d.db.suites().ListSuites());
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[0].node_id, "auth");
  EXPECT_EQ(suites[1].node_id, "billing");
  EXPECT_EQ(Must(d.db.suites().FindVersion(second.version.id))->yaml_raw, "a: 2\n");
  EXPECT_FALSE(Must(d.db.suites().FindVersion("nope")));
  EXPECT_FALSE(Must(d.db.suites().FindSuite("nope")));
  EXPECT_EQ(Must(d.db.suites().FindSuite("auth"))->name, "");  // the last save named none
  EXPECT_EQ(d.db.suites().SaveVersion(NewVersion{.node_id = " "}).error().code,
            core::ErrorCode::kInvalidArgument);
}

TEST(InMemoryDatabase, ConcurrentSavesOfOneSuiteMakeOneVersion) {
  InMemoryDatabase db;  // system clock and randomness
  std::vector<std::thread> threads;
  std::vector<SavedVersion> saved(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      saved[i] = db.suites().SaveVersion(NewVersion{.node_id = "x", .yaml_raw = "same"}).value();
    });
  }
  for (std::thread& t : threads) t.join();
  int created = 0;
  for (const SavedVersion& s : saved) {
    created += s.created ? 1 : 0;
    EXPECT_EQ(s.version.id, saved[0].version.id);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(saved[0].version.id.size(), 36u);  // a UUID
}

TEST(InMemoryDatabase, RunsMoveThroughTheirStatusesWithTheirTimes) {
  Db d;
  const RunRecord queued = d.Run("auth", RunStatus::kQueued, 1000);
  EXPECT_EQ(queued.status, RunStatus::kQueued);
  EXPECT_EQ(queued.queued_at, 1000);
  EXPECT_FALSE(queued.started_at);
  EXPECT_EQ(queued.node_id, "auth");
  EXPECT_EQ(queued.suite_name, "auth suite");
  EXPECT_EQ(queued.batch_id, "b1");

  ASSERT_TRUE(d.db.runs().SetRunStatus(queued.id, RunStatus::kRunning, 2000));
  ASSERT_TRUE(d.db.runs().SetRunStatus(queued.id, RunStatus::kWaitingInput, 2500));
  ASSERT_TRUE(d.db.runs().SetRunStatus(queued.id, RunStatus::kRunning, 3000));
  RunRecord run = *Must(d.db.runs().FindRun(queued.id));
  EXPECT_EQ(run.started_at, 2000);  // the first time only
  EXPECT_FALSE(run.finished_at);
  ASSERT_TRUE(d.db.runs().FinishRun(queued.id, RunStatus::kFailed, {{"status", "failure"}}, 4000));
  run = *Must(d.db.runs().FindRun(queued.id));
  EXPECT_EQ(run.status, RunStatus::kFailed);
  EXPECT_EQ(run.finished_at, 4000);
  EXPECT_EQ(run.result_summary["status"], "failure");
  ASSERT_TRUE(d.db.runs().SaveCheckpoint(queued.id, {{"cursor", 3}}));
  EXPECT_EQ(Must(d.db.runs().FindRun(queued.id))->checkpoint["cursor"], 3);

  EXPECT_EQ(d.db.runs().FinishRun(queued.id, RunStatus::kRunning, {}, 1).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.db.runs().SetRunStatus("nope", RunStatus::kRunning, 1).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(d.db.runs().FinishRun("nope", RunStatus::kFailed, {}, 1).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(d.db.runs().CreateRun(NewRun{.version_id = "nope"}).error().code,
            core::ErrorCode::kNotFound);
  // Created running: started when queued.
  const RunRecord running = d.Run("auth", RunStatus::kRunning, 5000);
  EXPECT_EQ(running.started_at, 5000);
}

TEST(InMemoryDatabase, RecordStepStoresTheStepItsLogsVariablesAndEventTogether) {
  Db d;
  const RunRecord run = d.Run("auth");
  const RunEventRecord started =
      Must(d.db.runs().AppendEvent(run.id, "suite_started", {{"node_id", "auth"}}, 10));
  EXPECT_EQ(started.seq, 1);

  RecordedStep step;
  step.step.step_name = "login";
  step.step.status = StepRunStatus::kSuccess;
  step.logs.push_back(StepLogRecord{.log_level = LogLevel::kWarn, .message = "slow"});
  step.variables.push_back(
      VariableSnapshotRecord{.scope = VariableScope::kStep, .key = "token", .value = "***",
                             .source = VariableSource::kCapture});
  step.event = StepEvent{.type = "step_completed"};
  const RunStore::Recorded first = Must(d.db.runs().RecordStep(run.id, step));
  EXPECT_EQ(first.event_seq, 2);
  EXPECT_EQ(first.step_run_id.size(), 36u);

  RecordedStep second;
  second.step.step_name = "profile";
  const RunStore::Recorded next = Must(d.db.runs().RecordStep(run.id, second));
  EXPECT_EQ(next.event_seq, 0);  // no event

  const std::vector<StepRunRecord> steps = Must(d.db.runs().ListSteps(run.id));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].seq, 1);
  EXPECT_EQ(steps[0].step_name, "login");
  EXPECT_EQ(steps[0].flow_run_id, run.id);
  EXPECT_EQ(steps[1].seq, 2);
  const std::vector<StepLogRecord> logs = Must(d.db.runs().ListLogs(run.id));
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].step_run_id, first.step_run_id);
  EXPECT_EQ(logs[0].timestamp, d.clock.unix_ms);
  EXPECT_GT(logs[0].id, 0);
  const std::vector<VariableSnapshotRecord> vars = Must(d.db.runs().ListVariables(run.id));
  ASSERT_EQ(vars.size(), 1u);
  EXPECT_EQ(vars[0].step_run_id, first.step_run_id);
  EXPECT_EQ(vars[0].flow_run_id, run.id);
  const std::vector<RunEventRecord> events = Must(d.db.runs().ListEvents(run.id, 0, 10));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, "step_completed");
  EXPECT_EQ(events[1].seq, 2);
  EXPECT_EQ(events[0].created_at, 10);
  // The step's event comes with its step, not a payload of its own; the others without.
  EXPECT_EQ(events[1].step_seq, 1);
  ASSERT_TRUE(events[1].step);
  EXPECT_EQ(events[1].step->step_name, "login");
  EXPECT_EQ(events[1].step->id, first.step_run_id);
  EXPECT_EQ(events[1].payload, core::Value::object());
  EXPECT_FALSE(events[0].step_seq);
  EXPECT_FALSE(events[0].step);
  EXPECT_EQ(events[0].payload, (core::Value{{"node_id", "auth"}}));

  // A seq given is kept; one taken is a conflict and nothing of that step is stored.
  RecordedStep explicit_seq;
  explicit_seq.step.seq = 10;
  ASSERT_TRUE(d.db.runs().RecordStep(run.id, explicit_seq));
  RecordedStep clash;
  clash.step.seq = 10;
  clash.logs.push_back(StepLogRecord{.message = "lost"});
  clash.event = StepEvent{.type = "step_completed"};
  EXPECT_EQ(d.db.runs().RecordStep(run.id, clash).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Must(d.db.runs().ListLogs(run.id)).size(), 1u);
  EXPECT_EQ(Must(d.db.runs().ListEvents(run.id, 0, 10)).size(), 2u);
  RecordedStep same_id;
  same_id.step.id = first.step_run_id;
  EXPECT_EQ(d.db.runs().RecordStep(run.id, same_id).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(d.db.runs().RecordStep("nope", RecordedStep{}).error().code,
            core::ErrorCode::kNotFound);
  // seq 0 continues after the highest.
  EXPECT_EQ(Must(d.db.runs().ListSteps(run.id)).back().seq, 10);
  ASSERT_TRUE(d.db.runs().RecordStep(run.id, RecordedStep{}));
  EXPECT_EQ(Must(d.db.runs().ListSteps(run.id)).back().seq, 11);
}

TEST(InMemoryDatabase, EventsAreNumberedPerRunAndReadAfterASeq) {
  Db d;
  const RunRecord a = d.Run("a");
  const RunRecord b = d.Run("b");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(d.db.runs().AppendEvent(a.id, "e", {{"i", i}}, 0));
  EXPECT_EQ(Must(d.db.runs().AppendEvent(b.id, "e", {}, 0)).seq, 1);
  const std::vector<RunEventRecord> page = Must(d.db.runs().ListEvents(a.id, 2, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seq, 3);
  EXPECT_EQ(page[1].seq, 4);
  EXPECT_EQ(page[0].payload["i"], 2);
  EXPECT_EQ(page[0].created_at, d.clock.unix_ms);  // 0: now
  EXPECT_TRUE(Must(d.db.runs().ListEvents(a.id, 5, 10)).empty());
  EXPECT_EQ(d.db.runs().AppendEvent("nope", "e", {}, 0).error().code, core::ErrorCode::kNotFound);
}

TEST(InMemoryDatabase, AddVariablesKeepsTheirOrderAndChecksTheirStep) {
  Db d;
  const RunRecord run = d.Run("a");
  ASSERT_TRUE(d.db.runs().AddVariables(
      run.id, {VariableSnapshotRecord{.key = "x", .value = 1},
               VariableSnapshotRecord{.scope = VariableScope::kGlobal, .key = "y", .value = 2,
                                      .source = VariableSource::kExport}}));
  const std::vector<VariableSnapshotRecord> vars = Must(d.db.runs().ListVariables(run.id));
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].key, "x");
  EXPECT_LT(vars[0].id, vars[1].id);
  EXPECT_FALSE(vars[0].step_run_id);
  EXPECT_EQ(vars[1].source, VariableSource::kExport);
  EXPECT_EQ(d.db.runs()
                .AddVariables(run.id, {VariableSnapshotRecord{.step_run_id = "nope", .key = "z"}})
                .error()
                .code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(Must(d.db.runs().ListVariables(run.id)).size(), 2u);
}

TEST(InMemoryDatabase, ListRunsFiltersNewestFirstAndPages) {
  Db d;
  const RunRecord r1 = d.Run("a", RunStatus::kCompleted, 1000, "b1");
  const RunRecord r2 = d.Run("b", RunStatus::kFailed, 2000, "b1");
  const RunRecord r3 = d.Run("a", RunStatus::kFailed, 3000, "b2");
  const RunRecord r4 = d.Run("a", RunStatus::kCompleted, 3000, "b2");  // same time: by id
  const auto ids = [&](const RunFilter& f) {
    std::vector<std::string> out;
    for (const RunRecord& r : Must(d.db.runs().ListRuns(f))) out.push_back(r.id);
    return out;
  };
  const std::string newer = std::max(r3.id, r4.id);
  const std::string older = std::min(r3.id, r4.id);
  EXPECT_EQ(ids({}), (std::vector<std::string>{newer, older, r2.id, r1.id}));
  EXPECT_EQ(ids({.status = RunStatus::kFailed}), (std::vector<std::string>{r3.id, r2.id}));
  EXPECT_EQ(ids({.node_id = "a"}), (std::vector<std::string>{newer, older, r1.id}));
  EXPECT_EQ(ids({.batch_id = "b1"}), (std::vector<std::string>{r2.id, r1.id}));
  EXPECT_EQ(ids({.queued_before = 3000}), (std::vector<std::string>{r2.id, r1.id}));
  EXPECT_EQ(ids({.queued_after = 2000}), (std::vector<std::string>{newer, older}));  // strictly
  EXPECT_EQ(ids({.queued_after = 1999}), (std::vector<std::string>{newer, older, r2.id}));
  EXPECT_EQ(ids({.limit = 2}), (std::vector<std::string>{newer, older}));
  EXPECT_EQ(ids({.limit = 2, .offset = 2}), (std::vector<std::string>{r2.id, r1.id}));
  EXPECT_EQ(ids({.limit = 2, .offset = 9}), std::vector<std::string>{});
  EXPECT_EQ(Must(d.db.runs().ListRuns({.node_id = "b"}))[0].suite_name, "b suite");
}

TEST(InMemoryDatabase, PurgeDeletesEndedRunsBeforeTheTimeWithAllTheyRecorded) {
  Db d;
  const RunRecord old_done = d.Run("a", RunStatus::kCompleted, 1000);
  const RunRecord old_running = d.Run("a", RunStatus::kRunning, 1000);
  const RunRecord recent = d.Run("a", RunStatus::kFailed, 5000);
  RecordedStep step;
  step.logs.push_back(StepLogRecord{.message = "m"});
  step.event = StepEvent{.type = "step_completed"};
  const std::string step_id = Must(d.db.runs().RecordStep(old_done.id, step)).step_run_id;
  ASSERT_TRUE(d.db.runs().AddVariables(old_done.id, {VariableSnapshotRecord{.key = "k"}}));
  const RetryRequestRecord retry = Must(d.db.retries().CreateRetryRequest(
      RetryRequestRecord{.flow_run_id = old_done.id, .step_run_id = step_id}));
  const JobRecord job = Must(d.db.jobs().CreateJob(JobRecord{.flow_run_id = old_done.id}));
  const RunRecord retry_run = Must(d.db.runs().CreateRun(
      NewRun{.version_id = old_done.version_id, .status = RunStatus::kQueued,
             .retry_of = old_done.id, .queued_at = 6000}));

  EXPECT_EQ(Must(d.db.runs().PurgeRuns(5000)), 1u);
  EXPECT_FALSE(Must(d.db.runs().FindRun(old_done.id)));
  EXPECT_TRUE(Must(d.db.runs().FindRun(old_running.id)));  // not ended: kept
  EXPECT_TRUE(Must(d.db.runs().FindRun(recent.id)));
  EXPECT_TRUE(Must(d.db.runs().ListSteps(old_done.id)).empty());
  EXPECT_TRUE(Must(d.db.runs().ListLogs(old_done.id)).empty());
  EXPECT_TRUE(Must(d.db.runs().ListVariables(old_done.id)).empty());
  EXPECT_TRUE(Must(d.db.runs().ListEvents(old_done.id, 0, 10)).empty());
  EXPECT_FALSE(Must(d.db.retries().FindRetryRequest(retry.id)));
  EXPECT_FALSE(Must(d.db.jobs().FindJob(job.id)));
  EXPECT_FALSE(Must(d.db.runs().FindRun(retry_run.id))->retry_of);
  // Versions stay.
  EXPECT_TRUE(Must(d.db.suites().FindVersion(old_done.version_id)));
  // The step id is free again (its row is gone).
  RecordedStep reuse;
  reuse.step.id = step_id;
  EXPECT_TRUE(d.db.runs().RecordStep(recent.id, reuse));
  EXPECT_EQ(Must(d.db.runs().PurgeRuns(5000)), 0u);
}

TEST(InMemoryDatabase, RetryRequestsMoveOnlyForward) {
  Db d;
  const RunRecord run = d.Run("a", RunStatus::kFailed);
  const RetryRequestRecord r = Must(d.db.retries().CreateRetryRequest(
      RetryRequestRecord{.flow_run_id = run.id, .requested_by = "u1", .reason = "flaky"}));
  EXPECT_EQ(r.status, RetryRequestStatus::kPending);
  EXPECT_EQ(r.created_at, d.clock.unix_ms);
  EXPECT_EQ(d.db.retries()
                .ResolveRetryRequest(r.id, RetryRequestStatus::kExecuted, "", 1)
                .error()
                .code,
            core::ErrorCode::kConflict);
  const RetryRequestRecord approved =
      Must(d.db.retries().ResolveRetryRequest(r.id, RetryRequestStatus::kApproved, "ok", 7));
  EXPECT_EQ(approved.resolution_notes, "ok");
  EXPECT_EQ(approved.resolved_at, 7);
  EXPECT_EQ(d.db.retries()
                .ResolveRetryRequest(r.id, RetryRequestStatus::kRejected, "", 1)
                .error()
                .code,
            core::ErrorCode::kConflict);
  EXPECT_TRUE(d.db.retries().ResolveRetryRequest(r.id, RetryRequestStatus::kExecuted, "", 8));
  EXPECT_EQ(Must(d.db.retries().FindRetryRequest(r.id))->status, RetryRequestStatus::kExecuted);
  EXPECT_EQ(d.db.retries()
                .ResolveRetryRequest("nope", RetryRequestStatus::kApproved, "", 1)
                .error()
                .code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(d.db.retries()
                .CreateRetryRequest(RetryRequestRecord{.flow_run_id = run.id,
                                                       .status = RetryRequestStatus::kApproved})
                .error()
                .code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.db.retries()
                .CreateRetryRequest(RetryRequestRecord{.flow_run_id = "nope"})
                .error()
                .code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(d.db.retries()
                .CreateRetryRequest(RetryRequestRecord{.flow_run_id = run.id, .step_run_id = "x"})
                .error()
                .code,
            core::ErrorCode::kNotFound);
  ASSERT_TRUE(d.db.retries().CreateRetryRequest(RetryRequestRecord{.flow_run_id = run.id}));
  EXPECT_EQ(Must(d.db.retries().ListRetryRequests(run.id)).size(), 2u);
  EXPECT_EQ(Must(d.db.retries().ListRetryRequests(run.id))[0].id, r.id);
}

TEST(InMemoryDatabase, JobsAreClaimedByPriorityThenTimeAndFencedByEpoch) {
  Db d;
  const RunRecord run = d.Run("a", RunStatus::kQueued);
  const auto job = [&](Priority p, std::int64_t run_at, const std::string& queue = "runs") {
    return Must(d.db.jobs().CreateJob(
        JobRecord{.flow_run_id = run.id, .queue_name = queue, .priority = p, .run_at = run_at}));
  };
  const JobRecord low = job(Priority::kLow, 0);
  const JobRecord high_late = job(Priority::kHigh, 50);
  const JobRecord high = job(Priority::kHigh, 10);
  const JobRecord later = job(Priority::kCritical, 1000);  // not yet due
  const JobRecord other_queue = job(Priority::kCritical, 0, "other");

  const JobRecord claimed = *Must(d.db.jobs().ClaimJob("runs", "w1", 100, 30000));
  EXPECT_EQ(claimed.id, high.id);
  EXPECT_EQ(claimed.state, JobState::kActive);
  EXPECT_EQ(claimed.lease_owner, "w1");
  EXPECT_EQ(claimed.lease_expires_at, 30100);
  EXPECT_EQ(claimed.epoch, 1);
  EXPECT_EQ(claimed.attempts_made, 1);
  EXPECT_EQ(Must(d.db.jobs().ClaimJob("runs", "w2", 100, 30000))->id, high_late.id);
  EXPECT_EQ(Must(d.db.jobs().ClaimJob("runs", "w2", 100, 30000))->id, low.id);
  EXPECT_FALSE(Must(d.db.jobs().ClaimJob("runs", "w2", 100, 30000)));
  EXPECT_EQ(Must(d.db.jobs().ClaimJob("runs", "w2", 1000, 30000))->id, later.id);
  EXPECT_EQ(Must(d.db.jobs().ClaimJob("other", "w2", 0, 1))->id, other_queue.id);

  // Put back to waiting by its owner: the lease goes; a stale epoch is refused.
  const JobRecord back =
      Must(d.db.jobs().UpdateJob(high.id, 1, JobState::kWaiting, "timeout", 500, 200));
  EXPECT_EQ(back.lease_owner, "");
  EXPECT_FALSE(back.lease_expires_at);
  EXPECT_EQ(back.last_error, "timeout");
  EXPECT_EQ(back.updated_at, 200);
  EXPECT_EQ(Must(d.db.jobs().ClaimJob("runs", "w3", 500, 10))->epoch, 2);
  EXPECT_EQ(d.db.jobs().UpdateJob(high.id, 1, JobState::kCompleted, "", 0, 600).error().code,
            core::ErrorCode::kConflict);
  EXPECT_EQ(Must(d.db.jobs().UpdateJob(high.id, 2, JobState::kActive, "", 0, 600)).lease_owner,
            "w3");  // still active: still leased
  EXPECT_EQ(d.db.jobs().UpdateJob("nope", 1, JobState::kFailed, "", 0, 1).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(Must(d.db.jobs().ListJobs(JobState::kActive, 10)).size(), 5u);
  EXPECT_EQ(Must(d.db.jobs().ListJobs(std::nullopt, 2)).size(), 2u);
  EXPECT_EQ(d.db.jobs().CreateJob(JobRecord{.flow_run_id = "nope"}).error().code,
            core::ErrorCode::kNotFound);
}

TEST(InMemoryDatabase, ConcurrentClaimsNeverShareAJob) {
  InMemoryDatabase db;
  const std::string version =
      db.suites().SaveVersion(NewVersion{.node_id = "a", .yaml_raw = "x"}).value().version.id;
  const std::string run = db.runs().CreateRun(NewRun{.version_id = version}).value().id;
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(db.jobs().CreateJob(JobRecord{.flow_run_id = run}));
  std::mutex mutex;
  std::vector<std::string> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      while (true) {
        auto job = db.jobs().ClaimJob("runs", "w" + std::to_string(w), 1, 1000).value();
        if (!job) return;
        std::lock_guard lock(mutex);
        claimed.push_back(job->id);
      }
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(claimed.size(), 40u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), 40u);
}

TEST(InMemoryDatabase, UsersHaveUniqueLowerCasedEmailsAndTokens) {
  Db d;
  const UserRecord ann = Must(d.db.users().CreateUser(
      UserRecord{.email = "Ann@Example.COM", .name = "Ann", .password_hash = "h", .roles = {"admin"}}));
  EXPECT_EQ(ann.email, "ann@example.com");
  EXPECT_EQ(d.db.users().CreateUser(UserRecord{.email = "ann@example.com", .password_hash = "h"}).error().code,
            core::ErrorCode::kConflict);
  EXPECT_EQ(d.db.users().CreateUser(UserRecord{.email = ""}).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Must(d.db.users().FindUserByEmail("ANN@example.com"))->id, ann.id);
  ASSERT_TRUE(d.db.users().CreateUser(UserRecord{.email = "bob@example.com", .password_hash = "h"}));
  const std::vector<UserRecord> users = Must(d.db.users().ListUsers());
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].email, "ann@example.com");

  UserRecord changed = ann;
  changed.disabled = true;
  changed.email = "other@example.com";  // not changed by UpdateUser
  changed.last_login_at = 99;
  EXPECT_TRUE(Must(d.db.users().UpdateUser(changed)).disabled);
  EXPECT_EQ(Must(d.db.users().FindUser(ann.id))->email, "ann@example.com");
  EXPECT_EQ(Must(d.db.users().FindUser(ann.id))->last_login_at, 99);
  EXPECT_EQ(d.db.users().UpdateUser(UserRecord{.id = "nope"}).error().code,
            core::ErrorCode::kNotFound);

  const ApiTokenRecord token = Must(d.db.users().CreateToken(
      ApiTokenRecord{.user_id = ann.id, .name = "ci", .prefix = "ft_", .hash = "h1"}));
  EXPECT_EQ(d.db.users().CreateToken(ApiTokenRecord{.user_id = ann.id, .hash = "h1"}).error().code,
            core::ErrorCode::kConflict);
  EXPECT_EQ(d.db.users().CreateToken(ApiTokenRecord{.user_id = "nope", .hash = "h2"}).error().code,
            core::ErrorCode::kNotFound);
  ASSERT_TRUE(d.db.users().TouchToken(token.id, 5));
  ASSERT_TRUE(d.db.users().RevokeToken(token.id, 6));
  const ApiTokenRecord found = *Must(d.db.users().FindTokenByHash("h1"));
  EXPECT_EQ(found.last_used_at, 5);
  EXPECT_EQ(found.revoked_at, 6);
  EXPECT_EQ(Must(d.db.users().ListTokens(ann.id)).size(), 1u);
  EXPECT_EQ(d.db.users().RevokeToken("nope", 1).error().code, core::ErrorCode::kNotFound);
}

TEST(InMemoryDatabase, AuditIsAppendOnlyAndListedNewestFirst) {
  Db d;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(d.db.audit().Append(AuditRecord{.actor_id = i == 2 ? "u2" : "u1",
                                                .action = "run.create",
                                                .target_type = "run",
                                                .target_id = std::to_string(i),
                                                .created_at = 100 + i}));
  }
  const std::vector<AuditRecord> all = Must(d.db.audit().List({}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].target_id, "2");
  EXPECT_GT(all[0].id, all[1].id);
  EXPECT_EQ(Must(d.db.audit().List({.actor_id = "u1"})).size(), 2u);
  EXPECT_EQ(Must(d.db.audit().List({.target_id = "1"})).size(), 1u);
  EXPECT_EQ(Must(d.db.audit().List({.since = 101})).size(), 2u);
  EXPECT_EQ(Must(d.db.audit().List({.limit = 1})).size(), 1u);
  EXPECT_EQ(Must(d.db.audit().Append(AuditRecord{.action = "x"})).created_at, d.clock.unix_ms);
  EXPECT_EQ(d.db.Dialect(), "memory");
  EXPECT_EQ(*d.db.SchemaVersion(), d.db.LatestSchemaVersion());
}

}  // namespace
}  // namespace flow::adapters
