#include "core/template/template.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

// A context over one runtime scope, with fake ports.
class TemplateTest : public ::testing::Test {
 protected:
  TemplateTest() {
    runtime = Value::parse(R"({
      "name": "ana", "count": 42, "ratio": 0.5, "whole": 3.0, "big": 1e21, "yes": true,
      "no": false, "nothing": null, "user": {"id": 7, "tags": ["a", "b"]},
      "list": [1, "two", null], "tmpl": "{{name}}", "empty": ""
    })");
    ctx.scopes.runtime = &runtime;
    ctx.environment = &environment;
    ctx.clock = &clock;
    ctx.entropy = &entropy;
  }

  Value Render(std::string_view text) {
    Result<Template> parsed = Template::Parse(text);
    EXPECT_TRUE(parsed.has_value());
    Result<Value> rendered = parsed->Render(ctx);
    EXPECT_TRUE(rendered.has_value()) << text << ": " << rendered.error().message;
    return rendered ? *rendered : Value("<error>");
  }

  Error RenderError(std::string_view text) {
    Result<Value> rendered = Template::Parse(text)->Render(ctx);
    EXPECT_FALSE(rendered.has_value()) << text << " gave " << DumpJson(*rendered);
    return rendered ? Error{} : rendered.error();
  }

  Value runtime;
  testing::FakeEnvironment environment;
  testing::FakeClock clock;
  testing::FakeEntropy entropy;
  InterpolationContext ctx;
};

TEST_F(TemplateTest, PlainTextHasNoExpressionsAndRendersAsIs) {
  const Template plain = *Template::Parse("no placeholders here");
  EXPECT_FALSE(plain.HasExpressions());
  EXPECT_FALSE(plain.IsWholeExpression());
  EXPECT_EQ(plain.source(), "no placeholders here");
  EXPECT_EQ(*plain.Render(ctx), Value("no placeholders here"));
}

TEST_F(TemplateTest, WholeExpressionKeepsTheType) {
  EXPECT_EQ(Render("{{count}}"), Value(42));
  EXPECT_EQ(Render("{{ratio}}"), Value(0.5));
  EXPECT_EQ(Render("{{yes}}"), Value(true));
  EXPECT_EQ(Render("{{nothing}}"), Value(nullptr));
  EXPECT_TRUE(DeepEqual(Render("{{user}}"), runtime["user"]));
  EXPECT_TRUE(DeepEqual(Render("{{list}}"), runtime["list"]));
  EXPECT_EQ(Render("{{name}}"), Value("ana"));
}

TEST_F(TemplateTest, WholeExpressionAllowsSpacesInsideTheBraces) {
  const Template spaced = *Template::Parse("{{  count \t}}");
  EXPECT_TRUE(spaced.IsWholeExpression());
  EXPECT_EQ(*spaced.Render(ctx), Value(42));
  EXPECT_EQ(Render("{{ user }}")["id"], Value(7));
}

TEST_F(TemplateTest, TextAroundTheBracesMakesItMixed) {
  EXPECT_FALSE(Template::Parse(" {{count}}")->IsWholeExpression());
  EXPECT_FALSE(Template::Parse("{{count}}{{count}}")->IsWholeExpression());
  EXPECT_EQ(Render(" {{count}}"), Value(" 42"));
  EXPECT_EQ(Render("{{count}}{{count}}"), Value("4242"));
}

TEST_F(TemplateTest, MixedTextWritesEveryTypeAsText) {
  EXPECT_EQ(Render("n={{count}}"), Value("n=42"));
  EXPECT_EQ(Render("r={{ratio}}"), Value("r=0.5"));
  EXPECT_EQ(Render("w={{whole}}"), Value("w=3"));
  EXPECT_EQ(Render("b={{big}}"), Value("b=1e+21"));
  EXPECT_EQ(Render("{{yes}}/{{no}}"), Value("true/false"));
  EXPECT_EQ(Render("x={{nothing}}"), Value("x=null"));
  EXPECT_EQ(Render("s={{name}}"), Value("s=ana"));
  EXPECT_EQ(Render("e=[{{empty}}]"), Value("e=[]"));
  EXPECT_EQ(Render("u={{user}}"), Value(R"(u={"id":7,"tags":["a","b"]})"));
  EXPECT_EQ(Render("l={{list}}"), Value(R"(l=[1,"two",null])"));
}

