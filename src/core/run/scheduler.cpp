#include "core/run/scheduler.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>

#include "core/check.hpp"

namespace flow::core {
namespace {

struct SuiteStartedEvent {
  std::string node_id;
  std::string suite_name;
};
struct StepStartedEvent {
  std::string node_id;
  std::size_t step_index = 0;
  std::string step_name;
};
using SuiteEvent = std::variant<SuiteStartedEvent, StepStartedEvent, StepOutcome, SuiteOutcome>;

// Hands a buffered event to `sink`, which may take its step outcome (the buffer drops it after).
void Deliver(EventSink& sink, SuiteEvent& event) {
  if (const auto* e = std::get_if<SuiteStartedEvent>(&event)) {
    sink.OnSuiteStarted(e->node_id, e->suite_name);
  } else if (const auto* s = std::get_if<StepStartedEvent>(&event)) {
    sink.OnStepStarted(s->node_id, s->step_index, s->step_name);
  } else if (auto* step = std::get_if<StepOutcome>(&event)) {
    sink.OnStepFinishedOwned(std::move(*step));
  } else {
    sink.OnSuiteFinished(std::get<SuiteOutcome>(event));
  }
}

// What a suite's run published, compared with the snapshot it started from: only these entries
// are merged back, so a stale snapshot never overwrites what a concurrent suite published.
Value ExportsDelta(const Value& after, const Value& before) {
  Value delta = Value::object();
  if (!after.is_object()) return delta;
  for (auto node = after.begin(); node != after.end(); ++node) {
    const auto old = before.is_object() ? before.find(node.key()) : before.end();
    if (old == before.end() || !node.value().is_object() || !old->is_object()) {
      if (old == before.end() || !DeepEqual(*old, node.value())) delta[node.key()] = node.value();
      continue;
    }
    for (auto var = node.value().begin(); var != node.value().end(); ++var) {
      const auto prev = old->find(var.key());
      if (prev == old->end() || !DeepEqual(*prev, var.value())) {
        delta[node.key()][var.key()] = var.value();
      }
    }
  }
  return delta;
}

void MergeExports(Value& registry, const Value& delta) {
  for (auto node = delta.begin(); node != delta.end(); ++node) {
    Value& entry = registry[node.key()];
    if (!node.value().is_object() || !entry.is_object()) {
      entry = node.value();
      continue;
    }
    for (auto var = node.value().begin(); var != node.value().end(); ++var) {
      entry[var.key()] = var.value();
    }
  }
}

}  // namespace

// Serializes the live sink and puts the ordered sink's events in plan order.
struct Scheduler::Hub {
  Hub(EventSink* live_sink, EventSink* ordered_sink, std::size_t suites)
      : live(live_sink), ordered(ordered_sink), pending(suites), done(suites, false) {}

  void RunStarted(std::int64_t at, std::size_t count) {
    if (live) {
      std::lock_guard lock(live_mutex);
      live->OnRunStarted(at, count);
    }
    if (ordered) {
      std::lock_guard lock(ordered_mutex);
      ordered->OnRunStarted(at, count);
    }
  }

  void RunFinished(const RunOutcome& run) {
    if (live) {
      std::lock_guard lock(live_mutex);
      live->OnRunFinished(run);
    }
    if (ordered) {
      std::lock_guard lock(ordered_mutex);
      ordered->OnRunFinished(run);
    }
  }

  // `deliver(sink, last)` hands the event to a sink without copying it (the last sink to get it
  // may take it); `make` makes it for the buffer (taking it: the ordered sink is the last).
  template <typename DeliverFn, typename MakeFn>
  void Emit(std::size_t index, DeliverFn deliver, MakeFn make) {
    if (live) {
      std::lock_guard lock(live_mutex);
      deliver(*live, ordered == nullptr);
    }
    if (ordered) {
      std::lock_guard lock(ordered_mutex);
      if (index == head) {
        deliver(*ordered, true);
      } else {
        pending[index].push_back(make());
      }
    }
  }

