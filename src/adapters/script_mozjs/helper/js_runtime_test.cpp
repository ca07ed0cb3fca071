#include "adapters/script_mozjs/helper/js_runtime.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>

namespace flow::adapters::sandbox {
namespace {

using core::Value;

// JS_Init runs once per process, so every test shares one runtime.
JsRuntime& Runtime() {
  static std::unique_ptr<JsRuntime> runtime = [] {
    core::Result<std::unique_ptr<JsRuntime>> made = JsRuntime::Create();
    if (!made) {
      std::fprintf(stderr, "JsRuntime::Create failed: %s\n", made.error().message.c_str());
      std::abort();
    }
    return std::move(made).value();
  }();
  return *runtime;
}

Value Request(const std::string& kind, const std::string& code, Value extra = Value::object()) {
  Value request = {{"op", "eval"}, {"kind", kind}, {"code", code}};
  for (auto& [key, value] : extra.items()) request[key] = value;
  return request;
}

Value Expr(const std::string& code, Value extra = Value::object()) {
  return Runtime().Evaluate(Request("expression", code, std::move(extra)));
}
Value Block(const std::string& code, Value extra = Value::object()) {
  return Runtime().Evaluate(Request("block", code, std::move(extra)));
}
Value Faker(const std::string& path, Value args = Value::array()) {
  return Runtime().Evaluate(Request("faker", path, {{"args", std::move(args)}}));
}

std::string ErrorField(const Value& reply, const char* key) {
  const auto error = reply.find("error");
  if (error == reply.end() || !error->is_object()) return "";
  const auto field = error->find(key);
  return field != error->end() && field->is_string() ? field->get<std::string>() : "";
}
std::string Kind(const Value& reply) { return ErrorField(reply, "kind"); }
std::string Message(const Value& reply) { return ErrorField(reply, "message"); }

// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx in lower-case hex.
bool IsUuidV4(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return text[14] == '4' && std::string_view("89ab").find(text[19]) != std::string_view::npos;
}

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// CPU time of the calling thread (the JS thread), in ms: the budgets count this, and the
// machine may be busy enough that wall time says little.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

class JsRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Runtime().OpenScope(std::nullopt, "en")); }
};

TEST_F(JsRuntimeTest, ResultsKeepTheirJsonTypes) {
  Value number = Expr("41 + 1");
  ASSERT_TRUE(number["ok"]) << number;
  EXPECT_EQ(number["type"], "number");
  EXPECT_EQ(number["value"], 42);
  EXPECT_FALSE(number["undefined"]);
  EXPECT_EQ(Expr("'a' + 'b'")["value"], "ab");
  EXPECT_EQ(Expr("'a' + 'b'")["type"], "string");
  EXPECT_EQ(Expr("({a: [1, 'x', null]})")["value"], Value::parse(R"({"a":[1,"x",null]})"));
  EXPECT_EQ(Expr("({a: 1})")["type"], "object");
  EXPECT_EQ(Expr("[1, 2]")["type"], "array");
  EXPECT_EQ(Expr("null")["type"], "null");
  EXPECT_EQ(Expr("1 < 2")["type"], "boolean");
  EXPECT_EQ(Expr("1 < 2")["value"], true);
  EXPECT_EQ(Expr("2.5 * 2")["value"], 5);
  EXPECT_EQ(Expr("'h\\u00e9llo \\u2713'")["value"], "h\xC3\xA9llo \xE2\x9C\x93");
}

TEST_F(JsRuntimeTest, CodeIsReadAsUtf8) {
  Value reply =
      Expr("['\xC3\xA9'.length, 'a\xC3\xA7\xC3\xA3o'.toUpperCase(), '\xE2\x9C\x93' === '\\u2713']");
  ASSERT_TRUE(reply["ok"]) << reply;
  EXPECT_EQ(reply["value"], Value::parse("[1,\"A\u00c7\u00c3O\",true]"));
  Value error = Block("const s = '\xC3\xA9';\nthrow new Error(s + '!');");
  EXPECT_EQ(Message(error), "Error: \xC3\xA9!");
  EXPECT_EQ(error["error"]["line"], 2);
}

TEST_F(JsRuntimeTest, UndefinedFunctionsAndSymbolsAreTypedWithoutAValue) {
  Value undefined = Expr("undefined");
  EXPECT_EQ(undefined["type"], "undefined");
  EXPECT_TRUE(undefined["undefined"]);
  EXPECT_TRUE(undefined["value"].is_null());
  EXPECT_EQ(Expr("() => 1")["type"], "function");
  EXPECT_TRUE(Expr("() => 1")["value"].is_null());
  EXPECT_EQ(Expr("Symbol('s')")["type"], "symbol");
  EXPECT_TRUE(Block("const x = 1;")["undefined"]);
}