TEST_F(TemplateTest, RendersMoreThanTenPlaceholders) {
  std::string text;
  std::string expected;
  for (int i = 0; i < 25; ++i) {
    text += "{{count}},";
    expected += "42,";
  }
  EXPECT_EQ(Render(text), Value(expected));
}

TEST_F(TemplateTest, DoesNotExpandSubstitutedTextAgain) {
  EXPECT_EQ(Render("v={{tmpl}}"), Value("v={{name}}"));
  EXPECT_EQ(Render("{{tmpl}}"), Value("{{name}}"));
}

TEST_F(TemplateTest, UnclosedBracesAreLiteralText) {
  const Template unclosed = *Template::Parse("a {{name");
  EXPECT_FALSE(unclosed.HasExpressions());
  EXPECT_EQ(*unclosed.Render(ctx), Value("a {{name"));
  EXPECT_EQ(Render("{{"), Value("{{"));
  EXPECT_EQ(Render("{{x} and {{name}}"), Value("{{x} and ana"));
  EXPECT_EQ(Render("a {{ b {{name}}"), Value("a {{ b ana"));
}

TEST_F(TemplateTest, ClosingBracesWithoutOpeningAreLiteral) {
  EXPECT_FALSE(Template::Parse("}} and }")->HasExpressions());
  EXPECT_EQ(Render("}}{{name}}}}"), Value("}}ana}}"));
  EXPECT_EQ(Render(R"({"id": {{count}}})"), Value(R"({"id": 42})"));
}

TEST_F(TemplateTest, NestedBracesBelongToOneExpression) {
  const Template js = *Template::Parse("{{$js: {{count}} + 1}}");
  EXPECT_TRUE(js.IsWholeExpression());
  const Error error = RenderError("{{$js: {{count}} + 1}}");
  EXPECT_EQ(error.reason, kScriptDisabled);  // no script session in this context
  EXPECT_NE(error.message.find("'$js: {{count}} + 1'"), std::string::npos) << error.message;
  // Single braces nest too, so a JMESPath projection stays whole.
  EXPECT_TRUE(Template::Parse("{{users[*].{value: id}}}")->IsWholeExpression());
}

