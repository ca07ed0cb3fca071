#include "adapters/memory/in_memory_database.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "adapters/system/system_ports.hpp"
#include "core/template/builtins.hpp"
#include "core/util/digest.hpp"
#include "core/util/strings.hpp"

namespace flow::adapters {

using core::Result;
using service::ApiTokenRecord;
using service::AuditRecord;
using service::JobRecord;
using service::IsFinal;
using service::JobState;
using service::RetryRequestRecord;
using service::RetryRequestStatus;
using service::RunEventRecord;
using service::RunRecord;
using service::RunStatus;
using service::StepLogRecord;
using service::StepRunRecord;
using service::SuiteRecord;
using service::UserRecord;
using service::VariableSnapshotRecord;
using service::VersionRecord;


struct InMemoryDatabase::State {
  struct RunData {
    RunRecord run;
    std::vector<StepRunRecord> steps;  // by seq
    std::vector<StepLogRecord> logs;   // by id
    std::vector<VariableSnapshotRecord> variables;  // by id
    std::vector<RunEventRecord> events;             // seq = index + 1
  };

  std::mutex mutex;
  core::Clock* clock = nullptr;
  core::Entropy* entropy = nullptr;
  SystemClock own_clock;
  std::unique_ptr<SystemEntropy> own_entropy;

  std::map<std::string, SuiteRecord> suites;        // by id
  std::map<std::string, std::string> suite_ids;     // node_id -> id
  std::map<std::string, VersionRecord> versions;    // by id
  std::map<std::string, std::vector<std::string>> suite_versions;  // suite id -> ids, oldest first
  std::map<std::string, RunData> runs;              // by id
  std::set<std::string> step_ids;
  std::int64_t next_log_id = 1;
  std::int64_t next_variable_id = 1;
  std::map<std::string, RetryRequestRecord> retries;
  std::vector<std::string> retry_order;  // ids in creation order
  std::map<std::string, JobRecord> jobs;
  std::vector<std::string> job_order;
  std::map<std::string, UserRecord> users;
  std::vector<ApiTokenRecord> tokens;  // in creation order
  std::vector<AuditRecord> audit;      // by id
  std::int64_t next_audit_id = 1;

  std::string NewId() { return core::MakeUuidV4(*entropy); }
  std::int64_t Now() { return clock->NowUnixMs(); }

  RunData* FindRun(const std::string& id) {
    const auto it = runs.find(id);
    return it == runs.end() ? nullptr : &it->second;
  }
  // The run with its suite's node_id and name.
  RunRecord Joined(const RunRecord& run) const {
    RunRecord out = run;
    if (const auto v = versions.find(run.version_id); v != versions.end()) {
      if (const auto s = suites.find(v->second.suite_id); s != suites.end()) {
        out.node_id = s->second.node_id;
        out.suite_name = s->second.name;
      }
    }
    return out;
  }
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Suites final : public service::SuiteStore {
 public:
  explicit Suites(State& s) : s_(s) {}

  Result<service::SavedVersion> SaveVersion(service::NewVersion v) override {
    if (core::Trim(v.node_id).empty()) {
      return core::InvalidArgument("a suite version needs the suite's node_id");
    }
    std::lock_guard lock(s_.mutex);
    const std::int64_t now = s_.Now();
    std::string suite_id;
    if (const auto found = s_.suite_ids.find(v.node_id); found != s_.suite_ids.end()) {
      suite_id = found->second;
    } else {
      suite_id = s_.NewId();
      s_.suites[suite_id] = SuiteRecord{.id = suite_id, .node_id = v.node_id, .created_at = now};
      s_.suite_ids[v.node_id] = suite_id;
    }
    SuiteRecord& suite = s_.suites[suite_id];
    suite.name = v.name;
    suite.description = v.description;
    suite.default_priority = v.default_priority;
    suite.tags = v.tags;
    suite.updated_at = now;

    const std::string hash = core::Sha256Hex(v.yaml_raw);
    std::vector<std::string>& ids = s_.suite_versions[suite_id];
    for (const std::string& id : ids) {
      VersionRecord existing = s_.versions[id];
      if (existing.yaml_hash == hash) {
        existing.yaml_raw = std::move(v.yaml_raw);  // as the SQL stores: what is given
        existing.effective_variables = std::move(v.effective_variables);
        existing.compiled_config = std::move(v.compiled_config);
        return service::SavedVersion{.suite = suite, .version = existing, .created = false};
      }
    }
    if (v.derive) std::exchange(v.derive, nullptr)(v);
    // Kept as a database without a secret key keeps it: secret values masked.
    VersionRecord version{.id = s_.NewId(),
                          .suite_id = suite_id,
                          .version = ids.empty() ? 1 : s_.versions[ids.back()].version + 1,
                          .yaml_raw = service::MaskedYaml(v),
                          .yaml_hash = hash,
                          .effective_variables = v.effective_variables,
                          .compiled_config = v.compiled_config,
                          .created_by = v.created_by,
                          .created_at = now};
    ids.push_back(version.id);
    s_.versions[version.id] = version;
    version.yaml_raw = std::move(v.yaml_raw);
    return service::SavedVersion{.suite = suite, .version = std::move(version), .created = true};
  }

  Result<std::optional<SuiteRecord>> FindSuite(const std::string& node_id) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.suite_ids.find(node_id);
    if (found == s_.suite_ids.end()) return std::optional<SuiteRecord>();
    return std::optional<SuiteRecord>(s_.suites[found->second]);
  }

