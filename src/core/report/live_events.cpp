#include "core/report/live_events.hpp"

#include <cmath>

#include "core/report/performance_summary.hpp"
#include "core/util/time.hpp"

namespace flow::core {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string Place(const SourceSpan& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

}  // namespace

Value RunStartedFields(std::int64_t started_at_ms, std::size_t suite_count,
                       const std::string& project_name) {
  return {{"run_id", FormatFileStamp(started_at_ms)},
          {"project_name", project_name},
          {"suite_count", suite_count}};
}

Value SuiteStartedFields(const std::string& node_id, const std::string& suite_name) {
  return {{"node_id", node_id}, {"suite_name", suite_name}};
}

Value StepStartedFields(const std::string& node_id, std::size_t step_index,
                        const std::string& step_name) {
  return {{"node_id", node_id}, {"step_index", step_index}, {"step_name", step_name}};
}

// Per step, for every live sink and the history: built into room made for all its members
// (ObjectWithRoom), not as initializer lists.
Value StepCompletedFields(const StepOutcome& step) {
  Value f = ObjectWithRoom(18);
  AppendMember(f, "node_id", step.node_id);
  AppendMember(f, "suite_node_id", step.run_node_id.empty() ? step.node_id : step.run_node_id);
  AppendMember(f, "step_id", step.step_id);
  AppendMember(f, "qualified_step_id", step.qualified_step_id);
  AppendMember(f, "step_name", step.step_name);
  AppendMember(f, "status", StepStatusName(step.status));
  AppendMember(f, "duration_ms", Round2(step.duration_ms));
  AppendMember(f, "depth", step.depth);
  if (!step.parent_qualified_id.empty()) AppendMember(f, "parent_step_id", step.parent_qualified_id);
  if (step.iteration) AppendMember(f, "iteration", *step.iteration);
  if (step.where.IsKnown()) AppendMember(f, "location", Place(step.where));
  if (step.request && step.request->is_object()) {
    Value request = ObjectWithRoom(2);
    AppendMember(request, "method", step.request->value("method", ""));
    AppendMember(request, "url", step.request->value("full_url", ""));
    AppendMember(f, "request", std::move(request));
  }
  if (step.response && step.response->is_object()) {
    Value response = ObjectWithRoom(2);
    AppendMember(response, "status_code", step.response->value("status_code", 0));
    if (const std::optional<double> ms = ResponseTimeMs(step)) {
      AppendMember(response, "response_time_ms", Round2(*ms));
    }
    AppendMember(f, "response", std::move(response));
  }
  Value assertions = ObjectWithRoom(2);
  AppendMember(assertions, "total", step.assertions.size());
  AppendMember(assertions, "failed", step.FailedAssertions());
  AppendMember(f, "assertions", std::move(assertions));
  Value failed = Value::array();
  for (const AssertionOutcome& a : step.assertions) {
    if (a.passed) continue;
    Value item = {{"field", a.field}, {"expected", a.expected}, {"actual", a.actual},
                  {"message", a.message}};
    if (a.where && a.where->IsKnown()) item["location"] = Place(*a.where);
    failed.push_back(std::move(item));
  }
  if (!failed.empty()) f["failed_assertions"] = std::move(failed);
  if (step.error) {
    Value error = {{"message", step.error->message}};
    if (step.error->where && step.error->where->IsKnown()) {
      error["location"] = Place(*step.error->where);
    }
    f["error"] = std::move(error);
  } else if (step.status == StepStatus::kFailure && step.FailedAssertions() == 0) {
    f["error"] = {{"message", step.FailureSummary()}};
  }
  if (step.status == StepStatus::kSkipped) f["skip_reason"] = step.skip_reason;
  return f;
}

Value SuiteCompletedFields(const SuiteOutcome& suite) {
  Value f = {{"node_id", suite.node_id},
             {"suite_name", suite.suite_name},
             {"status", std::string(SuiteStatusName(suite.status))},
             {"duration_ms", Round2(suite.duration_ms)},
             {"steps", {{"total", suite.steps_reported},
                        {"passed", suite.steps_successful},
                        {"failed", suite.steps_failed},
                        {"errors", suite.steps_errored},
                        {"skipped", suite.steps_skipped}}}};
  if (suite.error) f["error"] = {{"message", suite.error->message}};
  if (!suite.skip_reason.empty()) f["skip_reason"] = suite.skip_reason;
  return f;
}

Value RunCompletedFields(const RunOutcome& run) {
  return {{"status", run.Passed() ? "passed" : "failed"},
          {"duration_ms", Round2(run.duration_ms)},
          {"suites", {{"discovered", run.suites_discovered},
                      {"run", run.suites_run},
                      {"passed", run.suites_successful},
                      {"failed", run.suites_failed},
                      {"skipped", run.suites_skipped}}}};
}

LiveEvents::LiveEvents(TextOutput& out, Clock& clock, std::string project_name)
    : out_(out), clock_(clock), project_name_(std::move(project_name)) {}

void LiveEvents::Emit(const char* type, Value fields) {
  Value line = {{"seq", ++seq_}, {"type", type}, {"timestamp", FormatIsoUtc(clock_.NowUnixMs())}};
  line.update(fields);
  out_.Write(DumpJson(line) + "\n");
}

void LiveEvents::OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) {
  Emit(kRunStartedEvent, RunStartedFields(started_at_ms, suite_count, project_name_));
}

void LiveEvents::OnSuiteStarted(const std::string& node_id, const std::string& suite_name) {
  Emit(kSuiteStartedEvent, SuiteStartedFields(node_id, suite_name));
}

void LiveEvents::OnStepStarted(const std::string& node_id, std::size_t step_index,
                               const std::string& step_name) {
  Emit(kStepStartedEvent, StepStartedFields(node_id, step_index, step_name));
}

void LiveEvents::OnStepFinished(const StepOutcome& step) {
  Emit(kStepCompletedEvent, StepCompletedFields(step));
}

void LiveEvents::OnSuiteFinished(const SuiteOutcome& suite) {
  Emit(kSuiteCompletedEvent, SuiteCompletedFields(suite));
}

void LiveEvents::OnRunFinished(const RunOutcome& run) {
  Emit(kRunCompletedEvent, RunCompletedFields(run));
}

}  // namespace flow::core
