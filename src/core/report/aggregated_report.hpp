// AggregatedReport: an EventSink that writes a run in the original engine's AggregatedResult
// shape (results/latest.json), so tools reading that file keep working.
//
// It streams: each step is rendered when it finishes and appended to a spool (report_output.hpp),
// each suite when it finishes, and WriteTo() assembles the final document (summary first, as the
// original orders its keys) from the spools. It also fills the `performance_summary` the original
// declares but never writes: response times per step, per suite and for the run
// (performance_summary.hpp), with each suite's entry spooled when the suite finishes. With file-backed spools memory stays flat whatever
// the number of steps. Steps run inside another step (depth > 0: iterations, nested and called
// steps, reported before their parent) are placed inside their parent: `iteration_results` of an
// `iterate` step, `scenarios_results` of a `call`, `steps_results` otherwise (docs/parallel.md).
//
// Expects a suite's events together and in order (a Runner, or the Scheduler's ordered sink).
// Not thread-safe; one per run.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/suite.hpp"
#include "core/report/performance_summary.hpp"
#include "core/report/report_output.hpp"
#include "core/report/streamed_report.hpp"
#include "core/result.hpp"
#include "core/secrets/secrets.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core {

struct ReportInfo {
  std::string project_name = "flowtest";
  Value globals = Value::object();  // global_variables_final_state
  // file (as in Suite::file) -> absolute path and raw text, for file_path / suite_yaml_content
  std::vector<const Suite*> suites;
  std::string (*absolute_path)(const std::string&) = nullptr;  // null: paths as given
  SpoolFactory* spools = nullptr;  // where rendered steps and suites wait; null: in memory
  // The run's secrets: masked in suite_yaml_content and global_variables_final_state (the steps
  // and suites come masked already). Null: nothing to mask.
  const SecretRegistry* secrets = nullptr;
};

class AggregatedReport final : public StreamedReport {
 public:
  explicit AggregatedReport(ReportInfo info);
  ~AggregatedReport() override;
  AggregatedReport(const AggregatedReport&) = delete;
  AggregatedReport& operator=(const AggregatedReport&) = delete;

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;

  // A suite file that could not be loaded (invalid YAML, failed validation): reported as a failed
  // suite with its errors, so CI sees it in latest.json too. Call before OnRunFinished.
  void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors) override;

  bool Finished() const { return finished_; }
  // Writes the whole report (pretty-printed JSON and a final newline) to `out`, after
  // OnRunFinished; may be called more than once. Fails when a spool or `out` failed.
  Result<void> WriteTo(TextOutput& out) const override;
  // The whole report read back as a value, for tests (as large as the report); null before
  // OnRunFinished or when writing failed.
  Value result() const;
  // "<project>_<timestamp>" stem for the report files, from the run's start time.
  std::string FileStem() const;
  // Lower-cased project name, [^a-z0-9 -] removed, spaces -> '-'.
  static std::string ProjectSlug(std::string_view project_name);

 private:
  // Rendered items of one JSON array, waiting in a spool: the suites, or the steps of one depth
  // that are not yet inside their parent.
  struct Pending {
    std::unique_ptr<TextSpool> spool;
    std::size_t items = 0;
  };
  const Suite* FindSuite(const std::string& node_id) const;
  Pending& Suites();
  Pending& Level(std::size_t depth);
  // Moves steps deeper than `depth` + 1 (whose parent never came) up to depth + 1.
  void AdoptOrphans(std::size_t depth);
  void AppendItem(Pending& to, std::size_t indent, const std::string& text, std::string_view key,
                  Pending* children);

  ReportInfo info_;
  MemorySpoolFactory memory_;
  Pending suites_;
  Pending performance_suites_;  // performance_summary.suites, one entry per finished suite
  PerformanceSummary performance_;
  std::vector<Pending> levels_;  // levels_[d]: finished steps of depth d not yet placed
  Value summary_ = Value::object();  // the top level, "suites_results" left empty
  std::int64_t started_at_ms_ = 0;
  std::string start_time_;
  std::size_t unloaded_ = 0;
  bool finished_ = false;
};

// One step in the report's shape (step_id, status, request_details, assertions_results, ...).
Value StepToReport(const StepOutcome& step);

}  // namespace flow::core
