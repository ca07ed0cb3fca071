#include "adapters/http_curl/curl_helpers.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace flow::adapters::curl_detail {
namespace {

using core::ErrorCode;
using core::HeaderList;

// --- methods and request headers ---

TEST(NormalizeMethod, UpperCasesKnownAndCustomMethods) {
  EXPECT_EQ(*NormalizeMethod("get"), "GET");
  EXPECT_EQ(*NormalizeMethod("Patch"), "PATCH");
  EXPECT_EQ(*NormalizeMethod("PROPFIND"), "PROPFIND");
}

TEST(NormalizeMethod, RejectsEmptyAndNonTokenMethods) {
  for (const char* bad : {"", "GET /x", "GE\r\nT", "PO:ST"}) {
    const auto result = NormalizeMethod(bad);
    ASSERT_FALSE(result.has_value()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message, "invalid http method '" + std::string(bad) + "'");
  }
}

TEST(FormatRequestHeader, WritesNameColonValue) {
  std::string line;
  ASSERT_TRUE(FormatRequestHeader("X-Trace", "abc 123", line).has_value());
  EXPECT_EQ(line, "X-Trace: abc 123");
}

TEST(FormatRequestHeader, EmptyValueUsesCurlSemicolonSyntax) {
  std::string line = "left over";
  ASSERT_TRUE(FormatRequestHeader("X-Empty", "", line).has_value());
  EXPECT_EQ(line, "X-Empty;");
  ASSERT_TRUE(FormatRequestHeader("X-Blank", "   ", line).has_value());
  EXPECT_EQ(line, "X-Blank;");
}

TEST(FormatRequestHeader, TrimsSurroundingWhitespaceOfTheValue) {
  std::string line;
  ASSERT_TRUE(FormatRequestHeader("Accept", "  text/plain\t", line).has_value());
  EXPECT_EQ(line, "Accept: text/plain");
}

TEST(FormatRequestHeader, RejectsLineBreaksThatWouldInjectHeaders) {
  std::string line;
  const auto result = FormatRequestHeader("X-A", "1\r\nX-Injected: yes", line);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message, "value of header 'X-A' contains a line break or NUL character");
  EXPECT_FALSE(FormatRequestHeader("X-A", std::string("a\0b", 3), line).has_value());
}

TEST(FormatRequestHeader, RejectsInvalidNames) {
  std::string line;
  for (const char* bad : {"", "Bad Name", "Colon:", "Tab\t"}) {
    const auto result = FormatRequestHeader(bad, "v", line);
    ASSERT_FALSE(result.has_value()) << bad;
    EXPECT_EQ(result.error().message, "invalid header name '" + std::string(bad) + "'");
  }
}

// --- response heads ---

TEST(HeaderCollector, LowerCasesNamesAndTrimsValuesInOrder) {
  HeaderCollector collector;
  collector.Feed("HTTP/1.1 200 OK\r\n");
  collector.Feed("Content-Type:  application/json \r\n");
  collector.Feed("X-Multi: a\r\n");
  collector.Feed("x-multi: b\r\n");
  collector.Feed("\r\n");
  const HeaderList expected{
      {"content-type", "application/json"}, {"x-multi", "a"}, {"x-multi", "b"}};
  EXPECT_EQ(collector.headers(), expected);
  EXPECT_EQ(collector.responses(), 1);
}

TEST(HeaderCollector, KeepsOnlyTheLastResponseAfterRedirects) {
  HeaderCollector collector;
  collector.Feed("HTTP/1.1 302 FOUND\r\n");
  collector.Feed("Location: /get\r\n");
  collector.Feed("Content-Length: 0\r\n");
  collector.Feed("\r\n");
  collector.Feed("HTTP/2 200\r\n");
  collector.Feed("content-length: 12\r\n");
  collector.Feed("\r\n");
  EXPECT_EQ(collector.headers(), (HeaderList{{"content-length", "12"}}));
  EXPECT_EQ(collector.content_length(), 12u);
  EXPECT_EQ(collector.responses(), 2);
}

