#include "adapters/script_mozjs/host/sandbox_messages.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>

#include "adapters/script_mozjs/protocol.hpp"
#include "core/value.hpp"

namespace flow::adapters::sandbox {
namespace {

using core::ScriptCall;
using core::ScriptCallKind;
using core::Value;

ScriptCall Call(std::string code) {
  ScriptCall call;
  call.code = std::move(code);
  call.file = "suites/login.yaml";
  call.line = 12;
  call.column = 9;
  return call;
}

Value Parse(const std::string& text) { return Value::parse(text); }

TEST(SandboxMessages, OpenRequestCarriesSeedAndLocale) {
  core::Result<std::string> seeded = BuildOpenRequest({.faker_seed = 42, .faker_locale = "pt_BR"});
  ASSERT_TRUE(seeded);
  EXPECT_EQ(*seeded, R"({"op":"open","seed":42,"locale":"pt_BR"})");
  core::Result<std::string> unseeded = BuildOpenRequest({});
  ASSERT_TRUE(unseeded);
  EXPECT_EQ(*unseeded, R"({"op":"open","seed":null,"locale":"en"})");
}

TEST(SandboxMessages, OpenRequestRefusesAnUnknownLocale) {
  core::Result<std::string> request = BuildOpenRequest({.faker_locale = "de"});
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().message, "unknown faker locale 'de'");
  EXPECT_EQ(request.error().hint, "use 'en' or 'pt_BR'");
}

TEST(SandboxMessages, EvalRequestHasEveryField) {
  ScriptCall call = Call("a + 1");
  call.kind = ScriptCallKind::kBlock;
  call.bindings = Value{{"a", 41}, {"s", "h\u00e9\"llo"}};
  call.read_back = {"request"};
  call.budget = {.cpu_ms = 250, .memory_mb = 32, .output_bytes = 1000};
  core::Result<std::string> request = BuildEvalRequest(call);
  ASSERT_TRUE(request) << request.error().message;
  const Value parsed = Parse(*request);
  EXPECT_EQ(parsed["op"], "eval");
  EXPECT_EQ(parsed["kind"], "block");
  EXPECT_EQ(parsed["code"], "a + 1");
  EXPECT_EQ(parsed["args"], Value::array());
  EXPECT_EQ(parsed["bind"]["a"], 41);
  EXPECT_EQ(parsed["bind"]["s"], "h\u00e9\"llo");
  EXPECT_EQ(parsed["read_back"], Value::array({"request"}));
  EXPECT_EQ(parsed["file"], "suites/login.yaml");
  EXPECT_EQ(parsed["line"], 12);
  EXPECT_EQ(parsed["col"], 9);
  EXPECT_EQ(parsed["cpu_ms"], 250);
  EXPECT_EQ(parsed["mem_mb"], 32);
  EXPECT_EQ(parsed["out_bytes"], 1000);
}

TEST(SandboxMessages, FakerRequestCarriesItsArguments) {
  ScriptCall call = Call("number.int");
  call.kind = ScriptCallKind::kFaker;
  call.args = Value::array({Value{{"min", 1}, {"max", 9}}});
  core::Result<std::string> request = BuildEvalRequest(call);
  ASSERT_TRUE(request);
  const Value parsed = Parse(*request);
  EXPECT_EQ(parsed["kind"], "faker");
  EXPECT_EQ(parsed["args"][0]["max"], 9);
}

Value Nested(int levels) {
  Value v = 1;
  for (int i = 0; i < levels; ++i) v = Value::array({std::move(v)});
  return v;
}

TEST(SandboxMessages, BindingsDeeperThanTheLimitAreRefusedBeforeSending) {
  ScriptCall ok = Call("a");
  ok.bindings = Value::object();
  ok.bindings["a"] = Nested(kMaxBindingDepth - 1);  // 256 levels with the bindings object
  EXPECT_TRUE(BuildEvalRequest(ok));
  ScriptCall deep = Call("a");
  deep.bindings = Value::object();
  deep.bindings["a"] = Nested(kMaxBindingDepth);
  core::Result<std::string> request = BuildEvalRequest(deep);
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().message, "javascript bindings nest deeper than 256 levels");
  EXPECT_EQ(request.error().reason, core::kScriptException);
  ScriptCall deep_args = Call("helpers.arrayElement");
  deep_args.kind = ScriptCallKind::kFaker;
  deep_args.args = Value::array({Nested(100000)});
  ASSERT_FALSE(BuildEvalRequest(deep_args));
}

TEST(SandboxMessages, RequestOverTheFrameLimitIsRefused) {
  ScriptCall call = Call("a");
  call.bindings["a"] = std::string(kMaxRequestBytes, 'x');
  core::Result<std::string> request = BuildEvalRequest(call);
  ASSERT_FALSE(request);
  EXPECT_NE(request.error().message.find("over the sandbox's limit of 16 MiB"), std::string::npos)
      << request.error().message;
}

