// OpenDatabase: the database a URL names, opened and migrated (the composition roots' one entry
// to storage).
//   postgres://user:password@host:port/db, postgresql://...   PostgreSQL (storage_pg)
//   sqlite:PATH, file:PATH[?options], or a plain PATH           SQLite (storage_sqlite); the
//                                                               parent folder is created
// The default is DefaultDatabaseUrl(): $FLOWTEST_DATABASE_URL, else .flowtest/history.db.
// Opening applies pending migrations and refuses (kConflict, naming both versions) a database
// migrated by a newer flowtest. FLOWTEST_SECRET_KEY, when set, must be a valid key
// (adapters/sodium/checkpoint_cipher.hpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "adapters/storage_sql/sql_database.hpp"
#include "core/result.hpp"
#include "service/ports/database.hpp"

namespace flow::adapters::storage {

inline constexpr const char* kDatabaseUrlVariable = "FLOWTEST_DATABASE_URL";
inline constexpr const char* kDefaultDatabasePath = ".flowtest/history.db";

std::string DefaultDatabaseUrl();

core::Result<std::unique_ptr<service::Database>> OpenDatabase(std::string_view url,
                                                              DatabaseOptions options = {});
// The same, with the operator's extras (migration status, retention, schema description).
core::Result<std::unique_ptr<SqlDatabase>> OpenSqlDatabase(std::string_view url,
                                                           DatabaseOptions options = {});

}  // namespace flow::adapters::storage
