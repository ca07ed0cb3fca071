// Condition: a JMESPath test written in a suite (skip, condition, skip_condition, scenario
// conditions, retry.until), with {{ }} placeholders and the original engine's shorthands.
//
// Rendering: a placeholder outside quotes becomes a JMESPath literal of its value, so
// `{{role}} == 'admin'` compares the role's value (the original pasted the text, giving
// `admin == 'admin'`, a field lookup); inside quotes ('…', "…", `…`) the value's text is pasted.
// Then bare literals after a comparison become JMESPath literals (`count == 3`,
// `flag == true`), and `headers['x-id']` becomes `headers."x-id"`. The result is truthy as
// JMESPath defines it: false, null, "", [] and {} are false.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/jmespath/jmespath.hpp"
#include "core/result.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

class Condition {
 public:
  // Errors: a condition without placeholders that is not valid JMESPath; one whose placeholders
  // cannot be parsed. The message quotes the condition.
  static Result<Condition> Compile(std::string_view text);
  // A JavaScript condition (`env === 'prod' && !skip_all`), for text that is not JMESPath. The
  // variables it names are bound as identifiers; a placeholder outside quotes is pasted as a
  // JavaScript literal of its value, inside quotes as escaped text. Truthy as JavaScript
  // defines it (0, "", null, NaN are false; [] and {} are true). Errors: the static check of
  // the code (CheckScript), with the line and column inside the condition.
  static Result<Condition> CompileJavaScript(std::string_view text);

  // The condition's JMESPath after rendering its placeholders with `ctx`.
  Result<std::string> Render(const InterpolationContext& ctx) const;
  // Renders, then searches `data`; the truthiness of the result.
  Result<bool> Evaluate(const Value& data, const InterpolationContext& ctx) const;

  const std::string& text() const { return text_; }
  bool HasPlaceholders() const { return !placeholders_.empty(); }
  bool IsJavaScript() const { return javascript_; }

 private:
  struct Piece {
    std::string literal;                // text before the placeholder
    std::shared_ptr<const Template> placeholder;  // null for the tail
    bool quoted = false;                // the placeholder sits inside quotes
  };
  std::string text_;
  std::vector<Piece> pieces_;
  std::vector<std::size_t> placeholders_;
  std::shared_ptr<const jmespath::Expression> compiled_;  // when there are no placeholders
  bool javascript_ = false;
  std::vector<std::string> names_;  // JavaScript without placeholders: CheckScript names

  static Result<Condition> Split(std::string_view text);
  Result<bool> EvaluateJavaScript(const Value& data, const InterpolationContext& ctx) const;
};

// JavaScript truthiness of a JSON result (undefined arrives as null).
bool IsJsTruthy(const Value& v);

// A condition as JMESPath: bare numbers, true, false and null after a comparison operator become
// JMESPath literals (`count == 3` -> ``count == `3` ``), as the original engine rewrites them.
std::string SkipConditionToJmesPath(std::string_view condition);

// The original's rewrites, applied to a condition's JMESPath text.
std::string ConditionToJmesPath(std::string_view condition);

// JMESPath truthiness.
bool IsTruthy(const Value& v);

}  // namespace flow::core
