// CurlHttpClient against a real local httpbin (label integration), and the httpbin helper.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "adapters/http_curl/curl_http_client.hpp"
#include "core/cookies/cookie_exchange.hpp"
#include "core/model/http.hpp"
#include "core/run/http_exchange.hpp"
#include "core/util/strings.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/httpbin.hpp"

namespace flow::adapters {
namespace {

using core::ErrorCode;
using core::HttpRequest;
using core::HttpResponse;
using nlohmann::json;
using std::chrono::milliseconds;

HttpRequest Request(std::string method, std::string url) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.timeout = milliseconds(10'000);
  return request;
}

json Json(const HttpResponse& response) { return json::parse(response.body, nullptr, false); }

// A port on which nothing listens: bound, then closed.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    if (fd >= 0) close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// --- requests and responses ---

TEST(HttpCurl, GetSendsTheQueryStringAndFillsTheResponse) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("GET", base + "/get?a=1&b=two%20words"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const HttpResponse& response = *result;
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.http_version, "1.1");
  EXPECT_EQ(Json(response)["args"], json({{"a", "1"}, {"b", "two words"}}));
  EXPECT_EQ(core::FindHeader(response.headers, "content-type"), "application/json");
  EXPECT_EQ(response.size_bytes, response.body.size());
  EXPECT_GT(response.size_bytes, 0u);
  EXPECT_EQ(response.effective_url, base + "/get?a=1&b=two%20words");
  EXPECT_EQ(response.redirect_count, 0);
  EXPECT_GT(response.timings.total_ms, 0.0);
  EXPECT_GE(response.timings.total_ms, response.timings.first_byte_ms);
}

TEST(HttpCurl, ResponseHeaderNamesAreLowerCaseInOrder) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("GET", base + "/response-headers?X-One=1&X-Two=2"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  std::vector<std::string> names;
  for (const auto& [name, value] : result->headers) {
    EXPECT_EQ(name, core::ToLower(name));
    if (name == "x-one" || name == "x-two") names.push_back(name + "=" + value);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"x-one=1", "x-two=2"}));
}

TEST(HttpCurl, EveryMethodReachesTheServerWithItsBody) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const std::string body = R"({"name":"flow","n":[1,2,3]})";
  for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    HttpRequest request = Request(method, base + "/anything");
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    const auto result = client.Send(request);
    ASSERT_TRUE(result.has_value()) << method << ": " << result.error().message;
    EXPECT_EQ(result->status_code, 200) << method;
    const json echo = Json(*result);
    EXPECT_EQ(echo["method"], method);
    EXPECT_EQ(echo["data"], body) << method;
    EXPECT_EQ(echo["json"], json::parse(body)) << method;
  }
}

TEST(HttpCurl, MethodSpecificRoutesAnswer) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  for (const std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    const auto result = client.Send(Request(method, base + "/" + core::ToLower(method)));
    ASSERT_TRUE(result.has_value()) << method << ": " << result.error().message;
    EXPECT_EQ(result->status_code, 200) << method;
  }
}

TEST(HttpCurl, LowerCaseMethodIsSentUpperCase) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("post", base + "/post"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
}

TEST(HttpCurl, CustomMethodsAreSentAsGiven) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto trace = client.Send(Request("TRACE", base + "/anything"));
  ASSERT_TRUE(trace.has_value()) << trace.error().message;
  EXPECT_EQ(Json(*trace)["method"], "TRACE");
  const auto propfind = client.Send(Request("PROPFIND", base + "/get"));
  ASSERT_TRUE(propfind.has_value()) << propfind.error().message;
  EXPECT_EQ(propfind->status_code, 405);  // the server saw PROPFIND, not GET
}

TEST(HttpCurl, OptionsGetsTheAllowedMethods) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("OPTIONS", base + "/get"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
  const std::string allow = core::FindHeader(result->headers, "allow").value_or("");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_EQ(result->body, "");
}

