// Helpers private to the SQL stores: transactions on the context's pool, and error mapping.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage_sql/sql_codec.hpp"
#include "adapters/storage_sql/sql_stores.hpp"
#include "adapters/storage_sql/transaction.hpp"
#include "core/util/strings.hpp"

namespace flow::adapters::storage {

template <typename Body>
auto Write(SqlContext& ctx, Body&& body) {
  return RunTransaction(ctx.pool, TxMode::kWrite, std::forward<Body>(body));
}
template <typename Body>
auto Read(SqlContext& ctx, Body&& body) {
  return RunTransaction(ctx.pool, TxMode::kRead, std::forward<Body>(body));
}

// `time`, or now when it is 0.
inline std::int64_t TimeOrNow(SqlContext& ctx, std::int64_t time) {
  return time != 0 ? time : ctx.now();
}

// A foreign-key violation becomes kNotFound with `message` (the row referred to is missing).
inline core::Error MissingReference(core::Error error, std::string message) {
  if (error.code == core::ErrorCode::kConflict && error.reason == "foreign_key") {
    return core::NotFound(std::move(message));
  }
  return error;
}

// The canonical (lower-case) form of an id for lookups.
inline std::string IdKey(const std::string& id) { return core::ToLower(id); }

// A statement built piece by piece with its numbered parameters.
struct SqlBuilder {
  std::string sql;
  SqlParams params;
  // Appends `param` and returns its placeholder ("$3").
  std::string Bind(SqlParam param) {
    params.push_back(std::move(param));
    return "$" + std::to_string(params.size());
  }
  // Appends " AND <before>$N<after>".
  void And(std::string_view before, SqlParam param, std::string_view after = "") {
    const std::string placeholder = Bind(std::move(param));
    sql += " AND " + std::string(before) + placeholder + std::string(after);
  }
};

// The rows of `sql` mapped by `convert`.
template <typename T, typename Convert>
core::Result<std::vector<T>> QueryAll(SqlConnection& c, std::string_view sql,
                                      const SqlParams& params, Convert convert) {
  core::Result<SqlResult> r = c.Query(sql, params);
  if (!r) return std::move(r).error();
  std::vector<T> out;
  out.reserve(r->rows.size());
  for (const SqlRow& row : r->rows) out.push_back(convert(row));
  return out;
}

// The first row of `sql` mapped by `convert`, or nullopt.
template <typename T, typename Convert>
core::Result<std::optional<T>> QueryOne(SqlConnection& c, std::string_view sql,
                                        const SqlParams& params, Convert convert) {
  core::Result<SqlResult> r = c.Query(sql, params);
  if (!r) return std::move(r).error();
  if (r->rows.empty()) return std::optional<T>();
  return std::optional<T>(convert(r->rows.front()));
}

}  // namespace flow::adapters::storage
