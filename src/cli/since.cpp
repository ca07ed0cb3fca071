#include "cli/since.hpp"

#include <charconv>
#include <chrono>
#include <string>

#include "cli/age.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {

core::Result<std::int64_t> ParseSince(std::string_view text, std::int64_t now_ms, std::string_view option) {
  const std::string_view given = core::Trim(text);
  if (given.size() < 10 || given[4] != '-') {
    core::Result<std::int64_t> age = ParseAge(given, option);
    if (!age) {
      core::Error e = std::move(age).error();
      e.hint = "give an age (30d, 12h, 2w) or a UTC date (2026-12-01, 2026-12-01T08:30)";
      return e;
    }
    return now_ms - *age;
  }
  // YYYY-MM-DD, then optionally THH:MM, :SS and Z.
  const auto bad = [&] {
    return core::InvalidArgument("'" + std::string(given) + "' is not a date",
                                 "write 2026-12-01, 2026-12-01T08:30 or 2026-12-01T08:30:15Z (UTC)");
  };
  const auto number = [&](std::size_t at, std::size_t digits, int& value) {
    if (at + digits > given.size()) return false;
    const auto [end, ec] = std::from_chars(given.data() + at, given.data() + at + digits, value);
    return ec == std::errc() && end == given.data() + at + digits;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(0, 4, year) || given[7] != '-' || !number(5, 2, month) || !number(8, 2, day)) {
    return bad();
  }
  std::size_t at = 10;
  if (at < given.size() && (given[at] == 'T' || given[at] == ' ')) {
    if (!number(at + 1, 2, hour) || at + 3 >= given.size() || given[at + 3] != ':' ||
        !number(at + 4, 2, minute)) {
      return bad();
    }
    at += 6;
    if (at < given.size() && given[at] == ':') {
      if (!number(at + 1, 2, second)) return bad();
      at += 3;
    }
  }
  if (at < given.size() && given[at] == 'Z') ++at;
  if (at != given.size()) return bad();
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return bad();
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return ((days * 24 + hour) * 60 + minute) * 60'000LL + second * 1000LL;
}

}  // namespace flow::cli
