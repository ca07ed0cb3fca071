// The run history through the flowtest binary (docs/history.md): `flowtest run` records into
// .flowtest/history.db by default, `flowtest runs list|show|steps|export|purge` read it back (an
// export is the report the run wrote), `flowtest import DIR` stores suites as versions
// deduplicated by hash, `--no-history` records nothing, and a history that cannot be written is
// one warning, never a failed run.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::testing {
namespace {

namespace fs = std::filesystem;

std::string ShopSuite(const std::string& url) {
  return "suite_name: Shop\n"
         "node_id: shop\n"
         "base_url: '" + url + "'\n"
         "variables:\n"
         "  pin: {value: PIN-73519, secret: true}\n"
         "steps:\n"
         "  - name: login\n"
         "    request: {method: POST, url: /post, body: {pin: '{{pin}}', user: ann}}\n"
         "    assert: {status_code: 200}\n"
         "    capture: {user: body.json.user}\n"
         "  - name: wrong status\n"
         "    continue_on_failure: true\n"
         "    request: {method: GET, url: /status/404}\n"
         "    assert: {status_code: 200}\n"
         "  - name: pages\n"
         "    iterate: {range: '1..2', as: n}\n"
         "    request: {method: GET, url: '/get?page={{n}}'}\n"
         "    assert: {status_code: 200}\n";
}

// The batch id from the "history: PLACE (batch ID)" line of a run.
std::string BatchOf(const std::string& output) {
  const std::size_t at = output.find("(batch ");
  if (at == std::string::npos) return "";
  const std::size_t end = output.find(')', at);
  return output.substr(at + 7, end - at - 7);
}

// flowtest's standard output alone (its standard error dropped).
ProcessResult StdoutOf(const std::string& cwd, const std::string& args,
                       const std::string& env = "") {
  return RunCommand("(cd " + ShellQuote(cwd) + " && " + env + " " + Flowtest() + " " + args +
                    " 2>/dev/null)");
}

nlohmann::json Json(const std::string& cwd, const std::string& args, const std::string& env = "") {
  const ProcessResult r = StdoutOf(cwd, args, env);
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.output;
  return nlohmann::json::parse(r.output, nullptr, false);
}

// Moves every recorded run `days` into the past (the embedded SQLite history, through Python's
// sqlite3), so that purge has old runs to delete.
void AgeRuns(const std::string& db, int days) {
  const ProcessResult r = RunCommand(
      "python3 -c \"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
      "c.execute('UPDATE flow_run SET queued_at = queued_at - " + std::to_string(days) +
      " * 86400000'); c.commit()\" " + ShellQuote(db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

// One text cell of the embedded SQLite history (through Python's sqlite3).
std::string Cell(const std::string& db, const std::string& sql) {
  const ProcessResult r = RunCommand(
      "python3 -c \"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
      "sys.stdout.write(str(c.execute(sys.argv[2]).fetchone()[0]))\" " +
      ShellQuote(db) + " " + ShellQuote(sql));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.output;
}

constexpr const char* kShopText =
    "SELECT v.yaml_raw FROM flow_version v JOIN flow_suite s ON s.id = v.suite_id "
    "WHERE s.node_id = 'shop'";

TEST(HistoryE2e, ARunIsRecordedListedShownExportedAndPurged) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("tests/shop.yaml", ShopSuite(url));
  dir.Write("tests/other.yaml", "suite_name: Other\nnode_id: other\nbase_url: '" + url +
                                    "'\nsteps:\n  - name: ping\n    request: {method: GET, url: "
                                    "/get}\n");
  ProcessResult r =
      RunFlowtest(dir.path(), "run tests --format json,junit,html --output-dir out");
  ASSERT_EQ(r.exit_code, 1) << r.output;  // the 404 step fails
  ASSERT_TRUE(fs::exists(dir.path() + "/.flowtest/history.db")) << r.output;
  const std::string batch = BatchOf(r.output);
  ASSERT_EQ(batch.size(), 36u) << r.output;

  // The version keeps the suite text with its secret masked (no key here), the parsed suite too.
  const std::string history = dir.path() + "/.flowtest/history.db";
  const std::string stored = Cell(history, kShopText);
  EXPECT_EQ(stored.find("PIN-73519"), std::string::npos) << stored;
  EXPECT_NE(stored.find("pin: {value: ***, secret: true}"), std::string::npos) << stored;
  const nlohmann::json compiled = nlohmann::json::parse(
      Cell(history, "SELECT compiled_config FROM flow_version v JOIN flow_suite s ON "
                    "s.id = v.suite_id WHERE s.node_id = 'shop'"),
      nullptr, false);
  EXPECT_EQ(compiled["suite_name"], "Shop") << compiled;
  EXPECT_EQ(compiled["variables"]["pin"]["value"], "***");
  EXPECT_EQ(compiled["steps"].size(), 3u);

  // list: one run per suite, newest first, with the filters.
  nlohmann::json runs = Json(dir.path(), "runs list --json");
  ASSERT_EQ(runs.size(), 2u) << runs;
  nlohmann::json shop_runs = Json(dir.path(), "runs list --suite shop --json");
  ASSERT_EQ(shop_runs.size(), 1u);
  const nlohmann::json& shop = shop_runs[0];
  EXPECT_EQ(shop["status"], "failed");
  EXPECT_EQ(shop["batch_id"], batch);
  EXPECT_EQ(shop["suite_name"], "Shop");
  EXPECT_EQ(shop["steps"]["failed"], 1);
  EXPECT_EQ(Json(dir.path(), "runs list --status completed --json").size(), 1u);
  EXPECT_EQ(Json(dir.path(), "runs list --since 1h --json").size(), 2u);
  EXPECT_EQ(Json(dir.path(), "runs list --since 2999-01-01 --json").size(), 0u);
  EXPECT_EQ(Json(dir.path(), "runs list --limit 1 --json").size(), 1u);
  r = RunFlowtest(dir.path(), "runs list");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("RUN       BATCH"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(shop["id"].get<std::string>().substr(0, 8)), std::string::npos) << r.output;

  // show, by a prefix of the id: the steps as a tree, the failure, the capture; no secret.
  const std::string id = shop["id"].get<std::string>().substr(0, 8);
  r = RunFlowtest(dir.path(), "runs show " + id);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("status    failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("version   1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("wrong status"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("user = \"ann\"  (step capture)"), std::string::npos) << r.output;
  nlohmann::json shown = Json(dir.path(), "runs show " + id + " --json");
  ASSERT_EQ(shown["steps"].size(), 3u) << shown;
  EXPECT_EQ(shown["steps"][2]["steps"].size(), 2u);  // the iterations, under their step

  // steps: every step run in order, requests and responses included.
  nlohmann::json steps = Json(dir.path(), "runs steps " + id + " --json");
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0]["step_name"], "login");
  EXPECT_EQ(steps[0]["request"]["method"], "POST");
  EXPECT_EQ(steps[1]["status"], "failed");
  EXPECT_EQ(steps[1]["response"]["status_code"], 404);
  for (const std::string& text : {shown.dump(), steps.dump()}) {
    EXPECT_EQ(text.find("PIN-73519"), std::string::npos) << text;
  }

  // export: the batch gives back the reports the run wrote, byte for byte.
  r = RunFlowtest(dir.path(), "runs export " + batch + " --format json -o exported.json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ReadFileText(dir.path() + "/exported.json"), ReadFileText(dir.path() + "/out/latest.json"));
  r = StdoutOf(dir.path(), "runs export " + batch.substr(0, 8) + " --format junit");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, ReadFileText(dir.path() + "/out/latest-junit.xml"));
  r = RunFlowtest(dir.path(), "runs export " + batch + " -f html -o page.html");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ReadFileText(dir.path() + "/page.html"),
            ReadFileText(dir.path() + "/out/html/latest.html"));
  // One run alone: a report of that suite.
  nlohmann::json one = Json(dir.path(), "runs export " + id);
  ASSERT_EQ(one["suites_results"].size(), 1u);
  EXPECT_EQ(one["suites_results"][0]["node_id"], "shop");
  EXPECT_EQ(one.dump().find("PIN-73519"), std::string::npos);

  // A second run of the same files reuses the versions.
  r = RunFlowtest(dir.path(), "run tests --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  runs = Json(dir.path(), "runs list --suite shop --json");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["version_id"], runs[1]["version_id"]);

  // purge: nothing is older than a day; everything is older than a minute from now on.
  r = RunFlowtest(dir.path(), "runs purge --older-than 1d");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("deleted 0 runs"), std::string::npos) << r.output;
  EXPECT_EQ(Json(dir.path(), "runs list --json").size(), 4u);
  r = RunFlowtest(dir.path(), "runs purge --older-than 30x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--older-than takes an age such as 30d"), std::string::npos) << r.output;
}