TEST(HeaderCollector, JoinsFoldedLinesAndIgnoresGarbage) {
  HeaderCollector collector;
  collector.Feed("HTTP/1.0 200 OK\r\n");
  collector.Feed("X-Long: first\r\n");
  collector.Feed("   second part\r\n");
  collector.Feed("not a header line\r\n");
  collector.Feed(": no name\r\n");
  collector.Feed("X-Empty:\r\n");
  EXPECT_EQ(collector.headers(), (HeaderList{{"x-long", "first second part"}, {"x-empty", ""}}));
}

TEST(HeaderCollector, InvalidContentLengthIsIgnored) {
  HeaderCollector collector;
  collector.Feed("HTTP/1.1 200 OK\r\n");
  collector.Feed("Content-Length: 12abc\r\n");
  EXPECT_FALSE(collector.content_length().has_value());
  EXPECT_EQ(collector.headers().size(), 1u);
}

TEST(HeaderCollector, TakeHeadersMovesThemOut) {
  HeaderCollector collector;
  collector.Feed("HTTP/1.1 204 No Content\r\n");
  collector.Feed("Server: x\r\n");
  EXPECT_EQ(collector.TakeHeaders(), (HeaderList{{"server", "x"}}));
}

// --- timings ---

TEST(ComputeTimings, ConvertsCumulativeMicrosecondsToPhases) {
  const CurlTimes times{.namelookup_us = 1'000,
                        .connect_us = 3'000,
                        .appconnect_us = 7'000,
                        .pretransfer_us = 7'500,
                        .starttransfer_us = 17'500,
                        .total_us = 20'000,
                        .new_connections = 1};
  const core::HttpTimings timings = ComputeTimings(times);
  EXPECT_DOUBLE_EQ(timings.dns_ms, 1.0);
  EXPECT_DOUBLE_EQ(timings.connect_ms, 2.0);
  EXPECT_DOUBLE_EQ(timings.tls_ms, 4.0);
  EXPECT_DOUBLE_EQ(timings.first_byte_ms, 10.0);
  EXPECT_DOUBLE_EQ(timings.download_ms, 2.5);
  EXPECT_DOUBLE_EQ(timings.total_ms, 20.0);
}

TEST(ComputeTimings, PlainHttpHasNoTlsPhase) {
  const CurlTimes times{.namelookup_us = 500,
                        .connect_us = 800,
                        .appconnect_us = 0,
                        .pretransfer_us = 900,
                        .starttransfer_us = 1'900,
                        .total_us = 2'000,
                        .new_connections = 1};
  const core::HttpTimings timings = ComputeTimings(times);
  EXPECT_DOUBLE_EQ(timings.dns_ms, 0.5);
  EXPECT_DOUBLE_EQ(timings.connect_ms, 0.3);
  EXPECT_DOUBLE_EQ(timings.tls_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.first_byte_ms, 1.0);
}

TEST(ComputeTimings, ReusedConnectionHasZeroDnsConnectAndTls) {
  // curl still reports a tiny name lookup time on a reused connection.
  const CurlTimes times{.namelookup_us = 20,
                        .connect_us = 0,
                        .appconnect_us = 0,
                        .pretransfer_us = 60,
                        .starttransfer_us = 160,
                        .total_us = 180,
                        .new_connections = 0};
  const core::HttpTimings timings = ComputeTimings(times);
  EXPECT_DOUBLE_EQ(timings.dns_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.connect_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.tls_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.first_byte_ms, 0.1);
  EXPECT_DOUBLE_EQ(timings.download_ms, 0.02);
  EXPECT_DOUBLE_EQ(timings.total_ms, 0.18);
}

