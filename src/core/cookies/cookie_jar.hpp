// CookieJar: the cookies a run has received, kept as RFC 6265 says a user agent keeps them, and
// the Cookie header each later request gets from them. A plain value: the runner owns one jar
// per suite and saves it in the run state (ToValue / FromValue), so a resumed run has the same
// cookies. No clock of its own: every call that needs the time is given it. Thread-compatible.
//
// The rules (RFC 6265 section 5): a cookie without a Domain attribute is host-only (sent back
// to exactly the host that set it); with Domain it is sent to that domain and its subdomains,
// and is ignored unless the setting host is inside that domain (there is no public suffix
// list: a single-label Domain such as "com" is only accepted when it is the host itself, and
// then is host-only). Path defaults to the directory of the request path; a cookie is sent to
// paths at or below its own. Secure cookies are kept but sent only over https. Max-Age beats
// Expires; Max-Age <= 0 or an Expires in the past deletes the cookie of the same name, domain
// and path. HttpOnly is kept (and does not matter here: every request is an HTTP request);
// SameSite is ignored (there are no cross-site requests). A cookie with control characters or
// over 4096 bytes is ignored; the jar holds at most kMaxCookies, dropping the oldest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

struct Cookie {
  std::string name;
  std::string value;
  std::string domain;  // lower-case, no leading '.'; the host itself when host_only
  std::string path;    // starts with '/'
  bool host_only = true;
  bool secure = false;
  bool http_only = false;
  std::optional<std::int64_t> expires_unix_ms;  // nullopt: a session cookie (kept for the run)
  std::int64_t created_unix_ms = 0;

  bool operator==(const Cookie&) const = default;
};

class CookieJar {
 public:
  static constexpr std::size_t kMaxCookies = 3000;
  static constexpr std::size_t kMaxCookieBytes = 4096;  // name + value

  // Stores the cookies of the Set-Cookie header values a response to `request_url` carried,
  // one value per header (never joined: Expires dates contain commas). Malformed values are
  // ignored, as browsers do. Expired cookies are dropped.
  void Store(std::string_view request_url, const std::vector<std::string>& set_cookie_values,
             std::int64_t now_unix_ms);

  // "a=1; b=2": the cookies to send to `url` at `now_unix_ms`, longest path first, then oldest
  // first; "" when none.
  std::string CookieHeader(std::string_view url, std::int64_t now_unix_ms) const;

  // [{name, value, domain, path, host_only, secure, http_only, expires (ms or null), created}],
  // in the jar's order; FromValue reads it back (errors point at the bad element).
  Value ToValue() const;
  static Result<CookieJar> FromValue(const Value& value);

  void Clear() { cookies_.clear(); }
  std::size_t size() const { return cookies_.size(); }
  const std::vector<Cookie>& cookies() const { return cookies_; }  // oldest first

  bool operator==(const CookieJar&) const = default;

 private:
  void Insert(Cookie cookie, std::int64_t now_unix_ms);

  std::vector<Cookie> cookies_;  // in creation order
};

// The cookie-date of an Expires attribute (RFC 6265 5.1.1, which accepts the many formats
// servers send: "Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", ...) as
// Unix milliseconds; nullopt when it is not a date.
std::optional<std::int64_t> ParseCookieDate(std::string_view text);

// One Set-Cookie value parsed for a response to `request_url` (RFC 6265 5.2 and 5.3), or
// nullopt when it must be ignored. `created_unix_ms` is `now_unix_ms`.
std::optional<Cookie> ParseSetCookie(std::string_view set_cookie, std::string_view request_url,
                                     std::int64_t now_unix_ms);

// RFC 6265 5.1.3 and 5.1.4.
bool DomainMatches(std::string_view host, std::string_view domain);
bool PathMatches(std::string_view request_path, std::string_view cookie_path);

}  // namespace flow::core
