#include "core/run/scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/report/aggregated_report.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using flow::testing::FakeClock;
using flow::testing::FakeEntropy;
using flow::testing::FakeEnvironment;

// Lets the test hold requests until enough are in flight at once, and logs begin/end in order.
// Never hangs: a wait gives up after a few seconds (and the test then fails on its counts).
class Gate {
 public:
  explicit Gate(int release_at) : release_at_(release_at) {}

  void Enter(const std::string& url) {
    std::unique_lock lock(mutex_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    log_.push_back("begin " + url + " in_flight=" + std::to_string(in_flight_));
    if (in_flight_ >= release_at_) released_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return released_; });
  }
  void Leave(const std::string& url) {
    std::lock_guard lock(mutex_);
    --in_flight_;
    log_.push_back("end " + url);
    cv_.notify_all();
  }
  void Note(const std::string& line) {
    std::lock_guard lock(mutex_);
    log_.push_back(line);
    cv_.notify_all();
  }
  // Blocks until `line` was logged (or a few seconds passed).
  void Await(const std::string& line) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(5),
                 [&] { return std::find(log_.begin(), log_.end(), line) != log_.end(); });
  }
  int max_in_flight() {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
  }
  std::vector<std::string> log() {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int release_at_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  bool released_ = false;
  std::vector<std::string> log_;
};

// Records events as text lines, so two runs compare exactly; notices two calls at once.
class RecordingSink final : public EventSink {
 public:
  void OnRunStarted(std::int64_t at, std::size_t count) override {
    Record("run-start " + std::to_string(at) + " " + std::to_string(count));
  }
  void OnSuiteStarted(const std::string& node, const std::string& name) override {
    Record("suite-start " + node + " " + name);
  }
  void OnStepStarted(const std::string& node, std::size_t index, const std::string& name) override {
    Record("step-start " + node + " " + std::to_string(index) + " " + name);
  }
  void OnStepFinished(const StepOutcome& step) override {
    Record("step " + step.node_id + " " + DumpJson(StepToReport(step)));
  }
  // With `take`, keeps the outcome it is handed (as the history's recorder does): a sink after it
  // that got the same outcome would see what is left of it.
  void OnStepFinishedOwned(StepOutcome&& step) override {
    OnStepFinished(step);
    if (take) taken.push_back(std::move(step));
  }
  void OnSuiteFinished(const SuiteOutcome& s) override {
    Record("suite-end " + s.node_id + " " + std::string(SuiteStatusName(s.status)) +
           " ok=" + std::to_string(s.steps_successful) + " failed=" +
           std::to_string(s.steps_failed) + " errored=" + std::to_string(s.steps_errored) +
           " skipped=" + std::to_string(s.steps_skipped) + " reason=" + s.skip_reason +
           " exported=" + DumpJson(s.exported) + " ms=" + std::to_string(s.duration_ms));
    suites.push_back(s);
    if (notify) notify->Note("suite-end " + s.node_id);
  }
  void OnRunFinished(const RunOutcome& r) override {
    Record("run-end run=" + std::to_string(r.suites_run) + " ok=" +
           std::to_string(r.suites_successful) + " failed=" + std::to_string(r.suites_failed) +
           " skipped=" + std::to_string(r.suites_skipped));
  }

  std::vector<std::string> events;
  std::vector<SuiteOutcome> suites;
  bool take = false;
  std::vector<StepOutcome> taken;
  bool overlapped = false;
  Gate* notify = nullptr;  // told of every suite end

 private:
  void Record(std::string line) {
    if (busy_.exchange(true)) overlapped = true;
    events.push_back(std::move(line));
    busy_.store(false);
  }
  std::atomic<bool> busy_{false};
};

// One per worker. Answers 500 for URLs containing "/fail", else 200 with a token in the body.
// With a gate, each request waits in it; `wait_for` makes a path wait until a line was logged.
class RoutingHttpClient final : public HttpClient {
 public:
  RoutingHttpClient(Gate* gate, std::map<std::string, std::string> wait_for)
      : gate_(gate), wait_for_(std::move(wait_for)) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request.url);
    const std::string path = request.url.substr(request.url.find("/", 7));
    if (const auto found = wait_for_.find(path); found != wait_for_.end() && gate_) {
      gate_->Await(found->second);
    }
    if (gate_) gate_->Enter(path);
    HttpResponse r;
    r.status_code = path.find("/fail") != std::string::npos ? 500 : 200;
    r.headers = {{"content-type", "application/json"}};
    r.body = R"({"token":"tok)" + path + R"("})";
    r.size_bytes = r.body.size();
    if (gate_) gate_->Leave(path);
    return r;
  }
  std::vector<std::string> sent;

 private:
  Gate* gate_;
  std::map<std::string, std::string> wait_for_;
};

