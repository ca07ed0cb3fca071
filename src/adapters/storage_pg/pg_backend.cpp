#include "adapters/storage_pg/pg_backend.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <sstream>

#include "core/util/strings.hpp"
#include "core/value.hpp"

namespace flow::adapters::storage {
namespace {

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms), UTC.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t& y, unsigned& m) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::string Date(std::int64_t y, unsigned m) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-01", static_cast<long long>(y), m);
  return buffer;
}

// Text PostgreSQL can store: NUL and invalid UTF-8 become U+FFFD.
std::string PgText(std::string_view text) {
  bool clean = true;
  for (std::size_t i = 0; i < text.size() && clean;) {
    std::size_t length = 0;
    const std::uint32_t cp = core::DecodeUtf8At(text, i, length);
    if (cp == 0 || (cp == 0xFFFD && length == 1)) clean = false;
    i += length;
  }
  if (clean) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 0;
    const std::uint32_t cp = core::DecodeUtf8At(text, i, length);
    if (cp == 0 || (cp == 0xFFFD && length == 1)) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

core::Error PgError(const PGresult* result, PGconn* conn, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string message = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : "" : "";
  if (message.empty()) message = conn != nullptr ? PQerrorMessage(conn) : "unknown error";
  if (const char* detail = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr) {
    message += " (" + std::string(detail) + ")";
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  message = std::string(what) + ": " + message;
  if (sqlstate == "23505") return SqlConflict(message, "unique");
  if (sqlstate == "23503") return SqlConflict(message, "foreign_key");
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") return SqlRetry(message);
  if (sqlstate.rfind("23", 0) == 0 || sqlstate.rfind("22", 0) == 0) {
    return core::InvalidArgument(message);
  }
  if (sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0 ||
      (conn != nullptr && PQstatus(conn) != CONNECTION_OK)) {
    return SqlConnectionLost(message);
  }
  if (sqlstate.rfind("53", 0) == 0) return core::Unavailable(message);
  return core::Internal(message);
}

void IgnoreNotice(void*, const char*) {}

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  }
  ~PgConnection() override { PQfinish(conn_); }

  core::Result<SqlResult> Query(std::string_view sql, const SqlParams& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      bool null = false;
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              null = true;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              texts[i] = std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
              char buffer[32];
              texts[i] = std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
            } else if constexpr (std::is_same_v<T, bool>) {
              texts[i] = v ? "true" : "false";
            } else {
              texts[i] = PgText(v);
            }
          },
          params[i].value);
      if (!null) values[i] = texts[i].c_str();
    }
    const std::string text(sql);
    PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                                    values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      core::Error e = PgError(result, conn_, "postgres");
      PQclear(result);
      return e;
    }
    SqlResult out;
    const int columns = PQnfields(result);
    for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(result, c));
    const int rows = PQntuples(result);
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<std::optional<std::string>> cells(columns);
      for (int c = 0; c < columns; ++c) {
        if (!PQgetisnull(result, r, c)) {
          cells[c] = std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c));
        }
      }
      out.rows.emplace_back(std::move(cells));
    }
    const char* affected = PQcmdTuples(result);
    if (affected != nullptr && *affected != '\0') out.affected = std::atoll(affected);
    PQclear(result);
    return out;
  }

  core::Result<void> ExecScript(std::string_view sql) override {
    const std::string text(sql);
    PGresult* result = PQexec(conn_, text.c_str());
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      core::Error e = PgError(result, conn_, "postgres");
      PQclear(result);
      return e;
    }
    PQclear(result);
    return core::Ok();
  }

  core::Result<void> Begin(TxMode) override { return Simple("BEGIN"); }
  core::Result<void> Commit() override {
    PGresult* result = PQexec(conn_, "COMMIT");
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    // COMMIT of a transaction that had failed answers ROLLBACK: report it.
    const bool rolled_back = ok && std::strcmp(PQcmdStatus(result), "ROLLBACK") == 0;
    core::Error e = ok ? core::Error{} : PgError(result, conn_, "commit");
    PQclear(result);
    if (!ok) return e;
    if (rolled_back) return core::Internal("commit: the transaction had failed and was rolled back");
    return core::Ok();
  }
  core::Result<void> Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return core::Ok();
    return Simple("ROLLBACK");
  }
  bool Healthy() const override {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  core::Result<void> Simple(const char* sql) {
    PGresult* result = PQexec(conn_, sql);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      core::Error e = PgError(result, conn_, sql);
      PQclear(result);
      return e;
    }
    PQclear(result);
    return core::Ok();
  }

  PGconn* conn_;
};

