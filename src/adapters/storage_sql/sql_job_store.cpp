#include "adapters/storage_sql/store_support.hpp"

namespace flow::adapters::storage {
namespace {

using service::JobRecord;
using service::JobState;

constexpr const char* kJobColumns =
    "id, flow_run_id, queue_name, state, attempts_made, max_attempts, last_error, priority, "
    "flow_ms(run_at), lease_owner, flow_ms(lease_expires_at), epoch, flow_ms(created_at), "
    "flow_ms(updated_at)";

JobRecord ToJob(const SqlRow& row) {
  return JobRecord{.id = row.Text(0),
                   .flow_run_id = row.Text(1),
                   .queue_name = row.Text(2),
                   .state = EnumCell(row, 3, JobState::kWaiting),
                   .attempts_made = static_cast<int>(row.Int(4)),
                   .max_attempts = static_cast<int>(row.Int(5)),
                   .last_error = row.Text(6),
                   .priority = EnumCell(row, 7, service::Priority::kMedium),
                   .run_at = row.Int(8),
                   .lease_owner = row.Text(9),
                   .lease_expires_at = row.OptInt(10),
                   .epoch = row.Int(11),
                   .created_at = row.Int(12),
                   .updated_at = row.Int(13)};
}

core::Error NoJob(const std::string& id) { return core::NotFound("no job '" + id + "'"); }

}  // namespace

core::Result<JobRecord> SqlJobStore::CreateJob(JobRecord job) {
  if (job.queue_name.empty()) return core::InvalidArgument("a job needs a queue name");
  if (!CanBeId(job.flow_run_id)) return core::NotFound("no run '" + job.flow_run_id + "'");
  core::Result<std::string> id = IdOrNew(job.id, "job");
  if (!id) return std::move(id).error();
  job.id = *id;
  job.flow_run_id = IdKey(job.flow_run_id);
  job.created_at = TimeOrNow(ctx_, job.created_at);
  job.updated_at = job.updated_at != 0 ? job.updated_at : job.created_at;
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<JobRecord> {
    core::Result<std::optional<JobRecord>> created = QueryOne<JobRecord>(
        c,
        std::string("INSERT INTO queue_job (id, flow_run_id, queue_name, state, attempts_made, "
                    "max_attempts, last_error, priority, run_at, lease_owner, lease_expires_at, "
                    "epoch, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                    "flow_ts($9), $10, flow_ts($11), $12, flow_ts($13), flow_ts($14)) RETURNING ") +
            kJobColumns,
        {Param(job.id), Param(job.flow_run_id), Param(job.queue_name), EnumParam(job.state),
         Param(job.attempts_made), Param(job.max_attempts), Param(job.last_error),
         EnumParam(job.priority), Param(job.run_at), Param(job.lease_owner),
         Param(job.lease_expires_at), Param(job.epoch), Param(job.created_at),
         Param(job.updated_at)},
        ToJob);
    if (!created) {
      core::Error e = std::move(created).error();
      if (e.reason == "unique") return core::Conflict("a job '" + job.id + "' exists");
      return MissingReference(std::move(e), "no run '" + job.flow_run_id + "'");
    }
    // The run now travels with this job.
    FLOW_TRY_VOID(c.Exec("UPDATE flow_run SET queue_job_id = $1 WHERE id = $2",
                         {Param(job.id), Param(job.flow_run_id)}));
    return std::move(**created);
  });
}

core::Result<std::optional<JobRecord>> SqlJobStore::FindJob(const std::string& id) {
  if (!CanBeId(id)) return std::optional<JobRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryOne<JobRecord>(c,
                               std::string("SELECT ") + kJobColumns + " FROM queue_job WHERE id = $1",
                               {Param(IdKey(id))}, ToJob);
  });
}

core::Result<std::optional<JobRecord>> SqlJobStore::ClaimJob(const std::string& queue_name,
                                                             const std::string& owner,
                                                             std::int64_t now,
                                                             std::int64_t lease_ms) {
  if (owner.empty()) return core::InvalidArgument("a claim needs an owner");
  if (lease_ms <= 0) return core::InvalidArgument("a lease must last more than 0 ms");
  const std::string sql =
      std::string(
          "UPDATE queue_job SET state = 'active', lease_owner = $2, lease_expires_at = "
          "flow_ts($4), attempts_made = attempts_made + 1, epoch = epoch + 1, updated_at = "
          "flow_ts($3) WHERE id = (SELECT id FROM queue_job WHERE queue_name = $1 AND state = "
          "'waiting' AND run_at <= flow_ts($3) ORDER BY ") +
      ctx_.backend.PriorityRank("priority") + ", run_at, created_at, id LIMIT 1" +
      std::string(ctx_.backend.ForUpdateSkipLocked()) + ") RETURNING " + kJobColumns;
  return Write(ctx_, [&](SqlConnection& c) {
    return QueryOne<JobRecord>(c, sql,
                               {Param(queue_name), Param(owner), Param(now), Param(now + lease_ms)},
                               ToJob);
  });
}

core::Result<JobRecord> SqlJobStore::UpdateJob(const std::string& id, std::int64_t epoch,
                                               JobState state, std::string last_error,
                                               std::int64_t run_at, std::int64_t now) {
  if (!CanBeId(id)) return NoJob(id);
  // An active job keeps its lease; any other state releases it.
  const std::string lease = state == JobState::kActive
                                ? std::string()
                                : std::string(", lease_owner = '', lease_expires_at = NULL");
  const std::string sql = "UPDATE queue_job SET state = $3, last_error = $4, run_at = flow_ts($5), "
                          "updated_at = flow_ts($6)" +
                          lease + " WHERE id = $1 AND epoch = $2 RETURNING " + kJobColumns;
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<JobRecord> {
    core::Result<std::optional<JobRecord>> updated = QueryOne<JobRecord>(
        c, sql,
        {Param(IdKey(id)), Param(epoch), EnumParam(state), Param(last_error), Param(run_at),
         Param(TimeOrNow(ctx_, now))},
        ToJob);
    if (!updated) return std::move(updated).error();
    if (updated->has_value()) return std::move(**updated);
    core::Result<SqlResult> current =
        c.Query("SELECT epoch FROM queue_job WHERE id = $1", {Param(IdKey(id))});
    if (!current) return std::move(current).error();
    if (current->rows.empty()) return NoJob(id);
    return core::Conflict("job '" + id + "' was taken over: its epoch is " +
                          std::to_string(current->rows.front().Int(0)) + ", not " +
                          std::to_string(epoch));
  });
}

core::Result<std::vector<JobRecord>> SqlJobStore::ListJobs(std::optional<JobState> state,
                                                           std::size_t limit) {
  return Read(ctx_, [&](SqlConnection& c) {
    if (state) {
      return QueryAll<JobRecord>(
          c,
          std::string("SELECT ") + kJobColumns +
              " FROM queue_job WHERE state = $1 ORDER BY created_at, id LIMIT $2",
          {EnumParam(*state), Param(limit)}, ToJob);
    }
    return QueryAll<JobRecord>(
        c, std::string("SELECT ") + kJobColumns + " FROM queue_job ORDER BY created_at, id LIMIT $1",
        {Param(limit)}, ToJob);
  });
}

}  // namespace flow::adapters::storage
