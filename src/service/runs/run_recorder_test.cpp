#include "service/runs/run_recorder.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <functional>
#include <chrono>
#include <thread>
#include <mutex>
#include <condition_variable>
#include <memory>
#include <set>

#include "core/report/aggregated_report.hpp"
#include "core/report/live_events.hpp"
#include "core/report/report_test_support.hpp"
#include "core/run/outcome_json.hpp"
#include "core/util/digest.hpp"
#include "service/runs/history_test_support.hpp"
#include "service/runs/run_export.hpp"

namespace flow::service {
namespace {

using testing::HistoryHarness;

// The value of a result, as a temporary that a range-for keeps alive.
template <typename T>
T Get(core::Result<T> result) {
  return std::move(result).value();
}

// The history of one run as text: every record of every run, for "the secret is nowhere" checks.
std::string Everything(Database& db) {
  std::string out;
  for (const RunRecord& run : Get(db.runs().ListRuns({.limit = 1000}))) {
    out += core::DumpJson(run.input_payload) + core::DumpJson(run.result_summary);
    for (const StepRunRecord& s : Get(db.runs().ListSteps(run.id))) {
      out += s.step_name + core::DumpJson(s.outcome) + core::DumpJson(s.request_snapshot) +
             core::DumpJson(s.response_snapshot) + core::DumpJson(s.assertions) + core::DumpJson(s.captures) +
             core::DumpJson(s.error_details);
    }
    for (const StepLogRecord& l : Get(db.runs().ListLogs(run.id))) {
      out += l.message + core::DumpJson(l.payload);
    }
    for (const VariableSnapshotRecord& v : Get(db.runs().ListVariables(run.id))) {
      out += v.key + core::DumpJson(v.value);
    }
    for (const RunEventRecord& e : Get(ListRunEvents(db.runs(), run.id, 0, 100000))) {
      out += e.type + core::DumpJson(e.payload);
    }
  }
  return out;
}

std::vector<RunRecord> Runs(Database& db) {
  std::vector<RunRecord> runs = db.runs().ListRuns({.limit = 1000}).value();
  std::sort(runs.begin(), runs.end(), [](const RunRecord& a, const RunRecord& b) {
    return a.input_payload.value(kPayloadPosition, 0) < b.input_payload.value(kPayloadPosition, 0);
  });
  return runs;
}

std::vector<std::string> EventTypes(Database& db, const std::string& run_id) {
  std::vector<std::string> out;
  for (const RunEventRecord& e : Get(db.runs().ListEvents(run_id, 0, 100000))) {
    out.push_back(e.type);
  }
  return out;
}

constexpr const char* kUsers =
    "suite_name: Users API\nnode_id: users\nmetadata: {priority: high}\n"
    "steps:\n  - name: list users\n    request: {method: GET, url: /users}\n";
constexpr const char* kOrders =
    "suite_name: Orders\nnode_id: orders\nsteps:\n  - name: o\n    request: {method: GET, url: /o}\n";

// The report tests' sample run (passing, failing, errored, skipped steps, an iterate step with
// its iterations, a skipped suite), fed straight to the recorder.
struct SampleRun {
  HistoryHarness h;
  SampleRun() {
    h.Add(kUsers, "users.yaml");
    h.Add(kOrders, "orders.yaml");
    h.globals = {{"api_url", "http://api.test"}, {"api_token", "t0k3n-abcdef"}};
    RunRecorder recorder(*h.db, h.recorder_clock, h.Options());
    core::report_testing::FeedSampleRun(recorder);
    EXPECT_FALSE(recorder.stopped());
    EXPECT_EQ(recorder.run_ids().size(), 2u);
  }
};

TEST(RunRecorder, RecordsEachSuiteAsAVersionAndARun) {
  SampleRun s;
  Database& db = *s.h.db;
  const std::vector<SuiteRecord> suites = db.suites().ListSuites().value();
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[1].node_id, "users");
  EXPECT_EQ(suites[1].name, "Users API");
  EXPECT_EQ(suites[1].default_priority, Priority::kHigh);
  const VersionRecord version = db.suites().ListVersions(suites[1].id).value().at(0);
  EXPECT_EQ(version.yaml_raw, kUsers);
  EXPECT_EQ(version.yaml_hash, core::Sha256Hex(kUsers));

