#include "core/report/junit_report.hpp"

#include <cstdio>

#include "core/report/markup.hpp"
#include "core/util/time.hpp"
#include "core/value.hpp"

namespace flow::core {
namespace {

constexpr std::size_t kMaxOutputBytes = 64 * 1024;

std::string Seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms < 0 ? 0.0 : ms / 1000.0);
  return buf;
}

// The schema's timestamp: ISO 8601 without fraction or zone (UTC).
std::string Timestamp(std::int64_t unix_ms) { return FormatIsoUtc(unix_ms).substr(0, 19); }

std::string Attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + XmlEscape(value) + "\"";
}

std::string Place(const SourceSpan& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string Property(std::string_view name, std::string_view value) {
  return "      <property" + Attr("name", name) + Attr("value", value) + "/>\n";
}

}  // namespace

JunitReport::JunitReport(JunitInfo info)
    : info_(std::move(info)),
      spools_(info_.spools ? *info_.spools : static_cast<SpoolFactory&>(memory_)),
      steps_(spools_),
      suites_(spools_.CreateSpool()) {}

JunitReport::~JunitReport() = default;

void JunitReport::OnRunStarted(std::int64_t started_at_ms, std::size_t) {
  started_at_ms_ = started_at_ms;
  finished_ = false;
}

std::string JunitReport::CaseName(const StepOutcome& step) const {
  // Iterations are already named "step [k/n]"; other children carry their parent's name.
  if (step.depth == 0 || step.iteration || step.parent_step_name.empty()) return step.step_name;
  return step.parent_step_name + " › " + step.step_name;
}

void JunitReport::OnStepFinished(const StepOutcome& step) {
  std::string text = "    <testcase" + Attr("name", CaseName(step)) +
                     Attr("classname", step.run_node_id.empty() ? step.node_id : step.run_node_id) +
                     Attr("time", Seconds(step.duration_ms)) + ">\n";
  ++suite_counts_.tests;
  switch (step.status) {
    case StepStatus::kSkipped:
      ++suite_counts_.skipped;
      text += "      <skipped" + Attr("message", step.skip_reason) + "/>\n";
      break;
    case StepStatus::kError: {
      ++suite_counts_.errors;
      const std::string message = step.error ? step.error->message : "the step could not run";
      std::string detail = message;
      if (step.error && step.error->where && step.error->where->IsKnown()) {
        detail = Place(*step.error->where) + ": " + detail;
      }
      if (step.error && !step.error->hint.empty()) detail += "\nhint: " + step.error->hint;
      text += "      <error" + Attr("message", message) +
              Attr("type", step.error && !step.error->reason.empty() ? step.error->reason
                                                                      : std::string("error")) +
              ">" + XmlEscape(detail) + "</error>\n";
      break;
    }
    case StepStatus::kFailure: {
      ++suite_counts_.failures;
      bool any = false;
      for (const AssertionOutcome& a : step.assertions) {
        if (a.passed) continue;
        any = true;
        std::string detail = a.field + ": " + a.message + "\nexpected: " + DumpJson(a.expected) +
                             "\nactual:   " + DumpJson(a.actual);
        if (a.where && a.where->IsKnown()) detail += "\nat " + Place(*a.where);
        text += "      <failure" + Attr("message", a.field + ": " + a.message) +
                Attr("type", "assertion") + ">" + XmlEscape(TruncateUtf8(detail, kMaxOutputBytes)) +
                "</failure>\n";
      }
      if (!any) {
        // A failure without a failed assertion: a failed iteration or nested step, a hook
        // validation.
        const std::string message = step.FailureSummary();
        text += "      <failure" + Attr("message", message) + Attr("type", "failure") + ">" +
                XmlEscape(message) + "</failure>\n";
      }
      break;
    }
    case StepStatus::kSuccess:
      break;
  }
  std::string out;
  if (step.where.IsKnown()) out += "step: " + Place(step.where) + "\n";
  if (step.request && step.request->is_object()) {
    out += step.request->value("method", "") + " " + step.request->value("full_url", "");
    if (step.response && step.response->is_object()) {
      out += " -> " + std::to_string(step.response->value("status_code", 0));
    }
    out += " (" + Seconds(step.duration_ms) + " s)\n";
  }
  for (const AttemptOutcome& a : step.attempts) {
    out += "attempt " + std::to_string(a.number) + ": " + std::string(StepStatusName(a.status));
    if (a.status_code) out += " " + std::to_string(*a.status_code);
    if (!a.reason.empty()) out += " (" + a.reason + ")";
    out += "\n";
  }
  for (const LogEntry& log : step.logs) out += "[" + log.level + "] " + log.message + "\n";
  for (const std::string& w : step.warnings) out += "[warn] " + w + "\n";
  if (!out.empty()) {
    text += "      <system-out>" + XmlEscape(TruncateUtf8(out, kMaxOutputBytes)) +
            "</system-out>\n";
  }
  text += "    </testcase>\n";
  TextSpool& level = steps_.At(step.depth);
  level.Write(text);
  steps_.TakeChildren(step.depth, level);
}