TEST(HttpCurl, HeadReturnsHeadersWithoutWaitingForABody) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.Send(Request("HEAD", base + "/json"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_LT(MsSince(start), 2'000.0);
  EXPECT_EQ(result->status_code, 200);
  EXPECT_EQ(result->body, "");
  EXPECT_EQ(result->size_bytes, 0u);
  EXPECT_NE(core::FindHeader(result->headers, "content-length").value_or("0"), "0");
}

TEST(HttpCurl, BodyIsSentByteForByte) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("POST", base + "/post");
  request.headers = {{"Content-Type", "text/plain"}};
  request.body = std::string("a\0b\r\n c", 7);
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["data"], request.body);
  EXPECT_EQ(Json(*result)["headers"]["Content-Length"], "7");
}

TEST(HttpCurl, HeadersAreSentAsGivenIncludingEmptyValues) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/headers");
  request.headers = {{"X-Empty", ""}, {"X-Trace", "abc"}, {"Authorization", "Bearer t0k3n"}};
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const json headers = Json(*result)["headers"];
  EXPECT_EQ(headers["X-Empty"], "");
  EXPECT_EQ(headers["X-Trace"], "abc");
  EXPECT_EQ(headers["Authorization"], "Bearer t0k3n");
  EXPECT_EQ(headers["User-Agent"], "flowtest/0.1");
}

TEST(HttpCurl, AddsNoAcceptExpectOrContentTypeOfItsOwn) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("POST", base + "/post");
  request.body = std::string(2 << 20, 'x');  // curl would ask "Expect: 100-continue" for this
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_LT(MsSince(start), 900.0);  // curl's 100-continue wait alone is 1 s
  const json echo = Json(*result);
  EXPECT_FALSE(echo["headers"].contains("Accept")) << echo["headers"].dump();
  EXPECT_FALSE(echo["headers"].contains("Expect")) << echo["headers"].dump();
  EXPECT_FALSE(echo["headers"].contains("Content-Type")) << echo["headers"].dump();
  EXPECT_EQ(echo["headers"]["Content-Length"], std::to_string(request.body.size()));
}

TEST(HttpCurl, CallersUserAgentAndAcceptWin) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client(CurlOptions{.user_agent = "custom-default/2"});
  HttpRequest request = Request("GET", base + "/headers");
  const auto with_default = client.Send(request);
  ASSERT_TRUE(with_default.has_value()) << with_default.error().message;
  EXPECT_EQ(Json(*with_default)["headers"]["User-Agent"], "custom-default/2");
  request.headers = {{"User-Agent", "axios/1.13.1"}, {"Accept", "application/json"}};
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["headers"]["User-Agent"], "axios/1.13.1");
  EXPECT_EQ(Json(*result)["headers"]["Accept"], "application/json");
}

TEST(HttpCurl, InvalidHeaderIsAnErrorNotARequest) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/headers");
  request.headers = {{"X-A", "1\r\nX-Injected: yes"}};
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message, "value of header 'X-A' contains a line break or NUL character");
}

// --- encodings ---

TEST(HttpCurl, DecodesGzipDeflateAndBrotli) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  for (const std::string route : {"gzip", "deflate", "brotli"}) {
    const auto result = client.Send(Request("GET", base + "/" + route));
    ASSERT_TRUE(result.has_value()) << route << ": " << result.error().message;
    const json body = Json(*result);
    ASSERT_TRUE(body.is_object()) << route << ": " << result->body.substr(0, 40);
    const std::string flag = route == "gzip"      ? "gzipped"
                             : route == "deflate" ? "deflated"
                                                  : "brotli";
    EXPECT_EQ(body[flag], true) << route;
    EXPECT_EQ(result->size_bytes, result->body.size());
    const std::string advertised = body["headers"]["Accept-Encoding"];
    EXPECT_NE(advertised.find("br"), std::string::npos) << advertised;
  }
}

