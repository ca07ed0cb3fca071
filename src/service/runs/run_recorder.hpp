// RunRecorder: an EventSink that records a run into a Database as it happens (the history of
// `flowtest run`, docs/history.md). For each suite:
//
//   OnSuiteStarted   the suite's version (SaveVersion: found again by yaml_hash when unchanged) and
//                    a flow_run (created running), events run_started and suite_started;
//   OnStepFinished   the step in the run's batch (RecordSteps, below): the step_run (the outcome as
//                    JSON and the split columns), its logs and warnings as step_log rows, its
//                    captures as variable_snapshot rows (scope step, source capture; source input
//                    for the answers of an input step), event step_completed;
//   OnSuiteFinished  the final variables (scope suite, source variable) and exports (scope suite,
//                    source export), event suite_completed, FinishRun: completed, failed, or
//                    cancelled for a suite that was not run (skipped), with result_summary =
//                    SuiteOutcomeToJson;
//   OnRunFinished    to every run recorded: the run's global variables (scope global, source
//                    variable) and event run_completed.
//
// Events have the types and payloads of core::LiveEvents (its *Fields functions; run_completed
// also holds the whole RunOutcome, kEventRunOutcome, as LiveEvents rounds), except
// step_started, which is not stored: it only announces the step_completed that follows, and would
// double the writes per step. run_started and run_completed are stored with the invocation's start
// and end times, so an export of the batch gives the run's report again. Suite files that could not
// be loaded are recorded with AddUnloadedSuite.
//
// Events arrive masked (the runner masks before any sink); what the recorder adds itself (the
// globals, a suite text holding a secret) it masks with the run's secrets.
//
// Recording never stops the run: the first error (a store call that failed) is handed to
// on_error, once, and nothing more is recorded.
//
// The On* calls (and AddUnloadedSuite) only queue their event: a writer thread of the recorder
// records them in order, so the database's writes overlap the run's requests instead of adding to
// them (docs/history.md, bench/README.md). Steps are written in batches, one transaction each
// (RunStore::Record): up to kBatchSteps steps of one run, written when the batch is full, when
// anything else is recorded, when kBatchDelay passed without more work, or on Flush. A run's
// start events, and its end (variables, events, status), go into the same write as the steps
// around them when those are queued: the end of a run is one transaction.
// on_writer_start runs first on the writer thread. When the writer falls kHelpAbove events behind
// (a busy machine), the thread that queues the next event writes the backlog itself (it waits
// for a task the writer is in the middle of only once kMaxQueued events are queued), and Flush()
// writes what is left on the calling thread, the writer taking no new task meanwhile: recording
// never waits on a writer that gets little CPU, and its memory stays bounded.
// Tasks run one at a time and in order, whichever thread runs them. stopped(), run_ids() and
// Flush() wait for everything queued to be written; destroying the recorder writes what is
// queued first.
//
// Thread-safe: it may sit on the Scheduler's ordered sink, whose calls come from the worker
// threads one at a time, while AddUnloadedSuite comes from the main thread. Borrows the database,
// the clock, the suites and the secrets, which must outlive it; on_error is called on whichever
// thread is writing.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/model/suite.hpp"
#include "core/ports/clock.hpp"
#include "core/run/outcome.hpp"
#include "core/secrets/secrets.hpp"
#include "service/ports/database.hpp"

