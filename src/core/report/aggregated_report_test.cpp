#include "core/report/aggregated_report.hpp"

#include <gtest/gtest.h>

#include "core/report/report_test_support.hpp"

namespace flow::core {
namespace {

StepOutcome Step(std::string name, StepStatus status) {
  StepOutcome s;
  s.node_id = "n";
  s.step_id = NormalizeStepId(name);
  s.qualified_step_id = "n::" + s.step_id;
  s.step_name = std::move(name);
  s.status = status;
  s.duration_ms = 12.345;
  return s;
}

TEST(AggregatedReport, HasTheOriginalShapeAndCounts) {
  AggregatedReport report(ReportInfo{.project_name = "My Project!", .globals = {{"g", 1}}});
  report.OnRunStarted(1700000000000, 2);
  StepOutcome failed = Step("b", StepStatus::kFailure);
  failed.assertions.push_back(AssertionOutcome{.field = "status_code", .expected = 200,
                                               .actual = 404, .passed = false,
                                               .message = "expected 200, got 404"});
  report.OnStepFinished(Step("a", StepStatus::kSuccess));
  report.OnStepFinished(failed);
  SuiteOutcome suite{.node_id = "n", .suite_name = "N", .file = "n.yaml", .priority = "high",
                     .status = SuiteStatus::kFailure, .started_at_ms = 1700000000000,
                     .completed_at_ms = 1700000000100, .duration_ms = 100, .steps_reported = 2,
                     .steps_successful = 1, .steps_failed = 1};
  report.OnSuiteFinished(suite);
  report.AddUnloadedSuite("bad.yaml", {InvalidArgument("unknown key 'x'")});
  report.OnRunFinished(RunOutcome{.started_at_ms = 1700000000000, .completed_at_ms = 1700000000200,
                                  .duration_ms = 200, .suites_discovered = 1, .suites_run = 1,
                                  .suites_failed = 1});
  const Value& r = report.result();
  EXPECT_EQ(r["project_name"], "My Project!");
  EXPECT_EQ(r["start_time"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(r["total_tests"], 2);
  EXPECT_EQ(r["failed_tests"], 2);
  EXPECT_EQ(r["successful_tests"], 0);
  EXPECT_EQ(r["global_variables_final_state"]["g"], 1);
  ASSERT_EQ(r["suites_results"].size(), 2u);
  const Value& s = r["suites_results"][0];
  EXPECT_EQ(s["status"], "failure");
  EXPECT_EQ(s["success_rate"], 50.0);
  ASSERT_EQ(s["steps_results"].size(), 2u);
  EXPECT_EQ(s["steps_results"][1]["assertions_results"][0]["field"], "status_code");
  EXPECT_EQ(s["steps_results"][1]["error_message"],
            "assertion failed: status_code: expected 200, got 404");
  EXPECT_EQ(s["steps_results"][0]["duration_ms"], 12.35);
  EXPECT_EQ(r["suites_results"][1]["error_message"], "unknown key 'x'");
  EXPECT_EQ(report.FileStem(), "my-project_2023-11-14_22-13-20");
  EXPECT_EQ(r.begin().key(), "project_name");
}

TEST(AggregatedReport, ErroredStepsReportAsFailureWithTheirMessage) {
  StepOutcome s = Step("x", StepStatus::kError);
  Error e = Timeout("timeout after 500 ms");
  e.where = SourceSpan{.file = "a.yaml", .line = 3, .column = 7};
  s.error = e;
  const Value v = StepToReport(s);
  EXPECT_EQ(v["status"], "failure");
  EXPECT_EQ(v["outcome"], "error");
  EXPECT_EQ(v["error_message"], "timeout after 500 ms");
  EXPECT_EQ(v["error_location"]["line"], 3);
}

// Keeps the spools it makes, so a test can look at what was written when.
class WatchedSpools final : public SpoolFactory {
 public:
  std::unique_ptr<TextSpool> CreateSpool() override {
    auto spool = std::make_unique<StringOutput>();
    made.push_back(spool.get());
    return spool;
  }
  std::size_t BytesWaiting() const {
    std::size_t n = 0;
    for (const StringOutput* s : made) n += s->text().size();
    return n;
  }
  std::vector<StringOutput*> made;
};

class BrokenOutput final : public TextOutput {
 public:
  void Write(std::string_view) override {}
  Result<void> Status() const override { return Unavailable("cannot write x: no space left"); }
};

StepOutcome Child(std::string parent, std::size_t depth, std::size_t k, std::string kind = "request") {
  StepOutcome s = Step("item " + std::to_string(k), StepStatus::kSuccess);
  s.parent_qualified_id = std::move(parent);
  s.depth = depth;
  s.iteration = k;
  s.kind = std::move(kind);
  return s;
}

SuiteOutcome Finished(std::string node, std::size_t steps) {
  return SuiteOutcome{.node_id = std::move(node), .suite_name = "S", .file = "s.yaml",
                      .status = SuiteStatus::kSuccess, .started_at_ms = 1700000000000,
                      .completed_at_ms = 1700000000100, .duration_ms = 100,
                      .steps_reported = steps, .steps_successful = steps};
}

void FinishRun(AggregatedReport& report, std::size_t suites) {
  report.OnRunFinished(RunOutcome{.started_at_ms = 1700000000000,
                                  .completed_at_ms = 1700000000200, .duration_ms = 200,
                                  .suites_discovered = suites, .suites_run = suites,
                                  .suites_successful = suites});
}

std::string Text(const AggregatedReport& report) {
  StringOutput out;
  EXPECT_TRUE(report.WriteTo(out));
  return out.text();
}

TEST(AggregatedReport, StreamedTextIsThePrettyPrintedDocument) {
  AggregatedReport report(ReportInfo{.project_name = "p", .globals = {{"g", "x\ny"}}});
  report.OnRunStarted(1700000000000, 3);
  report.AddUnloadedSuite("bad.yaml", {InvalidArgument("unknown key 'x'")});
  StepOutcome a = Step("a", StepStatus::kSuccess);
  a.request = Value{{"method", "GET"}, {"headers", Value::object()}, {"body", "line\nnext"}};
  a.captured = {{"empty", Value::array()}, {"nested", {{"steps_results", Value::array()}}}};
  report.OnStepFinished(a);
  report.OnStepFinished(Child("n::loop", 2, 0));
  report.OnStepFinished(Child("n::loop", 1, 0, "call"));
  report.OnStepFinished(Child("n::loop", 1, 1));
  StepOutcome loop = Step("loop", StepStatus::kSuccess);
  loop.kind = "iterate";
  loop.details = {{"iteration_summary", {{"total", 2}}}};
  report.OnStepFinished(loop);
  report.OnSuiteFinished(Finished("n", 2));
  report.OnSuiteFinished(SuiteOutcome{.node_id = "m", .suite_name = "M", .file = "m.yaml",
                                      .status = SuiteStatus::kSkipped,
                                      .skip_reason = "required dependency 'n' failed"});
  FinishRun(report, 2);
  const std::string text = Text(report);
  const Value parsed = Value::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << text;
  EXPECT_EQ(text, DumpJson(parsed, 2) + "\n");
  EXPECT_TRUE(DeepEqual(parsed, report.result()));
}

TEST(AggregatedReport, StepsInsideAStepAreReportedInsideIt) {
  AggregatedReport report(ReportInfo{});
  report.OnRunStarted(1700000000000, 1);
  // An iterate step of two iterations, the first one a call whose called step comes first.
  report.OnStepFinished(Child("n::step-1-item-0", 2, 0));
  report.OnStepFinished(Child("n::loop", 1, 0, "call"));
  report.OnStepFinished(Child("n::loop", 1, 1));
  StepOutcome loop = Step("loop", StepStatus::kSuccess);
  loop.kind = "iterate";
  loop.details = {{"iteration_summary", {{"total", 2}, {"executed", 2}}}};
  report.OnStepFinished(loop);
  StepOutcome empty_loop = Step("none", StepStatus::kSuccess);
  empty_loop.kind = "iterate";
  report.OnStepFinished(empty_loop);
  report.OnSuiteFinished(Finished("n", 2));
  FinishRun(report, 1);
  const Value r = report.result();
  const Value& steps = r["suites_results"][0]["steps_results"];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["step_name"], "loop");
  EXPECT_EQ(steps[0]["iteration_summary"]["executed"], 2);
  const Value& iterations = steps[0]["iteration_results"];
  ASSERT_EQ(iterations.size(), 2u);
  EXPECT_EQ(iterations[0]["step_name"], "item 0");
  EXPECT_EQ(iterations[0]["iteration"], 0);
  EXPECT_EQ(iterations[1]["iteration"], 1);
  ASSERT_EQ(iterations[0]["scenarios_results"].size(), 1u);  // the called step
  EXPECT_FALSE(iterations[1].contains("scenarios_results"));
  EXPECT_EQ(steps[1]["iteration_results"], Value::array());
}

TEST(AggregatedReport, StepsLeaveMemoryAsSoonAsTheyFinish) {
  WatchedSpools spools;
  AggregatedReport report(ReportInfo{.spools = &spools});
  report.OnRunStarted(1700000000000, 1);
  std::size_t before = spools.BytesWaiting();
  for (std::size_t k = 0; k < 50; ++k) {
    report.OnStepFinished(Child("n::loop", 1, k));
    const std::size_t now = spools.BytesWaiting();
    EXPECT_GT(now, before) << "iteration " << k << " was not written out";
    before = now;
  }
  StepOutcome loop = Step("loop", StepStatus::kSuccess);
  loop.kind = "iterate";
  report.OnStepFinished(loop);
  report.OnSuiteFinished(Finished("n", 1));
  FinishRun(report, 1);
  EXPECT_EQ(report.result()["suites_results"][0]["steps_results"][0]["iteration_results"].size(),
            50u);
  // The suites' spool holds everything, the step levels were emptied into it.
  std::size_t non_empty = 0;
  for (const StringOutput* s : spools.made) non_empty += s->text().empty() ? 0 : 1;
  EXPECT_EQ(non_empty, 1u);
}

TEST(AggregatedReport, ASkippedSuiteSaysWhy) {
  AggregatedReport report(ReportInfo{});
  report.OnRunStarted(1700000000000, 1);
  report.OnSuiteFinished(SuiteOutcome{.node_id = "b", .suite_name = "B", .file = "b.yaml",
                                      .status = SuiteStatus::kSkipped,
                                      .skip_reason = "not run: required suite 'a' failed"});
  report.OnRunFinished(RunOutcome{.suites_discovered = 1, .suites_skipped = 1});
  const Value r = report.result();
  EXPECT_EQ(r["suites_results"][0]["status"], "skipped");
  EXPECT_EQ(r["suites_results"][0]["skip_reason"], "not run: required suite 'a' failed");
  EXPECT_EQ(r["skipped_tests"], 1);
}

TEST(AggregatedReport, AttemptsLogsAndDetailsAreReported) {
  StepOutcome s = Step("x", StepStatus::kSuccess);
  s.attempts = {AttemptOutcome{.number = 1, .status = StepStatus::kFailure, .duration_ms = 3.333,
                               .status_code = 503, .reason = "status 503"},
                AttemptOutcome{.number = 2, .waited_ms = 100, .status_code = 200}};
  s.logs = {LogEntry{.level = "info", .message = "hello"}};
  s.details = {{"scenarios_meta", {{"has_scenarios", true}}}, {"status", "not me"}};
  const Value v = StepToReport(s);
  ASSERT_EQ(v["attempts"].size(), 2u);
  EXPECT_EQ(v["attempts"][0]["status_code"], 503);
  EXPECT_EQ(v["attempts"][0]["duration_ms"], 3.33);
  EXPECT_EQ(v["attempts"][1]["waited_ms"], 100);
  EXPECT_EQ(v["logs"][0]["message"], "hello");
  EXPECT_FALSE(v["logs"][0].contains("data"));
  EXPECT_EQ(v["scenarios_meta"]["has_scenarios"], true);
  EXPECT_EQ(v["status"], "success");  // details never replace the report's own keys
}

TEST(AggregatedReport, WritingBeforeTheEndOrIntoAFailedOutputIsAnError) {
  AggregatedReport report(ReportInfo{});
  report.OnRunStarted(1700000000000, 0);
  StringOutput out;
  EXPECT_FALSE(report.WriteTo(out));
  EXPECT_TRUE(report.result().is_null());
  FinishRun(report, 0);
  BrokenOutput broken;
  const Result<void> w = report.WriteTo(broken);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().message, "cannot write x: no space left");
  EXPECT_EQ(report.result()["suites_results"], Value::array());
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(AggregatedReport, PerformanceSummaryHasPerStepSuiteAndRunResponseTimes) {
  AggregatedReport report(ReportInfo{.project_name = "p"});
  report_testing::FeedSampleRun(report);
  const Value r = report.result();
  ASSERT_TRUE(r.contains("performance_summary")) << DumpJson(r, 2);
  const Value& p = r["performance_summary"];
  // Samples: 18, 25 and the iterations' 8, 9, 10 (the errored and skipped steps sent nothing).
  EXPECT_EQ(p["total_requests"], 5);
  EXPECT_EQ(p["min_response_time_ms"], 8.0);
  EXPECT_EQ(p["median_response_time_ms"], 10.0);
  EXPECT_EQ(p["p95_response_time_ms"], 25.0);
  EXPECT_EQ(p["max_response_time_ms"], 25.0);
  EXPECT_EQ(p["average_response_time_ms"], 14.0);
  EXPECT_EQ(p["requests_per_second"], 25.0);  // 5 requests in 200 ms
  ASSERT_EQ(p["suites"].size(), 1u) << DumpJson(p, 2);  // the skipped suite sent nothing
  const Value& users = p["suites"][0];
  EXPECT_EQ(users["node_id"], "users");
  EXPECT_EQ(users["requests"], 5);
  ASSERT_EQ(users["steps"].size(), 3u);
  EXPECT_EQ(users["steps"][0]["step_id"], "list-users");
  EXPECT_EQ(users["steps"][0]["median_ms"], 18.0);
  // The three iterations are one series, named after their step.
  EXPECT_EQ(users["steps"][2]["step_id"], "page");
  EXPECT_EQ(users["steps"][2]["step_name"], "page");
  EXPECT_EQ(users["steps"][2]["requests"], 3);
  EXPECT_EQ(users["steps"][2]["min_ms"], 8.0);
  EXPECT_EQ(users["steps"][2]["max_ms"], 10.0);
  ASSERT_GE(p["slowest_steps"].size(), 1u);
  EXPECT_EQ(p["slowest_steps"][0]["step_id"], "get-user");
  // The key order of the original, with the summary before the metadata.
  std::vector<std::string> keys;
  for (auto it = r.begin(); it != r.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys.back(), "report_metadata");
  EXPECT_EQ(keys[keys.size() - 2], "performance_summary");
  // A step carries its place in the file.
  EXPECT_EQ(r["suites_results"][0]["steps_results"][0]["location"]["line"], 7);
  // An iterate step that failed through an iteration says so.
  EXPECT_EQ(r["suites_results"][0]["steps_results"][4]["error_message"], "1 of 3 iterations failed");
}

TEST(AggregatedReport, GlobalsHoldingASuitesKeyDoNotConfuseTheSplicing) {
  AggregatedReport report(
      ReportInfo{.project_name = "p", .globals = {{"suites", Value::array()}, {"x", 1}}});
  report_testing::FeedSampleRun(report);
  const Value r = report.result();
  ASSERT_FALSE(r.is_null());
  EXPECT_EQ(r["global_variables_final_state"]["suites"], Value::array());
  EXPECT_EQ(r["performance_summary"]["suites"].size(), 1u);
}

}  // namespace
}  // namespace flow::core
