#include "cli/console_reporter.hpp"

#include <cstdio>
#include <iterator>

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

ConsoleReporter::ConsoleReporter(std::ostream& out, Verbosity verbosity, bool color,
                                 bool parallel, bool progress)
    : out_(out), verbosity_(verbosity), color_(color), parallel_(parallel),
      progress_(progress && verbosity != Verbosity::kSilent) {}

std::string ConsoleReporter::Paint(std::string_view text, const char* code) const {
  if (!color_) return std::string(text);
  return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

std::string ConsoleReporter::Prefix(const std::string& node_id) const {
  return parallel_ ? Paint("[" + node_id + "] ", kDim) : std::string();
}

// One write per event, flushed, so a reader of a pipe sees whole lines as they happen. On a
// terminal the progress line is erased first and drawn again below the text.
void ConsoleReporter::Emit(const std::string& text) {
  if (progress_shown_) {
    out_ << "\r\033[K";
    progress_shown_ = false;
  }
  out_ << text;
  if (progress_) DrawProgress();
  out_.flush();
}

void ConsoleReporter::DrawProgress() {
  const double elapsed = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - started_)
                             .count();
  std::string line = "  " + std::to_string(suites_done_) + "/" + std::to_string(suites_total_) +
                     " suites · " + std::to_string(steps_passed_) + " passed";
  if (steps_failed_ + steps_errored_ > 0) {
    line += " · " + std::to_string(steps_failed_ + steps_errored_) + " failed";
  }
  if (steps_skipped_ > 0) line += " · " + std::to_string(steps_skipped_) + " skipped";
  line += " · " + FormatMs(elapsed);
  if (!running_.empty()) line += " · " + running_;
  // One terminal line at most: long step names would wrap and break the erase.
  if (line.size() > 100) line = line.substr(0, 97) + "...";
  out_ << Paint(line, kDim);
  progress_shown_ = true;
}

void ConsoleReporter::OnRunStarted(std::int64_t, std::size_t suite_count) {
  suites_total_ = suite_count;
  started_ = std::chrono::steady_clock::now();
}

void ConsoleReporter::OnStepStarted(const std::string&, std::size_t, const std::string& step_name) {
  if (!progress_) return;
  running_ = step_name;
  Emit("");
}

void ConsoleReporter::AddToDigest(const core::StepOutcome& step) {
  if (step.status != core::StepStatus::kFailure && step.status != core::StepStatus::kError) return;
  if (digest_.size() >= kDigestEntries) {
    ++digest_more_;
    return;
  }
  const std::string& suite_id = step.run_node_id.empty() ? step.node_id : step.run_node_id;
  std::string text = "  " + Paint(step.status == core::StepStatus::kError ? "!" : "✗", kRed) +
                     " " + suite_id + " › " + step.step_name;
  if (step.where.IsKnown()) {
    text += Paint("  " + step.where.file + ":" + std::to_string(step.where.line), kDim);
  }
  text += "\n";
  bool any = false;
  for (const core::AssertionOutcome& a : step.assertions) {
    if (a.passed) continue;
    any = true;
    text += "      " + a.field + ": expected " + Short(a.expected) + ", got " + Short(a.actual);
    if (a.where && a.where->IsKnown()) {
      text += Paint("  (" + a.where->file + ":" + std::to_string(a.where->line) + ":" +
                        std::to_string(a.where->column) + ")",
                    kDim);
    }
    text += "\n";
  }
  if (!any) {
    text += "      " + (step.error ? core::FormatErrorLine(*step.error) : step.FailureSummary()) +
            "\n";
  }
  digest_.push_back(std::move(text));
}

void ConsoleReporter::OnSuiteStarted(const std::string& node_id, const std::string& suite_name) {
  if (verbosity_ == Verbosity::kSilent) return;
  Emit((parallel_ ? "" : "\n") + Prefix(node_id) + Paint("▶ " + suite_name, "1") +
       Paint(" (" + node_id + ")", kDim) + "\n");
}

