// A static check of user JavaScript (a {{js: …}} expression, a condition, a pre_request script)
// that runs before any of it reaches the engine. It is a lint with file positions, not the
// containment: the sandboxed engine (no code generation, no such globals) and the helper process
// limits are. Pure and thread-safe; nothing outlives the call.
//
// The source is tokenized as an ECMAScript script: identifiers with \u escapes (decoded), numbers,
// strings and template literals with escapes and nested ${…}, regular expressions told from
// division by the previous token (with a bracket stack that knows blocks from object literals and
// function expressions, `if (…) /re/`, prefix `++` after a line break, `for (x of /re/)`), comments
// including HTML-like `<!--` and `-->`, Unicode white space, punctuators. Words inside strings,
// template text, regular expressions and comments are never problems.
//
// Problems (each with byte offset, 1-based line and column in code points, hint):
//  - a reference to require import export module exports process globalThis window self global
//    Worker eval Function constructor __proto__ __defineGetter__ __defineSetter__ __lookupGetter__
//    __lookupSetter__ Reflect Proxy WebAssembly SharedArrayBuffer Atomics XMLHttpRequest fetch
//    setTimeout setInterval setImmediate, and the statements `with` and `debugger`;
//  - a property name after `.` or `?.` (or a computed key that is one string literal) naming
//    constructor, __proto__, eval, Function or a legacy accessor; any other property name is fine
//    (`obj.process`, `x["require"]`), and so is an object key before ':' (`{ process: 1 }`);
//    shorthand properties and method names are checked as references (`{ process }`);
//  - `arguments.callee`; an object literal key `__proto__:`; a write to a prototype: `X.prototype`
//    (`.prototype` or `["prototype"]`), optionally followed by `.a`/`[k]` segments, then an
//    assignment operator or a postfix `++`/`--`;
//  - a computed member access `x[…]` whose key contains a string, template or regex literal but is
//    not exactly one string literal ("built string": `[]["con"+"structor"]`, `` x[`a${b}`] ``).
//    `obj[key]`, `arr[i + 1]`, `m[f(x)]` are fine: a key computed at run time is the engine's job;
//  - a `/` right after `await`/`yield`, or `{`/`function`/`class` on the line after `await`: the
//    meaning depends on whether they are keywords (async code, generators) or plain names;
//  - lexical errors: unterminated string, template, regex or comment, unbalanced or unclosed
//    brackets, invalid UTF-8, a bad escape in an identifier, an unexpected character; a source over
//    kMaxScriptBytes (one problem). These stop the check; otherwise at most 100 problems are kept.
//
// ScriptKind decides how the source starts: a kScript starts at a statement (a leading `{` is a
// block, `function` a declaration); a kExpression is an operand (`{` an object, as when the engine
// wraps it in parentheses). Not detected, on purpose: `Object.defineProperty(X.prototype, …)`,
// prefix `++`/`delete` on a prototype, keys built in a variable (`x[k]` with `k = 'constr'+…`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flow::core {

enum class ScriptKind {
  kExpression,
  kScript
};  // an expression ({{js: …}}, conditions) or statements

inline constexpr std::size_t kMaxScriptBytes = std::size_t{1} << 20;

struct ScriptProblem {
  std::string message;               // "'require' is not available in flowtest JavaScript"
  std::size_t offset = 0;            // byte offset in the source
  std::size_t line = 1, column = 1;  // 1-based, within the snippet
  std::string hint;
};

struct ScriptCheck {
  std::vector<ScriptProblem> problems;  // in source order; empty: allowed
  // The free names the source reads or calls, in first-use order, without keywords: every name
  // token that is not a property (`a.b` gives "a"), not an object key before ':' and not a label.
  // Names the code declares itself are included too (the tokenizer has no scopes): the engine
  // binds a variable of that name, and the code's own declaration shadows it. Filled only when
  // there are no lexical errors.
  std::vector<std::string> names;
  bool ok() const { return problems.empty(); }
};

ScriptCheck CheckScript(std::string_view source, ScriptKind kind);

}  // namespace flow::core
