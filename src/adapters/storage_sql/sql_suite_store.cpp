#include <utility>

#include "adapters/sodium/uuid.hpp"
#include "adapters/storage_sql/store_support.hpp"
#include "core/util/digest.hpp"

namespace flow::adapters::storage {
namespace {

using service::Priority;
using service::SuiteRecord;
using service::VersionRecord;

constexpr const char* kSuiteColumns =
    "id, node_id, name, description, default_priority, flow_array_json(tags), "
    "flow_ms(created_at), flow_ms(updated_at)";
constexpr const char* kVersionColumns =
    "id, suite_id, version, yaml_raw, yaml_hash, effective_variables, compiled_config, "
    "created_by, flow_ms(created_at)";

SuiteRecord ToSuite(const SqlRow& row) {
  return SuiteRecord{.id = row.Text(0),
                     .node_id = row.Text(1),
                     .name = row.Text(2),
                     .description = row.Text(3),
                     .default_priority = EnumCell(row, 4, Priority::kMedium),
                     .tags = ArrayCell(row, 5),
                     .created_at = row.Int(6),
                     .updated_at = row.Int(7)};
}

VersionRecord ToVersion(const SqlRow& row) {
  return VersionRecord{.id = row.Text(0),
                       .suite_id = row.Text(1),
                       .version = static_cast<int>(row.Int(2)),
                       .yaml_raw = row.Text(3),
                       .yaml_hash = row.Text(4),
                       .effective_variables = JsonCell(row, 5),
                       .compiled_config = JsonCell(row, 6),
                       .created_by = row.Text(7),
                       .created_at = row.Int(8)};
}

// What flow_version.yaml_raw keeps of a suite's text: as it is when it holds no secret value,
// else sealed with the database's key or, without one, with the secret values masked.
std::string StoredText(const CheckpointCipher& cipher, const service::NewVersion& v) {
  if (v.secret_values.empty()) return v.yaml_raw;
  return cipher.has_key() ? cipher.SealText(v.yaml_raw) : service::MaskedYaml(v);
}

// A version as read: a sealed text opened.
core::Result<VersionRecord> Opened(const CheckpointCipher& cipher, VersionRecord version) {
  if (!CheckpointCipher::IsSealedText(version.yaml_raw)) return version;
  core::Result<std::string> text =
      cipher.OpenText(version.yaml_raw, "the text of suite version '" + version.id + "'");
  if (!text) return std::move(text).error();
  version.yaml_raw = std::move(*text);
  return version;
}

}  // namespace

namespace {

constexpr const char* kLightVersionColumns =
    "id, suite_id, version, yaml_hash, created_by, flow_ms(created_at)";

// The upsert locks the suite's row until commit: concurrent saves of one suite take turns.
const std::string& UpsertSuite() {
  static const std::string sql =
      std::string("INSERT INTO flow_suite (id, node_id, name, description, default_priority, "
                  "tags, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                  "flow_text_array($6), flow_ts($7), flow_ts($7)) ON CONFLICT (node_id) DO "
                  "UPDATE SET name = excluded.name, description = excluded.description, "
                  "default_priority = excluded.default_priority, tags = excluded.tags, "
                  "updated_at = excluded.updated_at RETURNING ") +
      kSuiteColumns;
  return sql;
}

const std::string& SelectVersionByHash() {
  static const std::string sql = std::string("SELECT ") + kLightVersionColumns +
                                 " FROM flow_version WHERE suite_id = $1 AND yaml_hash = $2";
  return sql;
}

}  // namespace

std::vector<std::string> SqlSuiteStore::RecordingStatements() {
  return {UpsertSuite(), SelectVersionByHash()};
}

