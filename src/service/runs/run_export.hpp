// Exporting recorded runs as reports: the stored outcomes (step_run.outcome, flow_run.result_summary)
// are read back (core/run/outcome_json) and replayed, in the order they ran, into the same streamed
// reports `flowtest run` writes (core/report: AggregatedReport, JunitReport, HtmlReport). A batch
// exported gives the report its run wrote: the same suites, steps, counts, times and masking;
// only the file paths differ (written as the run was given them, not made absolute). One run
// exported alone is a report of that suite alone. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/report_output.hpp"
#include "core/result.hpp"
#include "service/ports/database.hpp"

namespace flow::service {

enum class ExportFormat { kJson, kJunit, kHtml };

// "json", "junit", "html" (any case).
core::Result<ExportFormat> ParseExportFormat(std::string_view name);
std::string_view ExportFormatName(ExportFormat format);

struct ExportOptions {
  ExportFormat format = ExportFormat::kJson;
  core::SpoolFactory* spools = nullptr;  // where the reports' spools go; null: in memory
};

struct Exported {
  std::string project_name;
  std::int64_t started_at_ms = 0;  // of the run (batch) exported: names its report file
  std::size_t runs = 0;            // replayed
  // Runs left out: not finished (their recording stopped, or they still run), with the reason.
  std::vector<std::string> warnings;
};

// Writes the report of `runs` to `out`. `runs` are one run, or the runs of one batch (as
// FindBatch/ListRuns give them, in any order); `as_batch` says which, and so where the run-level
// figures come from (the batch's recorded start and end, or the one suite's). Fails when no run
// has finished or a stored outcome cannot be read.
core::Result<Exported> ExportRuns(Database& database, std::vector<RunRecord> runs, bool as_batch,
                                  const ExportOptions& options, core::TextOutput& out);

// Every run of `batch_id` (unordered).
core::Result<std::vector<RunRecord>> BatchRuns(RunStore& runs, const std::string& batch_id);

}  // namespace flow::service
