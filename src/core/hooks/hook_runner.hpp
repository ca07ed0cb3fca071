// RunHooks: runs a compiled hooks list at one point of a step, against the step's real variables.
// Side effects go through HookEnv: variables are set with set_variable (the caller writes them
// into the same runtime Value its InterpolationContext reads, so later actions and later steps
// see them), exports go to export_variable, `call` to call, `wait` to the clock. Not thread-safe
// per HookEnv; a plan may be run with several envs at once.
//
// JavaScript runs in env.interpolation.script (the suite's session) with the budget
// env.interpolation.script_budget, and sees the hook data (the context, `variables`, and every
// variable by its name; a context key wins over a variable of the same name) bound as
// identifiers:
//  - templates of compute, log, metric, wait and validate messages render with the hook data as
//    InterpolationContext::script_bindings ("$response.body.accessToken.length",
//    "$Date.now() - timestamp" with `timestamp` set by an earlier compute);
//  - a JavaScript validate expression passes when its value is truthy as JavaScript defines it;
//    one that throws (or does not compile) is a failed validation whose message ends with the
//    exception's, under the entry's severity; one that cannot run (a budget, the helper, no
//    sandbox) fails the hook with the engine's reason;
//  - a `script` action's setVariable(name, value) calls set variables through set_variable (the
//    step and later steps see them) and are listed in `computed`; its result is discarded; a
//    throw or a budget fails the hook: "hook script: <message>", reason that of the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/hooks/hook_plan.hpp"
#include "core/hooks/hook_point.hpp"
#include "core/ports/clock.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"
#include "core/template/template.hpp"
#include "core/value.hpp"

namespace flow::core {

struct HookEnv {
  HookPoint point = HookPoint::kPreRequest;
  InterpolationContext interpolation;  // the step's real scopes (runtime, suite, global, exports)
  // What the hook sees besides the variables, filled by the caller with what exists at this
  // point: response{status, status_code, headers, body, data, response_time_ms}, assertions,
  // captured, input, capturedVariables, iteration, result, call_result, propagated_variables,
  // success, status, stepName, stepIndex. RunHooks adds `variables` (the merged variables) and
  // `assertionResults` (= assertions) itself.
  Value context = Value::object();
  Clock* clock = nullptr;  // `wait`; metric timestamps
  // compute/capture write here (runtime scope).
  std::function<void(const std::string&, const Value&)> set_variable;
  // exports: publish to the registry.
  std::function<void(const std::string&, const Value&)> export_variable;
  // Runs a hook `call` action (the keys of a step's `call`, not yet rendered); returns the call's
  // result summary ({success, propagated_variables, ...}) or an Error. `pointer` is the action's,
  // relative to the list. Null: calls are not available at this point.
  std::function<Result<Value>(const Value& call_spec, const std::string& pointer)> call;
};

struct HookRunResult {
  // log and metric actions, and validate failures of severity warning (level "warn") and info.
  // A metric is {level "info", message "metric <name>=<value>", data {name, value, tags,
  // timestamp}}.
  std::vector<LogEntry> logs;
  std::vector<std::string> warnings;  // a capture that matched nothing, a missing export, ...
  // Fails the step: a false validate of severity error (reason "hook-validate"), a
  // compute/capture/wait/script that failed, a JavaScript validate that could not run, a failing
  // call. Its `pointer` is relative to the list; the actions after it did not run.
  std::optional<Error> error;
  std::int64_t waited_ms = 0;
  Value computed = Value::object();  // every variable set (compute, capture, script)
};

HookRunResult RunHooks(const HookPlan& plan, HookEnv& env);

// The variables as the hook expressions see them: exports registry entries ({node_id: {...}}),
// then global, imported, suite and runtime variables (later ones win); a name with dots
// ("auth.token", as call propagation writes them) is also placed at its path ({auth: {token}})
// unless something that is not an object is in the way.
Value MergeHookVariables(const VariableScopes& scopes);

}  // namespace flow::core
