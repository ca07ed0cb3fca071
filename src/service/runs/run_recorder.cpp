#include "service/runs/run_recorder.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "core/parse/document.hpp"
#include "core/report/live_events.hpp"
#include "core/run/outcome_json.hpp"
#include "service/suites/suite_versions.hpp"

namespace flow::service {
namespace {

std::optional<std::int64_t> Time(std::int64_t unix_ms) {
  if (unix_ms == 0) return std::nullopt;
  return unix_ms;
}

// success, or warning when the step passed with warnings; failed when an assertion failed;
// aborted when the step could not complete (a request error, a timeout, a script or template
// error); skipped.
StepRunStatus StatusOf(const core::StepOutcome& step) {
  switch (step.status) {
    case core::StepStatus::kSuccess:
      return step.warnings.empty() ? StepRunStatus::kSuccess : StepRunStatus::kWarning;
    case core::StepStatus::kSkipped: return StepRunStatus::kSkipped;
    case core::StepStatus::kError: return StepRunStatus::kAborted;
    case core::StepStatus::kFailure: break;
  }
  return StepRunStatus::kFailed;
}

RunStatus StatusOf(core::SuiteStatus status) {
  switch (status) {
    case core::SuiteStatus::kSuccess: return RunStatus::kCompleted;
    case core::SuiteStatus::kSkipped: return RunStatus::kCancelled;  // not run
    case core::SuiteStatus::kFailure: break;
  }
  return RunStatus::kFailed;
}

LogLevel LevelOf(const std::string& level) {
  if (level == "warning") return LogLevel::kWarn;
  return Parse<LogLevel>(level).value_or(LogLevel::kInfo);
}

}  // namespace

Value StoredStepOutcome(const StepRunRecord& step) {
  Value out = step.outcome.is_object() ? step.outcome : Value::object();
  const auto put_back = [&](const char* key, const Value& column) {
    if (!out.contains(key) && !column.is_null()) out[key] = column;
  };
  put_back("request", step.request_snapshot);
  put_back("response", step.response_snapshot);
  put_back("assertions", step.assertions);
  put_back("captured", step.captures);
  put_back("error", step.error_details);
  return out;
}

Value StepEventPayload(const StepRunRecord& step) {
  core::Result<core::StepOutcome> outcome = core::StepOutcomeFromJson(StoredStepOutcome(step));
  if (outcome) return core::StepCompletedFields(*outcome);
  return {{"step_name", step.step_name},
          {"status", std::string(Name(step.status))},
          {"duration_ms", step.duration_ms}};
}

core::Result<std::vector<RunEventRecord>> ListRunEvents(RunStore& store, const std::string& run_id,
                                                        std::int64_t after_seq, std::size_t limit) {
  core::Result<std::vector<RunEventRecord>> events = store.ListEvents(run_id, after_seq, limit);
  if (!events) return events;
  for (RunEventRecord& e : *events) {
    if (!e.step) continue;
    e.payload = StepEventPayload(*e.step);
    e.step.reset();
  }
  return events;
}

namespace {

// One step outcome as its rows. Takes the step by value: its request and response move into
// their columns rather than being copied.
RecordedStep RecordOf(core::StepOutcome step, std::int64_t seq) {
  RecordedStep out;
  const std::int64_t at = step.completed_at_ms;
  out.event = StepEvent{.type = core::kStepCompletedEvent, .created_at = at};
  StepRunRecord& r = out.step;
  if (step.request) r.request_snapshot = std::move(*step.request);
  if (step.response) r.response_snapshot = std::move(*step.response);
  step.request.reset();
  step.response.reset();
  // The columns as text, straight from the outcome (StepOutcomeColumnsJson: the same text as the
  // outcome's JSON value would give, without making it). Stored once: what has a column of its
  // own is left out of `outcome` (StoredStepOutcome puts it back), which halves what a step writes.
  core::StepOutcomeColumns columns = core::StepOutcomeColumnsJson(step);
  out.json = StepJsonColumns{.assertions = std::move(columns.assertions),
                             .captures = std::move(columns.captured),
                             .error_details = std::move(columns.error),
                             .outcome = std::move(columns.rest)};
  r.seq = seq;
  r.step_index = static_cast<int>(step.step_index);
  r.step_name = step.step_name;
  r.status = StatusOf(step);
  r.started_at = Time(step.started_at_ms);
  r.finished_at = Time(step.completed_at_ms);
  r.duration_ms = step.duration_ms;
  r.attempt = step.attempts.empty() ? 1 : static_cast<int>(step.attempts.size());
  r.depth = static_cast<int>(step.depth);
  if (step.iteration) r.iteration = static_cast<int>(*step.iteration);
  r.parent_step_id = step.parent_qualified_id;

  for (const core::LogEntry& log : step.logs) {
    out.logs.push_back(StepLogRecord{.log_level = LevelOf(log.level),
                                     .message = log.message,
                                     .payload = log.data,
                                     .timestamp = at});
  }
  for (const std::string& warning : step.warnings) {
    out.logs.push_back(StepLogRecord{.log_level = LogLevel::kWarn, .message = warning,
                                     .timestamp = at});
  }
  // An input step's answers arrive as its captures; its input_results name them.
  std::set<std::string> inputs;
  if (const auto results = step.details.find("input_results");
      results != step.details.end() && results->is_array()) {
    for (const Value& result : *results) {
      if (result.is_object()) inputs.insert(result.value("variable", std::string()));
    }
  }
  if (step.captured.is_object()) {
    for (auto it = step.captured.begin(); it != step.captured.end(); ++it) {
      const VariableSource source =
          inputs.count(it.key()) ? VariableSource::kInput : VariableSource::kCapture;
      out.variables.push_back(VariableSnapshotRecord{.scope = VariableScope::kStep,
                                                     .key = it.key(),
                                                     .value = std::move(it.value()),
                                                     .source = source,
                                                     .created_at = at});
    }
  }
  return out;
}

void AddEach(std::vector<VariableSnapshotRecord>& to, const Value& values, VariableScope scope,
             VariableSource source, std::int64_t at) {
  if (!values.is_object()) return;
  for (auto it = values.begin(); it != values.end(); ++it) {
    to.push_back(VariableSnapshotRecord{
        .scope = scope, .key = it.key(), .value = it.value(), .source = source, .created_at = at});
  }
}

}  // namespace

RunRecorder::RunRecorder(Database& database, core::Clock& clock, RunRecorderOptions options)
    : db_(database), clock_(clock), options_(std::move(options)) {
  writer_ = std::thread([this] { WriteLoop(); });
}

RunRecorder::~RunRecorder() {
  Flush();  // on this thread: the writer may be short of CPU time
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
  }
  work_.notify_one();
  writer_.join();
}

