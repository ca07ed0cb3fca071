#include "core/run/http_exchange.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

std::string Header(const HttpRequest& r, std::string_view name) {
  return FindHeader(r.headers, name).value_or("<absent>");
}

TEST(HttpExchange, JoinsRelativeUrlsWithTheBase) {
  EXPECT_EQ(*JoinUrl("http://h:1/api/", "/get"), "http://h:1/api/get");
  EXPECT_EQ(*JoinUrl("http://h:1", "get?x=1"), "http://h:1/get?x=1");
  EXPECT_EQ(*JoinUrl("http://h:1", "https://other/x"), "https://other/x");
  EXPECT_EQ(*JoinUrl("", "HTTP://other/x"), "HTTP://other/x");
  const Result<std::string> bad = JoinUrl("", "/get");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "relative url '/get' needs a base_url");
}

TEST(HttpExchange, EncodesParamsAxiosStyle) {
  const Value params = Value::parse(R"({"q":"a b&c","ids":[1,2],"f":{"x":"y"},"n":null,"b":true})");
  EXPECT_EQ(EncodeQuery(params), "q=a+b%26c&ids[]=1&ids[]=2&f[x]=y&b=true");
}

TEST(HttpExchange, ObjectBodyIsJsonWithContentType) {
  const Value r = Value::parse(R"({"method":"post","url":"/p","body":{"b":1,"a":[true]}})");
  const Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h"});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->url, "http://h/p");
  EXPECT_EQ(req->body, R"({"b":1,"a":[true]})");  // written order kept
  EXPECT_EQ(Header(*req, "content-type"), "application/json");
  EXPECT_EQ(Header(*req, "accept"), "application/json, text/plain, */*");
}

TEST(HttpExchange, FormBodyWhenTheContentTypeSaysSo) {
  const Value r = Value::parse(
      R"({"method":"POST","url":"/p","headers":{"Content-Type":"application/x-www-form-urlencoded"},
          "body":{"user":"a b","n":2}})");
  const Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h"});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->body, "user=a+b&n=2");
}

TEST(HttpExchange, StringBodiesFollowTheOriginalRules) {
  Value r = Value::parse(R"({"method":"POST","url":"/p","body":"raw text"})");
  Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h"});
  EXPECT_EQ(req->body, "raw text");
  EXPECT_EQ(Header(*req, "content-type"), "application/x-www-form-urlencoded");

  r["headers"] = {{"Content-Type", "application/json"}};
  req = BuildHttpRequest(r, {.base_url = "http://h"});
  EXPECT_EQ(req->body, "\"raw text\"");
  r["body"] = R"({"already":"json"})";
  req = BuildHttpRequest(r, {.base_url = "http://h"});
  EXPECT_EQ(req->body, R"({"already":"json"})");
}

TEST(HttpExchange, HeadersAreStringifiedAndEmptyOnesDropped) {
  const Value r = Value::parse(
      R"({"method":"GET","url":"/g","headers":{"X-N":42,"X-Empty":"","X-Null":null,"User-Agent":"me"}})");
  const Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h", .user_agent = "flowtest/x"});
  ASSERT_TRUE(req);
  EXPECT_EQ(Header(*req, "x-n"), "42");
  EXPECT_EQ(Header(*req, "x-empty"), "<absent>");
  EXPECT_EQ(Header(*req, "x-null"), "<absent>");
  EXPECT_EQ(Header(*req, "user-agent"), "me");
}

TEST(HttpExchange, ParamsAppendToAnExistingQuery) {
  const Value r = Value::parse(R"({"method":"GET","url":"/g?a=1","params":{"b":2}})");
  EXPECT_EQ(BuildHttpRequest(r, {.base_url = "http://h"})->url, "http://h/g?a=1&b=2");
}

TEST(HttpExchange, UnsafeUrlBytesArePercentEncoded) {
  const Value r = Value::parse(R"({"method":"GET","url":"/a b/caf\u00e9?q=x y&p=%41{1}"})");
  EXPECT_EQ(BuildHttpRequest(r, {.base_url = "http://h"})->url,
            "http://h/a%20b/caf%C3%A9?q=x%20y&p=%41%7B1%7D");
}

