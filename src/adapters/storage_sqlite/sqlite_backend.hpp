// SQLite, the embedded database: one file, opened in WAL mode (readers never wait for the
// writer) with foreign keys on, a 10 s busy timeout, and write transactions begun IMMEDIATE so
// writers queue for the one write lock instead of failing mid-transaction. The SQL the stores
// share is run as it is: $N parameters become ?N, and flow_ts/flow_ms/flow_text_array/
// flow_array_json are registered on each connection as the identity (times are INTEGER unix ms,
// arrays are JSON text). Thread-safe (a connection per pool slot).
#pragma once

#include <memory>
#include <string>

#include "adapters/storage_sql/sql_backend.hpp"

namespace flow::adapters::storage {

std::span<const Migration> SqliteMigrations();  // generated from migrations/

// `path`: a file path, or a "file:" URI (SQLite's URI filenames, e.g. "file:x.db?mode=ro").
std::unique_ptr<SqlBackend> MakeSqliteBackend(std::string path);

}  // namespace flow::adapters::storage
