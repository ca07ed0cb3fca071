#include "cli/console_reporter.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/value.hpp"

namespace flow::cli {
namespace {

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kYellow = "33";
constexpr const char* kDim = "2";

std::string FormatMs(double ms) {
  char buf[32];
  if (ms >= 1000) {
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  }
  return buf;
}

std::string Short(const core::Value& v, std::size_t limit = 120) {
  std::string text = core::DumpJson(v);
  if (text.size() > limit) text = text.substr(0, limit) + "…";
  return text;
}

}  // namespace

ConsoleReporter::ConsoleReporter(std::ostream& out, Verbosity verbosity, bool color)
    : out_(out), verbosity_(verbosity), color_(color) {}

std::string ConsoleReporter::Paint(std::string_view text, const char* code) const {
  if (!color_) return std::string(text);
  return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

void ConsoleReporter::OnSuiteStarted(const std::string& node_id, const std::string& suite_name) {
  if (verbosity_ == Verbosity::kSilent) return;
  out_ << "\n" << Paint("▶ " + suite_name, "1") << Paint(" (" + node_id + ")", kDim) << "\n";
}

void ConsoleReporter::OnStepFinished(const core::StepOutcome& step) {
  switch (step.status) {
    case core::StepStatus::kSuccess: ++steps_passed_; break;
    case core::StepStatus::kFailure: ++steps_failed_; break;
    case core::StepStatus::kError: ++steps_errored_; break;
    case core::StepStatus::kSkipped: ++steps_skipped_; break;
  }
  if (verbosity_ == Verbosity::kSilent) return;
  std::string mark;
  switch (step.status) {
    case core::StepStatus::kSuccess: mark = Paint("✓", kGreen); break;
    case core::StepStatus::kFailure: mark = Paint("✗", kRed); break;
    case core::StepStatus::kError: mark = Paint("!", kRed); break;
    case core::StepStatus::kSkipped: mark = Paint("-", kYellow); break;
  }
  out_ << "  " << mark << " " << step.step_name;
  if (step.request) {
    out_ << "  " << step.request->value("method", "") << " " << step.request->value("full_url", "");
  }
  if (step.response) {
    const int code = step.response->value("status_code", 0);
    out_ << " → " << Paint(std::to_string(code), code >= 400 ? kYellow : kDim);
  }
  if (step.status != core::StepStatus::kSkipped) out_ << "  " << Paint(FormatMs(step.duration_ms), kDim);
  out_ << "\n";

  if (step.status == core::StepStatus::kSkipped && verbosity_ >= Verbosity::kDetailed) {
    out_ << "      " << Paint("skipped: " + step.skip_reason, kDim) << "\n";
  }
  for (const core::AssertionOutcome& a : step.assertions) {
    if (a.passed && verbosity_ < Verbosity::kDetailed) continue;
    out_ << "      " << (a.passed ? Paint("ok", kGreen) : Paint("failed", kRed)) << " " << a.field
         << ": " << a.message;
    if (!a.passed && a.where && a.where->IsKnown()) {
      out_ << Paint("  (" + a.where->file + ":" + std::to_string(a.where->line) + ":" +
                        std::to_string(a.where->column) + ")",
                    kDim);
    }
    out_ << "\n";
  }
  if (step.error) {
    out_ << "      " << Paint("error: ", kRed) << core::FormatErrorLine(*step.error) << "\n";
    if (!step.error->hint.empty()) out_ << "      hint: " << step.error->hint << "\n";
  }
  for (const std::string& w : step.warnings) {
    out_ << "      " << Paint("warning: ", kYellow) << w << "\n";
  }
  if (verbosity_ == Verbosity::kVerbose) {
    if (step.request) out_ << Paint("      request: " + Short(*step.request, 400), kDim) << "\n";
    if (step.response && step.response->contains("body")) {
      out_ << Paint("      response body: " + Short((*step.response)["body"], 400), kDim) << "\n";
    }
    if (!step.captured.empty()) out_ << Paint("      captured: " + Short(step.captured), kDim) << "\n";
  }
}

void ConsoleReporter::OnSuiteFinished(const core::SuiteOutcome& suite) {
  if (verbosity_ == Verbosity::kSilent) return;
  if (suite.error) {
    out_ << "  " << Paint("! ", kRed) << core::FormatErrorLine(*suite.error) << "\n";
    if (!suite.error->hint.empty()) out_ << "    hint: " << suite.error->hint << "\n";
  }
  for (const std::string& w : suite.warnings) out_ << "  " << Paint("warning: ", kYellow) << w << "\n";
  const bool ok = suite.status == core::SuiteStatus::kSuccess;
  const std::size_t total = suite.steps_reported;
  out_ << (ok ? Paint("✓ PASS", kGreen) : Paint("✗ FAIL", kRed)) << " " << suite.suite_name << "  "
       << suite.steps_successful << " passed, " << suite.steps_failed << " failed, "
       << suite.steps_errored << " errors, " << suite.steps_skipped << " skipped, " << total
       << " total  " << Paint(FormatMs(suite.duration_ms), kDim) << "\n";
}

void ConsoleReporter::OnRunFinished(const core::RunOutcome& run) {
  if (verbosity_ == Verbosity::kSilent) return;
  const bool passed = run.Passed() && unloaded_ == 0;
  out_ << "\n"
       << (passed ? Paint("PASSED", kGreen) : Paint("FAILED", kRed)) << "  suites: "
       << run.suites_successful << " passed, " << run.suites_failed + unloaded_ << " failed";
  if (unloaded_ > 0) out_ << " (" << unloaded_ << " could not be loaded)";
  out_ << ", " << run.suites_run << " run";
  if (run.suites_discovered > run.suites_run) {
    out_ << " (" << run.suites_discovered - run.suites_run << " not selected)";
  }
  out_ << "  steps: " << steps_passed_ << " passed, " << steps_failed_ << " failed, " << steps_errored_
       << " errors, " << steps_skipped_ << " skipped  " << FormatMs(run.duration_ms) << "\n";
}

}  // namespace flow::cli
