#include "core/convert/postman_export.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/convert/openapi_schema.hpp"
#include "core/convert/postman_collection.hpp"
#include "core/convert/postman_import.hpp"
#include "core/model/suite.hpp"
#include "core/parse/document.hpp"

namespace flow::core::convert {
namespace {

std::vector<std::unique_ptr<Suite>> Load(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::unique_ptr<Suite>> out;
  for (const auto& [name, text] : files) {
    SuiteLoad load = LoadSuite(text, name);
    for (const Error& e : load.errors) ADD_FAILURE() << name << ": " << FormatErrorLine(e);
    if (load.suite) out.push_back(std::make_unique<Suite>(std::move(*load.suite)));
  }
  return out;
}

PostmanExport Export(const std::vector<std::unique_ptr<Suite>>& suites) {
  std::vector<const Suite*> pointers;
  for (const auto& s : suites) pointers.push_back(s.get());
  return ExportPostman(pointers, {.name = "Round trip", .working_directory = "/work"});
}

const char* kAuth = R"(suite_name: Login
node_id: auth
base_url: "{{api_url}}/v1/"
variables:
  user: ada
  attempts: 3
exports: [token]
steps:
  - name: log in
    request:
      method: POST
      url: /login
      headers:
        X-Trace: "{{$faker.string.uuid}}"
      body:
        user: "{{user}}"
        email: "{{$faker.internet.email}}"
        tries: "{{attempts}}"
        nested: {list: [1, "two", null], flag: true}
    assert:
      status_code: 200
      headers:
        content-type: {contains: json}
        x-request-id: {exists: true}
      body:
        token: {type: string, minLength: 10, regex: "^[A-Za-z0-9/._-]+$"}
        user:
          name: "{{user}}"
          roles: {contains: admin, length: {greater_than: 0}}
        items.0.id: {greater_than_or_equal: 1}
        "user-agent": {not_equals: curl}
      response_time_ms: {less_than: 1500}
    capture:
      token: body.token
      request_id: headers."x-request-id"
      code: status_code
      fixed: 42
)";

const char* kOrders = R"(suite_name: Orders
node_id: orders
base_url: "{{api_url}}/v1"
depends: [{node_id: auth}]
variables:
  page: 2
steps:
  - name: list
    request:
      method: GET
      url: /orders
      params: {page: "{{page}}", q: "a b&c"}
      headers: {Authorization: "Bearer {{auth.token}}"}
    assert:
      status_code: [200, 204]
      body:
        type: array
        length: {less_than_or_equal: 50}
  - name: form
    request:
      method: PUT
      url: https://other.example.com:8443/form
      headers: {Content-Type: application/x-www-form-urlencoded}
      body: {a: "1", b: "{{page}}"}
      follow_redirects: false
    assert:
      status_code: {in: [301, 302]}
  - name: upload
    request:
      method: POST
      url: /upload
      headers: {Content-Type: multipart/form-data}
      body:
        note: hello
        meta: {value: {a: 1}, content_type: application/json}
        file: {file: fixtures/a.pdf, content_type: application/pdf}
    assert:
      status_code: 201
      body: {id: {exists: true}, ok: true}
  - name: text
    request:
      method: POST
      url: /text
      headers: {Content-Type: text/plain}
      body: "plain {{page}}"
    assert:
      body: {notEmpty: true, not_contains: error}
)";

// The semantic content of a step for comparison: the full url, params and headers as text, the
// body, the compiled assertions and captures.
struct StepView {
  std::string method, url;
  std::map<std::string, std::string> params, headers;
  Value body;
  std::vector<std::string> checks;
  std::vector<std::string> captures;
  bool operator==(const StepView&) const = default;
};

std::string Join(const std::string& base, const std::string& url) {
  if (base.empty() || url.rfind("http", 0) == 0) return url;
  std::string b = base;
  if (!b.empty() && b.back() == '/') b.pop_back();
  return b + (url.empty() || url[0] == '/' ? "" : "/") + url;
}

