#include "adapters/http_curl/curl_helpers.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <utility>

#include "core/util/strings.hpp"

namespace flow::adapters::curl_detail {
namespace {

using core::Error;

// RFC 9110 token characters (method and header names).
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Strips the CR LF curl leaves at the end of each header line.
std::string_view StripLineEnd(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

double UsToMs(curl_off_t us) { return us > 0 ? static_cast<double>(us) / 1000.0 : 0.0; }

curl_off_t Span(curl_off_t from, curl_off_t to) { return to > from ? to - from : 0; }

// curl's messages start with a capital ("Could not resolve host"); ours are lower case, but an
// acronym ("SSL certificate problem") stays as it is.
std::string LowerFirst(std::string text) {
  const bool acronym = text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z';
  if (!text.empty() && !acronym) text[0] = AsciiLower(text[0]);
  while (!text.empty() && (text.back() == '\n' || text.back() == '.' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string HostPort(const FailureContext& context) {
  if (context.host.empty()) return "the server";
  if (context.port <= 0) return context.host;
  return context.host + ":" + std::to_string(context.port);
}

std::string Detail(CURLcode code, const FailureContext& context) {
  return LowerFirst(context.detail.empty() ? std::string(curl_easy_strerror(code))
                                           : context.detail);
}

Error WithReason(Error error, std::string reason) {
  error.reason = std::move(reason);
  return error;
}

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

}  // namespace

core::Result<std::string> NormalizeMethod(std::string_view method) {
  if (!IsToken(method)) {
    return core::InvalidArgument("invalid http method '" + std::string(method) + "'",
                                 "use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or another "
                                 "method name without spaces");
  }
  std::string out(method);
  std::transform(out.begin(), out.end(), out.begin(), AsciiUpper);
  return out;
}

core::Result<void> FormatRequestHeader(std::string_view name, std::string_view value,
                                       std::string& out) {
  if (!IsToken(name)) {
    return core::InvalidArgument("invalid header name '" + std::string(name) + "'",
                                 "a header name is letters, digits and !#$%&'*+-.^_`|~");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return core::InvalidArgument("value of header '" + std::string(name) +
                                 "' contains a line break or NUL character");
  }
  const std::string_view trimmed = core::Trim(value);
  out.clear();
  out.reserve(name.size() + trimmed.size() + 2);
  out.append(name);
  if (trimmed.empty()) {
    out.push_back(';');
  } else {
    out.append(": ").append(trimmed);
  }
  return core::Ok();
}

void HeaderCollector::Feed(std::string_view line) {
  line = StripLineEnd(line);
  if (line.empty()) return;  // end of a head
  if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
    headers_.clear();
    content_length_.reset();
    ++responses_;
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding
    if (!headers_.empty()) {
      const std::string_view more = core::Trim(line);
      std::string& value = headers_.back().second;
      if (!more.empty()) {
        if (!value.empty()) value.push_back(' ');
        value.append(more);
      }
    }
    return;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a header: ignore it
  std::string name(core::Trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(), AsciiLower);
  const std::string_view value = core::Trim(line.substr(colon + 1));
  if (name == "content-length") {
    std::size_t length = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error == std::errc() && end == value.data() + value.size()) content_length_ = length;
  }
  headers_.emplace_back(std::move(name), std::string(value));
}

core::HttpTimings ComputeTimings(const CurlTimes& t) {
  core::HttpTimings out;
  if (t.new_connections > 0 && t.connect_us > 0) {
    out.dns_ms = UsToMs(t.namelookup_us);
    out.connect_ms = UsToMs(Span(t.namelookup_us, t.connect_us));
    if (t.appconnect_us > 0) out.tls_ms = UsToMs(Span(t.connect_us, t.appconnect_us));
  }
  out.first_byte_ms = UsToMs(Span(t.pretransfer_us, t.starttransfer_us));
  out.download_ms = UsToMs(Span(t.starttransfer_us, t.total_us));
  out.total_ms = UsToMs(t.total_us);
  return out;
}

core::Result<long> ParseTlsVersion(std::string_view name, bool as_max) {
  struct Known {
    std::string_view name;
    long min;
    long max;
  };
  static constexpr Known kKnown[] = {
      {"TLSv1", CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0},
      {"TLSv1.0", CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0},
      {"TLSv1.1", CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1},
      {"TLSv1.2", CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2},
      {"TLSv1.3", CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3},
  };
  const std::string_view trimmed = core::Trim(name);
  if (trimmed.empty())
    return as_max ? long{CURL_SSLVERSION_MAX_DEFAULT} : long{CURL_SSLVERSION_DEFAULT};
  for (const Known& known : kKnown) {
    if (EqualsIgnoreCase(trimmed, known.name)) return as_max ? known.max : known.min;
  }
  return core::InvalidArgument("unknown tls version '" + std::string(name) + "'",
                               "use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3");
}

std::string_view HttpVersionName(long curl_http_version) {
  switch (curl_http_version) {
    case CURL_HTTP_VERSION_1_0:
      return "1.0";
    case CURL_HTTP_VERSION_1_1:
      return "1.1";
    case CURL_HTTP_VERSION_2_0:
      return "2";
    case CURL_HTTP_VERSION_3:
      return "3";
    default:
      return "";
  }
}

Error MapCurlError(CURLcode code, const FailureContext& context) {
  if (context.cancelled) {
    return WithReason(core::Unavailable("request cancelled"), "cancelled");
  }
  if (context.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return WithReason(core::Unavailable("response body larger than " +
                                        std::to_string(context.max_body_bytes) + " bytes"),
                      "too-large");
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return WithReason(core::Unavailable("could not resolve host '" + context.host + "'",
                                          "check the host name in the url"),
                        "dns");
    case CURLE_COULDNT_RESOLVE_PROXY:
      return WithReason(core::Unavailable("could not resolve proxy: " + Detail(code, context)),
                        "dns");
    case CURLE_COULDNT_CONNECT:
      if (context.os_errno == ECONNREFUSED) {
        return WithReason(core::Unavailable("connection refused by " + HostPort(context),
                                            "is the server running on that port?"),
                          "refused");
      }
      return WithReason(core::Unavailable("could not connect to " + HostPort(context) + ": " +
                                          Detail(code, context)),
                        "network");
    case CURLE_OPERATION_TIMEDOUT: {
      // Send() gives curl a connect timeout only when it is below the request's timeout, and
      // the request's timeout fires no earlier than its full length: so an earlier timeout is
      // the connect timeout.
      const bool connect_fired =
          context.connect_timeout.count() > 0 &&
          (context.timeout.count() <= 0 ||
           context.elapsed_ms < static_cast<double>(context.timeout.count()));
      if (connect_fired) {
        return WithReason(
            core::Timeout("timeout after " + std::to_string(context.connect_timeout.count()) +
                          " ms connecting to " + HostPort(context)),
            "timeout");
      }
      return WithReason(
          core::Timeout("timeout after " + std::to_string(context.timeout.count()) + " ms"),
          "timeout");
    }
    case CURLE_TOO_MANY_REDIRECTS:
      return WithReason(core::Unavailable("too many redirects (more than " +
                                          std::to_string(context.max_redirects) + ")"),
                        "redirects");
    case CURLE_URL_MALFORMAT:
      return WithReason(core::InvalidArgument("invalid url '" + context.url + "'"), "url");
    case CURLE_UNSUPPORTED_PROTOCOL:
      return WithReason(core::InvalidArgument("unsupported protocol in url '" + context.url + "'",
                                              "use an http:// or https:// url"),
                        "url");
    case CURLE_ABORTED_BY_CALLBACK:
      return WithReason(core::Unavailable("request cancelled"), "cancelled");
    default:
      break;
  }
  if (IsTlsError(code)) {
    return WithReason(core::Unavailable("tls error: " + Detail(code, context)), "tls");
  }
  return WithReason(core::Unavailable(Detail(code, context)), "network");
}

}  // namespace flow::adapters::curl_detail
