// CurlHttpClient: the HttpClient port implemented with libcurl.
//
// One client keeps one curl handle and its connection cache for its whole life, so consecutive
// Send() calls to the same host reuse the TCP/TLS connection (HTTP/1.1 keep-alive, or HTTP/2
// negotiated by ALPN on https). Owns its curl handles; movable, not copyable. Not thread-safe:
// one client per run (per worker thread), as the port says. Creating clients on many threads
// at once is safe (libcurl's global init runs once).
//
// What goes on the wire: the request's headers exactly as given (an empty value is sent as an
// empty header), plus Host, Content-Length and, unless the request sets them, User-Agent
// (CurlOptions::user_agent) and Accept-Encoding (every encoding curl can decode). curl's own
// defaults "Accept: */*", "Expect: 100-continue" and the form Content-Type of a body are not
// sent unless the request sets them. Response bodies are decoded (gzip, deflate, br, zstd)
// even when the request set its own Accept-Encoding.
//
// Bodies: `body` is sent from memory; a `body_file` or a multipart body (request.multipart,
// framed with request.multipart_boundary, whose Content-Type header the request already
// carries) is streamed from disk with a Content-Length, each file read once while it is sent
// (BodyStream), so a large upload costs no memory. Redirects are followed by curl when
// request.follow_redirects is set; it then reports only the last response's headers (callers
// that need every hop's Set-Cookie follow redirects themselves: core/cookies
// SendFollowingRedirects).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/ports/http_client.hpp"

namespace flow::adapters {

struct CurlOptions {
  std::string user_agent = "flowtest/0.1";  // sent unless the request sets User-Agent
  bool verbose = false;                     // curl's own trace, on stderr
  long max_connections = 0;  // open connections kept for reuse; 0 keeps curl's default
  // Limit for establishing a connection (DNS, TCP and TLS); the request's timeout still
  // bounds the whole transfer. 0: only the request's timeout.
  std::chrono::milliseconds connect_timeout{10'000};
  std::string proxy;  // "" uses the environment (http_proxy, https_proxy, no_proxy)
  std::size_t max_body_bytes = std::size_t{256} << 20;  // larger decoded bodies are an Error
};

class CurlHttpClient final : public core::HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(CurlHttpClient&&) noexcept;
  CurlHttpClient& operator=(CurlHttpClient&&) noexcept;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  // Any status is a response. Errors (Error::reason in brackets): kUnavailable for refused
  // ("refused"), DNS ("dns"), TLS ("tls"), cancel ("cancelled"), too many redirects
  // ("redirects"), a body over max_body_bytes ("too-large") and other network failures
  // ("network"); kTimeout ("timeout"); kInvalidArgument for a bad url ("url"), method, header
  // or TLS option, and for a body file that cannot be read ("file", Error::pointer naming the
  // request key: "/body_file", "/body/avatar/file"). A request timeout of 0 means none (the connect
  // timeout still applies); request.cancel is checked at least every 50 ms.
  core::Result<core::HttpResponse> Send(const core::HttpRequest& request) override;

  // New connections the last Send() opened (0 when it reused one); for tests and diagnostics.
  long last_new_connections() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace flow::adapters
