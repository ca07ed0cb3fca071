#include "core/cookies/cookie_jar.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/model/http.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

constexpr std::int64_t kEarliest = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kLatest = std::numeric_limits<std::int64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 6265 5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
bool IsDateDelimiter(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) ||
         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

// 1*max DIGIT at `pos`, at least `min` of them; advances `pos`.
std::optional<int> ReadDigits(std::string_view token, std::size_t& pos, std::size_t min,
                              std::size_t max) {
  std::size_t count = 0;
  int value = 0;
  while (pos < token.size() && IsDigit(token[pos]) && count < max) {
    value = value * 10 + (token[pos] - '0');
    ++pos;
    ++count;
  }
  if (count < min) return std::nullopt;
  return value;
}

// After a numeric production: the end of the token or a non-digit.
bool EndsNumber(std::string_view token, std::size_t pos) {
  return pos == token.size() || !IsDigit(token[pos]);
}

bool ParseTime(std::string_view token, int& hour, int& minute, int& second) {
  std::size_t pos = 0;
  const auto h = ReadDigits(token, pos, 1, 2);
  if (!h || pos >= token.size() || token[pos++] != ':') return false;
  const auto m = ReadDigits(token, pos, 1, 2);
  if (!m || pos >= token.size() || token[pos++] != ':') return false;
  const auto s = ReadDigits(token, pos, 1, 2);
  if (!s || !EndsNumber(token, pos)) return false;
  hour = *h;
  minute = *m;
  second = *s;
  return true;
}

std::optional<int> ParseNumber(std::string_view token, std::size_t min, std::size_t max) {
  std::size_t pos = 0;
  const auto value = ReadDigits(token, pos, min, max);
  if (!value || !EndsNumber(token, pos)) return std::nullopt;
  return value;
}

std::optional<int> ParseMonth(std::string_view token) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return std::nullopt;
  const std::string prefix = ToLower(token.substr(0, 3));
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i] == prefix) return i + 1;
  }
  return std::nullopt;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool IsIpAddress(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;  // IPv6 literal
  if (host.find(':') != std::string_view::npos) return true;
  return !host.empty() &&
         std::all_of(host.begin(), host.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7F;
  });
}

// RFC 6265 5.1.4: the directory of the request path.
std::string DefaultPath(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "/";
  const std::size_t last = request_path.rfind('/');
  if (last == 0) return "/";
  return std::string(request_path.substr(0, last));
}

// The host as cookies compare it: lower-case, without a trailing dot.
std::string CookieHost(std::string_view url) {
  std::string host = SplitUrl(url).host;
  if (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

std::optional<std::int64_t> ParseMaxAge(std::string_view value) {
  if (value.empty() || !(IsDigit(value.front()) || value.front() == '-')) return std::nullopt;
  const bool negative = value.front() == '-';
  std::string_view digits = negative ? value.substr(1) : value;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : digits) {
    if (seconds > (kLatest - 9) / 10) {
      seconds = kLatest / 1000;  // saturate: "forever"
      break;
    }
    seconds = seconds * 10 + (c - '0');
  }
  return negative ? -seconds : seconds;
}

Error JarError(std::string message, std::string pointer) {
  return InvalidArgumentAt("cookie jar: " + std::move(message), std::move(pointer), "wrong-type");
}

}  // namespace

