// InputPlan: the `input` of one step (one InputConfig mapping or a list of them), validated and
// compiled once: templates parsed, conditions and JMESPath compiled, regexes compiled. RunInputs
// (run_inputs.hpp) evaluates it. Immutable after Compile and cheap to copy; one plan may be run
// from several threads at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/assert/ecma_regex.hpp"
#include "core/error.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/model/condition.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

enum class InputType { kText, kPassword, kNumber, kEmail, kUrl, kSelect, kConfirm, kMultiline };

// "text", "password", "number", "email", "url", "select", "confirm", "multiline".
std::string_view InputTypeName(InputType type);

// A part of the plan that needs the JavaScript sandbox of a later version. The caller fails the
// step with "<description> is not supported yet" at `pointer`.
struct InputUnsupported {
  std::string description;  // "javascript in 'validation.custom_validation'"
  std::string pointer;      // JSON pointer relative to the `input` value ("/0/validation/...")
  bool operator==(const InputUnsupported&) const = default;
};

namespace input_detail {

struct OptionSpec {
  CompiledValue value;
  Template label;
  bool has_label = false;  // without one the label is the value's text
};

// `options` (or `validation.options`): a list, or one "{{expr}}" string evaluated at run time.
struct OptionsSpec {
  bool present = false;
  std::string pointer;
  std::vector<OptionSpec> list;
  bool is_expression = false;
  std::string text;                              // the expression string as written
  std::optional<jmespath::Expression> jmespath;  // the inside of "{{ expr }}" when it compiles
  Template fallback;                             // the whole string as a template
};

struct ValidationRule {
  std::string name;
  std::string text;  // the expression as written
  Condition condition;
  std::string message;
  bool warning = false;  // severity: warning
  std::string pointer;
};

struct ComputedSpec {
  std::string name;
  CompiledValue value;
  std::string text;  // as written (the JSON of a non-string)
  std::string pointer;
};

// One InputConfig mapping.
struct InputSpec {
  std::string pointer;  // "" for a single mapping, "/<index>" in a list
  std::string variable;
  InputType type = InputType::kText;
  Template prompt;
  Template description;
  Template placeholder;
  std::string style;  // simple boxed highlighted, or ""
  bool required = false;
  bool has_default = false;
  CompiledValue default_value;
  bool has_ci_default = false;
  CompiledValue ci_default;
  std::optional<bool> condition_constant;  // `condition: true|false`
  std::optional<Condition> condition;
  OptionsSpec options;
  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  std::optional<EcmaRegex> pattern;
  std::optional<CompiledValue> min;  // a number, or a template rendering to one
  std::optional<CompiledValue> max;
  OptionsSpec allowed;  // validation.options
  std::vector<ValidationRule> rules;
  std::vector<ComputedSpec> computed;     // dynamic.computed, in order
  std::optional<double> timeout_seconds;  // kept; has no effect
};

}  // namespace input_detail

struct InputPlanLoad;

class InputPlan {
 public:
  InputPlan() = default;  // asks nothing

  // Validates every key of `input` (a mapping or a non-empty list of mappings): unknown keys
  // (reason "unknown-key", with did-you-mean), wrong types, missing `prompt`/`variable`, unknown
  // `type`/`style`/`severity`/`language`, invalid regexes, conditions and JMESPath. Each Error
  // has `pointer` relative to `input` ("/0/validation/pattern"); all of them are returned. Keys
  // accepted for compatibility without effect (timeout_seconds, dynamic.scope, ...) are
  // warnings. JavaScript parts are listed in unsupported(), not errors.
  static InputPlanLoad Compile(const Value& input);

  std::size_t size() const { return inputs_.size(); }
  bool empty() const { return inputs_.empty(); }
  const std::vector<InputUnsupported>& unsupported() const { return unsupported_; }
  // Every variable the plan may assign: each input's, then the dynamic.computed names.
  std::vector<std::string> variables() const;
  const std::vector<input_detail::InputSpec>& inputs() const { return inputs_; }

 private:
  friend class InputPlanCompiler;
  std::vector<input_detail::InputSpec> inputs_;
  std::vector<InputUnsupported> unsupported_;
};

struct InputPlanLoad {
  std::optional<InputPlan> plan;  // set when `errors` is empty
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

}  // namespace flow::core
