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

// --- multipart, file and base64 bodies ---

Result<HttpRequest> Build(std::string_view json, RequestDefaults defaults = {}) {
  if (defaults.base_url.empty()) defaults.base_url = "http://h";
  return BuildHttpRequest(Value::parse(json), defaults);
}

constexpr std::string_view kMultipartHeaders =
    R"("headers":{"Content-Type":"multipart/form-data"})";

TEST(Multipart, ScalarsAreTextFieldsAndObjectsFileParts) {
  const Result<HttpRequest> req =
      Build(R"({"method":"POST","url":"/post",)" + std::string(kMultipartHeaders) + R"(,
          "body":{"title":"Hi","count":3,"draft":false,"skip":null,
                  "avatar":{"file":"img/me.PNG"},
                  "doc":{"file":"/abs/r.bin","filename":"report.pdf","content_type":"application/x-custom"}}})",
            {.base_dir = "/suites/users"});
  ASSERT_TRUE(req) << req.error().message;
  ASSERT_EQ(req->multipart.size(), 5u);
  EXPECT_EQ(req->multipart[0],
            (MultipartPart{.name = "title", .value = "Hi", .pointer = "/body/title"}));
  EXPECT_EQ(req->multipart[1].value, "3");
  EXPECT_EQ(req->multipart[2].value, "false");
  EXPECT_EQ(req->multipart[3], (MultipartPart{.name = "avatar",
                                              .file_path = "/suites/users/img/me.PNG",
                                              .filename = "me.PNG",
                                              .content_type = "image/png",
                                              .pointer = "/body/avatar/file"}));
  EXPECT_EQ(req->multipart[4].file_path, "/abs/r.bin");
  EXPECT_EQ(req->multipart[4].filename, "report.pdf");
  EXPECT_EQ(req->multipart[4].content_type, "application/x-custom");
  EXPECT_TRUE(req->body.empty());
}

TEST(Multipart, TypedValuesAndJsonParts) {
  const Result<HttpRequest> req =
      Build(R"({"method":"POST","url":"/post",)" + std::string(kMultipartHeaders) + R"(,
          "body":{"meta":{"value":{"a":1}},"csv":{"value":"a,b","content_type":"text/csv"},
                  "plain":{"value":7}}})");
  ASSERT_TRUE(req) << req.error().message;
  ASSERT_EQ(req->multipart.size(), 3u);
  EXPECT_EQ(req->multipart[0].value, R"({"a":1})");
  EXPECT_EQ(req->multipart[0].content_type, "application/json");
  EXPECT_EQ(req->multipart[0].pointer, "/body/meta/value");
  EXPECT_EQ(req->multipart[1].content_type, "text/csv");
  EXPECT_EQ(req->multipart[2].value, "7");
  EXPECT_EQ(req->multipart[2].content_type, "");
  EXPECT_FALSE(req->multipart[2].IsFile());
}

TEST(Multipart, ListsRepeatTheField) {
  const Result<HttpRequest> req =
      Build(R"({"method":"PUT","url":"/put",)" + std::string(kMultipartHeaders) + R"(,
          "body":{"tag":["a","b"],"files":[{"file":"1.txt"},{"file":"2.txt"}]}})",
            {.base_dir = "s"});
  ASSERT_TRUE(req) << req.error().message;
  ASSERT_EQ(req->multipart.size(), 4u);
  EXPECT_EQ(req->multipart[1].name, "tag");
  EXPECT_EQ(req->multipart[1].value, "b");
  EXPECT_EQ(req->multipart[1].pointer, "/body/tag/1");
  EXPECT_EQ(req->multipart[3].name, "files");
  EXPECT_EQ(req->multipart[3].file_path, "s/2.txt");
  EXPECT_EQ(req->multipart[3].content_type, "text/plain");
  EXPECT_EQ(req->multipart[3].pointer, "/body/files/1/file");
}

