#include "core/capture/capture_plan.hpp"

#include <gtest/gtest.h>

namespace flow::core {
namespace {

Value J(const char* text) { return Value::parse(text); }

Value Context() {
  return J(R"({"status_code": 201,
               "headers": {"content-type": "application/json", "location": "/users/7"},
               "body": {"id": 7, "user": {"name": "ann"}, "tags": ["a", "b"], "gone": null},
               "duration_ms": 12.5, "size_bytes": 80})");
}

// Renders by table lookup, like the caller's interpolation would.
CapturePlan::Render TableRender(Value table) {
  return [table = std::move(table)](const std::string& text) -> Result<Value> {
    const auto found = table.find(text);
    if (found == table.end()) return InvalidArgument("unknown variable in '" + text + "'");
    return *found;
  };
}

std::vector<CaptureOutcome> Capture(const Value& block, const CapturePlan::Render& render = {}) {
  Result<CapturePlan> plan = CapturePlan::Compile(block);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  if (!plan) return {};
  return plan->Evaluate(Context(), render);
}

CaptureOutcome CaptureOne(const Value& value, const CapturePlan::Render& render = {}) {
  Value block = Value::object();
  block["x"] = value;
  const std::vector<CaptureOutcome> outcomes = Capture(block, render);
  EXPECT_EQ(outcomes.size(), 1u);
  return outcomes.empty() ? CaptureOutcome{} : outcomes[0];
}

TEST(CapturePlan, NonStringValuesAreStoredLiterally) {
  for (const char* literal : {"3", "true", "null", "[1, 2]", R"({"a": 1})"}) {
    const CaptureOutcome outcome = CaptureOne(J(literal));
    EXPECT_TRUE(outcome.stored) << literal;
    EXPECT_EQ(outcome.value, J(literal));
    EXPECT_EQ(outcome.warning, "");
  }
}

TEST(CapturePlan, TheEntryFormHasAPathAndARedactFlag) {
  const auto outcomes = Capture(J(R"({"token": {"path": "body.user.name", "redact": true},
                                      "id": {"path": "body.id"},
                                      "plain": {"a": 1}})"));
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].value, Value("ann"));
  EXPECT_TRUE(outcomes[0].redact);
  EXPECT_EQ(outcomes[0].pointer, "/token");
  EXPECT_EQ(outcomes[1].value, Value(7));
  EXPECT_FALSE(outcomes[1].redact);
  EXPECT_EQ(outcomes[2].value, J(R"({"a": 1})"));  // no path nor redact: a literal, as before
}

TEST(CapturePlan, TheEntryFormIsChecked) {
  const struct {
    const char* block;
    const char* message;
    const char* pointer;
  } cases[] = {
      {R"({"t": {"path": "body.id", "redcat": true}})", "unknown capture key 'redcat' in capture 't'", "/t/redcat"},
      {R"({"t": {"redact": true}})", "capture 't' needs a 'path' (what to capture)", "/t"},
      {R"({"t": {"path": 5}})", "'path' of capture 't' must be a string, got number", "/t/path"},
      {R"({"t": {"path": "body.id", "redact": "yes"}})", "'redact' of capture 't' must be true or false, got string", "/t/redact"},
      {R"({"t": {"path": "body..id"}})", "invalid capture expression", "/t/path"},
  };
  for (const auto& c : cases) {
    Result<CapturePlan> plan = CapturePlan::Compile(J(c.block));
    ASSERT_FALSE(plan.has_value()) << c.block;
    EXPECT_NE(plan.error().message.find(c.message), std::string::npos) << plan.error().message;
    EXPECT_EQ(plan.error().pointer, c.pointer) << c.block;
  }
}

TEST(CapturePlan, DoubleQuotedStringIsItsInnerText) {
  const CaptureOutcome outcome = CaptureOne(Value("\"body.id\""));
  EXPECT_TRUE(outcome.stored);
  EXPECT_EQ(outcome.value, Value("body.id"));
}

