// ReportSet: the report files of one `flowtest run` (json, junit, html, qa) and the live event
// stream, built from the config's `reporting` and the run's flags. Its ordered() sink receives
// the run in plan order (the Scheduler's ordered sink) and feeds every enabled report; Write()
// writes their files once the run has finished.
//
// File names (UTC stamp of the run's start, <project> the project name as a slug):
//   json   <dir>/<project>_<stamp>.json                latest.json
//   qa     <dir>/<project>_qa_<stamp>.json             latest-qa.json
//   junit  <dir>/<project>_junit_<stamp>.xml          latest-junit.xml
//   html   <dir>/<subdir>/index_<stamp>.html          <subdir>/latest.html
//          and with html.per_suite, <dir>/<subdir>/<node_id>_<stamp>.html
//
// Not thread-safe: one run, one thread (the ordered sink's calls never overlap).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/model/suite.hpp"
#include "core/report/report_output.hpp"
#include "core/report/streamed_report.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"
#include "core/secrets/secrets.hpp"

namespace flow::cli {

struct ReportSetOptions {
  std::string project_name;
  std::vector<std::string> formats;  // validated, each in core::kReportFormats
  std::string directory;             // the output directory
  core::HtmlReportConfig html;
  core::Value globals;
  std::vector<const core::Suite*> suites;
  std::string hostname = "localhost";
  const core::SecretRegistry* secrets = nullptr;  // masks what the events do not bring
  std::string (*absolute_path)(const std::string&) = nullptr;
};

class ReportSet {
 public:
  // Fails when the output directory cannot be created.
  static core::Result<std::unique_ptr<ReportSet>> Create(ReportSetOptions options);
  ~ReportSet();

  core::EventSink& ordered();
  void AddUnloadedSuite(const std::string& file, const std::vector<core::Error>& errors);
  struct Written {
    std::vector<std::string> latest;  // the "latest" file of each format, in format order
    std::vector<std::string> pages;   // the HTML page of each suite
  };
  // Writes every report.
  core::Result<Written> Write(std::int64_t run_started_at_ms);

 private:
  struct Parts;
  explicit ReportSet(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// Validates format names: each must be one of core::kReportFormats ("did you mean" otherwise).
// Duplicates are dropped, the order kept.
core::Result<std::vector<std::string>> CheckReportFormats(const std::vector<std::string>& formats);

}  // namespace flow::cli
