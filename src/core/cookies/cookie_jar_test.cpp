#include "core/cookies/cookie_jar.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

CookieJar JarWith(std::string_view url, std::vector<std::string> values, std::int64_t now = kNow) {
  CookieJar jar;
  jar.Store(url, values, now);
  return jar;
}

TEST(CookieDate, ParsesTheFormatsServersSend) {
  const std::int64_t expected = 1'445'412'480'000;  // 2015-10-21T07:28:00Z
  EXPECT_EQ(ParseCookieDate("Wed, 21 Oct 2015 07:28:00 GMT"), expected);
  EXPECT_EQ(ParseCookieDate("Wednesday, 21-Oct-15 07:28:00 GMT"), expected);
  EXPECT_EQ(ParseCookieDate("Wed Oct 21 07:28:00 2015"), expected);
  EXPECT_EQ(ParseCookieDate("21 october 2015 7:28:0"), expected);
  EXPECT_EQ(ParseCookieDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseCookieDate("Fri, 01 Jan 1960 00:00:00 GMT"), -315'619'200'000);
}

TEST(CookieDate, TwoDigitYearsFollowTheRfcWindow) {
  EXPECT_EQ(ParseCookieDate("01 Jan 69 00:00:00"), ParseCookieDate("01 Jan 2069 00:00:00"));
  EXPECT_EQ(ParseCookieDate("01 Jan 70 00:00:00"), 0);
}

TEST(CookieDate, RejectsWhatIsNoDate) {
  EXPECT_FALSE(ParseCookieDate(""));
  EXPECT_FALSE(ParseCookieDate("tomorrow"));
  EXPECT_FALSE(ParseCookieDate("Wed, 21 Oct 2015"));           // no time
  EXPECT_FALSE(ParseCookieDate("Wed, 32 Oct 2015 07:28:00"));  // day
  EXPECT_FALSE(ParseCookieDate("Wed, 21 Oct 2015 24:00:00"));  // hour
  EXPECT_FALSE(ParseCookieDate("Wed, 21 Oct 1500 07:28:00"));  // before 1601
  EXPECT_FALSE(ParseCookieDate("Sat, 31 Feb 2015 07:28:00"));  // no such day
  EXPECT_TRUE(ParseCookieDate("Mon, 29 Feb 2016 07:28:00"));   // leap year
  EXPECT_FALSE(ParseCookieDate("Tue, 29 Feb 2015 07:28:00"));
}

TEST(CookieJar, SendsAHostOnlyCookieBackToItsHostOnly) {
  const CookieJar jar = JarWith("http://api.example.com/login", {"sid=abc"});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_TRUE(jar.cookies()[0].host_only);
  EXPECT_EQ(jar.cookies()[0].domain, "api.example.com");
  EXPECT_EQ(jar.CookieHeader("http://api.example.com/", kNow), "sid=abc");
  EXPECT_EQ(jar.CookieHeader("http://API.example.com/x", kNow), "sid=abc");
  EXPECT_EQ(jar.CookieHeader("http://sub.api.example.com/", kNow), "");
  EXPECT_EQ(jar.CookieHeader("http://example.com/", kNow), "");
  EXPECT_EQ(jar.CookieHeader("http://other.com/", kNow), "");
}

TEST(CookieJar, DomainCookieReachesTheDomainAndItsSubdomains) {
  const CookieJar jar = JarWith("http://api.example.com/", {"d=1; Domain=.Example.COM"});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_FALSE(jar.cookies()[0].host_only);
  EXPECT_EQ(jar.cookies()[0].domain, "example.com");
  EXPECT_EQ(jar.CookieHeader("http://example.com/", kNow), "d=1");
  EXPECT_EQ(jar.CookieHeader("http://a.b.example.com/", kNow), "d=1");
  EXPECT_EQ(jar.CookieHeader("http://badexample.com/", kNow), "");
}

TEST(CookieJar, IgnoresADomainTheHostIsNotIn) {
  EXPECT_EQ(JarWith("http://api.example.com/", {"d=1; Domain=other.com"}).size(), 0u);
  EXPECT_EQ(JarWith("http://example.com/", {"d=1; Domain=api.example.com"}).size(), 0u);
}

TEST(CookieJar, SingleLabelDomainIsOnlyTheHostItself) {
  EXPECT_EQ(JarWith("http://api.example.com/", {"d=1; Domain=com"}).size(), 0u);
  const CookieJar local = JarWith("http://localhost:8080/", {"d=1; Domain=localhost"});
  ASSERT_EQ(local.size(), 1u);
  EXPECT_TRUE(local.cookies()[0].host_only);
  EXPECT_EQ(local.CookieHeader("http://localhost:9090/", kNow), "d=1");  // ports do not matter
}

TEST(CookieJar, IpAddressesMatchOnlyThemselves) {
  const CookieJar jar = JarWith("http://127.0.0.1:5000/", {"a=1; Domain=127.0.0.1"});
  EXPECT_EQ(jar.CookieHeader("http://127.0.0.1/", kNow), "a=1");
  EXPECT_FALSE(DomainMatches("1.127.0.0.1", "127.0.0.1"));
  EXPECT_EQ(JarWith("http://127.0.0.1/", {"a=1; Domain=0.0.1"}).size(), 0u);
}

TEST(CookieJar, DefaultPathIsTheDirectoryOfTheRequest) {
  EXPECT_EQ(JarWith("http://h/a/b/c", {"x=1"}).cookies()[0].path, "/a/b");
  EXPECT_EQ(JarWith("http://h/a", {"x=1"}).cookies()[0].path, "/");
  EXPECT_EQ(JarWith("http://h", {"x=1"}).cookies()[0].path, "/");
  EXPECT_EQ(JarWith("http://h/a/b?q=/z", {"x=1"}).cookies()[0].path, "/a");
  EXPECT_EQ(JarWith("http://h/a/b/c", {"x=1; Path=relative"}).cookies()[0].path, "/a/b");
  EXPECT_EQ(JarWith("http://h/a/b/c", {"x=1; Path=/"}).cookies()[0].path, "/");
}

TEST(CookieJar, PathMatchesAtSegmentBoundaries) {
  const CookieJar jar = JarWith("http://h/", {"x=1; Path=/docs"});
  EXPECT_EQ(jar.CookieHeader("http://h/docs", kNow), "x=1");
  EXPECT_EQ(jar.CookieHeader("http://h/docs/", kNow), "x=1");
  EXPECT_EQ(jar.CookieHeader("http://h/docs/web?x", kNow), "x=1");
  EXPECT_EQ(jar.CookieHeader("http://h/docsets", kNow), "");
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "");
  EXPECT_TRUE(PathMatches("/docs/x", "/docs/"));
  EXPECT_FALSE(PathMatches("/doc", "/docs"));
}