std::string ConsoleReporter::StepText(const core::StepOutcome& step,
                                      const std::string& indent) const {
  std::string mark;
  switch (step.status) {
    case core::StepStatus::kSuccess: mark = Paint("✓", kGreen); break;
    case core::StepStatus::kFailure: mark = Paint("✗", kRed); break;
    case core::StepStatus::kError: mark = Paint("!", kRed); break;
    case core::StepStatus::kSkipped: mark = Paint("-", kYellow); break;
  }
  const std::string& suite_id = step.run_node_id.empty() ? step.node_id : step.run_node_id;
  std::string text = Prefix(suite_id) + indent + "  " + mark + " " + step.step_name;
  if (step.request) {
    text += "  " + step.request->value("method", "") + " " + step.request->value("full_url", "");
  }
  if (step.response) {
    const int code = step.response->value("status_code", 0);
    text += " → " + Paint(std::to_string(code), code >= 400 ? kYellow : kDim);
  }
  if (step.status != core::StepStatus::kSkipped) text += "  " + Paint(FormatMs(step.duration_ms), kDim);
  text += "\n";

  const std::string detail = indent + "      ";
  if (step.status == core::StepStatus::kSkipped && verbosity_ >= Verbosity::kDetailed) {
    text += detail + Paint("skipped: " + step.skip_reason, kDim) + "\n";
  }
  for (const core::AssertionOutcome& a : step.assertions) {
    if (a.passed && verbosity_ < Verbosity::kDetailed) continue;
    text += detail + (a.passed ? Paint("ok", kGreen) : Paint("failed", kRed)) + " " + a.field +
            ": " + a.message;
    if (!a.passed && a.where && a.where->IsKnown()) {
      text += Paint("  (" + a.where->file + ":" + std::to_string(a.where->line) + ":" +
                        std::to_string(a.where->column) + ")",
                    kDim);
    }
    text += "\n";
  }
  if (step.error) {
    text += detail + Paint("error: ", kRed) + core::FormatErrorLine(*step.error) + "\n";
    if (!step.error->hint.empty()) text += detail + "hint: " + step.error->hint + "\n";
  }
  for (const std::string& w : step.warnings) {
    text += detail + Paint("warning: ", kYellow) + w + "\n";
  }
  for (const core::LogEntry& log : step.logs) {
    if (verbosity_ < Verbosity::kDetailed && log.level != "warn" && log.level != "error") continue;
    text += detail + Paint(log.level + ": ", log.level == "error" ? kRed : kDim) + log.message + "\n";
  }
  if (verbosity_ == Verbosity::kVerbose) {
    if (step.request) text += Paint(detail + "request: " + Short(*step.request, 400), kDim) + "\n";
    if (step.response && step.response->contains("body")) {
      text += Paint(detail + "response body: " + Short((*step.response)["body"], 400), kDim) + "\n";
    }
    if (!step.captured.empty()) text += Paint(detail + "captured: " + Short(step.captured), kDim) + "\n";
  }
  return text;
}

void ConsoleReporter::OnStepFinished(const core::StepOutcome& step) {
  running_.clear();
  AddToDigest(step);
  if (step.depth == 0) {
    switch (step.status) {
      case core::StepStatus::kSuccess: ++steps_passed_; break;
      case core::StepStatus::kFailure: ++steps_failed_; break;
      case core::StepStatus::kError: ++steps_errored_; break;
      case core::StepStatus::kSkipped: ++steps_skipped_; break;
    }
  }
  if (verbosity_ == Verbosity::kSilent) return;
  const std::string indent(2 * step.depth, ' ');
  std::string text;
  if (step.depth > 0) {
    ChildCount& count = children_[step.parent_qualified_id];
    const bool failed =
        step.status == core::StepStatus::kFailure || step.status == core::StepStatus::kError;
    if (!failed && verbosity_ == Verbosity::kSimple && count.shown >= kShownChildren) {
      ++(step.status == core::StepStatus::kSkipped ? count.hidden_skipped : count.hidden_passed);
      return;
    }
    ++count.shown;
  }
  // The children not printed are counted just above their parent's own line.
  if (const auto found = children_.find(step.qualified_step_id); found != children_.end()) {
    const ChildCount& count = found->second;
    if (count.hidden_passed + count.hidden_skipped > 0) {
      std::string more = "… " + std::to_string(count.hidden_passed) + " more passed";
      if (count.hidden_skipped > 0) more += ", " + std::to_string(count.hidden_skipped) + " skipped";
      const std::string& suite_id = step.run_node_id.empty() ? step.node_id : step.run_node_id;
      text += Prefix(suite_id) + indent + "    " + Paint(more, kDim) + "\n";
    }
    children_.erase(found);
  }
  text += StepText(step, indent);
  Emit(text);
}