TEST(HttpCurl, DecodesEvenWhenTheCallerSetsAcceptEncoding) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/gzip");
  request.headers = {{"Accept-Encoding", "gzip"}};
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const json body = Json(*result);
  ASSERT_TRUE(body.is_object()) << "body not decoded";
  EXPECT_EQ(body["gzipped"], true);
  EXPECT_EQ(body["headers"]["Accept-Encoding"], "gzip");
}

// --- redirects and statuses ---

TEST(HttpCurl, FollowsRedirectsAndKeepsOnlyTheFinalHeaders) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("GET", base + "/redirect/3"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
  EXPECT_EQ(result->redirect_count, 3);
  EXPECT_EQ(result->effective_url, base + "/get");
  EXPECT_FALSE(core::FindHeader(result->headers, "location").has_value());
  EXPECT_EQ(Json(*result)["url"], base + "/get");
}

TEST(HttpCurl, DoesNotFollowRedirectsWhenDisabled) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/redirect/3");
  request.follow_redirects = false;
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 302);
  EXPECT_EQ(result->redirect_count, 0);
  EXPECT_EQ(core::FindHeader(result->headers, "location"), "/relative-redirect/2");
}

TEST(HttpCurl, TooManyRedirectsIsAnError) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/redirect/3");
  request.max_redirects = 2;
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "redirects");
  EXPECT_EQ(result.error().message, "too many redirects (more than 2)");
}

TEST(HttpCurl, ErrorStatusIsAResponseNotAnError) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto teapot = client.Send(Request("GET", base + "/status/418"));
  ASSERT_TRUE(teapot.has_value()) << teapot.error().message;
  EXPECT_EQ(teapot->status_code, 418);
  EXPECT_NE(teapot->body.find("teapot"), std::string::npos);
  const auto server_error = client.Send(Request("GET", base + "/status/503"));
  ASSERT_TRUE(server_error.has_value()) << server_error.error().message;
  EXPECT_EQ(server_error->status_code, 503);
}

TEST(HttpCurl, JsonRouteServesTheSampleDocument) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto result = client.Send(Request("GET", base + "/json"));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
  const json expected = json::parse(R"({"slideshow": {
    "author": "Yours Truly", "date": "date of publication", "title": "Sample Slide Show",
    "slides": [{"title": "Wake up to WonderWidgets!", "type": "all"},
               {"items": ["Why <em>WonderWidgets</em> are great", "Who <em>buys</em> WonderWidgets"],
                "title": "Overview", "type": "all"}]}})");
  EXPECT_EQ(Json(*result), expected);
  EXPECT_EQ(core::FindHeader(result->headers, "content-type"), "application/json");
}

TEST(HttpCurl, BodyOverTheLimitIsAnError) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client(CurlOptions{.max_body_bytes = 100});
  const auto result = client.Send(Request("GET", base + "/bytes/1000"));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "too-large");
  EXPECT_EQ(result.error().message, "response body larger than 100 bytes");
  const auto small = client.Send(Request("GET", base + "/bytes/50"));
  ASSERT_TRUE(small.has_value()) << small.error().message;
  EXPECT_EQ(small->size_bytes, 50u);
}

// --- connections, timings and failures ---

TEST(HttpCurl, ReusesTheConnectionForTheNextRequest) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  const auto first = client.Send(Request("GET", base + "/get"));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(client.last_new_connections(), 1);
  EXPECT_GT(first->timings.connect_ms, 0.0);
  const auto second = client.Send(Request("POST", base + "/post"));
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(client.last_new_connections(), 0);
  EXPECT_EQ(second->timings.dns_ms, 0.0);
  EXPECT_EQ(second->timings.connect_ms, 0.0);
  EXPECT_EQ(second->timings.tls_ms, 0.0);
  EXPECT_GT(second->timings.total_ms, 0.0);
}

