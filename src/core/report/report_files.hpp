// Report files on disk, for the CLI: file-backed spools (so a streamed report keeps nothing in
// memory) and the atomic writing of the final files. This is the one part of the report module
// that touches the file system; it is its own library (flow_report_files) so flow_report stays
// pure. Not thread-safe: one report, one thread.
#pragma once

#include <memory>
#include <string>

#include "core/report/aggregated_report.hpp"
#include "core/report/report_output.hpp"
#include "core/result.hpp"

namespace flow::core {

// Spools are anonymous temporary files in `directory` (created when missing; deleted when the
// spool is destroyed or the process ends). A spool that could not be created reports it in
// Status(), and so does the report's WriteTo().
class FileSpoolFactory final : public SpoolFactory {
 public:
  explicit FileSpoolFactory(std::string directory);
  std::unique_ptr<TextSpool> CreateSpool() override;

 private:
  std::string directory_;
};

// Writes the finished `report` to `path` through a temporary file in the same directory, renamed
// over `path` once complete: a reader never sees half a report.
Result<void> WriteReportFile(const AggregatedReport& report, const std::string& path);

// The json format's files in `directory` (created when missing): <FileStem()>.json and an
// identical latest.json. Returns the path of latest.json.
Result<std::string> WriteJsonReports(const AggregatedReport& report, const std::string& directory);

}  // namespace flow::core
