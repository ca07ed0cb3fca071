// What a run produces, step by step: plain values handed to an EventSink. The report and console
// modules turn them into files and lines; the service stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assert/assertion_plan.hpp"
#include "core/error.hpp"
#include "core/value.hpp"

namespace flow::core {

enum class StepStatus { kSuccess, kFailure, kError, kSkipped };
std::string_view StepStatusName(StepStatus status);  // "success", "failure", "error", "skipped"

// One try of a step that has `retry` (or was retried by execution.retry_failed).
struct AttemptOutcome {
  std::size_t number = 1;          // 1-based
  StepStatus status = StepStatus::kSuccess;
  double duration_ms = 0;
  std::int64_t waited_ms = 0;      // backoff slept before this attempt
  std::optional<int> status_code;  // of the response, when there was one
  std::string reason;              // why it was retried (or failed): an error or assertion text
};

// A line written by a hook `log`/`metric` action or a script's console, kept with its step.
struct LogEntry {
  std::string level;  // debug, info, warn, error
  std::string message;
  Value data;         // metadata / metric fields; null when none
};

struct StepOutcome {
  std::string node_id;
  std::size_t step_index = 0;
  std::string step_id;
  std::string qualified_step_id;
  std::string step_name;
  SourceSpan where;                // the step in its suite file (unknown for generated steps)
  StepStatus status = StepStatus::kSuccess;
  std::optional<Error> error;      // set when status is kError (could not be evaluated)
  std::string skip_reason;         // set when status is kSkipped
  double duration_ms = 0;
  std::int64_t delay_ms = 0;       // waited before the step (`delay`), not in duration_ms
  std::int64_t started_at_ms = 0;  // unix ms
  std::int64_t completed_at_ms = 0;
  std::optional<Value> request;    // the rendered request (report shape: request_details)
  std::optional<Value> response;   // report shape: response_details
  std::vector<AssertionOutcome> assertions;
  Value captured = Value::object();
  std::vector<std::string> warnings;

  // Steps run inside another step (an iteration, a scenario's nested step, a called step) are
  // reported as their own outcomes, before the parent's, so a loop of 100 000 iterations streams
  // instead of accumulating. They name their parent; top-level steps have depth 0.
  std::string parent_qualified_id;
  std::string parent_step_name;
  std::string run_node_id;                // the suite being run (a called step's node_id is its own suite's)
  std::size_t depth = 0;
  std::optional<std::size_t> iteration;   // 0-based index, for an iteration of `iterate`
  std::string kind = "request";           // request, iterate, scenarios, input, call
  std::vector<AttemptOutcome> attempts;   // every try when the step has retries (else empty)
  std::vector<LogEntry> logs;
  // Report-only details in the original's shapes: scenarios_meta, input_results,
  // iteration_summary, call, hooks... (an object; empty when none).
  Value details = Value::object();

  std::size_t FailedAssertions() const;
  // Why a failed or errored step failed, in one line: its error, else its first failed
  // assertion ("field: message"), else its first warning (e.g. "2 of 5 iterations failed"), else
  // "a step run inside it failed". Empty for a step that passed or was skipped.
  std::string FailureSummary() const;
};

enum class SuiteStatus { kSuccess, kFailure, kSkipped };
std::string_view SuiteStatusName(SuiteStatus status);

struct SuiteOutcome {
  std::string node_id;
  std::string suite_name;
  std::string file;
  std::string priority;
  SuiteStatus status = SuiteStatus::kSuccess;
  std::int64_t started_at_ms = 0;
  std::int64_t completed_at_ms = 0;
  double duration_ms = 0;
  std::size_t steps_reported = 0;
  std::size_t steps_successful = 0;
  std::size_t steps_failed = 0;   // failed assertions
  std::size_t steps_errored = 0;  // could not be evaluated
  std::size_t steps_skipped = 0;
  std::optional<Error> error;     // the suite could not start (e.g. its variables failed)
  std::string skip_reason;        // kSkipped: a required dependency failed, fail-fast, ...
  Value exported = Value::object();
  Value variables = Value::object();  // final runtime + suite variables
  std::vector<std::string> warnings;
};

struct Suite;
// A suite that was not run (a required dependency failed, fail-fast): started and finished at
// `now_unix_ms`, status kSkipped with `reason`.
SuiteOutcome SkippedSuiteOutcome(const Suite& suite, std::string reason, std::int64_t now_unix_ms);

struct RunOutcome {
  std::int64_t started_at_ms = 0;
  std::int64_t completed_at_ms = 0;
  double duration_ms = 0;
  std::size_t suites_discovered = 0;
  std::size_t suites_run = 0;
  std::size_t suites_successful = 0;
  std::size_t suites_failed = 0;
  std::size_t suites_skipped = 0;
  bool Passed() const { return suites_failed == 0; }
};

// Receives a run's events in order. The CLI prints and writes reports, the worker persists.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnRunStarted(std::int64_t /*started_at_ms*/, std::size_t /*suite_count*/) {}
  virtual void OnSuiteStarted(const std::string& /*node_id*/, const std::string& /*suite_name*/) {}
  virtual void OnStepStarted(const std::string& /*node_id*/, std::size_t /*step_index*/,
                             const std::string& /*step_name*/) {}
  virtual void OnStepFinished(const StepOutcome& /*step*/) {}
  // The same event from a sender that has no further use for `step`: a sink that keeps the
  // outcome (the history's writer queue) takes it instead of copying it. By default, as
  // OnStepFinished.
  virtual void OnStepFinishedOwned(StepOutcome&& step) { OnStepFinished(step); }
  virtual void OnSuiteFinished(const SuiteOutcome& /*suite*/) {}
  virtual void OnRunFinished(const RunOutcome& /*run*/) {}
};

// Forwards every event to each of `sinks`, in order (null entries are skipped).
class FanOutSink final : public EventSink {
 public:
  explicit FanOutSink(std::vector<EventSink*> sinks = {}) : sinks_(std::move(sinks)) {}
  void Add(EventSink* sink) { sinks_.push_back(sink); }
  const std::vector<EventSink*>& sinks() const { return sinks_; }

  void OnRunStarted(std::int64_t at, std::size_t count) override {
    for (EventSink* s : sinks_) if (s) s->OnRunStarted(at, count);
  }
  void OnSuiteStarted(const std::string& node_id, const std::string& name) override {
    for (EventSink* s : sinks_) if (s) s->OnSuiteStarted(node_id, name);
  }
  void OnStepStarted(const std::string& node_id, std::size_t index,
                     const std::string& name) override {
    for (EventSink* s : sinks_) if (s) s->OnStepStarted(node_id, index, name);
  }
  void OnStepFinished(const StepOutcome& step) override {
    for (EventSink* s : sinks_) if (s) s->OnStepFinished(step);
  }
  // The last sink takes it, once the others have seen it.
  void OnStepFinishedOwned(StepOutcome&& step) override {
    EventSink* last = nullptr;
    for (EventSink* s : sinks_) {
      if (!s) continue;
      if (last) last->OnStepFinished(step);
      last = s;
    }
    if (last) last->OnStepFinishedOwned(std::move(step));
  }
  void OnSuiteFinished(const SuiteOutcome& suite) override {
    for (EventSink* s : sinks_) if (s) s->OnSuiteFinished(suite);
  }
  void OnRunFinished(const RunOutcome& run) override {
    for (EventSink* s : sinks_) if (s) s->OnRunFinished(run);
  }

 private:
  std::vector<EventSink*> sinks_;
};

}  // namespace flow::core