  const std::vector<RunRecord> runs = Runs(db);
  ASSERT_EQ(runs.size(), 2u);
  const RunRecord& users = runs[0];
  EXPECT_EQ(users.node_id, "users");
  EXPECT_EQ(users.version_id, version.id);
  EXPECT_EQ(users.status, RunStatus::kFailed);
  EXPECT_EQ(users.trigger_source, TriggerSource::kCli);
  EXPECT_EQ(users.priority, Priority::kHigh);
  EXPECT_EQ(users.batch_id, s.h.batch_id);
  EXPECT_EQ(users.queued_at, s.h.recorder_clock.unix_ms);
  EXPECT_EQ(users.started_at, s.h.recorder_clock.unix_ms);
  EXPECT_EQ(users.finished_at, 1700000000100);  // the suite's end
  EXPECT_EQ(users.input_payload[kPayloadProjectName], "Shop");
  EXPECT_EQ(users.input_payload[kPayloadHostname], "ci-host");
  EXPECT_EQ(users.input_payload[kPayloadPosition], 0);
  // result_summary is the suite outcome, read back whole.
  const core::SuiteOutcome summary = core::SuiteOutcomeFromJson(users.result_summary).value();
  EXPECT_EQ(summary.steps_failed, 2u);
  EXPECT_EQ(summary.steps_errored, 1u);
  EXPECT_FALSE(users.result_summary.contains(kSummaryMaskedText));
  // A suite that was not run: cancelled, with its reason.
  EXPECT_EQ(runs[1].node_id, "orders");
  EXPECT_EQ(runs[1].status, RunStatus::kCancelled);
  EXPECT_EQ(runs[1].result_summary["skip_reason"], "required dependency 'users' failed");
  EXPECT_EQ(runs[1].input_payload[kPayloadPosition], 1);
  EXPECT_EQ(runs[1].batch_id, s.h.batch_id);
}

// A recorder with one run of the users suite started (OnRunStarted, OnSuiteStarted).
struct UsersRunStarted {
  HistoryHarness h;
  std::unique_ptr<RunRecorder> recorder;  // after h: destroyed first
  UsersRunStarted() {
    h.Add(kUsers, "users.yaml");
    recorder = std::make_unique<RunRecorder>(*h.db, h.recorder_clock, h.Options());
    recorder->OnRunStarted(1700000000000, 1);
    recorder->OnSuiteStarted("users", "Users API");
  }
};

TEST(RunRecorder, AnInterruptedRunIsRecordedCancelledWithWhatItDidAndNothingAfter) {
  UsersRunStarted started;
  HistoryHarness& h = started.h;
  RunRecorder& recorder = *started.recorder;
  recorder.OnStepFinished(core::report_testing::Step("list users", core::StepStatus::kSuccess));
  recorder.Interrupt("SIGINT");
  recorder.Flush();
  // What the dying process may still deliver is not recorded.
  recorder.OnStepFinished(core::report_testing::Step("get user", core::StepStatus::kSuccess));
  recorder.Flush();

  const std::vector<RunRecord> runs = Runs(*h.db);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, RunStatus::kCancelled);
  EXPECT_TRUE(runs[0].finished_at.has_value());
  EXPECT_TRUE(core::DeepEqual(runs[0].result_summary, Value{{kSummaryInterrupted, "SIGINT"}}));
  const std::vector<StepRunRecord> steps = Get(h.db->runs().ListSteps(runs[0].id));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].step_name, "list users");
  const std::vector<std::string> events = EventTypes(*h.db, runs[0].id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), kRunInterruptedEvent);

  // An export says why the run is not in the report instead of failing on it.
  core::StringOutput out;
  const core::Result<Exported> exported = ExportRuns(*h.db, runs, true, {}, out);
  ASSERT_FALSE(exported);
  EXPECT_EQ(exported.error().code, core::ErrorCode::kConflict) << exported.error().message;
  EXPECT_NE(exported.error().hint.find("interrupted (SIGINT)"), std::string::npos)
      << exported.error().hint;
}

TEST(RunRecorder, AStepThatPassedWithWarningsIsAWarning) {
  UsersRunStarted started;
  HistoryHarness& h = started.h;
  RunRecorder& recorder = *started.recorder;
  core::StepOutcome warned = core::report_testing::Step("list users", core::StepStatus::kSuccess);
  warned.warnings.push_back("the response took 2.1 s");
  recorder.OnStepFinished(warned);
  recorder.OnStepFinished(core::report_testing::Step("get user", core::StepStatus::kSuccess));
  recorder.Flush();
  const std::vector<StepRunRecord> steps = Get(h.db->runs().ListSteps(Runs(*h.db).at(0).id));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].status, StepRunStatus::kWarning);
  EXPECT_EQ(steps[1].status, StepRunStatus::kSuccess);
}

TEST(RunRecorder, RecordsEveryStepOutcomeWithItsColumns) {
  SampleRun s;
  Database& db = *s.h.db;
  const RunRecord users = Runs(db)[0];
  const std::vector<StepRunRecord> steps = db.runs().ListSteps(users.id).value();
  ASSERT_EQ(steps.size(), 8u);
  for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].seq, i + 1);

  const StepRunRecord& ok = steps[0];
  EXPECT_EQ(ok.step_name, "list users");
  EXPECT_EQ(ok.status, StepRunStatus::kSuccess);
  EXPECT_EQ(ok.request_snapshot["method"], "GET");
  EXPECT_EQ(ok.response_snapshot["status_code"], 200);
  EXPECT_EQ(ok.assertions.size(), 1u);
  EXPECT_EQ(ok.assertions[0]["field"], "status_code");
  EXPECT_EQ(ok.captures["first_id"], 7);
  EXPECT_TRUE(ok.error_details.is_null());
  EXPECT_EQ(ok.started_at, 1700000000000);
  EXPECT_FALSE(ok.finished_at);  // the sample gives no end time: none is made up
  EXPECT_DOUBLE_EQ(ok.duration_ms, 20);
  EXPECT_EQ(ok.attempt, 1);
  EXPECT_EQ(ok.depth, 0);
  EXPECT_EQ(ok.parent_step_id, "");

  EXPECT_EQ(steps[1].status, StepRunStatus::kFailed);  // a failed assertion
  EXPECT_TRUE(steps[1].error_details.is_null());
  EXPECT_EQ(steps[1].assertions[0]["passed"], false);
  const StepRunRecord& errored = steps[2];
  EXPECT_EQ(errored.status, StepRunStatus::kAborted);  // could not complete
  EXPECT_EQ(errored.error_details["message"], "timeout after 500 ms");
  EXPECT_EQ(errored.error_details["code"], "timeout");
  EXPECT_EQ(errored.error_details["hint"], "raise request.timeout");
  EXPECT_EQ(steps[3].status, StepRunStatus::kSkipped);
  EXPECT_TRUE(steps[3].request_snapshot.is_null());

  // The iterations come before their parent, one level down.
  for (int k = 0; k < 3; ++k) {
    const StepRunRecord& it = steps[4 + k];
    EXPECT_EQ(it.depth, 1);
    EXPECT_EQ(it.iteration, k);
    EXPECT_EQ(it.parent_step_id, "users::page");
  }
  EXPECT_EQ(steps[7].step_name, "page");
  EXPECT_EQ(steps[7].depth, 0);
  EXPECT_FALSE(steps[7].iteration);

  // The whole outcome is kept, what has a column stored once: it reads back whole.
  for (const StepRunRecord& step : steps) {
    for (const char* key : {"request", "response", "assertions", "captured", "error"}) {
      EXPECT_FALSE(step.outcome.contains(key)) << step.step_name << " stores " << key << " twice";
    }
    const Value whole = StoredStepOutcome(step);
    const core::StepOutcome back = core::StepOutcomeFromJson(whole).value();
    EXPECT_TRUE(core::DeepEqual(core::StepOutcomeToJson(back), whole)) << step.step_name;
  }
  const core::StepOutcome first = core::StepOutcomeFromJson(StoredStepOutcome(steps[0])).value();
  ASSERT_TRUE(first.request && first.response);
  EXPECT_EQ((*first.request)["method"], "GET");
  EXPECT_EQ((*first.response)["status_code"], 200);
  ASSERT_EQ(first.assertions.size(), 1u);
  EXPECT_EQ(first.captured["first_id"], 7);
  const core::StepOutcome timed_out = core::StepOutcomeFromJson(StoredStepOutcome(steps[2])).value();
  ASSERT_TRUE(timed_out.error);
  EXPECT_EQ(timed_out.error->message, "timeout after 500 ms");
}