TEST(HttpCurl, TimeoutIsATimeoutErrorAndReturnsPromptly) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  HttpRequest request = Request("GET", base + "/delay/3");
  request.timeout = milliseconds(500);
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.Send(request);
  const double elapsed = MsSince(start);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(result.error().reason, "timeout");
  EXPECT_EQ(result.error().message, "timeout after 500 ms");
  EXPECT_GE(elapsed, 450.0);
  EXPECT_LT(elapsed, 2'000.0);
  // The client stays usable after a timed-out transfer.
  const auto after = client.Send(Request("GET", base + "/get"));
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(after->status_code, 200);
}

TEST(HttpCurl, ConnectToSendsElsewhereButKeepsUrlAndHost) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  const std::string port = base.substr(base.rfind(':') + 1);
  CurlHttpClient client;
  HttpRequest request = Request("GET", "http://api.example.invalid:8080/get");
  request.connect_to = {"api.example.invalid:8080:127.0.0.1:" + port};
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
  // httpbin builds the echoed url from the Host header: the original host and port.
  EXPECT_EQ(Json(*result)["url"], "http://api.example.invalid:8080/get");
  // Without the rule the same client is back to normal resolution.
  const auto plain = client.Send(Request("GET", base + "/get"));
  ASSERT_TRUE(plain.has_value()) << plain.error().message;
  EXPECT_EQ(Json(*plain)["url"], base + "/get");
}

TEST(HttpCurl, RefusedConnectionNamesHostAndPort) {
  const int port = FreePort();
  ASSERT_GT(port, 0);
  CurlHttpClient client;
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/get";
  const auto result = client.Send(Request("GET", url));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "refused");
  EXPECT_EQ(result.error().message, "connection refused by 127.0.0.1:" + std::to_string(port));
}

TEST(HttpCurl, UnknownHostIsADnsError) {
  CurlHttpClient client;
  HttpRequest request = Request("GET", "http://no-such-host.invalid/get");
  request.timeout = milliseconds(5'000);
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "dns");
  EXPECT_EQ(result.error().message, "could not resolve host 'no-such-host.invalid'");
}

TEST(HttpCurl, CancelAbortsAnInFlightRequest) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  std::atomic<bool> cancel{false};
  HttpRequest request = Request("GET", base + "/delay/3");
  request.cancel = &cancel;
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(milliseconds(200));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.Send(request);
  const double elapsed = MsSince(start);
  canceller.join();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "cancelled");
  EXPECT_EQ(result.error().message, "request cancelled");
  EXPECT_LT(elapsed, 1'000.0);
  // Cancelled before it starts: nothing is sent.
  const auto again = client.Send(request);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason, "cancelled");
}

// Listens on a free loopback port and answers whatever connects with plain text, not TLS.
class NotTlsServer {
 public:
  NotTlsServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    if (listen_fd_ < 0 || pipe2(wake_, O_CLOEXEC) != 0 ||
        bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listen_fd_, 4) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        pollfd waiters[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (poll(waiters, 2, 10'000) <= 0 || waiters[1].revents != 0) return;
        const int fd = accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;
        const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        (void)!send(fd, reply, sizeof(reply) - 1, MSG_NOSIGNAL);
        close(fd);
      }
    });
  }
  ~NotTlsServer() {
    if (thread_.joinable()) {
      (void)!write(wake_[1], "x", 1);
      thread_.join();
    }
    for (int fd : {listen_fd_, wake_[0], wake_[1]}) {
      if (fd >= 0) close(fd);
    }
  }
  int port() const { return port_; }

 private:
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  std::thread thread_;
};

TEST(HttpCurl, TlsFailureIsATlsError) {
  const NotTlsServer server;
  ASSERT_GT(server.port(), 0);
  CurlHttpClient client;
  HttpRequest request = Request("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/");
  request.tls.verify = false;
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "tls");
  EXPECT_EQ(result.error().message.rfind("tls error: ", 0), 0u) << result.error().message;
}

