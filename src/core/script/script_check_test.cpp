#include "core/script/script_check.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace flow::core {
namespace {

std::string Describe(const ScriptCheck& check) {
  std::string out;
  for (const ScriptProblem& p : check.problems) {
    out += std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.message + "\n";
  }
  return out;
}
ScriptCheck Script(std::string_view s) { return CheckScript(s, ScriptKind::kScript); }
ScriptCheck Expr(std::string_view s) { return CheckScript(s, ScriptKind::kExpression); }

TEST(CheckScript, InnocentExpressionsPass) {
  for (const char* source :
       {"photos.length > 0",
        "items.map(x => x.id)",
        "'process' + 1",
        "/os\\./.test(s)",
        "a / b / c",
        "a /= 2",
        "count > 3",
        "[1,2,3].reduce((a,b) => a+b, 0)",
        "`total: ${items.reduce((a, b) => { return a + b.price }, 0)} ${ {a: 1}.a } x`",
        "obj.require",
        "x.process.env",
        "café + π + 名前 + $_ + _x1",
        "\"call require later\"",
        "obj[key]",
        "arr[i + 1]",
        "m[f(x)]",
        "row[\"id\"] + headers['content-type']",
        "a ? {b: 1} : c",
        "x?.y ?? z?.[k]",
        "0x1F + 1_000 + .5e-3 + 10n + 1.5",
        "x.eval2",
        "{ process: 1, total() { return 1 }, 'k': 2 }",
        "Array.prototype.slice.call(list)",
        "x.prototype === y.prototype",
        "a < b /* require */ && c // eval",
        "x++ / 2",
        "tags.includes('setTimeout') ? `${n}/${m}` : /a[/]b/g.source",
        "`outer ${`inner ${ {k: `x`}.k } }`} done`"}) {
    const ScriptCheck check = Expr(source);
    EXPECT_TRUE(check.ok()) << source << "\n" << Describe(check);
  }
}

TEST(CheckScript, InnocentScriptsPass) {
  const char* script =
      "const token = variables.token;\n"
      "if (token) /Bearer/.test(token);\n"
      "let total = 0, of = 3; of / 1;\n"
      "for (const item of items) { total += item.price / 2 }\n"
      "function half(a) { return a / 2 } /re/g.exec(s);\n"
      "const o = { a: 1 } / 2, f = function () {} / 2;\n"
      "label: { break label }\n"
      "class Box { constructor(v) { this.v = v } static of(v) { return new Box(v) } }\n"
      "async function get() { const r = await (x); return r / 2 }\n"
      "setVariable('total', total);\n";
  const ScriptCheck check = Script(script);
  EXPECT_TRUE(check.ok()) << Describe(check);
}

TEST(CheckScript, EveryForbiddenNameIsCaughtWhereItIs) {
  for (const char* name : {"require",
                           "import",
                           "export",
                           "module",
                           "exports",
                           "process",
                           "globalThis",
                           "window",
                           "self",
                           "global",
                           "Worker",
                           "eval",
                           "Function",
                           "constructor",
                           "__proto__",
                           "__defineGetter__",
                           "__lookupSetter__",
                           "Reflect",
                           "Proxy",
                           "WebAssembly",
                           "SharedArrayBuffer",
                           "Atomics",
                           "XMLHttpRequest",
                           "fetch",
                           "setTimeout",
                           "setInterval",
                           "with",
                           "debugger"}) {
    const ScriptCheck check = Script(std::string("const a = 'ok';\n  ") + name + ";\n");
    ASSERT_EQ(check.problems.size(), 1u) << name << "\n" << Describe(check);
    EXPECT_NE(check.problems[0].message.find(std::string("'") + name + "'"), std::string::npos);
    EXPECT_EQ(check.problems[0].line, 2u) << name;
    EXPECT_EQ(check.problems[0].column, 3u) << name;
    EXPECT_EQ(check.problems[0].offset, 18u) << name;
    EXPECT_FALSE(check.problems[0].hint.empty()) << name;
  }
}

TEST(CheckScript, ForbiddenFormsNameTheRule) {
  const std::pair<const char*, const char*> cases[] = {
      {"import('fs')", "'import' is not available in flowtest JavaScript"},
      {"import.meta.url", "'import' is not available in flowtest JavaScript"},
      {"import fs from 'fs'", "'import' is not available in flowtest JavaScript"},
      {"with (obj) { x }", "'with' statements are not allowed"},
      {"f(arguments.callee)", "'arguments.callee' is not allowed"},
      {"arguments['callee']", "'arguments.callee' is not allowed"},
      {"x.constructor", "access to 'constructor' is not allowed"},
      {"x?.constructor", "access to 'constructor' is not allowed"},
      {"x[\"constructor\"]", "access to 'constructor' is not allowed"},
      {"x[`constructor`]", "access to 'constructor' is not allowed"},
      {"x['__proto__']", "access to '__proto__' is not allowed"},
      {"x.__defineGetter__('a', f)", "access to '__defineGetter__' is not allowed"},
      {"this.eval('1')", "access to 'eval' is not allowed"},
      {"o = {__proto__: null}", "'__proto__' is not allowed as an object key"},
      {"o = {'__proto__': null}", "'__proto__' is not allowed as an object key"},
      {"Array.prototype.map = f", "assignment to a prototype is not allowed"},
      {"X.prototype.y += 1", "assignment to a prototype is not allowed"},
      {"X[\"prototype\"][k].y = 1", "assignment to a prototype is not allowed"},
      {"X.prototype.count++", "assignment to a prototype is not allowed"},
      {"o = { process }", "'process' is not available in flowtest JavaScript"},
  };
  for (const auto& [source, message] : cases) {
    const ScriptCheck check = Script(source);
    ASSERT_EQ(check.problems.size(), 1u) << source << "\n" << Describe(check);
    EXPECT_EQ(check.problems[0].message, message) << source;
  }
}

TEST(CheckScript, EscapedNamesAreDecoded) {
  for (const char* source :
       {"\\u0065val('1')", "\\u{65}v\\u0061l('1')", "x.\\u0063onstructor", "x[\"\\x63onstructor\"]",
        "x['\\143onstructor']", "x['con\\\nstructor']", "x['\\u{63}onstructor']"}) {
    const ScriptCheck check = Script(source);
    ASSERT_EQ(check.problems.size(), 1u) << source << "\n" << Describe(check);
    const std::string& m = check.problems[0].message;
    EXPECT_TRUE(m == "'eval' is not available in flowtest JavaScript" ||
                m == "access to 'constructor' is not allowed")
        << source << ": " << m;
  }
}

TEST(CheckScript, ConstructorChainIsCaughtButNotTheWordsInItsString) {
  const ScriptCheck check = Script("this.constructor.constructor('return process')()");
  ASSERT_EQ(check.problems.size(), 2u) << Describe(check);
  EXPECT_EQ(check.problems[0].column, 6u);
  EXPECT_EQ(check.problems[1].column, 18u);
}

TEST(CheckScript, ComputedKeysBuiltFromStringsAreRejected) {
  for (const char* source : {"[][\"con\"+\"structor\"]", "x[`con${y}`]", "x[[\"constructor\"]]",
                             "x['a'.concat('b')]", "f()[/constructor/.source]"}) {
    const ScriptCheck check = Script(source);
    ASSERT_EQ(check.problems.size(), 1u) << source << "\n" << Describe(check);
    EXPECT_EQ(check.problems[0].message,
              "computed property access with a built string is not allowed");
  }
  EXPECT_TRUE(Script("const parts = [\"con\" + \"structor\"]; parts[0]").ok());
}

// Each source hides `require` from a lexer that gets regex-vs-division or comments wrong.
TEST(CheckScript, TokenizerTricksDoNotHideCode) {
  for (const char* source :
       {"{}/'/;require('fs')//'", "x = {}/1;require('fs')/1", "x = function(){}/1;require('fs')/1",
        "function f(){}/'/;require('fs')//'", "x\n++/'/.lastIndex;require('fs')//'",
        "if (a) /'/.test(b); require('fs') //'", "x <!-- `\nrequire('fs')\n//`",
        "x;\xC2\xA0require('fs')", "for (let of of /'/g) ; require('fs') //'", "0x1e+require('fs')",
        "a = b / require / c", "x = a => {}\n/'/;require('fs')//'", "label: {}/'/;require('fs')//'",
        "function* g() { yield\n{ require('fs')\n{} } }",
        "function f() { return\n{ require('fs')\n{} } }", "o = { require(x)\n{} }"}) {
    const ScriptCheck check = Script(source);
    ASSERT_FALSE(check.ok()) << source;
    EXPECT_EQ(check.problems[0].message, "'require' is not available in flowtest JavaScript")
        << source;
  }
  const ScriptCheck ambiguous = Script("await/1;require('fs')/1");
  ASSERT_EQ(ambiguous.problems.size(), 1u);
  EXPECT_EQ(ambiguous.problems[0].message, "a '/' right after 'await' or 'yield' is ambiguous");
  const ScriptCheck await_block = Script("var await = 1; await\n{ require('fs')\n{} }");
  ASSERT_EQ(await_block.problems.size(), 1u);
  EXPECT_EQ(await_block.problems[0].message, "a line break right after 'await' is ambiguous here");
}

TEST(CheckScript, ExpressionsStartAsOperands) {
  EXPECT_TRUE(Expr("{ process: 1 }.process").ok());
  EXPECT_FALSE(Script("{ process: 1 }").ok());  // a block with the label `process`
}

TEST(CheckScript, MultiLineScriptsReportLineAndColumn) {
  const ScriptCheck check = Script(
      "const a = 1;\r\nif (a) {\n\tlet b = photos.length;\n  b = process.env.X;\n}\nsetTimeout(f, "
      "1);");
  ASSERT_EQ(check.problems.size(), 2u) << Describe(check);
  EXPECT_EQ(check.problems[0].line, 4u);
  EXPECT_EQ(check.problems[0].column, 7u);
  EXPECT_EQ(check.problems[1].line, 6u);
  EXPECT_EQ(check.problems[1].column, 1u);
  const ScriptCheck unicode = Script("const éé = 1; eval(éé)");  // columns count code points
  ASSERT_EQ(unicode.problems.size(), 1u);
  EXPECT_EQ(unicode.problems[0].offset, 16u);
  EXPECT_EQ(unicode.problems[0].column, 15u);
}

TEST(CheckScript, UnterminatedInputIsAProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"x = 'abc", "unterminated string"},
      {"x = \"a\nb\"", "unterminated string"},
      {"x = `abc", "unterminated template literal"},
      {"x = `a${b", "unterminated template literal"},
      {"/* x", "unterminated comment"},
      {"x = /abc", "unterminated regular expression"},
      {"f(a", "unclosed '('"},
      {"a)", "unbalanced ')'"},
      {"(]", "mismatched ']'"},
      {"\\u00zz", "invalid escape in identifier"},
      {"a @ b", "unexpected character '@'"},
      {"a \xff b", "invalid utf-8 in javascript source"},
      {"x = \xED\xA0\x80", "invalid utf-8 in javascript source"},
  };
  for (const auto& [source, message] : cases) {
    const ScriptCheck check = Script(source);
    ASSERT_EQ(check.problems.size(), 1u) << source << "\n" << Describe(check);
    EXPECT_EQ(check.problems[0].message, message) << source;
  }
  const ScriptCheck where = Script("a = 1;\n  b = 'open");
  ASSERT_EQ(where.problems.size(), 1u);
  EXPECT_EQ(where.problems[0].offset, 13u);
  EXPECT_EQ(where.problems[0].line, 2u);
  EXPECT_EQ(where.problems[0].column, 7u);
}