void RunRecorder::Interrupt(std::string reason) {
  Enqueue([this, reason = std::move(reason)] { RecordInterrupted(reason); });
}

void RunRecorder::RecordInterrupted(const std::string& reason) {
  WritePending();  // the steps before it first
  if (stopped_) return;
  const std::int64_t at = clock_.NowUnixMs();
  for (const auto& [node_id, active] : active_) {
    RunWrite write;
    write.events.push_back(RunEventRecord{.type = kRunInterruptedEvent,
                                          .payload = {{"node_id", node_id}, {"reason", reason}},
                                          .created_at = at});
    write.end = RunWrite::End{.status = RunStatus::kCancelled,
                              .result_summary = {{kSummaryInterrupted, reason}},
                              .at = at};
    if (!Check(db_.runs().Record(active.run_id, std::move(write)))) return;
  }
  active_.clear();
  stopped_ = true;  // the process ends: what comes after is not recorded
}

void RunRecorder::Enqueue(std::function<void()> task, bool urgent) {
  std::size_t queued = 0;
  bool wake = false;
  {
    std::lock_guard lock(queue_mutex_);
    tasks_.push_back(std::move(task));
    urgent_ = urgent_ || urgent;
    queued = tasks_.size();
    // A step waits for its batch: the writer wakes for the first of the queue (to start the
    // batch's clock), for a full batch, and for anything else.
    wake = urgent || queued == 1 || queued >= kBatchSteps;
  }
  if (wake) work_.notify_one();
  if (queued < kHelpAbove) return;
  // The writer is behind (a busy machine): this thread writes the backlog, unless the writer is
  // in the middle of a task, which it is not made to wait for until the queue is kMaxQueued long.
  std::unique_lock record(record_mutex_, std::defer_lock);
  if (queued >= kMaxQueued) {
    record.lock();
  } else if (!record.try_lock()) {
    return;
  }
  while (RunNextLocked()) {
  }
}

