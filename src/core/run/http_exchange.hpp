// Turning a rendered `request` map into an HttpRequest (URL joining, query params, headers,
// body encoding with the original engine's content-type rules), and an HttpResponse into the
// values that assertions, captures and reports see. Pure functions.
#pragma once

#include <string>

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

// `rendered` is the step's request map after interpolation. Error::pointer names the bad key.
Result<HttpRequest> BuildHttpRequest(const Value& rendered, const RequestDefaults& defaults);

// The response body as a value: any text that parses as JSON is parsed (whatever the
// Content-Type), anything else is a string; HEAD and empty bodies give "". JSON nested deeper
// than kMaxResponseDepth stays a string.
inline constexpr std::size_t kMaxResponseDepth = 512;
Value ParseResponseBody(const HttpResponse& response, std::string_view method);

// Response headers as an object with lower-case names; repeated headers joined with ", ".
Value HeadersToValue(const HeaderList& headers);

// request_details of the report: method, url, headers, body, base_url, full_url, raw_url,
// curl_command, raw_request.
Value DescribeRequest(const HttpRequest& request, const Value& rendered,
                      std::string_view base_url, std::string_view raw_url);

// response_details of the report: status_code, headers, body, size_bytes, timing{...}.
Value DescribeResponse(const HttpResponse& response, const Value& headers, const Value& body,
                       std::int64_t started_at_ms);

}  // namespace flow::core
