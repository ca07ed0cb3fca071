// Pure helpers of CurlHttpClient: request header lines, response head parsing, timing
// conversion, TLS version names and the mapping of curl failures to Errors. Internal to the
// adapter (it includes curl.h); no I/O, so each piece is unit-tested on its own. Thread-compatible.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/model/http.hpp"
#include "core/result.hpp"

namespace flow::adapters::curl_detail {

// The method as sent: upper-cased (as axios does), and a valid HTTP token.
core::Result<std::string> NormalizeMethod(std::string_view method);

// The line curl sends for one request header, written into `out`: "Name: value", or "Name;"
// for an empty value (curl's syntax for "send this header with no value"; "Name:" would remove
// it). A name that is not an HTTP token or a value with CR, LF or NUL is an error (it would
// smuggle in other headers).
core::Result<void> FormatRequestHeader(std::string_view name, std::string_view value,
                                       std::string& out);

// Collects the head of the final response from the lines HEADERFUNCTION delivers: a status
// line starts a new response (after a redirect, a 100 Continue or a proxy CONNECT), so only the
// last response's headers remain. Names are lower-cased, values trimmed, folded lines joined.
class HeaderCollector {
 public:
  void Feed(std::string_view line);
  const core::HeaderList& headers() const { return headers_; }
  core::HeaderList TakeHeaders() { return std::move(headers_); }
  // Content-Length of the current response, when it announced a valid one.
  std::optional<std::size_t> content_length() const { return content_length_; }
  int responses() const { return responses_; }  // status lines seen

 private:
  core::HeaderList headers_;
  std::optional<std::size_t> content_length_;
  int responses_ = 0;
};

// curl's *_TIME_T values: microseconds counted from the start of the transfer (summed over
// redirect hops), not per phase.
struct CurlTimes {
  curl_off_t namelookup_us = 0;
  curl_off_t connect_us = 0;     // 0 when the connection was reused
  curl_off_t appconnect_us = 0;  // 0 without TLS or when the connection was reused
  curl_off_t pretransfer_us = 0;
  curl_off_t starttransfer_us = 0;
  curl_off_t total_us = 0;
  long new_connections = 0;  // CURLINFO_NUM_CONNECTS
};

// Per-phase durations in ms: dns, connect (TCP), tls (handshake), first_byte (from sending the
// request, PRETRANSFER, to the first response byte), download (first byte to last), total. A
// reused connection has 0 for dns, connect and tls. Never negative.
core::HttpTimings ComputeTimings(const CurlTimes& times);

// CURL_SSLVERSION_* for a TLS version name ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"; any case;
// "TLSv1.0" too); "" gives curl's default. As a maximum (`as_max`) the CURL_SSLVERSION_MAX_*
// value instead.
core::Result<long> ParseTlsVersion(std::string_view name, bool as_max);

// "1.0", "1.1", "2", "3" for CURLINFO_HTTP_VERSION; "" when unknown.
std::string_view HttpVersionName(long curl_http_version);

// What Send() knew when a transfer failed.
struct FailureContext {
  std::string host;  // of the URL being fetched when it failed (after redirects)
  long port = 0;
  std::string url;
  std::string detail;                            // curl's error buffer (may be empty)
  long os_errno = 0;                             // CURLINFO_OS_ERRNO
  std::chrono::milliseconds timeout{0};          // of the whole request; 0: none
  std::chrono::milliseconds connect_timeout{0};  // the one given to curl; 0: none
  double elapsed_ms = 0;
  int max_redirects = 0;
  std::size_t max_body_bytes = 0;
  bool body_too_large = false;  // the write callback stopped the transfer
  bool cancelled = false;
};

// The Error for a failed transfer, with a stable Error::reason: "refused", "dns", "timeout",
// "tls", "cancelled", "redirects", "too-large", "url" or "network".
core::Error MapCurlError(CURLcode code, const FailureContext& context);

}  // namespace flow::adapters::curl_detail