bool RunRecorder::RunNext() {
  std::lock_guard record(record_mutex_);
  return RunNextLocked();
}

bool RunRecorder::RunNextLocked() {
  std::function<void()> task;
  {
    std::lock_guard lock(queue_mutex_);
    if (tasks_.empty()) return false;
    task = std::move(tasks_.front());
    tasks_.pop_front();
    busy_ = true;
  }
  task();
  task = nullptr;  // what it holds is freed before Flush() returns
  std::lock_guard lock(queue_mutex_);
  busy_ = false;
  pending_waiting_ = !pending_.empty();
  NotifyIfIdle();
  return true;
}

void RunRecorder::WriteBatchNow() {
  std::lock_guard record(record_mutex_);
  WritePending();
  std::lock_guard lock(queue_mutex_);
  pending_waiting_ = !pending_.empty();
  NotifyIfIdle();
}

void RunRecorder::NotifyIfIdle() {
  if (tasks_.empty() && !busy_ && !pending_waiting_) idle_.notify_all();
}

void RunRecorder::WriteLoop() {
  if (options_.on_writer_start) options_.on_writer_start();
  bool overdue = false;  // the batch waiting has waited kBatchDelay: write it
  for (;;) {
    bool write_batch = false;
    {
      std::unique_lock lock(queue_mutex_);
      const auto ready = [&] {
        return closing_ || overdue || urgent_ || tasks_.size() >= kBatchSteps;
      };
      if (tasks_.empty() && !pending_waiting_) {
        work_.wait(lock, [&] { return ready() || !tasks_.empty(); });
        if (!ready()) continue;  // a batch starts: wait for it below
      } else if (!work_.wait_for(lock, kBatchDelay, ready)) {
        overdue = true;  // waited long enough: write what there is
      }
      urgent_ = false;
      if (tasks_.empty()) {
        if (!pending_waiting_) {
          overdue = false;
          if (closing_) return;  // everything written
          continue;
        }
        write_batch = overdue || closing_;
        if (!write_batch) continue;
      }
    }
    if (flushing_.load() > 0) {
      // Another thread writes everything now: keep out of its way for a moment.
      std::unique_lock lock(queue_mutex_);
      work_.wait_for(lock, kBatchDelay, [&] { return closing_; });
      continue;
    }
    if (write_batch) {
      WriteBatchNow();
      overdue = false;
    } else {
      while (flushing_.load() == 0 && RunNext()) {
      }
    }
    // Between batches, on the writer: the database's upkeep (SQLite's checkpoint), rather than in
    // a commit at the end of the run.
    (void)db_.Housekeep();
  }
}

void RunRecorder::Flush() {
  // What is queued is written on this thread (a writer starved of CPU would hold it up), then it
  // waits for a task the writer may be in the middle of, or for events still arriving. The writer
  // takes no new task meanwhile.
  flushing_.fetch_add(1);
  struct Done {
    std::atomic<int>& flushing;
    ~Done() { flushing.fetch_sub(1); }
  } done{flushing_};
  for (;;) {
    while (RunNext()) {
    }
    WriteBatchNow();
    std::unique_lock lock(queue_mutex_);
    if (idle_.wait_for(lock, std::chrono::milliseconds(10),
                       [&] { return tasks_.empty() && !busy_ && !pending_waiting_; })) {
      return;
    }
  }
}

