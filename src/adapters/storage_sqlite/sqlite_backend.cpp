#include "adapters/storage_sqlite/sqlite_backend.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "adapters/storage_sql/transaction.hpp"
#include "core/value.hpp"

namespace flow::adapters::storage {
namespace {

// "$12" -> "?12" outside string literals and quoted names: SQLite binds ?NNN by number.
std::string ToSqlitePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

core::Error SqliteError(sqlite3* db, int code, std::string_view what) {
  const std::string message =
      std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SqlRetry(message);
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return SqlConflict(message, "unique");
      }
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) return SqlConflict(message, "foreign_key");
      return core::InvalidArgument(message);
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_CORRUPT:
    case SQLITE_NOMEM:
      return core::Unavailable(message);
    default:
      return core::Internal(message);
  }
}

// The conversions the shared SQL names; in SQLite the stored forms already are what the
// stores read and write.
void Identity(sqlite3_context* context, int, sqlite3_value** argv) {
  sqlite3_result_value(context, argv[0]);
}

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  core::Result<SqlResult> Query(std::string_view sql, const SqlParams& params) override {
    core::Result<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared) return std::move(prepared).error();
    sqlite3_stmt* stmt = *prepared;
    // The texts are bound where they are (SQLITE_STATIC, not copied): `params` outlives every
    // step, and the bindings are cleared before this returns.
    struct Unbind {
      sqlite3_stmt* stmt;
      ~Unbind() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
      }
    } unbind{stmt};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              rc = sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              rc = sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              rc = sqlite3_bind_double(stmt, index, v);
            } else if constexpr (std::is_same_v<T, bool>) {
              rc = sqlite3_bind_int(stmt, index, v ? 1 : 0);
            } else {
              rc = sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC,
                                       SQLITE_UTF8);
            }
          },
          params[i].value);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "binding parameter " + std::to_string(index));
    }
    SqlResult result;
    const int columns = sqlite3_column_count(stmt);
    for (int i = 0; i < columns; ++i) result.columns.emplace_back(sqlite3_column_name(stmt, i));
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        return SqliteError(db_, sqlite3_extended_errcode(db_), "sqlite");
      }
      std::vector<std::optional<std::string>> cells(columns);
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_NULL:
            break;
          case SQLITE_INTEGER:
            cells[i] = std::to_string(sqlite3_column_int64(stmt, i));
            break;
          case SQLITE_FLOAT: {
            // Shortest text that reads back as the same double (sqlite's own keeps 15 digits).
            char buffer[32];
            const auto end = std::to_chars(buffer, buffer + sizeof buffer, sqlite3_column_double(stmt, i));
            cells[i] = std::string(buffer, end.ptr);
            break;
          }
          default: {
            const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, i));
            cells[i] = std::string(text != nullptr ? text : "",
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
          }
        }
      }
      result.rows.emplace_back(std::move(cells));
    }
    if (!sqlite3_stmt_readonly(stmt)) result.affected = sqlite3_changes64(db_);
    return result;
  }

  core::Result<void> ExecScript(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      const std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      core::Error e = SqliteError(nullptr, sqlite3_extended_errcode(db_), "sqlite");
      e.message = detail;
      return e;
    }
    return core::Ok();
  }

  core::Result<void> Begin(TxMode mode) override {
    return Simple(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  core::Result<void> Commit() override { return Simple("COMMIT"); }
  core::Result<void> Rollback() override {
    if (sqlite3_get_autocommit(db_)) return core::Ok();  // nothing open
    return Simple("ROLLBACK");
  }
  bool Healthy() const override { return true; }
  core::Result<void> PrepareAhead(std::string_view sql) override {
    core::Result<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared) return std::move(prepared).error();
    return core::Ok();
  }

  // The size of the write-ahead log's file now (0 without one).
  std::uintmax_t WalFileSize() const {
    const char* db_file = sqlite3_db_filename(db_, "main");
    if (db_file == nullptr || *db_file == '\0') return 0;  // in memory
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(sqlite3_filename_wal(db_file), ec);
    return ec ? 0 : size;
  }

 private:
  // BEGIN, COMMIT, ROLLBACK: prepared once, like the stores' statements (sqlite3_exec would
  // parse them again at every transaction).
  core::Result<void> Simple(const char* sql) {
    core::Result<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared) return std::move(prepared).error();
    const int rc = sqlite3_step(*prepared);
    std::optional<core::Error> failed;
    if (rc != SQLITE_DONE) failed = SqliteError(db_, sqlite3_extended_errcode(db_), sql);
    sqlite3_reset(*prepared);
    if (failed) return std::move(*failed);
    return core::Ok();
  }

  core::Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
    std::string key(sql);
    const std::string text = ToSqlitePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement");
    // The stores send a bounded set of statements (ListRuns builds at most 32 variants).
    if (statements_.size() > 256) {
      for (auto& [s, old] : statements_) sqlite3_finalize(old);
      statements_.clear();
    }
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
};

