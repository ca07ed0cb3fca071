// Scheduler: runs a RunPlan with up to `max_parallel` suites at a time, each suite in its own
// Runner on a worker thread with its own HttpClient and Entropy (made by a factory, so each worker
// keeps its own connections).
//
// Ordering rules (docs/parallel.md):
//  - a suite starts only when every suite it depends on (plan.dependencies) has finished; if a
//    `required` one did not succeed it is not run but reported skipped with the reason;
//  - when a suite whose failure stops the run (StopsRunOnFailure) fails, no further suite starts:
//    running ones finish, the rest are reported skipped;
//  - a suite with needs_input runs alone: it waits for the running ones, and nothing starts
//    beside it; later suites wait for it (no starvation);
//  - each suite starts from a snapshot of the export registry; what it publishes is merged into
//    the shared registry when it finishes, so it is visible to the suites started after that.
//
// Events go to two sinks. `live` gets each event as it happens, one at a time (under a mutex),
// from whichever thread produced it. `ordered` gets every suite's events in plan order: the events
// of a suite that runs ahead of an earlier one are buffered until that one was delivered, so a
// report built from it is the same whatever the finish order. The per-suite Runners' own
// OnRunStarted/OnRunFinished are swallowed: the scheduler emits one of each, to both sinks.
//
// Owns its worker threads; borrows the plan, its suites and the ports, which must outlive it. A
// Scheduler is driven by one thread. With max_parallel <= 1 no thread is started: suites run on
// the calling thread, in plan order, exactly like a Runner over the whole plan.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/suite_source.hpp"
#include "core/ports/input_provider.hpp"
#include "core/run/outcome.hpp"
#include "core/run/planner.hpp"
#include "core/ports/suite_source.hpp"
#include "core/run/runner.hpp"

namespace flow::core {

// The ports one worker thread uses for every suite it runs. Not shared with other workers.
struct WorkerPorts {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<Entropy> entropy;
  std::unique_ptr<Clock> clock;  // null: SchedulerPorts::clock, which must then be thread-safe
  std::unique_ptr<SuiteSource> suites;  // for `call` steps; null: calls fail
};

// Called on the scheduler's thread, once per worker (0-based), before the workers start.
using WorkerPortsFactory = std::function<WorkerPorts(std::size_t worker)>;

struct SchedulerPorts {
  Clock* clock = nullptr;                    // run timings and skipped suites' timestamps
  const Environment* environment = nullptr;  // read by every worker: must be thread-safe
  InputProvider* input = nullptr;            // only needs_input suites use it (they run alone)
  ScriptEngine* script = nullptr;            // shared by the workers (it is thread-safe)
  EventSink* live = nullptr;                 // may be null
  EventSink* ordered = nullptr;              // may be null
  // The run's secrets, shared by every suite so one suite's secret is masked in all of them;
  // null: the scheduler keeps its own.
  SecretRegistry* secrets = nullptr;
};

class Scheduler {
 public:
  // `options` apply to every suite; its `exports` is the registry at the start and its
  // `dependencies` are ignored (plan.dependencies is used). `max_parallel` 0 counts as 1.
  Scheduler(SchedulerPorts ports, WorkerPortsFactory make_worker_ports, const RunPlan& plan,
            RunOptions options, std::size_t suites_discovered, std::size_t max_parallel);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Emits OnRunStarted (once). RunToEnd() calls it when it was not called.
  void Start();
  // Runs every suite (or reports it skipped), waits for all of them, emits OnRunFinished.
  void RunToEnd();

  bool Done() const;
  const RunOutcome& outcome() const;
  const Value& exports() const;  // the shared registry {"node_id": {"var": value}}

 private:
  struct Hub;
  struct Job;
  struct Completion;
  struct Workers;

  void Dispatch(std::size_t index);
  void Skip(std::size_t index, const std::string& reason);
  void Complete(const Completion& done);
  Completion Execute(const Job& job, WorkerPorts& ports);
  bool DependenciesFinished(std::size_t index) const;

  SchedulerPorts ports_;
  WorkerPortsFactory make_worker_ports_;
  const RunPlan& plan_;
  RunOptions options_;
  std::size_t max_parallel_;
  RunOutcome run_;
  Value registry_;
  SecretRegistry own_secrets_;  // when ports_.secrets is null
  bool started_ = false;
  bool finished_ = false;
  std::int64_t started_us_ = 0;

  enum class SuiteState { kPending, kRunning, kFinished };
  std::vector<SuiteState> states_;
  std::vector<std::optional<SuiteStatus>> statuses_;
  std::size_t running_ = 0;
  std::size_t finished_count_ = 0;
  bool input_running_ = false;
  std::string stop_reason_;  // set by fail-fast: why the remaining suites are not run

  std::unique_ptr<Hub> hub_;
  std::unique_ptr<Workers> workers_;
};

}  // namespace flow::core