TEST(Multipart, TheContentTypeCarriesTheBoundary) {
  const std::string json = R"({"method":"POST","url":"/post",)" + std::string(kMultipartHeaders) +
                           R"(,"body":{"a":"1"}})";
  Result<HttpRequest> req = Build(json);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->multipart_boundary.size(), 44u);
  EXPECT_EQ(req->multipart_boundary.substr(0, 12), "----flowtest");
  EXPECT_EQ(Header(*req, "content-type"),
            "multipart/form-data; boundary=" + req->multipart_boundary);
  EXPECT_EQ(Build(json)->multipart_boundary, req->multipart_boundary);  // reproducible
  const std::string other = R"({"method":"POST","url":"/post",)" + std::string(kMultipartHeaders) +
                            R"(,"body":{"a":"2"}})";
  EXPECT_NE(Build(other)->multipart_boundary, req->multipart_boundary);

  req = Build(json, {.multipart_boundary = "given"});
  EXPECT_EQ(Header(*req, "content-type"), "multipart/form-data; boundary=given");

  req = Build(
      R"({"method":"POST","url":"/p","headers":{"content-type":"Multipart/Form-Data; charset=utf-8"},"body":{"a":1}})",
      {.multipart_boundary = "b1"});
  EXPECT_EQ(Header(*req, "content-type"), "Multipart/Form-Data; charset=utf-8; boundary=b1");

  req = Build(
      R"({"method":"POST","url":"/p","headers":{"Content-Type":"multipart/form-data; boundary=\"mine\""},"body":{"a":1}})");
  EXPECT_EQ(req->multipart_boundary, "mine");
  EXPECT_EQ(Header(*req, "content-type"), "multipart/form-data; boundary=\"mine\"");
}

TEST(Multipart, StringBodyIsSentAsWritten) {
  const Result<HttpRequest> req = Build(
      R"({"method":"POST","url":"/p","headers":{"Content-Type":"multipart/form-data; boundary=x"},
          "body":"--x\r\n\r\nraw\r\n--x--\r\n"})");
  ASSERT_TRUE(req);
  EXPECT_EQ(req->body, "--x\r\n\r\nraw\r\n--x--\r\n");
  EXPECT_TRUE(req->multipart_boundary.empty());
}

TEST(Multipart, ErrorsPointAtTheField) {
  const auto error = [](std::string_view body) {
    const Result<HttpRequest> req =
        Build(R"({"method":"POST","url":"/p",)" + std::string(kMultipartHeaders) + R"(,"body":)" +
              std::string(body) + "}");
    EXPECT_FALSE(req) << body;
    return req ? Error{} : req.error();
  };
  Error e = error(R"([1,2])");
  EXPECT_EQ(e.message, "a multipart/form-data body must be a mapping of fields, got array");
  EXPECT_EQ(e.pointer, "/body");
  e = error(R"({"avatar":{"file":""}})");
  EXPECT_EQ(e.message, "'file' of multipart field 'avatar' must name a file");
  EXPECT_EQ(e.pointer, "/body/avatar/file");
  e = error(R"({"avatar":{"file":3}})");
  EXPECT_EQ(e.message, "'file' of multipart field 'avatar' must be a string, got number");
  EXPECT_EQ(e.pointer, "/body/avatar/file");
  e = error(R"({"avatar":{"file":"a.png","file_name":"b.png"}})");
  EXPECT_EQ(e.message, "unknown key 'file_name' in multipart field 'avatar'");
  EXPECT_EQ(e.hint, "did you mean 'filename' or 'file'?");
  EXPECT_EQ(e.pointer, "/body/avatar/file_name");
  e = error(R"({"meta":{"a":1}})");
  EXPECT_EQ(e.pointer, "/body/meta");
  EXPECT_EQ(e.reason, "wrong-type");
  e = error(R"({"tags":[["a"]]})");
  EXPECT_EQ(e.message, "multipart field 'tags' has a list inside a list");
  EXPECT_EQ(e.pointer, "/body/tags/0");
  e = error(R"({"x":{"value":"v","content_type":5}})");
  EXPECT_EQ(e.pointer, "/body/x/content_type");
}

TEST(Multipart, FramingEscapesNamesAndOmitsEmptyTypes) {
  const MultipartPart text{.name = "a\"b\r\n", .value = "v"};
  EXPECT_EQ(MultipartPartHead(text, "B"),
            "--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0A\"\r\n\r\n");
  const MultipartPart file{
      .name = "f", .file_path = "/x", .filename = "r\"1.txt", .content_type = "text/plain"};
  EXPECT_EQ(MultipartPartHead(file, "B"),
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"r%221.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n");
  EXPECT_EQ(MultipartTail("B"), "--B--\r\n");
}