TEST(CookieJar, SecureCookiesGoOnlyOverHttps) {
  const CookieJar jar = JarWith("https://h/", {"s=1; Secure", "p=2"});
  EXPECT_EQ(jar.CookieHeader("https://h/", kNow), "s=1; p=2");
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "p=2");
}

TEST(CookieJar, HttpOnlyIsKeptAndSent) {
  const CookieJar jar = JarWith("http://h/", {"h=1; HttpOnly; SameSite=Strict"});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_TRUE(jar.cookies()[0].http_only);
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "h=1");
}

TEST(CookieJar, MaxAgeSetsTheExpiryAndBeatsExpires) {
  const CookieJar jar =
      JarWith("http://h/", {"a=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
                            "b=2; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "c=3"});
  ASSERT_EQ(jar.size(), 3u);
  EXPECT_EQ(jar.cookies()[0].expires_unix_ms, kNow + 60'000);
  EXPECT_EQ(jar.cookies()[1].expires_unix_ms, ParseCookieDate("21 Oct 2099 07:28:00"));
  EXPECT_EQ(jar.cookies()[2].expires_unix_ms, std::nullopt);  // a session cookie
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow + 59'999), "a=1; b=2; c=3");
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow + 60'000), "b=2; c=3");
}

TEST(CookieJar, InvalidMaxAgeAndExpiresAreIgnored) {
  const CookieJar jar = JarWith("http://h/", {"a=1; Max-Age=10s; Expires=soon"});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.cookies()[0].expires_unix_ms, std::nullopt);
}

TEST(CookieJar, ExpiredOrZeroMaxAgeDeletesTheCookie) {
  CookieJar jar = JarWith("http://h/", {"a=1", "b=2", "c=3"});
  jar.Store("http://h/", {"a=gone; Max-Age=0", "b=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}, kNow);
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "c=3");
  jar.Store("http://h/", {"c=; Max-Age=-1"}, kNow);
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, DeletionMustNameTheSameDomainAndPath) {
  CookieJar jar = JarWith("http://h/a/", {"a=1; Path=/a"});
  jar.Store("http://h/a/", {"a=; Max-Age=0; Path=/"}, kNow);
  EXPECT_EQ(jar.CookieHeader("http://h/a/x", kNow), "a=1");
}

TEST(CookieJar, ReplacingKeepsTheCreationTimeAndPlace) {
  CookieJar jar = JarWith("http://h/", {"a=1", "b=2"});
  jar.Store("http://h/", {"a=3"}, kNow + 1'000);
  ASSERT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.cookies()[0].value, "3");
  EXPECT_EQ(jar.cookies()[0].created_unix_ms, kNow);
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow + 1'000), "a=3; b=2");
}

TEST(CookieJar, LongerPathsComeFirstThenOlderCookies) {
  CookieJar jar;
  jar.Store("http://h/", {"root=1; Path=/"}, kNow);
  jar.Store("http://h/", {"later=2; Path=/"}, kNow + 5);
  jar.Store("http://h/", {"deep=3; Path=/a/b"}, kNow + 10);
  jar.Store("http://h/", {"mid=4; Path=/a"}, kNow + 20);
  EXPECT_EQ(jar.CookieHeader("http://h/a/b/c", kNow + 30), "deep=3; mid=4; root=1; later=2");
}

TEST(CookieJar, IgnoresMalformedCookies) {
  const CookieJar jar =
      JarWith("http://h/",
              {"novalue", "=nameless", "; a=1", std::string("ctl=a\x01z"),
               "big=" + std::string(CookieJar::kMaxCookieBytes, 'x'), " spaced = v ; Path=/ "});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "spaced=v");
}

TEST(CookieJar, KeepsValuesAsWrittenIncludingQuotesAndEquals) {
  const CookieJar jar = JarWith("http://h/", {"q=\"a b\"", "t=x=y==; Path=/"});
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "q=\"a b\"; t=x=y==");
}

TEST(CookieJar, AttributeNamesAreCaseInsensitiveAndTheLastWins) {
  const CookieJar jar =
      JarWith("http://a.example.com/", {"x=1; PATH=/one; path=/two; DOMAIN=example.com; secure"});
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.cookies()[0].path, "/two");
  EXPECT_EQ(jar.cookies()[0].domain, "example.com");
  EXPECT_TRUE(jar.cookies()[0].secure);
}

