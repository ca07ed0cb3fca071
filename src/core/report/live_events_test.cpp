#include "core/report/live_events.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/report/report_test_support.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

std::vector<Value> Lines(const std::string& text) {
  std::vector<Value> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(Value::parse(line, nullptr, false));
    EXPECT_FALSE(out.back().is_discarded()) << line;
  }
  return out;
}

TEST(LiveEvents, OneJsonLinePerEventInOrder) {
  StringOutput out;
  flow::testing::FakeClock clock;
  LiveEvents live(out, clock, "Shop");
  report_testing::FeedSampleRun(live);
  EXPECT_EQ(out.text().back(), '\n');
  const std::vector<Value> lines = Lines(out.text());
  // run, 2 suites started + completed, 8 steps completed, run completed.
  ASSERT_EQ(lines.size(), 1u + 2u + 8u + 2u + 1u);
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["seq"], i + 1);
  EXPECT_EQ(lines.front()["type"], "run_started");
  EXPECT_EQ(lines.front()["project_name"], "Shop");
  EXPECT_EQ(lines[1]["type"], "suite_started");
  EXPECT_EQ(lines.back()["type"], "run_completed");
  EXPECT_EQ(lines.back()["status"], "failed");
  EXPECT_EQ(lines.back()["suites"]["skipped"], 1);
  const Value& failed = lines[3];
  EXPECT_EQ(failed["type"], "step_completed");
  EXPECT_EQ(failed["step_name"], "get user");
  EXPECT_EQ(failed["status"], "failure");
  EXPECT_EQ(failed["response"]["status_code"], 404);
  EXPECT_EQ(failed["failed_assertions"][0]["location"], "users.yaml:14:20");
  EXPECT_EQ(failed["location"], "users.yaml:7:5");
  EXPECT_FALSE(failed.contains("body"));
  EXPECT_EQ(lines[4]["error"]["message"], "timeout after 500 ms");
  EXPECT_EQ(lines[6]["iteration"], 0);
  EXPECT_EQ(lines[6]["parent_step_id"], "users::page");
  EXPECT_EQ(lines[9]["error"]["message"], "1 of 3 iterations failed");
}

TEST(LiveEvents, StepStartedCarriesItsIndex) {
  StringOutput out;
  flow::testing::FakeClock clock;
  LiveEvents live(out, clock, "p");
  live.OnStepStarted("users", 3, "list");
  const Value line = Value::parse(out.text());
  EXPECT_EQ(line["type"], "step_started");
  EXPECT_EQ(line["step_index"], 3);
  EXPECT_EQ(line["timestamp"].get<std::string>().size(), 24u);
}

}  // namespace
}  // namespace flow::core
