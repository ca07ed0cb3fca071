// A rendered HTTP request (every {{placeholder}} already replaced) and the response to it.
// Plain values; the HttpClient port moves them between the core and an adapter.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flow::core {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Client certificate and TLS options of a request (suite `certificate` or request `certificate`).
struct TlsOptions {
  std::string cert_path;    // PEM certificate
  std::string key_path;     // PEM private key
  std::string pfx_path;     // PKCS#12 bundle, instead of cert_path + key_path
  std::string passphrase;
  std::string ca_path;      // CA bundle to verify the server with
  bool verify = true;       // verify the server's certificate and host name
  std::string min_version;  // "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" or ""
  std::string max_version;

  bool operator==(const TlsOptions&) const = default;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;      // absolute, query string included
  HeaderList headers;   // in the order written; names as written
  std::string body;     // already encoded
  std::chrono::milliseconds timeout{30'000};
  bool follow_redirects = true;
  int max_redirects = 20;
  TlsOptions tls;
  // curl-style "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT" rules: connect elsewhere while the URL
  // and Host header stay as written (like `curl --connect-to`).
  std::vector<std::string> connect_to;
  // When set and becoming true, an in-flight request is aborted (cooperative cancel).
  const std::atomic<bool>* cancel = nullptr;

  bool operator==(const HttpRequest& other) const {
    return method == other.method && url == other.url && headers == other.headers &&
           body == other.body && timeout == other.timeout &&
           follow_redirects == other.follow_redirects && max_redirects == other.max_redirects &&
           tls == other.tls && connect_to == other.connect_to;
  }
};

// Per-phase durations in milliseconds (not cumulative). A reused connection has 0 for DNS,
// connect and TLS.
struct HttpTimings {
  double dns_ms = 0;
  double connect_ms = 0;
  double tls_ms = 0;
  double first_byte_ms = 0;  // from request start to the first response byte
  double download_ms = 0;    // from the first byte to the last
  double total_ms = 0;

  bool operator==(const HttpTimings&) const = default;
};

struct HttpResponse {
  int status_code = 0;
  std::string http_version;  // "1.1", "2"
  HeaderList headers;        // names lower-cased, in the order received
  std::string body;          // decoded (gzip, br, deflate, zstd undone)
  std::size_t size_bytes = 0;  // decoded body size
  std::string effective_url;   // after redirects
  int redirect_count = 0;
  HttpTimings timings;

  bool operator==(const HttpResponse&) const = default;
};

// The methods a suite may use, upper-case.
inline constexpr std::string_view kHttpMethods[] = {"GET",    "POST", "PUT",    "PATCH",
                                                    "DELETE", "HEAD", "OPTIONS"};
// Whether `method` (already upper-case) is one of kHttpMethods.
bool IsHttpMethod(std::string_view method);

// Values of header `name` (lower-case) joined with ", "; nullopt when absent.
std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name);

}  // namespace flow::core
