#include "core/util/time.hpp"

#include <cstdio>

namespace flow::core {
namespace {

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second, millis;
};

// Howard Hinnant's days-to-civil algorithm: exact for every date, no time zone database.
Civil ToCivil(std::int64_t unix_ms) {
  std::int64_t ms = unix_ms % 1000;
  std::int64_t secs = unix_ms / 1000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{.year = y + (m <= 2),
               .month = m,
               .day = d,
               .hour = static_cast<unsigned>(rem / 3600),
               .minute = static_cast<unsigned>(rem % 3600 / 60),
               .second = static_cast<unsigned>(rem % 60),
               .millis = static_cast<unsigned>(ms)};
}

}  // namespace

std::string FormatIsoUtc(std::int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second,
                c.millis);
  return buf;
}

std::string FormatFileStamp(std::int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u_%02u-%02u-%02u", static_cast<long long>(c.year),
                c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

}  // namespace flow::core
