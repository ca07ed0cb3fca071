#include <algorithm>

#include "adapters/sodium/uuid.hpp"
#include "adapters/storage_sql/store_support.hpp"

namespace flow::adapters::storage {
namespace {

using service::RunRecord;
using service::RunStatus;
using service::StepRunRecord;

constexpr const char* kRunColumns =
    "r.id, r.version_id, r.status, r.trigger_source, r.priority, r.requested_by, "
    "flow_ms(r.queued_at), flow_ms(r.started_at), flow_ms(r.finished_at), r.queue_job_id, "
    "r.input_payload, r.result_summary, r.retry_of, r.batch_id, s.node_id, s.name";
constexpr const char* kRunFrom =
    " FROM flow_run r JOIN flow_version v ON v.id = r.version_id JOIN flow_suite s ON s.id = "
    "v.suite_id";
constexpr const char* kStepColumns =
    "id, flow_run_id, seq, step_index, step_name, status, request_snapshot, response_snapshot, "
    "assertions, captures, error_details, flow_ms(started_at), flow_ms(finished_at), duration_ms, "
    "attempt, depth, iteration, parent_step_id, outcome";
constexpr const char* kVariableColumns =
    "id, flow_run_id, step_run_id, scope, key, value, source, flow_ms(created_at)";
constexpr const char* kEventColumns =
    "flow_run_id, seq, type, payload, flow_ms(created_at), step_seq";

// The statements recording a run runs (RecordingStatements: prepared ahead).
constexpr const char* kInsertRun =
    "INSERT INTO flow_run (id, version_id, batch_id, status, trigger_source, priority, "
    "requested_by, queued_at, input_payload, retry_of, started_at, finished_at) VALUES ($1, "
    "$2, $3, $4, $5, $6, $7, flow_ts($8), $9, $10, flow_ts($11), flow_ts($12))";
const std::string& SelectRunById() {
  static const std::string sql =
      std::string("SELECT ") + kRunColumns + kRunFrom + " WHERE r.id = $1";
  return sql;
}
constexpr const char* kReserveSeqs =
    "UPDATE flow_run SET step_seq = step_seq + $2, event_seq = event_seq + $3 WHERE id = $1 "
    "RETURNING step_seq, event_seq";
constexpr const char* kInsertStep =
    "INSERT INTO step_run (id, flow_run_id, seq, step_index, step_name, status, "
    "request_snapshot, response_snapshot, assertions, captures, error_details, started_at, "
    "finished_at, duration_ms, attempt, depth, iteration, parent_step_id, outcome) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, flow_ts($12), flow_ts($13), $14, $15, "
    "$16, $17, $18, $19)";
constexpr const char* kInsertLog =
    "INSERT INTO step_log (step_run_id, log_level, message, payload, timestamp) VALUES "
    "($1, $2, $3, $4, flow_ts($5))";
constexpr const char* kInsertVariable =
    "INSERT INTO variable_snapshot (flow_run_id, step_run_id, scope, key, value, source, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, flow_ts($7))";
constexpr const char* kInsertEvent =
    "INSERT INTO flow_run_event (flow_run_id, seq, type, payload, created_at) VALUES ($1, $2, "
    "$3, $4, flow_ts($5))";
constexpr const char* kInsertStepEvent =
    "INSERT INTO flow_run_event (flow_run_id, seq, type, created_at, step_seq) VALUES ($1, $2, "
    "$3, flow_ts($4), $5)";
constexpr const char* kUpdateEnd =
    "UPDATE flow_run SET status = $2, result_summary = $3, finished_at = flow_ts($4) WHERE id = "
    "$1";


RunRecord ToRun(const SqlRow& row) {
  RunRecord r{.id = row.Text(0),
              .version_id = row.Text(1),
              .status = EnumCell(row, 2, RunStatus::kQueued),
              .trigger_source = EnumCell(row, 3, service::TriggerSource::kCli),
              .priority = EnumCell(row, 4, service::Priority::kMedium),
              .requested_by = row.Text(5),
              .queued_at = row.Int(6),
              .started_at = row.OptInt(7),
              .finished_at = row.OptInt(8),
              .queue_job_id = row.OptText(9),
              .input_payload = JsonCell(row, 10),
              .result_summary = JsonCell(row, 11),
              .retry_of = row.OptText(12)};
  r.batch_id = row.Text(13);
  r.node_id = row.Text(14);
  r.suite_name = row.Text(15);
  return r;
}

StepRunRecord ToStep(const SqlRow& row) {
  StepRunRecord s{.id = row.Text(0),
                  .flow_run_id = row.Text(1),
                  .seq = row.Int(2),
                  .step_index = static_cast<int>(row.Int(3)),
                  .step_name = row.Text(4),
                  .status = EnumCell(row, 5, service::StepRunStatus::kPending),
                  .request_snapshot = JsonCell(row, 6),
                  .response_snapshot = JsonCell(row, 7),
                  .assertions = JsonCell(row, 8),
                  .captures = JsonCell(row, 9),
                  .error_details = JsonCell(row, 10),
                  .started_at = row.OptInt(11),
                  .finished_at = row.OptInt(12),
                  .duration_ms = row.Double(13),
                  .attempt = static_cast<int>(row.Int(14))};
  s.depth = static_cast<int>(row.Int(15));
  if (!row.IsNull(16)) s.iteration = static_cast<int>(row.Int(16));
  s.parent_step_id = row.Text(17);
  s.outcome = JsonCell(row, 18);
  return s;
}

service::VariableSnapshotRecord ToVariable(const SqlRow& row) {
  return service::VariableSnapshotRecord{
      .id = row.Int(0),
      .flow_run_id = row.Text(1),
      .step_run_id = row.OptText(2),
      .scope = EnumCell(row, 3, service::VariableScope::kSuite),
      .key = row.Text(4),
      .value = JsonCell(row, 5),
      .source = EnumCell(row, 6, service::VariableSource::kVariable),
      .created_at = row.Int(7)};
}

service::RunEventRecord ToEvent(const SqlRow& row) {
  return service::RunEventRecord{.flow_run_id = row.Text(0),
                                 .seq = row.Int(1),
                                 .type = row.Text(2),
                                 .payload = JsonCell(row, 3),
                                 .created_at = row.Int(4),
                                 .step_seq = row.OptInt(5)};
}

core::Error NoRun(const std::string& run_id) {
  return core::NotFound("no run '" + run_id + "'");
}

// Raises the run's counter `column` (step_seq or event_seq) and returns its new value: the row
// stays locked until commit, so concurrent writers of one run get 1, 2, 3, ... without gaps.
core::Result<std::int64_t> NextSeq(SqlConnection& c, const std::string& run_id,
                                   const char* column) {
  const std::string sql = std::string("UPDATE flow_run SET ") + column + " = " + column +
                          " + 1 WHERE id = $1 RETURNING " + column;
  core::Result<SqlResult> r = c.Query(sql, {Param(run_id)});
  if (!r) return std::move(r).error();
  if (r->rows.empty()) return NoRun(run_id);
  return r->rows.front().Int(0);
}

core::Result<void> InsertVariables(SqlContext& ctx, SqlConnection& c, const std::string& run_id,
                                   const std::vector<service::VariableSnapshotRecord>& variables,
                                   const std::optional<std::string>& step_run_id) {
  for (const service::VariableSnapshotRecord& v : variables) {
    const std::optional<std::string> step = step_run_id ? step_run_id : v.step_run_id;
    if (step && !CanBeId(*step)) {
      return core::InvalidArgument("variable '" + v.key + "': step run id '" + *step +
                                   "' is not a UUID");
    }
    core::Result<void> inserted = c.Exec(
        kInsertVariable,
        {Param(run_id), step ? Param(IdKey(*step)) : SqlParam::Null(), EnumParam(v.scope),
         Param(v.key), JsonParam(ctx.backend, v.value), EnumParam(v.source),
         Param(TimeOrNow(ctx, v.created_at))});
    if (!inserted) {
      return MissingReference(std::move(inserted).error(),
                              "variable '" + v.key + "': no such step run in run '" + run_id + "'");
    }
  }
  return core::Ok();
}

core::Result<void> InsertEvent(SqlContext& ctx, SqlConnection& c, const std::string& run_id,
                               std::int64_t seq, const std::string& type,
                               const service::Value& payload, std::int64_t at) {
  return c.Exec(
      kInsertEvent,
      {Param(run_id), Param(seq), Param(type), JsonParam(ctx.backend, payload),
       Param(TimeOrNow(ctx, at))});
}

// A step's own event: its payload is the step's row (RunEventRecord::step), so none is stored.
core::Result<void> InsertStepEvent(SqlContext& ctx, SqlConnection& c, const std::string& run_id,
                                   std::int64_t seq, const service::StepEvent& event,
                                   std::int64_t step_seq) {
  return c.Exec(
      kInsertStepEvent,
      {Param(run_id), Param(seq), Param(event.type), Param(TimeOrNow(ctx, event.created_at)),
       Param(step_seq)});
}

// The end of the run `run` (an id key): its status, result_summary and finished_at.
core::Result<void> UpdateEnd(SqlContext& ctx, SqlConnection& c, const std::string& run,
                             RunStatus status, const service::Value& result_summary,
                             std::int64_t at) {
  core::Result<SqlResult> r = c.Query(
      kUpdateEnd,
      {Param(run), EnumParam(status), JsonParam(ctx.backend, result_summary),
       Param(TimeOrNow(ctx, at))});
  if (!r) return std::move(r).error();
  if (r->affected == 0) return NoRun(run);
  return core::Ok();
}

}  // namespace

std::vector<std::string> SqlRunStore::RecordingStatements() {
  return {kInsertRun,      SelectRunById(), kReserveSeqs,     kInsertStep, kInsertLog,
          kInsertVariable, kInsertEvent,    kInsertStepEvent, kUpdateEnd};
}

core::Result<RunRecord> SqlRunStore::CreateRun(const service::NewRun& run) {
  if (!CanBeId(run.version_id)) return core::NotFound("no suite version '" + run.version_id + "'");
  if (run.retry_of && !CanBeId(*run.retry_of)) return core::NotFound("no run '" + *run.retry_of + "'");
  const std::string id = NewUuid();
  const std::int64_t queued_at = TimeOrNow(ctx_, run.queued_at);
  // Created past queued: it started (and, ended, finished) when it was queued.
  const SqlParam started_at =
      run.status != RunStatus::kQueued ? Param(queued_at) : SqlParam::Null();
  const SqlParam finished_at =
      service::IsFinal(run.status) ? Param(queued_at) : SqlParam::Null();
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<RunRecord> {
    core::Result<void> inserted = c.Exec(
        kInsertRun,
        {Param(id), Param(IdKey(run.version_id)), Param(run.batch_id), EnumParam(run.status),
         EnumParam(run.trigger_source), EnumParam(run.priority), Param(run.requested_by),
         Param(queued_at), JsonParam(ctx_.backend, run.input_payload),
         run.retry_of ? Param(IdKey(*run.retry_of)) : SqlParam::Null(), started_at,
         finished_at});
    if (!inserted) {
      return MissingReference(std::move(inserted).error(),
                              "no suite version '" + run.version_id + "'" +
                                  (run.retry_of ? " or no run '" + *run.retry_of + "'" : ""));
    }
    core::Result<std::optional<RunRecord>> found =
        QueryOne<RunRecord>(c, SelectRunById(), {Param(id)}, ToRun);
    if (!found) return std::move(found).error();
    FLOW_CHECK(found->has_value());
    return std::move(**found);
  });
}

