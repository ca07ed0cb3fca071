#include "cli/console_reporter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

core::StepOutcome Iteration(std::size_t k, core::StepStatus status) {
  core::StepOutcome s;
  s.node_id = "n";
  s.step_name = "get [" + std::to_string(k + 1) + "/100]";
  s.qualified_step_id = "n::loop-iter-" + std::to_string(k + 1);
  s.parent_qualified_id = "n::loop";
  s.depth = 1;
  s.iteration = k;
  s.status = status;
  s.duration_ms = 1;
  return s;
}

core::StepOutcome Loop() {
  core::StepOutcome s;
  s.node_id = "n";
  s.step_name = "loop";
  s.qualified_step_id = "n::loop";
  s.kind = "iterate";
  s.duration_ms = 100;
  return s;
}

TEST(ConsoleReporter, ChildStepsAreIndentedAndManySuccessesSummarized) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  for (std::size_t k = 0; k < 100; ++k) {
    console.OnStepFinished(
        Iteration(k, k == 50 ? core::StepStatus::kFailure : k == 60 ? core::StepStatus::kSkipped
                                                                    : core::StepStatus::kSuccess));
  }
  console.OnStepFinished(Loop());
  EXPECT_EQ(out.str(),
            "    ✓ get [1/100]  1 ms\n"
            "    ✓ get [2/100]  1 ms\n"
            "    ✓ get [3/100]  1 ms\n"
            "    ✗ get [51/100]  1 ms\n"
            "    … 95 more passed, 1 skipped\n"
            "  ✓ loop  100 ms\n");
}

TEST(ConsoleReporter, DetailedPrintsEveryChildStep) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kDetailed, false);
  for (std::size_t k = 0; k < 10; ++k) console.OnStepFinished(Iteration(k, core::StepStatus::kSuccess));
  console.OnStepFinished(Loop());
  const std::string text = out.str();
  EXPECT_NE(text.find("    ✓ get [10/100]  1 ms\n  ✓ loop  100 ms\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("more passed"), std::string::npos) << text;
}

TEST(ConsoleReporter, ChildStepsDoNotCountAsStepsOfTheSummary) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  for (std::size_t k = 0; k < 5; ++k) console.OnStepFinished(Iteration(k, core::StepStatus::kSuccess));
  console.OnStepFinished(Loop());
  console.OnRunFinished(core::RunOutcome{.suites_discovered = 1, .suites_run = 1,
                                         .suites_successful = 1});
  EXPECT_NE(out.str().find("steps: 1 passed, 0 failed"), std::string::npos) << out.str();
}

TEST(ConsoleReporter, ParallelModePrefixesStepAndSuiteLinesWithTheNode) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false, /*parallel=*/true);
  console.OnSuiteStarted("auth", "Login");
  core::StepOutcome step = Step(core::StepStatus::kSuccess);
  step.node_id = "auth";
  console.OnStepFinished(step);
  console.OnSuiteFinished(core::SuiteOutcome{.node_id = "auth", .suite_name = "Login",
                                             .duration_ms = 5, .steps_reported = 1,
                                             .steps_successful = 1});
  EXPECT_EQ(out.str(),
            "[auth] ▶ Login (auth)\n"
            "[auth]   ✓ Get user  GET http://h/get → 404  12 ms\n"
            "[auth] ✓ PASS Login  1 passed, 0 failed, 0 errors, 0 skipped, 1 total  5 ms\n");
}

TEST(ConsoleReporter, ACalledStepIsPrefixedWithTheSuiteThatRunsIt) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false, /*parallel=*/true);
  core::StepOutcome called = Step(core::StepStatus::kSuccess);
  called.node_id = "helper";
  called.run_node_id = "main";
  called.depth = 1;
  called.parent_qualified_id = "main::step-1-call";
  console.OnStepFinished(called);
  EXPECT_EQ(out.str().rfind("[main] ", 0), 0u) << out.str();
  EXPECT_EQ(out.str().find("[helper]"), std::string::npos) << out.str();
}

TEST(ConsoleReporter, ASkippedSuiteSaysWhyAndIsCountedApart) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  console.OnSuiteFinished(core::SuiteOutcome{.node_id = "b", .suite_name = "Orders",
                                             .status = core::SuiteStatus::kSkipped,
                                             .skip_reason = "required dependency 'a' failed"});
  console.OnRunFinished(core::RunOutcome{.suites_discovered = 3, .suites_run = 1,
                                         .suites_failed = 1, .suites_skipped = 2});
  const std::string text = out.str();
  EXPECT_NE(text.find("- SKIP Orders  required dependency 'a' failed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("FAILED  suites: 0 passed, 1 failed, 1 skipped, 1 run (1 not selected)"),
            std::string::npos)
      << text;
}

