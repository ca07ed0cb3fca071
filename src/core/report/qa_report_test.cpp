#include "core/report/qa_report.hpp"

#include <gtest/gtest.h>

#include "core/report/report_test_support.hpp"

namespace flow::core {
namespace {

Value SampleQa() {
  QaReport report(QaInfo{.project_name = "Shop",
                         .suites = {{"users", {.description = "user endpoints", .priority = "high"}},
                                    {"orders", {.priority = "medium"}}}});
  report_testing::FeedSampleRun(report);
  const std::string text = report_testing::Written(report);
  Value v = Value::parse(text, nullptr, false);
  EXPECT_FALSE(v.is_discarded()) << text;
  return v;
}

TEST(QaReport, ExecutiveSummaryAndMetrics) {
  const Value qa = SampleQa();
  std::vector<std::string> keys;
  for (auto it = qa.begin(); it != qa.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"executive_summary", "test_cases", "metrics", "issues",
                                            "performance", "report_metadata"}));
  const Value& s = qa["executive_summary"];
  EXPECT_EQ(s["project_name"], "Shop");
  EXPECT_EQ(s["test_run_date"], "14/11/2023");
  EXPECT_EQ(s["test_run_time"], "22:13:20 UTC");
  EXPECT_EQ(s["overall_status"], "FAILED");  // nothing passed: users failed, broken.yaml failed
  EXPECT_EQ(s["failed_test_cases"], 2);
  EXPECT_EQ(s["skipped_test_cases"], 1);
  EXPECT_EQ(s["success_rate"], "0.00%");
  EXPECT_EQ(s["total_duration"], "0.20s");
  const Value& m = qa["metrics"];
  EXPECT_EQ(m["total_steps"], 5);  // top-level steps only
  EXPECT_EQ(m["failed_steps"], 2);
  EXPECT_EQ(m["errored_steps"], 1);
  EXPECT_EQ(m["by_priority"]["high"]["failed"], 1);
  EXPECT_EQ(m["by_status"]["skipped"], 1);
  EXPECT_EQ(qa["performance"]["performance_rating"], "EXCELLENT");
  EXPECT_EQ(qa["performance"]["total_requests"], 5);
}

TEST(QaReport, TestCasesListTheirTopLevelSteps) {
  const Value qa = SampleQa();
  ASSERT_EQ(qa["test_cases"].size(), 2u);
  const Value& users = qa["test_cases"][0];
  EXPECT_EQ(users["test_case_id"], "TC-001");
  EXPECT_EQ(users["description"], "user endpoints");
  ASSERT_EQ(users["steps"].size(), 5u);
  EXPECT_EQ(users["steps"][0]["type"], "HTTP_REQUEST");
  EXPECT_EQ(users["steps"][0]["response"]["response_time_ms"], 18.0);
  EXPECT_EQ(users["steps"][0]["variables_captured"], Value::array({"first_id"}));
  EXPECT_EQ(users["steps"][1]["assertions"]["failed"][0]["actual"], 404);
  EXPECT_EQ(users["steps"][2]["error_message"], "timeout after 500 ms");
  EXPECT_EQ(qa["test_cases"][1]["status"], "skipped");
  EXPECT_EQ(qa["test_cases"][1]["steps"], Value::array());
}

TEST(QaReport, IssuesForEveryFailureWithSeverityCategoryAndPlace) {
  const Value qa = SampleQa();
  const Value& issues = qa["issues"];
  // get user, delete user, iteration 2, the iterate step, broken.yaml.
  ASSERT_EQ(issues.size(), 5u) << DumpJson(issues, 2);
  EXPECT_EQ(issues[0]["id"], "ISSUE-001");
  EXPECT_EQ(issues[0]["severity"], "HIGH");
  EXPECT_EQ(issues[0]["category"], "ASSERTION_FAILED");
  EXPECT_EQ(issues[0]["location"], "users.yaml:14:20");
  EXPECT_EQ(issues[0]["expected"], 200);
  EXPECT_EQ(issues[1]["category"], "HTTP_ERROR");  // a timeout
  EXPECT_EQ(issues[1]["location"], "users.yaml:20:9");
  EXPECT_EQ(issues[4]["category"], "EXECUTION_ERROR");
  EXPECT_EQ(issues[4]["location"], "broken.yaml:3:1");
  EXPECT_EQ(qa["metrics"]["total_issues"], 5);
}

}  // namespace
}  // namespace flow::core