// The CHECK constraints of a CREATE TABLE text, each with its whitespace collapsed.
std::vector<std::string> CheckConstraints(const std::string& sql) {
  std::vector<std::string> out;
  for (std::size_t at = sql.find("CHECK ("); at != std::string::npos;
       at = sql.find("CHECK (", at + 1)) {
    std::string check;
    int depth = 0;
    char quote = 0;
    for (std::size_t i = at + 6; i < sql.size(); ++i) {
      const char c = sql[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        check += c;
        break;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!check.empty() && check.back() != ' ') check += ' ';
      } else {
        check += c;
      }
    }
    out.push_back(std::move(check));
  }
  return out;
}

// The write-ahead log is folded back into the file (a checkpoint: copying its pages, two fsyncs)
// by Housekeep(kWhenDue) once it holds kCheckpointFrames pages, or by the commit that makes it
// hold kForcedCheckpointFrames when nobody housekept. This replaces SQLite's automatic checkpoint,
// which the commit passing 1000 pages ran, whichever thread it was: often the end of a run.
// Housekeep(kNow), which `flowtest run` calls once it has opened the database (while its suites
// load and its run starts), folds back a log longer than kWalFileLimit: the log's file is cut back
// to that size when it starts again (journal_size_limit), so that a longer file means that much
// log not yet folded back.
constexpr int kCheckpointFrames = 1000;
constexpr int kForcedCheckpointFrames = 4000;
constexpr std::uintmax_t kWalFileLimit = 1 << 20;

class SqliteBackend final : public SqlBackend {
 public:
  explicit SqliteBackend(std::string path) : path_(std::move(path)) {}

  std::string_view Dialect() const override { return "sqlite"; }
  std::string Location() const override { return path_; }
  std::size_t MaxConnections() const override { return 4; }
  std::span<const Migration> Migrations() const override { return SqliteMigrations(); }

  core::Result<std::unique_ptr<SqlConnection>> Connect() override {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    const int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      core::Error e = core::Unavailable("cannot open the SQLite database " + path_ + ": " +
                                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
      sqlite3_close_v2(db);
      return e;
    }
    auto connection = std::make_unique<SqliteConnection>(db);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_wal_hook(db, &SqliteBackend::OnWalCommit, this);  // (no automatic checkpoint)
    for (const char* name : {"flow_ts", "flow_ms", "flow_text_array", "flow_array_json"}) {
      sqlite3_create_function_v2(db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                 nullptr, Identity, nullptr, nullptr, nullptr);
    }
    // WAL is a property of the file: setting it may meet another connection doing the same.
    for (int attempt = 1;; ++attempt) {
      core::Result<void> set = connection->ExecScript(
          "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
          "PRAGMA journal_size_limit = " + std::to_string(kWalFileLimit) + ";");
      if (set) break;
      if (!IsRetryable(set.error()) || attempt == kTransactionAttempts) {
        core::Error e = std::move(set).error();
        e.message = "cannot open the SQLite database " + path_ + ": " + e.message;
        return e;
      }
      BackOff(attempt);
    }
    return std::unique_ptr<SqlConnection>(std::move(connection));
  }

  std::string_view ForUpdate() const override { return ""; }
  std::string_view ForUpdateSkipLocked() const override { return ""; }
  std::string PriorityRank(std::string_view column) const override {
    const std::string c(column);
    return "CASE " + c + " WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";
  }
  std::string JsonText(const core::Value& value) const override { return core::DumpJson(value); }
  std::string StoredJsonText(std::string json) const override { return json; }
  std::string_view TableExistsSql() const override {
    return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1";
  }
  core::Result<void> LockMigrations(SqlConnection&) override { return core::Ok(); }
  core::Result<void> PrepareLogTimes(SqlConnection&, const std::vector<std::int64_t>&) override {
    return core::Ok();
  }

