// ConsoleReporter: prints a run as it happens: one line per step (status, method, URL, status
// code, time), the reasons of failures with their place in the suite, and a summary.
//
// Each event is printed whole, in one write (a step line with its detail lines, a suite line), so
// lines from suites running in parallel never interleave mid-line. With `parallel` every step and
// suite line starts with "[node_id] ", since the steps of several suites alternate. Steps run
// inside another step (iterations, nested and called steps) are indented under it; in kSimple
// only the first kShownChildren successful ones of each parent are printed, then one line counts
// the rest ("… 99997 more passed"); failures are always printed, everything in kDetailed.
//
// With `progress` (stdout is a terminal), a status line at the bottom shows the suites done of
// the total, the steps so far by status, the step running and the elapsed time; it is erased
// before every other line and redrawn after, so the lines above stay plain. Without a terminal
// only plain lines are written. At the end a digest lists every failed step again (at most
// kDigestEntries): the suite and step, its file:line, and each failed assertion with expected
// and actual, or the error.
//
// Not thread-safe: its calls must not overlap (the Scheduler's `live` sink guarantees that).
#pragma once

#include <chrono>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/run/outcome.hpp"

namespace flow::cli {

enum class Verbosity { kSilent, kSimple, kDetailed, kVerbose };

class ConsoleReporter final : public core::EventSink {
 public:
  static constexpr std::size_t kShownChildren = 3;
  static constexpr std::size_t kDigestEntries = 50;

  ConsoleReporter(std::ostream& out, Verbosity verbosity, bool color, bool parallel = false,
                  bool progress = false);

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnSuiteStarted(const std::string& node_id, const std::string& suite_name) override;
  void OnStepStarted(const std::string& node_id, std::size_t step_index,
                     const std::string& step_name) override;
  void OnStepFinished(const core::StepOutcome& step) override;
  void OnSuiteFinished(const core::SuiteOutcome& suite) override;
  void OnRunFinished(const core::RunOutcome& run) override;
  // Suite files that could not be loaded: the summary counts them as failed.
  void AddUnloadedSuites(std::size_t count) { unloaded_ += count; }

 private:
  // Children of one parent step seen so far, and those not printed.
  struct ChildCount {
    std::size_t shown = 0;
    std::size_t hidden_passed = 0;
    std::size_t hidden_skipped = 0;
  };
  std::string Paint(std::string_view text, const char* code) const;
  std::string Prefix(const std::string& node_id) const;
  std::string StepText(const core::StepOutcome& step, const std::string& indent) const;
  void Emit(const std::string& text);
  void DrawProgress();
  void AddToDigest(const core::StepOutcome& step);

  std::ostream& out_;
  Verbosity verbosity_;
  bool color_;
  bool parallel_;
  bool progress_;
  bool progress_shown_ = false;
  std::size_t suites_total_ = 0;
  std::size_t suites_done_ = 0;
  std::string running_;  // the step running, for the progress line
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::vector<std::string> digest_;
  std::size_t digest_more_ = 0;
  std::map<std::string, ChildCount> children_;  // by parent_qualified_id
  std::size_t steps_passed_ = 0;
  std::size_t steps_failed_ = 0;
  std::size_t steps_errored_ = 0;
  std::size_t steps_skipped_ = 0;
  std::size_t suites_skipped_ = 0;
  std::size_t unloaded_ = 0;
};

}  // namespace flow::cli
