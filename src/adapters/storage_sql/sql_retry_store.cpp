#include "adapters/storage_sql/store_support.hpp"

namespace flow::adapters::storage {
namespace {

using service::RetryRequestRecord;
using service::RetryRequestStatus;

constexpr const char* kRetryColumns =
    "id, flow_run_id, step_run_id, requested_by, reason, status, resolution_notes, "
    "flow_ms(created_at), flow_ms(resolved_at)";

RetryRequestRecord ToRetry(const SqlRow& row) {
  return RetryRequestRecord{.id = row.Text(0),
                            .flow_run_id = row.Text(1),
                            .step_run_id = row.OptText(2),
                            .requested_by = row.Text(3),
                            .reason = row.Text(4),
                            .status = EnumCell(row, 5, RetryRequestStatus::kPending),
                            .resolution_notes = row.Text(6),
                            .created_at = row.Int(7),
                            .resolved_at = row.OptInt(8)};
}

// The moves the state machine allows: pending -> approved | rejected, approved -> executed.
bool Allowed(RetryRequestStatus from, RetryRequestStatus to) {
  return (from == RetryRequestStatus::kPending &&
          (to == RetryRequestStatus::kApproved || to == RetryRequestStatus::kRejected)) ||
         (from == RetryRequestStatus::kApproved && to == RetryRequestStatus::kExecuted);
}

}  // namespace

core::Result<RetryRequestRecord> SqlRetryStore::CreateRetryRequest(RetryRequestRecord request) {
  if (request.status != RetryRequestStatus::kPending) {
    return core::InvalidArgument("a new retry request must be pending, not " +
                                 std::string(service::Name(request.status)));
  }
  if (!CanBeId(request.flow_run_id)) return core::NotFound("no run '" + request.flow_run_id + "'");
  if (request.step_run_id && !CanBeId(*request.step_run_id)) {
    return core::NotFound("no step run '" + *request.step_run_id + "'");
  }
  core::Result<std::string> id = IdOrNew(request.id, "retry request");
  if (!id) return std::move(id).error();
  request.id = *id;
  request.flow_run_id = IdKey(request.flow_run_id);
  if (request.step_run_id) request.step_run_id = IdKey(*request.step_run_id);
  request.created_at = TimeOrNow(ctx_, request.created_at);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<RetryRequestRecord> {
    if (request.step_run_id) {
      core::Result<SqlResult> step = c.Query("SELECT flow_run_id FROM step_run WHERE id = $1",
                                             {Param(*request.step_run_id)});
      if (!step) return std::move(step).error();
      if (step->rows.empty()) return core::NotFound("no step run '" + *request.step_run_id + "'");
      if (step->rows.front().Text(0) != request.flow_run_id) {
        return core::InvalidArgument("step run '" + *request.step_run_id +
                                     "' is not part of run '" + request.flow_run_id + "'");
      }
    }
    core::Result<std::optional<RetryRequestRecord>> created = QueryOne<RetryRequestRecord>(
        c,
        std::string("INSERT INTO manual_retry_request (id, flow_run_id, step_run_id, "
                    "requested_by, reason, status, resolution_notes, created_at) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7, flow_ts($8)) RETURNING ") +
            kRetryColumns,
        {Param(request.id), Param(request.flow_run_id), Param(request.step_run_id),
         Param(request.requested_by), Param(request.reason), EnumParam(request.status),
         Param(request.resolution_notes), Param(request.created_at)},
        ToRetry);
    if (!created) {
      return MissingReference(std::move(created).error(),
                              "no run '" + request.flow_run_id + "'");
    }
    return std::move(**created);
  });
}

core::Result<RetryRequestRecord> SqlRetryStore::ResolveRetryRequest(const std::string& id,
                                                                    RetryRequestStatus to,
                                                                    std::string notes,
                                                                    std::int64_t at) {
  if (!CanBeId(id)) return core::NotFound("no retry request '" + id + "'");
  const std::int64_t resolved_at = TimeOrNow(ctx_, at);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<RetryRequestRecord> {
    // The row stays locked (PostgreSQL) until commit, so of two callers moving it at once the
    // second sees the first one's move and gets kConflict.
    core::Result<SqlResult> current = c.Query(
        std::string("SELECT status FROM manual_retry_request WHERE id = $1") +
            std::string(ctx_.backend.ForUpdate()),
        {Param(IdKey(id))});
    if (!current) return std::move(current).error();
    if (current->rows.empty()) return core::NotFound("no retry request '" + id + "'");
    const RetryRequestStatus from =
        EnumCell(current->rows.front(), 0, RetryRequestStatus::kPending);
    if (!Allowed(from, to)) {
      return core::Conflict("retry request '" + id + "' is " + std::string(service::Name(from)) +
                            ": it cannot become " + std::string(service::Name(to)));
    }
    core::Result<std::optional<RetryRequestRecord>> updated = QueryOne<RetryRequestRecord>(
        c,
        std::string("UPDATE manual_retry_request SET status = $2, resolution_notes = $3, "
                    "resolved_at = flow_ts($4) WHERE id = $1 AND status = $5 RETURNING ") +
            kRetryColumns,
        {Param(IdKey(id)), EnumParam(to), Param(notes), Param(resolved_at), EnumParam(from)},
        ToRetry);
    if (!updated) return std::move(updated).error();
    if (!updated->has_value()) {
      return core::Conflict("retry request '" + id + "' was moved on by another caller");
    }
    return std::move(**updated);
  });
}

core::Result<std::optional<RetryRequestRecord>> SqlRetryStore::FindRetryRequest(
    const std::string& id) {
  if (!CanBeId(id)) return std::optional<RetryRequestRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryOne<RetryRequestRecord>(
        c, std::string("SELECT ") + kRetryColumns + " FROM manual_retry_request WHERE id = $1",
        {Param(IdKey(id))}, ToRetry);
  });
}

core::Result<std::vector<RetryRequestRecord>> SqlRetryStore::ListRetryRequests(
    const std::string& flow_run_id) {
  if (!CanBeId(flow_run_id)) return std::vector<RetryRequestRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<RetryRequestRecord>(
        c,
        std::string("SELECT ") + kRetryColumns +
            " FROM manual_retry_request WHERE flow_run_id = $1 ORDER BY created_at, id",
        {Param(IdKey(flow_run_id))}, ToRetry);
  });
}

}  // namespace flow::adapters::storage
