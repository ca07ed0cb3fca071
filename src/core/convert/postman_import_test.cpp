#include "core/convert/postman_import.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/model/suite.hpp"
#include "core/parse/document.hpp"

namespace flow::core::convert {
namespace {

Result<ImportResult> Import(const std::string& text, const PostmanImportOptions& options = {},
                            const std::string& file = "collection.json") {
  Result<Document> doc = ParseDocument(text, file);
  if (!doc) return std::move(doc).error();
  return ImportPostman(*doc, options);
}

std::map<std::string, Value> LoadSuites(const ImportResult& result) {
  std::map<std::string, Value> suites;
  for (const ConvertedFile& file : result.files) {
    if (file.suite_name.empty()) continue;
    SuiteLoad load = LoadSuite(file.text, file.path);
    for (const Error& e : load.errors)
      ADD_FAILURE() << file.path << ": " << FormatErrorLine(e) << "\n" << file.text;
    if (load.suite) suites[file.node_id] = load.suite->document.root;
  }
  return suites;
}

std::vector<std::string> Messages(const ImportResult& result) {
  std::vector<std::string> out;
  for (const Error& w : result.warnings) out.push_back(w.message);
  return out;
}

const char* kCollection = R"({
  "info": {"name": "Shop API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
  "variable": [
    {"key": "baseUrl", "value": "https://shop.example.com"},
    {"key": "token", "value": ""},
    {"key": "page-size", "value": "20"},
    {"key": "off", "value": "x", "disabled": true}
  ],
  "event": [{"listen": "test", "script": {"exec": ["pm.test('fast', function () { pm.expect(pm.response.responseTime).to.be.below(2000); });"]}}],
  "item": [
    {"name": "Health", "request": {"method": "GET", "url": "{{baseUrl}}/health", "auth": {"type": "noauth"}}},
    {
      "name": "Auth",
      "item": [{
        "name": "Log in",
        "request": {
          "method": "POST",
          "auth": {"type": "noauth"},
          "header": [{"key": "Content-Type", "value": "application/json"}, {"key": "X-Off", "value": "1", "disabled": true}],
          "body": {"mode": "raw", "raw": "{\"user\": \"{{$randomUserName}}\", \"remember\": {{remember}}, \"n\": 1}",
                   "options": {"raw": {"language": "json"}}},
          "url": {"raw": "{{baseUrl}}/login", "host": ["{{baseUrl}}"], "path": ["login"]}
        },
        "event": [{"listen": "test", "script": {"exec": [
          "pm.test(\"ok\", function () { pm.response.to.have.status(200); });",
          "var data = pm.response.json();",
          "pm.environment.set(\"token\", data.token);"
        ]}}]
      }]
    },
    {
      "name": "Orders",
      "variable": [{"key": "remember", "value": "true", "type": "boolean"}],
      "item": [
        {
          "name": "Admin",
          "auth": {"type": "basic", "basic": [{"key": "username", "value": "root"}, {"key": "password", "value": "s3cret"}]},
          "item": [{
            "name": "Search",
            "request": {
              "method": "get",
              "url": {
                "raw": "{{baseUrl}}/orders/:orderId/items?limit={{page-size}}&q=a%20b",
                "host": ["{{baseUrl}}"], "path": ["orders", ":orderId", "items"],
                "query": [{"key": "limit", "value": "{{page-size}}"}, {"key": "q", "value": "a%20b"},
                          {"key": "skip", "value": "1", "disabled": true}],
                "variable": [{"key": "orderId", "value": "42"}]
              }
            },
            "event": [{"listen": "prerequest", "script": {"exec": ["pm.variables.set('t', Date.now());"]}}]
          }]
        },
        {
          "name": "Upload",
          "request": {
            "method": "POST",
            "url": "{{baseUrl}}/orders/upload?tag[]=a&tag[]=b",
            "header": [{"key": "Authorization", "value": "Bearer {{token}}"}],
            "body": {"mode": "formdata", "formdata": [
              {"key": "note", "value": "{{$randomLoremSentence}}", "type": "text"},
              {"key": "meta", "value": "{\"a\":1}", "type": "text", "contentType": "application/json"},
              {"key": "file", "type": "file", "src": "fixtures/order.pdf"},
              {"key": "empty", "type": "file", "src": null},
              {"key": "off", "value": "x", "disabled": true}
            ]}
          },
          "event": [{"listen": "test", "script": {"exec": ["pm.test('x', function () {", "  pm.expect(tv4.validate(1, 2)).to.be.true;", "});"]}}]
        },
        {
          "name": "Form",
          "request": {
            "method": "PUT",
            "url": "{{baseUrl}}/orders/form",
            "auth": {"type": "apikey", "apikey": [{"key": "key", "value": "X-Key"}, {"key": "value", "value": "{{api.key}}"}, {"key": "in", "value": "header"}]},
            "body": {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}, {"key": "b", "value": "{{$guid}}"}]}
          }
        },
        {
          "name": "Text",
          "request": {"method": "POST", "url": "{{baseUrl}}/orders/text",
                      "body": {"mode": "raw", "raw": "hello {{name}}", "options": {"raw": {"language": "text"}}}},
          "protocolProfileBehavior": {"followRedirects": false}
        },
        {
          "name": "Graph",
          "request": {"method": "POST", "url": "{{baseUrl}}/graphql",
                      "body": {"mode": "graphql", "graphql": {"query": "{ me { id } }", "variables": "{\"id\": {{id}}}"}}}
        }
      ]
    }
  ]
})";