std::string OpName(const assertion::Check& check) {
  using assertion::Operator;
  // minLength is length >= n, and so on: the forms Postman has one spelling for.
  switch (check.op) {
    case Operator::kMinLength:
      return "length>=";
    case Operator::kMaxLength:
      return "length<=";
    case Operator::kLength:
      if (check.comparison == assertion::Comparison::kGreaterOrEqual) return "length>=";
      if (check.comparison == assertion::Comparison::kLessOrEqual) return "length<=";
      return "length" + std::to_string(static_cast<int>(check.comparison));
    case Operator::kIn:
      return "in";
    default:
      return std::to_string(static_cast<int>(check.op));
  }
}

StepView View(const Suite& suite, const StepSpec& step) {
  const Value& raw = suite.document.root["steps"][step.index];
  const Value& request = raw["request"];
  StepView view;
  view.method = request["method"].get<std::string>();
  view.url =
      Join(suite.document.root.value("base_url", std::string()), request["url"].get<std::string>());
  for (const char* key : {"params", "headers"}) {
    if (!request.contains(key)) continue;
    for (auto it = request[key].begin(); it != request[key].end(); ++it) {
      (std::string(key) == "params" ? view.params : view.headers)[it.key()] = ToText(it.value());
    }
  }
  view.body = request.value("body", Value());
  // File parts are exported with absolute paths (Postman has no suite directory).
  if (view.body.is_object()) {
    for (auto it = view.body.begin(); it != view.body.end(); ++it) {
      if (it.value().is_object() && it.value().contains("file") &&
          it.value()["file"].get<std::string>()[0] != '/') {
        it.value()["file"] = "/work/" + it.value()["file"].get<std::string>();
      }
    }
  }
  if (raw.contains("assert")) {
    for (const assertion::Target& target : step.assertions->targets()) {
      for (const assertion::Check& check : target.checks) {
        const std::string path = target.path ? target.path->text() : "";
        Value expected = *ResolvePointer(raw["assert"], check.pointer);
        if (check.status_shorthand && !expected.is_array()) expected = std::stoi(ToText(expected));
        const std::string op = check.status_shorthand && expected.is_array() ? "in"
                               : check.status_shorthand                      ? "0"
                                                                             : OpName(check);
        view.checks.push_back(std::to_string(static_cast<int>(target.kind)) + " " + target.header +
                              " " + path + " " + op + " " + DumpJson(expected));
      }
    }
    std::sort(view.checks.begin(), view.checks.end());
  }
  if (step.captures) {
    for (const capture::Entry& entry : step.captures->entries()) {
      view.captures.push_back(
          entry.name + "=" +
          (entry.kind == capture::EntryKind::kLiteral ? DumpJson(entry.literal) : entry.text));
    }
  }
  return view;
}