TEST(CheckScript, InputOverOneMebibyteIsOneProblem) {
  const ScriptCheck check = Script(std::string(2u << 20, 'a'));
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_EQ(check.problems[0].message, "javascript source is larger than 1 MiB");
  EXPECT_TRUE(Script(std::string(kMaxScriptBytes, 'a')).ok());
}

TEST(CheckScript, ProblemsAreCappedAtOneHundred) {
  std::string source;
  for (int i = 0; i < 500; ++i) source += "eval;";
  EXPECT_EQ(Script(source).problems.size(), 100u);
}

// Runs under the test's 60 s ctest timeout: each input is near the size cap.
TEST(CheckScript, WorstCaseInputsStayLinear) {
  const std::size_t n = 300'000;
  EXPECT_TRUE(Script(std::string(n, '(') + "a" + std::string(n, ')')).ok());
  std::string chain = "a";
  while (chain.size() < kMaxScriptBytes - 20) chain += ".prototype";
  EXPECT_TRUE(Script(chain).ok());
  ASSERT_EQ(Script(chain + " = 1").problems.size(), 100u);
  std::string nested;
  for (std::size_t i = 0; i < n; ++i) nested += "a[";
  EXPECT_EQ(Script(nested + "'x'" + std::string(n, ']')).problems.size(), 100u);
}