TEST(ComputeTimings, OutOfOrderValuesNeverGiveNegativePhases) {
  const CurlTimes times{.namelookup_us = 5'000,
                        .connect_us = 4'000,
                        .appconnect_us = 3'000,
                        .pretransfer_us = 9'000,
                        .starttransfer_us = 8'000,
                        .total_us = 7'000,
                        .new_connections = 1};
  const core::HttpTimings timings = ComputeTimings(times);
  EXPECT_DOUBLE_EQ(timings.connect_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.tls_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.first_byte_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.download_ms, 0.0);
  EXPECT_DOUBLE_EQ(timings.total_ms, 7.0);
}

// --- TLS versions and HTTP versions ---

TEST(ParseTlsVersion, MapsNamesToCurlConstants) {
  EXPECT_EQ(*ParseTlsVersion("TLSv1", false), CURL_SSLVERSION_TLSv1_0);
  EXPECT_EQ(*ParseTlsVersion("tlsv1.0", false), CURL_SSLVERSION_TLSv1_0);
  EXPECT_EQ(*ParseTlsVersion("TLSv1.1", false), CURL_SSLVERSION_TLSv1_1);
  EXPECT_EQ(*ParseTlsVersion("TLSv1.2", false), CURL_SSLVERSION_TLSv1_2);
  EXPECT_EQ(*ParseTlsVersion(" TLSv1.3 ", false), CURL_SSLVERSION_TLSv1_3);
  EXPECT_EQ(*ParseTlsVersion("TLSv1.2", true), CURL_SSLVERSION_MAX_TLSv1_2);
  EXPECT_EQ(*ParseTlsVersion("", false), CURL_SSLVERSION_DEFAULT);
  EXPECT_EQ(*ParseTlsVersion("", true), CURL_SSLVERSION_MAX_DEFAULT);
}

TEST(ParseTlsVersion, UnknownNameIsAnErrorWithTheChoices) {
  const auto result = ParseTlsVersion("SSLv3", false);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message, "unknown tls version 'SSLv3'");
  EXPECT_EQ(result.error().hint, "use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3");
}

TEST(HttpVersionName, NamesCurlVersions) {
  EXPECT_EQ(HttpVersionName(CURL_HTTP_VERSION_1_0), "1.0");
  EXPECT_EQ(HttpVersionName(CURL_HTTP_VERSION_1_1), "1.1");
  EXPECT_EQ(HttpVersionName(CURL_HTTP_VERSION_2_0), "2");
  EXPECT_EQ(HttpVersionName(CURL_HTTP_VERSION_3), "3");
  EXPECT_EQ(HttpVersionName(CURL_HTTP_VERSION_NONE), "");
}

// --- error mapping ---

FailureContext Context() {
  return FailureContext{.host = "api.local",
                        .port = 8080,
                        .url = "http://api.local:8080/x",
                        .detail = "Some curl detail.",
                        .timeout = std::chrono::milliseconds(500),
                        .connect_timeout = std::chrono::milliseconds(0),
                        .elapsed_ms = 10,
                        .max_redirects = 5,
                        .max_body_bytes = 1024};
}

TEST(MapCurlError, RefusedNamesHostAndPort) {
  FailureContext context = Context();
  context.os_errno = ECONNREFUSED;
  const core::Error error = MapCurlError(CURLE_COULDNT_CONNECT, context);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "connection refused by api.local:8080");
  EXPECT_EQ(error.reason, "refused");
}

TEST(MapCurlError, OtherConnectFailuresAreNetworkErrors) {
  FailureContext context = Context();
  context.os_errno = EHOSTUNREACH;
  const core::Error error = MapCurlError(CURLE_COULDNT_CONNECT, context);
  EXPECT_EQ(error.message, "could not connect to api.local:8080: some curl detail");
  EXPECT_EQ(error.reason, "network");
}

TEST(MapCurlError, DnsFailureNamesTheHost) {
  const core::Error error = MapCurlError(CURLE_COULDNT_RESOLVE_HOST, Context());
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "could not resolve host 'api.local'");
  EXPECT_EQ(error.reason, "dns");
}

