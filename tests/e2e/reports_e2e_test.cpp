// The report formats through the flowtest binary: one run against a local httpbin with steps that
// pass, fail, error, skip, iterate and retry, and every format on. Each file is checked by an
// outside tool: the JUnit XML by xmllint against the common JUnit schema (tests/data/junit.xsd),
// the JSON reports and live events by python3-jsonschema against docs/schemas, and the HTML
// report by headless Chromium under its own Content-Security-Policy.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

namespace fs = std::filesystem;

std::string ReportSuites(const std::string& url) {
  return "suite_name: Reported\n"
         "node_id: reported\n"
         "base_url: '" + url + "'\n"
         "steps:\n"
         "  - name: passes\n"
         "    request: {method: GET, url: '/get?who=<ann>&x=1'}\n"
         "    assert: {status_code: 200, body.args.who: {equals: '<ann>'}}\n"
         "    capture: {who: body.args.who}\n"
         "  - name: fails an assertion\n"
         "    continue_on_failure: true\n"
         "    request: {method: GET, url: /status/404}\n"
         "    assert: {status_code: 200}\n"
         "  - name: cannot connect\n"
         "    continue_on_failure: true\n"
         "    request: {method: GET, url: 'http://127.0.0.1:9/'}\n"
         "  - name: skipped\n"
         "    skip: true\n"
         "    request: {method: GET, url: /get}\n"
         "  - name: loops\n"
         "    continue_on_failure: true\n"
         "    iterate: {range: '1..4', as: n}\n"
         "    request: {method: GET, url: '/anything/{{n}}'}\n"
         "    assert: {body.url: {contains: '/anything/'}}\n"
         "  - name: retried\n"
         "    continue_on_failure: true\n"
         "    retry: {max_attempts: 2, delay_ms: 1}\n"
         "    request: {method: GET, url: /status/503}\n"
         "    assert: {status_code: 200}\n";
}

class ReportsE2e : public ::testing::Test {
 protected:
  // Runs the sample suites with every format; the output directory is dir_.path() + "/out".
  void RunAllFormats(const std::string& url) {
    dir_.Write("reported.yaml", ReportSuites(url));
    dir_.Write("ok.yaml", "suite_name: Fine\nnode_id: fine\nbase_url: '" + url +
                              "'\nsteps:\n  - name: one\n    request: {method: GET, url: /get}\n"
                              "    assert: {status_code: 200}\n");
    dir_.Write("broken.yaml", "suite_name: Broken\nnode_id: broken\nstpes: []\n");
    result_ = RunFlowtest(dir_.path(),
                          "run . --format json,junit,html,qa --live-events --output-dir out");
  }
  std::string Out(const std::string& name) const { return dir_.path() + "/out/" + name; }

  ScratchDir dir_;
  ProcessResult result_;
};

// A tool the test needs, or skip/fail like a missing service.
#define FLOW_TOOL_OR_SKIP(path)                                                         \
  if (!fs::exists(path)) {                                                              \
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE(std::string(path) + " is not installed (scripts/" \
                                      "install-deps.sh installs it)");                  \
  }

TEST_F(ReportsE2e, EveryFormatIsWrittenWithItsStampedCopy) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  RunAllFormats(url);
  EXPECT_EQ(result_.exit_code, 1) << result_.output;
  for (const char* latest : {"latest.json", "latest-qa.json", "latest-junit.xml",
                             "html/latest.html", "live-events.jsonl"}) {
    EXPECT_TRUE(fs::exists(Out(latest))) << latest << "\n" << result_.output;
    EXPECT_NE(result_.output.find(latest), std::string::npos) << latest;
  }
  std::size_t stamped = 0, pages = 0;
  std::string stamped_junit;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path() + "/out")) {
    const std::string name = entry.path().filename().string();
    if (name.find("_2") != std::string::npos) ++stamped;
    if (name.rfind("reported_", 0) == 0 || name.rfind("fine_", 0) == 0) ++pages;
    if (name.find("_junit_") != std::string::npos) stamped_junit = entry.path().string();
  }
  // json, qa, junit and the html index, plus the two suites' own pages.
  EXPECT_EQ(stamped, 6u);
  EXPECT_EQ(pages, 2u);
  ASSERT_FALSE(stamped_junit.empty());
  EXPECT_EQ(ReadFileText(stamped_junit), ReadFileText(Out("latest-junit.xml")));
}

TEST_F(ReportsE2e, JunitIsValidAgainstTheCommonJunitSchema) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  FLOW_TOOL_OR_SKIP("/usr/bin/xmllint");
  RunAllFormats(url);
  const std::string schema = SourceDir() + "/tests/data/junit.xsd";
  const ProcessResult check = RunCommand("/usr/bin/xmllint --noout --schema " + ShellQuote(schema) +
                                         " " + ShellQuote(Out("latest-junit.xml")));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("validates"), std::string::npos) << check.output;
  const std::string xml = ReadFileText(Out("latest-junit.xml"));
  EXPECT_NE(xml.find("<testsuite name=\"Reported\" tests=\"10\" failures=\"2\" errors=\"1\" "
                     "skipped=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"loops [4/4]\" classname=\"reported\""), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"broken.yaml:3:1: unknown suite key &#39;stpes&#39;"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("attempt 2: failure 503"), std::string::npos) << xml;
  // The schema really checks: a report without the required counts fails it.
  const std::string bad = dir_.Write("bad.xml", "<testsuites><testsuite name=\"x\"/></testsuites>");
  const ProcessResult refused = RunCommand("/usr/bin/xmllint --noout --schema " +
                                           ShellQuote(schema) + " " + ShellQuote(bad));
  EXPECT_NE(refused.exit_code, 0) << refused.output;
}

