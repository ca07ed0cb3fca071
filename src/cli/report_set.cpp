#include "cli/report_set.hpp"

#include <algorithm>
#include <filesystem>

#include "core/report/aggregated_report.hpp"
#include "core/report/html_report.hpp"
#include "core/report/junit_report.hpp"
#include "core/report/qa_report.hpp"
#include "core/report/report_files.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"

namespace flow::cli {
struct ReportSet::Parts {
  ReportSetOptions options;
  core::FileSpoolFactory spools;
  std::string html_directory;
  std::unique_ptr<core::FileHtmlPages> pages;
  std::unique_ptr<core::AggregatedReport> json;
  std::unique_ptr<core::QaReport> qa;
  std::unique_ptr<core::JunitReport> junit;
  std::unique_ptr<core::HtmlReport> html;
  core::FanOutSink fan_out;

  explicit Parts(ReportSetOptions o) : options(std::move(o)), spools(options.directory) {}
};

core::Result<std::vector<std::string>> CheckReportFormats(const std::vector<std::string>& formats) {
  std::vector<std::string> known(std::begin(core::kReportFormats), std::end(core::kReportFormats));
  std::vector<std::string> out;
  for (const std::string& f : formats) {
    const std::string name = core::ToLower(f);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return core::InvalidArgument("unknown report format '" + f + "' (json, junit, html, qa)",
                                   core::DidYouMean(name, known));
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

core::Result<std::unique_ptr<ReportSet>> ReportSet::Create(ReportSetOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(options.directory, ec);
  if (ec) {
    return core::Unavailable("cannot create the report directory " + options.directory + ": " +
                             ec.message());
  }
  auto parts = std::make_unique<Parts>(std::move(options));
  const ReportSetOptions& o = parts->options;
  const auto enabled = [&](std::string_view f) {
    return std::find(o.formats.begin(), o.formats.end(), f) != o.formats.end();
  };
  if (enabled("json")) {
    parts->json = std::make_unique<core::AggregatedReport>(
        core::ReportInfo{.project_name = o.project_name, .globals = o.globals, .suites = o.suites,
                         .absolute_path = o.absolute_path, .spools = &parts->spools,
                         .secrets = o.secrets});
    parts->fan_out.Add(parts->json.get());
  }
  if (enabled("qa")) {
    core::QaInfo info{.project_name = o.project_name, .absolute_path = o.absolute_path,
                      .spools = &parts->spools};
    for (const core::Suite* s : o.suites) {
      info.suites[s->node_id] = {.description = s->description, .priority = s->priority};
    }
    parts->qa = std::make_unique<core::QaReport>(std::move(info));
    parts->fan_out.Add(parts->qa.get());
  }
  if (enabled("junit")) {
    parts->junit = std::make_unique<core::JunitReport>(
        core::JunitInfo{.project_name = o.project_name, .hostname = o.hostname,
                        .absolute_path = o.absolute_path, .spools = &parts->spools});
    parts->fan_out.Add(parts->junit.get());
  }
  if (enabled("html") && (o.html.aggregate || o.html.per_suite)) {
    parts->html_directory =
        (std::filesystem::path(o.directory) / (o.html.output_subdir.empty() ? "html"
                                                                            : o.html.output_subdir))
            .string();
    if (o.html.per_suite) parts->pages = std::make_unique<core::FileHtmlPages>(parts->html_directory);
    parts->html = std::make_unique<core::HtmlReport>(
        core::HtmlInfo{.project_name = o.project_name, .absolute_path = o.absolute_path,
                       .spools = &parts->spools, .suite_pages = parts->pages.get()});
    parts->fan_out.Add(parts->html.get());
  }
  return std::unique_ptr<ReportSet>(new ReportSet(std::move(parts)));
}

ReportSet::ReportSet(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
ReportSet::~ReportSet() = default;

core::EventSink& ReportSet::ordered() { return parts_->fan_out; }

void ReportSet::AddUnloadedSuite(const std::string& file, const std::vector<core::Error>& errors) {
  for (core::EventSink* sink : parts_->fan_out.sinks()) {
    static_cast<core::StreamedReport*>(sink)->AddUnloadedSuite(file, errors);
  }
}

core::Result<ReportSet::Written> ReportSet::Write(std::int64_t run_started_at_ms) {
  Parts& p = *parts_;
  const std::string slug = core::AggregatedReport::ProjectSlug(p.options.project_name);
  const std::string stamp = core::FormatFileStamp(run_started_at_ms);
  Written written;
  for (const std::string& format : p.options.formats) {
    core::Result<std::string> latest = core::Unavailable("");
    if (format == "json" && p.json) {
      latest = core::WriteReportWithLatest(*p.json, p.options.directory,
                                           slug + "_" + stamp + ".json", "latest.json");
    } else if (format == "qa" && p.qa) {
      latest = core::WriteReportWithLatest(*p.qa, p.options.directory,
                                           slug + "_qa_" + stamp + ".json", "latest-qa.json");
    } else if (format == "junit" && p.junit) {
      latest = core::WriteReportWithLatest(*p.junit, p.options.directory,
                                           slug + "_junit_" + stamp + ".xml", "latest-junit.xml");
    } else if (format == "html" && p.html && p.options.html.aggregate) {
      latest = core::WriteReportWithLatest(*p.html, p.html_directory, "index_" + stamp + ".html",
                                           "latest.html");
    } else {
      continue;
    }
    if (!latest) return latest.error();
    written.latest.push_back(*latest);
  }
  if (p.pages) written.pages = p.pages->written();
  return written;
}

}  // namespace flow::cli
