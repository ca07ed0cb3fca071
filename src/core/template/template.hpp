// {{ }} interpolation: strings parsed once into literal parts and expressions, rendered against
// the variable scopes of a run. A Template or CompiledValue is immutable after Parse/Compile, so
// one instance may be rendered from several threads at once (each with its own context); the
// context borrows everything it points to, and a rendered value never points into it.
//
// Expressions inside {{ }}: variable paths ("user.tags[0]", "items.0", "a[\"odd key\"]",
// "list.length"), exports ("node_id.var.deep"), "$env.NAME", "$now", "$timestamp", "$uuid",
// "$random". Faker and JavaScript forms are recognised and rejected as not supported yet.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"
#include "core/result.hpp"
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
  UnresolvedPolicy unresolved = UnresolvedPolicy::kError;
  std::vector<std::string>* warnings =
      nullptr;  // kLiteral: "unresolved variable 'x' sent literally"
};

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

  bool HasExpressions() const;
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

  static Result<CompiledValue> Compile(const Value& value);  // error.pointer = failing node
  bool HasExpressions() const;
  Result<Value> Render(const InterpolationContext& ctx) const;  // error.pointer = failing node

 private:
  std::shared_ptr<const template_detail::Node> root_;
};

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

// Text of a value embedded in a larger string: strings as they are, null as "null", booleans
// true/false, numbers as JSON with integral numbers written without ".0", objects and arrays as
// compact JSON.
void AppendValueText(std::string& out, const Value& value);

}  // namespace flow::core