namespace flow::service {

// What a recorded run's input_payload holds (keys of the object).
inline constexpr const char* kPayloadProjectName = "project_name";
inline constexpr const char* kPayloadHostname = "hostname";
inline constexpr const char* kPayloadPosition = "position";  // 0-based order in the invocation
// The recording process and the PID namespace of its id (orphaned_runs.hpp).
inline constexpr const char* kPayloadPid = "pid";
inline constexpr const char* kPayloadPidNamespace = "pid_namespace";
// In result_summary besides the SuiteOutcome: the suite text as the run's reports showed it, when
// masking changed it; and, for a file that could not be loaded, its errors.
inline constexpr const char* kSummaryMaskedText = "masked_suite_text";
inline constexpr const char* kSummaryLoadErrors = "load_errors";
// And the suite's file as the run's reports wrote it (absolute), when it differs from `file`.
inline constexpr const char* kSummaryFilePath = "file_path";
// In the run_completed event besides LiveEvents' fields: the RunOutcome (core/run/outcome_json).
inline constexpr const char* kEventRunOutcome = "outcome";
// A run cut short by Interrupt(): its event, and the one key of its result_summary (the reason).
inline constexpr const char* kRunInterruptedEvent = "run_interrupted";
inline constexpr const char* kSummaryInterrupted = "interrupted";

// A recorded step's whole outcome (core/run/outcome_json), as StepOutcomeFromJson reads it: the
// stored `outcome` holds what the step_run's own columns do not (request, response, assertions,
// captures and error are stored once, in their columns), and this puts them back.
Value StoredStepOutcome(const StepRunRecord& step);

// The payload of a recorded step's own event (step_completed), which is not stored (the step's
// row is it): the live event's fields (core::StepCompletedFields) of the stored outcome. A row
// that no longer reads as an outcome (edited by hand) gives its name, status and duration.
Value StepEventPayload(const StepRunRecord& step);

// RunStore::ListEvents with the payloads of the steps' events made from their steps: the events
// of a run as they were sent live. Use this, not ListEvents, to read events. A step's event whose
// step is gone (its run purged between the two reads of ListEvents) keeps the empty payload.
core::Result<std::vector<RunEventRecord>> ListRunEvents(RunStore& store, const std::string& run_id,
                                                        std::int64_t after_seq, std::size_t limit);

struct RunRecorderOptions {
  std::string batch_id;  // shared by every run of the invocation
  std::string project_name;
  std::string hostname;
  std::int64_t pid = 0;  // the recording process's id; 0: not recorded
  std::string pid_namespace;  // where that id means something (adapters::ProcessNamespace)
  TriggerSource trigger_source = TriggerSource::kCli;
  std::string requested_by;  // a user id, or "" (the CLI)
  Value globals = Value::object();  // the run's global variables, as the suites see them
  std::vector<const core::Suite*> suites;  // the suites that may run, found by node_id
  const core::SecretRegistry* secrets = nullptr;
  // How the run's reports write a suite's file (absolute, in the CLI): stored beside the file as
  // given (result_summary.file_path), so an export shows what the run's report showed.
  std::string (*absolute_path)(const std::string&) = nullptr;
  // The first recording error, once (from whichever thread hit it).
  std::function<void(const core::Error&)> on_error;
  // Called first on the writer thread (tests hold the writer there).
  std::function<void()> on_writer_start;
};

class RunRecorder final : public core::EventSink {
 public:
  RunRecorder(Database& database, core::Clock& clock, RunRecorderOptions options);
  ~RunRecorder() override;

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnSuiteStarted(const std::string& node_id, const std::string& suite_name) override;
  void OnStepFinished(const core::StepOutcome& step) override;
  void OnStepFinishedOwned(core::StepOutcome&& step) override;  // queued without a copy
  void OnSuiteFinished(const core::SuiteOutcome& suite) override;
  void OnRunFinished(const core::RunOutcome& run) override;

  // A suite file that could not be loaded (`text` as read; "" when it could not be read): a run
  // that failed at once, its errors in result_summary.load_errors. Its suite is the node_id the
  // file declares, when it parses far enough to tell and no loaded suite has it; else the file's
  // path stands for it. Call after OnRunStarted, before OnRunFinished.
  void AddUnloadedSuite(const std::string& file, const std::string& text,
                        const std::vector<core::Error>& errors);

  // The process is being stopped (SIGINT, SIGTERM): after what is queued so far, every run still
  // open is finished as cancelled, with a run_interrupted event and result_summary
  // {"interrupted": reason}; nothing is recorded after it. Flush() waits for it.
  void Interrupt(std::string reason);