TEST(PostmanImport, OneSuitePerFolderWithRequestsAuthBodiesAndTests) {
  Result<ImportResult> result = Import(kCollection);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_EQ(result->source, "Postman collection v2.1");
  ASSERT_EQ(result->files.size(), 4u);  // Shop API (top-level requests), Auth, Orders, sample file
  EXPECT_EQ(result->files[0].path, "shop_api.yaml");
  EXPECT_EQ(result->files[1].path, "auth.yaml");
  EXPECT_EQ(result->files[2].path, "orders.yaml");
  EXPECT_EQ(result->files[3].path, "fixtures/sample-upload.txt");
  std::map<std::string, Value> suites = LoadSuites(*result);

  const Value& top = suites["shop_api"];
  EXPECT_EQ(top["suite_name"], "Shop API");
  EXPECT_EQ(top["variables"], Value::parse(R"({"baseUrl": "https://shop.example.com", "token": "",
                                               "page_size": "20"})"));
  EXPECT_EQ(top["steps"][0]["request"],
            Value::parse(R"({"method": "GET", "url": "{{baseUrl}}/health"})"));
  EXPECT_EQ(top["steps"][0]["assert"], Value::parse(R"({"response_time_ms": {"less_than": 2000}})"))
      << "the collection's test applies to every request";

  const Value& login = suites["auth"]["steps"][0];
  EXPECT_EQ(login["name"], "Log in");
  EXPECT_EQ(login["request"]["headers"], Value::parse(R"({"Content-Type": "application/json"})"));
  EXPECT_EQ(login["request"]["body"],
            Value::parse(
                R"({"user": "{{$faker.internet.username}}", "remember": "{{remember}}", "n": 1})"));
  EXPECT_EQ(login["assert"],
            Value::parse(R"({"response_time_ms": {"less_than": 2000}, "status_code": 200})"));
  EXPECT_EQ(login["capture"], Value::parse(R"({"token": "body.token"})"));
  EXPECT_EQ(suites["auth"]["exports"], Value::parse(R"(["token"])"));

  const Value& orders = suites["orders"];
  EXPECT_EQ(orders["depends"], Value::parse(R"([{"node_id": "auth"}])"));
  EXPECT_FALSE(orders["variables"].contains("token")) << "read from the auth suite's export";
  EXPECT_EQ(orders["variables"]["remember"], true);
  EXPECT_EQ(orders["variables"]["orderId"], "42");
  const Value& steps = orders["steps"];
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0]["name"], "Admin / Search");
  EXPECT_EQ(steps[0]["request"],
            Value::parse(R"({"method": "GET", "url": "{{baseUrl}}/orders/{{orderId}}/items",
      "headers": {"Authorization": "Basic cm9vdDpzM2NyZXQ="}, "params": {"limit": "{{page_size}}", "q": "a b"}})"));
  EXPECT_EQ(steps[1]["request"]["url"], "{{baseUrl}}/orders/upload?tag[]=a&tag[]=b");
  EXPECT_EQ(
      steps[1]["request"]["headers"],
      Value::parse(
          R"({"Authorization": "Bearer {{auth.token}}", "Content-Type": "multipart/form-data"})"));
  EXPECT_EQ(steps[1]["request"]["body"], Value::parse(R"({
      "note": "{{$faker.lorem.sentence}}",
      "meta": {"value": {"a": 1}, "content_type": "application/json"},
      "file": {"file": "fixtures/order.pdf"},
      "empty": {"file": "fixtures/sample-upload.txt"}})"));
  EXPECT_EQ(
      steps[2]["request"]["headers"],
      Value::parse(
          R"({"X-Key": "{{api_key}}", "Content-Type": "application/x-www-form-urlencoded"})"));
  EXPECT_EQ(steps[2]["request"]["body"], Value::parse(R"({"a": "1", "b": "{{$uuid}}"})"));
  EXPECT_EQ(steps[3]["request"]["body"], "hello {{name}}");
  EXPECT_EQ(steps[3]["request"]["headers"]["Content-Type"], "text/plain");
  EXPECT_EQ(steps[3]["request"]["follow_redirects"], false);
  EXPECT_EQ(steps[4]["request"]["body"],
            Value::parse(R"({"query": "{ me { id } }", "variables": {"id": "{{id}}"}})"));

  // Unconverted scripts are comments on their step.
  const std::string& text = result->files[2].text;
  EXPECT_NE(text.find("  # Postman pre-request script, not converted:\n"
                      "  #   pm.variables.set('t', Date.now());\n"
                      "  - name: Admin / Search"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  # Postman test script statements not converted (check them by hand):\n"
                      "  #   pm.test(\"x\"): pm.expect(tv4.validate(1, 2)).to.be.true\n"
                      "  - name: Upload\n"),
            std::string::npos)
      << text;

  const std::vector<std::string> expected = {
      "variable 'page-size' is renamed 'page_size' (flowtest variables are identifiers)",
      "request 'Search': its pre-request script is not converted; it is kept as a comment on the "
      "step",
      "file part 'empty' names no file: the sample file fixtures/sample-upload.txt is sent",
      "request 'Upload': 1 test script statement was not converted; they are kept as comments on "
      "the step",
      "variable 'api.key' is renamed 'api_key' (flowtest variables are identifiers)",
      "variable 'remember' is used but not defined in the collection (a Postman environment "
      "variable?)",
      "variable 'api_key' is used but not defined in the collection (a Postman environment "
      "variable?)",
      "variable 'name' is used but not defined in the collection (a Postman environment variable?)",
      "variable 'id' is used but not defined in the collection (a Postman environment variable?)",
  };
  EXPECT_EQ(Messages(*result), expected);
}