  core::Result<RetentionResult> DropLogsBefore(SqlConnection& c, std::int64_t cutoff) override {
    FLOW_TRY_VOID(c.Begin(TxMode::kWrite));
    core::Result<SqlResult> r = c.Query("DELETE FROM step_log WHERE timestamp < $1", {Param(cutoff)});
    if (!r) {
      (void)c.Rollback();
      return std::move(r).error();
    }
    FLOW_TRY_VOID(c.Commit());
    return RetentionResult{.deleted_rows = r->affected};
  }

  core::Result<void> Housekeep(SqlConnection& c, service::Database::Upkeep upkeep) override {
    if (upkeep == service::Database::Upkeep::kWhenDue && wal_frames_.load() < kCheckpointFrames) {
      return core::Ok();
    }
    if (upkeep == service::Database::Upkeep::kNow &&
        static_cast<SqliteConnection&>(c).WalFileSize() <= kWalFileLimit) {
      return core::Ok();
    }
    FLOW_TRY_VOID(c.ExecScript("PRAGMA wal_checkpoint(PASSIVE)"));
    wal_frames_.store(0);  // the next commit starts the log again from its beginning
    return core::Ok();
  }

  core::Result<std::string> DescribeSchema(SqlConnection& c) override {
    core::Result<SqlResult> tables = c.Query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name");
    if (!tables) return std::move(tables).error();
    std::ostringstream out;
    for (const SqlRow& table : tables->rows) {
      const std::string name = table.Text(0);
      out << "table " << name << "\n";
      // Column order, types, NOT NULL, defaults and primary key position.
      core::Result<SqlResult> columns = c.Query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1) ORDER BY cid", {Param(name)});
      if (!columns) return std::move(columns).error();
      for (const SqlRow& col : columns->rows) {
        out << "  column " << col.Text(0) << " " << col.Text(1) << (col.Int(2) ? " not null" : "")
            << (col.IsNull(3) ? "" : " default " + col.Text(3)) << (col.Int(4) ? " pk" + col.Text(4) : "")
            << "\n";
      }
      core::Result<SqlResult> keys = c.Query("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY \"from\"", {Param(name)});
      if (!keys) return std::move(keys).error();
      for (const SqlRow& key : keys->rows) {
        out << "  foreign key " << key.Text(0) << " -> " << key.Text(1) << "(" << key.Text(2)
            << ") on delete " << key.Text(3) << "\n";
      }
      core::Result<SqlResult> indexes = c.Query("SELECT name, \"unique\", origin FROM pragma_index_list($1) ORDER BY name", {Param(name)});
      if (!indexes) return std::move(indexes).error();
      for (const SqlRow& index : indexes->rows) {
        core::Result<SqlResult> parts = c.Query("SELECT name FROM pragma_index_info($1) ORDER BY seqno", {Param(index.Text(0))});
        if (!parts) return std::move(parts).error();
        // Automatic indexes (of UNIQUE and PRIMARY KEY) are named by position: describe them by
        // what they cover.
        out << "  index " << (index.Text(2) == "c" ? index.Text(0) : index.Text(2)) << (index.Int(1) ? " unique" : "") << " (";
        for (std::size_t i = 0; i < parts->rows.size(); ++i) out << (i ? ", " : "") << parts->rows[i].Text(0);
        out << ")\n";
      }
      for (const std::string& check : CheckConstraints(table.Text(1))) {
        out << "  check " << check << "\n";
      }
    }
    return out.str();
  }

 private:
  // After every commit, on the committing connection: `frames` is the log's length now.
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int frames) {
    auto* backend = static_cast<SqliteBackend*>(self);
    backend->wal_frames_.store(frames);
    if (frames >= kForcedCheckpointFrames) {
      if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
          SQLITE_OK) {
        backend->wal_frames_.store(0);
      }
    }
    return SQLITE_OK;
  }

  std::string path_;
  std::atomic<int> wal_frames_{0};
};

}  // namespace

std::unique_ptr<SqlBackend> MakeSqliteBackend(std::string path) {
  return std::make_unique<SqliteBackend>(std::move(path));
}

}  // namespace flow::adapters::storage
