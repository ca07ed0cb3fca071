#include "core/report/aggregated_report.hpp"

#include <cctype>
#include <cmath>

#include "core/util/time.hpp"

namespace flow::core {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string ReportStatus(StepStatus status) {
  // The original has no "error" status: a step that could not run is a failure there, and the
  // reason is in error_message. We keep "error" apart in `outcome`.
  return status == StepStatus::kError ? "failure" : std::string(StepStatusName(status));
}

}  // namespace

Value StepToReport(const StepOutcome& step) {
  Value out = Value::object();
  out["step_id"] = step.step_id;
  out["qualified_step_id"] = step.qualified_step_id;
  out["step_name"] = step.step_name;
  out["status"] = ReportStatus(step.status);
  out["outcome"] = StepStatusName(step.status);
  out["duration_ms"] = Round2(step.duration_ms);
  out["started_at"] = FormatIsoUtc(step.started_at_ms);
  if (step.delay_ms > 0) out["delay_ms"] = step.delay_ms;
  if (step.request) out["request_details"] = *step.request;
  if (step.response) out["response_details"] = *step.response;
  Value assertions = Value::array();
  for (const AssertionOutcome& a : step.assertions) {
    Value item = {{"field", a.field},
                  {"expected", a.expected},
                  {"actual", a.actual},
                  {"passed", a.passed},
                  {"message", a.message}};
    if (a.where && a.where->IsKnown()) {
      item["location"] = {{"file", a.where->file}, {"line", a.where->line}, {"column", a.where->column}};
    }
    assertions.push_back(std::move(item));
  }
  out["assertions_results"] = std::move(assertions);
  out["captured_variables"] = step.captured;
  if (step.error) {
    out["error_message"] = step.error->message;
    if (step.error->where && step.error->where->IsKnown()) {
      out["error_location"] = {{"file", step.error->where->file},
                               {"line", step.error->where->line},
                               {"column", step.error->where->column}};
    }
    if (!step.error->hint.empty()) out["error_hint"] = step.error->hint;
  } else if (step.status == StepStatus::kFailure) {
    for (const AssertionOutcome& a : step.assertions) {
      if (!a.passed) {
        out["error_message"] = "assertion failed: " + a.field + ": " + a.message;
        break;
      }
    }
  }
  if (step.status == StepStatus::kSkipped) out["skip_reason"] = step.skip_reason;
  if (!step.warnings.empty()) out["warnings"] = step.warnings;
  return out;
}

AggregatedReport::AggregatedReport(ReportInfo info) : info_(std::move(info)) {}

std::string AggregatedReport::ProjectSlug(std::string_view project_name) {
  std::string out;
  for (const char c : project_name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (c == ' ' || c == '-') {
      out += '-';
    }
  }
  return out.empty() ? "flowtest" : out;
}

std::string AggregatedReport::FileStem() const {
  return ProjectSlug(info_.project_name) + "_" + FormatFileStamp(started_at_ms_);
}

const Suite* AggregatedReport::FindSuite(const std::string& node_id) const {
  for (const Suite* s : info_.suites) {
    if (s->node_id == node_id) return s;
  }
  return nullptr;
}

void AggregatedReport::OnRunStarted(std::int64_t started_at_ms, std::size_t) {
  started_at_ms_ = started_at_ms;
  result_ = Value::object();
  result_["project_name"] = info_.project_name;
  result_["start_time"] = FormatIsoUtc(started_at_ms);
  result_["suites_results"] = Value::array();
}

void AggregatedReport::OnStepFinished(const StepOutcome& step) {
  current_steps_.push_back(StepToReport(step));
}