TEST(PostmanImport, SingleSuiteKeepsTheFoldersAsPrefixes) {
  Result<ImportResult> result = Import(kCollection, {.single_suite = true});
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  std::map<std::string, Value> suites = LoadSuites(*result);
  ASSERT_EQ(suites.size(), 1u);
  const Value& suite = suites["shop_api"];
  const Value& steps = suite["steps"];
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_EQ(steps[0]["name"], "Health");
  EXPECT_EQ(steps[1]["name"], "Auth / Log in");
  EXPECT_EQ(steps[2]["name"], "Orders / Admin / Search");
  EXPECT_EQ(steps[3]["request"]["headers"]["Authorization"], "Bearer {{token}}")
      << "captured in the same suite";
  EXPECT_FALSE(suite.contains("depends"));
}

TEST(PostmanImport, Version20AuthMapsAndStringHeaders) {
  const char* collection = R"({
    "info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
    "item": [{"name": "one", "request": {
      "url": "http://localhost:8080/a", "method": "DELETE",
      "header": "X-A: 1\nX-B: two",
      "auth": {"type": "basic", "basic": {"username": "{{user}}", "password": "p'w"}}}}]
  })";
  Result<ImportResult> result = Import(collection);
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  EXPECT_EQ(result->source, "Postman collection v2.0");
  std::map<std::string, Value> suites = LoadSuites(*result);
  EXPECT_EQ(suites["old"]["steps"][0]["request"]["headers"],
            Value::parse(R"({"X-A": "1", "X-B": "two",
                             "Authorization": "Basic {{js: btoa(user + ':' + 'p\\'w')}}"})"));
}

