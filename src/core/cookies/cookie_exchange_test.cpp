#include "core/cookies/cookie_exchange.hpp"

#include <gtest/gtest.h>

#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

using testing::FakeClock;
using testing::FakeHttpClient;

constexpr std::int64_t kNow = 1'700'000'000'000;

HttpResponse Reply(int status, HeaderList headers = {}, double total_ms = 10) {
  HttpResponse r;
  r.status_code = status;
  r.headers = std::move(headers);
  r.timings.total_ms = total_ms;
  r.timings.first_byte_ms = total_ms / 2;
  return r;
}

HttpRequest Get(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  return r;
}

std::string Header(const HttpRequest& r, std::string_view name) {
  return FindHeader(r.headers, name).value_or("<absent>");
}

TEST(ApplyCookies, AddsACookieHeaderFromTheJar) {
  CookieJar jar;
  jar.Store("http://h/", {"a=1", "b=2"}, kNow);
  HttpRequest request = Get("http://h/x");
  ApplyCookies(jar, request, kNow);
  EXPECT_EQ(Header(request, "cookie"), "a=1; b=2");
}

TEST(ApplyCookies, LeavesTheRequestAloneWhenNothingMatches) {
  CookieJar jar;
  jar.Store("http://h/", {"a=1"}, kNow);
  HttpRequest request = Get("http://other/");
  ApplyCookies(jar, request, kNow);
  EXPECT_TRUE(request.headers.empty());
}

TEST(ApplyCookies, MergesIntoTheRequestsOwnCookieHeaderWhoseValuesWin) {
  CookieJar jar;
  jar.Store("http://h/", {"a=jar", "b=2"}, kNow);
  HttpRequest request = Get("http://h/");
  request.headers = {{"Cookie", "a=mine; c=3;"}};
  ApplyCookies(jar, request, kNow);
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].first, "Cookie");
  EXPECT_EQ(request.headers[0].second, "a=mine; c=3; b=2");
}

TEST(StoreCookies, KeepsEachSetCookieWholeDespiteCommasInDates) {
  CookieJar jar;
  const HttpResponse response =
      Reply(200, {{"set-cookie", "a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT"},
                  {"content-type", "text/plain"},
                  {"Set-Cookie", "b=2; Path=/"}});
  StoreCookies(jar, Get("http://h/login"), response, kNow);
  ASSERT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.cookies()[0].expires_unix_ms, ParseCookieDate("21 Oct 2099 07:28:00"));
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "a=1; b=2");
}

TEST(StoreCookies, UsesTheEffectiveUrlOfAFollowedRedirect) {
  CookieJar jar;
  HttpResponse response = Reply(200, {{"set-cookie", "a=1"}});
  response.effective_url = "http://final.example/";
  StoreCookies(jar, Get("http://first.example/"), response, kNow);
  EXPECT_EQ(jar.CookieHeader("http://final.example/", kNow), "a=1");
  EXPECT_EQ(jar.CookieHeader("http://first.example/", kNow), "");
}

TEST(ResolveRedirect, ResolvesEveryKindOfReference) {
  const std::string base = "http://h:8080/a/b/c?q=1#frag";
  EXPECT_EQ(ResolveRedirect(base, "https://other/x/../y"), "https://other/y");
  EXPECT_EQ(ResolveRedirect(base, "https://other"), "https://other/");
  EXPECT_EQ(ResolveRedirect(base, "//cdn.example/p"), "http://cdn.example/p");
  EXPECT_EQ(ResolveRedirect(base, "/cookies"), "http://h:8080/cookies");
  EXPECT_EQ(ResolveRedirect(base, "/x/./y/../z?k=v#f"), "http://h:8080/x/z?k=v");
  EXPECT_EQ(ResolveRedirect(base, "?page=2"), "http://h:8080/a/b/c?page=2");
  EXPECT_EQ(ResolveRedirect(base, "d"), "http://h:8080/a/b/d");
  EXPECT_EQ(ResolveRedirect(base, "../d"), "http://h:8080/a/d");
  EXPECT_EQ(ResolveRedirect(base, "../../../../d"), "http://h:8080/d");
  EXPECT_EQ(ResolveRedirect(base, "./"), "http://h:8080/a/b/");
  EXPECT_EQ(ResolveRedirect("http://h", "x"), "http://h/x");
  EXPECT_EQ(ResolveRedirect(base, "/a path/é"), "http://h:8080/a%20path/%C3%A9");
  EXPECT_EQ(ResolveRedirect(base, "  "), std::nullopt);
  EXPECT_EQ(ResolveRedirect(base, "mailto:x@y"), "mailto:x@y");
}

