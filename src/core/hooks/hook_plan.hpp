// HookPlan: the list under one `hooks_<point>` key of a step, validated and compiled once
// (templates parsed, JMESPath compiled, JavaScript statically checked), run by RunHooks
// (hook_runner.hpp). Immutable after Compile and cheap to copy; one plan may be run from several
// threads at once.
//
// Each list entry (a HookAction) may hold several actions; they run in this order:
// compute, capture, validate, log, metric, script, call, wait, exports.
//
// JavaScript in hooks (run in the suite's ScriptSession, with the hook's data bound):
//  - values of compute, log, metric and wait: `{{js: …}}`, `{{$faker.x.y}}` and the direct forms
//    ("$Date.now() - timestamp", "$response.body.token.length", "#faker.person.firstName");
//  - a validate `expression` that is not JMESPath (after the rewrites of
//    validate_expression.hpp): a JavaScript expression;
//  - a `script` action: a JavaScript block whose setVariable() calls set variables.
// Every such use is listed in scripts(), and its static check (CheckScript) is done here: a
// problem is a compile error (reason "invalid-script") with the line and column inside the code.
// A validate expression with {{ }} is JMESPath or JavaScript according to its rendered text,
// decided at run time; it is listed only for the JavaScript and faker inside its placeholders.
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
  bool uses_script = false;  // the value holds JavaScript or faker
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
  std::optional<ScriptSource> script;  // not JMESPath: a JavaScript expression
  std::optional<Template> expression_template;
  std::optional<Template> message;  // null: "validation failed: <text>"
  HookSeverity severity = HookSeverity::kError;
  bool uses_script = false;  // the template or message holds JavaScript or faker
};

struct LogAction {
  std::string pointer;         // "/0/log"
  std::string level = "info";  // debug, info, warn, error
  CompiledValue message;
  std::string message_text;  // as written, shown when it cannot be rendered
  std::optional<CompiledValue> metadata;
  bool uses_script = false;
};

struct MetricAction {
  std::string pointer;
  CompiledValue name;
  std::string name_text;
  CompiledValue value;
  std::optional<CompiledValue> tags;
  std::optional<CompiledValue> timestamp;
  bool uses_script = false;
};

struct CallAction {
  std::string pointer;
  Value spec;  // as written (templates not rendered): the caller renders it like a step's `call`
};

struct WaitAction {
  std::string pointer;
  std::optional<std::int64_t> ms;       // a number, or text without {{ }}
  std::optional<Template> ms_template;  // text with {{ }}: rendered at run time
  bool uses_script = false;
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
  std::optional<ScriptSource> script;  // a JavaScript block (kBlock)
  std::optional<CallAction> call;
  std::optional<WaitAction> wait;
  std::vector<ExportEntry> exports;
};

}  // namespace hooks

// A place in a plan that runs JavaScript or faker, for the suite loader (ScriptSite).
struct HookScriptUse {
  std::string pointer;  // of the string, relative to the list ("/0/script", "/0/compute/t")
  std::string what;     // "javascript" or "faker"
  bool operator==(const HookScriptUse&) const = default;
};

struct HookPlanLoad;

class HookPlan {
 public:
  HookPlan() = default;  // runs nothing

  // Validates and compiles the value of one hooks_<point> key (a list of HookActions; null is an
  // empty list). Reports every problem, each an InvalidArgument with `pointer` relative to the
  // list ("/0/capture/token") and a `reason`: "unknown-key" (with a did-you-mean hint),
  // "wrong-type", "missing-key", "invalid-value", "invalid-capture", "invalid-script" (a
  // JavaScript or faker use that fails its static check; the pointer is that of the string).
  // `plan` is set when there is no error.
  static HookPlanLoad Compile(const Value& list);

  bool HasScript() const;                           // a `script` action
  std::vector<std::string> ScriptPointers() const;  // "/0/script", ...
  bool HasCall() const;                             // a `call` action
  // Every JavaScript and faker use (script actions, JavaScript validate expressions, templates
  // and direct forms), in list order.
  const std::vector<HookScriptUse>& scripts() const { return scripts_; }

  const std::vector<hooks::Action>& actions() const { return actions_; }
  bool empty() const { return actions_.empty(); }

 private:
  friend class HookPlanCompiler;
  std::vector<hooks::Action> actions_;
  std::vector<HookScriptUse> scripts_;
};

struct HookPlanLoad {
  std::optional<HookPlan> plan;  // set when `errors` is empty
  std::vector<Error> errors;
  std::vector<Error> warnings;  // keys accepted for compatibility that have no effect
};

}  // namespace flow::core
