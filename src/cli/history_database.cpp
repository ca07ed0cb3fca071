#include "cli/history_database.hpp"

#include "adapters/storage/open_database.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {

std::string RedactDatabaseUrl(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t start = scheme + 3;
  const std::size_t at = url.find('@', start);
  const std::size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const std::size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

std::string ChosenDatabaseUrl(std::string_view given) {
  return core::Trim(given).empty() ? adapters::storage::DefaultDatabaseUrl()
                                   : std::string(core::Trim(given));
}

core::Result<HistoryDatabase> OpenHistoryDatabase(std::string_view url, HistoryAccess access) {
  const std::string chosen = ChosenDatabaseUrl(url);
  HistoryDatabase out{.location = RedactDatabaseUrl(chosen)};
  core::Result<std::unique_ptr<service::Database>> opened =
      adapters::storage::OpenDatabase(
          chosen, adapters::storage::DatabaseOptions{.must_exist = access == HistoryAccess::kReadOnly});
  if (!opened) {
    core::Error e = std::move(opened).error();
    e.message = "the run history " + out.location + ": " + e.message;
    return e;
  }
  out.database = std::move(*opened);
  return out;
}

}  // namespace flow::cli
