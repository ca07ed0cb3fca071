// A sample run for the reports' unit tests: two suites (one with a passing request step, a
// failed assertion, an errored step, a skipped step and an iterate step with three iterations of
// which one failed; one skipped suite) and one suite file that could not be loaded.
#pragma once

#include <string>

#include "core/model/suite.hpp"
#include "core/report/streamed_report.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core::report_testing {

inline StepOutcome Step(std::string name, StepStatus status, double ms = 12.345) {
  StepOutcome s;
  s.node_id = "users";
  s.run_node_id = "users";
  s.step_id = NormalizeStepId(name);
  s.qualified_step_id = "users::" + s.step_id;
  s.step_name = std::move(name);
  s.status = status;
  s.duration_ms = ms;
  s.started_at_ms = 1700000000000;
  s.where = SourceSpan{.file = "users.yaml", .line = 7, .column = 5};
  return s;
}

inline void WithExchange(StepOutcome& s, int status_code, double total_ms) {
  s.request = Value{{"method", "GET"}, {"full_url", "http://127.0.0.1:1/users?q=<x>&y"},
                    {"headers", {{"Accept", "application/json"}}}, {"body", nullptr}};
  s.response = Value{{"status_code", status_code},
                     {"headers", {{"content-type", "application/json"}}},
                     {"body", {{"id", 7}, {"name", "Ann & <Bob>"}}},
                     {"timing", {{"dns_ms", 0.1}, {"connect_ms", 0.2}, {"tls_ms", 0},
                                 {"time_to_first_byte_ms", total_ms - 1},
                                 {"content_download_ms", 1}, {"total_ms", total_ms}}}};
}

// Feeds the sample run to `sink` (and AddUnloadedSuite when it is a StreamedReport).
inline void FeedSampleRun(EventSink& sink) {
  sink.OnRunStarted(1700000000000, 2);
  sink.OnSuiteStarted("users", "Users API");
  StepOutcome ok = Step("list users", StepStatus::kSuccess, 20);
  WithExchange(ok, 200, 18);
  ok.assertions.push_back(AssertionOutcome{.field = "status_code", .expected = 200, .actual = 200,
                                           .passed = true, .message = "OK"});
  ok.captured = {{"first_id", 7}};
  sink.OnStepFinished(ok);
  StepOutcome bad = Step("get user", StepStatus::kFailure, 30);
  WithExchange(bad, 404, 25);
  AssertionOutcome failed{.field = "status_code", .expected = 200, .actual = 404, .passed = false,
                          .message = "expected 200, got 404"};
  failed.where = SourceSpan{.file = "users.yaml", .line = 14, .column = 20};
  bad.assertions.push_back(failed);
  sink.OnStepFinished(bad);
  StepOutcome err = Step("delete user", StepStatus::kError, 5);
  Error timeout = Timeout("timeout after 500 ms");
  timeout.where = SourceSpan{.file = "users.yaml", .line = 20, .column = 9};
  timeout.hint = "raise request.timeout";
  err.error = timeout;
  sink.OnStepFinished(err);
  StepOutcome skipped = Step("cleanup", StepStatus::kSkipped, 0);
  skipped.skip_reason = "condition 'cleanup' is false";
  sink.OnStepFinished(skipped);
  // An iterate step: its three iterations come first, then the parent.
  for (int k = 0; k < 3; ++k) {
    StepOutcome it = Step("page [" + std::to_string(k + 1) + "/3]",
                          k == 1 ? StepStatus::kFailure : StepStatus::kSuccess, 10 + k);
    it.step_id = "page-iter-" + std::to_string(k + 1);
    it.qualified_step_id = "users::" + it.step_id;
    it.depth = 1;
    it.iteration = k;
    it.parent_qualified_id = "users::page";
    it.parent_step_name = "page";
    WithExchange(it, k == 1 ? 500 : 200, 8 + k);
    if (k == 1) {
      it.assertions.push_back(AssertionOutcome{.field = "status_code", .expected = 200,
                                               .actual = 500, .passed = false,
                                               .message = "expected 200, got 500"});
    }
    sink.OnStepFinished(it);
  }
  StepOutcome page = Step("page", StepStatus::kFailure, 40);
  page.kind = "iterate";
  page.warnings.push_back("1 of 3 iterations failed");
  sink.OnStepFinished(page);
  SuiteOutcome users{.node_id = "users", .suite_name = "Users API", .file = "users.yaml",
                     .priority = "high", .status = SuiteStatus::kFailure,
                     .started_at_ms = 1700000000000, .completed_at_ms = 1700000000100,
                     .duration_ms = 100, .steps_reported = 5, .steps_successful = 1,
                     .steps_failed = 2, .steps_errored = 1, .steps_skipped = 1};
  sink.OnSuiteFinished(users);
  SuiteOutcome later{.node_id = "orders", .suite_name = "Orders", .file = "orders.yaml",
                     .priority = "medium", .status = SuiteStatus::kSkipped,
                     .started_at_ms = 1700000000100, .completed_at_ms = 1700000000100};
  later.skip_reason = "required dependency 'users' failed";
  sink.OnSuiteStarted("orders", "Orders");
  sink.OnSuiteFinished(later);
  if (auto* report = dynamic_cast<StreamedReport*>(&sink)) {
    Error e = InvalidArgument("unknown key 'stpes'", "did you mean 'steps'?");
    e.where = SourceSpan{.file = "broken.yaml", .line = 3, .column = 1};
    report->AddUnloadedSuite("broken.yaml", {e});
  }
  sink.OnRunFinished(RunOutcome{.started_at_ms = 1700000000000, .completed_at_ms = 1700000000200,
                                .duration_ms = 200, .suites_discovered = 2, .suites_run = 1,
                                .suites_failed = 1, .suites_skipped = 1});
}

inline std::string Written(const StreamedReport& report) {
  StringOutput out;
  const Result<void> ok = report.WriteTo(out);
  return ok ? out.text() : "WRITE FAILED: " + ok.error().message;
}

// How many times `needle` occurs in `text`.
inline std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace flow::core::report_testing
