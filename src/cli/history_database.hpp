// The run history's database, chosen in one place for every command that uses it (`flowtest run`,
// `flowtest runs ...`, `flowtest import DIR`): the URL given with --database, else
// $FLOWTEST_DATABASE_URL, else the SQLite file .flowtest/history.db of the current directory
// (docs/history.md). Opening migrates the database (adapters/storage/open_database.hpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "service/ports/database.hpp"

namespace flow::cli {

struct HistoryDatabase {
  std::unique_ptr<service::Database> database;
  std::string location;  // the URL opened, with any password replaced by "***", for messages
};

// The database URL every command uses: `given` (what --database gave) when not blank, else
// $FLOWTEST_DATABASE_URL, else .flowtest/history.db. `flowtest migrate|user|db` open it with the
// operator's extras (adapters::storage::OpenSqlDatabase); the others with OpenHistoryDatabase.
std::string ChosenDatabaseUrl(std::string_view given);

enum class HistoryAccess { kRecord, kReadOnly };

// `url`: what --database gave, or "" for the default. kReadOnly (the `runs` commands) refuses an
// SQLite file that does not exist instead of creating an empty history.
core::Result<HistoryDatabase> OpenHistoryDatabase(std::string_view url,
                                                  HistoryAccess access = HistoryAccess::kRecord);

// A database URL as it may be shown: "postgres://ann:s3cret@db/x" -> "postgres://ann:***@db/x".
std::string RedactDatabaseUrl(std::string_view url);

}  // namespace flow::cli