TEST(CapturePlan, PathsRunOverTheContext) {
  const auto outcomes = Capture(J(R"({"id": "body.id", "name": "body.user.name",
                                  "type": "headers.\"content-type\"", "status": "status_code",
                                  "first": "body.tags[0]", "time": "duration_ms",
                                  "raw": "'abc'"})"));
  ASSERT_EQ(outcomes.size(), 7u);
  EXPECT_EQ(outcomes[0].value, J("7"));
  EXPECT_EQ(outcomes[1].value, J("\"ann\""));
  EXPECT_EQ(outcomes[2].value, J("\"application/json\""));
  EXPECT_EQ(outcomes[3].value, J("201"));
  EXPECT_EQ(outcomes[4].value, J("\"a\""));
  EXPECT_EQ(outcomes[5].value, J("12.5"));
  EXPECT_EQ(outcomes[6].value, J("\"abc\""));
  for (const auto& outcome : outcomes) {
    EXPECT_TRUE(outcome.stored) << outcome.name;
    EXPECT_EQ(outcome.warning, "") << outcome.name;
  }
  EXPECT_EQ(outcomes[0].name, "id");
  EXPECT_EQ(outcomes[0].pointer, "/id");
}

TEST(CapturePlan, AtSignIsTheDirectJmespathForm) {
  EXPECT_EQ(CaptureOne(Value("@body.user.name")).value, J("\"ann\""));
  EXPECT_EQ(CaptureOne(Value("@.body.id")).value, J("7"));
  EXPECT_EQ(CaptureOne(Value("@")).value, Context());
  Result<CapturePlan> plan = CapturePlan::Compile(J(R"({"x": "@body.[", "y": 1})"));
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().reason, "invalid-capture");
}

TEST(CapturePlan, PathMatchingNothingStoresNullAndWarns) {
  const CaptureOutcome outcome = CaptureOne(Value("body.missing"));
  EXPECT_TRUE(outcome.stored);
  EXPECT_TRUE(outcome.value.is_null());
  EXPECT_EQ(outcome.warning, "capture 'x': path 'body.missing' matched nothing");
  EXPECT_EQ(CaptureOne(Value("body.gone")).warning,
            "capture 'x': path 'body.gone' matched nothing");
}

TEST(CapturePlan, RuntimeErrorStoresNothingAndWarns) {
  const CaptureOutcome outcome = CaptureOne(Value("abs(body.user)"));
  EXPECT_FALSE(outcome.stored);
  EXPECT_EQ(outcome.warning.rfind("capture 'x': could not evaluate 'abs(body.user)': ", 0), 0u)
      << outcome.warning;
}

TEST(CapturePlan, KeywordAndNumberTextAreLiterals) {
  EXPECT_EQ(CaptureOne(Value("true")).value, J("true"));
  EXPECT_EQ(CaptureOne(Value("false")).value, J("false"));
  const CaptureOutcome null_text = CaptureOne(Value("null"));
  EXPECT_TRUE(null_text.stored);
  EXPECT_TRUE(null_text.value.is_null());
  EXPECT_EQ(null_text.warning, "");
  EXPECT_EQ(CaptureOne(Value("42")).value, J("42"));
  EXPECT_EQ(CaptureOne(Value("-1.5")).value, J("-1.5"));
  EXPECT_TRUE(CaptureOne(Value("42")).value.is_number_integer());
}

TEST(CapturePlan, TextWithASlashIsStoredAsText) {
  EXPECT_EQ(CaptureOne(Value("https://api.example.com/v1")).value,
            J("\"https://api.example.com/v1\""));
  EXPECT_EQ(CaptureOne(Value("a/b c")).value, J("\"a/b c\""));
}

TEST(CapturePlan, OtherInvalidExpressionsAreCompileErrors) {
  Result<CapturePlan> plan = CapturePlan::Compile(J(R"({"ok": "body.id", "bad": "body..id"})"));
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message.rfind("invalid capture expression 'body..id': ", 0), 0u)
      << plan.error().message;
  EXPECT_EQ(plan.error().pointer, "/bad");
  EXPECT_EQ(plan.error().reason, "invalid-capture");
  EXPECT_EQ(CapturePlan::Compile(J(R"({"e": "  "})")).error().message,
            "capture 'e' has an empty expression");
}

TEST(CapturePlan, TemplatesAreRenderedThenUsedAsExpressions) {
  const CapturePlan::Render render = TableRender(J(R"({
      "body.{{field}}": "body.id", "{{count}}": 3, "{{uuid}}": "3f2a-9c1e",
      "{{flag}}": "true", "{{name}}": "ann", "{{nested}}": "@body.user.name"})"));
  const auto outcomes = Capture(J(R"({"path": "body.{{field}}", "typed": "{{count}}",
                                  "text": "{{uuid}}", "keyword": "{{flag}}",
                                  "word": "{{name}}", "direct": "{{nested}}"})"),
                                render);
  ASSERT_EQ(outcomes.size(), 6u);
  EXPECT_EQ(outcomes[0].value, J("7"));              // rendered, then a path
  EXPECT_EQ(outcomes[1].value, J("3"));              // not a string: stored as rendered
  EXPECT_EQ(outcomes[2].value, J("\"3f2a-9c1e\""));  // not JMESPath: the rendered text
  EXPECT_EQ(outcomes[3].value, J("true"));
  EXPECT_TRUE(outcomes[4].value.is_null());  // a path that matched nothing: reported
  EXPECT_EQ(outcomes[4].warning, "capture 'word': path 'ann' matched nothing");
  EXPECT_EQ(outcomes[5].value, J("\"ann\""));
  for (const auto& outcome : outcomes) EXPECT_TRUE(outcome.stored) << outcome.name;
}

