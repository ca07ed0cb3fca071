#include "core/run/outcome_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace flow::core {
namespace {

StepOutcome FullStep() {
  StepOutcome s;
  s.node_id = "users";
  s.step_index = 3;
  s.step_id = "page-iter-2";
  s.qualified_step_id = "users::page-iter-2";
  s.step_name = "page [2/5]";
  s.where = SourceSpan{.file = "u.yaml", .line = 7, .column = 5};
  s.status = StepStatus::kError;
  Error e = Timeout("timeout after 5 ms", "raise it");
  e.reason = "timeout";
  e.pointer = "/request";
  e.where = SourceSpan{.file = "u.yaml", .line = 9, .column = 3};
  s.error = e;
  s.skip_reason = "";
  s.duration_ms = 12.5;
  s.delay_ms = 100;
  s.started_at_ms = 1700000000000;
  s.completed_at_ms = 1700000000013;
  s.request = Value{{"method", "GET"}, {"full_url", "http://x/a"}};
  s.response = Value{{"status_code", 503}, {"body", {{"k", Value::array({1, 2})}}}};
  s.assertions.push_back(AssertionOutcome{.field = "status_code", .expected = 200, .actual = 503,
                                          .passed = false, .message = "expected 200, got 503",
                                          .pointer = "/status_code",
                                          .where = SourceSpan{.file = "u.yaml", .line = 11, .column = 20}});
  s.captured = {{"id", 7}};
  s.warnings = {"w1"};
  s.parent_qualified_id = "users::page";
  s.parent_step_name = "page";
  s.run_node_id = "users";
  s.depth = 1;
  s.iteration = 1;
  s.kind = "request";
  s.attempts.push_back(AttemptOutcome{.number = 1, .status = StepStatus::kFailure,
                                      .duration_ms = 3, .waited_ms = 0, .status_code = 503,
                                      .reason = "status 503"});
  s.logs.push_back(LogEntry{.level = "info", .message = "hello", .data = {{"n", 1}}});
  s.details = {{"iteration_summary", {{"total", 5}}}};
  return s;
}

TEST(OutcomeJson, AStepSurvivesTheRoundTrip) {
  const StepOutcome step = FullStep();
  const Value json = StepOutcomeToJson(step);
  Result<StepOutcome> back = StepOutcomeFromJson(json);
  ASSERT_TRUE(back) << back.error().message;
  // Every field: the JSON of the copy is the JSON of the original, and the fields with their own
  // types are compared one by one too.
  EXPECT_EQ(DumpJson(StepOutcomeToJson(*back)), DumpJson(json));
  EXPECT_EQ(back->status, StepStatus::kError);
  ASSERT_TRUE(back->error);
  EXPECT_EQ(back->error->code, ErrorCode::kTimeout);
  EXPECT_EQ(back->error->hint, "raise it");
  EXPECT_EQ(back->error->pointer, "/request");
  EXPECT_EQ(back->error->where->line, 9);
  EXPECT_EQ(back->where.column, 5);
  EXPECT_EQ(back->iteration, std::optional<std::size_t>(1));
  ASSERT_EQ(back->assertions.size(), 1u);
  EXPECT_EQ(back->assertions[0].actual, 503);
  EXPECT_EQ(back->assertions[0].where->line, 11);
  ASSERT_EQ(back->attempts.size(), 1u);
  EXPECT_EQ(back->attempts[0].status_code, std::optional<int>(503));
  EXPECT_EQ(back->logs[0].data["n"], 1);
  EXPECT_EQ(back->details["iteration_summary"]["total"], 5);
  EXPECT_EQ(back->delay_ms, 100);
}

// StepOutcomeColumnsJson writes, without a Value, what DumpJson writes of StepOutcomeToJson's
// parts, for every field set and unset, odd text and numbers.
void ExpectColumnsOf(const StepOutcome& step) {
  Value whole = StepOutcomeToJson(step);
  const StepOutcomeColumns columns = StepOutcomeColumnsJson(step);
  EXPECT_EQ(columns.assertions, DumpJson(whole["assertions"]));
  EXPECT_EQ(columns.captured, whole["captured"].is_object() ? DumpJson(whole["captured"]) : "{}");
  EXPECT_EQ(columns.error, whole.contains("error") ? DumpJson(whole["error"]) : "");
  for (const char* key : {"assertions", "captured", "error"}) whole.erase(key);
  EXPECT_EQ(columns.rest, DumpJson(whole));
}

TEST(OutcomeJson, TheColumnsOfAStepAreItsJsonSplit) {
  ExpectColumnsOf(FullStep());
  ExpectColumnsOf(StepOutcome{});
  StepOutcome odd = FullStep();
  odd.step_name = "quote \" tab \t caf\xc3\xa9 bad \xff \x01";
  odd.node_id = "";
  odd.duration_ms = 0.1 + 0.2;
  odd.delay_ms = -5;
  odd.started_at_ms = std::numeric_limits<std::int64_t>::min();
  odd.step_index = std::numeric_limits<std::size_t>::max();
  odd.where = SourceSpan{};
  odd.error->hint = "";
  odd.error->where.reset();
  odd.assertions.push_back(AssertionOutcome{.field = "body.x", .expected = Value::array({1.5, nullptr}),
                                            .actual = Value(), .passed = true, .message = "OK"});
  odd.captured = Value::array({1});  // not an object: {}
  odd.warnings = {"one", "", "thr\"ee"};
  odd.attempts.push_back(AttemptOutcome{.number = 2, .status = StepStatus::kSuccess,
                                        .duration_ms = std::numeric_limits<double>::quiet_NaN(),
                                        .waited_ms = 250, .reason = ""});
  odd.logs.push_back(LogEntry{.level = "warn", .message = "\n", .data = Value()});
  odd.details = Value::object();
  odd.request.reset();
  odd.iteration.reset();
  ExpectColumnsOf(odd);
  odd.error.reset();
  odd.response.reset();
  odd.assertions.clear();
  odd.attempts.clear();
  odd.captured = Value::object();
  odd.iteration = 0;
  ExpectColumnsOf(odd);
}

// JSON has no infinity nor NaN: a duration that was not finite is written null and reads back
// NaN (written null again), not as an error that would lose the whole outcome.
TEST(OutcomeJson, ADurationThatWasNotFiniteReadsBackAsNaN) {
  StepOutcome step = FullStep();
  step.duration_ms = std::numeric_limits<double>::infinity();
  step.attempts[0].duration_ms = std::numeric_limits<double>::quiet_NaN();
  const Value json = StepOutcomeToJson(step);
  const Value stored = Value::parse(DumpJson(json));
  EXPECT_TRUE(stored["duration_ms"].is_null());
  Result<StepOutcome> back = StepOutcomeFromJson(stored);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(std::isnan(back->duration_ms));
  EXPECT_TRUE(std::isnan(back->attempts.at(0).duration_ms));
  EXPECT_EQ(DumpJson(StepOutcomeToJson(*back)), DumpJson(json));
  SuiteOutcome suite;
  suite.duration_ms = std::numeric_limits<double>::infinity();
  Result<SuiteOutcome> suite_back =
      SuiteOutcomeFromJson(Value::parse(DumpJson(SuiteOutcomeToJson(suite))));
  ASSERT_TRUE(suite_back) << suite_back.error().message;
  EXPECT_TRUE(std::isnan(suite_back->duration_ms));
}

TEST(OutcomeJson, AMinimalStepKeepsItsAbsences) {
  StepOutcome step;
  step.step_name = "s";
  step.status = StepStatus::kSkipped;
  step.skip_reason = "because";
  Result<StepOutcome> back = StepOutcomeFromJson(StepOutcomeToJson(step));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->request);
  EXPECT_FALSE(back->response);
  EXPECT_FALSE(back->error);
  EXPECT_FALSE(back->iteration);
  EXPECT_EQ(back->skip_reason, "because");
}