  // Every event of suite `index` was emitted: the ordered sink may move on past it.
  void Finish(std::size_t index) {
    if (!ordered) return;
    std::lock_guard lock(ordered_mutex);
    done[index] = true;
    while (head < done.size() && done[head]) {
      ++head;
      if (head >= pending.size()) break;
      for (SuiteEvent& event : pending[head]) Deliver(*ordered, event);
      std::vector<SuiteEvent>().swap(pending[head]);
    }
  }

  EventSink* live;
  EventSink* ordered;
  std::mutex live_mutex;
  std::mutex ordered_mutex;
  std::size_t head = 0;  // the suite whose events the ordered sink receives as they happen
  std::vector<std::vector<SuiteEvent>> pending;
  std::vector<bool> done;
};

struct Scheduler::Job {
  std::size_t index = 0;
  RunOptions options;
};

struct Scheduler::Completion {
  std::size_t index = 0;
  SuiteStatus status = SuiteStatus::kFailure;
  Value exports_delta = Value::object();
};

struct Scheduler::Workers {
  std::vector<WorkerPorts> ports;
  std::vector<std::thread> threads;  // empty: suites run on the scheduler's thread
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable work_done;
  std::deque<Job> jobs;
  std::deque<Completion> completions;
  bool shutdown = false;
  std::size_t capacity = 1;
};

namespace {

// The sink handed to a suite's Runner.
class HubSink final : public EventSink {
 public:
  // deliver(sink, last): see Hub::Emit.
  using EmitFn = std::function<void(const std::function<void(EventSink&, bool)>&,
                                    const std::function<SuiteEvent()>&)>;
  explicit HubSink(EmitFn emit) : emit_(std::move(emit)) {}

  void OnSuiteStarted(const std::string& node_id, const std::string& suite_name) override {
    emit_([&](EventSink& s, bool) { s.OnSuiteStarted(node_id, suite_name); },
          [&] { return SuiteEvent(SuiteStartedEvent{node_id, suite_name}); });
  }
  void OnStepStarted(const std::string& node_id, std::size_t step_index,
                     const std::string& step_name) override {
    emit_([&](EventSink& s, bool) { s.OnStepStarted(node_id, step_index, step_name); },
          [&] { return SuiteEvent(StepStartedEvent{node_id, step_index, step_name}); });
  }
  void OnStepFinished(const StepOutcome& step) override {
    emit_([&](EventSink& s, bool) { s.OnStepFinished(step); }, [&] { return SuiteEvent(step); });
  }
  void OnStepFinishedOwned(StepOutcome&& step) override {
    emit_(
        [&](EventSink& s, bool last) {
          if (last) {
            s.OnStepFinishedOwned(std::move(step));
          } else {
            s.OnStepFinished(step);
          }
        },
        [&] { return SuiteEvent(std::move(step)); });
  }
  void OnSuiteFinished(const SuiteOutcome& suite) override {
    status = suite.status;
    emit_([&](EventSink& s, bool) { s.OnSuiteFinished(suite); },
          [&] { return SuiteEvent(suite); });
  }
  // The scheduler emits the run's own start and end.
  void OnRunStarted(std::int64_t, std::size_t) override {}
  void OnRunFinished(const RunOutcome&) override {}

  std::optional<SuiteStatus> status;

