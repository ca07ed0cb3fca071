#include "core/assert/assertion_plan.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace flow::core {
namespace {

Value J(const char* text) { return Value::parse(text); }

struct FakeResponse {
  int status = 200;
  Value headers = Value::object();
  Value body;
  double time_ms = 120;

  ResponseView View() const {
    return ResponseView{.status_code = status,
                        .headers = &headers,
                        .body = &body,
                        .response_time_ms = time_ms,
                        .size_bytes = 0};
  }
};

// Compiles `block` and evaluates it against `response`, the block standing for its own rendering
// (no templates), or `rendered` when given.
std::vector<AssertionOutcome> Check(const Value& block, const FakeResponse& response,
                                    const Value* rendered = nullptr) {
  Result<AssertionPlan> plan = AssertionPlan::Compile(block);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  if (!plan) return {};
  return plan->Evaluate(rendered != nullptr ? *rendered : block, response.View());
}

Error CompileError(const Value& block) {
  Result<AssertionPlan> plan = AssertionPlan::Compile(block);
  EXPECT_FALSE(plan.has_value());
  if (plan) return Error{};
  return plan.error();
}

std::vector<std::string> Fields(const std::vector<AssertionOutcome>& outcomes) {
  std::vector<std::string> fields;
  for (const AssertionOutcome& outcome : outcomes) fields.push_back(outcome.field);
  return fields;
}

TEST(AssertionPlan, StatusCodeNumberIsEquals) {
  FakeResponse response{.status = 404};
  const auto outcomes = Check(J(R"({"status_code": 200})"), response);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].field, "status_code");
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].message, "expected 200, got 404");
  EXPECT_EQ(outcomes[0].expected, J("200"));
  EXPECT_EQ(outcomes[0].actual, J("404"));
  EXPECT_EQ(outcomes[0].pointer, "/status_code");
  response.status = 200;
  EXPECT_TRUE(Check(J(R"({"status_code": 200})"), response)[0].passed);
  EXPECT_EQ(Check(J(R"({"status_code": 200})"), response)[0].message, "OK");
}

TEST(AssertionPlan, StatusCodeNumericStringIsARealCheck) {
  const auto failing = Check(J(R"({"status_code": "200"})"), FakeResponse{.status = 500});
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_FALSE(failing[0].passed);
  EXPECT_EQ(failing[0].expected, J("200"));
  EXPECT_TRUE(Check(J(R"({"status_code": "200"})"), FakeResponse{.status = 200})[0].passed);
}

TEST(AssertionPlan, StatusCodeListIsIn) {
  const Value block = J(R"({"status_code": [200, 201]})");
  const auto created = Check(block, FakeResponse{.status = 201});
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].field, "status_code.in");
  EXPECT_TRUE(created[0].passed);
  const auto missing = Check(block, FakeResponse{.status = 404});
  EXPECT_FALSE(missing[0].passed);
  EXPECT_EQ(missing[0].message, "expected one of [200,201], got 404");
}

TEST(AssertionPlan, StatusCodeMapGivesOneOutcomePerOperator) {
  const auto outcomes = Check(J(R"({"status_code": {"in": [200, 204], "not_equals": 500,
                                                  "greater_than_or_equal": 200}})"),
                              FakeResponse{.status = 204});
  EXPECT_EQ(Fields(outcomes), (std::vector<std::string>{"status_code.in", "status_code.not_equals",
                                                        "status_code.greater_than_or_equal"}));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.passed) << outcome.field;
  EXPECT_EQ(outcomes[1].pointer, "/status_code/not_equals");
}

TEST(AssertionPlan, StatusCodeTemplateDecidesItsFormWhenRendered) {
  const Value block = J(R"({"status_code": "{{expected}}"})");
  Value as_number = J(R"({"status_code": 201})");
  EXPECT_TRUE(Check(block, FakeResponse{.status = 201}, &as_number)[0].passed);
  Value as_list = J(R"({"status_code": [200, 201]})");
  const auto listed = Check(block, FakeResponse{.status = 202}, &as_list);
  EXPECT_EQ(listed[0].field, "status_code.in");
  EXPECT_FALSE(listed[0].passed);
  Value as_text = J(R"({"status_code": "abc"})");
  const auto bad = Check(block, FakeResponse{}, &as_text);
  EXPECT_FALSE(bad[0].passed);
  EXPECT_EQ(bad[0].message,
            "'status_code' expects a number or a list of numbers, got string \"abc\"");
}