TEST(HttpCurl, MissingClientCertificateIsATlsError) {
  const NotTlsServer server;
  ASSERT_GT(server.port(), 0);
  CurlHttpClient client;
  HttpRequest request = Request("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/");
  request.tls.cert_path = "/nonexistent/client.pem";
  request.tls.key_path = "/nonexistent/client.key";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "tls");
  EXPECT_NE(result.error().message.find("/nonexistent/client.pem"), std::string::npos)
      << result.error().message;
}

TEST(HttpCurl, BadTlsOptionsAreInvalidArguments) {
  CurlHttpClient client;
  HttpRequest request = Request("GET", "https://127.0.0.1:1/");
  request.tls.min_version = "TLSv1.3";
  request.tls.max_version = "TLSv1.2";
  auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message, "tls min_version 'TLSv1.3' is above max_version 'TLSv1.2'");
  request.tls = {.cert_path = "a.pem", .pfx_path = "b.p12"};
  result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  request.tls = {.min_version = "SSLv3"};
  result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "unknown tls version 'SSLv3'");
}

TEST(HttpCurl, NonHttpUrlIsAnInvalidArgument) {
  CurlHttpClient client;
  for (const char* url : {"", "/get", "ftp://example.com/x", "file:///etc/passwd"}) {
    const auto result = client.Send(Request("GET", url));
    ASSERT_FALSE(result.has_value()) << url;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(result.error().reason, "url") << url;
    EXPECT_EQ(result.error().message, "invalid url '" + std::string(url) + "'");
  }
}

// --- HTTPS against the local TLS httpbin ---

#define FLOW_HTTPBIN_TLS_OR_SKIP(var)                                          \
  const std::optional<testing::HttpbinTls> var = testing::HttpbinTlsServer();  \
  if (!var) {                                                                  \
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE("no https httpbin: " +                   \
                                      testing::HttpbinTlsUnavailableReason()); \
  }

HttpRequest TlsRequest(const testing::HttpbinTls& tls, const std::string& path) {
  HttpRequest request = Request("GET", tls.url + path);
  request.tls.ca_path = tls.ca_path;
  return request;
}

TEST(HttpCurlTls, VerifiesTheServerCertificateByDefault) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  const auto result = client.Send(Request("GET", tls->url + "/get"));  // our CA is not trusted
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().reason, "tls");
  EXPECT_NE(result.error().message.find("certificate"), std::string::npos)
      << result.error().message;
}

TEST(HttpCurlTls, TrustsTheGivenCaAndReusesTheTlsConnection) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  const auto first = client.Send(TlsRequest(*tls, "/get"));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->status_code, 200);
  EXPECT_EQ(first->http_version, "1.1");  // ALPN offered h2; this server speaks only 1.1
  EXPECT_EQ(client.last_new_connections(), 1);
  EXPECT_GT(first->timings.tls_ms, 0.0);
  const auto second = client.Send(TlsRequest(*tls, "/get"));
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(client.last_new_connections(), 0);
  EXPECT_EQ(second->timings.tls_ms, 0.0);
  EXPECT_EQ(second->timings.connect_ms, 0.0);
}

TEST(HttpCurlTls, VerifyFalseAcceptsAnUntrustedServer) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  HttpRequest request = Request("GET", tls->url + "/get");
  request.tls.verify = false;
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->status_code, 200);
}

TEST(HttpCurlTls, SendsAPemClientCertificate) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  const auto without = client.Send(TlsRequest(*tls, "/tls-info"));
  ASSERT_TRUE(without.has_value()) << without.error().message;
  EXPECT_EQ(Json(*without)["client_cert"], false);
  HttpRequest request = TlsRequest(*tls, "/tls-info");
  request.tls.cert_path = tls->client_cert_path;
  request.tls.key_path = tls->client_key_path;
  request.tls.passphrase = tls->passphrase;
  const auto with = client.Send(request);
  ASSERT_TRUE(with.has_value()) << with.error().message;
  EXPECT_EQ(Json(*with)["client_cert"], true);
}