core::Result<service::SavedVersion> SqlSuiteStore::SaveVersion(service::NewVersion v) {
  if (v.node_id.empty()) return core::InvalidArgument("a suite needs a node_id");
  const std::string hash = core::Sha256Hex(v.yaml_raw);
  // The version's text and what is derived from it are not read back: they are those given (the
  // same hash), moved in once the transaction (which may be tried again) is done. A 200-step
  // suite's compiled_config cost milliseconds to parse back.
  const auto light = [](const SqlRow& row) {
    return VersionRecord{.id = row.Text(0),
                         .suite_id = row.Text(1),
                         .version = static_cast<int>(row.Int(2)),
                         .yaml_hash = row.Text(3),
                         .created_by = row.Text(4),
                         .created_at = row.Int(5)};
  };
  core::Result<service::SavedVersion> saved =
      Write(ctx_, [&](SqlConnection& c) -> core::Result<service::SavedVersion> {
        const std::int64_t now = ctx_.now();
        core::Result<std::optional<SuiteRecord>> suite = QueryOne<SuiteRecord>(
            c, UpsertSuite(),
            {Param(NewUuid()), Param(v.node_id), Param(v.name), Param(v.description),
             EnumParam(v.default_priority), ArrayParam(v.tags), Param(now)},
            ToSuite);
        if (!suite) return std::move(suite).error();
        FLOW_CHECK(suite->has_value());
        service::SavedVersion out{.suite = std::move(**suite)};
        core::Result<std::optional<VersionRecord>> existing = QueryOne<VersionRecord>(
            c, SelectVersionByHash(),
            {Param(out.suite.id), Param(hash)}, light);
        if (!existing) return std::move(existing).error();
        if (existing->has_value()) {
          out.version = std::move(**existing);
          return out;
        }
        if (v.derive) std::exchange(v.derive, nullptr)(v);  // once, though the body may rerun
        core::Result<std::optional<VersionRecord>> added = QueryOne<VersionRecord>(
            c,
            std::string("INSERT INTO flow_version (id, suite_id, version, yaml_raw, yaml_hash, "
                        "effective_variables, compiled_config, created_by, created_at) SELECT $1, "
                        "$2, COALESCE(MAX(version), 0) + 1, $3, $4, $5, $6, $7, flow_ts($8) FROM "
                        "flow_version WHERE suite_id = $2 RETURNING ") +
                kLightVersionColumns,
            {Param(NewUuid()), Param(out.suite.id), Param(StoredText(ctx_.cipher, v)),
             Param(hash), JsonParam(ctx_.backend, v.effective_variables),
             JsonParam(ctx_.backend, v.compiled_config), Param(v.created_by), Param(now)},
            light);
        if (!added) return std::move(added).error();
        FLOW_CHECK(added->has_value());
        out.version = std::move(**added);
        out.created = true;
        return out;
      });
  if (!saved) return saved;
  saved->version.yaml_raw = std::move(v.yaml_raw);
  saved->version.effective_variables = std::move(v.effective_variables);
  saved->version.compiled_config = std::move(v.compiled_config);
  return saved;
}

core::Result<std::optional<SuiteRecord>> SqlSuiteStore::FindSuite(const std::string& node_id) {
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryOne<SuiteRecord>(
        c, std::string("SELECT ") + kSuiteColumns + " FROM flow_suite WHERE node_id = $1",
        {Param(node_id)}, ToSuite);
  });
}

core::Result<std::vector<SuiteRecord>> SqlSuiteStore::ListSuites() {
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<SuiteRecord>(
        c, std::string("SELECT ") + kSuiteColumns + " FROM flow_suite ORDER BY node_id", {},
        ToSuite);
  });
}

core::Result<std::vector<VersionRecord>> SqlSuiteStore::ListVersions(const std::string& suite_id) {
  if (!CanBeId(suite_id)) return std::vector<VersionRecord>();
  core::Result<std::vector<VersionRecord>> versions = Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<VersionRecord>(
        c,
        std::string("SELECT ") + kVersionColumns +
            " FROM flow_version WHERE suite_id = $1 ORDER BY version DESC",
        {Param(IdKey(suite_id))}, ToVersion);
  });
  if (!versions) return versions;
  for (VersionRecord& version : *versions) {
    core::Result<VersionRecord> opened = Opened(ctx_.cipher, std::move(version));
    if (!opened) return std::move(opened).error();
    version = std::move(*opened);
  }
  return versions;
}

core::Result<std::optional<VersionRecord>> SqlSuiteStore::FindVersion(const std::string& id) {
  if (!CanBeId(id)) return std::optional<VersionRecord>();
  core::Result<std::optional<VersionRecord>> found = Read(ctx_, [&](SqlConnection& c) {
    return QueryOne<VersionRecord>(
        c, std::string("SELECT ") + kVersionColumns + " FROM flow_version WHERE id = $1",
        {Param(IdKey(id))}, ToVersion);
  });
  if (!found || !found->has_value()) return found;
  core::Result<VersionRecord> opened = Opened(ctx_.cipher, std::move(**found));
  if (!opened) return std::move(opened).error();
  return std::optional<VersionRecord>(std::move(*opened));
}

}  // namespace flow::adapters::storage