TEST_F(ReportsE2e, JsonReportsAndLiveEventsMatchTheirDocumentedSchemas) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  FLOW_TOOL_OR_SKIP("/usr/bin/python3");
  RunAllFormats(url);
  const std::string validate = "/usr/bin/python3 " +
                               ShellQuote(SourceDir() + "/tests/e2e/validate_json.py") + " ";
  const std::string schemas = SourceDir() + "/docs/schemas/";
  struct Case {
    const char* schema;
    const char* file;
    const char* flags;
    const char* count;
  };
  for (const Case& c : {Case{"latest-report.schema.json", "latest.json", "", "valid 1"},
                        Case{"qa-report.schema.json", "latest-qa.json", "", "valid 1"},
                        Case{"live-event.schema.json", "live-events.jsonl", " --lines", ""}}) {
    const ProcessResult check = RunCommand(validate + ShellQuote(schemas + c.schema) + " " +
                                           ShellQuote(Out(c.file)) + c.flags);
    if (check.output.find("No module named") != std::string::npos) {
      FLOW_SKIP_OR_FAIL_MISSING_SERVICE("python3-jsonschema is not installed: " + check.output);
    }
    EXPECT_EQ(check.exit_code, 0) << c.file << ": " << check.output;
    EXPECT_NE(check.output.find(c.count), std::string::npos) << check.output;
  }
  const nlohmann::json report = nlohmann::json::parse(ReadFileText(Out("latest.json")));
  const nlohmann::json& perf = report.at("performance_summary");
  EXPECT_GE(perf.at("total_requests").get<int>(), 8);
  EXPECT_FALSE(perf.at("suites").empty());
  EXPECT_GT(perf.at("p95_response_time_ms").get<double>(), 0);
  nlohmann::json steps;
  for (const nlohmann::json& suite : report.at("suites_results")) {
    if (suite.at("node_id") == "reported") steps = suite.at("steps_results");
  }
  ASSERT_EQ(steps.size(), 6u) << report.dump(2).substr(0, 2000);
  EXPECT_EQ(steps.at(5).at("attempts").size(), 2u) << steps.at(5).dump(2);
  EXPECT_TRUE(steps.at(0).at("response_details").at("timing").contains("time_to_first_byte_ms"));
  // The schemas really check: a report missing a required key is refused.
  nlohmann::json broken = report;
  broken.erase("performance_summary");
  const std::string bad = dir_.Write("bad.json", broken.dump());
  const ProcessResult refused = RunCommand(validate + ShellQuote(schemas + "latest-report.schema.json") +
                                           " " + ShellQuote(bad));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("performance_summary"), std::string::npos) << refused.output;
}

TEST_F(ReportsE2e, HtmlReportRendersInHeadlessChromiumUnderItsPolicy) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  FLOW_TOOL_OR_SKIP("/usr/bin/chromium");
  FLOW_TOOL_OR_SKIP("/usr/bin/python3");
  RunAllFormats(url);
  const ProcessResult probe =
      RunCommand("/usr/bin/python3 " + ShellQuote(SourceDir() + "/tests/e2e/html_report_check.py") +
                 " /usr/bin/chromium " + ShellQuote(Out("html/latest.html")));
  if (probe.output.find("No module named 'websocket'") != std::string::npos) {
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE("python3-websocket is not installed");
  }
  ASSERT_EQ(probe.exit_code, 0) << probe.output;
  const nlohmann::json seen = nlohmann::json::parse(probe.output.substr(probe.output.find('{')));
  EXPECT_EQ(seen.at("verdict"), "FAILED") << seen.dump(2);
  EXPECT_TRUE(seen.at("style_applied")) << "the policy blocked the stylesheet: " << seen.dump(2);
  EXPECT_EQ(seen.at("csp_violations").size(), 0u) << seen.dump(2);
  EXPECT_EQ(seen.at("console_errors").size(), 0u) << seen.dump(2);
  EXPECT_EQ(seen.at("scripts"), 0);
  EXPECT_EQ(seen.at("suites"), 3);  // Reported, Fine, and the file that did not load
  // Steps: 6 of Reported + its 4 iterations + Fine's one.
  EXPECT_EQ(seen.at("steps"), 11);
  // Failures: the assertion, the connection, the retried step, and the file that did not load.
  EXPECT_EQ(seen.at("failure_items"), 4);
  EXPECT_EQ(seen.at("broken_links"), 0);
  EXPECT_EQ(seen.at("waterfalls"), 7);  // a bar per top-level step of both suites
  EXPECT_EQ(seen.at("cards"), nlohmann::json::array({"Suites", "Steps", "Requests", "Duration"}));
  // The status filters show only the steps of that status (or holding one).
  const nlohmann::json& visible = seen.at("visible");
  EXPECT_EQ(visible.at("all").at("steps"), 11);
  EXPECT_EQ(visible.at("failed").at("steps"), 3);
  EXPECT_EQ(visible.at("failed").at("wrong"), 0);
  EXPECT_EQ(visible.at("failed").at("suites"), 2);
  EXPECT_EQ(visible.at("skipped").at("steps"), 1);
  EXPECT_EQ(visible.at("skipped").at("wrong"), 0);
  EXPECT_EQ(visible.at("passed").at("wrong"), 0);
  EXPECT_GE(visible.at("passed").at("steps"), 7);
  EXPECT_TRUE(fs::exists(seen.at("screenshot").get<std::string>()));
}

TEST(ReportsCli, UnknownFormatIsAUsageErrorWithASuggestion) {
  ScratchDir dir;
  const ProcessResult r = RunFlowtest(dir.path(), "run --format junti x.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown report format 'junti'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'junit'?"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace flow::testing
