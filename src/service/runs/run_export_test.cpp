#include "service/runs/run_export.hpp"

#include <gtest/gtest.h>

#include "core/report/aggregated_report.hpp"
#include "core/report/html_report.hpp"
#include "core/report/junit_report.hpp"
#include "core/report/report_test_support.hpp"
#include "service/runs/history_test_support.hpp"
#include "service/runs/run_history.hpp"

namespace flow::service {
namespace {

using core::report_testing::Written;
using testing::HistoryHarness;

// Four suites: one passes and exports, one fails (an assertion, an unreachable host, iterations),
// one is skipped because a suite it requires failed, one holds a secret; and a file that could not
// be loaded.
void AddSuites(HistoryHarness& h) {
  h.Add(R"(suite_name: Auth
node_id: auth
base_url: http://api.test
exports: [token]
steps:
  - name: login
    request: {method: POST, url: /login, body: {user: ann}}
    assert: {status_code: 200, body: {id: {equals: 7}}}
    capture: {token: body.token}
)", "tests/auth.yaml");
  h.Add(R"(suite_name: Orders
node_id: orders
base_url: http://api.test
depends: [{node_id: auth, required: true}]
metadata: {priority: high, tags: [orders]}
steps:
  - name: list
    request: {method: GET, url: /orders, headers: {Authorization: "Bearer {{auth.token}}"}}
    assert: {status_code: 200}
  - name: broken
    request: {method: GET, url: /orders/fail}
    assert: {status_code: 200}
  - name: offline
    request: {method: GET, url: /down}
  - name: pages
    iterate: {range: "1..3", as: n}
    request: {method: GET, url: "/orders/page/{{n}}"}
    assert: {status_code: 200}
)", "tests/orders.yaml");
  h.Add(R"(suite_name: Report
node_id: report
base_url: http://api.test
depends: [{node_id: orders, required: true}]
steps:
  - name: summary
    request: {method: GET, url: /report}
)", "tests/report.yaml");
  h.Add(R"(suite_name: Vault
node_id: vault
base_url: http://api.test
variables:
  pin: {value: "8472-9931", secret: true}
steps:
  - name: open
    request: {method: POST, url: /vault, body: {pin: "{{pin}}"}}
)", "tests/vault.yaml");
  h.globals = {{"api_url", "http://api.test"}, {"client_secret", "cs-123456"}};
}

void AddUnloaded(RunRecorder& recorder, std::vector<core::StreamedReport*> reports) {
  core::Error e = core::InvalidArgument("unknown key 'stpes'", "did you mean 'steps'?");
  e.where = core::SourceSpan{.file = "tests/typo.yaml", .line = 3, .column = 1};
  for (core::StreamedReport* r : reports) r->AddUnloadedSuite("tests/typo.yaml", {e});
  recorder.AddUnloadedSuite("tests/typo.yaml", "suite_name: T\nnode_id: typo\nstpes: []\n", {e});
}

std::string Export(Database& db, const std::string& batch, ExportFormat format) {
  core::StringOutput out;
  const core::Result<Exported> exported =
      ExportRuns(db, BatchRuns(db.runs(), batch).value(), true, {.format = format}, out);
  EXPECT_TRUE(exported) << exported.error().message;
  if (exported) {
    EXPECT_TRUE(exported->warnings.empty());
  }
  return out.text();
}

TEST(RunExport, AnExportedBatchIsTheReportItsRunWrote) {
  for (std::size_t parallel : {1u, 3u}) {
    HistoryHarness h;
    AddSuites(h);
    core::AggregatedReport json(core::ReportInfo{.project_name = "Shop", .globals = h.globals,
                                                 .suites = h.Suites(), .secrets = &h.secrets});
    core::JunitReport junit(core::JunitInfo{.project_name = "Shop", .hostname = "ci-host"});
    core::HtmlReport html(core::HtmlInfo{.project_name = "Shop"});
    const core::RunOutcome outcome =
        h.Run(parallel, {&json, &junit, &html},
              [&](RunRecorder& recorder) { AddUnloaded(recorder, {&json, &junit, &html}); });
    ASSERT_EQ(outcome.suites_failed, 1u);
    ASSERT_EQ(outcome.suites_skipped, 1u);
    ASSERT_TRUE(h.errors.empty());

    const std::string live = Written(json);
    const std::string exported = Export(*h.db, h.batch_id, ExportFormat::kJson);
    EXPECT_EQ(exported, live) << "parallel " << parallel;
    // The comparison compares something: the run's failures, skips, secrets and load errors.
    const Value report = Value::parse(exported);
    EXPECT_EQ(report["total_tests"], 5);
    EXPECT_EQ(report["failed_tests"], 2);
    EXPECT_EQ(report["skipped_tests"], 1);
    EXPECT_EQ(report["suites_results"][0]["load_errors"][0]["hint"], "did you mean 'steps'?");
    EXPECT_EQ(report["global_variables_final_state"]["client_secret"], "***");
    EXPECT_EQ(exported.find("8472-9931"), std::string::npos);
    EXPECT_NE(report["suites_results"][4]["suite_yaml_content"].get<std::string>().find(
                  "pin: {value: \"***\", secret: true}"),
              std::string::npos);

    EXPECT_EQ(Export(*h.db, h.batch_id, ExportFormat::kJunit), Written(junit));
    EXPECT_EQ(Export(*h.db, h.batch_id, ExportFormat::kHtml), Written(html));
  }
}

std::string UnderProject(const std::string& path) { return "/home/ann/shop/" + path; }

TEST(RunExport, FilesShowAsTheRunsReportsShowedThem) {
  HistoryHarness h;
  AddSuites(h);
  h.absolute_path = &UnderProject;
  core::AggregatedReport json(core::ReportInfo{.project_name = "Shop", .globals = h.globals,
                                               .suites = h.Suites(),
                                               .absolute_path = &UnderProject,
                                               .secrets = &h.secrets});
  core::JunitReport junit(core::JunitInfo{.project_name = "Shop", .hostname = "ci-host",
                                          .absolute_path = &UnderProject});
  h.Run(1, {&json, &junit}, [&](RunRecorder& recorder) { AddUnloaded(recorder, {&json, &junit}); });
  const std::string exported = Export(*h.db, h.batch_id, ExportFormat::kJson);
  EXPECT_EQ(exported, Written(json));
  EXPECT_NE(exported.find("/home/ann/shop/tests/orders.yaml"), std::string::npos);
  EXPECT_NE(exported.find("/home/ann/shop/tests/typo.yaml"), std::string::npos);
  EXPECT_EQ(Export(*h.db, h.batch_id, ExportFormat::kJunit), Written(junit));
}

TEST(RunExport, OneRunIsAReportOfThatSuiteAlone) {
  HistoryHarness h;
  AddSuites(h);
  h.Run(1);
  RunHistory history(*h.db);
  const RunRecord orders = history.List({.node_id = "orders"}).value().at(0);
  core::StringOutput out;
  const Exported exported = ExportRuns(*h.db, {orders}, false, {}, out).value();
  EXPECT_EQ(exported.runs, 1u);
  EXPECT_EQ(exported.project_name, "Shop");
  const Value report = Value::parse(out.text());
  EXPECT_EQ(report["total_tests"], 1);
  EXPECT_EQ(report["failed_tests"], 1);
  ASSERT_EQ(report["suites_results"].size(), 1u);
  const Value& suite = report["suites_results"][0];
  EXPECT_EQ(suite["node_id"], "orders");
  EXPECT_EQ(suite["steps_results"].size(), 4u);  // the iterations sit inside their parent
  EXPECT_EQ(suite["steps_results"][3]["iteration_results"].size(), 3u);
  EXPECT_EQ(report["start_time"], suite["start_time"]);
  EXPECT_EQ(report["total_duration_ms"], suite["duration_ms"]);
}

TEST(RunExport, UnfinishedRunsAreLeftOutWithAWarning) {
  HistoryHarness h;
  AddSuites(h);
  h.Run(1);
  const std::string version = h.db->runs().ListRuns({}).value().at(0).version_id;
  const RunRecord running = h.db->runs()
                                .CreateRun({.version_id = version, .batch_id = h.batch_id,
                                            .status = RunStatus::kRunning})
                                .value();
  core::StringOutput out;
  const Exported exported =
      ExportRuns(*h.db, BatchRuns(h.db->runs(), h.batch_id).value(), true, {}, out).value();
  EXPECT_EQ(exported.runs, 4u);
  ASSERT_EQ(exported.warnings.size(), 1u);
  EXPECT_NE(exported.warnings[0].find(running.id), std::string::npos);
  EXPECT_NE(exported.warnings[0].find("running"), std::string::npos);

  core::StringOutput nothing;
  const core::Result<Exported> none = ExportRuns(*h.db, {running}, false, {}, nothing);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(none.error().message, "no finished run to export");
}

TEST(RunExport, AStepWhoseOutcomeCannotBeReadIsAnError) {
  HistoryHarness h;
  h.Add(testing::StepsSuite("a", 1), "a.yaml");
  h.Run(1);
  const RunRecord run = h.db->runs().ListRuns({}).value().at(0);
  RecordedStep bad;
  bad.step.step_name = "damaged";
  bad.step.outcome = Value::array();
  ASSERT_TRUE(h.db->runs().RecordStep(run.id, bad));
  core::StringOutput out;
  const core::Result<Exported> exported = ExportRuns(*h.db, {run}, false, {}, out);
  ASSERT_FALSE(exported);
  EXPECT_NE(exported.error().message.find("(damaged)"), std::string::npos)
      << exported.error().message;
}

TEST(RunExport, FormatsAreNamed) {
  EXPECT_EQ(*ParseExportFormat("JUnit"), ExportFormat::kJunit);
  EXPECT_EQ(*ParseExportFormat("html"), ExportFormat::kHtml);
  EXPECT_EQ(*ParseExportFormat("json"), ExportFormat::kJson);
  const core::Result<ExportFormat> bad = ParseExportFormat("jsno");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().hint.find("json"), std::string::npos);
  EXPECT_EQ(ExportFormatName(ExportFormat::kJunit), "junit");
}

}  // namespace
}  // namespace flow::service
