// Reading and writing the column kinds the stores share: JSON, string arrays (passed as JSON
// text in both dialects, see sql_backend.hpp), enums by their stored names, ids.
#pragma once

#include <string>
#include <vector>

#include "adapters/sodium/uuid.hpp"
#include "adapters/storage_sql/sql_backend.hpp"
#include "adapters/storage_sql/sql_connection.hpp"
#include "core/value.hpp"
#include "service/ports/records.hpp"

namespace flow::adapters::storage {

// A JSON parameter; `nullable`: a null value becomes SQL NULL (columns documented "null: none").
SqlParam JsonParam(const SqlBackend& backend, const core::Value& value, bool nullable = false);
// JSON already written as text (as DumpJson writes it); "" with `nullable`: NULL.
SqlParam JsonTextParam(const SqlBackend& backend, std::string json, bool nullable = false);
// A JSON cell; SQL NULL (or damaged text) reads as null.
core::Value JsonCell(const SqlRow& row, std::size_t i);
SqlParam ArrayParam(const std::vector<std::string>& values);
std::vector<std::string> ArrayCell(const SqlRow& row, std::size_t i);

template <typename Enum>
SqlParam EnumParam(Enum value) {
  return Param(service::Name(value));
}
template <typename Enum>
Enum EnumCell(const SqlRow& row, std::size_t i, Enum fallback) {
  return service::Parse<Enum>(row.Text(i)).value_or(fallback);
}

// `id` when it is a UUID (lower-cased), a new one from `make` when it is empty, kInvalidArgument
// otherwise.
core::Result<std::string> IdOrNew(const std::string& id, std::string_view what,
                                  std::string (*make)() = &NewUuid);
// Whether `id` can name a row at all (a malformed id names none: finders answer "not found").
bool CanBeId(const std::string& id);

}  // namespace flow::adapters::storage
