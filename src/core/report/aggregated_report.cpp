#include "core/report/aggregated_report.hpp"

#include <cctype>
#include <cmath>

#include "core/check.hpp"
#include "core/util/time.hpp"

namespace flow::core {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string ReportStatus(StepStatus status) {
  // The original has no "error" status: a step that could not run is a failure there, and the
  // reason is in error_message. We keep "error" apart in `outcome`.
  return status == StepStatus::kError ? "failure" : std::string(StepStatusName(status));
}

// Where the steps run inside a step go: the original's key for iterations and calls.
std::string ChildrenKey(const std::string& kind) {
  if (kind == "iterate") return "iteration_results";
  if (kind == "call") return "scenarios_results";
  return "steps_results";
}

// Column of the items of the arrays that hold steps: a suite's steps_results items sit at 8, a
// step's children 4 further per level.
std::size_t StepIndent(std::size_t depth) { return 8 + 4 * depth; }
constexpr std::size_t kSuiteIndent = 4;
constexpr std::size_t kPerformanceSuiteIndent = 6;

Value Location(const SourceSpan& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

}  // namespace

Value StepToReport(const StepOutcome& step) {
  Value out = Value::object();
  out["step_id"] = step.step_id;
  out["qualified_step_id"] = step.qualified_step_id;
  out["step_name"] = step.step_name;
  if (step.where.IsKnown()) out["location"] = Location(step.where);
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
      item["location"] = Location(*a.where);
    }
    assertions.push_back(std::move(item));
  }
  out["assertions_results"] = std::move(assertions);
  out["captured_variables"] = step.captured;
  if (step.error) {
    out["error_message"] = step.error->message;
    if (step.error->where && step.error->where->IsKnown()) {
      out["error_location"] = Location(*step.error->where);
    }
    if (!step.error->hint.empty()) out["error_hint"] = step.error->hint;
  } else if (step.status == StepStatus::kFailure) {
    out["error_message"] = step.FailedAssertions() > 0
                               ? "assertion failed: " + step.FailureSummary()
                               : step.FailureSummary();
  }
  if (step.status == StepStatus::kSkipped) out["skip_reason"] = step.skip_reason;
  if (!step.warnings.empty()) out["warnings"] = step.warnings;
  if (step.iteration) out["iteration"] = *step.iteration;
  if (!step.attempts.empty()) {
    Value attempts = Value::array();
    for (const AttemptOutcome& a : step.attempts) {
      Value item = {{"number", a.number},
                    {"status", ReportStatus(a.status)},
                    {"outcome", StepStatusName(a.status)},
                    {"duration_ms", Round2(a.duration_ms)},
                    {"waited_ms", a.waited_ms}};
      if (a.status_code) item["status_code"] = *a.status_code;
      if (!a.reason.empty()) item["reason"] = a.reason;
      attempts.push_back(std::move(item));
    }
    out["attempts"] = std::move(attempts);
  }
  if (!step.logs.empty()) {
    Value logs = Value::array();
    for (const LogEntry& log : step.logs) {
      Value item = {{"level", log.level}, {"message", log.message}};
      if (!log.data.is_null()) item["data"] = log.data;
      logs.push_back(std::move(item));
    }
    out["logs"] = std::move(logs);
  }
  // Report-only details (scenarios_meta, input_results, iteration_summary, call, ...) never
  // replace the keys above.
  if (step.details.is_object()) {
    for (auto it = step.details.begin(); it != step.details.end(); ++it) {
      if (!out.contains(it.key())) out[it.key()] = it.value();
    }
  }
  return out;
}

AggregatedReport::AggregatedReport(ReportInfo info) : info_(std::move(info)) {}

AggregatedReport::~AggregatedReport() = default;

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

AggregatedReport::Pending& AggregatedReport::Suites() {
  if (!suites_.spool) {
    suites_.spool = info_.spools ? info_.spools->CreateSpool() : memory_.CreateSpool();
  }
  return suites_;
}

AggregatedReport::Pending& AggregatedReport::Level(std::size_t depth) {
  if (levels_.size() <= depth) levels_.resize(depth + 1);
  Pending& level = levels_[depth];
  if (!level.spool) level.spool = info_.spools ? info_.spools->CreateSpool() : memory_.CreateSpool();
  return level;
}