void JunitReport::AppendSuite(const std::string& open_tag, const TextSpool* cases,
                              const std::string& tail) {
  suites_->Write(open_tag);
  if (cases) cases->ReplayTo(*suites_);
  suites_->Write(tail);
  suites_->Write("  </testsuite>\n");
  run_counts_.tests += suite_counts_.tests;
  run_counts_.failures += suite_counts_.failures;
  run_counts_.errors += suite_counts_.errors;
  run_counts_.skipped += suite_counts_.skipped;
  suite_counts_ = Counts{};
  ++suite_number_;
}

void JunitReport::OnSuiteFinished(const SuiteOutcome& suite) {
  TextSpool& top = steps_.At(0);
  steps_.TakeChildren(0, top);  // children whose parent never came
  std::string tail;
  if (suite.error) {
    // The suite could not start: one errored testcase says why.
    ++suite_counts_.tests;
    ++suite_counts_.errors;
    std::string detail = suite.error->message;
    if (suite.error->where && suite.error->where->IsKnown()) {
      detail = Place(*suite.error->where) + ": " + detail;
    }
    top.Write("    <testcase" + Attr("name", "(suite setup)") + Attr("classname", suite.node_id) +
              Attr("time", "0.000") + ">\n      <error" + Attr("message", suite.error->message) +
              Attr("type", "setup") + ">" + XmlEscape(detail) + "</error>\n    </testcase>\n");
  } else if (suite.status == SuiteStatus::kSkipped && suite_counts_.tests == 0) {
    ++suite_counts_.tests;
    ++suite_counts_.skipped;
    top.Write("    <testcase" + Attr("name", "(suite)") + Attr("classname", suite.node_id) +
              Attr("time", "0.000") + ">\n      <skipped" +
              Attr("message", suite.skip_reason.empty() ? "skipped" : suite.skip_reason) +
              "/>\n    </testcase>\n");
  }
  const std::string file = info_.absolute_path ? info_.absolute_path(suite.file) : suite.file;
  std::string open = "  <testsuite" + Attr("name", suite.suite_name) +
                     Attr("tests", std::to_string(suite_counts_.tests)) +
                     Attr("failures", std::to_string(suite_counts_.failures)) +
                     Attr("errors", std::to_string(suite_counts_.errors)) +
                     Attr("skipped", std::to_string(suite_counts_.skipped)) +
                     Attr("time", Seconds(suite.duration_ms)) +
                     Attr("timestamp", Timestamp(suite.started_at_ms)) +
                     Attr("hostname", info_.hostname) + Attr("id", std::to_string(suite_number_)) +
                     Attr("package", suite.node_id) + Attr("file", file) + ">\n";
  open += "    <properties>\n" + Property("node_id", suite.node_id) + Property("file", file) +
          Property("priority", suite.priority) +
          Property("status", std::string(SuiteStatusName(suite.status)));
  if (!suite.skip_reason.empty()) open += Property("skip_reason", suite.skip_reason);
  open += "    </properties>\n";
  std::string out;
  for (const std::string& w : suite.warnings) out += "[warn] " + w + "\n";
  if (!out.empty()) tail = "    <system-out>" + XmlEscape(out) + "</system-out>\n";
  AppendSuite(open, &top, tail);
  top.Clear();
}

void JunitReport::AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) {
  suite_counts_ = Counts{.tests = 1, .errors = 1};
  std::string detail;
  for (const Error& e : errors) detail += FormatErrorLine(e) + "\n";
  const std::string message =
      errors.empty() ? "the suite could not be loaded" : FormatErrorLine(errors.front());
  const std::string path = info_.absolute_path ? info_.absolute_path(file) : file;
  const std::string open =
      "  <testsuite" + Attr("name", file) + Attr("tests", "1") + Attr("failures", "0") +
      Attr("errors", "1") + Attr("skipped", "0") + Attr("time", "0.000") +
      Attr("timestamp", Timestamp(started_at_ms_)) + Attr("hostname", info_.hostname) +
      Attr("id", std::to_string(suite_number_)) + Attr("file", path) + ">\n" +
      "    <testcase" + Attr("name", "(load)") + Attr("classname", file) + Attr("time", "0.000") +
      ">\n      <error" + Attr("message", message) + Attr("type", "load") + ">" +
      XmlEscape(detail) + "</error>\n    </testcase>\n";
  AppendSuite(open, nullptr, "");
}

void JunitReport::OnRunFinished(const RunOutcome& run) {
  run_seconds_ = run.duration_ms;
  finished_ = true;
}

Result<void> JunitReport::WriteTo(TextOutput& out) const {
  if (!finished_) return Conflict("the report can only be written once the run has finished");
  out.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  out.Write("<testsuites" + Attr("name", info_.project_name) +
            Attr("tests", std::to_string(run_counts_.tests)) +
            Attr("failures", std::to_string(run_counts_.failures)) +
            Attr("errors", std::to_string(run_counts_.errors)) +
            Attr("time", Seconds(run_seconds_)) + ">\n");
  suites_->ReplayTo(out);
  out.Write("</testsuites>\n");
  if (Result<void> s = suites_->Status(); !s) return s;
  if (Result<void> s = steps_.Status(); !s) return s;
  return out.Status();
}

}  // namespace flow::core
