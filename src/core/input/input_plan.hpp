// InputPlan: the `input` of one step (one InputConfig mapping or a list of them), validated and
// compiled once: templates parsed, conditions and JMESPath compiled, regexes compiled. RunInputs
// (run_inputs.hpp) evaluates it. Immutable after Compile and cheap to copy; one plan may be run
// from several threads at once.
//
// JavaScript (run in the suite's ScriptSession by RunInputs; listed in scripts(), statically
// checked here: a problem is an error with reason "invalid-script" and the line and column
// inside the code):
//  - `{{js: …}}`, `{{$faker.x.y}}` and the direct forms ("$return …", "#faker.x.y") in prompt,
//    description, placeholder, default, ci_default, options, condition and dynamic.computed;
//  - dynamic.computed values in the original's direct form "$list[idx].name" (a '$' then a
//    name): the JavaScript expression after the '$', with the variables bound (the inputs just
//    answered too); with {{ }} inside, they are pasted as text first;
//  - validation.custom_validation: a JavaScript expression with the answer bound as `value` and
//    `input` and the variables too. A true-ish result passes; a string result is the error
//    message (the convention of prompt libraries' `validate`: return true or a message); any
//    other false-ish result fails with "custom validation failed";
//  - validation.expressions with `language: javascript` (the original's default; also
//    "javascript-inline"): a JavaScript condition (Condition::CompileJavaScript) over the same
//    bindings, truthy as JavaScript defines it.
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

// A place in the plan that runs JavaScript or faker, for the suite loader (ScriptSite).
struct InputScriptUse {
  std::string pointer;  // of the string, relative to the `input` value ("/0/validation/...")
  std::string what;     // "javascript" or "faker"
  bool operator==(const InputScriptUse&) const = default;
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

// A JavaScript expression: checked at load, or (with {{ }} inside) rendered to text and checked
// at run time.
struct ScriptCode {
  std::string text;                       // the code as written
  std::optional<ScriptSource> source;     // without {{ }}
  std::optional<Template> code_template;  // with {{ }}
};

struct ValidationRule {
  std::string name;
  std::string text;     // the expression as written
  Condition condition;  // JMESPath, or JavaScript (condition.IsJavaScript())
  std::string message;
  bool warning = false;  // severity: warning
  std::string pointer;
};

struct ComputedSpec {
  std::string name;
  CompiledValue value;
  std::optional<ScriptCode> script;  // the direct form "$list[idx].name": runs instead of value
  std::string text;                  // as written (the JSON of a non-string)
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
  std::optional<ScriptCode> custom_validation;
  std::string custom_validation_pointer;
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
  // warnings. JavaScript and faker uses are listed in scripts().
  static InputPlanLoad Compile(const Value& input);

  std::size_t size() const { return inputs_.size(); }
  bool empty() const { return inputs_.empty(); }
  // Every JavaScript and faker use, input by input.
  const std::vector<InputScriptUse>& scripts() const { return scripts_; }
  // Every variable the plan may assign: each input's, then the dynamic.computed names.
  std::vector<std::string> variables() const;
  const std::vector<input_detail::InputSpec>& inputs() const { return inputs_; }

 private:
  friend class InputPlanCompiler;
  std::vector<input_detail::InputSpec> inputs_;
  std::vector<InputScriptUse> scripts_;
};

struct InputPlanLoad {
  std::optional<InputPlan> plan;  // set when `errors` is empty
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

}  // namespace flow::core
