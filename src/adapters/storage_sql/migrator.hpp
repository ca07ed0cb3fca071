// Migrator: brings a database's schema to the version this binary knows, one migration file at
// a time, each in its own write transaction together with its row in schema_migrations
// (version, name, SHA-256 of the file, applied_at in unix ms). Concurrent migrators (several
// processes starting at once) apply each migration once: each transaction first takes the
// backend's migration lock, then checks again what is applied. A database with a migration this
// binary does not know (a newer flowtest migrated it), or whose applied file differs from the
// binary's, is refused with kConflict naming the versions.
//
// Uses the connection it is given; not thread-safe (one Migrator per connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage_sql/sql_backend.hpp"
#include "core/result.hpp"

namespace flow::adapters::storage {

// The SHA-256 (lower-case hex) of a migration's SQL: the one embedded with it, else computed.
std::string ChecksumOf(const Migration& migration);

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
  std::optional<std::int64_t> applied_at;
  bool known = true;     // false: applied by a newer flowtest, not in this binary
  std::string checksum;  // of an applied migration: SHA-256 of its SQL
};

class Migrator {
 public:
  Migrator(SqlBackend& backend, SqlConnection& connection)
      : backend_(backend), connection_(connection) {}

  int LatestVersion() const;
  // The highest applied version; 0 for an empty database.
  core::Result<int> CurrentVersion();
  // Every migration the binary knows, applied or pending, plus those applied that it does not.
  core::Result<std::vector<MigrationStatus>> Status();
  // Applies the pending migrations up to `target` (default: all); returns those applied now.
  // kConflict for a database newer than the binary or a changed migration file.
  core::Result<std::vector<MigrationStatus>> Migrate(std::optional<int> target = std::nullopt);
  // kConflict when the database is newer than the binary (see above); nothing is changed.
  core::Result<void> CheckNotNewer();

 private:
  core::Result<bool> TableExists();
  core::Result<std::vector<MigrationStatus>> Applied();
  core::Result<void> Verify(const std::vector<MigrationStatus>& applied);

  SqlBackend& backend_;
  SqlConnection& connection_;
};

}  // namespace flow::adapters::storage
