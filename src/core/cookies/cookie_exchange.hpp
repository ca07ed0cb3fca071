// Cookies on the wire: putting a jar's cookies on a request, storing a response's Set-Cookie
// headers, and sending a request with redirects followed here (not by the HttpClient) so that
// every hop carries the cookies the previous hop set, and redirects behave the same whatever
// the client. Pure functions over the HttpClient and
// Clock ports; thread-compatible (the jar is the caller's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/cookies/cookie_jar.hpp"
#include "core/model/http.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace flow::core {

// Adds the jar's cookies for request.url. A Cookie header the request already has (written in
// the suite) is kept as written, and the jar's cookies whose names it does not set are appended
// to it: the request's own values win. Nothing changes when the jar has no cookie for the URL.
void ApplyCookies(const CookieJar& jar, HttpRequest& request, std::int64_t now_unix_ms);

// Stores every Set-Cookie header of `response` (each value on its own), as set by the URL that
// answered: response.effective_url when it is set (the client followed redirects: only the
// last hop's headers are known), else request.url.
void StoreCookies(CookieJar& jar, const HttpRequest& request, const HttpResponse& response,
                  std::int64_t now_unix_ms);

// The absolute URL a redirect's Location header names, resolved against the URL that answered
// (RFC 3986 section 5: absolute, "//host/...", "/path", "?query" and relative paths, dot
// segments removed, fragment dropped, unsafe bytes percent-encoded); nullopt when `location`
// is empty.
std::optional<std::string> ResolveRedirect(std::string_view base_url, std::string_view location);

// The request a redirect with `status` to `next_url` leads to, as browsers, curl and axios
// build it: 303 (except for HEAD), and 301/302 after a POST, become a GET without a body or
// Content-Type; 307/308 repeat the method and body. Leaving the origin (scheme, host or port)
// drops the Authorization, Proxy-Authorization and Cookie headers written in the request (jar
// cookies are chosen again for the new URL).
HttpRequest RedirectedRequest(const HttpRequest& previous, int status, std::string next_url);

// Sends `request` and, when request.follow_redirects is set, follows redirects here, hop by hop
// (the client is asked not to follow): a 3xx response other than 304 with a Location leads to
// RedirectedRequest, up to request.max_redirects. With a `jar`, every hop is sent with the
// jar's cookies (ApplyCookies) and every response's Set-Cookie is stored (StoreCookies), so a
// cookie set by a redirect reaches the next hop; a null `jar` sends and keeps no cookies. The
// response is the last one, with redirect_count, effective_url and the timings summed over the
// hops; request.timeout bounds all hops together. Errors are the client's, plus "too many
// redirects (more than N)" (kUnavailable, reason "redirects"), a Location that is not http(s)
// (kInvalidArgument, reason "url") and "timeout after N ms" when the hops used up the timeout.
Result<HttpResponse> SendFollowingRedirects(HttpClient& client, const HttpRequest& request,
                                            CookieJar* jar, Clock& clock);

}  // namespace flow::core
