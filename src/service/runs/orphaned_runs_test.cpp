#include "service/runs/orphaned_runs.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/report/report_test_support.hpp"
#include "service/runs/history_test_support.hpp"

namespace flow::service {
namespace {

constexpr const char* kUsers =
    "suite_name: Users API\nnode_id: users\nsteps:\n  - name: list users\n"
    "    request: {method: GET, url: /users}\n";

constexpr const char* kNamespace = "pid:[4026531836]";

// Records a run of the users suite by process `pid` on `host` that never ends (its process was
// killed), and returns its id.
std::string LeftRunning(testing::HistoryHarness& h, const std::string& host, std::int64_t pid,
                        const std::string& pid_namespace = kNamespace) {
  RunRecorderOptions options = h.Options();
  options.hostname = host;
  options.pid = pid;
  options.pid_namespace = pid_namespace;
  RunRecorder recorder(*h.db, h.recorder_clock, std::move(options));
  recorder.OnRunStarted(1700000000000, 1);
  recorder.OnSuiteStarted("users", "Users API");
  recorder.OnStepFinished(core::report_testing::Step("list users", core::StepStatus::kSuccess));
  const std::vector<std::string> ids = recorder.run_ids();
  EXPECT_EQ(ids.size(), 1u);
  return ids.empty() ? "" : ids[0];
}

TEST(OrphanedRuns, TheRunsOfAGoneProcessOfThisHostAreFinishedAsCancelled) {
  testing::HistoryHarness h;
  h.Add(kUsers, "users.yaml");
  const std::string killed = LeftRunning(h, "ci-host", 4242);
  const std::string live = LeftRunning(h, "ci-host", 777);
  const std::string elsewhere = LeftRunning(h, "other-host", 4242);
  const std::string no_pid = LeftRunning(h, "ci-host", 0);
  const std::string other_container = LeftRunning(h, "ci-host", 4242, "pid:[4026532999]");
  std::set<std::int64_t> asked;
  const auto alive = [&](std::int64_t pid) {
    asked.insert(pid);
    return pid == 777;
  };

  EXPECT_EQ(FinishOrphanedRuns(*h.db, "ci-host", kNamespace, alive, 1700000009000).value(), 1u);
  const RunRecord run = h.db->runs().FindRun(killed).value().value();
  EXPECT_EQ(run.status, RunStatus::kCancelled);
  EXPECT_EQ(run.finished_at, 1700000009000);
  EXPECT_EQ(run.result_summary, (Value{{kSummaryInterrupted, kOrphanReason}}));
  const std::vector<RunEventRecord> events = h.db->runs().ListEvents(killed, 0, 100).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, kRunInterruptedEvent);
  EXPECT_EQ(events.back().payload["reason"], kOrphanReason);
  EXPECT_EQ(h.db->runs().ListSteps(killed).value().size(), 1u);  // what it did stays
  for (const std::string& id : {live, elsewhere, no_pid, other_container}) {
    EXPECT_EQ(h.db->runs().FindRun(id).value().value().status, RunStatus::kRunning) << id;
  }
  // Only the runs of this host and namespace that have a pid.
  EXPECT_EQ(asked, (std::set<std::int64_t>{4242, 777}));

  // Done once: nothing left to finish.
  EXPECT_EQ(FinishOrphanedRuns(*h.db, "ci-host", kNamespace, alive, 1700000010000).value(), 0u);
  EXPECT_TRUE(h.errors.empty());
}

}  // namespace
}  // namespace flow::service
