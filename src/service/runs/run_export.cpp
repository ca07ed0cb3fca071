#include "service/runs/run_export.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <tuple>

#include "core/model/suite.hpp"
#include "core/report/aggregated_report.hpp"
#include "core/report/html_report.hpp"
#include "core/report/junit_report.hpp"
#include "core/report/live_events.hpp"
#include "core/run/outcome_json.hpp"
#include "core/util/strings.hpp"
#include "service/runs/run_recorder.hpp"

namespace flow::service {
namespace {

constexpr std::size_t kEventPage = 1000;

// One finished run, ready to replay.
struct Replay {
  RunRecord run;
  std::size_t position = std::numeric_limits<std::size_t>::max();
  core::SuiteOutcome outcome;
  bool unloaded = false;
  std::vector<core::Error> load_errors;
};

core::Error Stored(const RunRecord& run, const core::Error& e) {
  return core::InvalidArgument("run " + run.id + ": " + e.message);
}

// The run-level figures when the batch's own are not recorded (or one run is exported alone).
core::RunOutcome Summed(const std::vector<Replay>& runs) {
  core::RunOutcome out;
  bool first = true;
  for (const Replay& r : runs) {
    const core::SuiteOutcome& o = r.outcome;
    if (first || o.started_at_ms < out.started_at_ms) out.started_at_ms = o.started_at_ms;
    if (first || o.completed_at_ms > out.completed_at_ms) out.completed_at_ms = o.completed_at_ms;
    first = false;
    if (r.unloaded) continue;
    ++out.suites_discovered;
    if (o.status == core::SuiteStatus::kSkipped) continue;
    ++out.suites_run;
    (o.status == core::SuiteStatus::kSuccess ? out.suites_successful : out.suites_failed) += 1;
  }
  out.suites_skipped = out.suites_discovered - out.suites_run;
  out.duration_ms = runs.size() == 1 ? runs.front().outcome.duration_ms
                                     : static_cast<double>(out.completed_at_ms - out.started_at_ms);
  return out;
}

std::size_t Count(const Value& suites, const char* key) {
  const auto it = suites.find(key);
  return it != suites.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
}

// The batch's start (run_started) and end (run_completed) as `probe` recorded them: every run of
// a batch has both. False when they are missing (the recording stopped before the end).
core::Result<bool> RecordedRunOutcome(RunStore& store, const RunRecord& probe,
                                      std::size_t& suite_count, core::RunOutcome& out) {
  // The run's own events: not the steps of the steps' events.
  constexpr auto kOwn = RunStore::EventSteps::kWithout;
  core::Result<std::vector<RunEventRecord>> first = store.ListEvents(probe.id, 0, 1, kOwn);
  if (!first) return std::move(first).error();
  if (first->empty() || first->front().type != core::kRunStartedEvent) return false;
  const RunEventRecord& started = first->front();
  std::optional<RunEventRecord> completed;
  for (std::int64_t after = 1;;) {
    core::Result<std::vector<RunEventRecord>> page =
        store.ListEvents(probe.id, after, kEventPage, kOwn);
    if (!page) return std::move(page).error();
    for (const RunEventRecord& e : *page) {
      if (e.type == core::kRunCompletedEvent) completed = e;
    }
    if (page->size() < kEventPage) break;
    after = page->back().seq;
  }
  if (!completed) return false;
  suite_count = started.payload.value("suite_count", std::size_t{0});
  const Value& p = completed->payload;
  if (const auto whole = p.find(kEventRunOutcome); whole != p.end()) {
    core::Result<core::RunOutcome> outcome = core::RunOutcomeFromJson(*whole);
    if (!outcome) return Stored(probe, outcome.error());
    out = std::move(*outcome);
    return true;
  }
  const Value suites = p.value("suites", Value::object());
  out.started_at_ms = started.created_at;
  out.completed_at_ms = completed->created_at;
  out.duration_ms = p.value("duration_ms", 0.0);
  out.suites_discovered = Count(suites, "discovered");
  out.suites_run = Count(suites, "run");
  out.suites_successful = Count(suites, "passed");
  out.suites_failed = Count(suites, "failed");
  out.suites_skipped = Count(suites, "skipped");
  return true;
}

// The reports take a plain function to write a suite's file as the run showed it; while one export
// writes (on one thread), it reads the paths recorded with its runs.
thread_local const std::map<std::string, std::string>* recorded_paths = nullptr;

std::string RecordedPath(const std::string& file) {
  if (recorded_paths) {
    if (const auto it = recorded_paths->find(file); it != recorded_paths->end()) return it->second;
  }
  return file;
}

class RecordedPaths {
 public:
  explicit RecordedPaths(const std::map<std::string, std::string>& paths) {
    recorded_paths = &paths;
  }
  ~RecordedPaths() { recorded_paths = nullptr; }
  RecordedPaths(const RecordedPaths&) = delete;
  RecordedPaths& operator=(const RecordedPaths&) = delete;
};

std::unique_ptr<core::StreamedReport> MakeReport(const ExportOptions& options,
                                                 const std::string& project_name,
                                                 const std::string& hostname, const Value& globals,
                                                 std::vector<const core::Suite*> suites) {
  switch (options.format) {
    case ExportFormat::kJson:
      return std::make_unique<core::AggregatedReport>(core::ReportInfo{
          .project_name = project_name, .globals = globals, .suites = std::move(suites),
          .absolute_path = &RecordedPath, .spools = options.spools});
    case ExportFormat::kJunit:
      return std::make_unique<core::JunitReport>(
          core::JunitInfo{.project_name = project_name, .hostname = hostname,
                          .absolute_path = &RecordedPath, .spools = options.spools});
    case ExportFormat::kHtml:
      break;
  }
  return std::make_unique<core::HtmlReport>(core::HtmlInfo{
      .project_name = project_name, .absolute_path = &RecordedPath, .spools = options.spools});
}

}  // namespace

core::Result<ExportFormat> ParseExportFormat(std::string_view name) {
  const std::string lower = core::ToLower(name);
  for (ExportFormat f : {ExportFormat::kJson, ExportFormat::kJunit, ExportFormat::kHtml}) {
    if (ExportFormatName(f) == lower) return f;
  }
  return core::InvalidArgument("unknown export format '" + std::string(name) + "'",
                               core::DidYouMean(lower, {"json", "junit", "html"}) +
                                   " (formats: json, junit, html)");
}

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kJson: return "json";
    case ExportFormat::kJunit: return "junit";
    case ExportFormat::kHtml: break;
  }
  return "html";
}