TEST(SandboxMessages, BindingsMustBeAnObjectAndBudgetsPositive) {
  ScriptCall call = Call("a");
  call.bindings = Value::array();
  EXPECT_EQ(BuildEvalRequest(call).error().message, "javascript bindings must be an object");
  ScriptCall zero = Call("a");
  zero.budget.cpu_ms = 0;
  ASSERT_FALSE(BuildEvalRequest(zero));
}

TEST(SandboxMessages, ValueReplyBecomesAnOutcome) {
  const EvalReply reply = ParseEvalReply(
      R"({"ok":true,"type":"number","value":42,"undefined":false,"set":{"k":1},)"
      R"("read_back":{"request":{"url":"/x"}},"console":[["log","hi"],["warn","careful"]]})",
      Call("a + 1"));
  ASSERT_TRUE(reply.outcome) << reply.outcome.error().message;
  EXPECT_FALSE(reply.recycle);
  EXPECT_FALSE(reply.protocol_error);
  EXPECT_EQ(reply.outcome->value, 42);
  EXPECT_EQ(reply.outcome->type, "number");
  EXPECT_FALSE(reply.outcome->is_undefined);
  EXPECT_EQ(reply.outcome->set_variables, Value({{"k", 1}}));
  EXPECT_EQ(reply.outcome->read_back["request"]["url"], "/x");
  ASSERT_EQ(reply.outcome->console.size(), 2u);
  EXPECT_EQ(reply.outcome->console[1], (core::ScriptLogLine{"warn", "careful"}));
}

TEST(SandboxMessages, UndefinedReplyIsNullMarkedUndefined) {
  const EvalReply reply =
      ParseEvalReply(R"({"ok":true,"type":"undefined","undefined":true})", Call("x"));
  ASSERT_TRUE(reply.outcome);
  EXPECT_TRUE(reply.outcome->value.is_null());
  EXPECT_TRUE(reply.outcome->is_undefined);
  EXPECT_EQ(reply.outcome->type, "undefined");
}

TEST(SandboxMessages, ErrorKindsMapToTheReasons) {
  const std::pair<const char*, const char*> kinds[] = {
      {"exception", core::kScriptException}, {"syntax", core::kScriptSyntax},
      {"cpu", core::kScriptCpuBudget},       {"memory", core::kScriptMemoryBudget},
      {"output", core::kScriptOutputBudget}, {"invalid", core::kScriptException}};
  for (const auto& [kind, reason] : kinds) {
    const std::string text = std::string(R"({"ok":false,"error":{"kind":")") + kind +
                             R"(","message":"it failed","line":0,"col":0}})";
    const EvalReply reply = ParseEvalReply(text, Call("x"));
    ASSERT_FALSE(reply.outcome) << kind;
    EXPECT_EQ(reply.outcome.error().reason, reason) << kind;
    EXPECT_EQ(reply.outcome.error().message, "it failed");
    EXPECT_EQ(reply.outcome.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_FALSE(reply.outcome.error().where) << kind;
    EXPECT_FALSE(reply.protocol_error);
  }
}

TEST(SandboxMessages, ExceptionPositionIsMappedIntoTheSuiteFile) {
  const EvalReply same_line = ParseEvalReply(
      R"({"ok":false,"error":{"kind":"exception","message":"TypeError: a.foo is undefined",)"
      R"("line":1,"col":5},"console":[["log","before"]],"recycle":false})",
      Call("a + a.foo.bar"));
  ASSERT_FALSE(same_line.outcome);
  const core::Error& error = same_line.outcome.error();
  ASSERT_TRUE(error.where);
  EXPECT_EQ(*error.where,
            (core::SourceSpan{.file = "suites/login.yaml", .line = 12, .column = 13}));
  EXPECT_EQ(error.hint, "console output before the failure:\n  log: before");
  const EvalReply later_line = ParseEvalReply(
      R"({"ok":false,"error":{"kind":"syntax","message":"SyntaxError: x","line":3,"col":4}})",
      Call("a\nb\nc d"));
  ASSERT_TRUE(later_line.outcome.error().where);
  EXPECT_EQ(later_line.outcome.error().where->line, 14);
  EXPECT_EQ(later_line.outcome.error().where->column, 4);
}

TEST(SandboxMessages, BlockScalarLinesKeepTheirIndentation) {
  ScriptCall call = Call("a\nb c");
  call.line = 8;
  call.column = 9;
  call.continuation_column = 9;
  const std::optional<core::SourceSpan> at = MapPosition(call, 2, 3);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->line, 9);
  EXPECT_EQ(at->column, 11);
}