TEST(PostmanImport, NotACollectionOrAMalformedOneIsAnErrorWithItsPlace) {
  struct Case {
    const char* text;
    const char* message;
    int line;
  };
  const Case cases[] = {
      {"[1, 2]", "a Postman collection must be a JSON object, got array", 1},
      {"{\"a\": 1}", "not a Postman collection: it needs 'info' and 'item'", 1},
      {"{\"info\": {\"name\": \"x\"},\n \"requests\": [], \"order\": []}",
       "this is a Postman collection v1, which flowtest does not import", 1},
      {"{\"info\": {\"name\": \"x\", \"schema\": "
       "\"https://schema.getpostman.com/json/collection/v1.0.0/\"},\n \"item\": []}",
       "unsupported Postman collection format "
       "'https://schema.getpostman.com/json/collection/v1.0.0/'",
       1},
      {"{\"info\": {\"name\": \"x\", \"schema\": \"v2.1.0\"},\n \"item\": [\n  {\"name\": \"a\"}]}",
       "an item needs 'request' (a request) or 'item' (a folder)", 3},
      {"{\"info\": {\"name\": \"x\", \"schema\": \"v2.1.0\"},\n \"item\": [{\"request\": {\"url\": "
       "\"/\",\n \"header\": [{\"key\": 5, \"value\": \"v\"}]}}]}",
       "'key' must be a string, got number", 3},
      {"{\"info\": {\"name\": \"x\", \"schema\": \"v2.1.0\"},\n \"item\": [{\"request\": {\"url\": "
       "\"/\",\n \"body\": {\"mode\": \"binary\"}}}]}",
       "'mode' must be one of raw, urlencoded, formdata, file, graphql", 3},
      {"{\"info\": {\"name\": \"x\", \"schema\": \"v2.1.0\"},\n \"item\": []}",
       "the collection has no requests to import", 2},
  };
  for (const Case& c : cases) {
    Result<ImportResult> result = Import(c.text);
    ASSERT_FALSE(result) << c.text;
    EXPECT_EQ(result.error().message, c.message) << c.text;
    ASSERT_TRUE(result.error().where) << c.text;
    EXPECT_EQ(result.error().where->file, "collection.json");
    EXPECT_EQ(result.error().where->line, c.line) << c.text;
  }
}

TEST(PostmanImport, MethodsFlowtestDoesNotSendAreLeftOutWithAWarning) {
  Result<ImportResult> result = Import(R"({"info": {"name": "M", "schema": "v2.1.0"}, "item": [
      {"name": "purge", "request": {"method": "PURGE", "url": "http://h/cache"}},
      {"name": "get", "request": {"method": "get", "url": "http://h/x"}}]})");
  ASSERT_TRUE(result) << FormatErrorLine(result.error());
  std::map<std::string, Value> suites = LoadSuites(*result);
  ASSERT_EQ(suites["m"]["steps"].size(), 1u);
  EXPECT_EQ(suites["m"]["steps"][0]["request"]["method"], "GET");
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].message,
            "request 'purge' uses the method 'PURGE', which flowtest does not send: it is left out");
  EXPECT_EQ(result->warnings[0].where->line, 2);
}

TEST(PostmanImport, DamagedCollectionsNeverCrash) {
  const std::string base = kCollection;
  std::mt19937 random(11);
  const std::vector<std::string> junk = {"{",
                                         "}",
                                         "[",
                                         "]",
                                         ",",
                                         ":",
                                         "\"",
                                         "null",
                                         "7",
                                         "\"item\": [",
                                         "{{",
                                         "}}",
                                         "\"mode\": \"raw\"",
                                         "\\"};
  for (int i = 0; i < 300; ++i) {
    std::string text = base;
    for (int k = 0; k < 2; ++k) {
      const std::size_t at = random() % text.size();
      if (random() % 2) {
        text.insert(at, junk[random() % junk.size()]);
      } else {
        text.erase(at, random() % 6);
      }
    }
    Result<ImportResult> result = Import(text);
    if (!result) {
      EXPECT_TRUE(result.error().where) << result.error().message;
      continue;
    }
    LoadSuites(*result);
    if (HasFailure()) {
      ADD_FAILURE() << "collection:\n" << text;
      break;
    }
  }
}

}  // namespace
}  // namespace flow::core::convert