TEST(HistoryE2e, WithASecretKeyTheSuiteTextIsSealedAndExportsStillWork) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  dir.Write("shop.yaml", ShopSuite(url));
  const std::string key = "FLOWTEST_SECRET_KEY=" + std::string(64, 'a');
  ProcessResult r = RunFlowtest(dir.path(), "run shop.yaml --format json --output-dir out", key);
  ASSERT_EQ(r.exit_code, 1) << r.output;
  const std::string batch = BatchOf(r.output);
  const std::string stored = Cell(dir.path() + "/.flowtest/history.db", kShopText);
  EXPECT_NE(stored.find("secretbox-v1"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("PIN-73519"), std::string::npos);
  EXPECT_EQ(stored.find("suite_name"), std::string::npos);
  for (const std::string& env : {key, std::string()}) {
    r = RunFlowtest(dir.path(), "runs export " + batch + " --format json -o exported.json", env);
    ASSERT_EQ(r.exit_code, 0) << env << "\n" << r.output;
    EXPECT_EQ(ReadFileText(dir.path() + "/exported.json"),
              ReadFileText(dir.path() + "/out/latest.json"));
  }
  // Run again with the key: the same version, found by the hash of the text as written.
  r = RunFlowtest(dir.path(), "run shop.yaml --no-report", key);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const nlohmann::json runs = Json(dir.path(), "runs list --json", key);
  ASSERT_EQ(runs.size(), 2u) << runs;
  EXPECT_EQ(runs[0]["version_id"], runs[1]["version_id"]);
}