bool RunRecorder::WritePending() {
  if (pending_.empty()) return true;
  RunWrite write = std::exchange(pending_, RunWrite{});
  if (stopped_) return false;
  return Check(db_.runs().Record(pending_run_, std::move(write)));
}

bool RunRecorder::PendFor(const std::string& run_id) {
  if (!pending_.empty() && pending_run_ != run_id && !WritePending()) return false;
  pending_run_ = run_id;
  return true;
}

void RunRecorder::WriteUnlessMoreQueued() {
  bool more = false;
  {
    std::lock_guard lock(queue_mutex_);
    more = !tasks_.empty();
  }
  if (!more) WritePending();
}

bool RunRecorder::stopped() {
  Flush();
  std::lock_guard lock(record_mutex_);  // orders this read after the last task
  return stopped_;
}

std::vector<std::string> RunRecorder::run_ids() {
  Flush();
  std::lock_guard lock(record_mutex_);
  return runs_;
}

void RunRecorder::OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) {
  Enqueue([this, started_at_ms, suite_count] { RecordRunStarted(started_at_ms, suite_count); });
}

// The events arrive as const references: a lambda that named them in its captures ([step]) would
// hold a const copy, copied again into the std::function and once more on the writer (a const
// member cannot be moved). `x = x` declares a capture of the plain type: copied once, then moved.

void RunRecorder::OnSuiteStarted(const std::string& node_id, const std::string& suite_name) {
  // The run is queued and started now, though the writer may get to it later (after its end).
  Enqueue([this, node_id = node_id, suite_name = suite_name, at = clock_.NowUnixMs()] {
    RecordSuiteStarted(node_id, suite_name, at);
  });
}

void RunRecorder::OnStepFinished(const core::StepOutcome& step) {
  Enqueue([this, step = step]() mutable { RecordStepFinished(std::move(step)); },
          /*urgent=*/false);
}

void RunRecorder::OnStepFinishedOwned(core::StepOutcome&& step) {
  Enqueue([this, step = std::move(step)]() mutable { RecordStepFinished(std::move(step)); },
          /*urgent=*/false);
}

void RunRecorder::OnSuiteFinished(const core::SuiteOutcome& suite) {
  Enqueue([this, suite = suite] { RecordSuiteFinished(suite); });
}

void RunRecorder::OnRunFinished(const core::RunOutcome& run) {
  Enqueue([this, run = run] { RecordRunFinished(run); });
}

void RunRecorder::AddUnloadedSuite(const std::string& file, const std::string& text,
                                   const std::vector<core::Error>& errors) {
  Enqueue([this, file = file, text = text, errors = errors] {
    RecordUnloadedSuite(file, text, errors);
  });
}

bool RunRecorder::Check(const core::Result<void>& result) {
  if (result) return true;
  stopped_ = true;
  if (options_.on_error) options_.on_error(result.error());
  return false;
}

const core::Suite* RunRecorder::FindSuite(const std::string& node_id) const {
  for (const core::Suite* s : options_.suites) {
    if (s->node_id == node_id) return s;
  }
  return nullptr;
}

RunRecorder::Active* RunRecorder::FindActive(const std::string& node_id) {
  const auto it = active_.find(node_id);
  return it == active_.end() ? nullptr : &it->second;
}

void RunRecorder::AddFilePath(Value& summary, const std::string& file) const {
  if (!options_.absolute_path) return;
  std::string path = options_.absolute_path(file);
  if (path != file) summary[kSummaryFilePath] = std::move(path);
}

Value RunRecorder::Payload() {
  Value payload = {{kPayloadProjectName, options_.project_name},
                   {kPayloadHostname, options_.hostname},
                   {kPayloadPosition, position_++}};
  if (options_.pid > 0) {
    payload[kPayloadPid] = options_.pid;
    payload[kPayloadPidNamespace] = options_.pid_namespace;
  }
  return payload;
}