TEST(CheckScript, RandomInputNeverCrashes) {
  std::mt19937 random(12345);
  const char* pieces[] = {
      "/",        "'",         "\"",    "`",   "${",   "}",       "{",
      "(",        ")",         "[",     "]",   "a",    "\\u0065", "\n",
      "*/",       "/*",        "<!--",  "-->", "?",    ":",       "=>",
      "function", "class",     "await", "++",  "eval", "\\",      ".",
      "of",       "for",       "if",    "0x",  "1e",   " ",       "\xE2\x80\xA8",
      "\xC2\xA0", "prototype", "=",     ";",   ",",    "#"};
  for (int round = 0; round < 3000; ++round) {
    std::string source;
    const int length = static_cast<int>(random() % 60);
    for (int i = 0; i < length; ++i) {
      if (round % 3 == 0) {
        source += static_cast<char>(random() % 256);
      } else {
        source += pieces[random() % std::size(pieces)];
      }
    }
    for (const ScriptKind kind : {ScriptKind::kScript, ScriptKind::kExpression}) {
      const ScriptCheck check = CheckScript(source, kind);
      for (const ScriptProblem& p : check.problems) {
        ASSERT_LE(p.offset, source.size());
        ASSERT_GE(p.line, 1u);
        ASSERT_GE(p.column, 1u);
        ASSERT_FALSE(p.message.empty());
      }
      ASSERT_EQ(Describe(check), Describe(CheckScript(source, kind)));  // deterministic
    }
  }
}

}  // namespace
}  // namespace flow::core

