// Runner: executes planned suites one step at a time, as a resumable state machine.
//
// Each Advance() does exactly one unit of work (start a suite, run one step, finish a suite, or
// finish the run) and reports it to the EventSink. Between two calls the whole run state is a
// plain value: SaveState() returns it as JSON, and RestoreState() on a fresh Runner built with the
// same suites continues exactly where it stopped, in this or another process.
//
// Everything it reports is masked first: the values of the run's secrets (RunnerPorts::secrets)
// never reach the EventSink. SaveState() keeps those values (a resumed run masks them too).
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
#include "core/ports/input_provider.hpp"
#include "core/ports/suite_source.hpp"
#include "core/run/http_exchange.hpp"
#include "core/run/outcome.hpp"
#include "core/run/planner.hpp"
#include "core/secrets/secrets.hpp"
#include "core/template/template.hpp"

namespace flow::core {

struct RunnerPorts {
  HttpClient* http = nullptr;
  Clock* clock = nullptr;
  Entropy* entropy = nullptr;
  const Environment* environment = nullptr;
  EventSink* sink = nullptr;
  InputProvider* input = nullptr;  // null: input steps fail ("no answers available")
  SuiteSource* suites = nullptr;   // null: `call` steps fail ("calls are not available")
  ScriptEngine* script = nullptr;  // null: JavaScript and faker fail ("not available")
  // The run's secrets (shared by the suites of a parallel run); null: the runner keeps its own.
  // Every event the runner emits is masked with it first (core/secrets/secrets.hpp).
  SecretRegistry* secrets = nullptr;
};

struct RunOptions {
  bool continue_on_failure = false;      // config execution.continue_on_failure
  RequestDefaults http;                  // base_url here is the global fallback base URL
  UnresolvedPolicy unresolved = UnresolvedPolicy::kError;
  Value globals = Value::object();       // config globals + FLOW_TEST_* environment
  std::vector<std::string> step_filter;  // --step: "id", "node::id" or "node:id"
  // Like RunPlan::dependencies, indexed like the runner's suites (empty: none).
  std::vector<std::vector<PlannedDependency>> dependencies;
  std::vector<std::string> required_priorities = {"critical"};  // priorities.required
  bool fail_fast_on_required = true;
  Value exports = Value::object();       // the registry at the start (a scheduler's snapshot)
  struct RetryFailed {
    bool enabled = false;
    int max_attempts = 3;
    std::int64_t delay_ms = 1000;
  } retry_failed;                        // execution.retry_failed
  std::string test_directory = ".";      // `call` targets must be inside it
  bool cookies = true;                   // http.cookies: a cookie jar per suite
  // Inputs nobody answers: "auto" (ci_default, default, first option), "fail", "prompt".
  std::string input_policy = "fail";
  bool ci = false;                       // a CI environment was detected: inputs behave as auto
  ScriptSessionOptions script_session;   // faker seed and locale of every suite's session
  ScriptBudget script_budget;            // expressions, conditions, assertions, hooks
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
  struct Frame;
  struct Attempt;
  void StartRun();
  void StartSuite();
  void RunNextStep();
  void FinishSuite();
  void FinishRun();
  void SkipSuite(std::string reason);

  // A step in a frame: skip, delay, then by kind (iterate, call, request, scenarios, input),
  // with retries. Children (iterations, nested and called steps) are reported on the way.
  StepOutcome RunStep(Frame& frame, const StepSpec& step, bool iteration_child);
  StepOutcome RunStepOnce(Frame& frame, const StepSpec& step, Attempt& attempt);
  void RunIterate(Frame& frame, const StepSpec& step, StepOutcome& out);
  void RunCall(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt);
  void RunRequestStep(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt);
  void RunScenarioOnly(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt);
  void RunInputOnly(Frame& frame, const StepSpec& step, StepOutcome& out);
  bool RunStepInputs(Frame& frame, const StepSpec& step, StepOutcome& out);
  // Sends one rendered request; fills out.request/out.response and the response view.
  bool Send(Frame& frame, const StepSpec& step, const CompiledValue& request,
            const std::string& request_pointer, const std::string& raw_url, StepOutcome& out,
            Attempt& attempt);
  void RunScenarios(Frame& frame, const StepSpec& step, StepOutcome& out, Attempt& attempt,
                    bool request_step);
  bool RunChildren(Frame& frame, const std::vector<StepSpec>& steps, StepOutcome& parent);
  // A pre_request (`request` mutable, read back) or post_request script (`response` set).
  bool RunStepScript(Frame& frame, const StepScript& script, const char* phase, Value* request,
                     const Value* response, StepOutcome& out);
  // assert.custom: one outcome per entry, against the response view.
  bool RunCustomAssertions(Frame& frame, const StepSpec& step, const Value& view, StepOutcome& out);
  bool ShouldRetry(Frame& frame, const RetrySpec& retry, const StepOutcome& out,
                   const Attempt& attempt, std::string& reason);
  // Runs `plan` over `context`; stores what it captured in the runtime scope and in `out`.
  std::size_t RunCaptures(Frame& frame, const CapturePlan& plan, const Value& context,
                          StepOutcome& out);

  // Runs the step's hooks_<point> list (if any) with `context`; false when a hook failed the
  // step (out.status/out.error are set then).
  bool RunHookPoint(Frame& frame, const StepSpec& step, std::size_t point_index, Value context,
                    StepOutcome& out);
  Result<Value> RunHookCall(Frame& frame, const StepSpec& step, const Value& spec,
                            const std::string& pointer, StepOutcome& out);
  Result<std::int64_t> DelayMs(Frame& frame, const StepSpec& step);
  Result<bool> EvaluateSkip(Frame& frame, const SkipSpec& skip, const Value* response);
  // All variables merged (globals < exports-by-node < suite < runtime), plus `extra` on top.
  Value MergedVariables(const Frame& frame, const Value* extra) const;
  bool StepSelected(const Suite& suite, const StepSpec& step) const;
  InterpolationContext Context(const Frame& frame) const;
  Frame TopFrame();
  // `one_iteration`: the outcome of one run of an iterate step's body (its kind, not "iterate").
  StepOutcome NewOutcome(const Frame& frame, const StepSpec& step, bool one_iteration) const;

  // Notes the secrets a variable write brings: the value of a name that looks secret, and such
  // names inside an object value.
  void NoteVariable(std::string_view name, const Value& value);

  RunnerPorts ports_;
  std::unique_ptr<SecretRegistry> own_secrets_;  // when ports_.secrets was null
  std::unique_ptr<EventSink> masking_;            // masks events before ports_.sink
  SecretRegistry* secrets_ = nullptr;
  std::vector<const Suite*> suites_;
  RunOptions options_;
  std::unique_ptr<State> state_;
  RunPlan plan_;  // suites_ with options_.dependencies, for required-dependency checks
};

}  // namespace flow::core