TEST_F(TemplateTest, HostileBraceRunsFinishQuickly) {
  const std::string opens(200'000, '{');
  const Template many = *Template::Parse(opens + "}}");
  EXPECT_EQ(many.source().size(), 200'002u);
  std::string repeated;
  for (int i = 0; i < 20'000; ++i) repeated += "{{ {{name}} ";
  const Template mixed = *Template::Parse(repeated);
  const Value rendered = *mixed.Render(ctx);
  EXPECT_EQ(rendered.get<std::string>().size(), repeated.size() - 20'000 * 5);  // {{name}} -> ana
}

TEST_F(TemplateTest, EnvReadsTheExactNameThenTheFlowTestPrefix) {
  environment.vars = {
      {"API_KEY", "exact"}, {"FLOW_TEST_TOKEN", "prefixed"}, {"FLOW_TEST_API_KEY", "not-this"}};
  EXPECT_EQ(Render("{{$env.API_KEY}}"), Value("exact"));
  EXPECT_EQ(Render("{{ $env.TOKEN }}"), Value("prefixed"));
  EXPECT_EQ(Render("{{$env.FLOW_TEST_TOKEN}}"), Value("prefixed"));
}

TEST_F(TemplateTest, MissingEnvIsNull) {
  EXPECT_EQ(Render("{{$env.MISSING}}"), Value(nullptr));
  EXPECT_EQ(Render("k={{$env.MISSING}}"), Value("k=null"));
}

TEST_F(TemplateTest, NowIsIsoUtcWithMillisecondsFromTheClock) {
  clock.unix_ms = 1'796'394'176'123;
  EXPECT_EQ(Render("{{$now}}"), Value("2026-12-04T14:22:56.123Z"));
  EXPECT_EQ(Render("at {{ $now }}"), Value("at 2026-12-04T14:22:56.123Z"));
}

TEST_F(TemplateTest, TimestampIsAnIntegerOfMilliseconds) {
  clock.unix_ms = 1'700'000'000'123;
  const Value stamp = Render("{{$timestamp}}");
  EXPECT_TRUE(stamp.is_number_integer());
  EXPECT_EQ(stamp.get<std::int64_t>(), 1'700'000'000'123);
  EXPECT_EQ(Render("t={{$timestamp}}"), Value("t=1700000000123"));
}

TEST_F(TemplateTest, UuidIsVersionFourAndFreshEachTime) {
  const Value first = Render("{{$uuid}}");
  const Value second = Render("{{$uuid}}");
  ASSERT_TRUE(first.is_string());
  const std::string uuid = first.get<std::string>();
  ASSERT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '4');
  EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos);
  EXPECT_NE(first, second);
}

TEST_F(TemplateTest, RandomIsAnIntegerBelowAMillion) {
  for (int i = 0; i < 100; ++i) {
    const Value random = Render("{{$random}}");
    ASSERT_TRUE(random.is_number_integer());
    EXPECT_GE(random.get<std::int64_t>(), 0);
    EXPECT_LT(random.get<std::int64_t>(), 1'000'000);
  }
}

TEST_F(TemplateTest, BuiltinsWithoutTheirPortAreInternalErrors) {
  ctx.clock = nullptr;
  ctx.entropy = nullptr;
  ctx.environment = nullptr;
  EXPECT_EQ(RenderError("{{$now}}").code, ErrorCode::kInternal);
  EXPECT_EQ(RenderError("{{$uuid}}").code, ErrorCode::kInternal);
  EXPECT_EQ(RenderError("{{$env.X}}").code, ErrorCode::kInternal);
}

TEST_F(TemplateTest, UnknownVariableIsAnErrorWithAHint) {
  runtime["token"] = "t";
  const Error error = RenderError("Bearer {{tokn}}");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.reason, "unresolved-variable");
  EXPECT_EQ(error.message, "unknown variable 'tokn'");
  EXPECT_EQ(error.hint, "did you mean 'token'?");
}

TEST_F(TemplateTest, UnknownBuiltinSuggestsTheRightOne) {
  const Error error = RenderError("{{$uid}}");
  EXPECT_EQ(error.message, "unknown variable '$uid'");
  EXPECT_EQ(error.hint, "did you mean '$uuid'?");
}

TEST_F(TemplateTest, MissingKeyNamesTheObjectAndSuggestsItsKeys) {
  runtime["user"]["email"] = "a@b.c";
  const Error error = RenderError("{{user.emial}}");
  EXPECT_EQ(error.reason, "unresolved-variable");
  EXPECT_EQ(error.message, "variable 'user' has no 'emial'");
  EXPECT_EQ(error.hint, "did you mean 'email'?");
}

TEST_F(TemplateTest, LiteralPolicyKeepsThePlaceholderAndWarns) {
  std::vector<std::string> warnings;
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  ctx.warnings = &warnings;
  EXPECT_EQ(Render("Bearer {{ x }} for {{name}}"), Value("Bearer {{ x }} for ana"));
  EXPECT_EQ(Render("{{ x }}"), Value("{{ x }}"));
  EXPECT_EQ(Render("{{user.nope}}"), Value("{{user.nope}}"));
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0], "unresolved variable 'x' sent literally");
  EXPECT_EQ(warnings[1], "unresolved variable 'x' sent literally");
  EXPECT_EQ(warnings[2], "unresolved variable 'user.nope' sent literally");
}

