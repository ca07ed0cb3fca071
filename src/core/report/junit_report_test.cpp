#include "core/report/junit_report.hpp"

#include <gtest/gtest.h>

#include "core/report/report_test_support.hpp"

namespace flow::core {
namespace {

using report_testing::Count;
using report_testing::FeedSampleRun;
using report_testing::Written;

std::string SampleJunit() {
  JunitReport report(JunitInfo{.project_name = "Shop & Co", .hostname = "ci-7"});
  FeedSampleRun(report);
  return Written(report);
}

TEST(JunitReport, CountsEveryStepIterationAndSuite) {
  const std::string xml = SampleJunit();
  ASSERT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0u) << xml;
  // users: 5 steps + 3 iterations; orders: 1 skipped placeholder; broken.yaml: 1 load error.
  EXPECT_NE(xml.find("<testsuites name=\"Shop &amp; Co\" tests=\"10\" failures=\"3\" errors=\"2\" "
                     "time=\"0.200\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"Users API\" tests=\"8\" failures=\"3\" errors=\"1\" "
                     "skipped=\"1\" time=\"0.100\" timestamp=\"2023-11-14T22:13:20\" "
                     "hostname=\"ci-7\" id=\"0\" package=\"users\" file=\"users.yaml\">"),
            std::string::npos)
      << xml;
  EXPECT_EQ(Count(xml, "<testsuite "), 3u);
  EXPECT_EQ(Count(xml, "<testcase "), 10u);
  EXPECT_EQ(Count(xml, "</testsuite>"), 3u);
}

TEST(JunitReport, FailuresCarryExpectedActualAndTheirPlace) {
  const std::string xml = SampleJunit();
  EXPECT_NE(xml.find("<failure message=\"status_code: expected 200, got 404\" type=\"assertion\">"
                     "status_code: expected 200, got 404\nexpected: 200\nactual:   404\n"
                     "at users.yaml:14:20</failure>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"timeout after 500 ms\" type=\"error\">users.yaml:20:9: "
                     "timeout after 500 ms\nhint: raise request.timeout</error>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"condition &#39;cleanup&#39; is false\"/>"),
            std::string::npos);
  // The iterate parent failed through an iteration: its message says so.
  EXPECT_NE(xml.find("<failure message=\"1 of 3 iterations failed\" type=\"failure\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<error message=\"broken.yaml:3:1: unknown key &#39;stpes&#39;\" type=\"load\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"required dependency &#39;users&#39; failed\"/>"),
            std::string::npos);
}

TEST(JunitReport, IterationsFollowTheirParentStep) {
  const std::string xml = SampleJunit();
  const std::size_t parent = xml.find("<testcase name=\"page\"");
  const std::size_t first = xml.find("<testcase name=\"page [1/3]\"");
  const std::size_t last = xml.find("<testcase name=\"page [3/3]\"");
  ASSERT_NE(parent, std::string::npos);
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(parent, first);
  EXPECT_LT(first, last);
  // The request line, status and time are in the step's output; markup in it is escaped.
  EXPECT_NE(xml.find("GET http://127.0.0.1:1/users?q=&lt;x&gt;&amp;y -&gt; 404 (0.030 s)"),
            std::string::npos)
      << xml;
}

TEST(JunitReport, NestedStepsAreNamedAfterTheirParent) {
  JunitReport report(JunitInfo{});
  report.OnRunStarted(0, 1);
  StepOutcome child = report_testing::Step("fetch token", StepStatus::kSuccess);
  child.depth = 1;
  child.parent_step_name = "log in";
  report.OnStepFinished(child);
  report.OnStepFinished(report_testing::Step("log in", StepStatus::kSuccess));
  report.OnSuiteFinished(SuiteOutcome{.node_id = "users", .suite_name = "U"});
  report.OnRunFinished(RunOutcome{});
  const std::string xml = Written(report);
  EXPECT_LT(xml.find("name=\"log in\""), xml.find("name=\"log in › fetch token\"")) << xml;
}

TEST(JunitReport, WritingBeforeTheEndIsRefused) {
  JunitReport report(JunitInfo{});
  StringOutput out;
  EXPECT_FALSE(report.WriteTo(out));
}

}  // namespace
}  // namespace flow::core