TEST(SandboxMessages, PositionIsUnknownWhenTheCallHasNoLine) {
  ScriptCall call = Call("x");
  call.line = 0;
  call.column = 0;
  EXPECT_FALSE(MapPosition(call, 1, 1));
  EXPECT_FALSE(MapPosition(Call("x"), 0, 0));
  EXPECT_EQ(MapPosition(Call("x"), 2, 0)->column, 0);
}

TEST(SandboxMessages, RecycleIsReported) {
  const EvalReply reply = ParseEvalReply(
      R"({"ok":false,"error":{"kind":"cpu","message":"cpu budget of 5 ms exceeded"},"recycle":true})",
      Call("for(;;);"));
  ASSERT_FALSE(reply.outcome);
  EXPECT_TRUE(reply.recycle);
  EXPECT_EQ(reply.outcome.error().reason, core::kScriptCpuBudget);
}

TEST(SandboxMessages, MalformedRepliesAreProtocolErrors) {
  for (const char* text : {"not json", "[1]", R"({"type":"number"})", R"({"ok":true})",
                           R"({"ok":false,"error":{"kind":"boom","message":"m"}})",
                           R"({"ok":false})", R"({"ok":true,"type":"number","console":[["log"]]})",
                           R"({"ok":true,"type":"number","set":[1]})"}) {
    const EvalReply reply = ParseEvalReply(text, Call("x"));
    ASSERT_FALSE(reply.outcome) << text;
    EXPECT_TRUE(reply.protocol_error) << text;
    EXPECT_EQ(reply.outcome.error().reason, core::kScriptHelperFailed) << text;
    EXPECT_EQ(reply.outcome.error().code, core::ErrorCode::kUnavailable) << text;
  }
}

TEST(SandboxMessages, ResultTooDeepIsAnOutputErrorNotAProtocolError) {
  std::string value(300, '[');
  value += std::string(300, ']');
  const EvalReply reply =
      ParseEvalReply(R"({"ok":true,"type":"object","value":)" + value + "}", Call("x"));
  ASSERT_FALSE(reply.outcome);
  EXPECT_FALSE(reply.protocol_error);
  EXPECT_EQ(reply.outcome.error().reason, core::kScriptOutputBudget);
}

TEST(SandboxMessages, ReadyAndAck) {
  core::Result<ReadyInfo> ready =
      ParseReady(R"({"op":"ready","protocol":1,"mozjs":"102.15.1","faker":"9.9.0",)"
                 R"("start_us":12345})");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->mozjs, "102.15.1");
  EXPECT_EQ(ready->faker, "9.9.0");
  EXPECT_EQ(ready->start_us, 12345);
  EXPECT_FALSE(ParseReady(R"({"op":"hello"})"));
}

TEST(SandboxMessages, ReadyFromAnotherBuildIsRefused) {
  for (const char* text : {R"({"op":"ready","mozjs":"102.15.1"})",
                           R"({"op":"ready","protocol":999,"mozjs":"102.15.1"})",
                           R"({"op":"ready","protocol":"1","mozjs":"102.15.1"})"}) {
    core::Result<ReadyInfo> ready = ParseReady(text);
    ASSERT_FALSE(ready) << text;
    EXPECT_NE(ready.error().message.find("install flowtest and flowtest-sandbox together"),
              std::string::npos)
        << ready.error().message;
  }
}

TEST(SandboxMessages, AckAndRefusal) {
  EXPECT_TRUE(ParseAck(R"({"ok":true,"us":5123})"));
  core::Result<void> refused = ParseAck(R"({"ok":false,"error":{"message":"no faker"}})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "the javascript sandbox helper refused: no faker");
}

TEST(SandboxMessages, ConsoleHintIsCapped) {
  std::vector<core::ScriptLogLine> many(1000, {"log", std::string(50, 'x')});
  const std::string hint = FormatConsoleHint(many);
  EXPECT_LE(hint.size(), kMaxConsoleHintBytes + 64);
  EXPECT_NE(hint.find("more lines)"), std::string::npos);
  EXPECT_EQ(FormatConsoleHint({}), "");
  const std::string one_long = FormatConsoleHint({{"log", std::string(10000, 'y')}});
  EXPECT_LE(one_long.size(), kMaxConsoleHintBytes);
  EXPECT_NE(one_long.find("yyy"), std::string::npos);
}

TEST(SandboxMessages, WaitStatusIsDescribed) {
  EXPECT_EQ(DescribeWaitStatus(3 << 8), "exited with code 3");
  EXPECT_EQ(DescribeWaitStatus(SIGKILL), "was killed by SIGKILL");
  EXPECT_EQ(DescribeWaitStatus(SIGSEGV), "was killed by SIGSEGV");
  EXPECT_EQ(DescribeWaitStatus(SIGSYS),
            "was killed by SIGSYS (stopped by the sandbox's system-call filter)");
}

}  // namespace
}  // namespace flow::adapters::sandbox