TEST_F(TemplateTest, LiteralPolicyWarningCarriesTheHint) {
  std::vector<std::string> warnings;
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  ctx.warnings = &warnings;
  EXPECT_EQ(Render("{{nme}}"), Value("{{nme}}"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "unresolved variable 'nme' sent literally (did you mean 'name'?)");
}

TEST_F(TemplateTest, LiteralPolicyWorksWithoutAWarningList) {
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  EXPECT_EQ(Render("a{{x}}b"), Value("a{{x}}b"));
}

TEST_F(TemplateTest, EmptyExpressionIsAnErrorOrLiteral) {
  EXPECT_EQ(RenderError("a{{}}b").reason, "syntax");
  EXPECT_EQ(RenderError("{{   }}").reason, "syntax");
  std::vector<std::string> warnings;
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  ctx.warnings = &warnings;
  EXPECT_EQ(Render("a{{}}b"), Value("a{{}}b"));
  EXPECT_EQ(warnings.size(), 1u);
}

TEST_F(TemplateTest, MalformedPathIsASyntaxErrorOrLiteral) {
  const Error error = RenderError("{{user.tags[0}}");
  EXPECT_EQ(error.reason, "syntax");
  EXPECT_EQ(error.message, "invalid variable path 'user.tags[0': expected ']'");
  EXPECT_EQ(RenderError("{{a..b}}").reason, "syntax");
  EXPECT_EQ(RenderError("{{a b}}").message, "invalid variable path 'a b': unexpected a space");
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  EXPECT_EQ(Render("{{a b}}"), Value("{{a b}}"));
}

TEST_F(TemplateTest, FakerCallsGoToTheScriptSessionWithDataArguments) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  engine.On("person.firstName", [](const Value&) { return Value("Ana"); });
  engine.On("number.int", [](const Value&) { return Value(7); });
  EXPECT_EQ(Render("{{$faker.person.firstName}}"), Value("Ana"));
  EXPECT_EQ(Render("{{faker.person.firstName}}"), Value("Ana"));
  EXPECT_EQ(Render(R"(n={{ $faker.number.int({"min": 1, "max": 9}) }})"), Value("n=7"));
  EXPECT_EQ(Render("{{faker.number.int(1, 9)}}"), Value(7));  // typed: a whole expression
  EXPECT_EQ(Render("{{faker.number.int({'min': 2})}}"), Value(7));  // quotes swapped
  ASSERT_EQ(engine.calls.size(), 5u);
  EXPECT_EQ(engine.calls[0].kind, ScriptCallKind::kFaker);
  EXPECT_EQ(engine.calls[0].args, Value::array());
  EXPECT_EQ(engine.calls[2].args, Value::parse(R"([{"min": 1, "max": 9}])"));
  EXPECT_EQ(engine.calls[3].args, Value::parse("[1, 9]"));
  EXPECT_EQ(engine.calls[4].args, Value::parse(R"([{"min": 2}])"));
}

TEST_F(TemplateTest, FakerArgumentsThatAreNotDataRunAsJavaScript) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  engine.On("faker.number.int({min: 1, max: count})",
            [](const Value& b) { return Value(b.at("count").get<int>() - 1); });
  EXPECT_EQ(Render("{{faker.number.int({min: 1, max: count})}}"), Value(41));
  ASSERT_EQ(engine.calls.size(), 1u);
  EXPECT_EQ(engine.calls[0].kind, ScriptCallKind::kExpression);
  EXPECT_EQ(engine.calls[0].bindings, Value::parse(R"({"count": 42})"));  // faker is not bound
}

TEST_F(TemplateTest, MalformedFakerCallsAreSyntaxErrors) {
  for (const char* text : {"{{faker.person}}", "{{$faker.}}", "{{faker.a.b(}}", "{{faker.a.b c}}"}) {
    const Error error = RenderError(text);
    EXPECT_EQ(error.reason, "script-check") << text;
    EXPECT_NE(error.message.find("invalid faker call"), std::string::npos) << error.message;
  }
}