 private:
  EmitFn emit_;
};

}  // namespace

Scheduler::Scheduler(SchedulerPorts ports, WorkerPortsFactory make_worker_ports,
                     const RunPlan& plan, RunOptions options, std::size_t suites_discovered,
                     std::size_t max_parallel)
    : ports_(ports), make_worker_ports_(std::move(make_worker_ports)), plan_(plan),
      options_(std::move(options)), max_parallel_(max_parallel == 0 ? 1 : max_parallel),
      registry_(options_.exports.is_object() ? options_.exports : Value::object()),
      states_(plan.suites.size(), SuiteState::kPending), statuses_(plan.suites.size()),
      hub_(std::make_unique<Hub>(ports.live, ports.ordered, plan.suites.size())) {
  FLOW_CHECK(ports_.clock && ports_.environment && make_worker_ports_);
  options_.dependencies.clear();
  run_.suites_discovered = suites_discovered;
}

Scheduler::~Scheduler() {
  if (!workers_) return;
  {
    std::lock_guard lock(workers_->mutex);
    workers_->shutdown = true;
  }
  workers_->work_ready.notify_all();
  for (std::thread& t : workers_->threads) t.join();
}

bool Scheduler::Done() const { return finished_; }
const RunOutcome& Scheduler::outcome() const { return run_; }
const Value& Scheduler::exports() const { return registry_; }

void Scheduler::Start() {
  if (started_) return;
  started_ = true;
  run_.started_at_ms = ports_.clock->NowUnixMs();
  started_us_ = ports_.clock->MonotonicUs();
  hub_->RunStarted(run_.started_at_ms, plan_.suites.size());
}

bool Scheduler::DependenciesFinished(std::size_t index) const {
  if (index >= plan_.dependencies.size()) return true;
  for (const PlannedDependency& dep : plan_.dependencies[index]) {
    if (dep.suite < states_.size() && states_[dep.suite] != SuiteState::kFinished) return false;
  }
  return true;
}

Scheduler::Completion Scheduler::Execute(const Job& job, WorkerPorts& ports) {
  Hub& hub = *hub_;
  const std::size_t index = job.index;
  HubSink sink([&hub, index](const std::function<void(EventSink&, bool)>& deliver,
                             const std::function<SuiteEvent()>& make) {
    hub.Emit(index, deliver, make);
  });
  Completion done{.index = index};
  {
    Runner runner(RunnerPorts{.http = ports.http.get(),
                              .clock = ports.clock ? ports.clock.get() : ports_.clock,
                              .entropy = ports.entropy.get(),
                              .environment = ports_.environment,
                              .sink = &sink,
                              .input = ports_.input,
                              .suites = ports.suites.get(),
                              .script = ports_.script,
                              .secrets = ports_.secrets ? ports_.secrets : &own_secrets_},
                  {plan_.suites[index]}, job.options, 1);
    runner.RunToEnd();
    done.exports_delta = ExportsDelta(runner.exports(), job.options.exports);
  }
  done.status = sink.status.value_or(SuiteStatus::kFailure);
  hub.Finish(index);
  return done;
}

void Scheduler::Dispatch(std::size_t index) {
  states_[index] = SuiteState::kRunning;
  ++running_;
  if (plan_.suites[index]->needs_input) input_running_ = true;
  Job job{.index = index, .options = options_};
  job.options.exports = registry_;
  if (workers_->threads.empty()) {
    workers_->completions.push_back(Execute(job, workers_->ports.front()));
    return;
  }
  {
    std::lock_guard lock(workers_->mutex);
    workers_->jobs.push_back(std::move(job));
  }
  workers_->work_ready.notify_one();
}

void Scheduler::Skip(std::size_t index, const std::string& reason) {
  const SuiteOutcome o = SkippedSuiteOutcome(*plan_.suites[index], reason, ports_.clock->NowUnixMs());
  hub_->Emit(
      index, [&](EventSink& s, bool) { s.OnSuiteStarted(o.node_id, o.suite_name); },
      [&] { return SuiteEvent(SuiteStartedEvent{o.node_id, o.suite_name}); });
  hub_->Emit(
      index, [&](EventSink& s, bool) { s.OnSuiteFinished(o); }, [&] { return SuiteEvent(o); });
  hub_->Finish(index);
  states_[index] = SuiteState::kFinished;
  statuses_[index] = SuiteStatus::kSkipped;
  ++finished_count_;
}

void Scheduler::Complete(const Completion& done) {
  const Suite& suite = *plan_.suites[done.index];
  states_[done.index] = SuiteState::kFinished;
  statuses_[done.index] = done.status;
  --running_;
  ++finished_count_;
  if (suite.needs_input) input_running_ = false;
  MergeExports(registry_, done.exports_delta);
  if (done.status == SuiteStatus::kSkipped) return;
  ++run_.suites_run;
  if (done.status == SuiteStatus::kSuccess) {
    ++run_.suites_successful;
    return;
  }
  ++run_.suites_failed;
  if (stop_reason_.empty() &&
      StopsRunOnFailure(suite, options_.required_priorities, options_.fail_fast_on_required)) {
    stop_reason_ = "not run: required suite '" + suite.node_id + "' failed";
  }
}

void Scheduler::RunToEnd() {
  if (finished_) return;
  Start();
  const std::size_t n = plan_.suites.size();

  workers_ = std::make_unique<Workers>();
  const std::size_t wanted = std::max<std::size_t>(1, std::min(max_parallel_, n));
  for (std::size_t w = 0; w < wanted; ++w) {
    workers_->ports.push_back(make_worker_ports_(w));
    FLOW_CHECK(workers_->ports.back().http && workers_->ports.back().entropy);
  }
  if (wanted > 1) {
    Workers& pool = *workers_;
    for (std::size_t w = 0; w < wanted; ++w) {
      try {
        pool.threads.emplace_back([this, &pool, w] {
          for (;;) {
            Job job;
            {
              std::unique_lock lock(pool.mutex);
              pool.work_ready.wait(lock, [&] { return pool.shutdown || !pool.jobs.empty(); });
              if (pool.jobs.empty()) return;
              job = std::move(pool.jobs.front());
              pool.jobs.pop_front();
            }
            Completion done = Execute(job, pool.ports[w]);
            {
              std::lock_guard lock(pool.mutex);
              pool.completions.push_back(std::move(done));
            }
            pool.work_done.notify_one();
          }
        });
      } catch (const std::system_error&) {
        break;  // the system refused another thread: run with the ones we have
      }
    }
  }
  workers_->capacity = std::max<std::size_t>(1, workers_->threads.size());

  while (finished_count_ < n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (states_[i] != SuiteState::kPending) continue;
      if (!stop_reason_.empty()) {
        Skip(i, stop_reason_);
        continue;
      }
      if (!DependenciesFinished(i)) continue;
      if (const std::string why = RequiredDependencyFailure(plan_, i, statuses_); !why.empty()) {
        Skip(i, why);
        continue;
      }
      // An input suite runs alone, and the suites after it wait for it rather than keep it
      // waiting forever.
      if (input_running_) break;
      const bool needs_input = plan_.suites[i]->needs_input;
      if (needs_input && running_ > 0) break;
      if (running_ >= workers_->capacity) break;
      Dispatch(i);
      if (needs_input) break;
    }
    if (finished_count_ == n) break;
    if (running_ == 0) {
      // Only a plan whose dependency points at a later suite gets here; never wait forever.
      for (std::size_t i = 0; i < n; ++i) {
        if (states_[i] == SuiteState::kPending) Skip(i, "not run: its dependencies never ran");
      }
      break;
    }
    Completion done;
    {
      std::unique_lock lock(workers_->mutex);
      workers_->work_done.wait(lock, [&] { return !workers_->completions.empty(); });
      done = std::move(workers_->completions.front());
      workers_->completions.pop_front();
    }
    Complete(done);
  }

  {
    std::lock_guard lock(workers_->mutex);
    workers_->shutdown = true;
  }
  workers_->work_ready.notify_all();
  for (std::thread& t : workers_->threads) t.join();
  workers_->threads.clear();

  finished_ = true;
  run_.completed_at_ms = ports_.clock->NowUnixMs();
  run_.duration_ms = static_cast<double>(ports_.clock->MonotonicUs() - started_us_) / 1000.0;
  run_.suites_skipped =
      run_.suites_discovered > run_.suites_run ? run_.suites_discovered - run_.suites_run : 0;
  hub_->RunFinished(run_);
}

}  // namespace flow::core