TEST(PostmanExport, WritesAValidV21CollectionWithScripts) {
  const auto suites = Load({{"auth.yaml", kAuth}, {"orders.yaml", kOrders}});
  ASSERT_EQ(suites.size(), 2u);
  const PostmanExport exported = Export(suites);
  EXPECT_EQ(exported.folders, 2u);
  EXPECT_EQ(exported.requests, 5u);
  const std::vector<Error> problems = CheckPostmanCollection(exported.collection);
  for (const Error& e : problems) ADD_FAILURE() << e.pointer << ": " << e.message;
  const Value& c = exported.collection;
  EXPECT_EQ(c["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json");
  EXPECT_EQ(c["variable"], Value::parse(R"([{"key": "user", "value": "ada", "type": "string"},
                                            {"key": "attempts", "value": 3, "type": "number"},
                                            {"key": "page", "value": 2, "type": "number"}])"));
  const Value& login = c["item"][0]["item"][0];
  EXPECT_EQ(login["request"]["url"]["raw"], "{{api_url}}/v1/login");
  EXPECT_EQ(login["request"]["url"]["host"], Value::parse(R"(["{{api_url}}"])"));
  EXPECT_EQ(login["request"]["url"]["path"], Value::parse(R"(["v1", "login"])"));
  EXPECT_EQ(login["request"]["header"][0],
            Value::parse(R"({"key": "X-Trace", "value": "{{$randomUUID}}"})"));
  const std::string raw = login["request"]["body"]["raw"].get<std::string>();
  EXPECT_NE(raw.find("\"email\": \"{{$randomEmail}}\""), std::string::npos) << raw;
  EXPECT_NE(raw.find("\"tries\": {{attempts}}"), std::string::npos)
      << "a number stays a number: " << raw;
  EXPECT_NE(raw.find("\"user\": \"{{user}}\""), std::string::npos) << raw;
  const Value& exec = login["event"][0]["script"]["exec"];
  const std::string script = [&] {
    std::string s;
    for (const Value& line : exec) s += line.get<std::string>() + "\n";
    return s;
  }();
  for (const char* line :
       {"pm.response.to.have.status(200);",
        "pm.expect(pm.response.headers.get(\"content-type\")).to.include(\"json\");",
        "pm.response.to.have.header(\"x-request-id\");",
        "pm.expect(pm.response.json().token).to.be.a(\"string\");",
        "pm.expect(pm.response.json().token).to.have.lengthOf.at.least(10);",
        "pm.expect(pm.response.json().user.name).to.eql(pm.variables.get(\"user\"));",
        "pm.expect(pm.response.json().items[0].id).to.be.at.least(1);",
        "pm.expect(pm.response.json()[\"user-agent\"]).to.not.eql(\"curl\");",
        "pm.expect(pm.response.responseTime).to.be.below(1500);",
        "pm.collectionVariables.set(\"token\", pm.response.json().token);",
        "pm.collectionVariables.set(\"request_id\", pm.response.headers.get(\"x-request-id\"));",
        "pm.collectionVariables.set(\"code\", pm.response.code);",
        "pm.collectionVariables.set(\"fixed\", 42);"}) {
    EXPECT_NE(script.find(line), std::string::npos) << line << "\n" << script;
  }
  const Value& list = c["item"][1]["item"][0];
  EXPECT_EQ(list["request"]["url"]["raw"], "{{api_url}}/v1/orders?page={{page}}&q=a%20b%26c");
  EXPECT_EQ(list["request"]["header"][0]["value"], "Bearer {{token}}")
      << "exports are collection variables";
  const Value& form = c["item"][1]["item"][1];
  EXPECT_EQ(form["request"]["url"]["host"], Value::parse(R"(["other.example.com"])"));
  EXPECT_EQ(form["request"]["url"]["port"], "8443");
  EXPECT_EQ(form["request"]["body"]["mode"], "urlencoded");
  EXPECT_EQ(form["protocolProfileBehavior"]["followRedirects"], false);
  const Value& upload = c["item"][1]["item"][2];
  EXPECT_EQ(upload["request"]["body"]["formdata"], Value::parse(R"([
      {"key": "note", "value": "hello", "type": "text"},
      {"key": "meta", "value": "{\"a\":1}", "type": "text", "contentType": "application/json"},
      {"key": "file", "type": "file", "src": "/work/fixtures/a.pdf", "contentType": "application/pdf"}])"));
  EXPECT_TRUE(exported.warnings.empty()) << FormatErrorLine(exported.warnings.front());
}

TEST(PostmanExport, RoundTripGivesTheSameRequestsAssertionsAndCaptures) {
  const auto originals = Load({{"auth.yaml", kAuth}, {"orders.yaml", kOrders}});
  const PostmanExport exported = Export(originals);
  Result<Document> doc = ParseDocument(DumpJson(exported.collection, 2), "round.json");
  ASSERT_TRUE(doc) << doc.error().message;
  Result<ImportResult> imported = ImportPostman(*doc);
  ASSERT_TRUE(imported) << FormatErrorLine(imported.error());
  std::vector<std::unique_ptr<Suite>> back;
  for (const ConvertedFile& file : imported->files) {
    if (file.suite_name.empty()) continue;
    SuiteLoad load = LoadSuite(file.text, file.path);
    for (const Error& e : load.errors)
      ADD_FAILURE() << file.path << ": " << FormatErrorLine(e) << "\n" << file.text;
    if (load.suite) back.push_back(std::make_unique<Suite>(std::move(*load.suite)));
  }
  ASSERT_EQ(back.size(), originals.size());
  for (std::size_t s = 0; s < originals.size(); ++s) {
    const Suite& original = *originals[s];
    const Suite& again = *back[s];
    EXPECT_EQ(again.suite_name, original.suite_name);
    ASSERT_EQ(again.steps.size(), original.steps.size());
    for (std::size_t i = 0; i < original.steps.size(); ++i) {
      StepView a = View(original, original.steps[i]);
      StepView b = View(again, again.steps[i]);
      // {{auth.token}} is {{token}} in Postman and is linked back to the auth suite's export.
      EXPECT_EQ(b.method, a.method);
      EXPECT_EQ(b.url, a.url);
      EXPECT_EQ(b.params, a.params);
      EXPECT_EQ(b.headers, a.headers) << original.steps[i].name;
      EXPECT_TRUE(DeepEqual(b.body, a.body)) << DumpJson(b.body) << " vs " << DumpJson(a.body);
      EXPECT_EQ(b.checks, a.checks) << original.steps[i].name;
      EXPECT_EQ(b.captures, a.captures);
    }
    for (auto it = original.variables.begin(); it != original.variables.end(); ++it) {
      ASSERT_TRUE(again.variables.contains(it.key())) << it.key();
      EXPECT_TRUE(DeepEqual(again.variables[it.key()], it.value())) << it.key();
    }
  }
  EXPECT_EQ(back[0]->exports, std::vector<std::string>{"token"});
  ASSERT_EQ(back[1]->depends.size(), 1u);
  EXPECT_EQ(back[1]->depends[0].node_id, back[0]->node_id);
}

TEST(PostmanExport, WhatPostmanCannotExpressIsNamedInDescriptionsAndWarnings) {
  const auto suites = Load({{"odd.yaml", R"(suite_name: Odd
node_id: odd
steps:
  - name: computed
    request:
      method: POST
      url: "http://h/x/{{items[0]}}"
      body_base64: AAEC
    assert:
      body:
        "items[?id > `1`]": {length: 2}
      custom:
        - {name: c, condition: "status_code === 200"}
    capture:
      sum: "{{$js.return 1 + 2}}"
      first: "body.items[?id > `1`] | [0]"
    retry: {max_attempts: 2}
  - name: ask
    input: {prompt: "name?", variable: who}
)"}});
  ASSERT_EQ(suites.size(), 1u);
  const PostmanExport exported = Export(suites);
  EXPECT_TRUE(CheckPostmanCollection(exported.collection).empty());
  const Value& folder = exported.collection["item"][0];
  ASSERT_EQ(folder["item"].size(), 1u);
  const std::string description = folder["item"][0]["description"].get<std::string>();
  for (const char* part :
       {"no Postman equivalent, left as written: {{items[0]}}", "the body_base64 body",
        "the check body.items[?id > `1`].length", "the capture 'sum'", "the capture 'first'",
        "'retry'", "custom assertions"}) {
    EXPECT_NE(description.find(part), std::string::npos) << part << "\n" << description;
  }
  EXPECT_NE(folder["description"].get<std::string>().find("step 'ask' has no request"),
            std::string::npos);
  ASSERT_EQ(exported.warnings.size(), 2u);
  EXPECT_EQ(exported.warnings[0].where->line, 4);
  EXPECT_EQ(exported.warnings[1].where->line, 18);
}

}  // namespace
}  // namespace flow::core::convert