TEST_F(JsRuntimeTest, JsonSemanticsForNumbersAndDates) {
  EXPECT_TRUE(Expr("0 / 0")["value"].is_null());
  EXPECT_EQ(Expr("0 / 0")["type"], "null");
  EXPECT_TRUE(Expr("[1 / 0]")["value"][0].is_null());
  EXPECT_EQ(Expr("new Date(0)")["value"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Expr("({u: undefined, f() {}, n: 1})")["value"], Value::parse(R"({"n":1})"));
}

TEST_F(JsRuntimeTest, BindingsBecomeParameters) {
  const Value bind = {{"a", 41},
                      {"s", "x"},
                      {"variables", {{"token", "abc"}, {"my-var", 2}}},
                      {"my-var", 5},
                      {"class", 1}};
  Value sum = Expr("a + 1", {{"bind", bind}});
  ASSERT_TRUE(sum["ok"]) << sum;
  EXPECT_EQ(sum["value"], 42);
  EXPECT_EQ(Expr("variables.token + variables['my-var'] + s", {{"bind", bind}})["value"], "abc2x");
  // Keys that are not identifiers, or are reserved words, are not bound.
  EXPECT_EQ(Expr("this === globalThis", {{"bind", bind}})["value"], true);  // not the bound "this"
  Value missing = Expr("my", {{"bind", bind}});
  EXPECT_EQ(Kind(missing), "exception");
  EXPECT_NE(Message(missing).find("my is not defined"), std::string::npos) << missing;
}

TEST_F(JsRuntimeTest, TheSameCodeWithOtherValuesReusesItsWrapper) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Expr("a * 2", {{"bind", {{"a", i}}}})["value"], i * 2);
  }
  EXPECT_EQ(Expr("a * 2", {{"bind", {{"a", 1}, {"b", 1}}}})["value"], 2);
}

TEST_F(JsRuntimeTest, BlocksReturnAndMayShadowBindings) {
  Value reply = Block("let a = 10;\nconst b = a + 1;\nreturn b;", {{"bind", {{"a", 1}}}});
  ASSERT_TRUE(reply["ok"]) << reply;
  EXPECT_EQ(reply["value"], 11);
  EXPECT_EQ(Block("if (x > 1) { return 'big'; }\nreturn 'small';", {{"bind", {{"x", 5}}}})["value"],
            "big");
}

TEST_F(JsRuntimeTest, ThisIsTheScopeGlobalAsInTheOriginalsSloppyCode) {
  EXPECT_EQ(Block("return (this.attempt_count || 0) + 1;")["value"], 1);
  EXPECT_EQ(Expr("this === globalThis && typeof this.faker")["value"], "object");
  ASSERT_TRUE(Block("this.counter = 41; return 0;")["ok"]);
  EXPECT_EQ(Block("return this.counter + 1;")["value"], 42);  // the suite's global persists
}

TEST_F(JsRuntimeTest, TopLevelDeclarationsDoNotLeakBetweenEvaluations) {
  ASSERT_TRUE(Block("let leaked = 1; var alsoLeaked = 2; return leaked;")["ok"]);
  EXPECT_EQ(Expr("typeof leaked + typeof alsoLeaked")["value"], "undefinedundefined");
}

TEST_F(JsRuntimeTest, SyntaxErrorsPointIntoTheCode) {
  Value reply = Block("const a = 1;\nconst b = ;\nreturn b;");
  ASSERT_FALSE(reply["ok"]);
  EXPECT_EQ(Kind(reply), "syntax");
  EXPECT_NE(Message(reply).find("SyntaxError"), std::string::npos) << reply;
  EXPECT_EQ(reply["error"]["line"], 2);
  EXPECT_EQ(reply["error"]["col"], 11);
  EXPECT_FALSE(reply["recycle"]);
  Value expression = Expr("1 +");
  EXPECT_EQ(Kind(expression), "syntax");
  EXPECT_EQ(expression["error"]["line"], 1);
}

TEST_F(JsRuntimeTest, ExceptionsCarryMessageAndPosition) {
  Value reply = Block("const a = {};\n  return a.foo.bar;");
  ASSERT_FALSE(reply["ok"]);
  EXPECT_EQ(Kind(reply), "exception");
  EXPECT_EQ(Message(reply), "TypeError: a.foo is undefined");
  EXPECT_EQ(reply["error"]["line"], 2);
  EXPECT_EQ(reply["error"]["col"], 3);
  Value thrown = Block("\nthrow new RangeError('too far');");
  EXPECT_EQ(Message(thrown), "RangeError: too far");
  EXPECT_EQ(thrown["error"]["line"], 2);
  EXPECT_EQ(thrown["error"]["col"], 7);
  EXPECT_EQ(Message(Block("throw 'plain';")), "plain");
  // Thrown inside faker: the position is the call site in the snippet.
  Value in_faker = Block("\n  faker.number.int({min: 5, max: 1});");
  EXPECT_EQ(Kind(in_faker), "exception");
  EXPECT_EQ(in_faker["error"]["line"], 2) << in_faker;
}