// One GET step per path, each asserting status 200.
std::string SuiteYaml(const std::string& node, const std::vector<std::string>& paths,
                      const std::string& extra = "") {
  std::string text = "suite_name: Suite " + node + "\nnode_id: " + node +
                     "\nbase_url: \"http://api.test\"\n" + extra + "steps:\n";
  for (const std::string& p : paths) {
    text += "  - name: \"get " + p + "\"\n    request: {method: GET, url: \"" + p +
            "\"}\n    assert: {status_code: 200}\n";
  }
  return text;
}

struct Harness {
  std::vector<std::unique_ptr<Suite>> suites;
  RunPlan plan;
  RunOptions options;
  FakeClock clock;
  FakeEnvironment env;
  RecordingSink live;
  RecordingSink ordered;
  std::unique_ptr<Gate> gate;
  std::map<std::string, std::string> wait_for;
  std::mutex clients_mutex;
  std::vector<RoutingHttpClient*> clients;

  Suite& Add(const std::string& text, std::vector<PlannedDependency> deps = {}) {
    SuiteLoad load = LoadSuite(text, "s" + std::to_string(suites.size()) + ".yaml");
    EXPECT_TRUE(load.suite) << (load.errors.empty() ? "" : FormatErrorLine(load.errors[0]));
    if (!load.suite) load.suite = Suite{};
    suites.push_back(std::make_unique<Suite>(std::move(*load.suite)));
    plan.suites.push_back(suites.back().get());
    plan.dependencies.push_back(std::move(deps));
    return *suites.back();
  }

  WorkerPortsFactory Factory() {
    return [this](std::size_t) {
      auto http = std::make_unique<RoutingHttpClient>(gate.get(), wait_for);
      {
        std::lock_guard lock(clients_mutex);
        clients.push_back(http.get());
      }
      return WorkerPorts{.http = std::move(http),
                         .entropy = std::make_unique<FakeEntropy>(),
                         .clock = std::make_unique<FakeClock>()};
    };
  }

  std::unique_ptr<Scheduler> Make(std::size_t max_parallel) {
    return std::make_unique<Scheduler>(
        SchedulerPorts{.clock = &clock, .environment = &env, .live = &live, .ordered = &ordered},
        Factory(), plan, options, plan.suites.size(), max_parallel);
  }

  std::vector<std::string> AllSent() {
    std::vector<std::string> out;
    for (RoutingHttpClient* c : clients) out.insert(out.end(), c->sent.begin(), c->sent.end());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::vector<std::string> SuiteEnds(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (const SuiteOutcome& s : sink.suites) {
    out.push_back(s.node_id + ":" + std::string(SuiteStatusName(s.status)));
  }
  return out;
}

std::size_t IndexOf(const std::vector<std::string>& log, const std::string& prefix) {
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].rfind(prefix, 0) == 0) return i;
  }
  ADD_FAILURE() << "no log line starts with '" << prefix << "'";
  return log.size();
}

TEST(Scheduler, RunsUpToMaxParallelSuitesAtOnce) {
  Harness h;
  h.gate = std::make_unique<Gate>(4);
  for (const char* n : {"a", "b", "c", "d"}) h.Add(SuiteYaml(n, {std::string("/") + n}));
  auto scheduler = h.Make(4);
  scheduler->RunToEnd();
  EXPECT_EQ(h.gate->max_in_flight(), 4);
  EXPECT_EQ(h.clients.size(), 4u);  // one HttpClient per worker
  EXPECT_EQ(h.AllSent(), (std::vector<std::string>{"http://api.test/a", "http://api.test/b",
                                                   "http://api.test/c", "http://api.test/d"}));
  EXPECT_EQ(scheduler->outcome().suites_run, 4u);
  EXPECT_EQ(scheduler->outcome().suites_successful, 4u);
  EXPECT_TRUE(scheduler->Done());
  EXPECT_FALSE(h.live.overlapped);
  EXPECT_EQ(h.live.events.front(), "run-start 1700000000000 4");
  EXPECT_EQ(h.live.events.back(), "run-end run=4 ok=4 failed=0 skipped=0");
  // Exactly one run start and end, though each suite ran in its own Runner.
  EXPECT_EQ(std::count_if(h.live.events.begin(), h.live.events.end(),
                          [](const std::string& e) { return e.rfind("run-", 0) == 0; }),
            2);
}