std::int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Keys of the advisory locks (any fixed 64-bit numbers; these spell "flowmigr" and "flowpart").
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7380453553330711922)";
constexpr const char* kPartitionLock = "SELECT pg_advisory_xact_lock(7380453553363168628)";

class PgBackend final : public SqlBackend {
 public:
  explicit PgBackend(std::string url) : url_(std::move(url)) {}

  std::string_view Dialect() const override { return "postgres"; }
  std::string Location() const override { return RedactPgUrl(url_); }
  std::size_t MaxConnections() const override { return 8; }
  std::span<const Migration> Migrations() const override { return PgMigrations(); }

  core::Result<std::unique_ptr<SqlConnection>> Connect() override {
    // Defaults first: the URL's own settings override them; the encoding is always UTF-8.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "flowtest", url_.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      PQfinish(conn);
      core::Error e = SqlConnectionLost("cannot connect to PostgreSQL at " + Location() + ": " + message);
      e.hint = "is the server running, and is the URL right (postgres://user:password@host:port/db)?";
      return e;
    }
    return std::unique_ptr<SqlConnection>(std::make_unique<PgConnection>(conn));
  }

  std::string_view ForUpdate() const override { return " FOR UPDATE"; }
  std::string_view ForUpdateSkipLocked() const override { return " FOR UPDATE SKIP LOCKED"; }
  // The flow_priority enum is declared critical, high, medium, low: its order is the rank.
  std::string PriorityRank(std::string_view column) const override { return std::string(column); }
  std::string JsonText(const core::Value& value) const override {
    return StoredJsonText(core::DumpJson(value));
  }
  std::string StoredJsonText(std::string text) const override {
    // jsonb refuses the escaped NUL character: store U+FFFD like in text columns.
    for (std::size_t at = 0; (at = text.find("\\u0000", at)) != std::string::npos;) {
      std::size_t backslashes = 0;
      while (at > backslashes && text[at - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) text.replace(at, 6, "\\ufffd");
      at += 6;
    }
    return text;
  }
  std::string_view TableExistsSql() const override {
    return "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND "
           "tablename = $1";
  }
  core::Result<void> LockMigrations(SqlConnection& c) override { return c.Exec(kMigrationLock); }

  core::Result<void> PrepareLogTimes(SqlConnection& c, const std::vector<std::int64_t>& times) override {
    std::set<std::string> seen;
    for (const std::int64_t t : times) {
      const LogPartition p = LogPartitionOf(t);
      if (!seen.insert(p.name).second) continue;
      {
        // Only months that have not ended are trusted to the cache: `flowtest db retention` in
        // another process may drop an ended month's partition, so those are checked again.
        std::lock_guard lock(mutex_);
        if (known_.count(p.name) != 0 && p.end_ms > WallClockMs()) continue;
      }
      FLOW_TRY_VOID(CreatePartition(c, p));
      std::lock_guard lock(mutex_);
      known_.insert(p.name);
    }
    return core::Ok();
  }

  core::Result<RetentionResult> DropLogsBefore(SqlConnection& c, std::int64_t cutoff) override {
    core::Result<SqlResult> partitions = c.Query(
        "SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid "
        "JOIN pg_class parent ON parent.oid = i.inhparent WHERE parent.relname = 'step_log' AND "
        "parent.relnamespace = current_schema()::regnamespace ORDER BY child.relname");
    if (!partitions) return std::move(partitions).error();
    RetentionResult out;
    for (const SqlRow& row : partitions->rows) {
      const std::string name = row.Text(0);
      int year = 0;
      unsigned month = 0;
      char tail = 0;
      if (std::sscanf(name.c_str(), "step_log_p%4d_%2u%c", &year, &month, &tail) != 2 || month < 1 || month > 12) {
        continue;  // not one of ours
      }
      const std::int64_t end_ms =
          DaysFromCivil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) * 86'400'000;
      if (end_ms > cutoff) continue;
      FLOW_TRY_VOID(c.Begin(TxMode::kWrite));
      core::Result<void> dropped = c.Exec("DROP TABLE IF EXISTS " + name);
      if (!dropped) {
        (void)c.Rollback();
        return std::move(dropped).error();
      }
      FLOW_TRY_VOID(c.Commit());
      std::lock_guard lock(mutex_);
      known_.erase(name);
      out.dropped_partitions.push_back(name);
    }
    return out;
  }

  core::Result<std::string> DescribeSchema(SqlConnection& c) override {
    std::ostringstream out;
    const auto dump = [&](const char* title, const char* sql) -> core::Result<void> {
      core::Result<SqlResult> r = c.Query(sql);
      if (!r) return std::move(r).error();
      for (const SqlRow& row : r->rows) {
        out << title;
        for (std::size_t i = 0; i < row.size(); ++i) out << " " << (row.IsNull(i) ? "null" : row.Text(i));
        out << "\n";
      }
      return core::Ok();
    };
    FLOW_TRY_VOID(dump("column",
                       "SELECT table_name, ordinal_position, column_name, data_type, udt_name, "
                       "is_nullable, column_default FROM information_schema.columns WHERE "
                       "table_schema = current_schema() AND table_name NOT LIKE 'step\\_log\\_p%' "
                       "ORDER BY table_name, ordinal_position"));
    FLOW_TRY_VOID(dump("index",
                       "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = "
                       "current_schema() AND tablename NOT LIKE 'step\\_log\\_p%' ORDER BY "
                       "tablename, indexname"));
    FLOW_TRY_VOID(dump("constraint",
                       "SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid) FROM "
                       "pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid WHERE "
                       "rel.relnamespace = current_schema()::regnamespace AND rel.relname NOT "
                       "LIKE 'step\\_log\\_p%' ORDER BY rel.relname, con.conname"));
    FLOW_TRY_VOID(dump("enum",
                       "SELECT t.typname, e.enumsortorder, e.enumlabel FROM pg_type t JOIN pg_enum "
                       "e ON e.enumtypid = t.oid WHERE t.typnamespace = "
                       "current_schema()::regnamespace ORDER BY t.typname, e.enumsortorder"));
    FLOW_TRY_VOID(dump("partitioned",
                       "SELECT c.relname, pg_get_partkeydef(c.oid) FROM pg_class c WHERE "
                       "c.relkind = 'p' AND c.relnamespace = current_schema()::regnamespace ORDER "
                       "BY c.relname"));
    return out.str();
  }

 private:
  core::Result<void> CreatePartition(SqlConnection& c, const LogPartition& p) {
    // Its own transaction, serialized between processes by an advisory lock: two creators of the
    // same month would otherwise collide in the catalog.
    FLOW_TRY_VOID(c.Begin(TxMode::kWrite));
    core::Result<void> created = [&]() -> core::Result<void> {
      FLOW_TRY_VOID(c.Exec(kPartitionLock));
      return c.Exec("CREATE TABLE IF NOT EXISTS " + p.name + " PARTITION OF step_log FOR VALUES FROM ('" +
                    p.from + " 00:00:00+00') TO ('" + p.to + " 00:00:00+00')");
    }();
    if (!created) {
      (void)c.Rollback();
      return created;
    }
    return c.Commit();
  }

  std::string url_;
  std::mutex mutex_;
  std::set<std::string> known_;  // partitions known to exist
};

}  // namespace

