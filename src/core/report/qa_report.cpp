#include "core/report/qa_report.hpp"

#include <cmath>
#include <cstdio>

#include "core/util/time.hpp"

namespace flow::core {
namespace {

constexpr std::size_t kCaseIndent = 4;
constexpr std::size_t kStepIndent = 8;
constexpr std::size_t kIssueIndent = 4;

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string Percent(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", rate);
  return buf;
}

std::string Duration(double ms) {
  char buf[48];
  const auto total_s = static_cast<long long>(ms / 1000);
  if (total_s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm %02llds", total_s / 60, total_s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%.2fs", ms / 1000);
  }
  return buf;
}

std::string Severity(const std::string& priority) {
  if (priority == "critical") return "CRITICAL";
  if (priority == "high") return "HIGH";
  if (priority == "low") return "LOW";
  return "MEDIUM";
}

std::string StepType(const StepOutcome& step) {
  if (step.kind == "call") return "CALL";
  if (step.request) return "HTTP_REQUEST";
  if (!step.assertions.empty()) return "ASSERTION";
  if (!step.captured.empty()) return "DATA_CAPTURE";
  return "OTHER";
}

std::string Category(const StepOutcome& step) {
  if (step.FailedAssertions() > 0) return "ASSERTION_FAILED";
  if (step.error && (step.error->code == ErrorCode::kUnavailable ||
                     step.error->code == ErrorCode::kTimeout)) {
    return "HTTP_ERROR";
  }
  if (step.response && step.response->value("status_code", 0) >= 500) return "HTTP_ERROR";
  if (step.error) return "EXECUTION_ERROR";
  return "OTHER";
}

std::string Place(const SourceSpan& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

}  // namespace

QaReport::QaReport(QaInfo info)
    : info_(std::move(info)),
      spools_(info_.spools ? *info_.spools : static_cast<SpoolFactory&>(memory_)),
      cases_(spools_.CreateSpool()),
      steps_(spools_.CreateSpool()),
      issues_(spools_.CreateSpool()) {}

QaReport::~QaReport() = default;

void QaReport::OnRunStarted(std::int64_t started_at_ms, std::size_t) {
  started_at_ms_ = started_at_ms;
}

void QaReport::AddIssue(Value issue) {
  char id[32];
  std::snprintf(id, sizeof id, "ISSUE-%03zu", issue_count_ + 1);
  Value out = {{"id", id}};
  out.update(issue);
  AppendArrayItem(*issues_, issue_count_, kIssueIndent, DumpIndented(out, kIssueIndent));
}

void QaReport::OnStepFinished(const StepOutcome& step) {
  performance_.OnStep(step);
  const std::string& suite_id = step.run_node_id.empty() ? step.node_id : step.run_node_id;
  if (step.status == StepStatus::kFailure || step.status == StepStatus::kError) {
    const auto info = info_.suites.find(suite_id);
    Value issue = {{"severity", Severity(info == info_.suites.end() ? "" : info->second.priority)},
                   {"category", Category(step)},
                   {"title", step.step_name + ": " + step.FailureSummary()},
                   {"description", step.FailureSummary()},
                   {"node_id", suite_id},
                   {"step_id", step.step_id},
                   {"step_name", step.step_name}};
    for (const AssertionOutcome& a : step.assertions) {
      if (a.passed) continue;
      issue["field"] = a.field;
      issue["expected"] = a.expected;
      issue["actual"] = a.actual;
      if (a.where && a.where->IsKnown()) issue["location"] = Place(*a.where);
      break;
    }
    if (!issue.contains("location")) {
      if (step.error && step.error->where && step.error->where->IsKnown()) {
        issue["location"] = Place(*step.error->where);
      } else if (step.where.IsKnown()) {
        issue["location"] = Place(step.where);
      }
    }
    AddIssue(std::move(issue));
  }
  if (step.depth > 0) return;  // test cases list their top-level steps
  ++steps_total_;
  switch (step.status) {
    case StepStatus::kSuccess: ++steps_passed_; break;
    case StepStatus::kFailure: ++steps_failed_; break;
    case StepStatus::kError: ++steps_errored_; break;
    case StepStatus::kSkipped: ++steps_skipped_; break;
  }
  Value item = {{"step_number", step.step_index + 1},
                {"step_id", step.step_id},
                {"step_name", step.step_name},
                {"status", std::string(StepStatusName(step.status))},
                {"type", StepType(step)},
                {"duration_ms", Round2(step.duration_ms)}};
  if (step.request && step.request->is_object()) {
    item["request"] = {{"method", step.request->value("method", "")},
                       {"url", step.request->value("full_url", "")}};
  }
  if (step.response && step.response->is_object()) {
    Value response = {{"status_code", step.response->value("status_code", 0)},
                      {"size_bytes", step.response->value("size_bytes", 0)}};
    if (const std::optional<double> ms = ResponseTimeMs(step)) {
      response["response_time_ms"] = Round2(*ms);
    }
    item["response"] = std::move(response);
  }
  Value failed = Value::array();
  std::size_t passed = 0;
  for (const AssertionOutcome& a : step.assertions) {
    if (a.passed) {
      ++passed;
    } else {
      failed.push_back({{"field", a.field}, {"expected", a.expected}, {"actual", a.actual},
                        {"message", a.message}});
    }
  }
  item["assertions"] = {{"total", step.assertions.size()}, {"passed", passed}, {"failed", failed}};
  Value captured = Value::array();
  for (auto it = step.captured.begin(); it != step.captured.end(); ++it) captured.push_back(it.key());
  item["variables_captured"] = std::move(captured);
  if (const std::string why = step.FailureSummary(); !why.empty()) item["error_message"] = why;
  if (step.status == StepStatus::kSkipped) item["skip_reason"] = step.skip_reason;
  AppendArrayItem(*steps_, step_count_, kStepIndent, DumpIndented(item, kStepIndent));
}

void QaReport::OnSuiteFinished(const SuiteOutcome& suite) {
  const auto info = info_.suites.find(suite.node_id);
  char id[32];
  std::snprintf(id, sizeof id, "TC-%03zu", case_count_ + 1);
  const std::string status = std::string(SuiteStatusName(suite.status));
  Value item = {{"test_case_id", id},
                {"suite_name", suite.suite_name},
                {"node_id", suite.node_id},
                {"description", info == info_.suites.end() ? "" : info->second.description},
                {"priority", suite.priority},
                {"status", status},
                {"start_time", FormatIsoUtc(suite.started_at_ms)},
                {"executed_at", FormatIsoUtc(suite.started_at_ms)},
                {"duration_ms", Round2(suite.duration_ms)},
                {"file_path", info_.absolute_path ? info_.absolute_path(suite.file) : suite.file},
                {"steps_total", suite.steps_reported},
                {"steps_passed", suite.steps_successful},
                {"steps_failed", suite.steps_failed},
                {"steps_errored", suite.steps_errored},
                {"steps_skipped", suite.steps_skipped}};
  if (suite.error) item["error_message"] = suite.error->message;
  if (!suite.skip_reason.empty()) item["skip_reason"] = suite.skip_reason;
  item["steps"] = Value::array();
  // The entry goes to the cases spool with its steps spliced in.
  if (case_count_ > 0) cases_->Write(",\n");
  cases_->Write(std::string(kCaseIndent, ' '));
  ++case_count_;
  WriteSpliced(*cases_, DumpIndented(item, kCaseIndent),
               {{.marker = "\n      \"steps\": []", .items = steps_.get(), .indent = 6}});
  steps_->Clear();
  step_count_ = 0;
  performance_.FinishSuite(suite);

  Tally& tally = by_priority_[suite.priority.empty() ? "unknown" : suite.priority];
  ++tally.total;
  ++by_status_[status];
  switch (suite.status) {
    case SuiteStatus::kSuccess: ++tally.passed; ++suites_passed_; break;
    case SuiteStatus::kFailure: ++tally.failed; ++suites_failed_; break;
    case SuiteStatus::kSkipped: ++tally.skipped; ++suites_skipped_; break;
  }
  if (suite.error) {
    Value issue = {{"severity", Severity(suite.priority)},
                   {"category", "EXECUTION_ERROR"},
                   {"title", suite.suite_name + ": " + suite.error->message},
                   {"description", suite.error->message},
                   {"node_id", suite.node_id}};
    if (suite.error->where && suite.error->where->IsKnown()) {
      issue["location"] = Place(*suite.error->where);
    }
    AddIssue(std::move(issue));
  }
}

void QaReport::AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) {
  const std::string message =
      errors.empty() ? "the suite could not be loaded" : errors.front().message;
  Value issue = {{"severity", "HIGH"},
                 {"category", "EXECUTION_ERROR"},
                 {"title", file + ": " + message},
                 {"description", message},
                 {"file", file}};
  if (!errors.empty() && errors.front().where && errors.front().where->IsKnown()) {
    issue["location"] = Place(*errors.front().where);
  }
  AddIssue(std::move(issue));
  Tally& tally = by_priority_["unknown"];
  ++tally.total;
  ++tally.failed;
  ++by_status_["failure"];
  ++suites_failed_;
}

