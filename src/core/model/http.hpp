// A rendered HTTP request (every {{placeholder}} already replaced) and the response to it.
// Plain values; the HttpClient port moves them between the core and an adapter. Also the few
// pure helpers both sides need: the multipart/form-data framing (the core describes a request,
// the client streams it), media types by file extension, URL splitting, and client
// certificates by domain.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

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

// One part of a multipart/form-data body: a text field, or a file read from disk when the
// request is sent (the core never opens files; the client streams them).
struct MultipartPart {
  std::string name;
  std::string value;         // a text part's text
  std::string file_path;     // a file part's file (resolved against the suite's directory)
  std::string filename;      // a file part's Content-Disposition filename
  std::string content_type;  // "" sends no Content-Type (a plain text field)
  // JSON pointer, relative to the request, of what the part came from: a file part's `file`
  // key ("/body/avatar/file"), a text part's value ("/body/note"). For errors.
  std::string pointer;

  bool IsFile() const { return !file_path.empty(); }
  bool operator==(const MultipartPart&) const = default;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;      // absolute, query string included
  HeaderList headers;   // in the order written; names as written
  // The body is one of: `body` (already encoded bytes), the bytes of the file `body_file`
  // (read when sent), or, when `multipart_boundary` is set, `multipart` framed with it (see
  // MultipartPartHead). The other two are empty.
  std::string body;
  std::string body_file;
  std::string multipart_boundary;
  std::vector<MultipartPart> multipart;
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
           body == other.body && body_file == other.body_file &&
           multipart_boundary == other.multipart_boundary && multipart == other.multipart &&
           timeout == other.timeout && follow_redirects == other.follow_redirects &&
           max_redirects == other.max_redirects && tls == other.tls &&
           connect_to == other.connect_to;
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

// Every value of header `name` (any case), each on its own, in order: Set-Cookie values must
// not be joined (their Expires dates contain commas).
std::vector<std::string> FindHeaderValues(const HeaderList& headers, std::string_view name);

// Whether the request has a body of any kind (bytes, a file or multipart parts).
bool HasBody(const HttpRequest& request);

// The multipart/form-data framing (RFC 7578): the body is, for each part, its head, its bytes
// and "\r\n", then the tail. The head is "--BOUNDARY\r\nContent-Disposition: form-data;
// name="..."[; filename="..."]\r\n[Content-Type: ...\r\n]\r\n"; `"`, CR and LF in names
// are written %22, %0D, %0A, as browsers do.
std::string MultipartPartHead(const MultipartPart& part, std::string_view boundary);
std::string MultipartTail(std::string_view boundary);  // "--BOUNDARY--\r\n"

// The media type for a file name by its extension (case-insensitive): a small table of common
// types ("photo.PNG" -> "image/png"); "application/octet-stream" for anything else.
std::string_view MediaTypeForPath(std::string_view path);

// The pieces of an absolute URL. `host` is lower-cased (an IPv6 literal keeps its brackets),
// userinfo dropped; `port` is the explicit port or the scheme's default (80, 443; 0 for other
// schemes); `path` starts with '/' ("/" when the URL has none); `query` excludes '?'. An URL
// without "scheme://" gives all-empty parts.
struct UrlParts {
  std::string scheme;  // lower-case: "http", "https"
  std::string host;
  int port = 0;
  std::string path;
  std::string query;

  bool operator==(const UrlParts&) const = default;
};
UrlParts SplitUrl(std::string_view url);

// One entry of the config's globals.certificates: a client certificate (and TLS options) used
// for requests to the hosts its `domains` name, when neither the request nor its suite has one.
struct DomainCertificate {
  std::string name;
  std::vector<std::string> domains;  // "api.local" (exact) or "*.example.com" (one label)
  Value certificate;  // a `certificate` map: cert_path, key_path, pfx_path, passphrase, ...

  bool operator==(const DomainCertificate& other) const {
    return name == other.name && domains == other.domains &&
           DeepEqual(certificate, other.certificate);
  }
};

// Whether `host` matches a domain pattern, case-insensitively and ignoring a trailing '.': a
// name matches itself; "*.example.com" matches exactly one more label ("api.example.com", not
// "example.com" nor "a.b.example.com"), as in TLS certificates. IPv6 brackets are ignored.
bool MatchesDomainPattern(std::string_view pattern, std::string_view host);

// Whether `pattern` is a valid domain pattern: a host name, an IP address, or "*." followed by
// a host name; no scheme, port, path or other '*'. The error message says what is wrong.
Result<void> CheckDomainPattern(std::string_view pattern);

// The `certificate` of the first entry one of whose domains matches `host`; nullopt if none.
std::optional<Value> CertificateForHost(const std::vector<DomainCertificate>& certificates,
                                        std::string_view host);

}  // namespace flow::core