core::Result<void> SqlRunStore::SetRunStatus(const std::string& run_id, RunStatus status,
                                             std::int64_t at) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  std::string sql = "UPDATE flow_run SET status = $2";
  if (status == RunStatus::kRunning) sql += ", started_at = COALESCE(started_at, flow_ts($3))";
  if (service::IsFinal(status)) sql += ", finished_at = flow_ts($3)";
  sql += " WHERE id = $1";
  const bool uses_time = status == RunStatus::kRunning || service::IsFinal(status);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    SqlParams params{Param(IdKey(run_id)), EnumParam(status)};
    if (uses_time) params.push_back(Param(TimeOrNow(ctx_, at)));
    core::Result<SqlResult> r = c.Query(sql, params);
    if (!r) return std::move(r).error();
    if (r->affected == 0) return NoRun(run_id);
    return core::Ok();
  });
}

core::Result<void> SqlRunStore::FinishRun(const std::string& run_id, RunStatus status,
                                          const service::Value& result_summary, std::int64_t at) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  FLOW_TRY_VOID(service::CheckRunEnd(status));
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    return UpdateEnd(ctx_, c, IdKey(run_id), status, result_summary, at);
  });
}

core::Result<void> SqlRunStore::SaveCheckpoint(const std::string& run_id,
                                               const service::Value& checkpoint) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  const service::Value stored = ctx_.cipher.Protect(checkpoint);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    core::Result<SqlResult> r = c.Query("UPDATE flow_run SET checkpoint = $2 WHERE id = $1",
                                        {Param(IdKey(run_id)), JsonParam(ctx_.backend, stored, true)});
    if (!r) return std::move(r).error();
    if (r->affected == 0) return NoRun(run_id);
    return core::Ok();
  });
}