core::Result<std::vector<RunRecord>> BatchRuns(RunStore& runs, const std::string& batch_id) {
  std::vector<RunRecord> out;
  RunFilter filter{.batch_id = batch_id, .limit = 500};
  for (;;) {
    core::Result<std::vector<RunRecord>> page = runs.ListRuns(filter);
    if (!page) return std::move(page).error();
    out.insert(out.end(), page->begin(), page->end());
    if (page->size() < filter.limit) return out;
    filter.offset += filter.limit;
  }
}

core::Result<Exported> ExportRuns(Database& db, std::vector<RunRecord> runs, bool as_batch,
                                  const ExportOptions& options, core::TextOutput& out) {
  Exported exported;
  std::vector<Replay> replays;
  for (RunRecord& run : runs) {
    const Value& summary = run.result_summary;
    if (const auto why = summary.find(kSummaryInterrupted);
        summary.is_object() && why != summary.end()) {
      exported.warnings.push_back("run " + run.id + " (" + run.node_id +
                                  ") is left out: it was interrupted (" +
                                  core::ToText(*why) + ")");
      continue;
    }
    if (!IsFinal(run.status) || !summary.is_object() || summary.empty()) {
      exported.warnings.push_back("run " + run.id + " (" + run.node_id + ") is left out: it is " +
                                  std::string(Name(run.status)) + ", with no result recorded");
      continue;
    }
    Replay r;
    core::Result<core::SuiteOutcome> outcome = core::SuiteOutcomeFromJson(summary);
    if (!outcome) return Stored(run, outcome.error());
    r.outcome = std::move(*outcome);
    if (const auto errors = summary.find(kSummaryLoadErrors); errors != summary.end()) {
      r.unloaded = true;
      for (const Value& e : *errors) {
        if (std::optional<core::Error> error = core::ErrorFromJson(e)) {
          r.load_errors.push_back(std::move(*error));
        }
      }
    }
    if (run.input_payload.is_object()) {
      r.position = run.input_payload.value(kPayloadPosition, r.position);
    }
    r.run = std::move(run);
    replays.push_back(std::move(r));
  }
  if (replays.empty()) {
    return core::Conflict("no finished run to export",
                          exported.warnings.empty() ? "" : exported.warnings.front());
  }
  std::sort(replays.begin(), replays.end(), [](const Replay& a, const Replay& b) {
    return std::tie(a.position, a.run.queued_at, a.run.id) <
           std::tie(b.position, b.run.queued_at, b.run.id);
  });

  // What the runs were started with, and the run-level figures, from the run that recorded the
  // least (every run of a batch holds them).
  const Replay* probe = &replays.front();
  for (const Replay& r : replays) {
    if (r.outcome.steps_reported < probe->outcome.steps_reported) probe = &r;
  }
  const Value& payload = probe->run.input_payload;
  exported.project_name = payload.value(kPayloadProjectName, std::string("flowtest"));
  const std::string hostname = payload.value(kPayloadHostname, std::string("localhost"));
  Value globals = Value::object();
  core::Result<std::vector<VariableSnapshotRecord>> variables = db.runs().ListVariables(probe->run.id);
  if (!variables) return std::move(variables).error();
  for (const VariableSnapshotRecord& v : *variables) {
    if (v.scope == VariableScope::kGlobal && v.source == VariableSource::kVariable) {
      globals[v.key] = v.value;
    }
  }
  core::RunOutcome run_outcome = Summed(replays);
  std::size_t suite_count = run_outcome.suites_discovered;
  if (as_batch) {
    core::Result<bool> recorded =
        RecordedRunOutcome(db.runs(), probe->run, suite_count, run_outcome);
    if (!recorded) return std::move(recorded).error();
  }

  // The suites' texts, for the JSON report's suite_yaml_content, as the run's report showed them.
  std::vector<std::unique_ptr<core::Suite>> specs;
  std::vector<const core::Suite*> suites;
  for (const Replay& r : replays) {
    if (r.unloaded) continue;
    auto spec = std::make_unique<core::Suite>();
    spec->node_id = r.outcome.node_id;
    spec->file = r.outcome.file;
    if (const auto masked = r.run.result_summary.find(kSummaryMaskedText);
        masked != r.run.result_summary.end() && masked->is_string()) {
      spec->text = masked->get<std::string>();
    } else {
      core::Result<std::optional<VersionRecord>> version = db.suites().FindVersion(r.run.version_id);
      if (!version) return std::move(version).error();
      if (!*version) continue;  // no text to show
      spec->text = (*version)->yaml_raw;
    }
    suites.push_back(spec.get());
    specs.push_back(std::move(spec));
  }

  std::map<std::string, std::string> paths;
  for (const Replay& r : replays) {
    const Value& summary = r.run.result_summary;
    if (const auto path = summary.find(kSummaryFilePath);
        path != summary.end() && path->is_string()) {
      paths[r.outcome.file] = path->get<std::string>();
    }
  }
  const RecordedPaths recorded(paths);
  std::unique_ptr<core::StreamedReport> report =
      MakeReport(options, exported.project_name, hostname, globals, suites);
  report->OnRunStarted(run_outcome.started_at_ms, suite_count);
  for (const Replay& r : replays) {
    if (r.unloaded) {
      report->AddUnloadedSuite(r.outcome.file, r.load_errors);
      continue;
    }
    report->OnSuiteStarted(r.outcome.node_id, r.outcome.suite_name);
    core::Result<std::vector<StepRunRecord>> steps = db.runs().ListSteps(r.run.id);
    if (!steps) return std::move(steps).error();
    for (const StepRunRecord& step : *steps) {
      core::Result<core::StepOutcome> outcome = core::StepOutcomeFromJson(StoredStepOutcome(step));
      if (!outcome) {
        return core::InvalidArgument("run " + r.run.id + ", step " + std::to_string(step.seq) +
                                     " (" + step.step_name + "): " + outcome.error().message);
      }
      report->OnStepFinished(*outcome);
    }
    report->OnSuiteFinished(r.outcome);
  }
  report->OnRunFinished(run_outcome);
  FLOW_TRY_VOID(report->WriteTo(out));
  exported.started_at_ms = run_outcome.started_at_ms;
  exported.runs = replays.size();
  return exported;
}

}  // namespace flow::service