TEST(Multipart, DescribeShowsFilesWithoutReadingThem) {
  const Value r = Value::parse(
      R"({"method":"POST","url":"/post",)" + std::string(kMultipartHeaders) +
      R"(,"body":{"note":"it's","f":{"file":"a.txt"},"j":{"value":[1],"content_type":"application/json"}}})");
  const Result<HttpRequest> req =
      BuildHttpRequest(r, {.base_url = "http://h", .base_dir = "/s", .multipart_boundary = "BB"});
  ASSERT_TRUE(req) << req.error().message;
  const Value d = DescribeRequest(*req, r, "http://h", "/post");
  const std::string curl = d["curl_command"].get<std::string>();
  EXPECT_NE(curl.find(R"(--form-string 'note=it'\''s')"), std::string::npos) << curl;
  EXPECT_NE(curl.find(R"(-F 'f=@"/s/a.txt";filename="a.txt";type=text/plain')"), std::string::npos)
      << curl;
  EXPECT_NE(curl.find(R"(-F 'j="[1]";type=application/json')"), std::string::npos) << curl;
  EXPECT_EQ(curl.find("Content-Type"), std::string::npos) << curl;
  const std::string raw = d["raw_request"].get<std::string>();
  EXPECT_NE(raw.find("Content-Type: multipart/form-data; boundary=BB\r\n"), std::string::npos);
  EXPECT_NE(
      raw.find(
          "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n<contents of /s/a.txt>\r\n--BB"),
      std::string::npos)
      << raw;
  EXPECT_TRUE(raw.ends_with("--BB--\r\n")) << raw;
}

TEST(BodyFile, NamesTheFileAndTypesItByExtension) {
  Result<HttpRequest> req = Build(
      R"({"method":"POST","url":"/post","body_file":"data/upload.json"})", {.base_dir = "/s/"});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->body_file, "/s/data/upload.json");
  EXPECT_TRUE(req->body.empty());
  EXPECT_TRUE(HasBody(*req));
  EXPECT_EQ(Header(*req, "content-type"), "application/json");

  req = Build(R"({"method":"PUT","url":"/put","body_file":"./blob",
                  "headers":{"Content-Type":"image/webp"}})",
              {.base_dir = "rel"});
  EXPECT_EQ(req->body_file, "rel/blob");
  EXPECT_EQ(Header(*req, "content-type"), "image/webp");

  req = Build(R"({"method":"POST","url":"/post","body_file":"x.unknown"})");
  EXPECT_EQ(req->body_file, "x.unknown");  // no base_dir: as written
  EXPECT_EQ(Header(*req, "content-type"), "application/octet-stream");
  const Value d = DescribeRequest(*req, Value::parse(R"({"url":"/post","body_file":"x.unknown"})"),
                                  "http://h", "/post");
  EXPECT_EQ(d["body_file"], "x.unknown");
  EXPECT_TRUE(d["raw_request"].get<std::string>().ends_with("\r\n\r\n<contents of x.unknown>"));
  EXPECT_NE(d["curl_command"].get<std::string>().find("--data-binary '@x.unknown'"),
            std::string::npos);
}

TEST(BodyFile, MustBeANonEmptyPath) {
  Result<HttpRequest> req = Build(R"({"method":"POST","url":"/p","body_file":""})");
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().message, "'body_file' must be the path of a file, got an empty string");
  EXPECT_EQ(req.error().pointer, "/body_file");
  req = Build(R"({"method":"POST","url":"/p","body_file":["a"]})");
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().message, "'body_file' must be the path of a file, got array");
}

TEST(BodyBase64, DecodesToTheBodyBytes) {
  Result<HttpRequest> req = Build(R"({"method":"POST","url":"/p","body_base64":"AAEC/w==\n"})");
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->body, std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(Header(*req, "content-type"), "application/octet-stream");
  req = Build(
      R"({"method":"POST","url":"/p","body_base64":"aGk","headers":{"Content-Type":"text/plain"}})");
  EXPECT_EQ(req->body, "hi");
  EXPECT_EQ(Header(*req, "content-type"), "text/plain");
  const Value d =
      DescribeRequest(*req, Value::parse(R"({"url":"/p","body_base64":"aGk"})"), "http://h", "/p");
  EXPECT_TRUE(d["raw_request"].get<std::string>().ends_with("<2 bytes from body_base64>"));
  EXPECT_EQ(d["curl_command"].get<std::string>().substr(0, 38),
            "printf %s 'aGk' | base64 -d | curl -X ");
}