TEST(RunRecorder, RecordsLogsWarningsCapturesAndVariables) {
  SampleRun s;
  Database& db = *s.h.db;
  const std::vector<RunRecord> runs = Runs(db);
  const std::vector<StepRunRecord> steps = db.runs().ListSteps(runs[0].id).value();
  // The iterate step's warning is a warn log of that step.
  const std::vector<StepLogRecord> logs = db.runs().ListLogs(runs[0].id).value();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].step_run_id, steps[7].id);
  EXPECT_EQ(logs[0].log_level, LogLevel::kWarn);
  EXPECT_EQ(logs[0].message, "1 of 3 iterations failed");
  EXPECT_EQ(steps[7].status, StepRunStatus::kFailed);  // a failure outranks its warning

  const std::vector<VariableSnapshotRecord> vars = db.runs().ListVariables(runs[0].id).value();
  ASSERT_FALSE(vars.empty());
  EXPECT_EQ(vars[0].key, "first_id");  // the capture, with its step
  EXPECT_EQ(vars[0].value, 7);
  EXPECT_EQ(vars[0].scope, VariableScope::kStep);
  EXPECT_EQ(vars[0].source, VariableSource::kCapture);
  EXPECT_EQ(vars[0].step_run_id, steps[0].id);
  // Then, at the end of the whole run, the globals: masked where their names look secret.
  std::map<std::string, Value> globals;
  for (const VariableSnapshotRecord& v : vars) {
    if (v.scope == VariableScope::kGlobal) {
      EXPECT_EQ(v.source, VariableSource::kVariable);
      EXPECT_FALSE(v.step_run_id);
      globals[v.key] = v.value;
    }
  }
  EXPECT_EQ(globals["api_url"], "http://api.test");
  EXPECT_EQ(globals["api_token"], "***");
  EXPECT_EQ(Everything(db).find("t0k3n-abcdef"), std::string::npos);
}

TEST(RunRecorder, TheAnswersOfAnInputStepAreInputVariables) {
  HistoryHarness h;
  h.Add(kUsers, "users.yaml");
  RunRecorder recorder(*h.db, h.recorder_clock, h.Options());
  recorder.OnRunStarted(1700000000000, 1);
  recorder.OnSuiteStarted("users", "Users API");
  core::StepOutcome ask;
  ask.node_id = "users";
  ask.step_name = "ask";
  ask.kind = "input";
  ask.captured = {{"answer", 12}, {"user_id", 7}};
  ask.details["input_results"] = Value::array({{{"variable", "answer"}, {"value", 12}}});
  recorder.OnStepFinished(ask);
  ASSERT_FALSE(recorder.stopped());
  const std::vector<VariableSnapshotRecord> vars =
      h.db->runs().ListVariables(recorder.run_ids().at(0)).value();
  ASSERT_EQ(vars.size(), 2u);
  std::map<std::string, VariableSource> sources;
  for (const VariableSnapshotRecord& v : vars) sources[v.key] = v.source;
  EXPECT_EQ(sources["answer"], VariableSource::kInput);
  EXPECT_EQ(sources["user_id"], VariableSource::kCapture);
}

TEST(RunRecorder, StoresTheEventsOfLiveEventsInOrder) {
  SampleRun s;
  Database& db = *s.h.db;
  const std::vector<RunRecord> runs = Runs(db);
  std::vector<std::string> expected = {"run_started", "suite_started"};
  for (int i = 0; i < 8; ++i) expected.push_back("step_completed");
  expected.push_back("suite_completed");
  expected.push_back("run_completed");
  EXPECT_EQ(EventTypes(db, runs[0].id), expected);
  EXPECT_EQ(EventTypes(db, runs[1].id),
            (std::vector<std::string>{"run_started", "suite_started", "suite_completed",
                                      "run_completed"}));

  const std::vector<RunEventRecord> events = ListRunEvents(db.runs(), runs[0].id, 0, 100).value();
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, i + 1);
  // The payloads are LiveEvents' own.
  EXPECT_TRUE(core::DeepEqual(events[0].payload, core::RunStartedFields(1700000000000, 2, "Shop")));
  EXPECT_EQ(events[0].created_at, 1700000000000);  // the run's start
  EXPECT_TRUE(core::DeepEqual(events[1].payload, core::SuiteStartedFields("users", "Users API")));
  const core::StepOutcome failed =
      core::StepOutcomeFromJson(StoredStepOutcome(db.runs().ListSteps(runs[0].id).value()[1])).value();
  EXPECT_TRUE(core::DeepEqual(events[3].payload, core::StepCompletedFields(failed)));
  EXPECT_EQ(events[3].payload["failed_assertions"][0]["location"], "users.yaml:14:20");
  EXPECT_EQ(events[10].payload["status"], "failure");
  EXPECT_EQ(events[11].payload["status"], "failed");
  EXPECT_EQ(events[11].payload["suites"]["skipped"], 1);
  EXPECT_EQ(events[11].created_at, 1700000000200);  // the run's end
  // Besides LiveEvents' (rounded) fields, the run's outcome whole, for exports.
  const core::RunOutcome run = core::RunOutcomeFromJson(events[11].payload["outcome"]).value();
  EXPECT_EQ(run.completed_at_ms, 1700000000200);
  EXPECT_EQ(run.suites_skipped, 1u);
  Value fields = events[11].payload;
  fields.erase("outcome");
  EXPECT_TRUE(core::DeepEqual(fields, core::RunCompletedFields(run)));
}