void AggregatedReport::AdoptOrphans(std::size_t depth) {
  // Only a runner that reports a child without its parent leaves these; keep them rather than
  // lose them (their indentation is then off, the JSON is still valid).
  for (std::size_t d = levels_.size(); d-- > depth + 2;) {
    Pending& from = levels_[d];
    if (from.items == 0) continue;
    Pending& to = Level(d - 1);
    if (to.items > 0) to.spool->Write(",\n");
    from.spool->ReplayTo(*to.spool);
    to.items += from.items;
    from.spool->Clear();
    from.items = 0;
  }
}

// Appends one rendered object to the array `to`; with `children`, the object's (empty) array
// under `key` is replaced by the items waiting there, which are then gone.
void AggregatedReport::AppendItem(Pending& to, std::size_t indent, const std::string& text,
                                  std::string_view key, Pending* children) {
  TextSpool& out = *to.spool;
  if (to.items > 0) out.Write(",\n");
  out.Write(std::string(indent, ' '));
  ++to.items;
  if (!children || children->items == 0) {
    out.Write(text);
    return;
  }
  const std::string marker =
      "\n" + std::string(indent + 2, ' ') + "\"" + std::string(key) + "\": []";
  const std::size_t at = text.rfind(marker);
  FLOW_CHECK(at != std::string::npos);
  const std::size_t open = at + marker.size() - 2;  // the "[]"
  out.Write(std::string_view(text).substr(0, open));
  out.Write("[\n");
  children->spool->ReplayTo(out);
  out.Write("\n" + std::string(indent + 2, ' ') + "]");
  out.Write(std::string_view(text).substr(open + 2));
  children->spool->Clear();
  children->items = 0;
}

void AggregatedReport::OnRunStarted(std::int64_t started_at_ms, std::size_t) {
  started_at_ms_ = started_at_ms;
  start_time_ = FormatIsoUtc(started_at_ms);
  finished_ = false;
  Suites();
}

void AggregatedReport::OnStepFinished(const StepOutcome& step) {
  performance_.OnStep(step);
  const std::size_t depth = step.depth;
  AdoptOrphans(depth);
  Value out = StepToReport(step);
  Pending& children = Level(depth + 1);
  const std::string key = ChildrenKey(step.kind);
  const bool nest = children.items > 0 || step.kind == "iterate";
  if (nest) out[key] = Value::array();
  AppendItem(Level(depth), StepIndent(depth), DumpIndented(out, StepIndent(depth)), key,
             nest ? &children : nullptr);
}

void AggregatedReport::OnSuiteFinished(const SuiteOutcome& suite) {
  AdoptOrphans(0);
  if (levels_.size() > 1 && levels_[1].items > 0) {
    // Steps whose parent never came: they belong to this suite still.
    Pending& top = Level(0);
    if (top.items > 0) top.spool->Write(",\n");
    levels_[1].spool->ReplayTo(*top.spool);
    top.items += levels_[1].items;
    levels_[1].spool->Clear();
    levels_[1].items = 0;
  }
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
  out["steps_results"] = Value::array();
  if (suite.error) {
    out["error_message"] = suite.error->message;
    if (suite.error->where && suite.error->where->IsKnown()) {
      out["error_location"] = Location(*suite.error->where);
    }
  } else if (suite.status == SuiteStatus::kFailure) {
    out["error_message"] = std::to_string(suite.steps_failed + suite.steps_errored) +
                           " of " + std::to_string(counted) + " steps failed";
  }
  if (suite.status == SuiteStatus::kSkipped && !suite.skip_reason.empty()) {
    out["skip_reason"] = suite.skip_reason;
  }
  out["variables_captured"] = suite.exported;
  out["available_variables"] = suite.variables;
  if (!suite.warnings.empty()) out["warnings"] = suite.warnings;
  if (spec) {
    out["suite_yaml_content"] =
        info_.secrets ? info_.secrets->Snapshot()->Masked(spec->text) : spec->text;
  }
  AppendItem(Suites(), kSuiteIndent, DumpIndented(out, kSuiteIndent), "steps_results", &Level(0));
  const Value performance = performance_.FinishSuite(suite);
  if (performance["requests"].get<std::size_t>() > 0) {
    if (!performance_suites_.spool) {
      performance_suites_.spool =
          info_.spools ? info_.spools->CreateSpool() : memory_.CreateSpool();
    }
    AppendArrayItem(*performance_suites_.spool, performance_suites_.items, kPerformanceSuiteIndent,
                    DumpIndented(performance, kPerformanceSuiteIndent));
  }
}

