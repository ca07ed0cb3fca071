#include "core/convert/postman_script.hpp"

#include <gtest/gtest.h>

namespace flow::core::convert {
namespace {

ScriptConversion Convert(std::string_view script) {
  ScriptConversion out;
  ConvertPostmanTests(script, out);
  return out;
}

TEST(PostmanScript, StatusChecksInEveryCommonForm) {
  EXPECT_EQ(Convert(R"(pm.test("Status code is 200", function () {
    pm.response.to.have.status(200);
});)")
                .assertions,
            Value::parse(R"({"status_code": 200})"));
  EXPECT_EQ(Convert("pm.test('ok', () => pm.expect(pm.response.code).to.eql(201));").assertions,
            Value::parse(R"({"status_code": 201})"));
  EXPECT_EQ(Convert("pm.expect(pm.response.code).to.be.oneOf([200, 204]);").assertions,
            Value::parse(R"({"status_code": {"in": [200, 204]}})"));
  EXPECT_EQ(Convert("pm.response.to.be.success;").assertions,
            Value::parse(
                R"({"status_code": {"greater_than_or_equal": 200, "less_than_or_equal": 299}})"));
  EXPECT_EQ(Convert("pm.response.to.not.have.status(500)").assertions,
            Value::parse(R"({"status_code": {"not_equals": 500}})"));
  EXPECT_EQ(Convert("tests[\"Status code is 200\"] = responseCode.code === 200;").assertions,
            Value::parse(R"({"status_code": 200})"));
}

TEST(PostmanScript, BodyChecksThroughAliasesAndDirectCalls) {
  const ScriptConversion out = Convert(R"(
var jsonData = pm.response.json();
pm.test("fields", function () {
    pm.expect(jsonData.user.name).to.eql("Ada");
    pm.expect(jsonData.items[0].id).to.be.a('number');
    pm.expect(jsonData.items).to.have.lengthOf(3);
    pm.expect(jsonData.tags).to.include("x");
    pm.expect(pm.response.json().token).to.match(/^[a-z]+\.[a-z]+$/);
    pm.expect(jsonData["user-agent"]).to.not.be.undefined;
    pm.expect(jsonData.count).to.be.above(1).and.below(10);
    pm.expect(jsonData.items.length).to.be.at.least(1);
    pm.expect(jsonData.missing).to.be.undefined;
    pm.expect(jsonData.list).to.not.be.empty;
    pm.expect(jsonData).to.have.property("id");
    pm.expect(jsonData.kind).to.be.oneOf(["a", "b"]);
    pm.expect(jsonData.n).to.not.eql(-1.5);
});
)");
  EXPECT_TRUE(out.unconverted.empty()) << out.unconverted.front();
  EXPECT_EQ(out.assertions, Value::parse(R"({"body": {
      "user": {"name": {"equals": "Ada"}},
      "items": {"0": {"id": {"type": "number"}}, "length": {"equals": 3, "greater_than_or_equal": 1}},
      "tags": {"contains": "x"},
      "token": {"regex": "^[a-z]+\\.[a-z]+$"},
      "user-agent": {"exists": true},
      "count": {"greater_than": 1, "less_than": 10},
      "missing": {"exists": false},
      "list": {"notEmpty": true},
      "id": {"exists": true},
      "kind": {"in": ["a", "b"]},
      "n": {"not_equals": -1.5}}})"));
}

TEST(PostmanScript, HeadersResponseTimeAndVariables) {
  const ScriptConversion out = Convert(R"(
pm.test("headers", function () {
  pm.response.to.have.header("Content-Type");
  pm.expect(pm.response.headers.get("X-Id")).to.eql(pm.environment.get("expected_id"));
  pm.response.to.be.json;
  pm.expect(pm.response.responseTime).to.be.below(500);
  pm.expect(pm.response.json().name).to.eql(pm.variables.replaceIn("user {{n}}"));
});)");
  EXPECT_TRUE(out.unconverted.empty()) << out.unconverted.front();
  EXPECT_EQ(out.assertions, Value::parse(R"({
      "headers": {"Content-Type": {"exists": true, "contains": "json"}, "X-Id": {"equals": "{{expected_id}}"}},
      "response_time_ms": {"less_than": 500},
      "body": {"name": {"equals": "user {{n}}"}}})"));
  EXPECT_EQ(out.variables_read, std::vector<std::string>{"expected_id"});
}