TEST(CapturePlan, RenderErrorStoresNothingAndWarns) {
  const CaptureOutcome outcome = CaptureOne(Value("{{missing}}"), TableRender(Value::object()));
  EXPECT_FALSE(outcome.stored);
  EXPECT_EQ(outcome.warning, "capture 'x': unknown variable in '{{missing}}'");
  const CaptureOutcome no_renderer = CaptureOne(Value("{{a}}"));
  EXPECT_FALSE(no_renderer.stored);
  EXPECT_EQ(no_renderer.warning, "capture 'x': no template renderer for '{{a}}'");
}

TEST(CapturePlan, BlockShapeErrors) {
  Result<CapturePlan> empty = CapturePlan::Compile(Value());
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->size(), 0u);
  Result<CapturePlan> list = CapturePlan::Compile(J("[1]"));
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error().reason, "invalid-block");
  EXPECT_EQ(list.error().pointer, "");
  EXPECT_EQ(CapturePlan::Compile(J(R"({"": "body.id"})")).error().message, "empty capture name");
}

TEST(CapturePlan, KeepsBlockOrderAndEscapesPointers) {
  const auto outcomes = Capture(J(R"({"b": 1, "a/x": 2, "c~": 3})"));
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].name, "b");
  EXPECT_EQ(outcomes[1].pointer, "/a~1x");
  EXPECT_EQ(outcomes[2].pointer, "/c~0");
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(CapturePlanLeniency, BracketKeysAreReadAsQuotedIdentifiersWithAWarning) {
  Result<CapturePlan> plan = CapturePlan::Compile(Value{{"ct", "headers['content-type']"}});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->warnings().size(), 1u);
  EXPECT_EQ(plan->warnings()[0].reason, "bracket-key");
  const Value context = {{"headers", {{"content-type", "text/plain"}}}};
  const std::vector<CaptureOutcome> out = plan->Evaluate(context, {});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, "text/plain");
}

TEST(CapturePlanLeniency, ProseIsCapturedAsTextAndUnknownFunctionsCaptureNothing) {
  Result<CapturePlan> plan = CapturePlan::Compile(
      Value{{"note", "Check individual results"}, {"groups", "items | group_by(@, &kind)"}});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->warnings().size(), 2u);
  EXPECT_EQ(plan->warnings()[1].reason, "unknown-function");
  const std::vector<CaptureOutcome> out = plan->Evaluate(Value{{"items", Value::array()}}, {});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].stored);
  EXPECT_EQ(out[0].value, "Check individual results");
  EXPECT_FALSE(out[1].stored);
  EXPECT_NE(out[1].warning.find("group_by"), std::string::npos);
}

TEST(CapturePlanLeniency, OtherInvalidExpressionsRemainErrors) {
  EXPECT_FALSE(CapturePlan::Compile(Value{{"x", "body.[oops"}}));
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(CapturePlanScripts, JavaScriptValuesAreRenderedAndStoredWithTheirType) {
  std::vector<std::string> rendered;
  const CapturePlan::Render render = [&](const std::string& text) -> Result<Value> {
    rendered.push_back(text);
    return Value(rendered.size() == 1 ? Value(true) : Value(3));
  };
  const std::vector<CaptureOutcome> out = Capture(
      Value{{"adult", "$age >= 18"}, {"count", "{{$js.return body.items.length}}"},
            {"env", "$env.HOME"}},
      render);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(rendered.at(0), "{{$js: age >= 18}}");
  EXPECT_EQ(rendered.at(1), "{{$js.return body.items.length}}");
  EXPECT_TRUE(out[0].stored);
  EXPECT_EQ(out[0].value, true);   // not re-read as JMESPath
  EXPECT_EQ(out[1].value, 3);
  EXPECT_EQ(rendered.at(2), "$env.HOME");  // the environment, rendered like the others
}

}  // namespace
}  // namespace flow::core
