#include "core/cookies/cookie_exchange.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>
#include <vector>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool IsHeader(std::string_view name, std::string_view lower_name) {
  return ToLower(name) == lower_name;
}

void RemoveHeaders(HeaderList& headers, std::initializer_list<std::string_view> lower_names) {
  std::erase_if(headers, [&](const auto& header) {
    const std::string lower = ToLower(header.first);
    return std::find(lower_names.begin(), lower_names.end(), lower) != lower_names.end();
  });
}

// The names a Cookie header value sets ("a=1; b" -> a, b).
std::vector<std::string> CookieNames(std::string_view header) {
  std::vector<std::string> names;
  for (const std::string& pair : Split(header, ';')) {
    const std::string_view trimmed = Trim(pair);
    if (trimmed.empty()) continue;
    names.emplace_back(Trim(trimmed.substr(0, trimmed.find('='))));
  }
  return names;
}

// As request building does: bytes a URL cannot hold are percent-encoded, '%' kept.
std::string EscapeUnsafe(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

bool HasScheme(std::string_view ref) {
  if (ref.empty() || !std::isalpha(static_cast<unsigned char>(ref.front()))) return false;
  for (const char c : ref) {
    if (c == ':') return true;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

// RFC 3986 5.2.4.
std::string RemoveDotSegments(std::string_view input) {
  std::string out;
  while (!input.empty()) {
    if (StartsWith(input, "../")) {
      input.remove_prefix(3);
    } else if (StartsWith(input, "./")) {
      input.remove_prefix(2);
    } else if (StartsWith(input, "/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (StartsWith(input, "/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const std::size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const std::size_t next = input.find('/', input.front() == '/' ? 1 : 0);
      out.append(input.substr(0, next));
      input = next == std::string_view::npos ? std::string_view() : input.substr(next);
    }
  }
  return out;
}

struct SplitRef {
  std::string_view prefix;  // "scheme://authority" (or "//authority"), may be empty
  std::string_view path;
  std::string_view query;  // with its '?', may be empty
};

SplitRef SplitReference(std::string_view ref) {
  SplitRef out;
  std::size_t path_start = 0;
  if (const std::size_t scheme = ref.find("://");
      scheme != std::string_view::npos && HasScheme(ref)) {
    path_start = ref.find_first_of("/?", scheme + 3);
  } else if (StartsWith(ref, "//")) {
    path_start = ref.find_first_of("/?", 2);
  }
  if (path_start == std::string_view::npos) path_start = ref.size();
  out.prefix = ref.substr(0, path_start);
  const std::size_t question = ref.find('?', path_start);
  out.path =
      ref.substr(path_start, question == std::string_view::npos ? question : question - path_start);
  if (question != std::string_view::npos) out.query = ref.substr(question);
  return out;
}

std::string WithDotsRemoved(const SplitRef& parts) {
  std::string path = RemoveDotSegments(parts.path);
  if (path.empty() && !parts.prefix.empty()) path = "/";
  return std::string(parts.prefix) + path + std::string(parts.query);
}

}  // namespace

void ApplyCookies(const CookieJar& jar, HttpRequest& request, std::int64_t now_unix_ms) {
  const std::string jar_header = jar.CookieHeader(request.url, now_unix_ms);
  if (jar_header.empty()) return;
  for (auto& [name, value] : request.headers) {
    if (!IsHeader(name, "cookie")) continue;
    const std::vector<std::string> own = CookieNames(value);
    std::string merged = std::string(Trim(value));
    while (!merged.empty() && merged.back() == ';') merged.pop_back();
    for (const std::string& pair : Split(jar_header, ';')) {
      const std::string_view trimmed = Trim(pair);
      const std::string jar_name(trimmed.substr(0, trimmed.find('=')));
      if (std::find(own.begin(), own.end(), jar_name) != own.end()) continue;
      if (!merged.empty()) merged += "; ";
      merged += trimmed;
    }
    value = std::move(merged);
    return;
  }
  request.headers.emplace_back("Cookie", jar_header);
}

void StoreCookies(CookieJar& jar, const HttpRequest& request, const HttpResponse& response,
                  std::int64_t now_unix_ms) {
  const std::vector<std::string> values = FindHeaderValues(response.headers, "set-cookie");
  if (values.empty()) return;
  jar.Store(response.effective_url.empty() ? request.url : response.effective_url, values,
            now_unix_ms);
}

std::optional<std::string> ResolveRedirect(std::string_view base_url, std::string_view location) {
  const std::string escaped = EscapeUnsafe(Trim(location));
  std::string_view ref = escaped;
  ref = ref.substr(0, ref.find('#'));
  if (Trim(location).empty()) return std::nullopt;
  base_url = base_url.substr(0, base_url.find('#'));
  if (HasScheme(ref)) {
    if (ref.find("://") == std::string_view::npos) return std::string(ref);
    return WithDotsRemoved(SplitReference(ref));
  }
  const SplitRef base = SplitReference(base_url);
  if (StartsWith(ref, "//")) {
    const std::size_t colon = base_url.find(':');
    return WithDotsRemoved(
        SplitReference(std::string(base_url.substr(0, colon + 1)) + std::string(ref)));
  }
  const std::string prefix(base.prefix);
  if (ref.empty()) return std::string(base_url);
  if (ref.front() == '?')
    return prefix + std::string(base.path.empty() ? "/" : base.path) + std::string(ref);
  const SplitRef target = SplitReference(ref);
  std::string path;
  if (ref.front() == '/') {
    path = std::string(target.path);
  } else {
    const std::size_t last = base.path.rfind('/');
    path = (last == std::string_view::npos ? std::string("/")
                                           : std::string(base.path.substr(0, last + 1))) +
           std::string(target.path);
  }
  std::string resolved = RemoveDotSegments(path);
  if (resolved.empty() || resolved.front() != '/') resolved.insert(0, "/");
  return prefix + resolved + std::string(target.query);
}

HttpRequest RedirectedRequest(const HttpRequest& previous, int status, std::string next_url) {
  HttpRequest next = previous;
  next.url = std::move(next_url);
  const bool to_get = (status == 303 && previous.method != "HEAD" && previous.method != "GET") ||
                      ((status == 301 || status == 302) && previous.method == "POST");
  if (to_get) {
    next.method = "GET";
    next.body.clear();
    next.body_file.clear();
    next.multipart_boundary.clear();
    next.multipart.clear();
    RemoveHeaders(next.headers, {"content-type", "content-length"});
  }
  const UrlParts from = SplitUrl(previous.url);
  const UrlParts to = SplitUrl(next.url);
  if (from.scheme != to.scheme || from.host != to.host || from.port != to.port) {
    RemoveHeaders(next.headers, {"authorization", "proxy-authorization", "cookie"});
  }
  return next;
}

Result<HttpResponse> SendFollowingRedirects(HttpClient& client, const HttpRequest& request,
                                            CookieJar* jar, Clock& clock) {
  HttpRequest hop = request;
  hop.follow_redirects = false;
  HttpTimings total;
  int redirects = 0;
  for (;;) {
    HttpRequest sent = hop;
    if (request.timeout.count() > 0) {
      const auto left =
          request.timeout.count() - static_cast<std::int64_t>(std::ceil(total.total_ms));
      if (left <= 0) {
        Error e = Timeout("timeout after " + std::to_string(request.timeout.count()) + " ms");
        e.reason = "timeout";
        return e;
      }
      sent.timeout = std::chrono::milliseconds(left);
    }
    if (jar != nullptr) ApplyCookies(*jar, sent, clock.NowUnixMs());
    Result<HttpResponse> response = client.Send(sent);
    if (!response) {
      Error e = std::move(response).error();
      if (e.code == ErrorCode::kTimeout && sent.timeout != request.timeout &&
          e.message == "timeout after " + std::to_string(sent.timeout.count()) + " ms") {
        e.message = "timeout after " + std::to_string(request.timeout.count()) + " ms";
      }
      return e;
    }
    HttpResponse& r = *response;
    if (jar != nullptr) StoreCookies(*jar, sent, r, clock.NowUnixMs());
    total.dns_ms += r.timings.dns_ms;
    total.connect_ms += r.timings.connect_ms;
    total.tls_ms += r.timings.tls_ms;
    total.first_byte_ms += r.timings.first_byte_ms;
    total.download_ms += r.timings.download_ms;
    total.total_ms += r.timings.total_ms;

    const std::optional<std::string> location =
        r.status_code >= 300 && r.status_code < 400 && r.status_code != 304
            ? FindHeader(r.headers, "location")
            : std::nullopt;
    std::optional<std::string> next;
    if (request.follow_redirects && location) next = ResolveRedirect(sent.url, *location);
    if (!next) {
      r.redirect_count = redirects;
      if (r.effective_url.empty()) r.effective_url = sent.url;
      r.timings = total;
      return response;
    }
    if (redirects >= request.max_redirects) {
      Error e = Unavailable("too many redirects (more than " +
                            std::to_string(request.max_redirects) + ")");
      e.reason = "redirects";
      return e;
    }
    const std::string scheme = SplitUrl(*next).scheme;
    if (scheme != "http" && scheme != "https") {
      Error e = InvalidArgument("unsupported protocol in redirect to '" + *next + "'",
                                "a redirect may only lead to an http:// or https:// url");
      e.reason = "url";
      return e;
    }
    hop = RedirectedRequest(hop, r.status_code, std::move(*next));
    ++redirects;
  }
}

}  // namespace flow::core