TEST_F(JsRuntimeTest, SetVariableCollectsJsonValues) {
  Value reply = Block(
      "setVariable('token', 'abc');\nsetVariable('n', 1);\nsetVariable('n', 2);\n"
      "const o = {list: [1, {x: true}]};\nsetVariable('obj', o);\no.list.push(3);\n"
      "setVariable('u', undefined);");
  ASSERT_TRUE(reply["ok"]) << reply;
  EXPECT_EQ(reply["set"],
            Value::parse(R"({"token":"abc","n":2,"obj":{"list":[1,{"x":true}]},"u":null})"));
}

TEST_F(JsRuntimeTest, SetVariableValidatesNamesAndCapsSize) {
  for (const char* code : {"setVariable(1, 2)", "setVariable('', 2)",
                           "setVariable('x'.repeat(257), 2)", "setVariable()"}) {
    Value reply = Block(code);
    EXPECT_EQ(Kind(reply), "exception") << code;
    EXPECT_EQ(Message(reply).rfind("TypeError: setVariable", 0), 0u) << reply;
  }
  EXPECT_TRUE(Block("setVariable('x'.repeat(256), 1)")["ok"]);
  Value caught =
      Block("try { setVariable('big', 'x'.repeat(2000)); } catch (e) { return String(e); }",
            {{"out_bytes", 1000}});
  EXPECT_EQ(caught["value"].get<std::string>().rfind("RangeError: setVariable", 0), 0u) << caught;
  Value many = Block("for (let i = 0; i < 10001; i++) setVariable('v' + i, i);");
  EXPECT_EQ(Kind(many), "exception");
  EXPECT_NE(Message(many).find("10000"), std::string::npos);
}

TEST_F(JsRuntimeTest, ConsoleIsCapturedPerEvaluation) {
  Value reply = Block(
      "console.log('a', 1, {b: [2]}, null, undefined);\nconsole.warn('w');\nconsole.error(new "
      "Error('boom'));\nconsole.info('i'); console.debug('d');\nreturn 1;");
  ASSERT_TRUE(reply["ok"]) << reply;
  EXPECT_EQ(reply["console"], Value::parse(R"([["log","a 1 {\"b\":[2]} null undefined"],)"
                                           R"(["warn","w"],["error","Error: boom"],)"
                                           R"(["info","i"],["debug","d"]])"));
  EXPECT_EQ(Expr("1")["console"], Value::array());
  Value failed = Block("console.log('before'); throw new Error('x');");
  EXPECT_EQ(failed["console"], Value::parse(R"([["log","before"]])"));
}

TEST_F(JsRuntimeTest, ConsoleIsCappedInLinesAndBytes) {
  Value lines = Block("for (let i = 0; i < 5000; i++) console.log(i);");
  ASSERT_EQ(lines["console"].size(), 1001u);
  EXPECT_EQ(lines["console"][999][1], "999");
  EXPECT_EQ(lines["console"][1000][1], "[console output truncated]");
  Value bytes = Block("console.log('y'.repeat(100)); console.log('x'.repeat(1e6));");
  ASSERT_EQ(bytes["console"].size(), 3u);
  EXPECT_EQ(bytes["console"][0][1].get<std::string>().size() +
                bytes["console"][1][1].get<std::string>().size(),
            65536u);
  EXPECT_EQ(bytes["console"][2][1], "[console output truncated]");
}

TEST_F(JsRuntimeTest, BtoaAndAtob) {
  EXPECT_EQ(Expr("btoa('user:pass')")["value"], "dXNlcjpwYXNz");
  EXPECT_EQ(Expr("atob('dXNlcjpwYXNz')")["value"], "user:pass");
  EXPECT_EQ(Expr("atob(btoa('\\u00ff\\u0000'))")["value"], "\xC3\xBF" + std::string(1, '\0'));
  EXPECT_NE(Message(Expr("btoa('\\u2713')")).find("InvalidCharacterError"), std::string::npos);
  EXPECT_NE(Message(Expr("atob('*')")).find("InvalidCharacterError"), std::string::npos);
}

