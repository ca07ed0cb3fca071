// For the run history's unit tests: suites run for real (core Scheduler, fake HTTP, fake clocks)
// with a RunRecorder on the ordered sink, into an InMemoryDatabase. Tests only.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/memory/in_memory_database.hpp"
#include "core/model/suite.hpp"
#include "core/run/planner.hpp"
#include "core/run/scheduler.hpp"
#include "core/secrets/secrets.hpp"
#include "service/runs/run_recorder.hpp"
#include "tests/support/fakes.hpp"

namespace flow::service::testing {

// Answers by path: ".../fail" 500, ".../down" a connection error, anything else 200 with a JSON
// body holding a token and the path. One per worker.
class RoutingHttp final : public core::HttpClient {
 public:
  core::Result<core::HttpResponse> Send(const core::HttpRequest& request) override {
    if (request.url.find("/down") != std::string::npos) {
      return core::Unavailable("connection refused by 127.0.0.1:9");
    }
    core::HttpResponse r;
    r.status_code = request.url.find("/fail") != std::string::npos ? 500 : 200;
    r.headers = {{"content-type", "application/json"}};
    r.body = R"({"token": "tok-9f8e7d6c5b4a", "id": 7, "url": ")" + request.url + R"("})";
    r.size_bytes = r.body.size();
    r.timings.total_ms = 3;
    return r;
  }
};

struct HistoryHarness {
  flow::testing::FakeClock scheduler_clock;
  flow::testing::FakeClock recorder_clock;
  flow::testing::FakeClock db_clock;
  flow::testing::FakeEntropy db_entropy;
  flow::testing::FakeEnvironment environment;
  adapters::InMemoryDatabase memory{&db_clock, &db_entropy};
  Database* db = &memory;  // another database (a failing one) may stand in
  std::vector<std::unique_ptr<core::Suite>> suites;
  core::SecretRegistry secrets;
  Value globals = Value::object();
  std::vector<core::Error> errors;  // handed to on_error
  std::string batch_id = "6b1f0c8e-0000-4000-8000-000000000001";
  std::string (*absolute_path)(const std::string&) = nullptr;

  void Add(const std::string& text, const std::string& file) {
    core::SuiteLoad load = core::LoadSuite(text, file);
    ASSERT_TRUE(load.suite) << file << ": "
                            << (load.errors.empty() ? "" : core::FormatErrorLine(load.errors[0]));
    suites.push_back(std::make_unique<core::Suite>(std::move(*load.suite)));
  }

  std::vector<const core::Suite*> Suites() const {
    std::vector<const core::Suite*> out;
    for (const auto& s : suites) out.push_back(s.get());
    return out;
  }

  RunRecorderOptions Options() {
    return RunRecorderOptions{.batch_id = batch_id,
                              .project_name = "Shop",
                              .hostname = "ci-host",
                              .globals = globals,
                              .suites = Suites(),
                              .secrets = &secrets,
                              .absolute_path = absolute_path,
                              .on_error = [this](const core::Error& e) { errors.push_back(e); }};
  }

  // Runs every suite (in plan order, `parallel` at a time) with the recorder and `also` on the
  // ordered sink; `between` is called after the run started, before the suites run (where the
  // CLI reports the files that could not be loaded).
  core::RunOutcome Run(std::size_t parallel, std::vector<core::EventSink*> also = {},
                       const std::function<void(RunRecorder&)>& between = {}) {
    RunRecorder recorder(*db, recorder_clock, Options());
    core::FanOutSink ordered(also);
    ordered.Add(&recorder);
    const std::vector<const core::Suite*> all = Suites();
    core::Result<core::RunPlan> plan = core::PlanRun(all, {}, {"critical", "high", "medium", "low"});
    EXPECT_TRUE(plan) << plan.error().message;
    core::RunOptions options;
    options.globals = globals;
    options.continue_on_failure = true;
    core::Scheduler scheduler(
        core::SchedulerPorts{.clock = &scheduler_clock, .environment = &environment,
                             .ordered = &ordered, .secrets = &secrets},
        [](std::size_t) {
          return core::WorkerPorts{.http = std::make_unique<RoutingHttp>(),
                                   .entropy = std::make_unique<flow::testing::FakeEntropy>(),
                                   .clock = std::make_unique<flow::testing::FakeClock>()};
        },
        *plan, options, all.size(), parallel);
    scheduler.Start();
    if (between) between(recorder);
    scheduler.RunToEnd();
    return scheduler.outcome();
  }
};

// A suite of `steps` GET steps against "/s/<node>/<i>" with one assertion and one capture each.
inline std::string StepsSuite(const std::string& node_id, int steps) {
  std::string text = "suite_name: Suite " + node_id + "\nnode_id: " + node_id +
                     "\nbase_url: http://api.test\nsteps:\n";
  for (int i = 1; i <= steps; ++i) {
    text += "  - name: step " + std::to_string(i) + "\n    request: {method: GET, url: /s/" +
            node_id + "/" + std::to_string(i) + "}\n    assert: {status_code: 200}\n" +
            "    capture: {last_" + std::to_string(i) + ": body.id}\n";
  }
  return text;
}

}  // namespace flow::service::testing