core::Result<std::vector<service::RunStore::Recorded>> SqlRunStore::Record(
    const std::string& run_id, service::RunWrite write) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  if (write.end) FLOW_TRY_VOID(service::CheckRunEnd(write.end->status));
  const std::string run = IdKey(run_id);
  std::vector<std::string> step_ids;
  std::vector<std::int64_t> times;
  for (service::RecordedStep& step : write.steps) {
    // Time-ordered: the rows of a batch land together at the end of the step ids' indexes.
    core::Result<std::string> step_id = IdOrNew(step.step.id, "step run", &NewTimeOrderedUuid);
    if (!step_id) return std::move(step_id).error();
    step_ids.push_back(std::move(*step_id));
    for (service::StepLogRecord& log : step.logs) {
      log.timestamp = TimeOrNow(ctx_, log.timestamp);
      times.push_back(log.timestamp);
    }
  }
  if (!times.empty()) {
    // PostgreSQL: the month partitions of step_log must exist before the transaction.
    core::Result<ConnectionPool::Lease> lease = ctx_.pool.Acquire();
    if (!lease) return std::move(lease).error();
    FLOW_TRY_VOID(ctx_.backend.PrepareLogTimes(**lease, times));
  }
  auto events = static_cast<std::int64_t>(write.events.size());
  for (const service::RecordedStep& step : write.steps) events += step.event ? 1 : 0;
  const auto count = static_cast<std::int64_t>(write.steps.size());
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<std::vector<Recorded>> {
    // The numbers at once: the run's row is locked until commit (see NextSeq).
    core::Result<SqlResult> reserved = c.Query(
        kReserveSeqs,
        {Param(run), Param(count), Param(events)});
    if (!reserved) return std::move(reserved).error();
    if (reserved->rows.empty()) return NoRun(run_id);
    std::int64_t next_seq = reserved->rows.front().Int(0) - count + 1;
    std::int64_t next_event_seq = reserved->rows.front().Int(1) - events + 1;
    std::vector<Recorded> out;
    for (std::size_t i = 0; i < write.steps.size(); ++i) {
      const service::RecordedStep& step = write.steps[i];
      const std::string& step_id = step_ids[i];
      const StepRunRecord& s = step.step;
      const std::int64_t seq = next_seq++;
      const service::StepJsonColumns* json = step.json ? &*step.json : nullptr;
      FLOW_TRY_VOID(c.Exec(
          kInsertStep,
          {Param(step_id), Param(run), Param(seq), Param(s.step_index), Param(s.step_name),
           EnumParam(s.status), JsonParam(ctx_.backend, s.request_snapshot, true),
           JsonParam(ctx_.backend, s.response_snapshot, true),
           json ? JsonTextParam(ctx_.backend, json->assertions)
                : JsonParam(ctx_.backend, s.assertions),
           json ? JsonTextParam(ctx_.backend, json->captures) : JsonParam(ctx_.backend, s.captures),
           json ? JsonTextParam(ctx_.backend, json->error_details, true)
                : JsonParam(ctx_.backend, s.error_details, true),
           Param(s.started_at), Param(s.finished_at), Param(s.duration_ms), Param(s.attempt),
           Param(s.depth), s.iteration ? Param(*s.iteration) : SqlParam::Null(),
           Param(s.parent_step_id),
           json ? JsonTextParam(ctx_.backend, json->outcome, true)
                : JsonParam(ctx_.backend, s.outcome, true)}));
      for (const service::StepLogRecord& log : step.logs) {
        FLOW_TRY_VOID(c.Exec(
            kInsertLog,
            {Param(step_id), EnumParam(log.log_level), Param(log.message),
             JsonParam(ctx_.backend, log.payload, true), Param(log.timestamp)}));
      }
      FLOW_TRY_VOID(InsertVariables(ctx_, c, run, step.variables, step_id));
      Recorded recorded{.step_run_id = step_id};
      if (step.event) {
        const std::int64_t event_seq = next_event_seq++;
        FLOW_TRY_VOID(InsertStepEvent(ctx_, c, run, event_seq, *step.event, seq));
        recorded.event_seq = event_seq;
      }
      out.push_back(std::move(recorded));
    }
    FLOW_TRY_VOID(InsertVariables(ctx_, c, run, write.variables, std::nullopt));
    for (const service::RunEventRecord& event : write.events) {
      FLOW_TRY_VOID(InsertEvent(ctx_, c, run, next_event_seq++, event.type, event.payload,
                                event.created_at));
    }
    if (write.end) {
      FLOW_TRY_VOID(UpdateEnd(ctx_, c, run, write.end->status, write.end->result_summary,
                              write.end->at));
    }
    return out;
  });
}