TEST(HttpCurlTls, SendsAPfxClientCertificate) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  HttpRequest request = TlsRequest(*tls, "/tls-info");
  request.tls.pfx_path = tls->client_p12_path;
  request.tls.passphrase = tls->passphrase;
  const auto result = client.Send(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["client_cert"], true);
}

TEST(HttpCurlTls, WrongPassphraseIsATlsError) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  HttpRequest request = TlsRequest(*tls, "/tls-info");
  request.tls.pfx_path = tls->client_p12_path;
  request.tls.passphrase = "wrong";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().reason, "tls");
  EXPECT_EQ(result.error().message.rfind("tls error: ", 0), 0u) << result.error().message;
}

TEST(HttpCurlTls, AppliesMinAndMaxVersions) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  CurlHttpClient client;
  HttpRequest request = TlsRequest(*tls, "/tls-info");
  request.tls.max_version = "TLSv1.2";
  const auto capped = client.Send(request);
  ASSERT_TRUE(capped.has_value()) << capped.error().message;
  EXPECT_EQ(Json(*capped)["version"], "TLSv1.2");
  request.tls.max_version.clear();
  request.tls.min_version = "TLSv1.3";
  const auto raised = client.Send(request);
  ASSERT_TRUE(raised.has_value()) << raised.error().message;
  EXPECT_EQ(Json(*raised)["version"], "TLSv1.3");
}

// --- the httpbin helper ---