TEST(AssertionPlan, StatusCodeOfTheWrongTypeIsACompileError) {
  for (const char* block :
       {R"({"status_code": "abc"})", R"({"status_code": []})", R"({"status_code": true})",
        R"({"status_code": [200, "x"]})", R"({"status_code": {}})"}) {
    const Error error = CompileError(J(block));
    EXPECT_EQ(error.pointer, "/status_code") << block;
    EXPECT_EQ(error.reason, "invalid-value") << block;
  }
}

TEST(AssertionPlan, HeadersAreLookedUpCaseInsensitively) {
  FakeResponse response;
  response.headers = J(R"({"content-type": "application/json; charset=utf-8", "x-id": "7"})");
  const auto outcomes = Check(J(R"({"headers": {"Content-Type": {"contains": "json"},
                                              "X-Id": 7, "X-Missing": {"exists": false}}})"),
                              response);
  EXPECT_EQ(Fields(outcomes),
            (std::vector<std::string>{"headers.Content-Type.contains", "headers.X-Id.equals",
                                      "headers.X-Missing.exists"}));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.passed) << outcome.message;
  EXPECT_EQ(outcomes[0].pointer, "/headers/Content-Type/contains");
}

TEST(AssertionPlan, MissingHeaderFails) {
  const auto outcomes =
      Check(J(R"({"headers": {"ETag": {"exists": true}, "Server": "nginx"}})"), FakeResponse{});
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].message, "expected a value to exist, got nothing");
  EXPECT_FALSE(outcomes[1].passed);
  EXPECT_EQ(outcomes[1].message, "expected \"nginx\", got null");
}

TEST(AssertionPlan, FlatHeaderAndBodyShorthands) {
  FakeResponse response;
  response.headers = J(R"({"x-request-id": "abc"})");
  response.body = J(R"({"json": {"id": 5, "name": "ann"}})");
  const auto outcomes = Check(J(R"({"headers.x-request-id": {"exists": true},
                                  "body.json.id": 5, "body.json.name": {"regex": "^a"}})"),
                              response);
  EXPECT_EQ(Fields(outcomes),
            (std::vector<std::string>{"headers.x-request-id.exists", "body.json.id.equals",
                                      "body.json.name.regex"}));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.passed) << outcome.message;
  EXPECT_EQ(outcomes[1].pointer, "/body.json.id");
  EXPECT_EQ(outcomes[2].pointer, "/body.json.name/regex");
}

TEST(AssertionPlan, NestedBodyMapsJoinIntoPaths) {
  FakeResponse response;
  response.body = J(R"({"json": {"id": 1, "user": {"name": "ann", "user-agent": "curl"}},
                        "items": [{"id": 10}]})");
  const auto outcomes = Check(J(R"({"body": {"json": {"id": 1, "user": {"name": "ann",
                                                     "user-agent": {"contains": "cu"}}},
                                           "items[0].id": {"equals": 10}}})"),
                              response);
  EXPECT_EQ(Fields(outcomes),
            (std::vector<std::string>{"body.json.id.equals", "body.json.user.name.equals",
                                      "body.json.user.\"user-agent\".contains",
                                      "body.items[0].id.equals"}));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.passed) << outcome.message;
  EXPECT_EQ(outcomes[2].pointer, "/body/json/user/user-agent/contains");
  response.body["json"]["id"] = 2;
  const auto changed = Check(J(R"({"body": {"json": {"id": 1}}})"), response);
  EXPECT_FALSE(changed[0].passed);
  EXPECT_EQ(changed[0].message, "expected 1, got 2");
}

TEST(AssertionPlan, ArrayLiteralLeafIsDeepEquals) {
  FakeResponse response;
  response.body = J(R"({"tags": ["a", "b"]})");
  const auto same = Check(J(R"({"body": {"tags": ["a", "b"]}})"), response);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].field, "body.tags.equals");
  EXPECT_TRUE(same[0].passed);
  const auto other = Check(J(R"({"body": {"tags": ["b", "a"]}})"), response);
  EXPECT_FALSE(other[0].passed);
}

