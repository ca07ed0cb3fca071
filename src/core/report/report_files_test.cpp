#include "core/report/report_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace flow::core {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "flow-report-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

StepOutcome BigStep(std::size_t k) {
  StepOutcome s;
  s.node_id = "n";
  s.step_id = "get-" + std::to_string(k);
  s.qualified_step_id = "n::" + s.step_id;
  s.step_name = "get " + std::to_string(k);
  s.response = Value{{"status_code", 200}, {"body", std::string(3000, 'x')}};
  s.depth = 1;
  s.iteration = k;
  return s;
}

TEST(ReportFiles, StreamsThroughFileSpoolsAndWritesBothFilesAtomically) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string out_dir = dir.path() + "/results";
  FileSpoolFactory spools(out_dir);
  AggregatedReport report(ReportInfo{.project_name = "Demo", .spools = &spools});
  report.OnRunStarted(1700000000000, 1);
  // More than the spools' write buffer, so the files are really used.
  for (std::size_t k = 0; k < 100; ++k) report.OnStepFinished(BigStep(k));
  StepOutcome loop;
  loop.node_id = "n";
  loop.step_id = "loop";
  loop.kind = "iterate";
  report.OnStepFinished(loop);
  report.OnSuiteFinished(SuiteOutcome{.node_id = "n", .suite_name = "N", .file = "n.yaml",
                                      .steps_reported = 1, .steps_successful = 1});
  report.OnRunFinished(RunOutcome{.suites_discovered = 1, .suites_run = 1, .suites_successful = 1});

  Result<std::string> latest = WriteJsonReports(report, out_dir);
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(*latest, out_dir + "/latest.json");
  // Only the two reports: the spools are anonymous, the temporary files were renamed.
  EXPECT_EQ(Names(out_dir),
            (std::vector<std::string>{"demo_2023-11-14_22-13-20.json", "latest.json"}));
  const std::string text = ReadAll(*latest);
  EXPECT_EQ(text, ReadAll(out_dir + "/demo_2023-11-14_22-13-20.json"));
  StringOutput expected;
  ASSERT_TRUE(report.WriteTo(expected));
  EXPECT_EQ(text, expected.text());
  const Value parsed = Value::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  const Value& iterations = parsed["suites_results"][0]["steps_results"][0]["iteration_results"];
  ASSERT_EQ(iterations.size(), 100u);
  EXPECT_EQ(iterations[99]["iteration"], 99);
  EXPECT_EQ(fs::status(*latest).permissions() & fs::perms::all, fs::perms(0644));
}

TEST(ReportFiles, ASpoolThatCannotBeCreatedFailsTheReport) {
  TempDir dir;
  const std::string blocker = dir.path() + "/file";
  std::ofstream(blocker) << "not a directory";
  FileSpoolFactory spools(blocker + "/results");
  AggregatedReport report(ReportInfo{.spools = &spools});
  report.OnRunStarted(1700000000000, 0);
  report.OnRunFinished(RunOutcome{});
  const Result<std::string> w = WriteJsonReports(report, dir.path() + "/out");
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("cannot create the report directory"), std::string::npos)
      << w.error().message;
  EXPECT_FALSE(fs::exists(dir.path() + "/out/latest.json"));
}

TEST(ReportFiles, AnUnwritableDirectoryIsAnErrorNamingIt) {
  TempDir dir;
  const std::string blocker = dir.path() + "/file";
  std::ofstream(blocker) << "x";
  AggregatedReport report(ReportInfo{});
  report.OnRunStarted(1700000000000, 0);
  report.OnRunFinished(RunOutcome{});
  const Result<void> w = WriteReportFile(report, blocker + "/latest.json");
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find(blocker), std::string::npos) << w.error().message;
}

}  // namespace
}  // namespace flow::core
