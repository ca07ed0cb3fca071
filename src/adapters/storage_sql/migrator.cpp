#include "adapters/storage_sql/migrator.hpp"

#include <algorithm>
#include <chrono>

#include "core/util/digest.hpp"

namespace flow::adapters::storage {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT "
    "NULL, checksum text NOT NULL, applied_at bigint NOT NULL)";

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string ChecksumOf(const Migration& migration) {
  if (*migration.checksum != '\0') return migration.checksum;
  return core::Sha256Hex(migration.sql);
}

int Migrator::LatestVersion() const {
  const auto migrations = backend_.Migrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

core::Result<bool> Migrator::TableExists() {
  core::Result<SqlResult> r = connection_.Query(backend_.TableExistsSql(), {Param("schema_migrations")});
  if (!r) return std::move(r).error();
  return !r->rows.empty() && r->rows[0].Int(0) > 0;
}

core::Result<std::vector<MigrationStatus>> Migrator::Applied() {
  std::vector<MigrationStatus> out;
  core::Result<bool> exists = TableExists();
  if (!exists) return std::move(exists).error();
  if (!*exists) return out;
  core::Result<SqlResult> r = connection_.Query(
      "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  if (!r) return std::move(r).error();
  const auto known = backend_.Migrations();
  for (const SqlRow& row : r->rows) {
    MigrationStatus s{.version = static_cast<int>(row.Int(0)),
                      .name = row.Text(1),
                      .applied = true,
                      .applied_at = row.Int(3),
                      .checksum = row.Text(2)};
    s.known = std::any_of(known.begin(), known.end(),
                          [&](const Migration& m) { return m.version == s.version; });
    out.push_back(std::move(s));
  }
  return out;
}

core::Result<void> Migrator::Verify(const std::vector<MigrationStatus>& applied) {
  const auto known = backend_.Migrations();
  for (const MigrationStatus& s : applied) {
    if (!s.known) {
      int newest = 0;
      for (const MigrationStatus& a : applied) newest = std::max(newest, a.version);
      return core::Conflict(
          "the " + std::string(backend_.Dialect()) + " database " + backend_.Location() +
              " has schema version " + std::to_string(newest) +
              ", newer than this flowtest knows (" + std::to_string(LatestVersion()) + ")",
          "use a flowtest at least as new as the one that migrated it");
    }
    const Migration& m = *std::find_if(known.begin(), known.end(),
                                       [&](const Migration& k) { return k.version == s.version; });
    if (s.checksum != ChecksumOf(m)) {
      return core::Conflict("migration " + std::string(m.name) + " of the database " +
                                backend_.Location() +
                                " differs from the one in this flowtest (its SQL changed after it "
                                "was applied)",
                            "migrations are never edited once released: add a new one");
    }
  }
  return core::Ok();
}

core::Result<int> Migrator::CurrentVersion() {
  core::Result<std::vector<MigrationStatus>> applied = Applied();
  if (!applied) return std::move(applied).error();
  int version = 0;
  for (const MigrationStatus& s : *applied) version = std::max(version, s.version);
  return version;
}

core::Result<std::vector<MigrationStatus>> Migrator::Status() {
  core::Result<std::vector<MigrationStatus>> applied = Applied();
  if (!applied) return std::move(applied).error();
  std::vector<MigrationStatus> out;
  for (const Migration& m : backend_.Migrations()) {
    MigrationStatus s{.version = m.version, .name = m.name};
    for (const MigrationStatus& a : *applied) {
      if (a.version == m.version) {
        s.applied = true;
        s.applied_at = a.applied_at;
      }
    }
    out.push_back(std::move(s));
  }
  for (MigrationStatus& a : *applied) {
    if (!a.known) out.push_back(std::move(a));
  }
  return out;
}

core::Result<void> Migrator::CheckNotNewer() {
  core::Result<std::vector<MigrationStatus>> applied = Applied();
  if (!applied) return std::move(applied).error();
  return Verify(*applied);
}

core::Result<std::vector<MigrationStatus>> Migrator::Migrate(std::optional<int> target) {
  std::vector<MigrationStatus> done;
  // Every open migrates: when a plain read finds everything wanted applied (the usual case),
  // that is all, without the write transaction (and its lock) each migration step takes.
  {
    core::Result<std::vector<MigrationStatus>> applied = Applied();
    if (!applied) return std::move(applied).error();
    FLOW_TRY_VOID(Verify(*applied));
    const auto migrations = backend_.Migrations();
    const bool all = std::all_of(migrations.begin(), migrations.end(), [&](const Migration& m) {
      return (target && m.version > *target) ||
             std::any_of(applied->begin(), applied->end(),
                         [&](const MigrationStatus& a) { return a.version == m.version; });
    });
    if (all) return done;
  }
  for (const Migration& m : backend_.Migrations()) {
    if (target && m.version > *target) break;
    core::Result<bool> applied_now = [&]() -> core::Result<bool> {
      FLOW_TRY_VOID(connection_.Begin(TxMode::kWrite));
      core::Result<bool> step = [&]() -> core::Result<bool> {
        FLOW_TRY_VOID(backend_.LockMigrations(connection_));
        FLOW_TRY_VOID(connection_.Exec(kCreateTable));
        core::Result<std::vector<MigrationStatus>> applied = Applied();
        if (!applied) return std::move(applied).error();
        FLOW_TRY_VOID(Verify(*applied));
        for (const MigrationStatus& a : *applied) {
          if (a.version == m.version) return false;  // another process was first
        }
        if (core::Result<void> ran = connection_.ExecScript(m.sql); !ran) {
          core::Error e = std::move(ran).error();
          e.message = "migration " + std::string(m.name) + " failed: " + e.message;
          return e;
        }
        FLOW_TRY_VOID(connection_.Exec(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, "
            "$3, $4)",
            {Param(m.version), Param(m.name), Param(ChecksumOf(m)), Param(NowMs())}));
        return true;
      }();
      if (!step) {
        (void)connection_.Rollback();
        return step;
      }
      FLOW_TRY_VOID(connection_.Commit());
      return step;
    }();
    if (!applied_now) return std::move(applied_now).error();
    if (*applied_now) {
      done.push_back(MigrationStatus{.version = m.version, .name = m.name, .applied = true});
    }
  }
  return done;
}

}  // namespace flow::adapters::storage
