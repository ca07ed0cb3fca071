// A local httpbin for integration tests, and the policy for tests whose service is missing.
//
//   TEST(HttpCurl, GetsJson) {
//     FLOW_HTTPBIN_URL_OR_SKIP(base);  // std::string base = "http://127.0.0.1:PORT"
//     ...
//   }
//
// HttpbinUrl() is $FLOW_HTTPBIN_URL when set. Otherwise the first call starts
// tests/support/httpbin_server.py (with /usr/bin/python3, or $FLOW_PYTHON) on a free loopback
// port, once per test process; the server is stopped when the process exits and stops by itself
// if the process dies. The script is found through $FLOW_SOURCE_DIR (set by flow_test()),
// falling back to the source tree the test was built from. Thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace flow::testing {

// "http://host:port" without a trailing '/', or nullopt when no httpbin can be had (then
// HttpbinUnavailableReason() says why, e.g. python3-httpbin is not installed).
std::optional<std::string> HttpbinUrl();
std::string HttpbinUnavailableReason();

// A local HTTPS httpbin with test certificates, for TLS tests: started once per test process
// (never taken from the environment), its certificates in a private temporary folder removed at
// exit. Client certificates are asked for, not required; GET /tls-info answers
// {"version": "TLSv1.3", "client_cert": true|false} for the connection. nullopt when it cannot
// start (HttpbinTlsUnavailableReason() says why, e.g. no openssl).
struct HttpbinTls {
  std::string url;               // "https://127.0.0.1:PORT"
  std::string ca_path;           // the CA that signed the server and client certificates
  std::string client_cert_path;  // PEM
  std::string client_key_path;   // PEM, encrypted with `passphrase`
  std::string client_p12_path;   // PKCS#12 bundle of certificate and key, also `passphrase`
  std::string passphrase;
};
std::optional<HttpbinTls> HttpbinTlsServer();
std::string HttpbinTlsUnavailableReason();

// True once `base_url` (http://host:port) answers GET /get with 200 within `timeout_ms`.
// Needs no HTTP library: a plain socket and HTTP/1.1.
bool HttpbinAnswers(std::string_view base_url, int timeout_ms = 2'000);

// FLOW_REQUIRE_SERVICES=1: a missing service fails the test instead of skipping it (CI).
bool ServicesRequired();

}  // namespace flow::testing

// Skips the current test with `reason`, or fails it when FLOW_REQUIRE_SERVICES=1. For tests that
// need an outside service (httpbin, Postgres, Redis) which is not available. Returns from the
// enclosing void function (a TEST body or SetUp()).
#define FLOW_SKIP_OR_FAIL_MISSING_SERVICE(reason)                   \
  do {                                                              \
    if (::flow::testing::ServicesRequired()) {                      \
      GTEST_FAIL() << (reason) << " (and FLOW_REQUIRE_SERVICES=1)"; \
    } else {                                                        \
      GTEST_SKIP() << (reason);                                     \
    }                                                               \
  } while (0)

// Declares `const std::string var` holding the httpbin base URL, or skips/fails the test.
#define FLOW_HTTPBIN_URL_OR_SKIP(var)                                                      \
  const std::optional<std::string> flow_httpbin_url_##var = ::flow::testing::HttpbinUrl(); \
  if (!flow_httpbin_url_##var) {                                                           \
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE("no httpbin: " +                                     \
                                      ::flow::testing::HttpbinUnavailableReason());        \
  }                                                                                        \
  const std::string var = flow_httpbin_url_##var.value_or(std::string())