  // Writes everything queued so far (on the calling thread, besides a task the writer is in the
  // middle of), and returns when it is recorded (or recording stopped).
  void Flush();
  // Whether recording stopped on an error (after a Flush).
  bool stopped();
  // The runs recorded so far, in order (after a Flush).
  std::vector<std::string> run_ids();
  const std::string& batch_id() const { return options_.batch_id; }

 private:
  struct Active {
    std::string run_id;
    const core::Suite* suite = nullptr;
    std::int64_t next_seq = 1;
  };

  static constexpr std::size_t kHelpAbove = 256;
  static constexpr std::size_t kMaxQueued = 2048;
  static constexpr std::size_t kBatchSteps = 64;
  static constexpr std::chrono::milliseconds kBatchDelay{50};

  // Queues a task; a step's is not `urgent` (see WriteLoop).
  void Enqueue(std::function<void()> task, bool urgent = true);
  void WriteLoop();
  // Runs the oldest queued task, if any (false when there was none), holding record_mutex_.
  bool RunNext();
  // RunNext, with record_mutex_ already held.
  bool RunNextLocked();
  // Writes the batch of steps waiting, holding record_mutex_.
  void WriteBatchNow();
  // With queue_mutex_ held: wakes Flush() when everything queued is written.
  void NotifyIfIdle();
  // What the On* calls queue, run in order with record_mutex_ held.
  void RecordRunStarted(std::int64_t started_at_ms, std::size_t suite_count);
  void RecordSuiteStarted(const std::string& node_id, const std::string& suite_name,
                          std::int64_t at);
  void RecordStepFinished(core::StepOutcome step);
  void RecordSuiteFinished(const core::SuiteOutcome& suite);
  void RecordRunFinished(const core::RunOutcome& run);
  void RecordUnloadedSuite(const std::string& file, const std::string& text,
                           const std::vector<core::Error>& errors);
  void RecordInterrupted(const std::string& reason);

  // Each returns false (and stops recording) on an error.
  bool Check(const core::Result<void>& result);
  template <typename T>
  bool Check(const core::Result<T>& result) {
    if (result) return true;
    return Check(core::Result<void>(result.error()));
  }
  bool StartRun(const std::string& version_id, Priority priority, std::int64_t at,
                std::string& run_id);
  // Writes what waits in pending_ (record_mutex_ held); false when that failed.
  bool WritePending();
  // Makes pending_ the write of `run_id`, writing first what waits for another run; false when
  // that failed.
  bool PendFor(const std::string& run_id);
  // Writes pending_ now, unless more events are queued: their tasks write it (with what they
  // add, when they are of the same run: the run's end after its last suite's).
  void WriteUnlessMoreQueued();
  const core::Suite* FindSuite(const std::string& node_id) const;
  Active* FindActive(const std::string& node_id);
  Value Payload();
  void AddFilePath(Value& summary, const std::string& file) const;

  Database& db_;
  core::Clock& clock_;
  RunRecorderOptions options_;
  // The queue.
  std::mutex queue_mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  bool busy_ = false;  // a task is running
  bool urgent_ = false;  // a task other than a step is queued
  bool closing_ = false;
  std::atomic<int> flushing_{0};  // threads in Flush(): the writer takes no task meanwhile
  bool pending_waiting_ = false;  // !pending_.empty() after the last task, for the queue's waits

  // The recording state, guarded by record_mutex_ (held while a task runs); readers Flush first.
  std::mutex record_mutex_;
  // What waits to be written of run pending_run_: a batch of steps, a run's end.
  std::string pending_run_;
  RunWrite pending_;

  bool stopped_ = false;
  std::int64_t started_at_ms_ = 0;
  std::size_t suite_count_ = 0;
  std::size_t position_ = 0;
  std::map<std::string, Active> active_;  // by the node_id of the suite being run
  std::vector<std::string> runs_;
  std::thread writer_;  // last: started once everything above is built
};

}  // namespace flow::service