TEST(HistoryE2e, PurgeDeletesTheRunsOlderThanTheAgeGiven) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: a\n    request: {method: GET, "
                      "url: 'http://127.0.0.1:9/'}\n");
  ProcessResult r = RunFlowtest(dir.path(), "run s.yaml --no-report");
  ASSERT_EQ(r.exit_code, 1) << r.output;
  AgeRuns(dir.path() + "/.flowtest/history.db", 40);
  r = RunFlowtest(dir.path(), "run s.yaml --no-report");  // a recent one
  ASSERT_EQ(r.exit_code, 1) << r.output;
  ASSERT_EQ(Json(dir.path(), "runs list --json").size(), 2u);

  r = RunFlowtest(dir.path(), "runs purge --older-than 30d --dry-run");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 run queued before"), std::string::npos) << r.output;
  EXPECT_EQ(Json(dir.path(), "runs list --json").size(), 2u);
  r = RunFlowtest(dir.path(), "runs purge --older-than 30d");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("deleted 1 run "), std::string::npos) << r.output;
  const nlohmann::json left = Json(dir.path(), "runs list --json");
  ASSERT_EQ(left.size(), 1u);
  // The one left is the recent run, whole: its steps are still there.
  EXPECT_EQ(Json(dir.path(), "runs steps " + left[0]["id"].get<std::string>() + " --json").size(),
            1u);
}

// slow.yaml: a quick step, then one that waits 8 s.
void WriteSlowSuite(const ScratchDir& dir, const std::string& url) {
  dir.Write("slow.yaml", "suite_name: Slow\nnode_id: slow\nbase_url: '" + url +
                             "'\nsteps:\n  - name: quick\n    request: {method: GET, url: /get}\n"
                             "  - name: slow\n    request: {method: GET, url: /delay/8}\n");
}