TEST(Scheduler, NeverRunsMoreThanMaxParallel) {
  Harness h;
  h.gate = std::make_unique<Gate>(2);  // the first two wait for each other: a third would overlap
  for (const char* n : {"a", "b", "c", "d", "e"}) h.Add(SuiteYaml(n, {std::string("/") + n}));
  auto scheduler = h.Make(2);  // owns the workers' clients
  scheduler->RunToEnd();
  EXPECT_EQ(h.gate->max_in_flight(), 2);
  EXPECT_EQ(h.clients.size(), 2u);
  EXPECT_EQ(h.AllSent().size(), 5u);
}

TEST(Scheduler, ASuiteStartsOnlyAfterItsDependenciesFinished) {
  Harness h;
  h.gate = std::make_unique<Gate>(1);
  h.Add(SuiteYaml("a", {"/a1", "/a2"}));
  h.Add(SuiteYaml("b", {"/b"}), {{.suite = 0}});
  h.Add(SuiteYaml("c", {"/c"}), {{.suite = 0}, {.suite = 1}});
  h.Make(3)->RunToEnd();
  const std::vector<std::string> log = h.gate->log();
  EXPECT_LT(IndexOf(log, "end /a2"), IndexOf(log, "begin /b"));
  EXPECT_LT(IndexOf(log, "end /b"), IndexOf(log, "begin /c"));
  EXPECT_EQ(SuiteEnds(h.ordered), (std::vector<std::string>{"a:success", "b:success", "c:success"}));
}

TEST(Scheduler, ExportsOfAFinishedSuiteReachTheSuitesStartedAfterIt) {
  Harness h;
  h.Add(R"(suite_name: Auth
node_id: auth
base_url: "http://api.test"
exports: [token]
steps:
  - name: login
    request: {method: GET, url: /login}
    capture: {token: body.token}
)");
  h.Add(R"(suite_name: Use
node_id: use
base_url: "http://api.test"
steps:
  - name: use
    request: {method: GET, url: "/use?t={{auth.token}}"}
)",
        {{.suite = 0}});
  auto scheduler = h.Make(2);
  scheduler->RunToEnd();
  EXPECT_EQ(h.AllSent(), (std::vector<std::string>{"http://api.test/login",
                                                   "http://api.test/use?t=tok/login"}));
  EXPECT_EQ(scheduler->exports()["auth"]["token"], "tok/login");
}

TEST(Scheduler, ARequiredDependencyThatFailedSkipsTheDependent) {
  Harness h;
  h.Add(SuiteYaml("a", {"/fail"}));
  h.Add(SuiteYaml("b", {"/b"}), {{.suite = 0, .required = true}});
  h.Add(SuiteYaml("c", {"/c"}), {{.suite = 1, .required = true}});
  h.Add(SuiteYaml("d", {"/d"}), {{.suite = 0, .required = false}});
  auto scheduler = h.Make(4);
  scheduler->RunToEnd();
  EXPECT_EQ(SuiteEnds(h.ordered),
            (std::vector<std::string>{"a:failure", "b:skipped", "c:skipped", "d:success"}));
  // The planner words the reason.
  EXPECT_EQ(h.ordered.suites[1].skip_reason,
            RequiredDependencyFailure(h.plan, 1, {SuiteStatus::kFailure, std::nullopt}));
  EXPECT_NE(h.ordered.suites[1].skip_reason.find("'a' failed"), std::string::npos);
  EXPECT_EQ(h.ordered.suites[2].skip_reason,
            RequiredDependencyFailure(h.plan, 2, {SuiteStatus::kFailure, SuiteStatus::kSkipped}));
  EXPECT_NE(h.ordered.suites[2].skip_reason.find("'b' was skipped"), std::string::npos);
  EXPECT_EQ(h.AllSent(), (std::vector<std::string>{"http://api.test/d", "http://api.test/fail"}));
  const RunOutcome& run = scheduler->outcome();
  EXPECT_EQ(run.suites_run, 2u);
  EXPECT_EQ(run.suites_failed, 1u);
  EXPECT_EQ(run.suites_skipped, 2u);
  // A skipped suite is still announced, with its name and file.
  EXPECT_NE(std::find(h.ordered.events.begin(), h.ordered.events.end(), "suite-start b Suite b"),
            h.ordered.events.end());
  EXPECT_EQ(h.ordered.suites[1].file, "s1.yaml");
}