bool RunRecorder::StartRun(const std::string& version_id, Priority priority, std::int64_t at,
                           std::string& run_id) {
  core::Result<RunRecord> run = db_.runs().CreateRun(NewRun{.version_id = version_id,
                                                            .batch_id = options_.batch_id,
                                                            .trigger_source = options_.trigger_source,
                                                            .priority = priority,
                                                            .requested_by = options_.requested_by,
                                                            .status = RunStatus::kRunning,
                                                            .input_payload = Payload(),
                                                            .queued_at = at});
  if (!Check(run)) return false;
  run_id = run->id;
  runs_.push_back(run_id);
  if (!PendFor(run_id)) return false;
  pending_.events.push_back(RunEventRecord{
      .type = core::kRunStartedEvent,
      .payload = core::RunStartedFields(started_at_ms_, suite_count_, options_.project_name),
      .created_at = started_at_ms_ != 0 ? started_at_ms_ : at});
  return true;
}

void RunRecorder::RecordRunStarted(std::int64_t started_at_ms, std::size_t suite_count) {
  WritePending();  // the steps before it first
  started_at_ms_ = started_at_ms;
  suite_count_ = suite_count;
}

void RunRecorder::RecordSuiteStarted(const std::string& node_id, const std::string& suite_name,
                                     std::int64_t at) {
  WritePending();  // the steps before it first
  if (stopped_) return;
  const core::Suite* suite = FindSuite(node_id);
  if (!suite) {
    Check(core::Internal("the history recorder was given no suite '" + node_id + "'"));
    return;
  }
  core::Result<SavedVersion> saved = SaveSuiteVersion(db_.suites(), *suite, options_.requested_by);
  if (!Check(saved)) return;
  Active active{.suite = suite};
  if (!StartRun(saved->version.id, StoredPriority(*suite), at, active.run_id)) return;
  pending_.events.push_back(RunEventRecord{.type = core::kSuiteStartedEvent,
                                           .payload = core::SuiteStartedFields(node_id, suite_name),
                                           .created_at = at});
  active_[node_id] = std::move(active);
  WriteUnlessMoreQueued();
}

void RunRecorder::RecordStepFinished(core::StepOutcome step) {
  if (stopped_) return;
  const std::string node_id = step.run_node_id.empty() ? step.node_id : step.run_node_id;
  Active* active = FindActive(node_id);
  if (!active) {
    Check(core::Internal("a step of suite '" + node_id + "' came before the suite started"));
    return;
  }
  // A step's event follows those waiting: they are written first.
  const bool others_first = !pending_.events.empty() || !pending_.variables.empty() || pending_.end;
  if (others_first && !WritePending()) return;
  if (!PendFor(active->run_id)) return;
  pending_.steps.push_back(RecordOf(std::move(step), active->next_seq++));
  if (pending_.steps.size() >= kBatchSteps) WritePending();
}

void RunRecorder::RecordSuiteFinished(const core::SuiteOutcome& suite) {
  if (stopped_) return;
  Active* active = FindActive(suite.node_id);
  if (!active) {
    WritePending();
    Check(core::Internal("suite '" + suite.node_id + "' finished before it started"));
    return;
  }
  const std::string run_id = active->run_id;
  const core::Suite* spec = active->suite;
  active_.erase(suite.node_id);
  const std::int64_t at = suite.completed_at_ms != 0 ? suite.completed_at_ms : clock_.NowUnixMs();

  // With the run's last steps: one transaction (and with the run's end when it is queued).
  if (!PendFor(run_id)) return;
  AddEach(pending_.variables, suite.variables, VariableScope::kSuite, VariableSource::kVariable,
          at);
  AddEach(pending_.variables, suite.exported, VariableScope::kSuite, VariableSource::kExport, at);
  pending_.events.push_back(RunEventRecord{
      .type = core::kSuiteCompletedEvent, .payload = core::SuiteCompletedFields(suite),
      .created_at = at});
  Value summary = core::SuiteOutcomeToJson(suite);
  AddFilePath(summary, suite.file);
  // The reports show the suite text masked as it is now (a credential written in the suite is
  // known once its step ran); an export must show the same, without storing the secret.
  if (options_.secrets && spec) {
    const std::string masked = options_.secrets->Snapshot()->Masked(spec->text);
    if (masked != spec->text) summary[kSummaryMaskedText] = masked;
  }
  pending_.end = RunWrite::End{
      .status = StatusOf(suite.status), .result_summary = std::move(summary), .at = at};
  WriteUnlessMoreQueued();
}