std::optional<std::int64_t> ParseCookieDate(std::string_view text) {
  bool found_time = false;
  bool found_day = false;
  bool found_month = false;
  bool found_year = false;
  int hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && IsDateDelimiter(text[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && !IsDateDelimiter(text[pos])) ++pos;
    const std::string_view token = text.substr(start, pos - start);
    if (token.empty()) continue;
    if (!found_time && ParseTime(token, hour, minute, second)) {
      found_time = true;
    } else if (const auto d = found_day ? std::nullopt : ParseNumber(token, 1, 2)) {
      day = *d;
      found_day = true;
    } else if (const auto m = found_month ? std::nullopt : ParseMonth(token)) {
      month = *m;
      found_month = true;
    } else if (const auto y = found_year ? std::nullopt : ParseNumber(token, 2, 4)) {
      year = *y;
      found_year = true;
    }
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (!found_time || !found_day || !found_month || !found_year) return std::nullopt;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  if (day > DaysInMonth(year, month)) return std::nullopt;
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60'000 + second * 1'000LL;
}

bool DomainMatches(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return !IsIpAddress(host) && host.size() > domain.size() && EndsWith(host, domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

bool PathMatches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (!StartsWith(request_path, cookie_path)) return false;
  return (!cookie_path.empty() && cookie_path.back() == '/') ||
         request_path[cookie_path.size()] == '/';
}

std::optional<Cookie> ParseSetCookie(std::string_view set_cookie, std::string_view request_url,
                                     std::int64_t now_unix_ms) {
  const UrlParts url = SplitUrl(request_url);
  std::string host = url.host;
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return std::nullopt;

  const std::size_t semicolon = set_cookie.find(';');
  const std::string_view pair = set_cookie.substr(0, semicolon);
  const std::size_t equals = pair.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  Cookie cookie;
  cookie.name = std::string(Trim(pair.substr(0, equals)));
  cookie.value = std::string(Trim(pair.substr(equals + 1)));
  if (cookie.name.empty() || HasControlCharacter(cookie.name) ||
      HasControlCharacter(cookie.value) ||
      cookie.name.size() + cookie.value.size() > CookieJar::kMaxCookieBytes) {
    return std::nullopt;
  }

  std::optional<std::int64_t> max_age_expiry;
  std::optional<std::int64_t> expires;
  std::optional<std::string> domain;
  std::optional<std::string> path;
  std::string_view rest =
      semicolon == std::string_view::npos ? std::string_view() : set_cookie.substr(semicolon + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(';');
    const std::string_view av = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
    const std::size_t av_equals = av.find('=');
    const std::string name = ToLower(Trim(av.substr(0, av_equals)));
    const std::string_view value =
        av_equals == std::string_view::npos ? std::string_view() : Trim(av.substr(av_equals + 1));
    if (name == "expires") {
      if (const auto date = ParseCookieDate(value)) expires = date;
    } else if (name == "max-age") {
      if (const auto seconds = ParseMaxAge(value)) {
        if (*seconds <= 0) {
          max_age_expiry = kEarliest;
        } else if (*seconds > (kLatest - now_unix_ms) / 1000) {
          max_age_expiry = kLatest;
        } else {
          max_age_expiry = now_unix_ms + *seconds * 1000;
        }
      }
    } else if (name == "domain") {
      if (value.empty()) continue;
      std::string_view d = value;
      if (d.front() == '.') d.remove_prefix(1);
      std::string lower = ToLower(d);
      if (!lower.empty() && lower.back() == '.') lower.pop_back();
      domain = std::move(lower);
    } else if (name == "path") {
      path = value.empty() || value.front() != '/' ? DefaultPath(url.path) : std::string(value);
    } else if (name == "secure") {
      cookie.secure = true;
    } else if (name == "httponly") {
      cookie.http_only = true;
    }
  }

  cookie.expires_unix_ms = max_age_expiry ? max_age_expiry : expires;
  cookie.host_only = true;
  cookie.domain = host;
  if (domain && !domain->empty()) {
    if (domain->find('.') == std::string::npos) {
      // Stands in for a public suffix ("com", "local"): only the host itself may name it.
      if (*domain != host) return std::nullopt;
    } else if (DomainMatches(host, *domain)) {
      cookie.host_only = false;
      cookie.domain = *domain;
    } else {
      return std::nullopt;
    }
  }
  cookie.path = path ? *path : DefaultPath(url.path);
  cookie.created_unix_ms = now_unix_ms;
  return cookie;
}

void CookieJar::Store(std::string_view request_url, const std::vector<std::string>& values,
                      std::int64_t now_unix_ms) {
  for (const std::string& value : values) {
    std::optional<Cookie> cookie = ParseSetCookie(value, request_url, now_unix_ms);
    if (cookie) Insert(std::move(*cookie), now_unix_ms);
  }
  std::erase_if(cookies_, [&](const Cookie& c) {
    return c.expires_unix_ms && *c.expires_unix_ms <= now_unix_ms;
  });
}

void CookieJar::Insert(Cookie cookie, std::int64_t now_unix_ms) {
  const bool expired = cookie.expires_unix_ms && *cookie.expires_unix_ms <= now_unix_ms;
  const auto old = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& c) {
    return c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path;
  });
  if (old != cookies_.end()) {
    if (expired) {
      cookies_.erase(old);
    } else {
      cookie.created_unix_ms = old->created_unix_ms;
      *old = std::move(cookie);
    }
    return;
  }
  if (expired) return;
  if (cookies_.size() >= kMaxCookies) cookies_.erase(cookies_.begin());
  cookies_.push_back(std::move(cookie));
}

