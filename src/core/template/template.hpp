// {{ }} interpolation: strings parsed once into literal parts and expressions, rendered against
// the variable scopes of a run. A Template or CompiledValue is immutable after Parse/Compile, so
// one instance may be rendered from several threads at once (each with its own context); the
// context borrows everything it points to, and a rendered value never points into it.
//
// Expressions inside {{ }}: variable paths ("user.tags[0]", "items.0", "a[\"odd key\"]",
// "list.length"), exports ("node_id.var.deep"), "$env.NAME", "$now", "$timestamp", "$uuid",
// "$random", faker calls ("$faker.person.firstName", "faker.number.int({\"min\": 1})") and
// JavaScript ("js: count > 3", "$js: a + 1", "$js.return items.length", or any expression with a
// JavaScript operator), which run in ctx.script with the variables they name bound as
// identifiers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"
#include "core/ports/script_engine.hpp"
#include "core/script/script_check.hpp"
#include "core/result.hpp"
#include "core/secrets/secrets.hpp"
#include "core/template/unresolved_policy.hpp"
#include "core/value.hpp"

namespace flow::core {

struct VariableScopes {            // each an object Value, or nullptr; highest precedence first
  const Value* runtime = nullptr;  // captures, inputs
  const Value* suite = nullptr;    // suite `variables`
  const Value* imported = nullptr;
  const Value* global = nullptr;   // config globals + FLOW_TEST_* env
  const Value* exports = nullptr;  // registry {"node_id": {"var": value, ...}, ...}
};

struct InterpolationContext {
  VariableScopes scopes;
  const Environment* environment = nullptr;  // $env.NAME; required only when used
  Clock* clock = nullptr;                    // $now, $timestamp; required only when used
  Entropy* entropy = nullptr;                // $uuid, $random; required only when used
  ScriptSession* script = nullptr;           // JavaScript and faker; required only when used
  // Names bound for JavaScript at this place over the variables (an object, or nullptr): the
  // response of a step ("status_code", "headers", "body", "response"), a hook's context.
  const Value* script_bindings = nullptr;
  ScriptBudget script_budget;
  std::vector<ScriptLogLine>* script_console = nullptr;  // console.* of template JavaScript
  UnresolvedPolicy unresolved = UnresolvedPolicy::kError;
  // Values read from $env are secrets: they are added here, when given.
  SecretRegistry* secrets = nullptr;
  std::vector<std::string>* warnings =
      nullptr;  // kLiteral: "unresolved variable 'x' sent literally"
};

struct DirectExpression;
struct ScriptUse;

namespace template_detail {
struct Expression;
struct Node;
}  // namespace template_detail

// One string, parsed once into literal parts and {{expression}} parts. Copies are cheap (the
// parsed expressions are shared).
class Template {
 public:
  Template() = default;  // the empty string
  // Never fails on any text today: unclosed "{{" and lone "}}" are literal text, and problems
  // inside an expression are reported by Render (so UnresolvedPolicy can apply to them).
  static Result<Template> Parse(std::string_view text);

  // A whole-value template for a direct expression ("#faker.x.y", "$return 1", "$Math.max(1)").
  static Template FromDirect(const DirectExpression& direct);

  bool HasExpressions() const;
  // The JavaScript and faker expressions in it, for load-time checks.
  std::vector<ScriptUse> ScriptUses() const;
  // Exactly one {{expr}} and nothing else (spaces inside the braces are fine).
  bool IsWholeExpression() const;
  // A whole expression yields the typed value; anything else yields a string.
  Result<Value> Render(const InterpolationContext& ctx) const;
  const std::string& source() const { return source_; }

 private:
  struct Part {
    std::string text;  // the literal text, or the placeholder as written ("{{ x }}")
    std::shared_ptr<const template_detail::Expression> expression;  // null for literal text
  };
  std::string source_;
  std::vector<Part> parts_;
  bool has_expressions_ = false;
};

// A Value tree whose strings are Templates (object keys never are). Subtrees without any
// expression are kept as plain values and copied as they are.
class CompiledValue {
 public:
  static constexpr int kMaxDepth = 256;  // deeper values are an error, not a stack overflow