TEST(MapCurlError, TimeoutNamesTheRequestTimeout) {
  FailureContext context = Context();
  context.elapsed_ms = 501;
  const core::Error error = MapCurlError(CURLE_OPERATION_TIMEDOUT, context);
  EXPECT_EQ(error.code, ErrorCode::kTimeout);
  EXPECT_EQ(error.message, "timeout after 500 ms");
  EXPECT_EQ(error.reason, "timeout");
}

TEST(MapCurlError, EarlyTimeoutWithAConnectTimeoutIsTheConnectTimeout) {
  FailureContext context = Context();
  context.timeout = std::chrono::milliseconds(30'000);
  context.connect_timeout = std::chrono::milliseconds(10'000);
  context.elapsed_ms = 10'001;
  const core::Error error = MapCurlError(CURLE_OPERATION_TIMEDOUT, context);
  EXPECT_EQ(error.code, ErrorCode::kTimeout);
  EXPECT_EQ(error.message, "timeout after 10000 ms connecting to api.local:8080");
  context.elapsed_ms = 30'002;
  EXPECT_EQ(MapCurlError(CURLE_OPERATION_TIMEDOUT, context).message, "timeout after 30000 ms");
}

TEST(MapCurlError, TlsErrorsArePrefixedAndKeepCurlsDetail) {
  FailureContext context = Context();
  context.detail = "SSL certificate problem: self-signed certificate";
  for (CURLcode code : {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR,
                        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE}) {
    const core::Error error = MapCurlError(code, context);
    EXPECT_EQ(error.code, ErrorCode::kUnavailable);
    EXPECT_EQ(error.message, "tls error: SSL certificate problem: self-signed certificate");
    EXPECT_EQ(error.reason, "tls");
  }
}

TEST(MapCurlError, CancelWins) {
  FailureContext context = Context();
  context.cancelled = true;
  const core::Error error = MapCurlError(CURLE_WRITE_ERROR, context);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "request cancelled");
  EXPECT_EQ(error.reason, "cancelled");
  EXPECT_EQ(MapCurlError(CURLE_ABORTED_BY_CALLBACK, Context()).reason, "cancelled");
}

TEST(MapCurlError, OversizedBodyNamesTheLimit) {
  FailureContext context = Context();
  context.body_too_large = true;
  const core::Error error = MapCurlError(CURLE_WRITE_ERROR, context);
  EXPECT_EQ(error.message, "response body larger than 1024 bytes");
  EXPECT_EQ(error.reason, "too-large");
  EXPECT_EQ(MapCurlError(CURLE_FILESIZE_EXCEEDED, Context()).reason, "too-large");
}

TEST(MapCurlError, TooManyRedirectsNamesTheLimit) {
  const core::Error error = MapCurlError(CURLE_TOO_MANY_REDIRECTS, Context());
  EXPECT_EQ(error.message, "too many redirects (more than 5)");
  EXPECT_EQ(error.reason, "redirects");
}

TEST(MapCurlError, BadUrlsAreInvalidArguments) {
  const core::Error malformed = MapCurlError(CURLE_URL_MALFORMAT, Context());
  EXPECT_EQ(malformed.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(malformed.message, "invalid url 'http://api.local:8080/x'");
  EXPECT_EQ(malformed.reason, "url");
  EXPECT_EQ(MapCurlError(CURLE_UNSUPPORTED_PROTOCOL, Context()).code, ErrorCode::kInvalidArgument);
}

TEST(MapCurlError, OtherErrorsKeepCurlsMessageInLowerCase) {
  FailureContext context = Context();
  context.detail = "Empty reply from server";
  const core::Error error = MapCurlError(CURLE_GOT_NOTHING, context);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "empty reply from server");
  EXPECT_EQ(error.reason, "network");
  context.detail.clear();  // no error buffer: curl's text for the code
  EXPECT_EQ(MapCurlError(CURLE_RECV_ERROR, context).message,
            "failure when receiving data from the peer");
}

}  // namespace
}  // namespace flow::adapters::curl_detail
