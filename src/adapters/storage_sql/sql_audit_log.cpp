#include "adapters/storage_sql/store_support.hpp"

namespace flow::adapters::storage {
namespace {

constexpr const char* kAuditColumns =
    "id, actor_id, action, target_type, target_id, metadata, ip_address, user_agent, "
    "flow_ms(created_at)";

service::AuditRecord ToAudit(const SqlRow& row) {
  return service::AuditRecord{.id = row.Int(0),
                              .actor_id = row.Text(1),
                              .action = row.Text(2),
                              .target_type = row.Text(3),
                              .target_id = row.Text(4),
                              .metadata = JsonCell(row, 5),
                              .ip_address = row.Text(6),
                              .user_agent = row.Text(7),
                              .created_at = row.Int(8)};
}

}  // namespace

core::Result<service::AuditRecord> SqlAuditLog::Append(service::AuditRecord record) {
  if (record.action.empty()) return core::InvalidArgument("an audit record needs an action");
  record.created_at = TimeOrNow(ctx_, record.created_at);
  core::Result<std::optional<service::AuditRecord>> added = Write(ctx_, [&](SqlConnection& c) {
    return QueryOne<service::AuditRecord>(
        c,
        std::string("INSERT INTO audit_log (actor_id, action, target_type, target_id, metadata, "
                    "ip_address, user_agent, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                    "flow_ts($8)) RETURNING ") +
            kAuditColumns,
        {Param(record.actor_id), Param(record.action), Param(record.target_type),
         Param(record.target_id), JsonParam(ctx_.backend, record.metadata),
         Param(record.ip_address), Param(record.user_agent), Param(record.created_at)},
        ToAudit);
  });
  if (!added) return std::move(added).error();
  FLOW_CHECK(added->has_value());
  return std::move(**added);
}

core::Result<std::vector<service::AuditRecord>> SqlAuditLog::List(
    const service::AuditFilter& filter) {
  SqlBuilder q{.sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE 1 = 1"};
  if (!filter.actor_id.empty()) q.And("actor_id = ", Param(filter.actor_id));
  if (!filter.target_type.empty()) q.And("target_type = ", Param(filter.target_type));
  if (!filter.target_id.empty()) q.And("target_id = ", Param(filter.target_id));
  if (filter.since) q.And("created_at >= flow_ts(", Param(*filter.since), ")");
  q.sql += " ORDER BY created_at DESC, id DESC LIMIT " + q.Bind(Param(filter.limit));
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<service::AuditRecord>(c, q.sql, q.params, ToAudit);
  });
}

}  // namespace flow::adapters::storage
