// Turning a rendered `request` map into an HttpRequest (URL joining, query params, headers,
// body encoding with the original engine's content-type rules, multipart parts, file and
// base64 bodies, the client certificate), and an HttpResponse into the values that assertions,
// captures and reports see. Pure functions: files named by a request are only named here (their
// paths resolved), never opened; the HttpClient reads them when it sends.
#pragma once

#include <string>
#include <vector>

#include "core/model/http.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

struct RequestDefaults {
  std::string base_url;  // already rendered; may be empty
  std::chrono::milliseconds timeout{30'000};
  bool follow_redirects = true;
  int max_redirects = 20;
  bool verify_tls = true;
  std::string user_agent = "flowtest/0.1";
  std::vector<std::string> connect_to;
  Value certificate;  // the suite's rendered `certificate` map, used when a request has none
  // The suite file's directory: relative paths of multipart file parts and `body_file` are
  // resolved against it. "" leaves them as written (relative to the working directory).
  std::string base_dir;
  // The config's globals.certificates: when neither the request nor `certificate` above has a
  // certificate, the first entry matching the request URL's host is used.
  std::vector<DomainCertificate> domain_certificates;
  // The boundary of generated multipart bodies; "" derives one from the request (a hash of its
  // URL and body, so the same request gives the same bytes).
  std::string multipart_boundary;
};

// A rendered `certificate` map (cert_path, key_path, pfx_path, passphrase, ca_path, verify,
// min_version, max_version) as TLS options; `verify` defaults to `verify_default`.
Result<TlsOptions> ParseCertificate(const Value& certificate, bool verify_default);

// base_url (trailing '/' stripped) + '/' + url, unless url is absolute (http:// or https://).
// A relative url without a base_url is an error.
Result<std::string> JoinUrl(std::string_view base_url, std::string_view url);

// axios-style query string: arrays k[]=1&k[]=2, objects k[sub]=v, null skipped.
std::string EncodeQuery(const Value& params);

// application/x-www-form-urlencoded encoding of a flat or nested object.
std::string EncodeForm(const Value& object);

// `rendered` is the step's request map after interpolation. Error::pointer names the bad key
// (relative to the request: "/body/avatar/file", "/body_base64").
//
// Bodies: at most one of `body`, `body_file` (the file's bytes; Content-Type from the headers,
// else by the file's extension) and `body_base64` (the decoded bytes; Content-Type from the
// headers, else application/octet-stream). A mapping `body` with a multipart/form-data
// Content-Type becomes parts: a scalar is a text field, `{file, filename?, content_type?}` a
// file part (filename defaults to the file's base name, content_type to MediaTypeForPath),
// `{value, content_type?}` a text part with a type (a mapping or list value is sent as JSON,
// application/json unless typed), a list repeats the field, null is skipped. The Content-Type
// sent carries the boundary: the header's own `boundary=` if it has one, else a generated one
// appended to it.
//
// Certificate precedence: the request's `certificate`, else defaults.certificate (the suite's),
// else the first defaults.domain_certificates entry matching the URL's host.
Result<HttpRequest> BuildHttpRequest(const Value& rendered, const RequestDefaults& defaults);

// `path` resolved against `base_dir` (kept when absolute or when base_dir is empty).
std::string ResolvePath(std::string_view base_dir, std::string_view path);

// Standard base64 (RFC 4648; the URL-safe alphabet '-' '_' accepted too, padding optional,
// whitespace ignored) decoded to bytes. The error names the first bad character's offset.
Result<std::string> DecodeBase64(std::string_view text);

// The response body as a value: any text that parses as JSON is parsed (whatever the
// Content-Type), anything else is a string; HEAD and empty bodies give "". JSON nested deeper
// than kMaxResponseDepth stays a string.
inline constexpr std::size_t kMaxResponseDepth = 512;
Value ParseResponseBody(const HttpResponse& response, std::string_view method);

// Response headers as an object with lower-case names; repeated headers joined with ", ".
Value HeadersToValue(const HeaderList& headers);

// request_details of the report: method, url, headers, body (body_file, body_base64 when
// given), base_url, full_url, raw_url, curl_command, raw_request. File contents are not read:
// raw_request shows "<contents of PATH>" and the curl command `@PATH`; a base64 body shows
// "<N bytes from body_base64>".
Value DescribeRequest(const HttpRequest& request, const Value& rendered,
                      std::string_view base_url, std::string_view raw_url);

// response_details of the report: status_code, headers, body, size_bytes, timing{...}.
Value DescribeResponse(const HttpResponse& response, const Value& headers, const Value& body,
                       std::int64_t started_at_ms);

}  // namespace flow::core