TEST(OutcomeJson, SuitesAndRunsSurviveTheRoundTrip) {
  SuiteOutcome suite{.node_id = "n", .suite_name = "N", .file = "n.yaml", .priority = "high",
                     .status = SuiteStatus::kSkipped, .started_at_ms = 5, .completed_at_ms = 9,
                     .duration_ms = 4, .steps_reported = 3, .steps_successful = 1,
                     .steps_failed = 1, .steps_errored = 1, .steps_skipped = 0};
  suite.skip_reason = "dep failed";
  suite.error = InvalidArgument("bad variable");
  suite.exported = {{"token", "***"}};
  suite.variables = {{"a", 1}};
  suite.warnings = {"w"};
  Result<SuiteOutcome> back = SuiteOutcomeFromJson(SuiteOutcomeToJson(suite));
  ASSERT_TRUE(back);
  EXPECT_EQ(DumpJson(SuiteOutcomeToJson(*back)), DumpJson(SuiteOutcomeToJson(suite)));
  EXPECT_EQ(back->status, SuiteStatus::kSkipped);
  EXPECT_EQ(back->error->message, "bad variable");
  const RunOutcome run{.started_at_ms = 1, .completed_at_ms = 2, .duration_ms = 1.5,
                       .suites_discovered = 4, .suites_run = 3, .suites_successful = 2,
                       .suites_failed = 1, .suites_skipped = 1};
  Result<RunOutcome> run_back = RunOutcomeFromJson(RunOutcomeToJson(run));
  ASSERT_TRUE(run_back);
  EXPECT_EQ(DumpJson(RunOutcomeToJson(*run_back)), DumpJson(RunOutcomeToJson(run)));
}

TEST(OutcomeJson, WhatIsNotAStoredOutcomeIsRefused) {
  EXPECT_FALSE(StepOutcomeFromJson(Value::array()));
  EXPECT_FALSE(StepOutcomeFromJson(Value{{"status", "exploded"}}));
  EXPECT_FALSE(StepOutcomeFromJson(Value{{"status", "success"}, {"duration_ms", "fast"}}));
  EXPECT_FALSE(SuiteOutcomeFromJson(Value{{"status", "maybe"}}));
  EXPECT_FALSE(RunOutcomeFromJson(Value{{"suites_run", "many"}}));
}

}  // namespace
}  // namespace flow::core