TEST(AssertionPlan, OperatorsTheOriginalIgnoredAloneAreRealChecks) {
  FakeResponse response;
  response.body = J(R"({"count": 2, "role": "user"})");
  const auto outcomes = Check(J(R"({"body": {"count": {"greater_than_or_equal": 3},
                                           "role": {"in": ["admin", "owner"]}}})"),
                              response);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].field, "body.count.greater_than_or_equal");
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[1].field, "body.role.in");
  EXPECT_FALSE(outcomes[1].passed);
  const auto others =
      Check(J(R"({"body": {"count": {"less_than_or_equal": 2, "not_in": [0]}}})"), response);
  ASSERT_EQ(others.size(), 2u);
  EXPECT_TRUE(others[0].passed);
  EXPECT_TRUE(others[1].passed);
  EXPECT_FALSE(Check(J(R"({"body": {"count": {"not_in": [2]}}})"), response)[0].passed);
}

TEST(AssertionPlan, FieldNamedLikeAnOperatorWithACheckObjectIsAField) {
  FakeResponse response;
  response.body = J(R"({"user": {"type": "admin", "length": 3}})");
  const auto outcomes = Check(J(R"({"body": {"user": {"type": {"equals": "admin"}}}})"), response);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].field, "body.user.type.equals");
  EXPECT_TRUE(outcomes[0].passed);
  // With a plain value `type` is the operator, on `user`.
  const auto op = Check(J(R"({"body": {"user": {"type": "object"}}})"), response);
  ASSERT_EQ(op.size(), 1u);
  EXPECT_EQ(op[0].field, "body.user.type");
  EXPECT_TRUE(op[0].passed);
  // A map `type` cannot take is a nested field too.
  const auto nested = Check(J(R"({"body": {"user": {"type": {"contains": "adm"}}}})"), response);
  EXPECT_EQ(nested[0].field, "body.user.type.contains");
  EXPECT_TRUE(nested[0].passed);
}

TEST(AssertionPlan, MixingOperatorsAndFieldsIsAnError) {
  const Error error = CompileError(J(R"({"body": {"user": {"name": "x", "type": "admin"}}})"));
  EXPECT_EQ(error.message, "'name' is neither an operator nor allowed beside the operator 'type'");
  EXPECT_EQ(error.reason, "mixed-keys");
  EXPECT_EQ(error.pointer, "/body/user/name");
  EXPECT_NE(error.hint.find("write 'type: {equals: ...}'"), std::string::npos) << error.hint;
  const Error typo = CompileError(J(R"({"body": {"id": {"equals": 1, "greaterthan": 0}}})"));
  EXPECT_EQ(typo.pointer, "/body/id/greaterthan");
  EXPECT_EQ(typo.hint.rfind("did you mean 'greater_than'?", 0), 0u) << typo.hint;
}

TEST(AssertionPlan, UnknownOperatorIsAnErrorWithAHint) {
  const Error status = CompileError(J(R"({"status_code": {"equal": 200}})"));
  EXPECT_EQ(status.message, "unknown operator 'equal'");
  EXPECT_EQ(status.hint, "did you mean 'equals' or 'not_equals'?");
  EXPECT_EQ(status.pointer, "/status_code/equal");
  EXPECT_EQ(status.reason, "unknown-operator");
  const Error header = CompileError(J(R"({"headers": {"Server": {"containz": "x"}}})"));
  EXPECT_EQ(header.hint, "did you mean 'contains'?");
  const Error length = CompileError(J(R"({"body": {"items": {"length": {"greather_than": 1}}}})"));
  EXPECT_EQ(length.message, "unknown length comparison 'greather_than'");
  EXPECT_EQ(length.hint, "did you mean 'greater_than'?");
  EXPECT_EQ(length.pointer, "/body/items/length/greather_than");
}

TEST(AssertionPlan, MapsOfChecksBesideNestedFieldsCheckBoth) {
  FakeResponse response;
  response.body = J(R"({"user": {"id": 7, "profile": {"name": "a"}}})");
  const auto outcomes = Check(
      J(R"({"body": {"user": {"type": "object", "id": {"type": "number"}, "profile": {"type": "object", "name": {"type": "number"}}}}})"),
      response);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].field, "body.user.type");
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_EQ(outcomes[1].field, "body.user.id.type");
  EXPECT_TRUE(outcomes[1].passed);
  EXPECT_EQ(outcomes[3].field, "body.user.profile.name.type");
  EXPECT_FALSE(outcomes[3].passed);
}