core::Result<service::RunEventRecord> SqlRunStore::AppendEvent(const std::string& run_id,
                                                               std::string type,
                                                               service::Value payload,
                                                               std::int64_t at) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  const std::string run = IdKey(run_id);
  const std::int64_t created_at = TimeOrNow(ctx_, at);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<service::RunEventRecord> {
    core::Result<std::int64_t> seq = NextSeq(c, run, "event_seq");
    if (!seq) return std::move(seq).error();
    FLOW_TRY_VOID(InsertEvent(ctx_, c, run, *seq, type, payload, created_at));
    return service::RunEventRecord{
        .flow_run_id = run, .seq = *seq, .type = type, .payload = payload, .created_at = created_at};
  });
}

core::Result<void> SqlRunStore::AddVariables(
    const std::string& run_id, std::vector<service::VariableSnapshotRecord> variables) {
  if (!CanBeId(run_id)) return NoRun(run_id);
  const std::string run = IdKey(run_id);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    core::Result<SqlResult> exists = c.Query("SELECT 1 FROM flow_run WHERE id = $1", {Param(run)});
    if (!exists) return std::move(exists).error();
    if (exists->rows.empty()) return NoRun(run_id);
    return InsertVariables(ctx_, c, run, variables, std::nullopt);
  });
}

