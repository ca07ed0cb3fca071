#include "service/runs/run_history.hpp"

#include <gtest/gtest.h>

#include "service/runs/history_test_support.hpp"

namespace flow::service {
namespace {

using testing::HistoryHarness;

StepRunRecord Step(const std::string& name, int depth, const std::string& parent = "") {
  return StepRunRecord{.step_name = name, .depth = depth, .parent_step_id = parent};
}

std::string Shape(const std::vector<StepNode>& nodes) {
  std::string out;
  for (const StepNode& n : nodes) {
    out += n.step.step_name;
    if (!n.children.empty()) out += "(" + Shape(n.children) + ")";
    out += " ";
  }
  return out;
}

TEST(RunHistory, StepsFormATreeUnderTheirParents) {
  // Children come before their parent; a call inside an iteration goes two levels down.
  const std::vector<StepNode> tree = StepTree({
      Step("a", 0), Step("i1.call", 2), Step("i1", 1), Step("i2", 1), Step("loop", 0),
      Step("b", 0), Step("orphan", 1), Step("c", 0), Step("late", 1)});
  EXPECT_EQ(Shape(tree), "a loop(i1(i1.call ) i2 ) b c(orphan ) late ");
}

struct Recorded {
  HistoryHarness h;
  RunHistory history{*h.db};
  Recorded() {
    h.globals = {{"env", "staging"}};
    h.Add(testing::StepsSuite("alpha", 2), "alpha.yaml");
    h.Add("suite_name: Beta\nnode_id: beta\nbase_url: http://api.test\nsteps:\n"
          "  - name: broken\n    request: {method: GET, url: /fail}\n    assert: {status_code: 200}\n"
          "  - name: loop\n    iterate: {range: \"1..2\", as: n}\n"
          "    request: {method: GET, url: \"/p/{{n}}\"}\n",
          "beta.yaml");
    h.Run(1);
  }
  RunRecord Of(const std::string& node) {
    return history.List({.node_id = node}).value().at(0);
  }
};

TEST(RunHistory, RunsAreFoundByIdOrAUniquePrefix) {
  Recorded r;
  const RunRecord alpha = r.Of("alpha");
  EXPECT_EQ(r.history.FindRun(alpha.id)->id, alpha.id);
  EXPECT_EQ(r.history.FindRun(alpha.id.substr(0, 8))->id, alpha.id);
  EXPECT_EQ(r.history.FindRun(" " + alpha.id.substr(0, 6) + " ")->id, alpha.id);
  std::string upper = alpha.id.substr(0, 8);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(r.history.FindRun(upper)->id, alpha.id);
  EXPECT_EQ(r.history.FindRun(alpha.id.substr(0, 3)).error().code,
            core::ErrorCode::kInvalidArgument);
  const core::Result<RunRecord> missing = r.history.FindRun("ffffffff-none");
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().hint, "'flowtest runs list' shows the run ids");
  EXPECT_EQ(r.history.FindRun("").error().code, core::ErrorCode::kInvalidArgument);
}

// Ids whose first half is always the same: the runs share any prefix of up to 18 characters.
class SharedPrefixEntropy final : public core::Entropy {
 public:
  std::uint64_t Next() override { return (++calls_ % 2 == 1) ? 0x1234567890abcdefULL : calls_; }