// `flowtest run slow.yaml` in `dir`, sent SIG`signal` once its first step is done (its line is on
// the console) while the second waits; the output ends with "exit=STATUS" and the run's output.
ProcessResult RunSlowSuiteAndSignal(const ScratchDir& dir, const std::string& signal) {
  return RunCommand("cd " + ShellQuote(dir.path()) + " && (" + Flowtest() +
                    " run slow.yaml > run.out 2>&1 & pid=$!; for i in $(seq 100); do grep -q quick "
                    "run.out && break; sleep 0.1; done; sleep 0.3; kill -" + signal +
                    " $pid; wait $pid; echo \"exit=$?\"; cat run.out)");
}

TEST(HistoryE2e, ARunKilledMidwayIsRecordedCancelledWithTheStepsItFinished) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  WriteSlowSuite(dir, url);
  // SIGTERM once the first step is done (its line is on the console), while the second waits.
  const ProcessResult r = RunSlowSuiteAndSignal(dir, "TERM");
  EXPECT_NE(r.output.find("exit=143"), std::string::npos) << r.output;  // 128 + SIGTERM
  EXPECT_NE(r.output.find("SIGTERM: recording the runs in progress as cancelled"), std::string::npos)
      << r.output;

  const nlohmann::json runs = Json(dir.path(), "runs list --json");
  ASSERT_EQ(runs.size(), 1u) << runs;
  EXPECT_EQ(runs[0]["status"], "cancelled") << runs;
  const nlohmann::json shown = Json(dir.path(), "runs show " + runs[0]["id"].get<std::string>() + " --json");
  EXPECT_EQ(shown["result_summary"]["interrupted"], "SIGTERM") << shown;
  const nlohmann::json steps = Json(dir.path(), "runs steps " + runs[0]["id"].get<std::string>() + " --json");
  ASSERT_EQ(steps.size(), 1u) << steps;
  EXPECT_EQ(steps[0]["step_name"], "quick") << steps;
}

TEST(HistoryE2e, ARunKilledWithSigkillIsFinishedAsCancelledByTheNextRun) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  ScratchDir dir;
  WriteSlowSuite(dir, url);
  dir.Write("next.yaml", "suite_name: Next\nnode_id: next\nbase_url: '" + url +
                             "'\nsteps:\n  - name: one\n    request: {method: GET, url: /get}\n");
  // SIGKILL while the second step waits: nothing of flowtest runs after it.
  const ProcessResult r = RunSlowSuiteAndSignal(dir, "KILL");
  EXPECT_NE(r.output.find("exit=137"), std::string::npos) << r.output;  // 128 + SIGKILL
  nlohmann::json runs = Json(dir.path(), "runs list --json");
  ASSERT_EQ(runs.size(), 1u) << runs;
  EXPECT_EQ(runs[0]["status"], "running") << runs;  // nobody recorded its end
  const std::string killed = runs[0]["id"].get<std::string>();

  // The next run on this host sees that its process is gone.
  const ProcessResult next =
      RunCommand("cd " + ShellQuote(dir.path()) + " && " + Flowtest() + " run next.yaml");
  EXPECT_EQ(next.exit_code, 0) << next.output;
  const nlohmann::json shown = Json(dir.path(), "runs show " + killed + " --json");
  EXPECT_EQ(shown["status"], "cancelled") << shown;
  EXPECT_EQ(shown["result_summary"]["interrupted"], "process gone") << shown;
  runs = Json(dir.path(), "runs list --json");
  ASSERT_EQ(runs.size(), 2u) << runs;
}

TEST(HistoryE2e, NoHistoryRecordsNothing) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: a\n    request: {method: GET, "
                      "url: 'http://127.0.0.1:9/'}\n");
  ProcessResult r = RunFlowtest(dir.path(), "run s.yaml --no-report --no-history");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output.find("history:"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/.flowtest")) << r.output;
  // --database puts it elsewhere.
  r = RunFlowtest(dir.path(), "run s.yaml --no-report --database sqlite:elsewhere/h.db");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(fs::exists(dir.path() + "/elsewhere/h.db")) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/.flowtest")) << r.output;
  EXPECT_EQ(Json(dir.path(), "runs list --database elsewhere/h.db --json").size(), 1u);
  EXPECT_EQ(
      Json(dir.path(), "runs list --json", "FLOWTEST_DATABASE_URL=elsewhere/h.db")
          .size(),
      1u);
}