TEST_F(TemplateTest, JavaScriptFormsBindTheVariablesTheyName) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  const auto echo = [](const Value& b) { return b; };
  for (const char* code : {"count > 3", "1 + 1", "return user.id", "a || b", "variables.count"}) {
    engine.On(code, echo);
  }
  EXPECT_EQ(Render("{{js: count > 3}}"), Value::parse(R"({"count": 42})"));
  EXPECT_EQ(Render("{{$js: 1 + 1}}"), Value::object());
  EXPECT_EQ(Render("{{$js.return user.id}}"), Value::parse(R"({"user": {"id": 7, "tags": ["a", "b"]}})"));
  EXPECT_EQ(Render("{{a || b}}"), Value::object());  // unknown names are not bound
  EXPECT_EQ(Render("{{js: variables.count}}").at("variables").at("count"), Value(42));
  ASSERT_EQ(engine.calls.size(), 5u);
  EXPECT_EQ(engine.calls[0].kind, ScriptCallKind::kExpression);
  EXPECT_EQ(engine.calls[2].kind, ScriptCallKind::kBlock);
  EXPECT_EQ(engine.calls[2].code, "return user.id");
}

TEST_F(TemplateTest, InnerTemplatesArePastedIntoTheCodeAsText) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  engine.On("42 + 1", [](const Value&) { return Value(43); });
  engine.On("'ana'.toUpperCase()", [](const Value&) { return Value("ANA"); });
  EXPECT_EQ(Render("{{$js: {{count}} + 1}}"), Value(43));
  EXPECT_EQ(Render("{{js: '{{name}}'.toUpperCase()}}"), Value("ANA"));
}

TEST_F(TemplateTest, ForbiddenJavaScriptIsRefusedBeforeItRuns) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  const Error error = RenderError("{{js: require('fs')}}");
  EXPECT_EQ(error.reason, "script-check");
  EXPECT_NE(error.message.find("'require' is not available"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("line 1, column 1"), std::string::npos) << error.message;
  EXPECT_TRUE(engine.calls.empty());
  // An operator inside a word is fine: photos.length is not "os."
  engine.On("photos.length > 0", [](const Value&) { return Value(true); });
  runtime["photos"] = Value::array({1});
  EXPECT_EQ(Render("{{photos.length > 0}}"), Value(true));
}

TEST_F(TemplateTest, ScriptErrorsAndConsoleComeBack) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  std::vector<ScriptLogLine> console;
  ctx.script_console = &console;
  engine.answers["noisy()"] = [](const ScriptCall&) -> Result<ScriptOutcome> {
    ScriptOutcome out;
    out.value = 1;
    out.console.push_back({"log", "hello"});
    return out;
  };
  EXPECT_EQ(Render("{{js: noisy()}}"), Value(1));
  EXPECT_EQ(console, (std::vector<ScriptLogLine>{{"log", "hello"}}));
  EXPECT_EQ(RenderError("{{js: missing()}}").reason, kScriptException);
}

TEST_F(TemplateTest, DirectFormsCompileToScriptExpressions) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  ctx.script = session.get();
  engine.On("person.fullName", [](const Value&) { return Value("Ana Lima"); });
  engine.On("return count * 2", [](const Value& b) { return Value(b.at("count").get<int>() * 2); });
  engine.On("Math.max(count, 50)", [](const Value&) { return Value(50); });
  const Value source = Value::parse(
      R"j({"name": "#faker.person.fullName", "double": "$return count * 2",
          "max": "$Math.max(count, 50)", "price": "$100", "tag": "#tag", "path": "@body.id",
          "home": "$env.HOME"})j");
  environment.vars["HOME"] = "/home/ana";
  Result<CompiledValue> compiled = CompiledValue::Compile(source);
  ASSERT_TRUE(compiled);
  EXPECT_EQ(*compiled->Render(ctx),
            Value::parse(R"({"name": "Ana Lima", "double": 84, "max": 50, "price": "$100",
                             "tag": "#tag", "path": "@body.id", "home": "/home/ana"})"));
  const std::vector<ScriptUse> uses = compiled->ScriptUses();
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0].pointer, "/name");
  EXPECT_TRUE(uses[0].faker);
  EXPECT_EQ(uses[1].pointer, "/double");
  EXPECT_EQ(uses[2].code, "Math.max(count, 50)");
}