TEST(HttpExchange, CertificatesBecomeTlsOptionsAndTheRequestsOwnWins) {
  const Value suite_cert = Value::parse(R"({"ca_path":"suite-ca.pem","verify":"false"})");
  Value r = Value::parse(R"({"method":"GET","url":"https://h/x"})");
  Result<HttpRequest> req = BuildHttpRequest(r, {.certificate = suite_cert});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->tls.ca_path, "suite-ca.pem");
  EXPECT_FALSE(req->tls.verify);

  r["certificate"] = Value::parse(
      R"({"cert_path":"c.pem","key_path":"k.pem","passphrase":"pw","min_version":"TLSv1.2"})");
  req = BuildHttpRequest(r, {.certificate = suite_cert});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->tls.cert_path, "c.pem");
  EXPECT_EQ(req->tls.key_path, "k.pem");
  EXPECT_EQ(req->tls.passphrase, "pw");
  EXPECT_EQ(req->tls.min_version, "TLSv1.2");
  EXPECT_EQ(req->tls.ca_path, "");  // the request's certificate replaces the suite's
  EXPECT_TRUE(req->tls.verify);

  r["certificate"] = Value::parse(R"({"verify":"sometimes"})");
  req = BuildHttpRequest(r, {});
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().pointer, "/certificate/verify");
  EXPECT_FALSE(BuildHttpRequest(r, {.verify_tls = false}));
}

TEST(HttpExchange, RedirectOptionsPerRequest) {
  Value r = Value::parse(R"({"method":"GET","url":"/r","follow_redirects":false,"max_redirects":"3"})");
  Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h"});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_FALSE(req->follow_redirects);
  EXPECT_EQ(req->max_redirects, 3);
  EXPECT_TRUE(BuildHttpRequest(Value::parse(R"({"method":"GET","url":"/r"})"),
                               {.base_url = "http://h", .follow_redirects = true})
                  ->follow_redirects);
  r["max_redirects"] = "many";
  req = BuildHttpRequest(r, {.base_url = "http://h"});
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().pointer, "/max_redirects");
}

TEST(HttpExchange, BadMethodPointsAtIt) {
  const Value r = Value::parse(R"({"method":"FETCH","url":"/g"})");
  const Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h"});
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().pointer, "/method");
}

TEST(HttpExchange, ResponseBodyIsJsonWhenItParses) {
  HttpResponse res;
  res.body = "123";
  EXPECT_EQ(ParseResponseBody(res, "GET"), Value(123));
  res.body = "{\"a\":1}";
  EXPECT_EQ(ParseResponseBody(res, "GET")["a"], 1);
  res.body = "<html>";
  EXPECT_EQ(ParseResponseBody(res, "GET"), Value("<html>"));
  EXPECT_EQ(ParseResponseBody(res, "HEAD"), Value(""));
}

TEST(HttpExchange, TooDeepJsonStaysText) {
  HttpResponse res;
  res.body = std::string(600, '[') + std::string(600, ']');
  EXPECT_TRUE(ParseResponseBody(res, "GET").is_string());
  res.body = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(ParseResponseBody(res, "GET").is_array());
  res.body = R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})";
  EXPECT_TRUE(ParseResponseBody(res, "GET").is_object());  // brackets inside strings do not count
}

TEST(HttpExchange, RepeatedHeadersAreJoined) {
  const Value h = HeadersToValue({{"Set-Cookie", "a=1"}, {"set-cookie", "b=2"}, {"X", "y"}});
  EXPECT_EQ(h["set-cookie"], "a=1, b=2");
  EXPECT_EQ(h["x"], "y");
}

TEST(HttpExchange, DescribeRequestHasCurlAndRawForms) {
  const Value r = Value::parse(R"({"method":"POST","url":"/p","body":{"a":"it's"}})");
  const Result<HttpRequest> req = BuildHttpRequest(r, {.base_url = "http://h:8"});
  const Value d = DescribeRequest(*req, r, "http://h:8", "/p");
  EXPECT_EQ(d["full_url"], "http://h:8/p");
  EXPECT_NE(d["curl_command"].get<std::string>().find("--data-raw '{\"a\":\"it'\\''s\"}'"),
            std::string::npos)
      << d["curl_command"];
  EXPECT_EQ(d["raw_request"].get<std::string>().substr(0, 29), "POST /p HTTP/1.1\r\nHost: h:8\r\n");
}

}  // namespace
}  // namespace flow::core