TEST(HistoryE2e, AHistoryThatCannotBeWrittenIsOneWarning) {
  ScratchDir dir;
  dir.Write("s.yaml", "suite_name: S\nnode_id: s\nsteps:\n  - name: a\n    request: {method: GET, "
                      "url: 'http://127.0.0.1:9/'}\n  - name: b\n    request: {method: GET, "
                      "url: 'http://127.0.0.1:9/b'}\n");
  // A database that opens (migrated already) but refuses writes.
  ProcessResult r = RunFlowtest(dir.path(), "run s.yaml --no-report --database h.db");
  ASSERT_EQ(r.exit_code, 1) << r.output;
  r = RunFlowtest(dir.path(), "run s.yaml --no-report --database 'file:h.db?mode=ro'");
  EXPECT_EQ(r.exit_code, 1) << r.output;  // the suite's own verdict, not a history error
  const std::string warning = "stopped recording this run";
  const std::size_t first = r.output.find(warning);
  ASSERT_NE(first, std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(warning, first + 1), std::string::npos) << "one warning only\n" << r.output;
  EXPECT_NE(r.output.find("FAILED"), std::string::npos) << r.output;  // the run went on to its end

  // A database that cannot be opened: a warning, and the run goes on.
  dir.Write("blocker", "a file, not a folder");
  r = RunFlowtest(dir.path(), "run s.yaml --no-report --database blocker/h.db");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("this run is not recorded"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("FAILED"), std::string::npos) << r.output;
}

TEST(HistoryE2e, ImportStoresSuitesAsVersionsDeduplicatedByHash) {
  ScratchDir dir;
  const std::string step =
      "steps:\n  - name: a\n    request: {method: GET, url: 'http://127.0.0.1:9/'}\n";
  dir.Write("tests/a.yaml", "suite_name: A\nnode_id: a\n" + step);
  dir.Write("tests/b.yaml", "suite_name: B\nnode_id: b\n" + step);
  ProcessResult r = RunFlowtest(dir.path(), "import tests");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("new       v1    a  tests/a.yaml"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2 new versions, 0 unchanged"), std::string::npos) << r.output;

  dir.Write("tests/b.yaml", "suite_name: B\nnode_id: b\ndescription: changed\n" + step);
  r = RunFlowtest(dir.path(), "import tests");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("unchanged v1    a"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("new       v2    b"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 new version, 1 unchanged"), std::string::npos) << r.output;

  // A run of the imported files finds their versions.
  r = RunFlowtest(dir.path(), "run tests/a.yaml --no-report");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  r = RunFlowtest(dir.path(), "runs show a --json");  // too short a prefix: a usage error
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const nlohmann::json runs = Json(dir.path(), "runs list --json");
  ASSERT_EQ(runs.size(), 1u);
  const nlohmann::json shown =
      Json(dir.path(), "runs show " + runs[0]["id"].get<std::string>() + " --json");
  EXPECT_EQ(shown["version"]["version"], 1);

  // Bad input: a file with errors is not imported, and says so.
  dir.Write("bad/c.yaml", "suite_name: C\nnode_id: c\nstpes: []\n");
  r = RunFlowtest(dir.path(), "import bad");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  r = RunFlowtest(dir.path(), "import no-such-dir");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no such directory"), std::string::npos) << r.output;
}

TEST(HistoryE2e, UnknownRunsAndBadArgumentsAreClearErrors) {
  ScratchDir dir;
  // Reading a history that was never recorded says so, and creates nothing.
  ProcessResult r = RunFlowtest(dir.path(), "runs list");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("there is no SQLite database .flowtest/history.db"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/.flowtest")) << "a read made an empty history";
  ASSERT_EQ(RunFlowtest(dir.path(), "migrate").exit_code, 0);  // an empty history

  r = RunFlowtest(dir.path(), "runs show ffffffff");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no run 'ffffffff'"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "runs lst");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean 'list'"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "runs list --status done");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "runs export ffffffff --format pdf");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunFlowtest(dir.path(), "runs purge");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--older-than"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "runs list --database mysql://x/y");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("unknown database URL scheme"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace flow::testing