TEST_F(TemplateTest, NotSupportedStaysAnErrorUnderTheLiteralPolicy) {
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  EXPECT_EQ(RenderError("{{$js: 1}}").reason, kScriptDisabled);
  EXPECT_EQ(RenderError("a {{$faker.person.name}}").reason, kScriptDisabled);
}

TEST_F(TemplateTest, NestedTemplateOutsideJavaScriptIsNotSupported) {
  const Error error = RenderError("{{user_{{count}}}}");
  EXPECT_EQ(error.reason, "not-supported");
  EXPECT_EQ(error.message, "nested templates are not supported: 'user_{{count}}'");
}

TEST_F(TemplateTest, CopiesShareTheParsedTemplate) {
  const Template original = *Template::Parse("id={{user.id}}");
  const Template copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(*copy.Render(ctx), Value("id=7"));
  EXPECT_EQ(copy.source(), original.source());
}

TEST(Template, DefaultIsTheEmptyString) {
  const Template empty;
  EXPECT_FALSE(empty.HasExpressions());
  EXPECT_EQ(*empty.Render(InterpolationContext{}), Value(""));
}

TEST(AppendValueText, WritesNumbersLikeJavaScript) {
  std::string out;
  AppendValueText(out, Value(-0.0));
  out += ",";
  AppendValueText(out, Value(-12.0));
  out += ",";
  AppendValueText(out, Value(1.25));
  out += ",";
  AppendValueText(out, Value(std::uint64_t{18446744073709551615ULL}));
  out += ",";
  AppendValueText(out, Value(std::int64_t{-5}));
  EXPECT_EQ(out, "0,-12,1.25,18446744073709551615,-5");
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

TEST(TemplateArithmetic, ArithmeticThatIsNoPathIsJavaScript) {
  testing::FakeScriptEngine engine;
  auto session = std::move(engine.OpenSession({})).value();
  Value vars = Value::parse(R"({"a": 2, "b": 3, "auth-flow": {"token": "t"}})");
  InterpolationContext ctx;
  ctx.scopes.runtime = &vars;
  ctx.script = session.get();
  engine.On("a + b", [](const Value& b) { return Value(b.at("a").get<int>() + b.at("b").get<int>()); });
  engine.On("a - b * 2", [](const Value&) { return Value(-4); });
  EXPECT_EQ(*Template::Parse("{{a + b}}")->Render(ctx), Value(5));
  EXPECT_EQ(*Template::Parse("{{a - b * 2}}")->Render(ctx), Value(-4));
  EXPECT_EQ(*Template::Parse("{{auth-flow.token}}")->Render(ctx), Value("t"));  // a path
  ASSERT_EQ(engine.calls.size(), 2u);
  EXPECT_EQ(engine.calls[0].bindings, Value::parse(R"({"a": 2, "b": 3})"));
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

// The placeholders a converter rewrites are the ones Parse finds, nested braces included.
TEST(TemplatePlaceholders, FindsWhatParseFinds) {
  const std::string text = "a {{x}} b {{$js: {{n}} + {a: 1}.a}} {{ unclosed and }} lone }}";
  std::vector<std::string> found;
  for (const PlaceholderSpan& span : FindTemplatePlaceholders(text)) {
    found.push_back(text.substr(span.begin, span.end - span.begin));
  }
  EXPECT_EQ(found, (std::vector<std::string>{"{{x}}", "{{$js: {{n}} + {a: 1}.a}}", "{{ unclosed and }}"}));
  EXPECT_TRUE(FindTemplatePlaceholders("no braces {here}").empty());
  const std::vector<PlaceholderSpan> open = FindTemplatePlaceholders("{{ never closed {{inner}}");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].begin, 16u);
  EXPECT_EQ(open[0].end, 25u);
}

}  // namespace
}  // namespace flow::core
