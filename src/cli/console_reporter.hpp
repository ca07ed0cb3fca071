// ConsoleReporter: prints a run as it happens: one line per step (status, method, URL, status
// code, time), the reasons of failures with their place in the suite, and a summary.
// Not thread-safe; one per run.
#pragma once

#include <ostream>
#include <string>

#include "core/run/outcome.hpp"

namespace flow::cli {

enum class Verbosity { kSilent, kSimple, kDetailed, kVerbose };

class ConsoleReporter final : public core::EventSink {
 public:
  ConsoleReporter(std::ostream& out, Verbosity verbosity, bool color);

  void OnSuiteStarted(const std::string& node_id, const std::string& suite_name) override;
  void OnStepFinished(const core::StepOutcome& step) override;
  void OnSuiteFinished(const core::SuiteOutcome& suite) override;
  void OnRunFinished(const core::RunOutcome& run) override;
  // Suite files that could not be loaded: the summary counts them as failed.
  void AddUnloadedSuites(std::size_t count) { unloaded_ += count; }

 private:
  std::string Paint(std::string_view text, const char* code) const;

  std::ostream& out_;
  Verbosity verbosity_;
  bool color_;
  std::size_t steps_passed_ = 0;
  std::size_t steps_failed_ = 0;
  std::size_t steps_errored_ = 0;
  std::size_t steps_skipped_ = 0;
  std::size_t unloaded_ = 0;
};

}  // namespace flow::cli
