// Report files on disk, for the CLI: file-backed spools (so a streamed report keeps nothing in
// memory) and the atomic writing of the final files. This is the one part of the report module
// that touches the file system; it is its own library (flow_report_files) so flow_report stays
// pure. Not thread-safe: one report, one thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/aggregated_report.hpp"
#include "core/report/html_report.hpp"
#include "core/report/report_output.hpp"
#include "core/report/streamed_report.hpp"
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
Result<void> WriteReportFile(const StreamedReport& report, const std::string& path);
// Writes `render`'s text to `path` the same way.
Result<void> WriteFileAtomically(const std::string& path,
                                 const std::function<Result<void>(TextOutput&)>& render);

// `report` as `stamped_name` in `directory` (created when missing) and an identical copy named
// `latest_name` beside it (the kernel copies; no second rendering). Returns the latest path.
Result<std::string> WriteReportWithLatest(const StreamedReport& report, const std::string& directory,
                                          const std::string& stamped_name,
                                          const std::string& latest_name);

// The json format's files in `directory` (created when missing): <FileStem()>.json and an
// identical latest.json. Returns the path of latest.json.
Result<std::string> WriteJsonReports(const AggregatedReport& report, const std::string& directory);

// The per-suite pages of the HTML report: <node_id>_<stamp of the run>.html in `directory`, each
// written atomically.
class FileHtmlPages final : public HtmlPageWriter {
 public:
  explicit FileHtmlPages(std::string directory);
  Result<void> Write(const std::string& node_id, std::int64_t run_started_at_ms,
                     const std::function<void(TextOutput&)>& render) override;
  const std::vector<std::string>& written() const { return written_; }

 private:
  std::string directory_;
  std::vector<std::string> written_;
};

// A file that receives each Write() at once with one write(2) (O_APPEND), for JSONL event
// streams that others follow while the run goes on. Truncates the file when opened.
class LineFile final : public TextOutput {
 public:
  static Result<std::unique_ptr<LineFile>> Open(const std::string& path);
  ~LineFile() override;
  void Write(std::string_view text) override;
  Result<void> Status() const override;

 private:
  LineFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
  std::optional<Error> error_;
};

}  // namespace flow::core