std::unique_ptr<SqlBackend> MakePgBackend(std::string url) {
  return std::make_unique<PgBackend>(std::move(url));
}

std::string RedactPgUrl(std::string_view url) {
  std::string out(url);
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t at = out.find('@', start);
    const std::size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... in the query string or a key=value connection string
  for (std::size_t at = 0; (at = out.find("password=", at)) != std::string::npos;) {
    const std::size_t begin = at + 9;
    std::size_t end = out.find_first_of("& ", begin);
    if (end == std::string::npos) end = out.size();
    out.replace(begin, end - begin, "***");
    at = begin + 3;
  }
  return out;
}

LogPartition LogPartitionOf(std::int64_t unix_ms) {
  std::int64_t days = unix_ms / 86'400'000;
  if (unix_ms < 0 && unix_ms % 86'400'000 != 0) --days;
  std::int64_t year = 0;
  unsigned month = 0;
  CivilFromDays(days, year, month);
  const std::int64_t next_year = month == 12 ? year + 1 : year;
  const unsigned next_month = month == 12 ? 1 : month + 1;
  char name[40];
  std::snprintf(name, sizeof name, "step_log_p%04lld_%02u", static_cast<long long>(year), month);
  return LogPartition{.name = name,
                      .from = Date(year, month),
                      .to = Date(next_year, next_month),
                      .end_ms = DaysFromCivil(next_year, next_month, 1) * 86'400'000};
}

}  // namespace flow::adapters::storage
