#include "core/report/aggregated_report.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace flow::core