 private:
  std::uint64_t calls_ = 0;
};

TEST(RunHistory, APrefixOfSeveralRunsOrBatchesIsAmbiguous) {
  flow::testing::FakeClock clock;
  SharedPrefixEntropy entropy;
  adapters::InMemoryDatabase db(&clock, &entropy);
  const std::string version =
      db.suites().SaveVersion(NewVersion{.node_id = "x", .yaml_raw = "x"}).value().version.id;
  const std::string a = db.runs().CreateRun({.version_id = version, .batch_id = "abcd1234-1"})->id;
  const std::string b = db.runs().CreateRun({.version_id = version, .batch_id = "abcd1234-2"})->id;
  ASSERT_EQ(a.substr(0, 8), b.substr(0, 8));
  RunHistory history(db);
  const core::Result<RunRecord> run = history.FindRun(a.substr(0, 8));
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(run.error().message.find("names 2 runs: "), std::string::npos) << run.error().message;
  EXPECT_NE(run.error().message.find(a), std::string::npos);
  EXPECT_EQ(run.error().hint, "give more characters of the id");
  EXPECT_EQ(history.FindRun(b)->id, b);  // a whole id is never ambiguous

  const core::Result<std::string> batch = history.FindBatch("abcd12");
  ASSERT_FALSE(batch);
  EXPECT_NE(batch.error().message.find("names 2 batches: abcd1234-1, abcd1234-2"),
            std::string::npos)
      << batch.error().message;
  EXPECT_EQ(*history.FindBatch("abcd1234-2"), "abcd1234-2");
  EXPECT_EQ(history.FindBatch("zzzz").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(history.FindBatch("").error().code, core::ErrorCode::kInvalidArgument);
}

TEST(RunHistory, BatchesAreFoundByIdOrPrefix) {
  Recorded r;
  EXPECT_EQ(*r.history.FindBatch(r.h.batch_id), r.h.batch_id);
  EXPECT_EQ(*r.history.FindBatch(r.h.batch_id.substr(0, 8)), r.h.batch_id);
  EXPECT_EQ(r.history.FindBatch("6b1").error().code, core::ErrorCode::kInvalidArgument);
}

TEST(RunHistory, ShowGivesTheRunItsVersionOutcomeAndStepTree) {
  Recorded r;
  const RunDetails beta = r.history.Show(r.Of("beta")).value();
  EXPECT_EQ(beta.run.status, RunStatus::kFailed);
  ASSERT_TRUE(beta.version);
  EXPECT_EQ(beta.version->version, 1);
  ASSERT_TRUE(beta.outcome);
  EXPECT_EQ(beta.outcome->status, core::SuiteStatus::kFailure);
  EXPECT_EQ(beta.outcome->steps_failed, 1u);
  EXPECT_EQ(Shape(beta.steps), "broken loop(loop [1/2] loop [2/2] ) ");
  EXPECT_TRUE(beta.load_errors.empty());
  EXPECT_FALSE(beta.variables.empty());  // the globals and suite variables, at least
  const std::vector<StepRunRecord> steps = r.history.Steps(beta.run.id).value();
  EXPECT_EQ(steps.size(), 4u);
}

TEST(RunHistory, ShowReadsBackTheErrorsOfAFileThatCouldNotBeLoaded) {
  HistoryHarness h;
  h.Run(1, {}, [](RunRecorder& recorder) {
    core::Error e = core::InvalidArgument("unknown key 'stpes'", "did you mean 'steps'?");
    e.where = core::SourceSpan{.file = "t.yaml", .line = 2, .column = 1};
    recorder.AddUnloadedSuite("t.yaml", "node_id: t\nstpes: []\n", {e});
  });
  RunHistory history(*h.db);
  const RunDetails t = history.Show(history.List({}).value().at(0)).value();
  ASSERT_EQ(t.load_errors.size(), 1u);
  EXPECT_EQ(t.load_errors[0].hint, "did you mean 'steps'?");
  EXPECT_EQ(t.load_errors[0].where->line, 2);
  EXPECT_TRUE(t.steps.empty());
}

TEST(RunHistory, PurgeDeletesTheRunsOlderThanTheCutOff) {
  Recorded r;  // two runs queued at recorder_clock time
  const std::int64_t queued = r.Of("alpha").queued_at;
  EXPECT_EQ(*r.history.CountPurgeable(queued), 0u);
  EXPECT_EQ(*r.history.CountPurgeable(queued + 1), 2u);
  EXPECT_EQ(*r.history.Purge(queued), 0u);
  EXPECT_EQ(*r.history.Purge(queued + 1), 2u);
  EXPECT_TRUE(r.history.List({}).value().empty());
}

TEST(RunHistory, ListsFilterAndPage) {
  Recorded r;
  EXPECT_EQ(r.history.List({}).value().size(), 2u);
  EXPECT_EQ(r.history.List({.status = RunStatus::kFailed}).value().at(0).node_id, "beta");
  EXPECT_EQ(r.history.List({.batch_id = r.h.batch_id, .limit = 1}).value().size(), 1u);
  EXPECT_TRUE(r.history.List({.batch_id = "other"}).value().empty());
}

}  // namespace
}  // namespace flow::service
