// RunStore: runs (flow_run) and what they record: step runs, logs, variable snapshots and the
// ordered event stream (flow_run_event). Implementations are thread-safe; each call is one
// transaction, so a step's rows, logs, variables and event are all stored or none is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

struct NewRun {
  std::string version_id;
  std::string batch_id;
  TriggerSource trigger_source = TriggerSource::kCli;
  Priority priority = Priority::kMedium;
  std::string requested_by;
  RunStatus status = RunStatus::kQueued;
  Value input_payload = Value::object();
  std::optional<std::string> retry_of;
  std::int64_t queued_at = 0;
};

// A step's own event (step_completed): its payload is the step itself, so it is not stored
// twice; it is made again from the step's row when read (RunEventRecord::step).
struct StepEvent {
  std::string type;
  std::int64_t created_at = 0;  // 0: now
};

// A step's assertions, captures, error_details and outcome already written as JSON text, as
// DumpJson writes it (error_details "": null).
struct StepJsonColumns {
  std::string assertions;
  std::string captures;
  std::string error_details;
  std::string outcome;
};

// One step's records, stored together.
struct RecordedStep {
  StepRunRecord step;                       // its id is made by the store when empty
  std::vector<StepLogRecord> logs;          // step_run_id is filled in
  std::vector<VariableSnapshotRecord> variables;  // flow_run_id and step_run_id are filled in
  std::optional<StepEvent> event;           // seq is given by the store
  // When set, these four columns as text (the recorder writes them straight from the outcome,
  // without making the Values): stored instead of those Values of `step`, read back as Values.
  std::optional<StepJsonColumns> json;
};

// What is written of one run at once (RunStore::Record): in one transaction, all or nothing, in
// this order. The recorder gathers a batch of steps, and the end of a run, into one.
struct RunWrite {
  std::vector<RecordedStep> steps;  // as RecordSteps
  // Variables of the run (flow_run_id is filled in; step_run_id, when set, names a stored step).
  std::vector<VariableSnapshotRecord> variables;
  // Events after the steps' own, numbered after them (seq is given by the store; created_at 0:
  // now).
  std::vector<RunEventRecord> events;
  // The run's end, last: as FinishRun.
  struct End {
    RunStatus status = RunStatus::kCompleted;
    Value result_summary = Value::object();
    std::int64_t at = 0;
  };
  std::optional<End> end;

  bool empty() const { return steps.empty() && variables.empty() && events.empty() && !end; }
};

struct RunFilter {
  std::optional<RunStatus> status;
  std::string node_id;   // "" = any
  std::string batch_id;  // "" = any
  std::optional<std::int64_t> queued_before;  // queued strictly before (unix ms)
  std::optional<std::int64_t> queued_after;   // queued strictly after (unix ms)
  std::size_t limit = 50;
  std::size_t offset = 0;
};

class RunStore {
 public:
  virtual ~RunStore() = default;

  // A run created with a status past kQueued started when it was queued (started_at =
  // queued_at); one created ended also finished then.
  virtual core::Result<RunRecord> CreateRun(const NewRun& run) = 0;
  // Sets the status; started_at when it becomes running (first time), finished_at when it ends
  // (completed, failed, cancelled). kNotFound for an unknown run.
  virtual core::Result<void> SetRunStatus(const std::string& run_id, RunStatus status,
                                          std::int64_t at) = 0;
  virtual core::Result<void> FinishRun(const std::string& run_id, RunStatus status,
                                       const Value& result_summary, std::int64_t at) = 0;
  virtual core::Result<void> SaveCheckpoint(const std::string& run_id, const Value& checkpoint) = 0;

  // Stores a step with its logs, variables and event in one transaction; returns the step run
  // with its id and the event's seq (0 when there was none).
  struct Recorded {
    std::string step_run_id;
    std::int64_t event_seq = 0;
  };
  core::Result<Recorded> RecordStep(const std::string& run_id, RecordedStep step) {
    std::vector<RecordedStep> one;
    one.push_back(std::move(step));
    core::Result<std::vector<Recorded>> recorded = RecordSteps(run_id, std::move(one));
    if (!recorded) return std::move(recorded).error();
    return std::move(recorded->front());
  }
  // Several steps of one run, in order, in one transaction: all are stored or none.
  core::Result<std::vector<Recorded>> RecordSteps(const std::string& run_id,
                                                  std::vector<RecordedStep> steps) {
    return Record(run_id, RunWrite{.steps = std::move(steps)});
  }
  // Everything in `write`, in one transaction: all is stored or nothing (a step, variable or
  // event that cannot be stored, an end that is not final, an unknown run). Returns the steps as
  // RecordSteps does.
  virtual core::Result<std::vector<Recorded>> Record(const std::string& run_id,
                                                     RunWrite write) = 0;
  // Appends an event (seq = the run's last + 1) and returns it.
  virtual core::Result<RunEventRecord> AppendEvent(const std::string& run_id, std::string type,
                                                   Value payload, std::int64_t at) = 0;
  virtual core::Result<void> AddVariables(const std::string& run_id,
                                          std::vector<VariableSnapshotRecord> variables) = 0;

  // With node_id and suite_name filled in.
  virtual core::Result<std::optional<RunRecord>> FindRun(const std::string& run_id) = 0;
  // Newest first (queued_at, then id).
  virtual core::Result<std::vector<RunRecord>> ListRuns(const RunFilter& filter) = 0;
  // In seq order.
  virtual core::Result<std::vector<StepRunRecord>> ListSteps(const std::string& run_id) = 0;
  virtual core::Result<std::vector<StepLogRecord>> ListLogs(const std::string& run_id) = 0;
  virtual core::Result<std::vector<VariableSnapshotRecord>> ListVariables(
      const std::string& run_id) = 0;
  // Events with seq > after_seq, in order, at most `limit`. A step's event (step_seq set) comes
  // with an empty payload and `step`, its step as stored: service::ListRunEvents fills the
  // payloads in. With EventSteps::kWithout, `step` stays empty: for a reader of the run's own
  // events (run_started, run_completed, ...), which need not read every step again.
  enum class EventSteps { kWith, kWithout };
  core::Result<std::vector<RunEventRecord>> ListEvents(const std::string& run_id,
                                                       std::int64_t after_seq, std::size_t limit) {
    return ListEvents(run_id, after_seq, limit, EventSteps::kWith);
  }
  virtual core::Result<std::vector<RunEventRecord>> ListEvents(const std::string& run_id,
                                                               std::int64_t after_seq,
                                                               std::size_t limit,
                                                               EventSteps steps) = 0;
  // Deletes the runs queued before `before` (that have ended) with everything they recorded;
  // returns how many runs went.
  virtual core::Result<std::size_t> PurgeRuns(std::int64_t before) = 0;
};

}  // namespace flow::service