// Counts the writes that reach the stream's buffer.
class CountingBuffer final : public std::stringbuf {
 public:
  std::size_t writes = 0;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    ++writes;
    return std::stringbuf::xsputn(s, n);
  }
};

TEST(ConsoleReporter, EachEventIsOneWrite) {
  CountingBuffer buffer;
  std::ostream out(&buffer);
  ConsoleReporter console(out, Verbosity::kVerbose, false, true);
  core::StepOutcome failed = Step(core::StepStatus::kFailure);
  failed.assertions.push_back({.field = "status_code", .expected = 200, .actual = 404,
                               .passed = false, .message = "expected 200, got 404"});
  failed.warnings = {"w"};
  console.OnStepFinished(failed);
  EXPECT_EQ(buffer.writes, 1u);
  const std::string text = buffer.str();
  EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 3) << text;
}

}  // namespace
}  // namespace flow::cli

namespace flow::cli {
namespace {

TEST(ConsoleReporter, DigestListsEveryFailureAgainAtTheEnd) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  core::StepOutcome failed = Step(core::StepStatus::kFailure);
  failed.node_id = "users";
  failed.where = core::SourceSpan{.file = "u.yaml", .line = 12, .column = 5};
  failed.assertions.push_back({.field = "body.id", .expected = 7, .actual = "x",
                               .passed = false, .message = "expected 7, got \"x\""});
  console.OnStepFinished(failed);
  core::StepOutcome errored = Step(core::StepStatus::kError);
  errored.node_id = "users";
  errored.step_name = "Delete";
  errored.error = core::Unavailable("connection refused");
  console.OnStepFinished(errored);
  console.OnRunFinished(core::RunOutcome{.suites_run = 1, .suites_failed = 1});
  const std::string text = out.str();
  const std::size_t digest = text.find("Failures (2)\n");
  ASSERT_NE(digest, std::string::npos) << text;
  EXPECT_NE(text.find("  ✗ users › Get user  u.yaml:12\n      body.id: expected 7, got \"x\"\n",
                      digest),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  ! users › Delete\n      connection refused\n", digest), std::string::npos)
      << text;
  EXPECT_LT(digest, text.find("FAILED  suites"));
}

TEST(ConsoleReporter, DigestIsCapped) {
  std::ostringstream out;
  ConsoleReporter shown(out, Verbosity::kSimple, false);
  for (std::size_t i = 0; i < ConsoleReporter::kDigestEntries + 7; ++i) {
    shown.OnStepFinished(Step(core::StepStatus::kFailure));
  }
  out.str("");
  shown.OnRunFinished(core::RunOutcome{});
  EXPECT_NE(out.str().find("… and 7 more (see the reports)"), std::string::npos) << out.str();
}

TEST(ConsoleReporter, ProgressLineIsErasedBeforeEachLineAndGoneAtTheEnd) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false, false, true);
  console.OnRunStarted(0, 2);
  console.OnStepStarted("users", 0, "Get user");
  EXPECT_NE(out.str().find("0/2 suites · 0 passed"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Get user"), std::string::npos);
  console.OnStepFinished(Step(core::StepStatus::kSuccess));
  console.OnSuiteFinished(core::SuiteOutcome{.node_id = "users", .suite_name = "Users"});
  const std::string text = out.str();
  // Every line printed after the progress line first erases it.
  EXPECT_NE(text.find("\r\033[K  ✓ Get user"), std::string::npos) << text;
  EXPECT_NE(text.find("1/2 suites · 1 passed"), std::string::npos) << text;
  console.OnRunFinished(core::RunOutcome{});
  const std::string end = out.str();
  EXPECT_EQ(end.substr(end.size() - 1), "\n");  // the summary ends the output: no progress after
}

TEST(ConsoleReporter, NoProgressLineWithoutATerminal) {
  std::ostringstream out;
  ConsoleReporter console(out, Verbosity::kSimple, false);
  console.OnRunStarted(0, 2);
  console.OnStepStarted("users", 0, "Get user");
  console.OnStepFinished(Step(core::StepStatus::kSuccess));
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  EXPECT_EQ(out.str().find("suites ·"), std::string::npos);
}

}  // namespace
}  // namespace flow::cli
