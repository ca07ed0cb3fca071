// HookPlan: the list under one `hooks_<point>` key of a step, validated and compiled once
// (templates parsed, JMESPath compiled), run by RunHooks (hook_runner.hpp). Immutable after
// Compile and cheap to copy; one plan may be run from several threads at once.
//
// Each list entry (a HookAction) may hold several actions; they run in this order:
// compute, capture, validate, log, metric, script, call, wait, exports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

enum class HookSeverity { kError, kWarning, kInfo };

// The limit of a hook `wait`, in milliseconds (one hour).
inline constexpr std::int64_t kMaxHookWaitMs = 3'600'000;

namespace hooks {

struct ComputeEntry {
  std::string name;
  std::string pointer;  // "/0/compute/name"
  CompiledValue value;
};

struct CaptureEntry {
  std::string name;
  std::string pointer;
  std::optional<jmespath::Expression> expression;  // always set after Compile
};

struct ValidateEntry {
  std::string pointer;  // "/0/validate/1"
  std::string text;     // the expression as written
  // Without {{ }}: the rewritten expression, compiled. With {{ }}: the template, rendered and
  // then rewritten and compiled at run time (as the original interpolates first).
  std::optional<jmespath::Expression> expression;
  std::optional<Template> expression_template;
  std::optional<Template> message;  // null: "validation failed: <text>"
  HookSeverity severity = HookSeverity::kError;
};

struct LogAction {
  std::string pointer;         // "/0/log"
  std::string level = "info";  // debug, info, warn, error
  CompiledValue message;
  std::string message_text;  // as written, shown when it cannot be rendered
  std::optional<CompiledValue> metadata;
};

struct MetricAction {
  std::string pointer;
  CompiledValue name;
  std::string name_text;
  CompiledValue value;
  std::optional<CompiledValue> tags;
  std::optional<CompiledValue> timestamp;
};

struct CallAction {
  std::string pointer;
  Value spec;  // as written (templates not rendered): the caller renders it like a step's `call`
};

struct WaitAction {
  std::string pointer;
  std::optional<std::int64_t> ms;       // a number, or text without {{ }}
  std::optional<Template> ms_template;  // text with {{ }}: rendered at run time
};

struct ExportEntry {
  std::string pointer;
  std::string name;
};

struct Action {
  std::string pointer;  // "/0"
  std::vector<ComputeEntry> compute;
  std::vector<CaptureEntry> capture;
  std::vector<ValidateEntry> validate;
  std::optional<LogAction> log;
  std::optional<MetricAction> metric;
  std::optional<std::string> script;  // JavaScript: not supported yet
  std::optional<CallAction> call;
  std::optional<WaitAction> wait;
  std::vector<ExportEntry> exports;
};

}  // namespace hooks

// A part of a plan that needs a later version (the JavaScript sandbox). A step whose plan has any
// is "not supported yet"; RunHooks refuses such a plan before running any action.
struct HookUnsupported {
  std::string
      feature;  // "hook 'script'", "javascript in hook validate", "direct '$' JavaScript syntax"
  std::string pointer;  // relative to the list ("/0/script", "/1/validate/0/expression")
  std::string message;  // "javascript in hook validate is not supported yet: 'a === b'"
};

struct HookPlanLoad;

class HookPlan {
 public:
  HookPlan() = default;  // runs nothing

  // Validates and compiles the value of one hooks_<point> key (a list of HookActions; null is an
  // empty list). Reports every problem, each an InvalidArgument with `pointer` relative to the
  // list ("/0/capture/token") and a `reason`: "unknown-key" (with a did-you-mean hint),
  // "wrong-type", "missing-key", "invalid-value", "invalid-capture". Expressions that need
  // JavaScript are not errors: they are listed in unsupported(). `plan` is set when there is no
  // error.
  static HookPlanLoad Compile(const Value& list);

  bool HasScript() const;                           // a `script` action
  std::vector<std::string> ScriptPointers() const;  // "/0/script", ...
  bool HasCall() const;                             // a `call` action
  bool HasUnsupported() const { return !unsupported_.empty(); }
  // Script actions, JavaScript validate expressions and direct JavaScript / faker values, in
  // list order.
  const std::vector<HookUnsupported>& unsupported() const { return unsupported_; }

  const std::vector<hooks::Action>& actions() const { return actions_; }
  bool empty() const { return actions_.empty(); }

 private:
  friend class HookPlanCompiler;
  std::vector<hooks::Action> actions_;
  std::vector<HookUnsupported> unsupported_;
};

struct HookPlanLoad {
  std::optional<HookPlan> plan;  // set when `errors` is empty
  std::vector<Error> errors;
  std::vector<Error> warnings;  // keys accepted for compatibility that have no effect
};

}  // namespace flow::core