void QaReport::OnRunFinished(const RunOutcome& run) {
  const std::size_t ran = suites_passed_ + suites_failed_;
  const double rate = ran == 0 ? 0.0 : 100.0 * static_cast<double>(suites_passed_) /
                                           static_cast<double>(ran);
  const std::string iso = FormatIsoUtc(started_at_ms_);  // 2026-12-04T14:22:56.123Z
  const std::string date = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  std::string overall = "PASSED";
  if (suites_failed_ > 0) overall = suites_passed_ > 0 ? "PARTIALLY_PASSED" : "FAILED";
  Value summary = {{"project_name", info_.project_name},
                   {"test_run_date", date},
                   {"test_run_time", iso.substr(11, 8) + " UTC"},
                   {"overall_status", overall},
                   {"total_test_cases", suites_passed_ + suites_failed_ + suites_skipped_},
                   {"passed_test_cases", suites_passed_},
                   {"failed_test_cases", suites_failed_},
                   {"skipped_test_cases", suites_skipped_},
                   {"success_rate", Percent(rate)},
                   {"total_duration", Duration(run.duration_ms)},
                   {"total_duration_ms", Round2(run.duration_ms)}};
  Value by_priority = Value::object();
  for (const auto& [priority, t] : by_priority_) {
    by_priority[priority] = {{"total", t.total}, {"passed", t.passed}, {"failed", t.failed},
                             {"skipped", t.skipped}};
  }
  Value by_status = Value::object();
  for (const auto& [status, n] : by_status_) by_status[status] = n;
  Value metrics = {{"total_test_cases", suites_passed_ + suites_failed_ + suites_skipped_},
                   {"total_steps", steps_total_},
                   {"passed_steps", steps_passed_},
                   {"failed_steps", steps_failed_},
                   {"errored_steps", steps_errored_},
                   {"skipped_steps", steps_skipped_},
                   {"total_issues", issue_count_},
                   {"by_priority", std::move(by_priority)},
                   {"by_status", std::move(by_status)}};
  Value performance = performance_.RunSummary(run.duration_ms);
  const double average = performance_.run().mean();
  std::string rating = "POOR";
  if (performance_.run().count() == 0) {
    rating = "N/A";
  } else if (average < 200) {
    rating = "EXCELLENT";
  } else if (average < 500) {
    rating = "GOOD";
  } else if (average < 1000) {
    rating = "ACCEPTABLE";
  }
  performance["performance_rating"] = rating;
  document_ = Value::object();
  document_["executive_summary"] = std::move(summary);
  document_["test_cases"] = Value::array();
  document_["metrics"] = std::move(metrics);
  document_["issues"] = Value::array();
  document_["performance"] = std::move(performance);
  document_["report_metadata"] = {{"generated_at", FormatIsoUtc(run.completed_at_ms)},
                                  {"format", "qa"},
                                  {"version", "1.0.0"},
                                  {"generator", "flowtest"}};
}

Result<void> QaReport::WriteTo(TextOutput& out) const {
  if (document_.is_null()) {
    return Conflict("the report can only be written once the run has finished");
  }
  WriteSpliced(out, DumpJson(document_, 2),
               {{.marker = "\n  \"test_cases\": []", .items = cases_.get(), .indent = 2},
                {.marker = "\n  \"issues\": []", .items = issues_.get(), .indent = 2}});
  out.Write("\n");
  for (const auto* spool : {cases_.get(), steps_.get(), issues_.get()}) {
    if (Result<void> s = spool->Status(); !s) return s;
  }
  return out.Status();
}

}  // namespace flow::core