void ConsoleReporter::OnSuiteFinished(const core::SuiteOutcome& suite) {
  // Forget the children of this suite's steps whose parent line never came.
  const std::string own = suite.node_id + "::";
  for (auto it = children_.begin(); it != children_.end();) {
    it = it->first.rfind(own, 0) == 0 ? children_.erase(it) : std::next(it);
  }
  if (suite.status == core::SuiteStatus::kSkipped) ++suites_skipped_;
  ++suites_done_;
  if (verbosity_ == Verbosity::kSilent) return;
  const std::string prefix = Prefix(suite.node_id);
  std::string text;
  if (suite.error) {
    text += prefix + "  " + Paint("! ", kRed) + core::FormatErrorLine(*suite.error) + "\n";
    if (!suite.error->hint.empty()) text += prefix + "    hint: " + suite.error->hint + "\n";
  }
  for (const std::string& w : suite.warnings) {
    text += prefix + "  " + Paint("warning: ", kYellow) + w + "\n";
  }
  if (suite.status == core::SuiteStatus::kSkipped) {
    text += prefix + Paint("- SKIP", kYellow) + " " + suite.suite_name + "  " +
            Paint(suite.skip_reason.empty() ? "skipped" : suite.skip_reason, kDim) + "\n";
    Emit(text);
    return;
  }
  const bool ok = suite.status == core::SuiteStatus::kSuccess;
  text += prefix + (ok ? Paint("✓ PASS", kGreen) : Paint("✗ FAIL", kRed)) + " " + suite.suite_name +
          "  " + std::to_string(suite.steps_successful) + " passed, " +
          std::to_string(suite.steps_failed) + " failed, " + std::to_string(suite.steps_errored) +
          " errors, " + std::to_string(suite.steps_skipped) + " skipped, " +
          std::to_string(suite.steps_reported) + " total  " +
          Paint(FormatMs(suite.duration_ms), kDim) + "\n";
  Emit(text);
}

void ConsoleReporter::OnRunFinished(const core::RunOutcome& run) {
  children_.clear();
  progress_ = false;  // the summary is the last line
  if (verbosity_ == Verbosity::kSilent) return;
  const bool passed = run.Passed() && unloaded_ == 0;
  std::string text;
  if (!digest_.empty()) {
    const std::size_t total = digest_.size() + digest_more_;
    text += "\n" + Paint("Failures (" + std::to_string(total) + ")", kRed) + "\n";
    for (const std::string& entry : digest_) text += entry;
    if (digest_more_ > 0) {
      text += "  … and " + std::to_string(digest_more_) + " more (see the reports)\n";
    }
  }
  text += "\n" + (passed ? Paint("PASSED", kGreen) : Paint("FAILED", kRed)) +
                     "  suites: " + std::to_string(run.suites_successful) + " passed, " +
                     std::to_string(run.suites_failed + unloaded_) + " failed";
  if (unloaded_ > 0) text += " (" + std::to_string(unloaded_) + " could not be loaded)";
  if (suites_skipped_ > 0) text += ", " + std::to_string(suites_skipped_) + " skipped";
  text += ", " + std::to_string(run.suites_run) + " run";
  const std::size_t accounted = run.suites_run + suites_skipped_;
  if (run.suites_discovered > accounted) {
    text += " (" + std::to_string(run.suites_discovered - accounted) + " not selected)";
  }
  text += "  steps: " + std::to_string(steps_passed_) + " passed, " + std::to_string(steps_failed_) +
          " failed, " + std::to_string(steps_errored_) + " errors, " +
          std::to_string(steps_skipped_) + " skipped  " + FormatMs(run.duration_ms) + "\n";
  Emit(text);
}

}  // namespace flow::cli