TEST(AssertionPlan, PathsAtTheRootAreCheckedAsBodyPathsWithAWarning) {
  Result<AssertionPlan> plan = AssertionPlan::Compile(J(R"({"json.x": 1, "response_time": {"less_than": 100}})"));
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->warnings().size(), 2u);
  EXPECT_EQ(plan->warnings()[0].message, "'json.x' is not an assertion target: checked as 'body.json.x'");
  EXPECT_EQ(plan->warnings()[0].pointer, "/json.x");
  EXPECT_EQ(plan->warnings()[1].message, "'response_time' is read as 'response_time_ms'");
  FakeResponse response;
  response.body = J(R"({"json": {"x": 2}})");
  const auto outcomes = Check(J(R"({"json.x": 1})"), response);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].field, "body.json.x.equals");
  EXPECT_FALSE(outcomes[0].passed);
}

TEST(AssertionPlan, UnknownTargetIsAnErrorWithAHint) {
  EXPECT_EQ(CompileError(J(R"({"statuscode": 200})")).hint, "did you mean 'status_code'?");
  EXPECT_EQ(CompileError(J(R"({"header.server": "x"})")).hint, "did you mean 'headers.server'?");
  EXPECT_FALSE(CompileError(J(R"({"zzzzzz": 1})")).hint.empty());
  EXPECT_EQ(CompileError(J(R"({"body.": 1})")).hint,
            "write a path after the dot, such as 'body.id' or 'headers.content-type'");
  EXPECT_EQ(CompileError(J(R"({"status_code.equals": 200})")).hint,
            "write 'status_code: {equals: ...}'");
}

TEST(AssertionPlan, WrongLiteralTypesAreCompileErrors) {
  const Error greater = CompileError(J(R"({"body": {"id": {"greater_than": "abc"}}})"));
  EXPECT_EQ(greater.message, "operator 'greater_than' expects a number, got string \"abc\"");
  EXPECT_EQ(greater.pointer, "/body/id/greater_than");
  const Error exists = CompileError(J(R"({"body": {"id": {"exists": "yes"}}})"));
  EXPECT_EQ(exists.message, "operator 'exists' expects true or false, got string \"yes\"");
  EXPECT_EQ(exists.hint, "to check a field named 'exists', write 'exists: {equals: ...}'");
  EXPECT_EQ(CompileError(J(R"({"body": {"id": {"in": 3}}})")).reason, "invalid-value");
  EXPECT_EQ(CompileError(J(R"({"body": {"id": {"type": "strng"}}})")).hint,
            "did you mean 'string'?");
  EXPECT_EQ(CompileError(J(R"({"body": {"id": {"length": {"min": "x"}}}})")).pointer,
            "/body/id/length/min");
}

TEST(AssertionPlan, InvalidRegexIsACompileError) {
  const Error error = CompileError(J(R"({"body": {"id": {"regex": "a(b"}}})"));
  EXPECT_EQ(error.reason, "invalid-regex");
  EXPECT_EQ(error.pointer, "/body/id/regex");
  EXPECT_EQ(error.message, "invalid regex /a(b/: missing closing parenthesis at offset 3");
}

TEST(AssertionPlan, CatastrophicRegexFailsTheAssertionQuickly) {
  FakeResponse response;
  response.body = Value::object();
  response.body["text"] = std::string(40, 'a') + "b";
  const auto start = std::chrono::steady_clock::now();
  const auto outcomes = Check(J(R"({"body": {"text": {"regex": "(a+)+$"}}})"), response);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].message.rfind("regex exceeded its match limit", 0), 0u)
      << outcomes[0].message;
}

TEST(AssertionPlan, RegexTranslationAppliesInPlans) {
  FakeResponse response;
  response.body = J(R"({"email": "first.last-x@mail.example.com"})");
  const auto outcomes = Check(
      J(R"({"body": {"email": {"pattern": "^[\\w-\\.]+@([\\w-]+\\.)+[\\w-]{2,4}$"}}})"), response);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].field, "body.email.pattern");
  EXPECT_TRUE(outcomes[0].passed) << outcomes[0].message;
}