// Steps that go wrong each way RoutingHttp knows: retried and failing, refused, iterated.
constexpr const char* kTroubleSteps = R"(  - name: flaky
    retry: {max_attempts: 3, delay_ms: 0}
    request: {method: GET, url: /fail}
    assert: {status_code: 200}
  - name: offline
    request: {method: GET, url: /down}
  - name: pages
    iterate: {range: "1..2", as: n}
    request: {method: GET, url: "/page/{{n}}"}
)";

// Collects the live step_completed payloads, as LiveEvents sends them.
class StepFieldsSink final : public core::EventSink {
 public:
  void OnStepFinished(const core::StepOutcome& step) override {
    fields.push_back(core::StepCompletedFields(step));
  }
  std::vector<Value> fields;
};

// A step's event is stored without its payload (the step's row is it); read back, it is what
// was sent live, for steps that passed, failed their assertions, were retried, could not connect
// or ran as iterations, and through secrets' masking.
TEST(RunRecorder, AStepsEventReadsBackAsItWasSentLive) {
  HistoryHarness h;
  h.Add(R"(suite_name: Login
node_id: auth
base_url: http://api.test
variables:
  password: {value: s3cr3t-hunter2, secret: true}
steps:
  - name: login
    request: {method: POST, url: /login, body: {password: "{{password}}"}}
    assert: {status_code: 200, body: {token: {equals: "{{password}}"}}}
    capture: {token: body.token}
)" + std::string(kTroubleSteps), "auth.yaml");
  StepFieldsSink live;
  h.Run(1, {&live});
  ASSERT_TRUE(h.errors.empty());
  const RunRecord run = Runs(*h.db).at(0);
  std::vector<Value> stored;
  const std::vector<RunEventRecord> events = ListRunEvents(h.db->runs(), run.id, 0, 1000).value();
  for (const RunEventRecord& e : events) {
    if (e.type == core::kStepCompletedEvent) stored.push_back(e.payload);
    EXPECT_FALSE(e.step) << "handed over as its payload";
  }
  ASSERT_EQ(live.fields.size(), 6u);  // login, flaky, offline, 2 iterations, pages
  ASSERT_EQ(stored.size(), live.fields.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(core::DumpJson(stored[i]), core::DumpJson(live.fields[i])) << i;
  }
  EXPECT_EQ(stored[0]["request"]["method"], "POST");
  EXPECT_TRUE(stored[0].contains("failed_assertions"));
  EXPECT_EQ(stored[2]["status"], "error");
  EXPECT_TRUE(stored[2].contains("error"));
  EXPECT_EQ(stored[3]["iteration"], 0);
  // Paged from the middle, the same.
  const std::vector<RunEventRecord> page = ListRunEvents(h.db->runs(), run.id, 3, 2).value();
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(core::DumpJson(page[0].payload), core::DumpJson(live.fields[1]));
  // The store itself keeps no payload for them, only the step.
  const std::vector<RunEventRecord> raw = h.db->runs().ListEvents(run.id, 2, 1).value();
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].payload, Value::object());
  ASSERT_TRUE(raw[0].step);
  EXPECT_EQ(raw[0].step->step_name, "login");
  EXPECT_EQ(StepEventPayload(*raw[0].step), live.fields[0]);
  // A step row that no longer reads as an outcome still gives its name, status and duration.
  StepRunRecord edited = *raw[0].step;
  edited.outcome = "not an outcome";
  const Value fallback = StepEventPayload(edited);
  EXPECT_EQ(fallback["step_name"], "login");
  EXPECT_EQ(fallback["status"], "failed");
}

TEST(RunRecorder, RecordsARealRunWithRetriesErrorsIterationsAndExports) {
  HistoryHarness h;
  h.Add(R"(suite_name: Login
node_id: auth
base_url: http://api.test
exports: [token]
variables: {user: ann}
steps:
  - name: login
    request: {method: POST, url: /login, body: {user: "{{user}}"}}
    hooks_post_request:
      - log: {level: info, message: "logged in as {{user}}"}
    assert: {status_code: 200}
    capture: {token: body.token, user_id: body.id}
)" + std::string(kTroubleSteps), "auth.yaml");
  const core::RunOutcome outcome = h.Run(1);
  EXPECT_EQ(outcome.suites_failed, 1u);
  EXPECT_TRUE(h.errors.empty());
  Database& db = *h.db;
  const RunRecord run = Runs(db).at(0);
  EXPECT_EQ(run.status, RunStatus::kFailed);
  const std::vector<StepRunRecord> steps = db.runs().ListSteps(run.id).value();
  ASSERT_EQ(steps.size(), 6u);  // login, flaky, offline, 2 iterations, pages
  EXPECT_EQ(steps[0].status, StepRunStatus::kSuccess);
  EXPECT_EQ(steps[0].captures["user_id"], 7);
  EXPECT_EQ(steps[1].attempt, 3);
  EXPECT_EQ(steps[1].status, StepRunStatus::kFailed);
  EXPECT_EQ(steps[2].status, StepRunStatus::kAborted);  // connection refused
  EXPECT_NE(steps[2].error_details["message"].get<std::string>().find("connection refused"),
            std::string::npos);
  EXPECT_EQ(steps[3].depth, 1);
  EXPECT_EQ(steps[3].iteration, 0);
  EXPECT_EQ(steps[5].step_name, "pages");

  const std::vector<StepLogRecord> logs = db.runs().ListLogs(run.id).value();
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(logs[0].message, "logged in as ann");
  EXPECT_EQ(logs[0].log_level, LogLevel::kInfo);
  EXPECT_EQ(logs[0].step_run_id, steps[0].id);

  std::vector<std::string> exported, suite_vars;
  for (const VariableSnapshotRecord& v : Get(db.runs().ListVariables(run.id))) {
    if (v.source == VariableSource::kExport) exported.push_back(v.key);
    if (v.scope == VariableScope::kSuite && v.source == VariableSource::kVariable) {
      suite_vars.push_back(v.key);
    }
    if (v.source == VariableSource::kExport) {
      EXPECT_EQ(v.value, "***");  // a token: masked
    }
  }
  EXPECT_EQ(exported, std::vector<std::string>{"token"});
  EXPECT_NE(std::find(suite_vars.begin(), suite_vars.end(), "user"), suite_vars.end());
}

