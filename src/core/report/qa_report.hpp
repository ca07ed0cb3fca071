// QaReport: the original engine's QA report (`--format qa`: latest-qa.json), a summary for
// people rather than tools:
//
//   executive_summary  project, date (dd/mm/yyyy) and time of the run, overall_status
//                      (PASSED | FAILED | PARTIALLY_PASSED), suite and step counts, success_rate
//                      ("NN.NN%"), total_duration ("1m 02s") and total_duration_ms
//   test_cases[]       one per suite: test_case_id (TC-001...), suite_name, node_id, description,
//                      priority, status, timings, file_path, step counts and steps[] (top-level
//                      steps: step_number, step_id, step_name, status, type HTTP_REQUEST |
//                      ASSERTION | DATA_CAPTURE | CALL | OTHER, request (method, url), response
//                      (status_code, response_time_ms, size_bytes), assertions (counts and the
//                      failed ones), variables_captured (names), error_message)
//   metrics            totals, by_priority, by_status
//   issues[]           every failed or errored step (iterations and nested steps too) and every
//                      suite that could not load: id, severity (CRITICAL | HIGH | MEDIUM | LOW,
//                      from the suite's priority), category (ASSERTION_FAILED | HTTP_ERROR |
//                      EXECUTION_ERROR | OTHER), title, description, expected/actual, location
//                      ("file:line:col")
//   performance        the run's response times (performance_summary.hpp) and a rating
//                      (EXCELLENT < 200 ms average, GOOD < 500, ACCEPTABLE < 1000, else POOR)
//   report_metadata    generated_at, format "qa", version, generator
//
// Streamed (streamed_report.hpp): test cases and issues wait in spools. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/report/performance_summary.hpp"
#include "core/report/streamed_report.hpp"

namespace flow::core {

struct QaSuiteInfo {
  std::string description;
  std::string priority;  // the suite's, as planned: the severity of its issues
};

struct QaInfo {
  std::string project_name = "flowtest";
  std::string (*absolute_path)(const std::string&) = nullptr;
  std::map<std::string, QaSuiteInfo> suites;  // by node_id
  SpoolFactory* spools = nullptr;
};

class QaReport final : public StreamedReport {
 public:
  explicit QaReport(QaInfo info);
  ~QaReport() override;

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;
  void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) override;
  Result<void> WriteTo(TextOutput& out) const override;

 private:
  struct Tally {
    std::size_t total = 0, passed = 0, failed = 0, skipped = 0;
  };
  void AddIssue(Value issue);

  QaInfo info_;
  MemorySpoolFactory memory_;
  SpoolFactory& spools_;
  std::unique_ptr<TextSpool> cases_;
  std::size_t case_count_ = 0;
  std::unique_ptr<TextSpool> steps_;  // the current suite's top-level steps
  std::size_t step_count_ = 0;
  std::unique_ptr<TextSpool> issues_;
  std::size_t issue_count_ = 0;
  std::map<std::string, Tally> by_priority_;
  std::map<std::string, std::size_t> by_status_;
  std::size_t steps_total_ = 0, steps_passed_ = 0, steps_failed_ = 0, steps_errored_ = 0,
              steps_skipped_ = 0;
  std::size_t suites_passed_ = 0, suites_failed_ = 0, suites_skipped_ = 0;
  PerformanceSummary performance_;
  std::int64_t started_at_ms_ = 0;
  Value document_;  // everything but the spooled arrays, once the run finished
};

}  // namespace flow::core