  Result<std::vector<SuiteRecord>> ListSuites() override {
    std::lock_guard lock(s_.mutex);
    std::vector<SuiteRecord> out;
    for (const auto& [node_id, id] : s_.suite_ids) out.push_back(s_.suites[id]);  // by node_id
    return out;
  }

  Result<std::vector<VersionRecord>> ListVersions(const std::string& suite_id) override {
    std::lock_guard lock(s_.mutex);
    std::vector<VersionRecord> out;
    const auto found = s_.suite_versions.find(suite_id);
    if (found == s_.suite_versions.end()) return out;
    for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) {
      out.push_back(s_.versions[*it]);
    }
    return out;
  }

  Result<std::optional<VersionRecord>> FindVersion(const std::string& id) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.versions.find(id);
    if (found == s_.versions.end()) return std::optional<VersionRecord>();
    return std::optional<VersionRecord>(found->second);
  }

 private:
  State& s_;
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Runs final : public service::RunStore {
 public:
  explicit Runs(State& s) : s_(s) {}

  Result<RunRecord> CreateRun(const service::NewRun& n) override {
    std::lock_guard lock(s_.mutex);
    if (!s_.versions.count(n.version_id)) {
      return core::NotFound("no suite version '" + n.version_id + "'");
    }
    if (n.retry_of && !s_.runs.count(*n.retry_of)) {
      return core::NotFound("no run '" + *n.retry_of + "' to retry");
    }
    const std::int64_t queued_at = n.queued_at != 0 ? n.queued_at : s_.Now();
    RunRecord run{.id = s_.NewId(),
                  .version_id = n.version_id,
                  .status = n.status,
                  .trigger_source = n.trigger_source,
                  .priority = n.priority,
                  .requested_by = n.requested_by,
                  .queued_at = queued_at,
                  .input_payload = n.input_payload,
                  .retry_of = n.retry_of,
                  .batch_id = n.batch_id};
    // Created already running (or ended): it started (and ended) when it was queued.
    if (n.status != RunStatus::kQueued) run.started_at = queued_at;
    if (IsFinal(n.status)) run.finished_at = queued_at;
    s_.runs[run.id] = State::RunData{.run = run};
    return s_.Joined(run);
  }

  Result<void> SetRunStatus(const std::string& run_id, RunStatus status,
                            std::int64_t at) override {
    std::lock_guard lock(s_.mutex);
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    data->run.status = status;
    if (status == RunStatus::kRunning && !data->run.started_at) data->run.started_at = at;
    if (IsFinal(status)) data->run.finished_at = at;
    return core::Ok();
  }

  Result<void> FinishRun(const std::string& run_id, RunStatus status,
                         const core::Value& result_summary, std::int64_t at) override {
    if (Result<void> ends = service::CheckRunEnd(status); !ends) return ends;
    std::lock_guard lock(s_.mutex);
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    data->run.status = status;
    data->run.result_summary = result_summary;
    data->run.finished_at = at;
    return core::Ok();
  }

  Result<void> SaveCheckpoint(const std::string& run_id, const core::Value& checkpoint) override {
    std::lock_guard lock(s_.mutex);
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    data->run.checkpoint = checkpoint;
    return core::Ok();
  }

  Result<std::vector<Recorded>> Record(const std::string& run_id,
                                       service::RunWrite write) override {
    if (write.end) {
      if (Result<void> ends = service::CheckRunEnd(write.end->status); !ends) {
        return std::move(ends).error();
      }
    }
    std::lock_guard lock(s_.mutex);
    // All or nothing: on an error the run and the id counters are put back as they were.
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    const State::RunData saved_run = *data;
    const auto saved_ids = s_.step_ids;
    const auto saved_log_id = s_.next_log_id;
    const auto saved_variable_id = s_.next_variable_id;
    const auto undo = [&] {
      *data = saved_run;
      s_.step_ids = saved_ids;
      s_.next_log_id = saved_log_id;
      s_.next_variable_id = saved_variable_id;
    };
    std::vector<Recorded> out;
    for (service::RecordedStep& step : write.steps) {
      Result<Recorded> recorded = RecordStepLocked(run_id, std::move(step));
      if (!recorded) {
        undo();
        return std::move(recorded).error();
      }
      out.push_back(std::move(*recorded));
    }
    if (Result<void> added = AddVariablesLocked(*data, run_id, std::move(write.variables));
        !added) {
      undo();
      return std::move(added).error();
    }
    const std::int64_t now = s_.Now();
    for (RunEventRecord& event : write.events) {
      Append(*data, std::move(event.type), std::move(event.payload),
             event.created_at != 0 ? event.created_at : now);
    }
    if (write.end) {
      data->run.status = write.end->status;
      data->run.result_summary = std::move(write.end->result_summary);
      data->run.finished_at = write.end->at != 0 ? write.end->at : now;
    }
    return out;
  }

  // One step of Record, with s_.mutex held.
  Result<Recorded> RecordStepLocked(const std::string& run_id, service::RecordedStep in) {
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    // Everything is checked before anything changes: all or nothing.
    StepRunRecord step = std::move(in.step);
    if (in.json) {  // as the SQL stores read them back
      const auto parse = [](const std::string& text) {
        core::Value value = core::Value::parse(text, nullptr, false);
        return value.is_discarded() ? core::Value() : value;
      };
      step.assertions = parse(in.json->assertions);
      step.captures = parse(in.json->captures);
      step.error_details = parse(in.json->error_details);
      step.outcome = parse(in.json->outcome);
    }
    if (!step.id.empty() && s_.step_ids.count(step.id)) {
      return core::Conflict("step run '" + step.id + "' exists");
    }
    if (step.seq < 0) return core::InvalidArgument("a step run's seq is 1 or more");
    if (step.seq == 0) step.seq = data->steps.empty() ? 1 : data->steps.back().seq + 1;
    const auto at = std::lower_bound(
        data->steps.begin(), data->steps.end(), step.seq,
        [](const StepRunRecord& s, std::int64_t seq) { return s.seq < seq; });
    if (at != data->steps.end() && at->seq == step.seq) {
      return core::Conflict("run '" + run_id + "' already has a step run with seq " +
                            std::to_string(step.seq));
    }
    const std::int64_t now = s_.Now();
    if (step.id.empty()) step.id = s_.NewId();
    step.flow_run_id = run_id;
    for (StepLogRecord& log : in.logs) {
      log.id = s_.next_log_id++;
      log.step_run_id = step.id;
      if (log.timestamp == 0) log.timestamp = now;
      data->logs.push_back(std::move(log));
    }
    for (VariableSnapshotRecord& v : in.variables) {
      v.id = s_.next_variable_id++;
      v.flow_run_id = run_id;
      v.step_run_id = step.id;
      if (v.created_at == 0) v.created_at = now;
      data->variables.push_back(std::move(v));
    }
    Recorded recorded{.step_run_id = step.id};
    if (in.event) {
      // As the SQL stores: no payload of its own, the step is it (filled in by ListEvents).
      recorded.event_seq = Append(*data, std::move(in.event->type), core::Value::object(),
                                  in.event->created_at != 0 ? in.event->created_at : now)
                               .seq;
      data->events.back().step_seq = step.seq;
    }
    s_.step_ids.insert(step.id);
    data->steps.insert(at, std::move(step));
    return recorded;
  }

  Result<RunEventRecord> AppendEvent(const std::string& run_id, std::string type,
                                     core::Value payload, std::int64_t at) override {
    std::lock_guard lock(s_.mutex);
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    return Append(*data, std::move(type), std::move(payload), at != 0 ? at : s_.Now());
  }

  Result<void> AddVariables(const std::string& run_id,
                            std::vector<VariableSnapshotRecord> variables) override {
    std::lock_guard lock(s_.mutex);
    State::RunData* data = s_.FindRun(run_id);
    if (!data) return NotFound(run_id);
    return AddVariablesLocked(*data, run_id, std::move(variables));
  }

  // AddVariables, with s_.mutex held: all or none.
  Result<void> AddVariablesLocked(State::RunData& data, const std::string& run_id,
                                  std::vector<VariableSnapshotRecord> variables) {
    for (const VariableSnapshotRecord& v : variables) {
      if (v.step_run_id && !HasStep(data, *v.step_run_id)) {
        return core::NotFound("run '" + run_id + "' has no step run '" + *v.step_run_id + "'");
      }
    }
    const std::int64_t now = s_.Now();
    for (VariableSnapshotRecord& v : variables) {
      v.id = s_.next_variable_id++;
      v.flow_run_id = run_id;
      if (v.created_at == 0) v.created_at = now;
      data.variables.push_back(std::move(v));
    }
    return core::Ok();
  }

  Result<std::optional<RunRecord>> FindRun(const std::string& run_id) override {
    std::lock_guard lock(s_.mutex);
    const State::RunData* data = s_.FindRun(run_id);
    if (!data) return std::optional<RunRecord>();
    return std::optional<RunRecord>(s_.Joined(data->run));
  }

  Result<std::vector<RunRecord>> ListRuns(const service::RunFilter& f) override {
    std::lock_guard lock(s_.mutex);
    std::vector<RunRecord> matching;
    for (const auto& [id, data] : s_.runs) {
      RunRecord run = s_.Joined(data.run);
      if (f.status && run.status != *f.status) continue;
      if (!f.node_id.empty() && run.node_id != f.node_id) continue;
      if (!f.batch_id.empty() && run.batch_id != f.batch_id) continue;
      if (f.queued_before && !(run.queued_at < *f.queued_before)) continue;
      if (f.queued_after && !(run.queued_at > *f.queued_after)) continue;
      matching.push_back(std::move(run));
    }
    std::sort(matching.begin(), matching.end(), [](const RunRecord& a, const RunRecord& b) {
      return std::tie(a.queued_at, a.id) > std::tie(b.queued_at, b.id);
    });
    std::vector<RunRecord> out;
    for (std::size_t i = f.offset; i < matching.size() && out.size() < f.limit; ++i) {
      out.push_back(std::move(matching[i]));
    }
    return out;
  }

  Result<std::vector<StepRunRecord>> ListSteps(const std::string& run_id) override {
    std::lock_guard lock(s_.mutex);
    const State::RunData* data = s_.FindRun(run_id);
    if (!data) return std::vector<StepRunRecord>();
    return data->steps;
  }

  Result<std::vector<StepLogRecord>> ListLogs(const std::string& run_id) override {
    std::lock_guard lock(s_.mutex);
    const State::RunData* data = s_.FindRun(run_id);
    if (!data) return std::vector<StepLogRecord>();
    return data->logs;
  }

  Result<std::vector<VariableSnapshotRecord>> ListVariables(const std::string& run_id) override {
    std::lock_guard lock(s_.mutex);
    const State::RunData* data = s_.FindRun(run_id);
    if (!data) return std::vector<VariableSnapshotRecord>();
    return data->variables;
  }

  using RunStore::ListEvents;
  Result<std::vector<RunEventRecord>> ListEvents(const std::string& run_id, std::int64_t after_seq,
                                                 std::size_t limit, EventSteps with) override {
    std::lock_guard lock(s_.mutex);
    std::vector<RunEventRecord> out;
    const State::RunData* data = s_.FindRun(run_id);
    if (!data) return out;
    for (const RunEventRecord& e : data->events) {
      if (out.size() >= limit) break;
      if (e.seq <= after_seq) continue;
      out.push_back(e);
      if (!e.step_seq || with == EventSteps::kWithout) continue;
      const auto at = std::lower_bound(
          data->steps.begin(), data->steps.end(), *e.step_seq,
          [](const StepRunRecord& s, std::int64_t seq) { return s.seq < seq; });
      if (at != data->steps.end() && at->seq == *e.step_seq) out.back().step = *at;
    }
    return out;
  }

  Result<std::size_t> PurgeRuns(std::int64_t before) override {
    std::lock_guard lock(s_.mutex);
    std::set<std::string> gone;
    for (const auto& [id, data] : s_.runs) {
      if (data.run.queued_at < before && IsFinal(data.run.status)) gone.insert(id);
    }
    for (const std::string& id : gone) {
      for (const StepRunRecord& step : s_.runs[id].steps) s_.step_ids.erase(step.id);
      s_.runs.erase(id);
    }
    // What refers to a purged run goes with it; a later retry of it only loses the link.
    std::erase_if(s_.retry_order, [&](const std::string& rid) {
      if (!gone.count(s_.retries[rid].flow_run_id)) return false;
      s_.retries.erase(rid);
      return true;
    });
    std::erase_if(s_.job_order, [&](const std::string& jid) {
      if (!gone.count(s_.jobs[jid].flow_run_id)) return false;
      s_.jobs.erase(jid);
      return true;
    });
    for (auto& [id, data] : s_.runs) {
      if (data.run.retry_of && gone.count(*data.run.retry_of)) data.run.retry_of.reset();
    }
    return gone.size();
  }

 private:
  static core::Error NotFound(const std::string& run_id) {
    return core::NotFound("no run '" + run_id + "'");
  }
  static bool HasStep(const State::RunData& data, const std::string& step_id) {
    return std::any_of(data.steps.begin(), data.steps.end(),
                       [&](const StepRunRecord& s) { return s.id == step_id; });
  }
  static RunEventRecord Append(State::RunData& data, std::string type, core::Value payload,
                               std::int64_t at) {
    RunEventRecord e{.flow_run_id = data.run.id,
                     .seq = static_cast<std::int64_t>(data.events.size()) + 1,
                     .type = std::move(type),
                     .payload = std::move(payload),
                     .created_at = at};
    data.events.push_back(e);
    return e;
  }

  State& s_;
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Retries final : public service::RetryStore {
 public:
  explicit Retries(State& s) : s_(s) {}

  Result<RetryRequestRecord> CreateRetryRequest(RetryRequestRecord r) override {
    if (r.status != RetryRequestStatus::kPending) {
      return core::InvalidArgument("a retry request starts pending, not " +
                                   std::string(service::Name(r.status)));
    }
    std::lock_guard lock(s_.mutex);
    const State::RunData* run = s_.FindRun(r.flow_run_id);
    if (!run) return core::NotFound("no run '" + r.flow_run_id + "'");
    const auto has_step = [&](const State::RunData& data) {
      return std::any_of(data.steps.begin(), data.steps.end(),
                         [&](const StepRunRecord& s) { return s.id == *r.step_run_id; });
    };
    if (r.step_run_id && !has_step(*run)) {
      const bool elsewhere = std::any_of(s_.runs.begin(), s_.runs.end(),
                                         [&](const auto& entry) { return has_step(entry.second); });
      if (!elsewhere) return core::NotFound("no step run '" + *r.step_run_id + "'");
      return core::InvalidArgument("step run '" + *r.step_run_id + "' is not part of run '" +
                                   r.flow_run_id + "'");
    }
    if (r.id.empty()) r.id = s_.NewId();
    if (s_.retries.count(r.id)) return core::Conflict("retry request '" + r.id + "' exists");
    if (r.created_at == 0) r.created_at = s_.Now();
    s_.retries[r.id] = r;
    s_.retry_order.push_back(r.id);
    return r;
  }

  Result<RetryRequestRecord> ResolveRetryRequest(const std::string& id, RetryRequestStatus to,
                                                 std::string notes, std::int64_t at) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.retries.find(id);
    if (found == s_.retries.end()) return core::NotFound("no retry request '" + id + "'");
    RetryRequestRecord& r = found->second;
    const bool allowed =
        (r.status == RetryRequestStatus::kPending &&
         (to == RetryRequestStatus::kApproved || to == RetryRequestStatus::kRejected)) ||
        (r.status == RetryRequestStatus::kApproved && to == RetryRequestStatus::kExecuted);
    if (!allowed) {
      return core::Conflict("retry request '" + id + "' is " + std::string(service::Name(r.status)) +
                            ": it cannot become " + std::string(service::Name(to)));
    }
    r.status = to;
    r.resolution_notes = std::move(notes);
    r.resolved_at = at;
    return r;
  }

  Result<std::optional<RetryRequestRecord>> FindRetryRequest(const std::string& id) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.retries.find(id);
    if (found == s_.retries.end()) return std::optional<RetryRequestRecord>();
    return std::optional<RetryRequestRecord>(found->second);
  }

  Result<std::vector<RetryRequestRecord>> ListRetryRequests(const std::string& run_id) override {
    std::lock_guard lock(s_.mutex);
    std::vector<RetryRequestRecord> out;
    for (const std::string& id : s_.retry_order) {
      if (s_.retries[id].flow_run_id == run_id) out.push_back(s_.retries[id]);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const RetryRequestRecord& a, const RetryRequestRecord& b) {
                       return a.created_at < b.created_at;
                     });
    return out;
  }

 private:
  State& s_;
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Jobs final : public service::JobStore {
 public:
  explicit Jobs(State& s) : s_(s) {}

  Result<JobRecord> CreateJob(JobRecord job) override {
    std::lock_guard lock(s_.mutex);
    State::RunData* run = s_.FindRun(job.flow_run_id);
    if (!run) return core::NotFound("no run '" + job.flow_run_id + "'");
    if (job.id.empty()) job.id = s_.NewId();
    if (s_.jobs.count(job.id)) return core::Conflict("job '" + job.id + "' exists");
    run->run.queue_job_id = job.id;  // the run's latest job
    const std::int64_t now = s_.Now();
    if (job.created_at == 0) job.created_at = now;
    if (job.updated_at == 0) job.updated_at = job.created_at;
    s_.jobs[job.id] = job;
    s_.job_order.push_back(job.id);
    return job;
  }

  Result<std::optional<JobRecord>> FindJob(const std::string& id) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.jobs.find(id);
    if (found == s_.jobs.end()) return std::optional<JobRecord>();
    return std::optional<JobRecord>(found->second);
  }

  Result<std::optional<JobRecord>> ClaimJob(const std::string& queue_name,
                                            const std::string& owner, std::int64_t now,
                                            std::int64_t lease_ms) override {
    std::lock_guard lock(s_.mutex);
    JobRecord* best = nullptr;
    const auto key = [](const JobRecord& j) {
      return std::make_tuple(static_cast<int>(j.priority), j.run_at, j.created_at, j.id);
    };
    for (auto& [id, job] : s_.jobs) {
      if (job.queue_name != queue_name || job.state != JobState::kWaiting || job.run_at > now) {
        continue;
      }
      if (!best || key(job) < key(*best)) best = &job;
    }
    if (!best) return std::optional<JobRecord>();
    best->state = JobState::kActive;
    best->lease_owner = owner;
    best->lease_expires_at = now + lease_ms;
    best->attempts_made += 1;
    best->epoch += 1;
    best->updated_at = now;
    return std::optional<JobRecord>(*best);
  }

  Result<JobRecord> UpdateJob(const std::string& id, std::int64_t epoch, JobState state,
                              std::string last_error, std::int64_t run_at,
                              std::int64_t now) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.jobs.find(id);
    if (found == s_.jobs.end()) return core::NotFound("no job '" + id + "'");
    JobRecord& job = found->second;
    if (job.epoch != epoch) {
      return core::Conflict("job '" + id + "' was claimed again (epoch " +
                            std::to_string(job.epoch) + ", not " + std::to_string(epoch) + ")");
    }
    job.state = state;
    job.last_error = std::move(last_error);
    job.run_at = run_at;
    if (state != JobState::kActive) {  // only an active job holds a lease
      job.lease_owner.clear();
      job.lease_expires_at.reset();
    }
    job.updated_at = now;
    return job;
  }

  Result<std::vector<JobRecord>> ListJobs(std::optional<JobState> state,
                                          std::size_t limit) override {
    std::lock_guard lock(s_.mutex);
    std::vector<JobRecord> out;
    for (const std::string& id : s_.job_order) {
      const JobRecord& job = s_.jobs[id];
      if (state && job.state != *state) continue;
      out.push_back(job);
    }
    std::stable_sort(out.begin(), out.end(), [](const JobRecord& a, const JobRecord& b) {
      return a.created_at < b.created_at;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
  }

 private:
  State& s_;
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Users final : public service::UserStore {
 public:
  explicit Users(State& s) : s_(s) {}

  Result<UserRecord> CreateUser(UserRecord user) override {
    user.email = core::ToLower(core::Trim(user.email));
    if (user.email.empty() || user.email.find('@') == std::string::npos) {
      return core::InvalidArgument("'" + user.email + "' is not an email address");
    }
    if (user.password_hash.empty()) return core::InvalidArgument("a user needs a password hash");
    Result<std::vector<std::string>> roles = service::NormalizeRoles(user.roles);
    if (!roles) return std::move(roles).error();
    user.roles = std::move(*roles);
    std::lock_guard lock(s_.mutex);
    for (const auto& [id, u] : s_.users) {
      if (u.email == user.email) return core::Conflict("the email '" + user.email + "' is taken");
    }
    if (user.id.empty()) user.id = s_.NewId();
    if (s_.users.count(user.id)) return core::Conflict("user '" + user.id + "' exists");
    if (user.created_at == 0) user.created_at = s_.Now();
    s_.users[user.id] = user;
    return user;
  }

  Result<std::optional<UserRecord>> FindUserByEmail(const std::string& email) override {
    const std::string wanted = core::ToLower(core::Trim(email));
    std::lock_guard lock(s_.mutex);
    for (const auto& [id, u] : s_.users) {
      if (u.email == wanted) return std::optional<UserRecord>(u);
    }
    return std::optional<UserRecord>();
  }

  Result<std::optional<UserRecord>> FindUser(const std::string& id) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.users.find(id);
    if (found == s_.users.end()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(found->second);
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    std::lock_guard lock(s_.mutex);
    std::vector<UserRecord> out;
    for (const auto& [id, u] : s_.users) out.push_back(u);
    std::sort(out.begin(), out.end(),
              [](const UserRecord& a, const UserRecord& b) { return a.email < b.email; });
    return out;
  }

  Result<std::vector<service::RoleRecord>> ListRoles() override {
    return service::BuiltInRoles();
  }

  Result<UserRecord> UpdateUser(const UserRecord& user) override {
    std::lock_guard lock(s_.mutex);
    const auto found = s_.users.find(user.id);
    if (found == s_.users.end()) return core::NotFound("no user '" + user.id + "'");
    if (user.password_hash.empty()) return core::InvalidArgument("a user needs a password hash");
    Result<std::vector<std::string>> roles = service::NormalizeRoles(user.roles);
    if (!roles) return std::move(roles).error();
    UserRecord& u = found->second;
    u.name = user.name;
    u.password_hash = user.password_hash;
    u.roles = std::move(*roles);
    u.mfa_secret = user.mfa_secret;
    u.disabled = user.disabled;
    u.last_login_at = user.last_login_at;
    return u;
  }

  Result<ApiTokenRecord> CreateToken(ApiTokenRecord token) override {
    std::lock_guard lock(s_.mutex);
    if (!s_.users.count(token.user_id)) return core::NotFound("no user '" + token.user_id + "'");
    if (token.id.empty()) token.id = s_.NewId();
    for (const ApiTokenRecord& t : s_.tokens) {
      if (t.id == token.id) return core::Conflict("token '" + token.id + "' exists");
      if (t.hash == token.hash) return core::Conflict("a token with this hash exists");
    }
    s_.tokens.push_back(token);
    return token;
  }

  Result<std::optional<ApiTokenRecord>> FindTokenByHash(const std::string& hash) override {
    std::lock_guard lock(s_.mutex);
    for (const ApiTokenRecord& t : s_.tokens) {
      if (t.hash == hash) return std::optional<ApiTokenRecord>(t);
    }
    return std::optional<ApiTokenRecord>();
  }

  Result<std::vector<ApiTokenRecord>> ListTokens(const std::string& user_id) override {
    std::lock_guard lock(s_.mutex);
    std::vector<ApiTokenRecord> out;
    for (const ApiTokenRecord& t : s_.tokens) {
      if (t.user_id == user_id) out.push_back(t);
    }
    return out;
  }

  Result<void> RevokeToken(const std::string& id, std::int64_t at) override {
    // The first revocation time stays.
    return Touch(id, [at](ApiTokenRecord& t) {
      if (!t.revoked_at) t.revoked_at = at;
    });
  }

  Result<void> TouchToken(const std::string& id, std::int64_t at) override {
    return Touch(id, [at](ApiTokenRecord& t) { t.last_used_at = at; });
  }

 private:
  template <typename Change>
  Result<void> Touch(const std::string& id, Change change) {
    std::lock_guard lock(s_.mutex);
    for (ApiTokenRecord& t : s_.tokens) {
      if (t.id != id) continue;
      change(t);
      return core::Ok();
    }
    return core::NotFound("no token '" + id + "'");
  }

  State& s_;
};

// ---------------------------------------------------------------------------------------------

class InMemoryDatabase::Audit final : public service::AuditLog {
 public:
  explicit Audit(State& s) : s_(s) {}

  Result<AuditRecord> Append(AuditRecord record) override {
    if (record.action.empty()) return core::InvalidArgument("an audit record needs an action");
    std::lock_guard lock(s_.mutex);
    record.id = s_.next_audit_id++;
    if (record.created_at == 0) record.created_at = s_.Now();
    s_.audit.push_back(record);
    return record;
  }

  Result<std::vector<AuditRecord>> List(const service::AuditFilter& f) override {
    std::lock_guard lock(s_.mutex);
    std::vector<AuditRecord> out;
    for (const AuditRecord& r : s_.audit) {
      if (!f.actor_id.empty() && r.actor_id != f.actor_id) continue;
      if (!f.target_type.empty() && r.target_type != f.target_type) continue;
      if (!f.target_id.empty() && r.target_id != f.target_id) continue;
      if (f.since && r.created_at < *f.since) continue;
      out.push_back(r);
    }
    std::sort(out.begin(), out.end(), [](const AuditRecord& a, const AuditRecord& b) {
      return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
    });
    if (out.size() > f.limit) out.resize(f.limit);
    return out;
  }

 private:
  State& s_;
};

// ---------------------------------------------------------------------------------------------

InMemoryDatabase::InMemoryDatabase(core::Clock* clock, core::Entropy* entropy)
    : state_(std::make_unique<State>()) {
  state_->clock = clock ? clock : &state_->own_clock;
  if (!entropy) {
    state_->own_entropy = std::make_unique<SystemEntropy>();
    entropy = state_->own_entropy.get();
  }
  state_->entropy = entropy;
  suites_ = std::make_unique<Suites>(*state_);
  runs_ = std::make_unique<Runs>(*state_);
  retries_ = std::make_unique<Retries>(*state_);
  jobs_ = std::make_unique<Jobs>(*state_);
  users_ = std::make_unique<Users>(*state_);
  audit_ = std::make_unique<Audit>(*state_);
}

InMemoryDatabase::~InMemoryDatabase() = default;

service::SuiteStore& InMemoryDatabase::suites() { return *suites_; }
service::RunStore& InMemoryDatabase::runs() { return *runs_; }
service::RetryStore& InMemoryDatabase::retries() { return *retries_; }
service::JobStore& InMemoryDatabase::jobs() { return *jobs_; }
service::UserStore& InMemoryDatabase::users() { return *users_; }
service::AuditLog& InMemoryDatabase::audit() { return *audit_; }

}  // namespace flow::adapters