TEST(Scheduler, AFailedRequiredPrioritySuiteStopsTheRun) {
  Harness h;
  h.Add(SuiteYaml("crit", {"/fail"})).priority = "critical";
  h.Add(SuiteYaml("x", {"/x"}));
  h.Add(SuiteYaml("y", {"/y"}));
  auto scheduler = h.Make(1);
  scheduler->RunToEnd();
  EXPECT_EQ(SuiteEnds(h.ordered),
            (std::vector<std::string>{"crit:failure", "x:skipped", "y:skipped"}));
  EXPECT_EQ(h.ordered.suites[1].skip_reason, "not run: required suite 'crit' failed");
  EXPECT_EQ(h.AllSent(), (std::vector<std::string>{"http://api.test/fail"}));
  EXPECT_EQ(scheduler->outcome().suites_skipped, 2u);
}

TEST(Scheduler, FailFastLetsRunningSuitesFinish) {
  Harness h;
  h.gate = std::make_unique<Gate>(2);  // crit and x are in flight together
  h.Add(SuiteYaml("crit", {"/fail"})).priority = "critical";
  h.Add(SuiteYaml("x", {"/x"}));
  h.Add(SuiteYaml("y", {"/y"}), {{.suite = 0}});  // waits for crit, so it sees the stop
  h.Make(2)->RunToEnd();
  EXPECT_EQ(h.gate->max_in_flight(), 2);
  EXPECT_EQ(SuiteEnds(h.ordered),
            (std::vector<std::string>{"crit:failure", "x:success", "y:skipped"}));
  EXPECT_EQ(h.ordered.suites[2].skip_reason, "not run: required suite 'crit' failed");
}

TEST(Scheduler, FailFastOffKeepsGoing) {
  Harness h;
  h.options.fail_fast_on_required = false;
  h.Add(SuiteYaml("crit", {"/fail"})).priority = "critical";
  h.Add(SuiteYaml("x", {"/x"}));
  h.Make(1)->RunToEnd();
  EXPECT_EQ(SuiteEnds(h.ordered), (std::vector<std::string>{"crit:failure", "x:success"}));
}

TEST(Scheduler, AnInputSuiteRunsAlone) {
  Harness h;
  h.gate = std::make_unique<Gate>(2);  // a and b prove they overlap
  h.Add(SuiteYaml("a", {"/a"}));
  h.Add(SuiteYaml("b", {"/b"}));
  h.Add(SuiteYaml("i", {"/i"})).needs_input = true;
  h.Add(SuiteYaml("c", {"/c"}));
  h.Add(SuiteYaml("d", {"/d"}));
  h.Make(4)->RunToEnd();
  const std::vector<std::string> log = h.gate->log();
  const std::size_t input_begin = IndexOf(log, "begin /i");
  EXPECT_EQ(log[input_begin], "begin /i in_flight=1") << ::testing::PrintToString(log);
  EXPECT_LT(IndexOf(log, "end /a"), input_begin);
  EXPECT_LT(IndexOf(log, "end /b"), input_begin);
  EXPECT_LT(IndexOf(log, "end /i"), IndexOf(log, "begin /c"));
  EXPECT_LT(IndexOf(log, "end /i"), IndexOf(log, "begin /d"));
  EXPECT_EQ(h.gate->max_in_flight(), 2);
}

TEST(Scheduler, OrderedEventsFollowThePlanWhateverTheFinishOrder) {
  // Suite a waits until d has finished, so a finishes after d.
  Harness parallel;
  parallel.gate = std::make_unique<Gate>(1);
  parallel.wait_for = {{"/a", "suite-end d"}};
  parallel.live.notify = parallel.gate.get();
  Harness sequential;
  for (Harness* h : {&parallel, &sequential}) {
    h->Add(SuiteYaml("a", {"/a"}));
    h->Add(SuiteYaml("b", {"/b", "/fail"}));
    h->Add(SuiteYaml("c", {"/c"}));
    h->Add(SuiteYaml("d", {"/d"}));
  }
  // Both sinks would take the steps: the live one sees each first, so only the ordered one takes
  // them, buffered or not.
  parallel.live.take = true;
  parallel.ordered.take = true;
  parallel.Make(4)->RunToEnd();
  sequential.Make(1)->RunToEnd();
  EXPECT_EQ(parallel.ordered.events, sequential.ordered.events);
  EXPECT_TRUE(parallel.live.taken.empty());
  ASSERT_EQ(parallel.ordered.taken.size(), 5u);
  EXPECT_EQ(parallel.ordered.taken[0].node_id, "a");
  EXPECT_EQ(parallel.ordered.taken[4].node_id, "d");
  EXPECT_EQ(SuiteEnds(parallel.ordered),
            (std::vector<std::string>{"a:success", "b:failure", "c:success", "d:success"}));
  // The live sink saw d finish before a, and never two events at once.
  const std::vector<std::string> live_ends = SuiteEnds(parallel.live);
  EXPECT_LT(IndexOf(live_ends, "d:"), IndexOf(live_ends, "a:"));
  EXPECT_FALSE(parallel.live.overlapped);
  EXPECT_FALSE(parallel.ordered.overlapped);
}