TEST(AssertionPlan, ExistsCountsAPresentNullMember) {
  FakeResponse response;
  response.body = J(R"({"a": null, "items": [{"id": 1}]})");
  const auto outcomes = Check(J(R"({"body": {"a": {"exists": true}, "b": {"exists": true},
                                           "c": {"exists": false},
                                           "items[0].id": {"exists": true},
                                           "items[?id==`9`] | [0]": {"exists": false}}})"),
                              response);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_TRUE(outcomes[0].passed) << outcomes[0].message;
  EXPECT_FALSE(outcomes[1].passed);
  EXPECT_TRUE(outcomes[2].passed);
  EXPECT_TRUE(outcomes[3].passed);
  EXPECT_TRUE(outcomes[4].passed) << outcomes[4].message;
  EXPECT_FALSE(Check(J(R"({"body": {"a": {"exists": false}}})"), response)[0].passed);
}

TEST(AssertionPlan, LengthForms) {
  FakeResponse response;
  response.body = J(R"({"items": [1, 2, 3], "name": "caf\u00e9"})");
  const auto outcomes = Check(J(R"({"body": {"items": {"length": 3},
                                           "name": {"length": {"equals": 4, "max": 10},
                                                    "minLength": 4, "maxLength": 4}}})"),
                              response);
  EXPECT_EQ(Fields(outcomes),
            (std::vector<std::string>{"body.items.length", "body.name.length.equals",
                                      "body.name.length.max", "body.name.minLength",
                                      "body.name.maxLength"}));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.passed) << outcome.message;
  EXPECT_EQ(outcomes[0].actual, J("3"));
  EXPECT_EQ(outcomes[1].pointer, "/body/name/length/equals");
  const auto short_list =
      Check(J(R"({"body": {"items": {"length": {"greater_than": 3}}}})"), response);
  EXPECT_FALSE(short_list[0].passed);
  EXPECT_EQ(short_list[0].message, "expected length greater than 3, got length 3");
}

TEST(AssertionPlan, ResponseTimeTakesNumericComparisons) {
  const auto outcomes = Check(J(R"({"response_time_ms": {"less_than": 500, "min": 100,
                                                       "greater_than": 200}})"),
                              FakeResponse{.time_ms = 150});
  EXPECT_EQ(Fields(outcomes),
            (std::vector<std::string>{"response_time_ms.less_than", "response_time_ms.min",
                                      "response_time_ms.greater_than"}));
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_TRUE(outcomes[1].passed);
  EXPECT_FALSE(outcomes[2].passed);
  EXPECT_EQ(outcomes[2].message, "expected greater than 200, got 150.0");
  const Error error = CompileError(J(R"({"response_time_ms": {"equals": 5}})"));
  EXPECT_EQ(error.message, "operator 'equals' does not apply to response_time_ms");
  EXPECT_EQ(CompileError(J(R"({"response_time_ms": 500})")).pointer, "/response_time_ms");
}

TEST(AssertionPlan, WholeBodyChecks) {
  FakeResponse response;
  response.body = "pong";
  const auto text = Check(J(R"({"body": "pong"})"), response);
  ASSERT_EQ(text.size(), 1u);
  EXPECT_EQ(text[0].field, "body.equals");
  EXPECT_TRUE(text[0].passed);
  const auto checks = Check(J(R"({"body": {"contains": "on", "type": "string"}})"), response);
  EXPECT_EQ(Fields(checks), (std::vector<std::string>{"body.contains", "body.type"}));
  EXPECT_TRUE(checks[0].passed);
  EXPECT_TRUE(checks[1].passed);
}

TEST(AssertionPlan, MissingBodyMakesPathsNull) {
  const Value block = J(R"({"body": {"id": {"exists": true}}})");
  Result<AssertionPlan> plan = AssertionPlan::Compile(block);
  ASSERT_TRUE(plan.has_value());
  const auto outcomes = plan->Evaluate(block, ResponseView{.status_code = 200});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed);
}