TEST(RunRecorder, SecretsStayMaskedEverywhereItRecords) {
  HistoryHarness h;
  const std::string text = R"(suite_name: Vault
node_id: vault
base_url: http://api.test
variables:
  password: {value: s3cr3t-hunter2, secret: true}
steps:
  - name: open
    request:
      method: POST
      url: /open
      headers: {X-Custom-Auth: "Basic dXNlcjpzM2NyM3QtaHVudGVyMg"}
      body: {password: "{{password}}"}
    capture:
      key: {path: body.token, redact: true}
)";
  h.Add(text, "vault.yaml");
  h.globals = {{"region", "eu-west-9"}};
  h.secrets.Add("eu-west-9");  // as --secret would
  h.Run(1);
  EXPECT_TRUE(h.errors.empty());
  const std::string all = Everything(*h.db);
  EXPECT_EQ(all.find("s3cr3t-hunter2"), std::string::npos) << all;
  EXPECT_EQ(all.find("tok-9f8e7d6c5b4a"), std::string::npos);
  EXPECT_EQ(all.find("eu-west-9"), std::string::npos);
  EXPECT_NE(all.find("***"), std::string::npos);
  // The version keeps the suite with the secret written in it masked (a database without a key;
  // with one it is sealed), found again by the hash of the text as written; the run keeps the
  // text as its reports showed it.
  const RunRecord run = Runs(*h.db).at(0);
  const auto version = h.db->suites().FindVersion(run.version_id).value();
  EXPECT_EQ(version->yaml_hash, core::Sha256Hex(text));
  EXPECT_NE(version->yaml_raw.find("password: {value: ***, secret: true}"), std::string::npos)
      << version->yaml_raw;
  EXPECT_EQ(version->compiled_config["variables"]["password"]["value"], "***");
  const std::string masked = run.result_summary.value(kSummaryMaskedText, "");
  EXPECT_NE(masked.find("password: {value: ***, secret: true}"), std::string::npos) << masked;
}

TEST(RunRecorder, AnUnchangedSuiteRunsAgainOnItsVersion) {
  HistoryHarness h;
  h.Add(testing::StepsSuite("a", 2), "a.yaml");
  h.Run(1);
  h.batch_id = "6b1f0c8e-0000-4000-8000-000000000002";
  h.Run(1);
  const std::vector<RunRecord> runs = h.db->runs().ListRuns({}).value();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].version_id, runs[1].version_id);
  EXPECT_NE(runs[0].batch_id, runs[1].batch_id);
  EXPECT_EQ(h.db->suites().ListVersions(h.db->suites().FindSuite("a").value()->id).value().size(), 1u);
}

TEST(RunRecorder, FilesThatCouldNotBeLoadedAreFailedRuns) {
  HistoryHarness h;
  h.Add(testing::StepsSuite("good", 1), "good.yaml");
  // An earlier good version of "typo" names the suite.
  ASSERT_TRUE(h.db->suites().SaveVersion(NewVersion{
      .node_id = "typo", .name = "Typo suite", .tags = {"t"}, .yaml_raw = "old"}));
  core::Error unknown = core::InvalidArgument("unknown key 'stpes'", "did you mean 'steps'?");
  unknown.where = core::SourceSpan{.file = "typo.yaml", .line = 3, .column = 1};
  const std::string typo =
      "suite_name: Typo\nnode_id: typo\nvariables: {password: typo-s3cret}\nstpes: []\n";
  h.Run(1, {}, [&](RunRecorder& recorder) {
    recorder.AddUnloadedSuite("typo.yaml", typo, {unknown});
    recorder.AddUnloadedSuite("broken.yaml", "a: [1,\n", {core::InvalidArgument("bad yaml")});
    recorder.AddUnloadedSuite("dup.yaml", "suite_name: X\nnode_id: good\nsteps: []\n",
                              {core::InvalidArgument("node_id 'good' is also used by good.yaml")});
    recorder.AddUnloadedSuite("gone.yaml", "", {core::InvalidArgument("cannot read gone.yaml")});
  });
  EXPECT_TRUE(h.errors.empty());
  const std::vector<RunRecord> runs = Runs(*h.db);
  ASSERT_EQ(runs.size(), 5u);
  // Recorded where they were reported: after the start, before the suites ran.
  EXPECT_EQ(runs[0].node_id, "typo");
  EXPECT_EQ(runs[0].suite_name, "Typo suite");  // kept from the good version
  EXPECT_EQ(runs[0].status, RunStatus::kFailed);
  EXPECT_EQ(runs[0].result_summary["file"], "typo.yaml");
  EXPECT_EQ(runs[0].result_summary[kSummaryLoadErrors][0]["message"], "unknown key 'stpes'");
  EXPECT_EQ(runs[0].result_summary[kSummaryLoadErrors][0]["where"]["line"], 3);
  EXPECT_EQ(runs[0].result_summary["error"]["hint"], "did you mean 'steps'?");
  EXPECT_EQ(h.db->suites().FindSuite("typo").value()->tags, std::vector<std::string>{"t"});
  // The secret written in it is not kept in clear either (a database without a key masks it).
  const auto typo_version = h.db->suites().FindVersion(runs[0].version_id).value();
  EXPECT_EQ(typo_version->yaml_raw,
            "suite_name: Typo\nnode_id: typo\nvariables: {password: ***}\nstpes: []\n");
  EXPECT_EQ(typo_version->yaml_hash, core::Sha256Hex(typo));
  EXPECT_EQ(runs[1].node_id, "broken.yaml");  // unreadable: its path stands for it
  EXPECT_EQ(runs[2].node_id, "dup.yaml");     // a duplicate does not become "good"
  EXPECT_EQ(runs[3].node_id, "gone.yaml");
  EXPECT_EQ(runs[4].node_id, "good");
  EXPECT_EQ(runs[4].status, RunStatus::kCompleted);
  EXPECT_EQ(EventTypes(*h.db, runs[1].id),
            (std::vector<std::string>{"run_started", "run_completed"}));
}