core::Result<std::optional<RunRecord>> SqlRunStore::FindRun(const std::string& run_id) {
  if (!CanBeId(run_id)) return std::optional<RunRecord>();
  core::Result<std::optional<RunRecord>> found =
      Read(ctx_, [&](SqlConnection& c) -> core::Result<std::optional<RunRecord>> {
        return QueryOne<RunRecord>(
            c, std::string("SELECT ") + kRunColumns + ", r.checkpoint" + kRunFrom +
                   " WHERE r.id = $1",
            {Param(IdKey(run_id))}, [](const SqlRow& row) {
              RunRecord r = ToRun(row);
              r.checkpoint = JsonCell(row, 16);
              return r;
            });
      });
  if (!found || !found->has_value()) return found;
  core::Result<service::Value> checkpoint = ctx_.cipher.Reveal((*found)->checkpoint);
  if (!checkpoint) {
    core::Error e = std::move(checkpoint).error();
    e.message = "run '" + run_id + "': " + e.message;
    return e;
  }
  (*found)->checkpoint = std::move(*checkpoint);
  return found;
}

core::Result<std::vector<RunRecord>> SqlRunStore::ListRuns(const service::RunFilter& filter) {
  SqlBuilder q{.sql = std::string("SELECT ") + kRunColumns + kRunFrom + " WHERE 1 = 1"};
  if (filter.status) q.And("r.status = ", EnumParam(*filter.status));
  if (!filter.node_id.empty()) q.And("s.node_id = ", Param(filter.node_id));
  if (!filter.batch_id.empty()) q.And("r.batch_id = ", Param(filter.batch_id));
  if (filter.queued_before) q.And("r.queued_at < flow_ts(", Param(*filter.queued_before), ")");
  if (filter.queued_after) q.And("r.queued_at > flow_ts(", Param(*filter.queued_after), ")");
  q.sql += " ORDER BY r.queued_at DESC, r.id DESC LIMIT " + q.Bind(Param(filter.limit));
  q.sql += " OFFSET " + q.Bind(Param(filter.offset));
  return Read(ctx_, [&](SqlConnection& c) { return QueryAll<RunRecord>(c, q.sql, q.params, ToRun); });
}