// With one suite at a time, the scheduler is a Runner over the whole plan: same events, in the
// same order, with the same counts.
void ExpectSameAsRunner(Harness& h) {
  RecordingSink runner_sink;
  {
    RoutingHttpClient http(nullptr, {});
    FakeClock clock;
    FakeEntropy entropy;
    RunOptions options = h.options;
    options.dependencies = h.plan.dependencies;
    Runner runner(RunnerPorts{.http = &http, .clock = &clock, .entropy = &entropy,
                              .environment = &h.env, .sink = &runner_sink},
                  h.plan.suites, options, h.plan.suites.size());
    runner.RunToEnd();
  }
  // The scheduler's clock is its own: its per-suite runners share the worker's FakeClock.
  h.Make(1)->RunToEnd();
  EXPECT_EQ(h.ordered.events, runner_sink.events);
  EXPECT_EQ(h.live.events, runner_sink.events);
}

TEST(FanOutSink, TheLastSinkTakesAStepTheOthersSeeItFirst) {
  RecordingSink first;
  RecordingSink last;
  first.take = true;
  last.take = true;
  FanOutSink fan({&first, nullptr, &last, nullptr});
  StepOutcome step;
  step.node_id = "n";
  step.step_name = "one";
  step.captured = Value{{"token", "abc"}};
  const std::string line = "step n " + DumpJson(StepToReport(step));
  fan.OnStepFinishedOwned(std::move(step));
  EXPECT_EQ(first.events, std::vector<std::string>{line});
  EXPECT_EQ(last.events, std::vector<std::string>{line});
  EXPECT_TRUE(first.taken.empty());
  ASSERT_EQ(last.taken.size(), 1u);
  EXPECT_EQ(last.taken[0].captured["token"], "abc");
  // Handed by reference, nobody takes it.
  fan.OnStepFinished(last.taken[0]);
  EXPECT_EQ(last.taken.size(), 1u);
  EXPECT_EQ(last.events.size(), 2u);
}

TEST(Scheduler, OneAtATimeEqualsARunnerOverThePlan) {
  Harness h;
  h.Add(R"(suite_name: Auth
node_id: auth
base_url: "http://api.test"
exports: [token]
steps:
  - name: login
    request: {method: GET, url: /login}
    capture: {token: body.token}
)");
  h.Add(SuiteYaml("b", {"/b", "/fail", "/never"}), {{.suite = 0}});
  h.Add(R"(suite_name: Use
node_id: use
base_url: "http://api.test"
steps:
  - name: use
    request: {method: GET, url: "/use?t={{auth.token}}"}
)",
        {{.suite = 0}});
  ExpectSameAsRunner(h);
}

TEST(Scheduler, OneAtATimeSkipsLikeARunnerOverThePlan) {
  // Needs the Runner's required-dependency skipping and fail-fast.
  Harness h;
  h.Add(SuiteYaml("a", {"/fail"}));
  h.Add(SuiteYaml("b", {"/b"}), {{.suite = 0, .required = true}});
  h.Add(SuiteYaml("c", {"/c"}));
  h.Add(SuiteYaml("crit", {"/fail"})).priority = "critical";
  h.Add(SuiteYaml("e", {"/e"}));
  ExpectSameAsRunner(h);
}

TEST(Scheduler, AnEmptyPlanStillStartsAndFinishesTheRun) {
  Harness h;
  auto scheduler = h.Make(8);
  scheduler->RunToEnd();
  EXPECT_EQ(h.ordered.events,
            (std::vector<std::string>{"run-start 1700000000000 0",
                                      "run-end run=0 ok=0 failed=0 skipped=0"}));
  EXPECT_TRUE(scheduler->outcome().Passed());
}

}  // namespace
}  // namespace flow::core