TEST(BodyBase64, InvalidTextIsAnErrorWithItsOffset) {
  Result<HttpRequest> req = Build(R"({"method":"POST","url":"/p","body_base64":"aGk%"})");
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().message, "'body_base64' is invalid base64: unexpected '%' at offset 3");
  EXPECT_EQ(req.error().pointer, "/body_base64");
  req = Build(R"({"method":"POST","url":"/p","body_base64":7})");
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().message, "'body_base64' must be a string, got number");
}

TEST(BodyBase64, DecoderHandlesBothAlphabetsAndPadding) {
  EXPECT_EQ(*DecodeBase64(""), "");
  EXPECT_EQ(*DecodeBase64("Zm9vYmFy"), "foobar");
  EXPECT_EQ(*DecodeBase64("Zm9vYg=="), "foob");
  EXPECT_EQ(*DecodeBase64("Zm9vYmE="), "fooba");
  EXPECT_EQ(*DecodeBase64("Zm9v YmE"), "fooba");
  EXPECT_EQ(*DecodeBase64("-_8"), "\xfb\xff");
  EXPECT_EQ(*DecodeBase64("+/8"), "\xfb\xff");
  EXPECT_EQ(DecodeBase64("Zm9vY").error().message,
            "invalid base64: the last group has a single character");
  EXPECT_EQ(DecodeBase64("Zg==Zg").error().message, "invalid base64: data after '=' at offset 4");
}

TEST(Bodies, OnlyOneSourceIsAllowed) {
  const Result<HttpRequest> req =
      Build(R"({"method":"POST","url":"/p","body":{"a":1},"body_file":"x"})");
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().message, "'body' and 'body_file' cannot both be given");
  EXPECT_EQ(req.error().pointer, "/body_file");
  const Result<HttpRequest> other =
      Build(R"({"method":"POST","url":"/p","body_file":"x","body_base64":"aGk="})");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().pointer, "/body_base64");
  EXPECT_TRUE(Build(R"({"method":"POST","url":"/p","body":null,"body_file":"x"})"));
}

TEST(Bodies, PathsResolveAgainstTheBaseDir) {
  EXPECT_EQ(ResolvePath("/s", "a.txt"), "/s/a.txt");
  EXPECT_EQ(ResolvePath("/s//", "./a.txt"), "/s/a.txt");
  EXPECT_EQ(ResolvePath("/", "a.txt"), "/a.txt");
  EXPECT_EQ(ResolvePath("/s", "/etc/a"), "/etc/a");
  EXPECT_EQ(ResolvePath("", "a.txt"), "a.txt");
  EXPECT_EQ(ResolvePath("s", "../up.txt"), "s/../up.txt");
}

TEST(Bodies, MediaTypesByExtension) {
  EXPECT_EQ(MediaTypeForPath("a/b/photo.JPG"), "image/jpeg");
  EXPECT_EQ(MediaTypeForPath("x.tar.gz"), "application/gzip");
  EXPECT_EQ(MediaTypeForPath("notes.txt"), "text/plain");
  EXPECT_EQ(MediaTypeForPath("dir.v2/file"), "application/octet-stream");
  EXPECT_EQ(MediaTypeForPath("trailing."), "application/octet-stream");
  EXPECT_EQ(MediaTypeForPath(""), "application/octet-stream");
}

// --- certificates by domain ---