  CompiledValue() = default;  // renders as null

  // Strings in the direct syntax ("#faker.x.y", "$return ...", "$Math.x(...)") become whole-value
  // faker or JavaScript expressions.
  static Result<CompiledValue> Compile(const Value& value);  // error.pointer = failing node
  bool HasExpressions() const;
  // The JavaScript and faker expressions inside, with the JSON pointer of their string.
  std::vector<ScriptUse> ScriptUses() const;
  Result<Value> Render(const InterpolationContext& ctx) const;  // error.pointer = failing node

 private:
  std::shared_ptr<const template_detail::Node> root_;
};

// The placeholders of `text` exactly as Template::Parse finds them: the byte range of each
// "{{...}}" (braces included), in order. For tools that rewrite templates (the converters).
struct PlaceholderSpan {
  std::size_t begin = 0;
  std::size_t end = 0;  // just past the closing "}}"
};
std::vector<PlaceholderSpan> FindTemplatePlaceholders(std::string_view text);

// Resolves one variable path (no braces) through the scopes: "user.tags[0]", "items.0",
// "node_id.var.deep", "$env.NAME", "$now". Used for iterate.over and similar. An unresolved path
// is always an Error here, whatever ctx.unresolved says.
Result<Value> ResolvePath(std::string_view path, const InterpolationContext& ctx);

// The names known in ctx (scope variable names, "node_id.var" exports), for "did you mean" hints.
std::vector<std::string> KnownNames(const InterpolationContext& ctx);

// Direct (brace-less) syntax of whole values: "#faker.person.name", "$return 1+2" /
// "$Math.x(..)", "@body.json.id". Returns nullopt for ordinary strings ("$100", "email@x.com",
// "#tag"). `expression` is the text after the sigil ("faker.person.name", "return 1+2",
// "body.json.id").
enum class DirectKind { kFaker, kJavaScript, kJmesPath };
struct DirectExpression {
  DirectKind kind;
  std::string expression;
  bool operator==(const DirectExpression&) const = default;
};
std::optional<DirectExpression> DetectDirectExpression(std::string_view text);

// A JavaScript or faker expression found in a template, for load-time checks and for switching
// JavaScript off.
struct ScriptUse {
  std::string pointer;                   // CompiledValue: the JSON pointer of the string
  bool faker = false;                    // a faker call (data arguments), not JavaScript code
  std::string code;                      // the JavaScript, or the faker method path
  std::optional<ScriptProblem> problem;  // the first problem CheckScript found, if any
};

// One piece of JavaScript from a suite: a condition, a custom assertion, a script.
struct ScriptSource {
  ScriptCallKind kind = ScriptCallKind::kExpression;
  std::string code;
  std::vector<std::string> names;  // CheckScript(code).names
  std::string file;
  int line = 0, column = 0;        // where code starts in file
  int continuation_column = 0;     // where its later lines start (a block scalar); 0: column 1

  // kExpression or kBlock from CheckScript of `code`; the first problem is an error.
  static Result<ScriptSource> Make(ScriptCallKind kind, std::string code);
};

// The bindings for JavaScript that names `names`: each name found in ctx.script_bindings, in
// the variables (runtime > suite > imported > global) or as a node_id of the exports, and
// "variables" as all variables merged. Names of the sandbox's own globals (faker, console,
// Math, ...) are never bound.
Value ScriptBindings(const std::vector<std::string>& names, const InterpolationContext& ctx);

// Runs `source` in ctx.script with ScriptBindings. An Error carries `where` inside the suite
// when the engine reports a position and the source has one.
Result<ScriptOutcome> RunScript(const ScriptSource& source, const InterpolationContext& ctx,
                                const ScriptBudget& budget,
                                std::vector<std::string> read_back = {});

// Text of a value embedded in a larger string: strings as they are, null as "null", booleans
// true/false, numbers as JSON with integral numbers written without ".0", objects and arrays as
// compact JSON.
void AppendValueText(std::string& out, const Value& value);

}  // namespace flow::core
