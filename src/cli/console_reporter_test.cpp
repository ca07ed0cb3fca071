#include "cli/console_reporter.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace flow::cli {
namespace {

core::StepOutcome Step(core::StepStatus status) {
  core::StepOutcome s;
  s.step_name = "Get user";
  s.status = status;
  s.duration_ms = 12.4;
  s.request = core::Value{{"method", "GET"}, {"full_url", "http://h/get"}};
  s.response = core::Value{{"status_code", 404}};
  return s;
}

TEST(ConsoleReporter, OneLinePerStepWithMethodUrlStatusAndTime) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  console.OnStepFinished(Step(core::StepStatus::kSuccess));
  EXPECT_EQ(out.str(), "  ✓ Get user  GET http://h/get → 404  12 ms\n");
}

TEST(ConsoleReporter, FailuresShowTheFailedAssertionAndErrorsTheirPlace) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  core::StepOutcome failed = Step(core::StepStatus::kFailure);
  failed.assertions.push_back({.field = "status_code", .expected = 200, .actual = 404,
                               .passed = false, .message = "expected 200, got 404",
                               .where = core::SourceSpan{.file = "a.yaml", .line = 9, .column = 20}});
  console.OnStepFinished(failed);
  core::StepOutcome errored = Step(core::StepStatus::kError);
  errored.response.reset();
  core::Error e = core::Timeout("timeout after 500 ms");
  e.where = core::SourceSpan{.file = "a.yaml", .line = 7, .column = 12};
  errored.error = e;
  console.OnStepFinished(errored);
  const std::string text = out.str();
  EXPECT_NE(text.find("      failed status_code: expected 200, got 404  (a.yaml:9:20)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      error: a.yaml:7:12: timeout after 500 ms\n"), std::string::npos) << text;
}

TEST(ConsoleReporter, SummaryCountsSuitesAndSteps) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  console.OnStepFinished(Step(core::StepStatus::kSuccess));
  console.OnStepFinished(Step(core::StepStatus::kSkipped));
  console.OnRunFinished(core::RunOutcome{.duration_ms = 1500, .suites_discovered = 2,
                                         .suites_run = 1, .suites_successful = 1});
  EXPECT_NE(out.str().find("PASSED  suites: 1 passed, 0 failed, 1 run (1 not selected)  steps: 1 "
                           "passed, 0 failed, 0 errors, 1 skipped  1.50 s"),
            std::string::npos)
      << out.str();
}

TEST(ConsoleReporter, UnloadedSuitesMakeTheRunFail) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  console.AddUnloadedSuites(1);
  console.OnRunFinished(core::RunOutcome{.suites_discovered = 1, .suites_run = 1,
                                         .suites_successful = 1});
  EXPECT_NE(out.str().find("FAILED  suites: 1 passed, 1 failed (1 could not be loaded), 1 run"),
            std::string::npos)
      << out.str();
}

TEST(ConsoleReporter, SilentPrintsNothing) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSilent, false);
  console.OnSuiteStarted("n", "N");
  console.OnStepFinished(Step(core::StepStatus::kFailure));
  console.OnRunFinished({});
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace flow::cli