TEST(DomainCertificates, WildcardsMatchExactlyOneLabel) {
  EXPECT_TRUE(MatchesDomainPattern("*.example.com", "api.example.com"));
  EXPECT_TRUE(MatchesDomainPattern("*.Example.com", "API.example.COM."));
  EXPECT_FALSE(MatchesDomainPattern("*.example.com", "example.com"));
  EXPECT_FALSE(MatchesDomainPattern("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(MatchesDomainPattern("*.example.com", "badexample.com"));
  EXPECT_TRUE(MatchesDomainPattern("api.local", "api.local"));
  EXPECT_FALSE(MatchesDomainPattern("api.local", "x.api.local"));
  EXPECT_TRUE(MatchesDomainPattern("::1", "[::1]"));
  EXPECT_FALSE(MatchesDomainPattern("", "a"));
}

TEST(DomainCertificates, PatternsAreChecked) {
  EXPECT_TRUE(CheckDomainPattern("*.example.com"));
  EXPECT_TRUE(CheckDomainPattern("api_1.local"));
  EXPECT_TRUE(CheckDomainPattern("10.0.0.1"));
  EXPECT_TRUE(CheckDomainPattern("[::1]"));
  EXPECT_EQ(CheckDomainPattern("").error().message, "a domain must not be empty");
  EXPECT_EQ(CheckDomainPattern("api.com:443").error().message,
            "domain 'api.com:443' has a port or a path");
  EXPECT_EQ(CheckDomainPattern("api.com/x").error().message,
            "domain 'api.com/x' has a port or a path");
  EXPECT_EQ(CheckDomainPattern("*").error().message,
            "domain '*' has a '*' that is not the whole first label");
  EXPECT_EQ(CheckDomainPattern("a..b").error().message, "domain 'a..b' has an empty label");
  EXPECT_EQ(CheckDomainPattern("a b").error().message, "domain 'a b' has an invalid character ' '");
}

TEST(DomainCertificates, FirstMatchingEntryWins) {
  const std::vector<DomainCertificate> certs = {
      {.name = "a", .domains = {"api.local", "*.example.com"}, .certificate = {{"ca_path", "a"}}},
      {.name = "b", .domains = {"*.example.com"}, .certificate = {{"ca_path", "b"}}},
  };
  EXPECT_EQ(CertificateForHost(certs, "x.example.com"), Value({{"ca_path", "a"}}));
  EXPECT_EQ(CertificateForHost(certs, "api.local"), Value({{"ca_path", "a"}}));
  EXPECT_EQ(CertificateForHost(certs, "example.com"), std::nullopt);
}

TEST(DomainCertificates, RequestThenSuiteThenDomain) {
  const RequestDefaults by_domain{
      .verify_tls = false,
      .domain_certificates = {{.name = "internal",
                               .domains = {"*.internal.test"},
                               .certificate = {{"cert_path", "d.pem"}, {"key_path", "d.key"}}}}};
  Value r = Value::parse(R"({"method":"GET","url":"https://api.internal.test:8443/x"})");
  Result<HttpRequest> req = BuildHttpRequest(r, by_domain);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->tls.cert_path, "d.pem");
  EXPECT_FALSE(req->tls.verify);  // http.verify_tls is the default of `verify`

  RequestDefaults with_suite = by_domain;
  with_suite.certificate = {{"cert_path", "suite.pem"}};
  EXPECT_EQ(BuildHttpRequest(r, with_suite)->tls.cert_path, "suite.pem");
  r["certificate"] = {{"cert_path", "own.pem"}};
  EXPECT_EQ(BuildHttpRequest(r, with_suite)->tls.cert_path, "own.pem");

  const Value elsewhere = Value::parse(R"({"method":"GET","url":"https://other.test/x"})");
  EXPECT_EQ(BuildHttpRequest(elsewhere, by_domain)->tls.cert_path, "");
}

TEST(Urls, SplitIntoTheirParts) {
  EXPECT_EQ(SplitUrl("HTTPS://User:pw@API.Example.com:8443/a/b?q=1#f"),
            (UrlParts{.scheme = "https",
                      .host = "api.example.com",
                      .port = 8443,
                      .path = "/a/b",
                      .query = "q=1"}));
  EXPECT_EQ(SplitUrl("http://h"),
            (UrlParts{.scheme = "http", .host = "h", .port = 80, .path = "/"}));
  EXPECT_EQ(SplitUrl("https://[::1]/x").host, "[::1]");
  EXPECT_EQ(SplitUrl("https://[::1]:9/x").port, 9);
  EXPECT_EQ(SplitUrl("http://h?x=/y").path, "/");
  EXPECT_EQ(SplitUrl("relative/path"), UrlParts{});
}

TEST(Headers, EveryValueOfARepeatedHeaderStaysWhole) {
  const HeaderList headers = {{"set-cookie", "a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT"},
                              {"X", "y"},
                              {"Set-Cookie", "b=2"}};
  EXPECT_EQ(FindHeaderValues(headers, "SET-COOKIE"),
            (std::vector<std::string>{"a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "b=2"}));
  EXPECT_TRUE(FindHeaderValues(headers, "none").empty());
}

}  // namespace
}  // namespace flow::core