TEST(RedirectedRequest, SeeOtherAndPostAfter301Or302BecomeGetWithoutBody) {
  HttpRequest post = Get("http://h/form");
  post.method = "POST";
  post.body = "a=1";
  post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Keep", "1"}};
  for (const int status : {301, 302, 303}) {
    const HttpRequest next = RedirectedRequest(post, status, "http://h/done");
    EXPECT_EQ(next.method, "GET") << status;
    EXPECT_EQ(next.body, "") << status;
    EXPECT_EQ(next.url, "http://h/done");
    EXPECT_EQ(Header(next, "content-type"), "<absent>");
    EXPECT_EQ(Header(next, "x-keep"), "1");
  }
  for (const int status : {307, 308}) {
    const HttpRequest next = RedirectedRequest(post, status, "http://h/done");
    EXPECT_EQ(next.method, "POST") << status;
    EXPECT_EQ(next.body, "a=1") << status;
  }
  HttpRequest put = post;
  put.method = "PUT";
  put.body_file = "/tmp/x";
  put.body.clear();
  EXPECT_EQ(RedirectedRequest(put, 302, "http://h/").method, "PUT");
  const HttpRequest after_303 = RedirectedRequest(put, 303, "http://h/");
  EXPECT_EQ(after_303.method, "GET");
  EXPECT_EQ(after_303.body_file, "");
  HttpRequest head = Get("http://h/");
  head.method = "HEAD";
  EXPECT_EQ(RedirectedRequest(head, 303, "http://h/x").method, "HEAD");
}

TEST(RedirectedRequest, LeavingTheOriginDropsCredentialHeaders) {
  HttpRequest request = Get("http://h/");
  request.headers = {{"Authorization", "Bearer t"}, {"cookie", "a=1"}, {"X-Other", "1"}};
  const HttpRequest same = RedirectedRequest(request, 302, "http://h/next");
  EXPECT_EQ(same.headers.size(), 3u);
  for (const char* url : {"http://other/", "https://h/", "http://h:81/"}) {
    const HttpRequest next = RedirectedRequest(request, 302, url);
    ASSERT_EQ(next.headers.size(), 1u) << url;
    EXPECT_EQ(next.headers[0].first, "X-Other");
  }
}

TEST(SendFollowingRedirects, CarriesCookiesSetOnARedirectToTheNextHop) {
  FakeHttpClient client;
  client.replies = {Reply(302, {{"set-cookie", "name=value; Path=/"}, {"location", "/cookies"}}, 5),
                    Reply(200, {{"content-type", "application/json"}}, 7)};
  FakeClock clock;
  CookieJar jar;
  const Result<HttpResponse> response =
      SendFollowingRedirects(client, Get("http://h/cookies/set?name=value"), &jar, clock);
  ASSERT_TRUE(response) << response.error().message;
  ASSERT_EQ(client.sent.size(), 2u);
  EXPECT_FALSE(client.sent[0].follow_redirects);
  EXPECT_EQ(Header(client.sent[0], "cookie"), "<absent>");
  EXPECT_EQ(client.sent[1].url, "http://h/cookies");
  EXPECT_EQ(Header(client.sent[1], "cookie"), "name=value");
  EXPECT_EQ(response->status_code, 200);
  EXPECT_EQ(response->redirect_count, 1);
  EXPECT_EQ(response->effective_url, "http://h/cookies");
  EXPECT_DOUBLE_EQ(response->timings.total_ms, 12);
  EXPECT_DOUBLE_EQ(response->timings.first_byte_ms, 6);
  EXPECT_EQ(jar.size(), 1u);
}

TEST(SendFollowingRedirects, SendsTheJarsCookiesAndStoresNewOnes) {
  FakeHttpClient client;
  client.reply = Reply(200, {{"set-cookie", "b=2"}});
  FakeClock clock;
  CookieJar jar;
  jar.Store("http://h/", {"a=1"}, clock.unix_ms);
  HttpRequest request = Get("http://h/");
  request.headers = {{"Cookie", "mine=0"}};
  ASSERT_TRUE(SendFollowingRedirects(client, request, &jar, clock));
  EXPECT_EQ(Header(client.sent[0], "cookie"), "mine=0; a=1");
  EXPECT_EQ(jar.CookieHeader("http://h/", clock.unix_ms), "a=1; b=2");
}

TEST(SendFollowingRedirects, DoesNotFollowWhenTheRequestSaysNot) {
  FakeHttpClient client;
  client.reply = Reply(302, {{"location", "/x"}, {"set-cookie", "a=1"}});
  FakeClock clock;
  CookieJar jar;
  HttpRequest request = Get("http://h/");
  request.follow_redirects = false;
  const Result<HttpResponse> response = SendFollowingRedirects(client, request, &jar, clock);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status_code, 302);
  EXPECT_EQ(response->redirect_count, 0);
  EXPECT_EQ(client.sent.size(), 1u);
  EXPECT_EQ(jar.size(), 1u);
}