void RunRecorder::RecordRunFinished(const core::RunOutcome& run) {
  if (stopped_) return;
  Value globals = options_.globals.is_object() ? options_.globals : Value::object();
  core::MaskSecretNames(globals);
  if (options_.secrets) options_.secrets->Snapshot()->MaskValue(globals);
  const std::int64_t at = run.completed_at_ms != 0 ? run.completed_at_ms : clock_.NowUnixMs();
  // LiveEvents' fields, and the outcome whole (they round the duration) for exports.
  Value payload = core::RunCompletedFields(run);
  payload[kEventRunOutcome] = core::RunOutcomeToJson(run);
  // Each run's in one transaction; the run whose end waits (the last suite's) with it.
  for (const std::string& run_id : runs_) {
    RunWrite write;
    RunWrite& to = !pending_.empty() && pending_run_ == run_id ? pending_ : write;
    AddEach(to.variables, globals, VariableScope::kGlobal, VariableSource::kVariable, at);
    to.events.push_back(
        RunEventRecord{.type = core::kRunCompletedEvent, .payload = payload, .created_at = at});
    if (&to == &write && !Check(db_.runs().Record(run_id, std::move(write)))) return;
  }
  WritePending();
}

void RunRecorder::RecordUnloadedSuite(const std::string& file, const std::string& text,
                                      const std::vector<core::Error>& errors) {
  WritePending();  // the steps before it first
  if (stopped_) return;
  // Which suite it is: the node_id it declares, unless it cannot be read or a loaded suite has it
  // (a duplicate); else its path.
  NewVersion version{.node_id = file, .name = file, .yaml_raw = text};
  if (core::Result<core::Document> doc = core::ParseDocument(text, file);
      doc && doc->root.is_object()) {
    const Value& root = doc->root;
    version.secret_values = SecretValuesOf(root);  // a suite that did not load keeps them too
    const auto node = root.find("node_id");
    if (node != root.end() && node->is_string() && !node->get<std::string>().empty() &&
        !FindSuite(node->get<std::string>())) {
      version.node_id = node->get<std::string>();
      version.name = version.node_id;
      const auto name = root.find("suite_name");
      if (name != root.end() && name->is_string()) version.name = name->get<std::string>();
    }
  }
  // A known suite keeps what its good versions said about it.
  core::Result<std::optional<SuiteRecord>> known = db_.suites().FindSuite(version.node_id);
  if (!Check(known)) return;
  if (*known) {
    version.name = (*known)->name;
    version.description = (*known)->description;
    version.default_priority = (*known)->default_priority;
    version.tags = (*known)->tags;
  }
  core::Result<SavedVersion> saved = db_.suites().SaveVersion(version);
  if (!Check(saved)) return;
  const std::int64_t now = clock_.NowUnixMs();
  std::string run_id;
  if (!StartRun(saved->version.id, saved->suite.default_priority, now, run_id)) return;

  core::SuiteOutcome outcome;
  outcome.node_id = version.node_id;
  outcome.suite_name = file;
  outcome.file = file;
  outcome.status = core::SuiteStatus::kFailure;
  outcome.started_at_ms = now;
  outcome.completed_at_ms = now;
  if (!errors.empty()) outcome.error = errors.front();
  Value summary = core::SuiteOutcomeToJson(outcome);
  Value list = Value::array();
  for (const core::Error& e : errors) list.push_back(core::ErrorToJson(e));
  summary[kSummaryLoadErrors] = std::move(list);
  AddFilePath(summary, file);
  pending_.end = RunWrite::End{
      .status = RunStatus::kFailed, .result_summary = std::move(summary), .at = now};
  WritePending();  // the run whole, at once
}

}  // namespace flow::service