class ScopedEnv {
 public:
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* value = std::getenv(name)) saved_ = value;
  }
  ~ScopedEnv() {
    if (saved_) {
      setenv(name_, saved_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

TEST(HttpbinHelper, StartsALocalServerWhenNoUrlIsGiven) {
  const ScopedEnv restore("FLOW_HTTPBIN_URL");
  unsetenv("FLOW_HTTPBIN_URL");
  const std::optional<std::string> url = testing::HttpbinUrl();
  if (!url) FLOW_SKIP_OR_FAIL_MISSING_SERVICE(testing::HttpbinUnavailableReason());
  EXPECT_EQ(url->rfind("http://127.0.0.1:", 0), 0u) << *url;
  EXPECT_TRUE(testing::HttpbinAnswers(*url));
  EXPECT_EQ(testing::HttpbinUrl(), url);  // one server per process
}

TEST(HttpbinHelper, UsesFlowHttpbinUrlWhenSet) {
  const ScopedEnv restore("FLOW_HTTPBIN_URL");
  setenv("FLOW_HTTPBIN_URL", "http://httpbin.test:8080/", 1);
  EXPECT_EQ(testing::HttpbinUrl(), "http://httpbin.test:8080");
  EXPECT_EQ(testing::HttpbinUnavailableReason(), "");
}

TEST(HttpbinHelper, AnswersIsFalseWhenNothingListens) {
  const int port = FreePort();
  ASSERT_GT(port, 0);
  EXPECT_FALSE(testing::HttpbinAnswers("http://127.0.0.1:" + std::to_string(port), 500));
  EXPECT_FALSE(testing::HttpbinAnswers("not a url", 500));
}

// --- request bodies from files, multipart, cookies, certificates by domain ---
// These go through the core's request building (BuildHttpRequest, SendFollowingRedirects), as a run
// does, so that what the suite writes is checked against what httpbin receives.

// A private folder for a test's files, removed at the end of the test.
class TempFiles {
 public:
  TempFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("flow_http_curl_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

core::Result<HttpRequest> Build(const json& rendered, const core::RequestDefaults& defaults) {
  return core::BuildHttpRequest(rendered, defaults);
}

TEST(HttpCurlBodies, MultipartUploadArrivesAsFilesAndForm) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  TempFiles files;
  files.Write("notes.txt", "line one\nline two\n");
  const json rendered = {
      {"method", "POST"},
      {"url", "/post"},
      {"headers", {{"Content-Type", "multipart/form-data"}}},
      {"body",
       {{"title", "Hello"},
        {"tag", {"a", "b"}},
        {"meta", {{"value", {{"k", 1}}}}},
        {"notes", {{"file", "notes.txt"}}}}},
  };
  const auto request = Build(rendered, {.base_url = base, .base_dir = files.dir()});
  ASSERT_TRUE(request.has_value()) << request.error().message;
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->status_code, 200) << result->body;
  const json echoed = Json(*result);
  EXPECT_EQ(echoed["files"], json({{"notes", "line one\nline two\n"}}));
  EXPECT_EQ(echoed["form"], json({{"title", "Hello"}, {"tag", {"a", "b"}}, {"meta", "{\"k\":1}"}}));
  EXPECT_EQ(echoed["headers"]["Content-Type"],
            "multipart/form-data; boundary=" + request->multipart_boundary);
}

TEST(HttpCurlBodies, LargeFilePartIsStreamedWithItsLength) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  TempFiles files;
  std::string bytes(3 << 20, 'x');
  for (std::size_t i = 0; i < bytes.size(); i += 1000) bytes[i] = '\n';
  files.Write("big.txt", bytes);
  const json rendered = {{"method", "POST"},
                         {"url", "/post"},
                         {"headers", {{"Content-Type", "multipart/form-data"}}},
                         {"body", {{"big", {{"file", "big.txt"}}}}}};
  const auto request = Build(rendered, {.base_url = base, .base_dir = files.dir()});
  ASSERT_TRUE(request.has_value());
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const json echoed = Json(*result);
  EXPECT_EQ(echoed["files"]["big"], bytes);
  const std::string length = echoed["headers"]["Content-Length"];
  EXPECT_GT(std::stoul(length), bytes.size());
}

TEST(HttpCurlBodies, BodyFileIsSentByteForByteWithItsType) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  TempFiles files;
  files.Write("payload.json", R"({"from":"file","n":[1,2]})");
  const auto request = Build({{"method", "POST"}, {"url", "/post"}, {"body_file", "payload.json"}},
                             {.base_url = base, .base_dir = files.dir()});
  ASSERT_TRUE(request.has_value());
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const json echoed = Json(*result);
  EXPECT_EQ(echoed["data"], R"({"from":"file","n":[1,2]})");
  EXPECT_EQ(echoed["json"], json({{"from", "file"}, {"n", {1, 2}}}));
  EXPECT_EQ(echoed["headers"]["Content-Type"], "application/json");
}

TEST(HttpCurlBodies, Base64BodyArrivesDecoded) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  const auto request = Build({{"method", "PUT"},
                              {"url", "/put"},
                              {"headers", {{"Content-Type", "text/plain"}}},
                              {"body_base64", "aGVsbG8gd29ybGQ="}},
                             {.base_url = base});
  ASSERT_TRUE(request.has_value());
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["data"], "hello world");
}

TEST(HttpCurlBodies, StreamedBodyIsSentAgainAfterA307) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  TempFiles files;
  files.Write("again.txt", "resent body");
  const auto request = Build({{"method", "POST"},
                              {"url", "/redirect-to?url=/post&status_code=307"},
                              {"body_file", "again.txt"}},
                             {.base_url = base, .base_dir = files.dir()});
  ASSERT_TRUE(request.has_value());
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->redirect_count, 1);
  EXPECT_EQ(Json(*result)["data"], "resent body");
}

