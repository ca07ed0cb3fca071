// HtmlReport: the run as one self-contained HTML page (`--format html`), and optionally one page
// per suite, for people to read in a browser:
//
//  - a header with the overall verdict and filters by status (all, failed, passed, skipped);
//  - summary cards: suites, steps, requests (median, p95, max response time), duration;
//  - "Failures" first: every failed or errored step, with the failed assertion (expected and
//    actual) or the error, its file:line:col, and a link to the step;
//  - the suites, failed ones first, each with a timing waterfall of its steps (SVG) and its
//    steps: request (headers, body, curl), response (status, headers, body, timings per phase),
//    assertions, captures, attempts, logs, and the steps run inside it (iterations, nested and
//    called steps; past `max_children` passed ones per step only a count, failures always).
//
// It needs no script at all: the filters are radio buttons and CSS, details are <details>. The
// page carries a Content-Security-Policy (default-src 'none', its one <style> allowed by hash),
// so it renders under the strictest policy a server may add. Bodies are cut at max_body_bytes.
//
// Streamed (streamed_report.hpp): steps, suites and failures wait in spools. A suite's events
// must come together and in order. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/report/performance_summary.hpp"
#include "core/report/streamed_report.hpp"

namespace flow::core {

// Where the per-suite pages go: Write() writes the page of suite `node_id` of the run started at
// `run_started_at_ms` (the CLI: a file named after both in the HTML directory), calling render
// with the output.
class HtmlPageWriter {
 public:
  virtual ~HtmlPageWriter() = default;
  virtual Result<void> Write(const std::string& node_id, std::int64_t run_started_at_ms,
                             const std::function<void(TextOutput&)>& render) = 0;
};

struct HtmlInfo {
  std::string project_name = "flowtest";
  std::string (*absolute_path)(const std::string&) = nullptr;
  SpoolFactory* spools = nullptr;          // null: in memory
  HtmlPageWriter* suite_pages = nullptr;   // null: no page per suite
  std::size_t max_children = 50;           // passed children shown per step
  std::size_t max_body_bytes = 64 * 1024;  // of each request and response body
  std::size_t max_waterfall_bars = 300;    // per suite
};

class HtmlReport final : public StreamedReport {
 public:
  explicit HtmlReport(HtmlInfo info);
  ~HtmlReport() override;

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;
  void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) override;
  Result<void> WriteTo(TextOutput& out) const override;

  // The Content-Security-Policy every page carries.
  static std::string ContentSecurityPolicy();

  // One top-level step on a suite's timing waterfall.
  struct Bar {
    double offset_ms = 0;  // from the start of the suite
    double duration_ms = 0;
    std::string status;    // passed, failed, error, skipped
    std::string name;
    std::string anchor;    // the id of the step's element
  };

 private:
  struct Counts {
    std::size_t passed = 0, failed = 0, errors = 0, skipped = 0;
  };
  // The steps waiting at one depth for their parent: how many are shown and hidden, and which
  // statuses they hold (themselves or inside), for the parent's filter classes.
  struct Level {
    std::size_t shown = 0;
    std::size_t hidden = 0;
    bool failed = false, passed = false, skipped = false;
  };

  HtmlInfo info_;
  MemorySpoolFactory memory_;
  SpoolFactory& spools_;
  NestedSteps steps_;
  std::vector<Level> levels_;                  // children shown and hidden, per depth
  std::unique_ptr<TextSpool> suite_failures_;  // the current suite's failure items
  std::unique_ptr<TextSpool> failures_;        // every failure item
  std::unique_ptr<TextSpool> failed_suites_;
  std::unique_ptr<TextSpool> other_suites_;
  std::unique_ptr<TextSpool> section_;         // the current suite's section, while assembled
  std::vector<Bar> bars_;                      // the current suite's top-level steps
  std::size_t bars_hidden_ = 0;
  Counts suite_steps_;
  Counts steps_total_;
  std::size_t suites_passed_ = 0, suites_failed_ = 0, suites_skipped_ = 0, unloaded_ = 0;
  std::size_t next_anchor_ = 0;
  std::size_t suite_number_ = 0;
  PerformanceSummary performance_;
  std::int64_t started_at_ms_ = 0;
  double duration_ms_ = 0;
  bool finished_ = false;
  std::vector<std::string> page_errors_;
};

}  // namespace flow::core