namespace flow::core {
namespace {

std::vector<std::string> Names(std::string_view source, ScriptKind kind = ScriptKind::kExpression) {
  return CheckScript(source, kind).names;
}

TEST(ScriptNames, FreeReferencesInFirstUseOrderWithoutKeywordsOrProperties) {
  EXPECT_EQ(Names("count > 3 && items.length === total"),
            (std::vector<std::string>{"count", "items", "total"}));
  EXPECT_EQ(Names("typeof x === 'undefined' ? null : x.y"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(Names("Math.max(a, b) + a"), (std::vector<std::string>{"Math", "a", "b"}));
}

TEST(ScriptNames, ObjectKeysMethodsAndLabelsAreNotReferences) {
  EXPECT_EQ(Names("({ k: v, m() { return w; } })"), (std::vector<std::string>{"v", "w"}));
  EXPECT_EQ(Names("outer: for (const i of list) { continue outer; }", ScriptKind::kScript),
            (std::vector<std::string>{"i", "list", "outer"}));
  EXPECT_EQ(Names("ok ? yes : no"), (std::vector<std::string>{"ok", "yes", "no"}));
}

TEST(ScriptNames, WordsInStringsTemplatesAndCommentsAreNotNames) {
  EXPECT_EQ(Names("'secret' + `t ${user} t` /* hidden */"), (std::vector<std::string>{"user"}));
}

TEST(ScriptNames, EscapedIdentifiersAreDecoded) {
  EXPECT_EQ(Names("\\u0061bc + 1"), (std::vector<std::string>{"abc"}));
}

}  // namespace
}  // namespace flow::core
