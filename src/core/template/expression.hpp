// The inside of one {{ }} placeholder, classified and (for variable paths) split into segments
// once at parse time, and its evaluation against an InterpolationContext. Internal to
// flow_template; immutable after ParseExpression, so shared freely between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core::template_detail {

enum class ExpressionKind {
  kEmpty,       // {{}} or {{   }}
  kVariable,    // a variable path or an export: "user.tags[0]", "auth.token"
  kEnv,         // $env.NAME
  kNow,         // $now
  kTimestamp,   // $timestamp
  kUuid,        // $uuid
  kRandom,      // $random
  kFaker,       // $faker.a.b(...), faker.a.b(...) with data arguments (or none)
  kJavaScript,  // $js:..., js:..., $js...., any expression with a JS operator, or a faker call
                // whose arguments are JavaScript
  kNested,      // a non-JS expression containing "{{" (not supported)
};

struct PathSegment {
  std::string key;      // the object key, or the array index as decimal digits
  std::size_t end = 0;  // offset just past this segment in Expression::text
};

struct Expression {
  ExpressionKind kind = ExpressionKind::kEmpty;
  std::string text;                 // the trimmed expression
  std::string detail;               // kEnv: the NAME; kJavaScript: the operator that made it JS
  std::vector<PathSegment> path;    // kVariable whose text is a valid path
  std::optional<Error> path_error;  // kVariable whose text is not a valid path

  // kJavaScript and kFaker:
  ScriptCallKind script_kind = ScriptCallKind::kExpression;  // kFaker for data-argument calls
  std::string code;               // the JavaScript, or the faker method path "person.firstName"
  Value faker_args = Value::array();
  std::shared_ptr<const Template> inner;  // code containing "{{": rendered as text first
  std::vector<std::string> names;         // free names of `code` (without inner templates)
  std::optional<ScriptProblem> problem;   // the first problem of `code`, or a bad faker call
};

// The expression of a direct form: "#faker.x.y" -> kFaker, "$return 1" -> a JavaScript block,
// "$Math.max(1, 2)" -> a JavaScript expression.
std::shared_ptr<const Expression> DirectToExpression(const DirectExpression& direct);



std::shared_ptr<const Expression> ParseExpression(std::string_view text);

// What an expression evaluates to: a reference into the scopes (valid as long as they are), or
// a value computed on the spot. No copy of a variable is made until the caller needs one.
struct Resolved {
  const Value* ref = nullptr;
  Value owned;
  const Value& get() const { return ref != nullptr ? *ref : owned; }
};

Result<Resolved> Evaluate(const Expression& expression, const InterpolationContext& ctx);

// Evaluates kJavaScript and kFaker expressions (script_eval.cpp).
Result<Resolved> EvaluateScript(const Expression& expression, const InterpolationContext& ctx);
// Fills the script fields of a kJavaScript / kFaker expression from its text.
void PrepareScript(Expression& expression);

// True for the failures UnresolvedPolicy::kLiteral turns into literal text: unknown names,
// missing keys, malformed paths, empty placeholders. Not-supported forms and missing ports
// stay errors.
bool IsLiteralFallbackAllowed(const Error& error);

// The warning appended when `placeholder` is sent literally because of `error`.
std::string LiteralWarning(const Expression& expression, const Error& error);

}  // namespace flow::core::template_detail
