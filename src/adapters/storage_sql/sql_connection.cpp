#include "adapters/storage_sql/sql_connection.hpp"

#include <charconv>
#include <cstdlib>

namespace flow::adapters::storage {

SqlParam Param(std::int64_t v) { return {v}; }
SqlParam Param(int v) { return {static_cast<std::int64_t>(v)}; }
SqlParam Param(std::size_t v) { return {static_cast<std::int64_t>(v)}; }
SqlParam Param(double v) { return {v}; }
SqlParam Param(bool v) { return {v}; }
SqlParam Param(std::string v) { return {std::move(v)}; }
SqlParam Param(std::string_view v) { return {std::string(v)}; }
SqlParam Param(const char* v) { return {std::string(v)}; }
SqlParam Param(const std::optional<std::int64_t>& v) { return v ? Param(*v) : SqlParam::Null(); }
SqlParam Param(const std::optional<std::string>& v) { return v ? Param(*v) : SqlParam::Null(); }
SqlParam TextOrNull(const std::string& v) { return v.empty() ? SqlParam::Null() : Param(v); }

const std::string& SqlRow::Text(std::size_t i) const {
  static const std::string kEmpty;
  const auto& cell = cells_.at(i);
  return cell ? *cell : kEmpty;
}

std::int64_t SqlRow::Int(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return 0;
  std::int64_t v = 0;
  const char* end = cell->data() + cell->size();
  if (std::from_chars(cell->data(), end, v).ec == std::errc()) return v;
  return static_cast<std::int64_t>(std::strtod(cell->c_str(), nullptr));
}

double SqlRow::Double(std::size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) return 0;
  double v = 0;
  if (std::from_chars(cell->data(), cell->data() + cell->size(), v).ec == std::errc()) return v;
  return std::strtod(cell->c_str(), nullptr);
}

bool SqlRow::Bool(std::size_t i) const {
  const auto& cell = cells_.at(i);
  return cell && (*cell == "t" || *cell == "true" || *cell == "1");
}

std::optional<std::int64_t> SqlRow::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

core::Result<void> SqlConnection::Exec(std::string_view sql, const SqlParams& params) {
  core::Result<SqlResult> r = Query(sql, params);
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Error SqlConflict(std::string message, std::string reason) {
  core::Error e = core::Conflict(std::move(message));
  e.reason = std::move(reason);
  return e;
}

core::Error SqlRetry(std::string message) {
  core::Error e = core::Unavailable(std::move(message));
  e.reason = "retry";
  return e;
}

core::Error SqlConnectionLost(std::string message) {
  core::Error e = core::Unavailable(std::move(message));
  e.reason = "connection";
  return e;
}

bool IsRetryable(const core::Error& error) {
  return error.code == core::ErrorCode::kUnavailable && error.reason == "retry";
}

}  // namespace flow::adapters::storage
