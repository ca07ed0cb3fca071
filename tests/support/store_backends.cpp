#include "tests/support/store_backends.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "adapters/sodium/uuid.hpp"
#include "adapters/storage/open_database.hpp"
#include "adapters/storage_pg/pg_backend.hpp"
#include "adapters/storage_sqlite/sqlite_backend.hpp"

namespace flow::testing {
namespace {

using adapters::storage::SqlResult;

// `url` with its database name replaced by `name`.
std::string WithDatabaseName(const std::string& url, const std::string& name) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::size_t query = url.find('?');
  const std::string head = path == std::string::npos ? url.substr(0, query) : url.substr(0, path);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + name + tail;
}

core::Result<SqlResult> RawOn(adapters::storage::SqlBackend& backend, const std::string& sql) {
  core::Result<std::unique_ptr<adapters::storage::SqlConnection>> c = backend.Connect();
  if (!c) return std::move(c).error();
  return (*c)->Query(sql);
}

class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "flowtest-store-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
    url_ = dir_ + "/history.db";
  }
  ~SqliteTestDatabase() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string dialect() const override { return "sqlite"; }

 private:
  std::string dir_;
};

class PgTestDatabase final : public TestDatabase {
 public:
  PgTestDatabase(std::string admin, std::string name) : admin_(std::move(admin)), name_(std::move(name)) {
    url_ = WithDatabaseName(admin_, name_);
  }
  ~PgTestDatabase() override {
    auto backend = adapters::storage::MakePgBackend(admin_);
    (void)RawOn(*backend, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  std::string dialect() const override { return "postgres"; }

 private:
  std::string admin_;
  std::string name_;
};

// A database and the place it lives in, removed after the database is closed.
class OwnedDatabase final : public service::Database {
 public:
  OwnedDatabase(std::unique_ptr<TestDatabase> place,
                std::unique_ptr<adapters::storage::SqlDatabase> db)
      : place_(std::move(place)), db_(std::move(db)) {}
  ~OwnedDatabase() override { db_.reset(); }

  std::string Dialect() const override { return db_->Dialect(); }
  core::Result<int> SchemaVersion() override { return db_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return db_->LatestSchemaVersion(); }
  service::SuiteStore& suites() override { return db_->suites(); }
  service::RunStore& runs() override { return db_->runs(); }
  service::RetryStore& retries() override { return db_->retries(); }
  service::JobStore& jobs() override { return db_->jobs(); }
  service::UserStore& users() override { return db_->users(); }
  service::AuditLog& audit() override { return db_->audit(); }

 private:
  std::unique_ptr<TestDatabase> place_;
  std::unique_ptr<adapters::storage::SqlDatabase> db_;
};

}  // namespace

std::unique_ptr<service::Database> OpenOwned(std::unique_ptr<TestDatabase> place,
                                             std::string& error) {
  if (!place) return nullptr;
  core::Result<std::unique_ptr<adapters::storage::SqlDatabase>> db = place->Open();
  if (!db) {
    error = "cannot open " + place->url() + ": " + db.error().message;
    return nullptr;
  }
  return std::make_unique<OwnedDatabase>(std::move(place), std::move(*db));
}

std::optional<std::string> PgAdminUrl() {
  const char* url = std::getenv("FLOW_PG_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string PgUnavailableReason() {
  if (PgAdminUrl()) return "";
  return "no PostgreSQL: FLOW_PG_URL is not set (scripts/postgres.sh start DIR prints one)";
}

core::Result<std::unique_ptr<adapters::storage::SqlDatabase>> TestDatabase::Open(
    adapters::storage::DatabaseOptions options) const {
  if (!options.cipher) options.cipher.emplace(TestCipher(false));
  if (!options.warn) options.warn = [](std::string_view) {};
  return adapters::storage::OpenSqlDatabase(url_, std::move(options));
}

core::Result<SqlResult> TestDatabase::Raw(const std::string& sql) const {
  auto backend = dialect() == "sqlite" ? adapters::storage::MakeSqliteBackend(url_)
                                       : adapters::storage::MakePgBackend(url_);
  return RawOn(*backend, sql);
}

std::unique_ptr<TestDatabase> NewSqliteDatabase(std::string& reason) {
  auto db = std::make_unique<SqliteTestDatabase>();
  if (db->url() == "/history.db") {
    reason = "cannot create a temporary folder";
    return nullptr;
  }
  return db;
}

std::unique_ptr<TestDatabase> NewPgDatabase(std::string& reason) {
  const std::optional<std::string> admin = PgAdminUrl();
  if (!admin) {
    reason = PgUnavailableReason();
    return nullptr;
  }
  std::string name = "flowtest_" + adapters::NewUuid();
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  auto backend = adapters::storage::MakePgBackend(*admin);
  core::Result<SqlResult> created = RawOn(*backend, "CREATE DATABASE " + name);
  if (!created) {
    reason = "cannot create a database on FLOW_PG_URL: " + created.error().message;
    return nullptr;
  }
  return std::make_unique<PgTestDatabase>(*admin, name);
}

adapters::SecretKey TestKey(int variant) {
  adapters::SecretKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + variant);
  return key;
}

adapters::CheckpointCipher TestCipher(bool with_key) {
  return adapters::CheckpointCipher(with_key ? std::optional(TestKey()) : std::nullopt);
}

}  // namespace flow::testing