std::string CookieJar::CookieHeader(std::string_view url, std::int64_t now_unix_ms) const {
  const UrlParts parts = SplitUrl(url);
  const std::string host = CookieHost(url);
  if (host.empty()) return "";
  const bool secure = parts.scheme == "https";
  std::vector<const Cookie*> matching;
  for (const Cookie& c : cookies_) {
    if (c.expires_unix_ms && *c.expires_unix_ms <= now_unix_ms) continue;
    if (c.host_only ? host != c.domain : !DomainMatches(host, c.domain)) continue;
    if (!PathMatches(parts.path, c.path)) continue;
    if (c.secure && !secure) continue;
    matching.push_back(&c);
  }
  std::stable_sort(matching.begin(), matching.end(), [](const Cookie* a, const Cookie* b) {
    if (a->path.size() != b->path.size()) return a->path.size() > b->path.size();
    return a->created_unix_ms < b->created_unix_ms;
  });
  std::string out;
  for (const Cookie* c : matching) {
    if (!out.empty()) out += "; ";
    out.append(c->name).append("=").append(c->value);
  }
  return out;
}

Value CookieJar::ToValue() const {
  Value out = Value::array();
  for (const Cookie& c : cookies_) {
    out.push_back({{"name", c.name},
                   {"value", c.value},
                   {"domain", c.domain},
                   {"path", c.path},
                   {"host_only", c.host_only},
                   {"secure", c.secure},
                   {"http_only", c.http_only},
                   {"expires", c.expires_unix_ms ? Value(*c.expires_unix_ms) : Value()},
                   {"created", c.created_unix_ms}});
  }
  return out;
}

Result<CookieJar> CookieJar::FromValue(const Value& value) {
  CookieJar jar;
  if (value.is_null()) return jar;
  if (!value.is_array()) {
    return JarError("expected a list of cookies, got " + std::string(TypeName(value)), "");
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Value& item = value[i];
    const std::string pointer = JoinPointer("", i);
    if (!item.is_object()) {
      return JarError("a cookie must be a mapping, got " + std::string(TypeName(item)), pointer);
    }
    Cookie c;
    const auto text = [&](const char* key, std::string& out, bool required) -> Result<void> {
      if (!item.contains(key) || item[key].is_null()) {
        if (required) return JarError(std::string("a cookie needs '") + key + "'", pointer);
        return Ok();
      }
      if (!item[key].is_string()) {
        return JarError(std::string("'") + key + "' must be a string", JoinPointer(pointer, key));
      }
      out = item[key].get<std::string>();
      return Ok();
    };
    const auto flag = [&](const char* key, bool& out) -> Result<void> {
      if (!item.contains(key) || item[key].is_null()) return Ok();
      if (!item[key].is_boolean()) {
        return JarError(std::string("'") + key + "' must be true or false",
                        JoinPointer(pointer, key));
      }
      out = item[key].get<bool>();
      return Ok();
    };
    const auto time = [&](const char* key) -> Result<std::optional<std::int64_t>> {
      if (!item.contains(key) || item[key].is_null()) return std::optional<std::int64_t>();
      if (!item[key].is_number_integer()) {
        return JarError(std::string("'") + key + "' must be a whole number of milliseconds",
                        JoinPointer(pointer, key));
      }
      return std::optional<std::int64_t>(item[key].get<std::int64_t>());
    };
    FLOW_TRY_VOID(text("name", c.name, true));
    FLOW_TRY_VOID(text("value", c.value, false));
    FLOW_TRY_VOID(text("domain", c.domain, true));
    FLOW_TRY_VOID(text("path", c.path, false));
    FLOW_TRY_VOID(flag("host_only", c.host_only));
    FLOW_TRY_VOID(flag("secure", c.secure));
    FLOW_TRY_VOID(flag("http_only", c.http_only));
    Result<std::optional<std::int64_t>> expires = time("expires");
    if (!expires) return std::move(expires).error();
    c.expires_unix_ms = *expires;
    Result<std::optional<std::int64_t>> created = time("created");
    if (!created) return std::move(created).error();
    c.created_unix_ms = created->value_or(0);
    if (c.name.empty() || HasControlCharacter(c.name) || HasControlCharacter(c.value)) {
      return JarError("a cookie name must be non-empty text without control characters",
                      JoinPointer(pointer, "name"));
    }
    if (c.domain.empty())
      return JarError("'domain' must not be empty", JoinPointer(pointer, "domain"));
    if (c.path.empty()) c.path = "/";
    if (c.path.front() != '/') {
      return JarError("'path' must start with '/'", JoinPointer(pointer, "path"));
    }
    if (jar.cookies_.size() >= kMaxCookies) break;
    jar.cookies_.push_back(std::move(c));
  }
  return jar;
}

}  // namespace flow::core
