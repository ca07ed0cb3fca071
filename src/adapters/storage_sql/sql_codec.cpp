#include "adapters/storage_sql/sql_codec.hpp"

#include "adapters/sodium/uuid.hpp"
#include "core/util/strings.hpp"

namespace flow::adapters::storage {

SqlParam JsonParam(const SqlBackend& backend, const core::Value& value, bool nullable) {
  if (nullable && value.is_null()) return SqlParam::Null();
  return Param(backend.JsonText(value));
}

SqlParam JsonTextParam(const SqlBackend& backend, std::string json, bool nullable) {
  if (nullable && json.empty()) return SqlParam::Null();
  return Param(backend.StoredJsonText(std::move(json)));
}

core::Value JsonCell(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return core::Value();
  core::Value value = core::Value::parse(row.Text(i), nullptr, false);
  return value.is_discarded() ? core::Value() : value;
}

SqlParam ArrayParam(const std::vector<std::string>& values) {
  return Param(core::DumpJson(core::Value(values)));
}

std::vector<std::string> ArrayCell(const SqlRow& row, std::size_t i) {
  std::vector<std::string> out;
  const core::Value value = JsonCell(row, i);
  if (!value.is_array()) return out;
  for (const core::Value& v : value) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

core::Result<std::string> IdOrNew(const std::string& id, std::string_view what,
                                  std::string (*make)()) {
  if (id.empty()) return make();
  if (!IsUuid(id)) {
    return core::InvalidArgument(std::string(what) + " id '" + id + "' is not a UUID");
  }
  return core::ToLower(id);
}

bool CanBeId(const std::string& id) { return IsUuid(id); }

}  // namespace flow::adapters::storage