TEST(AssertionPlan, CustomAssertionsAreListedNotEvaluated) {
  Result<AssertionPlan> plan = AssertionPlan::Compile(J(R"({"status_code": 200, "custom": [
      {"name": "positive", "condition": "body.n > 0", "message": "n must be positive"},
      {"condition": "status_code < 300"}]})"));
  ASSERT_TRUE(plan.has_value());
  EXPECT_TRUE(plan->HasCustom());
  ASSERT_EQ(plan->custom().size(), 2u);
  EXPECT_EQ(plan->custom()[0].name, "positive");
  EXPECT_EQ(plan->custom()[0].condition, "body.n > 0");
  EXPECT_EQ(plan->custom()[0].message, "n must be positive");
  EXPECT_EQ(plan->custom()[1].name, "custom[1]");
  EXPECT_EQ(plan->custom()[1].pointer, "/custom/1");
  EXPECT_EQ(plan->CheckCount(), 1u);
  EXPECT_FALSE(AssertionPlan::Compile(J(R"({"status_code": 200})"))->HasCustom());
  EXPECT_EQ(CompileError(J(R"({"custom": [{"name": "x"}]})")).message,
            "custom assertion 'x' has no condition");
  EXPECT_EQ(CompileError(J(R"({"custom": [{"condtion": "x"}]})")).hint,
            "did you mean 'condition'?");
}

TEST(AssertionPlan, InvalidJmespathKeyIsACompileError) {
  const Error error = CompileError(J(R"({"body": {"items[0": 1}})"));
  EXPECT_EQ(error.reason, "invalid-jmespath");
  EXPECT_EQ(error.pointer, "/body/items[0");
  EXPECT_EQ(error.message.rfind("invalid JMESPath 'items[0': ", 0), 0u) << error.message;
}

TEST(AssertionPlan, RuntimeJmespathErrorFailsTheOutcome) {
  FakeResponse response;
  response.body = J(R"({"items": ["a"]})");
  const auto outcomes = Check(J(R"({"body": {"items[?abs(@) > `0`]": {"length": 1}}})"), response);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].message.rfind("could not evaluate 'items[?abs(@) > `0`]': ", 0), 0u)
      << outcomes[0].message;
}

TEST(AssertionPlan, ExpectedValuesComeFromTheRenderedBlock) {
  FakeResponse response;
  response.body = J(R"({"id": 5, "name": "ann", "n": 3})");
  const Value block = J(R"({"body": {"id": "{{id}}", "name": {"regex": "{{pattern}}"},
                                     "n": {"greater_than": "{{min}}"}}})");
  const Value good = J(R"({"body": {"id": 5, "name": {"regex": "^an"},
                                    "n": {"greater_than": 2}}})");
  const auto passing = Check(block, response, &good);
  ASSERT_EQ(passing.size(), 3u);
  for (const auto& outcome : passing) EXPECT_TRUE(outcome.passed) << outcome.message;
  EXPECT_EQ(passing[0].expected, J("5"));
  const Value bad = J(R"({"body": {"id": 6, "name": {"regex": "(("},
                                   "n": {"greater_than": "abc"}}})");
  const auto failing = Check(block, response, &bad);
  ASSERT_EQ(failing.size(), 3u);
  EXPECT_EQ(failing[0].message, "expected 6, got 5");
  EXPECT_EQ(failing[1].message.rfind("invalid regex /((/", 0), 0u) << failing[1].message;
  EXPECT_EQ(failing[2].message, "operator 'greater_than' expects a number, got string \"abc\"");
  for (const auto& outcome : failing) EXPECT_FALSE(outcome.passed);
}

TEST(AssertionPlan, NullBlockIsEmptyAndOtherScalarsAreErrors) {
  Result<AssertionPlan> empty = AssertionPlan::Compile(Value());
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->CheckCount(), 0u);
  EXPECT_TRUE(empty->Evaluate(Value(), FakeResponse{}.View()).empty());
  const Error error = CompileError(J("[1]"));
  EXPECT_EQ(error.reason, "invalid-block");
  EXPECT_EQ(error.pointer, "");
  EXPECT_EQ(CompileError(J(R"({"headers": "x"})")).pointer, "/headers");
}

TEST(AssertionPlan, EqualsComparesNumbersWithTheirText) {
  FakeResponse response;
  response.body = J(R"({"id": "42", "ok": true})");
  const auto outcomes = Check(J(R"({"body": {"id": 42, "ok": "true"}})"), response);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_TRUE(outcomes[1].passed);
}

}  // namespace
}  // namespace flow::core