TEST(HttpCurlBodies, MissingFileFailsBeforeAnythingIsSent) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  TempFiles files;
  const auto request = Build({{"method", "POST"},
                              {"url", "/post"},
                              {"headers", {{"Content-Type", "multipart/form-data"}}},
                              {"body", {{"avatar", {{"file", "missing.png"}}}}}},
                             {.base_url = base, .base_dir = files.dir()});
  ASSERT_TRUE(request.has_value());
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "cannot read file part 'avatar': " + files.dir() +
                                        "/missing.png: No such file or directory");
  EXPECT_EQ(result.error().pointer, "/body/avatar/file");
  EXPECT_EQ(client.last_new_connections(), 0);
}

TEST(HttpCurlCookies, CookieSetOnARedirectReachesTheNextHopAndLaterRequests) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  testing::FakeClock clock;
  core::CookieJar jar;
  const auto set = core::SendFollowingRedirects(
      client, Request("GET", base + "/cookies/set?name=value&b=2"), &jar, clock);
  ASSERT_TRUE(set.has_value()) << set.error().message;
  EXPECT_EQ(set->status_code, 200);
  EXPECT_EQ(set->redirect_count, 1);
  EXPECT_EQ(set->effective_url, base + "/cookies");
  EXPECT_EQ(Json(*set)["cookies"], json({{"name", "value"}, {"b", "2"}}));
  EXPECT_EQ(jar.size(), 2u);

  const auto later =
      core::SendFollowingRedirects(client, Request("GET", base + "/cookies"), &jar, clock);
  ASSERT_TRUE(later.has_value()) << later.error().message;
  EXPECT_EQ(Json(*later)["cookies"], json({{"name", "value"}, {"b", "2"}}));

  const auto deleted = core::SendFollowingRedirects(
      client, Request("GET", base + "/cookies/delete?name"), &jar, clock);
  ASSERT_TRUE(deleted.has_value()) << deleted.error().message;
  EXPECT_EQ(Json(*deleted)["cookies"], json({{"b", "2"}}));
  EXPECT_EQ(jar.size(), 1u);
}

TEST(HttpCurlCookies, WithoutAJarTheRedirectIsFollowedWithoutTheCookie) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  testing::FakeClock clock;
  const auto result = core::SendFollowingRedirects(
      client, Request("GET", base + "/cookies/set?name=value"), nullptr, clock);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->redirect_count, 1);
  EXPECT_EQ(Json(*result)["cookies"], json::object());
}

TEST(HttpCurlCookies, RequestsOwnCookieHeaderIsMergedWithTheJar) {
  FLOW_HTTPBIN_URL_OR_SKIP(base);
  CurlHttpClient client;
  testing::FakeClock clock;
  core::CookieJar jar;
  jar.Store(base + "/", {"session=jar", "theme=dark"}, clock.unix_ms);
  HttpRequest request = Request("GET", base + "/cookies");
  request.headers = {{"Cookie", "session=mine"}};
  const auto result = core::SendFollowingRedirects(client, request, &jar, clock);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["cookies"], json({{"session", "mine"}, {"theme", "dark"}}));
}

TEST(HttpCurlTls, CertificateIsChosenByDomainFromTheGlobals) {
  FLOW_HTTPBIN_TLS_OR_SKIP(tls);
  const core::RequestDefaults defaults{
      .domain_certificates = {
          {.name = "elsewhere", .domains = {"*.example.com"}, .certificate = {{"verify", false}}},
          {.name = "local",
           .domains = {"127.0.0.1"},
           .certificate = {{"cert_path", tls->client_cert_path},
                           {"key_path", tls->client_key_path},
                           {"passphrase", tls->passphrase},
                           {"ca_path", tls->ca_path}}}}};
  const auto request = Build({{"method", "GET"}, {"url", tls->url + "/tls-info"}}, defaults);
  ASSERT_TRUE(request.has_value()) << request.error().message;
  CurlHttpClient client;
  const auto result = client.Send(*request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(Json(*result)["client_cert"], true);
}

}  // namespace
}  // namespace flow::adapters
