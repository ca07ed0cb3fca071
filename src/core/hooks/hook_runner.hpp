// RunHooks: runs a compiled hooks list at one point of a step, against the step's real variables.
// Side effects go through HookEnv: variables are set with set_variable (the caller writes them
// into the same runtime Value its InterpolationContext reads, so later actions and later steps
// see them), exports go to export_variable, `call` to call, `wait` to the clock. Not thread-safe
// per HookEnv; a plan may be run with several envs at once.
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
  // Fails the step: a false validate of severity error, a compute/capture/wait that failed, a
  // failing call, a plan with unsupported parts (reason "not-supported"). Its `pointer` is
  // relative to the list; the actions after it did not run.
  std::optional<Error> error;
  std::int64_t waited_ms = 0;
  Value computed = Value::object();  // every variable set (compute, capture), for the report
};

HookRunResult RunHooks(const HookPlan& plan, HookEnv& env);

// The variables as the hook expressions see them: exports registry entries ({node_id: {...}}),
// then global, imported, suite and runtime variables (later ones win); a name with dots
// ("auth.token", as call propagation writes them) is also placed at its path ({auth: {token}})
// unless something that is not an object is in the way.
Value MergeHookVariables(const VariableScopes& scopes);

}  // namespace flow::core