void AggregatedReport::OnSuiteFinished(const SuiteOutcome& suite) {
  Value out = Value::object();
  const Suite* spec = FindSuite(suite.node_id);
  out["node_id"] = suite.node_id;
  out["suite_name"] = suite.suite_name;
  out["file_path"] = info_.absolute_path ? info_.absolute_path(suite.file) : suite.file;
  out["priority"] = suite.priority;
  out["start_time"] = FormatIsoUtc(suite.started_at_ms);
  out["end_time"] = FormatIsoUtc(suite.completed_at_ms);
  out["duration_ms"] = Round2(suite.duration_ms);
  out["status"] = SuiteStatusName(suite.status);
  out["steps_executed"] = suite.steps_reported;
  out["steps_successful"] = suite.steps_successful;
  out["steps_failed"] = suite.steps_failed + suite.steps_errored;
  out["steps_errored"] = suite.steps_errored;
  out["steps_skipped"] = suite.steps_skipped;
  const std::size_t counted = suite.steps_reported - suite.steps_skipped;
  out["success_rate"] = counted == 0 ? 100.0
                                     : Round2(100.0 * static_cast<double>(suite.steps_successful) /
                                              static_cast<double>(counted));
  out["steps_results"] = std::move(current_steps_);
  current_steps_ = Value::array();
  if (suite.error) {
    out["error_message"] = suite.error->message;
    if (suite.error->where && suite.error->where->IsKnown()) {
      out["error_location"] = {{"file", suite.error->where->file},
                               {"line", suite.error->where->line},
                               {"column", suite.error->where->column}};
    }
  } else if (suite.status == SuiteStatus::kFailure) {
    out["error_message"] = std::to_string(suite.steps_failed + suite.steps_errored) +
                           " of " + std::to_string(counted) + " steps failed";
  }
  out["variables_captured"] = suite.exported;
  out["available_variables"] = suite.variables;
  if (!suite.warnings.empty()) out["warnings"] = suite.warnings;
  if (spec) out["suite_yaml_content"] = spec->text;
  result_["suites_results"].push_back(std::move(out));
}

void AggregatedReport::AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) {
  ++unloaded_;
  Value out = Value::object();
  // The same keys as a suite that ran, so readers of the original's shape need no special case.
  out["node_id"] = "";
  out["suite_name"] = file;
  out["file_path"] = info_.absolute_path ? info_.absolute_path(file) : file;
  out["priority"] = "";
  out["start_time"] = result_.value("start_time", "");
  out["end_time"] = result_.value("start_time", "");
  out["duration_ms"] = 0.0;
  out["status"] = "failure";
  out["steps_executed"] = 0;
  out["steps_successful"] = 0;
  out["steps_failed"] = 0;
  out["success_rate"] = 0.0;
  out["steps_results"] = Value::array();
  out["variables_captured"] = Value::object();
  out["available_variables"] = Value::object();
  Value list = Value::array();
  for (const Error& e : errors) {
    Value item = {{"message", e.message}};
    if (e.where && e.where->IsKnown()) {
      item["file"] = e.where->file;
      item["line"] = e.where->line;
      item["column"] = e.where->column;
    }
    if (!e.hint.empty()) item["hint"] = e.hint;
    list.push_back(std::move(item));
  }
  out["error_message"] = errors.empty() ? "the suite could not be loaded"
                                        : FormatErrorLine(errors.front());
  out["load_errors"] = std::move(list);
  result_["suites_results"].push_back(std::move(out));
}

void AggregatedReport::OnRunFinished(const RunOutcome& run) {
  result_["end_time"] = FormatIsoUtc(run.completed_at_ms);
  result_["total_duration_ms"] = Round2(run.duration_ms);
  result_["total_tests"] = run.suites_discovered + unloaded_;
  result_["successful_tests"] = run.suites_successful;
  result_["failed_tests"] = run.suites_failed + unloaded_;
  result_["skipped_tests"] = run.suites_skipped;
  // Of the suites that ran: a filter never lowers the rate (the original divides by every
  // discovered suite, so any filter made a passing run look failed).
  const std::size_t attempted = run.suites_run + unloaded_;
  result_["success_rate"] = attempted == 0 ? 0.0
                                           : 100.0 * static_cast<double>(run.suites_successful) /
                                                 static_cast<double>(attempted);
  result_["global_variables_final_state"] = info_.globals;
  result_["report_metadata"] = {{"generated_at", FormatIsoUtc(run.completed_at_ms)},
                                {"format", "json"},
                                {"version", "1.0.0"},
                                {"generator", "flowtest"},
                                {"run_id", FormatFileStamp(started_at_ms_)},
                                {"assets", Value::array()}};
  // Keep the original's key order: project, times, counters, results, globals, metadata.
  Value ordered = Value::object();
  for (const char* key : {"project_name", "start_time", "end_time", "total_duration_ms",
                          "total_tests", "successful_tests", "failed_tests", "skipped_tests",
                          "success_rate", "suites_results", "global_variables_final_state",
                          "report_metadata"}) {
    ordered[key] = std::move(result_[key]);
  }
  result_ = std::move(ordered);
}

}  // namespace flow::core