TEST_F(JsRuntimeTest, CryptoHashesMatchKnownVectors) {
  EXPECT_EQ(Expr("crypto.createHash('sha256').update('abc').digest('hex')")["value"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Expr("crypto.createHash('sha256').update('a').update('bc').digest('base64')")["value"],
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  EXPECT_EQ(Expr("crypto.createHash('md5').update('').digest('hex')")["value"],
            "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Expr("crypto.createHash('sha1').update('abc').digest('hex')")["value"],
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Expr("crypto.createHash('sha512').update('abc').digest('hex').slice(0, 16)")["value"],
            "ddaf35a193617aba");
  EXPECT_EQ(Expr("crypto.createHash('sha384').update('abc').digest('hex').slice(0, 16)")["value"],
            "cb00753f45a35e8b");
  EXPECT_EQ(
      Expr("crypto.createHash('sha256').update('\\u00e9').digest('hex')")["value"],
      Expr("crypto.createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex')")["value"]);
  // RFC 4231 test case 2.
  EXPECT_EQ(Expr("crypto.createHmac('sha256', 'Jefe').update('what do ya want for nothing?')"
                 ".digest('hex')")["value"],
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(Message(Expr("crypto.createHash('whirlpool')")).find("Digest method not supported"),
            std::string::npos);
  EXPECT_EQ(Expr("crypto.createHash('sha256').update('abc').digest().length")["value"], 32);
}

TEST_F(JsRuntimeTest, CryptoRandomness) {
  Value uuids = Expr("[crypto.randomUUID(), crypto.randomUUID()]");
  ASSERT_TRUE(uuids["ok"]) << uuids;
  EXPECT_TRUE(IsUuidV4(uuids["value"][0].get<std::string>())) << uuids;
  EXPECT_TRUE(IsUuidV4(uuids["value"][1].get<std::string>())) << uuids;
  EXPECT_NE(uuids["value"][0], uuids["value"][1]);
  EXPECT_EQ(Expr("crypto.getRandomValues(new Uint8Array(64)).some(x => x !== 0)")["value"], true);
  EXPECT_EQ(Kind(Expr("crypto.getRandomValues(new Float64Array(2))")), "exception");
  EXPECT_EQ(Kind(Expr("crypto.getRandomValues(new Uint8Array(70000))")), "exception");
}

TEST_F(JsRuntimeTest, BufferConvertsBetweenEncodings) {
  EXPECT_EQ(Expr("Buffer.from('user:pass').toString('base64')")["value"], "dXNlcjpwYXNz");
  EXPECT_EQ(Expr("Buffer.from('dXNlcjpwYXNz', 'base64').toString()")["value"], "user:pass");
  EXPECT_EQ(Expr("Buffer.from('h\\u00e9', 'utf8').toString('hex')")["value"], "68c3a9");
  EXPECT_EQ(Expr("Buffer.from('68c3a9', 'hex').toString('utf8')")["value"], "h\xC3\xA9");
  EXPECT_EQ(Expr("Buffer.from('h\\u00e9').length")["value"], 3);
  EXPECT_EQ(Expr("Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString()")["value"], "ab");
  EXPECT_EQ(Expr("Buffer.isBuffer(Buffer.alloc(2)) && Buffer.alloc(2).length")["value"], 2);
  EXPECT_EQ(Kind(Expr("Buffer.from('x', 'klingon')")), "exception");
}

TEST_F(JsRuntimeTest, FakerCallsReturnData) {
  Value name = Faker("person.firstName");
  ASSERT_TRUE(name["ok"]) << name;
  EXPECT_EQ(name["type"], "string");
  EXPECT_FALSE(name["value"].get<std::string>().empty());
  Value element = Faker("helpers.arrayElement", Value::parse(R"([["a","b"]])"));
  ASSERT_TRUE(element["ok"]) << element;
  EXPECT_TRUE(element["value"] == "a" || element["value"] == "b");
  Value in_code = Expr("faker.internet.email()");
  EXPECT_NE(in_code["value"].get<std::string>().find('@'), std::string::npos);
}

TEST_F(JsRuntimeTest, SeededScopesRepeatTheirValues) {
  const auto names = [](std::optional<std::uint64_t> seed) {
    EXPECT_TRUE(Runtime().OpenScope(seed, "en"));
    return Expr(
        "[faker.person.firstName(), faker.person.firstName(), faker.number.int(1000)]")["value"];
  };
  EXPECT_EQ(names(42), names(42));
  EXPECT_NE(names(42), names(43));
  EXPECT_EQ(names(std::uint64_t{1} << 60), names(std::uint64_t{1} << 60));
}

TEST_F(JsRuntimeTest, PortugueseScopesUseTheirLocale) {
  const std::string code = "Array.from({length: 30}, () => faker.location.state())";
  ASSERT_TRUE(Runtime().OpenScope(7, "en"));
  Value en = Expr(code)["value"];
  ASSERT_TRUE(Runtime().OpenScope(7, "pt_BR"));
  Value pt = Expr(code)["value"];
  ASSERT_TRUE(pt.is_array()) << pt;
  std::set<std::string> en_states(en.begin(), en.end());
  int shared = 0;
  for (const Value& state : pt) shared += en_states.count(state.get<std::string>()) ? 1 : 0;
  EXPECT_LT(shared, 5) << en << pt;
  EXPECT_FALSE(Runtime().OpenScope(7, "klingon"));
  EXPECT_FALSE(Runtime().HasScope());
}

std::uint64_t FakerLoads() { return Runtime().stats().faker_loads; }

TEST_F(JsRuntimeTest, AScopeThatNeverTouchesFakerNeverLoadsIt) {
  const std::uint64_t before = FakerLoads();
  EXPECT_EQ(Expr("1 + 1")["value"], 2);
  EXPECT_TRUE(
      Block("console.log(btoa('x'), Buffer.from('a').length);\n"
            "crypto.createHash('sha256').update('x').digest('hex');\n"
            "setVariable('v', new Date(0).toISOString());")["ok"]);
  // Looking at the property without reading it loads nothing either.
  EXPECT_EQ(Expr("'faker' in globalThis && typeof Object.getOwnPropertyDescriptor(globalThis, "
                 "'faker').get")["value"],
            "function");
  ASSERT_TRUE(Runtime().OpenScope(5, "pt_BR"));
  EXPECT_EQ(Expr("typeof __flowFaker")["value"], "undefined");
  Runtime().CloseScope();
  EXPECT_EQ(FakerLoads(), before);
}

TEST_F(JsRuntimeTest, TypeofFakerLoadsItOnceAndLeavesAReadOnlyProperty) {
  const std::uint64_t before = FakerLoads();
  EXPECT_EQ(Expr("typeof faker")["value"], "object");
  EXPECT_EQ(FakerLoads(), before + 1);
  EXPECT_EQ(
      Expr(
          "typeof faker + ' ' + typeof faker.person.firstName + ' ' + typeof __flowFaker")["value"],
      "object function undefined");
  EXPECT_EQ(Expr("JSON.stringify(Object.getOwnPropertyDescriptor(globalThis, 'faker'), "
                 "(k, v) => k === 'value' ? typeof v : v)")["value"],
            R"({"value":"object","writable":false,"enumerable":false,"configurable":false})");
  Value assign = Block("faker = 1;");
  EXPECT_EQ(Kind(assign), "exception");
  EXPECT_NE(Message(assign).find("TypeError"), std::string::npos) << assign;
  EXPECT_EQ(Expr("typeof faker")["value"], "object");
  EXPECT_TRUE(Faker("person.firstName")["ok"]);
  EXPECT_EQ(FakerLoads(), before + 1);
}

TEST_F(JsRuntimeTest, FakerLoadsEvenAfterTheCodeFrozeTheGlobal) {
  Value frozen = Block("Object.freeze(globalThis); return typeof faker.person.firstName();");
  EXPECT_EQ(frozen["value"], "string") << frozen;
  EXPECT_EQ(Expr("typeof __flowFaker + ' ' + Object.isFrozen(globalThis)")["value"],
            "undefined true");
  EXPECT_TRUE(Faker("person.firstName")["ok"]);
}

TEST_F(JsRuntimeTest, AFakerEvaluationLoadsFakerForTheCodeToo) {
  ASSERT_TRUE(Runtime().OpenScope(42, "en"));
  const std::uint64_t before = FakerLoads();
  EXPECT_EQ(Faker("person.firstName")["value"], "Garnet");  // seeded before the first call
  EXPECT_EQ(FakerLoads(), before + 1);
  EXPECT_EQ(Expr("faker.person.lastName()")["value"], "Reynolds-Miller");
  EXPECT_EQ(FakerLoads(), before + 1);
}

// The values the eagerly built faker gave for these seeds before faker became lazy.
TEST_F(JsRuntimeTest, SeededLazyFakerGivesTheSameValuesAsTheEagerOne) {
  const std::string code =
      "[faker.person.firstName(), faker.person.lastName(), faker.location.state(),\n"
      " faker.internet.email(), faker.number.int(1000), faker.string.uuid(),\n"
      " faker.number.float({min: 0, max: 10, precision: 0.01}), faker.internet.userName(),\n"
      " faker.date.past({refDate: '2024-01-01T00:00:00Z'}).toISOString()]";
  ASSERT_TRUE(Runtime().OpenScope(42, "en"));
  EXPECT_EQ(Expr(code)["value"],
            Value::parse(R"(["Garnet","Reynolds-Miller","Delaware","Anderson2@gmail.com",833,)"
                         R"("32248649-2457-4c38-b909-21ffc41a7170",2.59,"Makayla18",)"
                         R"("2023-10-10T22:09:47.943Z"])"));
  ASSERT_TRUE(Runtime().OpenScope(42, "pt_BR"));
  EXPECT_EQ(Expr(code)["value"],
            Value::parse("[\"Helo\u00edsa\",\"Reis\",\"Pernambuco\",\"Cecilia_Silva70@bol.com.br\","
                         "970,\"d3224864-9245-47c3-8890-921ffc41a717\",9.1,\"Enzo_Franco54\","
                         "\"2023-12-20T21:33:39.852Z\"]"));
  ASSERT_TRUE(Runtime().OpenScope(std::uint64_t{1} << 60, "en"));
  EXPECT_EQ(Expr(code)["value"][0], "Rickie");
}

TEST_F(JsRuntimeTest, LoadingFakerIsNotChargedToTheBudgets) {
  // Faker's top level takes megabytes and milliseconds; the code itself takes neither.
  Value first = Expr("faker.person.firstName()", {{"mem_mb", 1}, {"cpu_ms", 4}});
  ASSERT_TRUE(first["ok"]) << first;
  EXPECT_EQ(first["type"], "string");
  // The budgets still hold for what the code does afterwards.
  ASSERT_TRUE(Runtime().OpenScope(std::nullopt, "en"));
  Value loop = Block("faker.person.firstName(); for (;;) {}", {{"cpu_ms", 100}});
  EXPECT_EQ(Kind(loop), "cpu") << loop;
  ASSERT_TRUE(Runtime().OpenScope(std::nullopt, "en"));
  Value bomb =
      Block("faker.person.firstName(); const a = []; for (;;) a.push({s: 'x' + a.length});",
            {{"mem_mb", 16}, {"cpu_ms", 10000}});
  EXPECT_EQ(Kind(bomb), "memory") << bomb;
}

TEST_F(JsRuntimeTest, TheEmbeddedCachesAreUsed) {
  EXPECT_TRUE(Runtime().stats().self_hosted_cached);
  EXPECT_TRUE(Runtime().stats().prelude_cached);
  ASSERT_TRUE(Faker("person.firstName")["ok"]);
  EXPECT_EQ(Runtime().stats().faker_stencil, JsRuntime::FakerStencil::kDecoded);
}

TEST_F(JsRuntimeTest, FakerKeepsTheOriginalEnginesSpellings) {
  Value precise = Expr("faker.number.float({min: 0, max: 10, precision: 0.01})");
  ASSERT_TRUE(precise["ok"]) << precise;
  const double v = precise["value"].get<double>();
  EXPECT_NEAR(v * 100, std::round(v * 100), 1e-6) << v;
  Value user = Faker("internet.userName");
  ASSERT_TRUE(user["ok"]) << user;
  EXPECT_FALSE(user["value"].get<std::string>().empty());
  EXPECT_EQ(user["console"], Value::array()) << "no deprecation warning";
}

TEST_F(JsRuntimeTest, FakerPathsAreCheckedNotEvaluated) {
  for (const char* path : {"person.constructor", "constructor.constructor", "__proto__.x", "person",
                           "person.firstName.call", "nope.firstName", "person.nope",
                           "person.prototype", "seed.x", "rawDefinitions.person"}) {
    Value reply = Faker(path);
    EXPECT_EQ(Kind(reply), "invalid") << path << " " << reply;
  }
  EXPECT_EQ(Faker("person.firstName", Value::parse(R"(["${process}"])"))["ok"], true);
}

TEST_F(JsRuntimeTest, EachScopeIsAFreshGlobal) {
  ASSERT_TRUE(
      Block("globalThis.token = 'secret'; Object.prototype.polluted = 1; "
            "Array.prototype.push = null; return 1;")["ok"]);
  EXPECT_EQ(Expr("token")["value"], "secret");
  ASSERT_TRUE(Runtime().OpenScope(std::nullopt, "en"));
  EXPECT_EQ(Expr("typeof token + ' ' + typeof ({}).polluted + ' ' + typeof [].push")["value"],
            "undefined undefined function");
  EXPECT_EQ(Expr("typeof __flowFaker")["value"], "undefined");
}

TEST_F(JsRuntimeTest, CodeGenerationIsBlocked) {
  for (const char* code : {"eval('1')", "(0, eval)('1')", "Function('return this')()",
                           "(() => 0).constructor('return 1')()",
                           "[]['constr' + 'uctor']['constr' + 'uctor']('return 2')()",
                           "Object.getPrototypeOf(async () => {}).constructor('return 3')",
                           "globalThis['ev' + 'al']('1')", "\\u0065val('1')"}) {
    Value reply = Expr(code);
    EXPECT_EQ(Kind(reply), "exception") << code;
    EXPECT_NE(Message(reply).find("EvalError"), std::string::npos) << code << " " << reply;
  }
  EXPECT_EQ(Expr("typeof WebAssembly + typeof require + typeof process")["value"],
            "undefinedundefinedundefined");
  Value imported = Expr("import('fs')");
  EXPECT_FALSE(imported["ok"]) << imported;
  EXPECT_EQ(Kind(Block("import fs from 'fs';")), "syntax");
  EXPECT_EQ(Expr("typeof SharedArrayBuffer + typeof setTimeout")["value"], "undefinedundefined");
}

TEST_F(JsRuntimeTest, CpuBudgetStopsLoopsAndTheRuntimeStaysUsable) {
  for (const char* code :
       {"while (true) {}", "try { for (;;); } catch (e) {} return 1;",
        "try { for (;;); } finally { for (;;); }", "for (;;) { try { throw 1; } catch (e) {} }",
        "const a = []; for (let i = 0; i < 3e6; i++) a.push(Math.random());\n"
        "a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));"}) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMs();
    Value reply = Block(code, {{"cpu_ms", 100}, {"mem_mb", 512}});
    const double cpu = ThreadCpuMs() - cpu_start;
    EXPECT_EQ(Kind(reply), "cpu") << code << " " << reply;
    EXPECT_EQ(Message(reply), "cpu budget of 100 ms exceeded");
    EXPECT_TRUE(reply["recycle"]);
    EXPECT_GE(cpu, 90) << code;
    EXPECT_LT(cpu, 150) << code;
    EXPECT_LT(MsSince(start), 2000) << code;
    EXPECT_EQ(Expr("1 + 1")["value"], 2);
  }
  // Catastrophic backtracking ends one way or the other, never runs on.
  const double cpu_start = ThreadCpuMs();
  Value regex = Expr("/(a+)+$/.test('a'.repeat(40) + '!')", {{"cpu_ms", 100}});
  EXPECT_TRUE(Kind(regex) == "cpu" || Message(regex) == "InternalError: too much recursion")
      << regex;
  EXPECT_LT(ThreadCpuMs() - cpu_start, 150);
}

TEST_F(JsRuntimeTest, CpuBudgetCoversPromiseJobsAndSerialisation) {
  for (const char* code :
       {"for (let i = 0; i < 3; i++) Promise.resolve().then(() => { for (;;); });",
        "(function f() { Promise.resolve().then(f); })();",
        "return (async () => { await 0; for (;;); })();", "return {toJSON() { for (;;); }};",
        "return {get x() { for (;;); }};"}) {
    const double cpu_start = ThreadCpuMs();
    Value reply = Block(code, {{"cpu_ms", 50}});
    EXPECT_EQ(Kind(reply), "cpu") << code << " " << reply;
    EXPECT_LT(ThreadCpuMs() - cpu_start, 100) << code;
  }
  EXPECT_EQ(Expr("2 + 2")["value"], 4);
}

TEST_F(JsRuntimeTest, DeepRecursionIsAnOrdinaryError) {
  Value reply = Block("function f(n) { return f(n + 1) + 1; }\nreturn f(0);");
  EXPECT_EQ(Kind(reply), "exception");
  EXPECT_NE(Message(reply).find("too much recursion"), std::string::npos) << reply;
  EXPECT_FALSE(reply["recycle"]);
  EXPECT_EQ(Block("function f(n) { return n ? f(n - 1) + 1 : 0; }\nreturn f(1000);")["value"],
            1000);
}

TEST_F(JsRuntimeTest, MemoryBudgetStopsBombs) {
  for (const char* code : {"const a = []; for (let i = 0;; i++) a.push({i, s: 'x' + i});",
                           "const a = []; for (let i = 0;; i++) a.push('y'.repeat(1000) + i);",
                           "const a = []; for (;;) a.push(new Array(1e5).fill(0));",
                           "const a = []; for (;;) a.push(new Uint8Array(1 << 20).fill(1));"}) {
    const auto start = std::chrono::steady_clock::now();
    Value reply = Block(code, {{"mem_mb", 32}, {"cpu_ms", 10000}});
    EXPECT_EQ(Kind(reply), "memory") << code << " " << reply;
    EXPECT_EQ(Message(reply), "memory budget of 32 MiB exceeded");
    EXPECT_TRUE(reply["recycle"]);
    EXPECT_LT(MsSince(start), 3000) << code;
    EXPECT_EQ(Expr("[1, 2].length")["value"], 2);
  }
  Value doubling = Block("let s = 'x'; for (;;) s += s;", {{"mem_mb", 32}});
  EXPECT_FALSE(doubling["ok"]);
  EXPECT_TRUE(Kind(doubling) == "memory" ||
              Message(doubling).find("allocation size overflow") != std::string::npos)
      << doubling;
}

TEST_F(JsRuntimeTest, OutputIsCapped) {
  Value big = Expr("'x'.repeat(2000)", {{"out_bytes", 1000}});
  EXPECT_EQ(Kind(big), "output");
  EXPECT_EQ(Message(big), "result larger than 1000 bytes");
  EXPECT_TRUE(Expr("'x'.repeat(990)", {{"out_bytes", 1000}})["ok"]);
  // One big string shared a million times must not build a huge text first.
  const auto start = std::chrono::steady_clock::now();
  Value shared = Block("const s = 'x'.repeat(1e6); return Array(1e6).fill(s);");
  EXPECT_EQ(Kind(shared), "output");
  EXPECT_LT(MsSince(start), 500);
  EXPECT_EQ(Kind(Expr("JSON.parse('['.repeat(600) + ']'.repeat(600))")), "output");
}

TEST_F(JsRuntimeTest, PromisesAreAwaited) {
  Value fulfilled = Expr("Promise.resolve(5)");
  EXPECT_EQ(fulfilled["value"], 5);
  EXPECT_EQ(fulfilled["type"], "number");
  EXPECT_EQ(Expr("(async () => { await null; return {a: 7}; })()")["value"],
            Value::parse(R"({"a":7})"));
  Value rejected = Expr("Promise.reject(new TypeError('no'))");
  EXPECT_EQ(Kind(rejected), "exception");
  EXPECT_EQ(Message(rejected), "TypeError: no");
  Value pending = Expr("new Promise(() => {})");
  EXPECT_FALSE(pending["ok"]);
  EXPECT_EQ(Message(pending), "the promise returned by the code did not settle");
}

TEST_F(JsRuntimeTest, JobsOfAnEvaluationRunBeforeItsReply) {
  ASSERT_TRUE(Block("Promise.resolve().then(() => { globalThis.ran = 'yes'; }); return 1;")["ok"]);
  EXPECT_EQ(Expr("globalThis.ran")["value"], "yes");
}

TEST_F(JsRuntimeTest, ValuesWithoutJsonAreErrors) {
  Value cyclic = Block("const a = {}; a.self = a; return a;");
  EXPECT_EQ(Kind(cyclic), "exception");
  EXPECT_NE(Message(cyclic).find("cyclic"), std::string::npos) << cyclic;
  EXPECT_EQ(Kind(Expr("10n")), "invalid");
}

TEST_F(JsRuntimeTest, ReadBackReturnsMutatedBindings) {
  Value reply = Block("request.headers['X-Id'] = '1'; request.url += '?q';",
                      {{"bind", {{"request", {{"url", "/a"}, {"headers", Value::object()}}}}},
                       {"read_back", {"request", "unknown"}}});
  ASSERT_TRUE(reply["ok"]) << reply;
  EXPECT_EQ(reply["read_back"],
            Value::parse(R"({"request":{"url":"/a?q","headers":{"X-Id":"1"}}})"));
}

TEST_F(JsRuntimeTest, MalformedRequestsAreInvalid) {
  EXPECT_EQ(Kind(Runtime().Evaluate(Value::array())), "invalid");
  EXPECT_EQ(Kind(Runtime().Evaluate({{"kind", "expression"}})), "invalid");
  EXPECT_EQ(Kind(Runtime().Evaluate({{"kind", "shell"}, {"code", "1"}})), "invalid");
  EXPECT_EQ(Kind(Expr("1", {{"cpu_ms", -1}})), "invalid");
  EXPECT_EQ(Kind(Expr("1", {{"bind", "x"}})), "invalid");
  Runtime().CloseScope();
  EXPECT_EQ(Kind(Expr("1")), "invalid");
}

TEST(JsRuntime, CanBeCreatedOnlyOnce) {
  Runtime();
  EXPECT_FALSE(JsRuntime::Create());
  EXPECT_EQ(JsRuntime::MozjsVersion().rfind("102.", 0), 0u);
}

TEST(JsRuntime, WarmUpLeavesNoScope) {
  ASSERT_TRUE(Runtime().WarmUp());
  EXPECT_FALSE(Runtime().HasScope());
}

}  // namespace
}  // namespace flow::adapters::sandbox
