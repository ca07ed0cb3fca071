// RunInputs: answers the inputs of one step's InputPlan, in order, through an InputProvider and
// an InputPolicy, and converts and validates every answer. Pure: the provider and the clock are
// ports. Thread-compatible (one call at a time per provider).
//
// For each input, in order (later inputs see the earlier ones' values in templates, conditions,
// options expressions and validation expressions):
//   1. `condition` false: no prompt; the variable is `default` (or null); skipped_by_condition.
//   2. The request is rendered (prompt, description, placeholder, default, ci_default, options).
//   3. The provider, when there is one, is asked first, whatever the policy. An empty answer
//      (null or "", or used_default) takes the default (in auto/CI mode: ci_default, default,
//      then a select's first option).
//   4. No answer: kAuto or ci: ci_default, default, else a select's first option, else a
//      required input fails. kFail: a required input fails; an optional one takes `default` (or
//      null). kPrompt: fails without a provider; with one that had no answer, as kFail.
//   5. The value is converted (input_conversion.hpp) and validated; an invalid answer is asked
//      again (at most 5 attempts) when the provider CanReprompt(), else the step fails.
// Then every input's dynamic.computed templates are rendered (seeing all inputs and the
// computed values before them) and assigned too. The first failure stops the run.
//
// JavaScript and faker (input_plan.hpp) run in ctx.interpolation.script with
// ctx.interpolation.script_budget. In validation, custom_validation and JavaScript expressions
// that throw are a failed check (the message says why; the answer may be asked again), while one
// that cannot run (a budget, the helper, no sandbox) fails the step with the engine's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/input/input_plan.hpp"
#include "core/input/input_policy.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/input_provider.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

inline constexpr std::size_t kMaxInputAttempts = 5;

struct InputStepInfo {
  std::string suite_name;
  std::string suite_path;
  std::string node_id;
  std::string step_name;
  std::string step_id;
  std::size_t step_index = 0;
};

struct InputRunContext {
  InterpolationContext
      interpolation;                  // sees the step's variables (runtime, suite, global, exports)
  const Value* variables = nullptr;   // all variables merged (an object): conditions, options
                                      // expressions and validation expressions run over it
  InputProvider* provider = nullptr;  // may be null: then only the policy decides
  InputPolicy policy = InputPolicy::kFail;
  bool ci = false;  // CI detected (IsCiEnvironment): behaves like kAuto
  InputStepInfo step;
  Clock* clock = nullptr;  // for input_time_ms; null: 0
};

// The original's input_results[] entry.
struct InputResult {
  std::string variable;
  Value value;
  double input_time_ms = 0;
  bool validation_passed = true;
  bool used_default = false;
  bool timed_out = false;
  bool skipped_by_condition = false;
  bool masked = false;  // a password: ToReport() does not show the value
  std::string validation_error;
  std::vector<std::string> validation_warnings;
  // {variable, value, input_time_ms, validation_passed, used_default, timed_out,
  //  validation_error?, validation_warnings?, skipped_by_condition? (only when true)}; a masked
  // value is reported as "********".
  Value ToReport() const;
};

// One dynamic.computed value: the original's dynamic_assignments[] entry.
struct DynamicAssignment {
  std::string name;
  Value value;
  std::string expression;    // the template as written (its JSON for a non-string)
  std::int64_t unix_ms = 0;  // when it was computed (0 without a clock)
  // {name, value, scope: "runtime", source: "computed", expression, timestamp (ISO-8601)}
  Value ToReport() const;
};

struct InputRunResult {
  std::vector<InputResult> results;
  std::vector<DynamicAssignment> dynamic_assignments;
  Value assigned = Value::object();  // variable -> converted value, in order, then computed ones
  // Set when the step must fail: a required input without an answer, a failed validation, a
  // provider error, a template or expression error. Error::pointer is that of the input (or of
  // its key at fault) relative to the step's `input` value; reason "input-required",
  // "input-invalid", "input-provider" or the underlying error's.
  std::optional<Error> error;
};

InputRunResult RunInputs(const InputPlan& plan, const InputRunContext& ctx);

}  // namespace flow::core