TEST(PostmanScript, SettersBecomeCaptures) {
  const ScriptConversion out = Convert(R"(
const body = JSON.parse(responseBody);
pm.environment.set("token", body.access_token);
pm.collectionVariables.set('first_id', pm.response.json().items[0].id);
pm.globals.set("request_id", pm.response.headers.get("X-Request-Id"));
pm.variables.set("status", pm.response.code);
postman.setEnvironmentVariable("mode", "fast");
pm.environment.set("limit", 10);
pm.environment.set("odd", body["a-b"].length);
)");
  EXPECT_TRUE(out.unconverted.empty()) << out.unconverted.front();
  EXPECT_EQ(out.captures,
            Value::parse(R"j({"token": "body.access_token", "first_id": "body.items[0].id",
      "request_id": "headers.\"x-request-id\"", "status": "status_code", "mode": "\"fast\"", "limit": 10,
      "odd": "length(body.\"a-b\")"})j"));
}

TEST(PostmanScript, WhatDoesNotMapIsKeptAsWritten) {
  const ScriptConversion out = Convert(R"(// a comment
var schema = { type: "object" };
pm.test("schema", function () {
    pm.expect(tv4.validate(pm.response.json(), schema)).to.be.true;
    pm.expect(pm.response.json().a).to.eql(1);
});
console.log("done")
if (pm.response.code === 200) { pm.environment.set("x", 1); }
pm.expect(pm.response.json().b).to.match(/x/i);
pm.expect(pm.response.text()).to.include("ok");
)");
  EXPECT_EQ(out.assertions, Value::parse(R"({"body": {"a": {"equals": 1}}})"));
  const std::vector<std::string> expected = {
      R"(var schema = { type: "object" })",
      R"(pm.test("schema"): pm.expect(tv4.validate(pm.response.json(), schema)).to.be.true)",
      R"(console.log("done"))",
      R"(if (pm.response.code === 200) { pm.environment.set("x", 1); })",
      R"(pm.expect(pm.response.json().b).to.match(/x/i))",
      R"(pm.expect(pm.response.text()).to.include("ok"))",
  };
  EXPECT_EQ(out.unconverted, expected);
}

TEST(PostmanScript, ClashingChecksAreNotMerged) {
  ScriptConversion out;
  ConvertPostmanTests("pm.response.to.have.status(200);", out);
  ConvertPostmanTests(
      "pm.response.to.have.status(201);\npm.expect(pm.response.json().a).to.eql(1);", out);
  EXPECT_EQ(out.assertions, Value::parse(R"({"status_code": 200, "body": {"a": {"equals": 1}}})"));
  ASSERT_EQ(out.unconverted.size(), 1u);
  EXPECT_EQ(out.unconverted[0], "pm.response.to.have.status(201)");
}

TEST(PostmanScript, HostileTextNeverCrashes) {
  for (const char* text :
       {"", "(((((", "}}}}", "pm.test(", "pm.expect(", "/", "/[/", "'unterminated", "`${x}`",
        "pm.test('a', function () {", "a = = b", "\\", "pm.expect(a)[0](1)", "var = 1", "0x1F.to",
        "pm.response.json()..a", "tests[] = 1"}) {
    ScriptConversion out;
    ConvertPostmanTests(text, out);
    EXPECT_TRUE(out.assertions.empty()) << text;
  }
  std::string chain = "pm.expect(pm.response.json()";
  for (int i = 0; i < 20000; ++i) chain += ".a";
  chain += ").to.eql(1);";
  ScriptConversion long_chain;
  ConvertPostmanTests(chain, long_chain);
  EXPECT_TRUE(long_chain.assertions.empty());
  EXPECT_EQ(long_chain.unconverted.size(), 1u);
  std::string deep = "pm.expect(";
  for (int i = 0; i < 5000; ++i) deep += "(";
  ScriptConversion out;
  ConvertPostmanTests(deep, out);
  EXPECT_EQ(out.unconverted.size(), 1u);
}

}  // namespace
}  // namespace flow::core::convert