TEST(CookieJar, NoHostNoCookies) {
  EXPECT_EQ(JarWith("not a url", {"a=1"}).size(), 0u);
  EXPECT_EQ(JarWith("http://h/", {"a=1"}).CookieHeader("relative/path", kNow), "");
}

TEST(CookieJar, HoldsAtMostTheLimitDroppingTheOldest) {
  CookieJar jar;
  for (std::size_t i = 0; i < CookieJar::kMaxCookies + 5; ++i) {
    jar.Store("http://h/", {"c" + std::to_string(i) + "=1"}, kNow);
  }
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
  EXPECT_EQ(jar.cookies().front().name, "c5");
}

TEST(CookieJar, ClearEmptiesTheJar) {
  CookieJar jar = JarWith("http://h/", {"a=1"});
  jar.Clear();
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.CookieHeader("http://h/", kNow), "");
}

TEST(CookieJarValue, RoundTripsEveryField) {
  CookieJar jar;
  jar.Store("https://api.example.com/a/b",
            {"s=1; Secure; HttpOnly", "d=2; Domain=example.com; Path=/; Max-Age=100", "p=3"}, kNow);
  const Value saved = jar.ToValue();
  ASSERT_TRUE(saved.is_array());
  ASSERT_EQ(saved.size(), 3u);
  EXPECT_EQ(saved[0]["secure"], true);
  EXPECT_EQ(saved[0]["http_only"], true);
  EXPECT_TRUE(saved[0]["expires"].is_null());
  EXPECT_EQ(saved[1]["expires"], kNow + 100'000);
  EXPECT_EQ(saved[1]["host_only"], false);
  EXPECT_EQ(saved[2]["path"], "/a");
  const Result<CookieJar> loaded = CookieJar::FromValue(Value::parse(DumpJson(saved)));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, jar);
  EXPECT_EQ(loaded->CookieHeader("https://api.example.com/a/x", kNow), "s=1; p=3; d=2");
}

TEST(CookieJarValue, NullIsAnEmptyJar) {
  const Result<CookieJar> jar = CookieJar::FromValue(Value());
  ASSERT_TRUE(jar);
  EXPECT_EQ(jar->size(), 0u);
}

TEST(CookieJarValue, BadStateIsAnErrorThatPointsAtTheField) {
  Result<CookieJar> jar = CookieJar::FromValue(Value::object());
  ASSERT_FALSE(jar);
  EXPECT_EQ(jar.error().message, "cookie jar: expected a list of cookies, got object");

  jar = CookieJar::FromValue(Value::parse(R"([{"name":"a","domain":"h","secure":"yes"}])"));
  ASSERT_FALSE(jar);
  EXPECT_EQ(jar.error().message, "cookie jar: 'secure' must be true or false");
  EXPECT_EQ(jar.error().pointer, "/0/secure");

  jar = CookieJar::FromValue(Value::parse(R"([{"name":"a","domain":"h"},{"domain":"h"}])"));
  ASSERT_FALSE(jar);
  EXPECT_EQ(jar.error().message, "cookie jar: a cookie needs 'name'");
  EXPECT_EQ(jar.error().pointer, "/1");

  jar = CookieJar::FromValue(Value::parse(R"([{"name":"a","domain":"h","expires":1.5}])"));
  ASSERT_FALSE(jar);
  EXPECT_EQ(jar.error().pointer, "/0/expires");

  jar = CookieJar::FromValue(Value::parse(R"([{"name":"a","domain":"h","path":"x"}])"));
  ASSERT_FALSE(jar);
  EXPECT_EQ(jar.error().message, "cookie jar: 'path' must start with '/'");
}

}  // namespace
}  // namespace flow::core
