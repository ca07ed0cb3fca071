#include "adapters/storage/open_database.hpp"

#include <cstdlib>
#include <filesystem>

#include "adapters/storage_pg/pg_backend.hpp"
#include "adapters/storage_sqlite/sqlite_backend.hpp"
#include "core/util/strings.hpp"

namespace flow::adapters::storage {
namespace {

// The file part of an SQLite location ("file:x.db?mode=ro" -> "x.db").
std::string SqliteFile(const std::string& location) {
  if (!core::StartsWith(location, "file:")) return location;
  std::string path = location.substr(5);
  if (core::StartsWith(path, "//")) path = path.substr(2);  // file://PATH
  const std::size_t query = path.find_first_of("?#");
  return query == std::string::npos ? path : path.substr(0, query);
}

core::Result<std::unique_ptr<SqlBackend>> BackendFor(std::string_view url_view, bool must_exist) {
  const std::string url(core::Trim(url_view));
  if (url.empty()) return core::InvalidArgument("the database URL is empty");
  if (core::StartsWith(url, "postgres://") || core::StartsWith(url, "postgresql://")) {
    return MakePgBackend(url);
  }
  std::string location = url;
  if (core::StartsWith(url, "sqlite:")) {
    location = url.substr(7);
    if (core::StartsWith(location, "//")) location = location.substr(2);  // sqlite://PATH
  } else if (const std::size_t scheme = url.find("://");
             scheme != std::string::npos && !core::StartsWith(url, "file:")) {
    return core::InvalidArgument(
        "unknown database URL scheme '" + url.substr(0, scheme) + "'",
        "use postgres://user:password@host:port/db, sqlite:PATH or a file path");
  }
  const std::string file = SqliteFile(location);
  if (file.empty()) return core::InvalidArgument("the SQLite database path is empty");
  if (file == ":memory:") return MakeSqliteBackend(location);
  std::error_code ec;
  if (must_exist) {
    if (!std::filesystem::exists(file, ec)) {
      return core::NotFound("there is no SQLite database " + file,
                            "`flowtest run` records one; --database or FLOWTEST_DATABASE_URL "
                            "name another");
    }
    return MakeSqliteBackend(location);
  }
  const std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    return core::Unavailable("cannot create the folder " + parent.string() +
                             " for the database: " + ec.message());
  }
  return MakeSqliteBackend(location);
}

}  // namespace

std::string DefaultDatabaseUrl() {
  const char* url = std::getenv(kDatabaseUrlVariable);
  if (url != nullptr && !core::Trim(url).empty()) return std::string(core::Trim(url));
  return kDefaultDatabasePath;
}

core::Result<std::unique_ptr<SqlDatabase>> OpenSqlDatabase(std::string_view url,
                                                           DatabaseOptions options) {
  core::Result<std::unique_ptr<SqlBackend>> backend = BackendFor(url, options.must_exist);
  if (!backend) return std::move(backend).error();
  return SqlDatabase::Open(std::move(*backend), std::move(options));
}

core::Result<std::unique_ptr<service::Database>> OpenDatabase(std::string_view url,
                                                              DatabaseOptions options) {
  core::Result<std::unique_ptr<SqlDatabase>> db = OpenSqlDatabase(url, std::move(options));
  if (!db) return std::move(db).error();
  return std::unique_ptr<service::Database>(std::move(*db));
}

}  // namespace flow::adapters::storage