void AggregatedReport::AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) {
  ++unloaded_;
  Value out = Value::object();
  // The same keys as a suite that ran, so readers of the original's shape need no special case.
  out["node_id"] = "";
  out["suite_name"] = file;
  out["file_path"] = info_.absolute_path ? info_.absolute_path(file) : file;
  out["priority"] = "";
  out["start_time"] = start_time_;
  out["end_time"] = start_time_;
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
  AppendItem(Suites(), kSuiteIndent, DumpIndented(out, kSuiteIndent), "", nullptr);
}

void AggregatedReport::OnRunFinished(const RunOutcome& run) {
  // The original's key order: project, times, counters, results, globals, metadata.
  summary_ = Value::object();
  summary_["project_name"] = info_.project_name;
  summary_["start_time"] = start_time_;
  summary_["end_time"] = FormatIsoUtc(run.completed_at_ms);
  summary_["total_duration_ms"] = Round2(run.duration_ms);
  summary_["total_tests"] = run.suites_discovered + unloaded_;
  summary_["successful_tests"] = run.suites_successful;
  summary_["failed_tests"] = run.suites_failed + unloaded_;
  summary_["skipped_tests"] = run.suites_skipped;
  // Of the suites that ran: a filter never lowers the rate (the original divides by every
  // discovered suite, so any filter made a passing run look failed).
  const std::size_t attempted = run.suites_run + unloaded_;
  summary_["success_rate"] = attempted == 0 ? 0.0
                                            : 100.0 * static_cast<double>(run.suites_successful) /
                                                  static_cast<double>(attempted);
  summary_["suites_results"] = Value::array();
  Value globals = info_.globals;
  MaskSecretNames(globals);
  if (info_.secrets) info_.secrets->Snapshot()->MaskValue(globals);
  summary_["global_variables_final_state"] = std::move(globals);
  Value performance = performance_.RunSummary(run.duration_ms);
  performance["suites"] = Value::array();
  summary_["performance_summary"] = std::move(performance);
  summary_["report_metadata"] = {{"generated_at", FormatIsoUtc(run.completed_at_ms)},
                                 {"format", "json"},
                                 {"version", "1.0.0"},
                                 {"generator", "flowtest"},
                                 {"run_id", FormatFileStamp(started_at_ms_)},
                                 {"assets", Value::array()}};
  Suites();
  finished_ = true;
}

Result<void> AggregatedReport::WriteTo(TextOutput& out) const {
  if (!finished_) return Conflict("the report can only be written once the run has finished");
  const std::string text = DumpJson(summary_, 2);
  // performance_summary is a top-level key (unique at this indentation); its own "suites" is the
  // first such key inside it.
  WriteSpliced(out, text,
               {{.marker = "\n  \"suites_results\": []", .items = suites_.spool.get(), .indent = 2},
                {.after = "\n  \"performance_summary\": {",
                 .marker = "\n    \"suites\": []",
                 .items = performance_suites_.spool.get(),
                 .indent = 4}});
  out.Write("\n");
  if (Result<void> s = suites_.spool->Status(); !s) return s;
  if (performance_suites_.spool) {
    if (Result<void> s = performance_suites_.spool->Status(); !s) return s;
  }
  for (const Pending& level : levels_) {
    if (!level.spool) continue;
    if (Result<void> s = level.spool->Status(); !s) return s;
  }
  return out.Status();
}

Value AggregatedReport::result() const {
  StringOutput text;
  if (!WriteTo(text)) return Value();
  Value parsed = Value::parse(text.text(), nullptr, false);
  return parsed.is_discarded() ? Value() : parsed;
}

}  // namespace flow::core
