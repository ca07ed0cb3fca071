// AggregatedReport: an EventSink that collects a run into the original engine's
// AggregatedResult shape (results/latest.json), so tools reading that file keep working.
// Not thread-safe; one per run.
#pragma once

#include <string>
#include <vector>

#include "core/model/suite.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core {

struct ReportInfo {
  std::string project_name = "flowtest";
  Value globals = Value::object();  // global_variables_final_state
  // file (as in Suite::file) -> absolute path and raw text, for file_path / suite_yaml_content
  std::vector<const Suite*> suites;
  std::string (*absolute_path)(const std::string&) = nullptr;  // null: paths as given
};

class AggregatedReport final : public EventSink {
 public:
  explicit AggregatedReport(ReportInfo info);

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;

  // A suite file that could not be loaded (invalid YAML, failed validation): reported as a failed
  // suite with its errors, so CI sees it in latest.json too. Call before OnRunFinished.
  void AddUnloadedSuite(const std::string& file, const std::vector<Error>& errors);

  // The whole report; complete after OnRunFinished.
  const Value& result() const { return result_; }
  // "<project>_<timestamp>" stem for the report files, from the run's start time.
  std::string FileStem() const;
  // Lower-cased project name, [^a-z0-9 -] removed, spaces -> '-'.
  static std::string ProjectSlug(std::string_view project_name);

 private:
  const Suite* FindSuite(const std::string& node_id) const;

  ReportInfo info_;
  Value result_ = Value::object();
  Value current_steps_ = Value::array();
  std::int64_t started_at_ms_ = 0;
  std::size_t unloaded_ = 0;
};

// One step in the report's shape (step_id, status, request_details, assertions_results, ...).
Value StepToReport(const StepOutcome& step);

}  // namespace flow::core