// A RunStore that fails the writes of steps from its `fail_at`-th on, passing everything else to
// the in-memory one.
class FailingRuns final : public RunStore {
 public:
  FailingRuns(RunStore& inner, int fail_at) : inner_(inner), fail_at_(fail_at) {}
  core::Result<RunRecord> CreateRun(const NewRun& run) override { return inner_.CreateRun(run); }
  core::Result<void> SetRunStatus(const std::string& id, RunStatus s, std::int64_t at) override {
    return inner_.SetRunStatus(id, s, at);
  }
  core::Result<void> FinishRun(const std::string& id, RunStatus s, const Value& v,
                               std::int64_t at) override {
    return inner_.FinishRun(id, s, v, at);
  }
  core::Result<void> SaveCheckpoint(const std::string& id, const Value& v) override {
    return inner_.SaveCheckpoint(id, v);
  }
  // Counts (and fails) the writes that hold steps; logs every write.
  core::Result<std::vector<Recorded>> Record(const std::string& id, RunWrite write) override {
    {
      std::string shape = std::to_string(write.steps.size()) + " steps";
      for (const RunEventRecord& e : write.events) shape += ", " + e.type;
      if (!write.variables.empty()) {
        shape += ", " + std::to_string(write.variables.size()) + " variables";
      }
      if (write.end) shape += ", end " + std::string(Name(write.end->status));
      std::lock_guard lock(writes_mutex);
      writes.push_back(std::move(shape));
    }
    if (!write.steps.empty()) {
      if (before_record_steps) before_record_steps();
      if (++calls_ >= fail_at_) return core::Unavailable("database is locked");
    }
    return inner_.Record(id, std::move(write));
  }
  core::Result<RunEventRecord> AppendEvent(const std::string& id, std::string type, Value payload,
                                           std::int64_t at) override {
    return inner_.AppendEvent(id, std::move(type), std::move(payload), at);
  }
  core::Result<void> AddVariables(const std::string& id,
                                  std::vector<VariableSnapshotRecord> v) override {
    return inner_.AddVariables(id, std::move(v));
  }
  core::Result<std::optional<RunRecord>> FindRun(const std::string& id) override {
    return inner_.FindRun(id);
  }
  core::Result<std::vector<RunRecord>> ListRuns(const RunFilter& f) override {
    return inner_.ListRuns(f);
  }
  core::Result<std::vector<StepRunRecord>> ListSteps(const std::string& id) override {
    return inner_.ListSteps(id);
  }
  core::Result<std::vector<StepLogRecord>> ListLogs(const std::string& id) override {
    return inner_.ListLogs(id);
  }
  core::Result<std::vector<VariableSnapshotRecord>> ListVariables(const std::string& id) override {
    return inner_.ListVariables(id);
  }
  using RunStore::ListEvents;
  core::Result<std::vector<RunEventRecord>> ListEvents(const std::string& id, std::int64_t after,
                                                       std::size_t limit,
                                                       EventSteps with) override {
    return inner_.ListEvents(id, after, limit, with);
  }
  core::Result<std::size_t> PurgeRuns(std::int64_t before) override {
    return inner_.PurgeRuns(before);
  }
  int calls() const { return calls_; }
  std::function<void()> before_record_steps;  // set before the recorder starts
  std::mutex writes_mutex;
  std::vector<std::string> writes;  // each Record call: "2 steps, suite_completed, end failed"

 private:
  RunStore& inner_;
  int fail_at_;
  std::atomic<int> calls_{0};
};

class FailingDatabase final : public Database {
 public:
  FailingDatabase(Database& inner, int fail_at) : runs_(inner.runs(), fail_at), inner_(inner) {}
  std::string Dialect() const override { return inner_.Dialect(); }
  core::Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_.LatestSchemaVersion(); }
  SuiteStore& suites() override { return inner_.suites(); }
  RunStore& runs() override { return runs_; }
  RetryStore& retries() override { return inner_.retries(); }
  JobStore& jobs() override { return inner_.jobs(); }
  UserStore& users() override { return inner_.users(); }
  AuditLog& audit() override { return inner_.audit(); }
  core::Result<void> Housekeep(Upkeep upkeep) override {
    std::lock_guard lock(housekeeping_mutex);
    housekeeping_threads.insert(std::this_thread::get_id());
    return inner_.Housekeep(upkeep);
  }
  FailingRuns runs_;
  std::mutex housekeeping_mutex;
  std::set<std::thread::id> housekeeping_threads;  // where Housekeep was called

 private:
  Database& inner_;
};