core::Result<std::vector<StepRunRecord>> SqlRunStore::ListSteps(const std::string& run_id) {
  if (!CanBeId(run_id)) return std::vector<StepRunRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<StepRunRecord>(
        c,
        std::string("SELECT ") + kStepColumns + " FROM step_run WHERE flow_run_id = $1 ORDER BY seq",
        {Param(IdKey(run_id))}, ToStep);
  });
}

core::Result<std::vector<service::StepLogRecord>> SqlRunStore::ListLogs(const std::string& run_id) {
  if (!CanBeId(run_id)) return std::vector<service::StepLogRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<service::StepLogRecord>(
        c,
        "SELECT l.id, l.step_run_id, l.log_level, l.message, l.payload, flow_ms(l.timestamp) FROM "
        "step_log l JOIN step_run s ON s.id = l.step_run_id WHERE s.flow_run_id = $1 ORDER BY "
        "s.seq, l.id",
        {Param(IdKey(run_id))}, [](const SqlRow& row) {
          return service::StepLogRecord{.id = row.Int(0),
                                        .step_run_id = row.Text(1),
                                        .log_level = EnumCell(row, 2, service::LogLevel::kInfo),
                                        .message = row.Text(3),
                                        .payload = JsonCell(row, 4),
                                        .timestamp = row.Int(5)};
        });
  });
}

core::Result<std::vector<service::VariableSnapshotRecord>> SqlRunStore::ListVariables(
    const std::string& run_id) {
  if (!CanBeId(run_id)) return std::vector<service::VariableSnapshotRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<service::VariableSnapshotRecord>(
        c,
        std::string("SELECT ") + kVariableColumns +
            " FROM variable_snapshot WHERE flow_run_id = $1 ORDER BY id",
        {Param(IdKey(run_id))}, ToVariable);
  });
}

core::Result<std::vector<service::RunEventRecord>> SqlRunStore::ListEvents(
    const std::string& run_id, std::int64_t after_seq, std::size_t limit, EventSteps with) {
  if (!CanBeId(run_id)) return std::vector<service::RunEventRecord>();
  const std::string run = IdKey(run_id);
  return Read(ctx_, [&](SqlConnection& c) -> core::Result<std::vector<service::RunEventRecord>> {
    core::Result<std::vector<service::RunEventRecord>> events = QueryAll<service::RunEventRecord>(
        c,
        std::string("SELECT ") + kEventColumns +
            " FROM flow_run_event WHERE flow_run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        {Param(run), Param(after_seq), Param(limit)}, ToEvent);
    if (!events || with == EventSteps::kWithout) return events;
    // The steps of the steps' events, in one read: their seqs grow with the events'.
    std::optional<std::int64_t> first;
    std::optional<std::int64_t> last;
    for (const service::RunEventRecord& e : *events) {
      if (!e.step_seq) continue;
      if (!first || *e.step_seq < *first) first = e.step_seq;
      if (!last || *e.step_seq > *last) last = e.step_seq;
    }
    if (!first) return events;
    core::Result<std::vector<StepRunRecord>> steps = QueryAll<StepRunRecord>(
        c,
        std::string("SELECT ") + kStepColumns +
            " FROM step_run WHERE flow_run_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq",
        {Param(run), Param(*first), Param(*last)}, ToStep);
    if (!steps) return std::move(steps).error();
    for (service::RunEventRecord& e : *events) {
      if (!e.step_seq) continue;
      const auto at = std::lower_bound(
          steps->begin(), steps->end(), *e.step_seq,
          [](const StepRunRecord& s, std::int64_t seq) { return s.seq < seq; });
      if (at != steps->end() && at->seq == *e.step_seq) e.step = *at;
    }
    return events;
  });
}

core::Result<std::size_t> SqlRunStore::PurgeRuns(std::int64_t before) {
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<std::size_t> {
    core::Result<SqlResult> r = c.Query(
        "DELETE FROM flow_run WHERE queued_at < flow_ts($1) AND status IN ('completed', "
        "'failed', 'cancelled')",
        {Param(before)});
    if (!r) return std::move(r).error();
    return static_cast<std::size_t>(r->affected);
  });
}

}  // namespace flow::adapters::storage
