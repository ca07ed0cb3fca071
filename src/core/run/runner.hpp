// Runner: executes planned suites one step at a time, as a resumable state machine.
//
// Each Advance() does exactly one unit of work (start a suite, run one step, finish a suite, or
// finish the run) and reports it to the EventSink. Between two calls the whole run state is a
// plain value: SaveState() returns it as JSON, and RestoreState() on a fresh Runner built with the
// same suites continues exactly where it stopped, in this or another process.
//
// Not thread-safe: one Runner per thread. It borrows its ports and suites; they must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/suite.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"
#include "core/ports/http_client.hpp"
#include "core/run/http_exchange.hpp"
#include "core/run/outcome.hpp"
#include "core/template/template.hpp"

namespace flow::core {

struct RunnerPorts {
  HttpClient* http = nullptr;
  Clock* clock = nullptr;
  Entropy* entropy = nullptr;
  const Environment* environment = nullptr;
  EventSink* sink = nullptr;
};

struct RunOptions {
  bool continue_on_failure = false;      // config execution.continue_on_failure
  RequestDefaults http;                  // base_url here is the global fallback base URL
  UnresolvedPolicy unresolved = UnresolvedPolicy::kError;
  Value globals = Value::object();       // config globals + FLOW_TEST_* environment
  std::vector<std::string> step_filter;  // --step: "id", "node::id" or "node:id"
};

class Runner {
 public:
  Runner(RunnerPorts ports, std::vector<const Suite*> suites, RunOptions options,
         std::size_t suites_discovered);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  bool Done() const;
  void Advance();
  void RunToEnd();

  Value SaveState() const;
  // Continues a run saved by SaveState() of a Runner with the same suites and options.
  Result<void> RestoreState(const Value& state);

  const RunOutcome& outcome() const;
  const Value& exports() const;  // the registry {"node_id": {"var": value}}

 private:
  struct State;
  void StartRun();
  void StartSuite();
  void RunNextStep();
  void FinishSuite();
  void FinishRun();
  StepOutcome ExecuteStep(const Suite& suite, const StepSpec& step);
  Result<std::int64_t> DelayMs(const Suite& suite, const StepSpec& step);
  // `response`: {status_code, status, headers, body} for a post_capture condition, else null.
  Result<bool> EvaluateSkip(const Suite& suite, const SkipSpec& skip, const Value* response) const;
  bool StepSelected(const Suite& suite, const StepSpec& step) const;
  InterpolationContext Context() const;

  RunnerPorts ports_;
  std::vector<const Suite*> suites_;
  RunOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace flow::core