TEST(SendFollowingRedirects, NotModifiedAndLocationlessRedirectsAreResponses) {
  FakeHttpClient client;
  client.replies = {Reply(304, {{"location", "/x"}}), Reply(302)};
  FakeClock clock;
  CookieJar jar;
  EXPECT_EQ(SendFollowingRedirects(client, Get("http://h/"), &jar, clock)->status_code, 304);
  EXPECT_EQ(SendFollowingRedirects(client, Get("http://h/"), &jar, clock)->status_code, 302);
  EXPECT_EQ(client.sent.size(), 2u);
}

TEST(SendFollowingRedirects, TooManyRedirectsIsAnError) {
  FakeHttpClient client;
  client.reply = Reply(302, {{"location", "/again"}});
  FakeClock clock;
  CookieJar jar;
  HttpRequest request = Get("http://h/");
  request.max_redirects = 3;
  const Result<HttpResponse> response = SendFollowingRedirects(client, request, &jar, clock);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message, "too many redirects (more than 3)");
  EXPECT_EQ(response.error().reason, "redirects");
  EXPECT_EQ(client.sent.size(), 4u);
}

TEST(SendFollowingRedirects, RedirectToAnotherSchemeIsAnError) {
  FakeHttpClient client;
  client.reply = Reply(301, {{"location", "ftp://h/file"}});
  FakeClock clock;
  CookieJar jar;
  const Result<HttpResponse> response =
      SendFollowingRedirects(client, Get("http://h/"), &jar, clock);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().message, "unsupported protocol in redirect to 'ftp://h/file'");
  EXPECT_EQ(response.error().reason, "url");
}

TEST(SendFollowingRedirects, TheTimeoutCoversAllHops) {
  FakeHttpClient client;
  client.replies = {Reply(302, {{"location", "/a"}}, 400), Reply(302, {{"location", "/b"}}, 500),
                    Reply(200)};
  FakeClock clock;
  CookieJar jar;
  HttpRequest request = Get("http://h/");
  request.timeout = std::chrono::milliseconds(1'000);
  ASSERT_TRUE(SendFollowingRedirects(client, request, &jar, clock));
  ASSERT_EQ(client.sent.size(), 3u);
  EXPECT_EQ(client.sent[0].timeout.count(), 1'000);
  EXPECT_EQ(client.sent[1].timeout.count(), 600);
  EXPECT_EQ(client.sent[2].timeout.count(), 100);

  client.sent.clear();
  client.replies = {Reply(302, {{"location", "/a"}}, 1'000)};
  const Result<HttpResponse> late = SendFollowingRedirects(client, request, &jar, clock);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(late.error().message, "timeout after 1000 ms");
  EXPECT_EQ(client.sent.size(), 1u);
}

TEST(SendFollowingRedirects, ClientErrorsPassThrough) {
  FakeHttpClient client;
  client.replies = {Result<HttpResponse>(Unavailable("connection refused"))};
  FakeClock clock;
  CookieJar jar;
  const Result<HttpResponse> response =
      SendFollowingRedirects(client, Get("http://h/"), &jar, clock);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().message, "connection refused");
}

TEST(SendFollowingRedirects, CrossOriginHopDropsTheUsersCookieButUsesTheJarForTheNewHost) {
  FakeHttpClient client;
  client.replies = {Reply(302, {{"location", "http://other/landing"}}), Reply(200)};
  FakeClock clock;
  CookieJar jar;
  jar.Store("http://other/", {"o=1"}, clock.unix_ms);
  HttpRequest request = Get("http://h/");
  request.headers = {{"Cookie", "mine=0"}, {"Authorization", "Bearer t"}};
  ASSERT_TRUE(SendFollowingRedirects(client, request, &jar, clock));
  ASSERT_EQ(client.sent.size(), 2u);
  EXPECT_EQ(Header(client.sent[0], "cookie"), "mine=0");
  EXPECT_EQ(Header(client.sent[1], "cookie"), "o=1");
  EXPECT_EQ(Header(client.sent[1], "authorization"), "<absent>");
}

TEST(SendFollowingRedirects, WithoutAJarFollowsButKeepsNoCookies) {
  FakeHttpClient client;
  client.replies = {Reply(302, {{"set-cookie", "a=1"}, {"location", "/next"}}), Reply(200)};
  FakeClock clock;
  HttpRequest request = Get("http://h/");
  request.headers = {{"Cookie", "mine=0"}};
  const Result<HttpResponse> response = SendFollowingRedirects(client, request, nullptr, clock);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->redirect_count, 1);
  ASSERT_EQ(client.sent.size(), 2u);
  EXPECT_EQ(Header(client.sent[1], "cookie"), "mine=0");  // the suite's own header only
}

}  // namespace
}  // namespace flow::core