TEST(RunRecorder, TheFirstErrorIsReportedOnceAndTheRunGoesOn) {
  HistoryHarness h;
  FailingDatabase failing(h.memory, 2);  // the second batch of steps: suite b's
  h.db = &failing;
  h.Add(testing::StepsSuite("a", 5), "a.yaml");
  h.Add(testing::StepsSuite("b", 5), "b.yaml");
  core::AggregatedReport report(core::ReportInfo{});
  const core::RunOutcome outcome = h.Run(1, {&report});
  // The run went on to the end: every suite ran and the report has every step.
  EXPECT_EQ(outcome.suites_successful, 2u);
  const Value json = report.result();
  EXPECT_EQ(json["suites_results"].size(), 2u);
  EXPECT_EQ(json["suites_results"][1]["steps_results"].size(), 5u);
  // One error, handed over once; nothing recorded after it.
  ASSERT_EQ(h.errors.size(), 1u);
  EXPECT_EQ(h.errors[0].message, "database is locked");
  EXPECT_EQ(failing.runs_.calls(), 2);
  std::vector<RunRecord> runs = h.memory.runs().ListRuns({}).value();
  ASSERT_EQ(runs.size(), 2u);
  std::sort(runs.begin(), runs.end(),
            [](const RunRecord& x, const RunRecord& y) { return x.node_id < y.node_id; });
  EXPECT_EQ(runs[0].status, RunStatus::kCompleted);
  EXPECT_EQ(h.memory.runs().ListSteps(runs[0].id).value().size(), 5u);  // one batch
  EXPECT_EQ(runs[1].status, RunStatus::kRunning);  // left as it was when recording stopped
  EXPECT_EQ(h.memory.runs().ListSteps(runs[1].id).value().size(), 0u);  // its batch failed whole
}

TEST(RunRecorder, AParallelRunIsRecordedWholeThroughTheOrderedSink) {
  HistoryHarness h;
  const int kSuites = 8;
  const int kSteps = 6;
  for (int i = 0; i < kSuites; ++i) {
    const std::string node = "s" + std::to_string(i);
    h.Add(testing::StepsSuite(node, kSteps), node + ".yaml");
  }
  const core::RunOutcome outcome = h.Run(4);
  EXPECT_EQ(outcome.suites_successful, static_cast<std::size_t>(kSuites));
  EXPECT_TRUE(h.errors.empty());
  const std::vector<RunRecord> runs = Runs(*h.db);
  ASSERT_EQ(runs.size(), static_cast<std::size_t>(kSuites));
  for (int i = 0; i < kSuites; ++i) {
    const RunRecord& run = runs[i];
    const std::string node = "s" + std::to_string(i);
    EXPECT_EQ(run.node_id, node);  // positions follow the plan
    EXPECT_EQ(run.status, RunStatus::kCompleted);
    const std::vector<StepRunRecord> steps = h.db->runs().ListSteps(run.id).value();
    ASSERT_EQ(steps.size(), static_cast<std::size_t>(kSteps)) << node;
    for (int k = 0; k < kSteps; ++k) {
      EXPECT_EQ(steps[k].seq, k + 1);
      EXPECT_EQ(steps[k].step_name, "step " + std::to_string(k + 1));
      EXPECT_NE(steps[k].request_snapshot.value("full_url", "").find("/s/" + node + "/"),
                std::string::npos)
          << "a step of another suite in run " << node;
    }
    const std::vector<RunEventRecord> events = h.db->runs().ListEvents(run.id, 0, 1000).value();
    ASSERT_EQ(events.size(), static_cast<std::size_t>(kSteps) + 4);
    for (std::size_t e = 0; e < events.size(); ++e) EXPECT_EQ(events[e].seq, e + 1);
    EXPECT_EQ(events.back().type, "run_completed");
  }
}

// Polls `done` for up to 5 s; whether it became true.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

std::size_t StepCount(Database& db) {
  const std::vector<RunRecord> runs = db.runs().ListRuns({}).value();
  return runs.empty() ? 0 : db.runs().ListSteps(runs[0].id).value().size();
}

TEST(RunRecorder, WritesStepsInBatchesAndALoneStepAfterAShortDelay) {
  HistoryHarness h;
  FailingDatabase counting(h.memory, 1'000'000);  // never fails: counts the RecordSteps calls
  h.db = &counting;
  h.Add(kUsers, "users.yaml");
  RunRecorder recorder(*h.db, h.recorder_clock, h.Options());
  recorder.OnRunStarted(1700000000000, 1);
  recorder.OnSuiteStarted("users", "Users API");
  // A step with nothing after it (a slow run) is written without a Flush, after the delay.
  recorder.OnStepFinished(core::report_testing::Step("first", core::StepStatus::kSuccess));
  EXPECT_TRUE(Eventually([&] { return StepCount(h.memory) == 1; }));
  EXPECT_EQ(counting.runs_.calls(), 1);
  // Steps arriving together share transactions.
  for (int i = 0; i < 192; ++i) {
    recorder.OnStepFinished(
        core::report_testing::Step("step " + std::to_string(i), core::StepStatus::kSuccess));
  }
  recorder.Flush();
  EXPECT_EQ(StepCount(h.memory), 193u);
  // Batches of up to 64 steps: three, or a few more when the writer takes one before it is full.
  EXPECT_LE(counting.runs_.calls(), 1 + 6) << "192 steps were not batched";
  // The database's upkeep is done by the writer between batches, never by the run's thread.
  {
    std::lock_guard lock(counting.housekeeping_mutex);
    EXPECT_FALSE(counting.housekeeping_threads.empty());
    EXPECT_EQ(counting.housekeeping_threads.count(std::this_thread::get_id()), 0u);
  }
  const std::vector<RunRecord> runs = h.memory.runs().ListRuns({}).value();
  const std::vector<StepRunRecord> steps = h.memory.runs().ListSteps(runs[0].id).value();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(steps[i].step_name, i == 0 ? "first" : "step " + std::to_string(i - 1));
  }
  EXPECT_TRUE(h.errors.empty());
}

TEST(RunRecorder, ARunStartsAndEndsInOneWriteEach) {
  HistoryHarness h;
  FailingDatabase logging(h.memory, 1'000'000);  // never fails: logs the writes
  h.db = &logging;
  h.Add(kUsers, "users.yaml");
  h.globals = Value{{"env", "ci"}};
  // The writer is held at its start: everything below is queued, then written by Flush.
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  RunRecorderOptions options = h.Options();
  options.on_writer_start = [&] {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return release; });
  };
  RunRecorder recorder(*h.db, h.recorder_clock, std::move(options));
  recorder.OnRunStarted(1700000000000, 1);
  h.recorder_clock.unix_ms = 1700000000010;
  recorder.OnSuiteStarted("users", "Users API");
  h.recorder_clock.unix_ms = 1700000009000;  // the writer gets to it later
  recorder.OnStepFinished(core::report_testing::Step("one", core::StepStatus::kSuccess));
  recorder.OnStepFinished(core::report_testing::Step("two", core::StepStatus::kFailure));
  core::SuiteOutcome suite{.node_id = "users", .suite_name = "Users API", .file = "users.yaml",
                           .status = core::SuiteStatus::kFailure,
                           .started_at_ms = 1700000000000, .completed_at_ms = 1700000000100};
  suite.variables = Value{{"base", "http://api.test"}};
  recorder.OnSuiteFinished(suite);
  recorder.OnRunFinished(core::RunOutcome{.started_at_ms = 1700000000000,
                                          .completed_at_ms = 1700000000200});
  recorder.Flush();
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  // The start's two events, written at once when a step follows them (its event comes after);
  // the steps with the suite's and the run's end: variables, events and status in one write.
  EXPECT_EQ(logging.runs_.writes,
            (std::vector<std::string>{
                "0 steps, run_started, suite_started",
                "2 steps, suite_completed, run_completed, 2 variables, end failed"}));
  const std::vector<RunRecord> runs = h.memory.runs().ListRuns({}).value();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, RunStatus::kFailed);
  // Created running, when the suite started (not when the writer got to it).
  EXPECT_EQ(runs[0].queued_at, 1700000000010);
  EXPECT_EQ(runs[0].started_at, 1700000000010);
  EXPECT_EQ(runs[0].finished_at, 1700000000100);
  EXPECT_EQ(EventTypes(h.memory, runs[0].id),
            (std::vector<std::string>{"run_started", "suite_started", "step_completed",
                                      "step_completed", "suite_completed", "run_completed"}));
  const std::vector<VariableSnapshotRecord> variables =
      h.memory.runs().ListVariables(runs[0].id).value();
  ASSERT_EQ(variables.size(), 2u);
  EXPECT_EQ(variables[0].scope, VariableScope::kSuite);
  EXPECT_EQ(variables[1].scope, VariableScope::kGlobal);
  EXPECT_TRUE(h.errors.empty());
}

TEST(RunRecorder, WhenTheWriterFallsBehindTheRunsOwnThreadWritesTheBacklog) {
  HistoryHarness h;
  h.Add(kUsers, "users.yaml");
  // The writer thread is held at its start (as a busy machine would starve a low-priority one).
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  bool writer_started = false;
  std::thread::id writer;
  RunRecorderOptions options = h.Options();
  options.on_writer_start = [&] {
    std::unique_lock lock(mutex);
    writer = std::this_thread::get_id();
    writer_started = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
  };
  RunRecorder recorder(*h.db, h.recorder_clock, std::move(options));
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return writer_started; });
  }
  EXPECT_NE(writer, std::this_thread::get_id());
  recorder.OnRunStarted(1700000000000, 1);
  recorder.OnSuiteStarted("users", "Users API");
  constexpr int kSteps = 300;
  for (int i = 0; i < kSteps; ++i) {
    recorder.OnStepFinished(
        core::report_testing::Step("step " + std::to_string(i), core::StepStatus::kSuccess));
  }
  // The writer has not run a thing, yet the backlog was written by this thread: all but the
  // steps queued after it and the last batch that was not full (256 events queued, two of them
  // the run's and the suite's start, less up to 63 steps of a batch of 64).
  EXPECT_GE(StepCount(h.memory), 256u - 2 - 63);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  recorder.Flush();
  EXPECT_EQ(StepCount(h.memory), static_cast<std::size_t>(kSteps));
  const std::vector<RunRecord> runs = h.memory.runs().ListRuns({}).value();
  const std::vector<StepRunRecord> steps = h.memory.runs().ListSteps(runs[0].id).value();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    ASSERT_EQ(steps[i].step_name, "step " + std::to_string(i));  // in order, whoever wrote it
  }
  EXPECT_TRUE(h.errors.empty());
}

TEST(RunRecorder, AWriterStalledInTheMiddleOfATaskDoesNotHoldTheRunUp) {
  HistoryHarness h;
  FailingDatabase stalling(h.memory, 1'000'000);
  h.db = &stalling;
  h.Add(kUsers, "users.yaml");
  // The writer's first batch stalls (as a writer short of CPU on a busy machine would).
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool release = false;
  stalling.runs_.before_record_steps = [&] {
    std::unique_lock lock(mutex);
    if (entered) return;
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
  };
  RunRecorder recorder(*h.db, h.recorder_clock, h.Options());
  recorder.OnRunStarted(1700000000000, 1);
  recorder.OnSuiteStarted("users", "Users API");
  int sent = 0;
  const auto send = [&](int count) {
    for (int i = 0; i < count; ++i, ++sent) {
      recorder.OnStepFinished(
          core::report_testing::Step("step " + std::to_string(sent), core::StepStatus::kSuccess));
    }
  };
  send(64);  // a full batch: the writer takes it, and stalls in it
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return entered; }));
  }
  // Far more than kHelpAbove events: the run's thread goes on without waiting for the writer.
  std::future<void> more = std::async(std::launch::async, [&] { send(600); });
  const bool went_on = more.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  more.wait();
  EXPECT_TRUE(went_on) << "queuing waited for the stalled writer";
  recorder.Flush();
  EXPECT_EQ(StepCount(h.memory), 664u);
  const std::vector<RunRecord> runs = h.memory.runs().ListRuns({}).value();
  const std::vector<StepRunRecord> steps = h.memory.runs().ListSteps(runs[0].id).value();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    ASSERT_EQ(steps[i].step_name, "step " + std::to_string(i));
  }
  EXPECT_TRUE(h.errors.empty());
}

}  // namespace
}  // namespace flow::service
