#include "core/hooks/hook_runner.hpp"

#include <cmath>
#include <utility>

#include "core/hooks/validate_expression.hpp"
#include "core/model/condition.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Places `value` at the dotted path of `name` inside `out` ("a.b" -> out.a.b), creating objects;
// nothing when a segment is empty or a non-object is in the way.
void PlaceDotted(Value& out, const std::string& name, const Value& value) {
  const std::vector<std::string> segments = Split(name, '.');
  if (segments.size() < 2) return;
  for (const std::string& segment : segments) {
    if (segment.empty()) return;
  }
  Value* node = &out;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    auto found = node->find(segments[i]);
    if (found == node->end()) {
      node = &((*node)[segments[i]] = Value::object());
    } else if (found->is_object()) {
      node = &*found;
    } else {
      return;
    }
  }
  (*node)[segments.back()] = value;
}

// A rendered text that is a JSON number ("150", "1.5") as that number, like the original's
// metric values; anything else as it is.
Value NumberIfNumeric(Value value) {
  if (!value.is_string()) return value;
  const std::string_view text = Trim(value.get_ref<const std::string&>());
  // Only number-looking text goes to the JSON parser ("[[[..." is no metric value).
  if (text.empty() || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) return value;
  Value number = Value::parse(text, nullptr, /*allow_exceptions=*/false);
  return number.is_number() ? number : value;
}

// A failure of the JavaScript itself (it threw, or did not compile), as opposed to a failure to
// run it (a budget, the helper, no sandbox).
bool IsCodeFailure(const Error& e) {
  return e.reason == kScriptException || e.reason == kScriptSyntax || e.reason == "script-check";
}

// The error `cause` of the action at `pointer`, prefixed with what failed.
Error ActionError(std::string what, Error cause, const std::string& pointer,
                  const char* default_reason) {
  Error error = std::move(cause);
  error.message = std::move(what) + ": " + error.message;
  error.pointer = pointer + error.pointer;
  if (error.reason.empty()) error.reason = default_reason;
  return error;
}

class HookRun {
 public:
  HookRun(HookEnv& env, HookRunResult& result) : env_(env), result_(result) {}

  // False when the action failed (result_.error is set): the caller stops.
  bool Run(const hooks::Action& action) {
    for (const hooks::ComputeEntry& entry : action.compute) {
      if (!Compute(entry)) return false;
    }
    for (const hooks::CaptureEntry& entry : action.capture) {
      if (!Capture(entry)) return false;
    }
    for (const hooks::ValidateEntry& entry : action.validate) {
      if (!Validate(entry)) return false;
    }
    if (action.log) Log(*action.log);
    if (action.metric) Metric(*action.metric);
    if (action.script && !Script(*action.script, JoinPointer(action.pointer, "script"))) {
      return false;
    }
    if (action.call && !Call(*action.call)) return false;
    if (action.wait && !Wait(*action.wait)) return false;
    for (const hooks::ExportEntry& entry : action.exports) Export(entry);
    return true;
  }

 private:
  std::string PointName() const { return std::string(HookPointKey(env_.point)); }

  bool Fail(Error error) {
    result_.error = std::move(error);
    return false;
  }

  void Warn(std::string warning) { result_.warnings.push_back(std::move(warning)); }

  bool Set(const std::string& name, const Value& value, const std::string& pointer,
           const char* action) {
    if (!env_.set_variable) {
      return Fail(InvalidArgumentAt(
          std::string("hook '") + action + "' cannot set variables at " + PointName(), pointer,
          "hook-" + std::string(action)));
    }
    env_.set_variable(name, value);
    result_.computed[name] = value;
    data_dirty_ = true;
    return true;
  }

  // The interpolation context of a template: the hook data bound for its JavaScript, if any.
  // Valid until the next variable is set.
  InterpolationContext TemplateContext(bool uses_script) {
    InterpolationContext ctx = env_.interpolation;
    if (uses_script) ctx.script_bindings = &Data();
    return ctx;
  }

  // The data of capture and validate expressions and the names bound for JavaScript: the
  // context, `variables`, and every variable also at the top level unless the context has that
  // key.
  const Value& Data() {
    if (!data_dirty_) return data_;
    Value variables = MergeHookVariables(env_.interpolation.scopes);
    data_ = env_.context.is_object() ? env_.context : Value::object();
    if (data_.contains("assertions") && !data_.contains("assertionResults")) {
      data_["assertionResults"] = data_["assertions"];
    }
    data_["variables"] = Value::object();
    for (auto it = variables.begin(); it != variables.end(); ++it) {
      if (!data_.contains(it.key())) data_[it.key()] = it.value();
    }
    data_["variables"] = std::move(variables);
    data_dirty_ = false;
    return data_;
  }

  bool Compute(const hooks::ComputeEntry& entry) {
    Result<Value> value = entry.value.Render(TemplateContext(entry.uses_script));
    if (!value) {
      return Fail(ActionError("hook compute " + Quoted(entry.name), std::move(value).error(),
                              entry.pointer, "hook-compute"));
    }
    return Set(entry.name, *value, entry.pointer, "compute");
  }

  bool Capture(const hooks::CaptureEntry& entry) {
    Result<Value> found = entry.expression->Search(Data());
    if (!found) {
      return Fail(ActionError("hook capture " + Quoted(entry.name) + " could not evaluate " +
                                  Quoted(entry.expression->text()),
                              std::move(found).error(), entry.pointer, "hook-capture"));
    }
    if (found->is_null()) {
      Warn("hook capture " + Quoted(entry.name) + ": " + Quoted(entry.expression->text()) +
           " matched nothing at " + PointName());
    }
    return Set(entry.name, *found, entry.pointer, "capture");
  }

  // Runs a JavaScript validate expression. False when the hook fails (it could not run: a
  // budget, the helper, no sandbox); a throwing expression is a failed validation (`problem`).
  bool ValidateScript(const ScriptSource& source, const hooks::ValidateEntry& entry,
                      const std::string& text, bool& passed, std::string& problem) {
    Result<ScriptOutcome> outcome =
        RunScript(source, TemplateContext(true), env_.interpolation.script_budget);
    if (outcome) {
      passed = IsJsTruthy(outcome->value);
      return true;
    }
    if (IsCodeFailure(outcome.error())) {
      problem = "could not evaluate " + Quoted(text) + ": " + outcome.error().message;
      return true;
    }
    return Fail(ActionError("hook validate " + Quoted(text), std::move(outcome).error(),
                            JoinPointer(entry.pointer, "expression"), "hook-validate"));
  }

  bool Validate(const hooks::ValidateEntry& entry) {
    std::string text = entry.text;
    std::string problem;  // why the expression could not be evaluated, if it could not
    bool passed = false;
    std::optional<jmespath::Expression> compiled = entry.expression;
    if (entry.script && !ValidateScript(*entry.script, entry, text, passed, problem)) {
      return false;
    }
    if (entry.expression_template) {
      Result<Value> rendered =
          entry.expression_template->Render(TemplateContext(entry.uses_script));
      if (!rendered) {
        problem = rendered.error().message;
      } else {
        text = ToText(*rendered);
        Result<jmespath::Expression> parsed =
            jmespath::Expression::Compile(ValidateExpressionToJmesPath(text));
        if (parsed) {
          compiled = std::move(parsed).value();
        } else if (Result<ScriptSource> script =
                       ScriptSource::Make(ScriptCallKind::kExpression, text)) {
          // Not JMESPath once rendered: JavaScript, as the original runs it.
          if (!ValidateScript(*script, entry, text, passed, problem)) return false;
        } else {
          problem =
              Quoted(text) + " is neither JMESPath nor valid JavaScript: " + script.error().message;
        }
      }
    }
    if (compiled) {
      Result<Value> value = compiled->Search(Data());
      if (value) {
        passed = IsHookTruthy(*value);
      } else {
        problem = "could not evaluate " + Quoted(text) + ": " + value.error().message;
      }
    }
    if (passed) return true;

    std::string message = "validation failed: " + entry.text;
    if (entry.message) {
      Result<Value> rendered = entry.message->Render(TemplateContext(entry.uses_script));
      if (rendered) {
        message = ToText(*rendered);
      } else {
        message = entry.message->source();
        Warn("hook validate message " + Quoted(entry.message->source()) +
             " could not be rendered: " + rendered.error().message);
      }
    }
    if (!problem.empty()) message += " (" + problem + ")";
    if (entry.severity == HookSeverity::kError) {
      return Fail(InvalidArgumentAt("hook validation failed at " + PointName() + ": " + message,
                                    entry.pointer, "hook-validate"));
    }
    Value data = Value::object();
    data["expression"] = entry.text;
    data["severity"] = entry.severity == HookSeverity::kWarning ? "warning" : "info";
    result_.logs.push_back(
        {entry.severity == HookSeverity::kWarning ? "warn" : "info", message, std::move(data)});
    return true;
  }

  // Renders a log/metric part; on failure warns and returns nullopt (a log line never fails a
  // step).
  std::optional<Value> RenderForLog(const CompiledValue& value, const std::string& what,
                                    bool uses_script) {
    Result<Value> rendered = value.Render(TemplateContext(uses_script));
    if (!rendered) {
      Warn(what + " could not be rendered at " + PointName() + ": " + rendered.error().message);
      return std::nullopt;
    }
    return std::move(rendered).value();
  }

  void Log(const hooks::LogAction& log) {
    LogEntry entry;
    entry.level = log.level;
    std::optional<Value> message = RenderForLog(log.message, "hook log message", log.uses_script);
    entry.message = message ? ToText(*message) : log.message_text;
    if (log.metadata) {
      std::optional<Value> metadata =
          RenderForLog(*log.metadata, "hook log metadata", log.uses_script);
      entry.data = metadata ? std::move(*metadata) : Value();
    }
    result_.logs.push_back(std::move(entry));
  }

  void Metric(const hooks::MetricAction& metric) {
    std::optional<Value> name = RenderForLog(metric.name, "hook metric name", metric.uses_script);
    std::optional<Value> value =
        RenderForLog(metric.value, "hook metric value", metric.uses_script);
    if (!name || !value) return;
    Value data = Value::object();
    data["name"] = ToText(*name);
    data["value"] = NumberIfNumeric(std::move(*value));
    data["tags"] = Value::object();
    if (metric.tags) {
      if (std::optional<Value> tags =
              RenderForLog(*metric.tags, "hook metric tags", metric.uses_script)) {
        data["tags"] = std::move(*tags);
      }
    }
    data["timestamp"] = env_.clock != nullptr ? Value(env_.clock->NowUnixMs()) : Value();
    if (metric.timestamp) {
      if (std::optional<Value> timestamp =
              RenderForLog(*metric.timestamp, "hook metric timestamp", metric.uses_script)) {
        data["timestamp"] = NumberIfNumeric(std::move(*timestamp));
      }
    }
    std::string message = "metric " + data["name"].get<std::string>() + "=" + ToText(data["value"]);
    result_.logs.push_back({"info", std::move(message), std::move(data)});
  }

  // A `script` action: a JavaScript block over the hook data; its setVariable() calls set
  // variables like a compute. A throw, a budget or no sandbox fails the hook.
  bool Script(const ScriptSource& script, const std::string& pointer) {
    Result<ScriptOutcome> outcome =
        RunScript(script, TemplateContext(true), env_.interpolation.script_budget);
    if (!outcome) {
      return Fail(ActionError("hook script", std::move(outcome).error(), pointer, "hook-script"));
    }
    for (auto it = outcome->set_variables.begin(); it != outcome->set_variables.end(); ++it) {
      if (!Set(it.key(), it.value(), pointer, "script")) return false;
    }
    return true;
  }

  bool Call(const hooks::CallAction& call) {
    if (!env_.call) {
      return Fail(InvalidArgumentAt("hook 'call' is not available at " + PointName(), call.pointer,
                                    "hook-call"));
    }
    Result<Value> outcome = env_.call(call.spec, call.pointer);
    if (!outcome) {
      Error error = std::move(outcome).error();
      if (error.pointer.empty()) error.pointer = call.pointer;
      return Fail(ActionError("hook call", std::move(error), "", "hook-call"));
    }
    const Value& summary = *outcome;
    if (summary.is_object() && summary.contains("success") && summary["success"].is_boolean() &&
        !summary["success"].get<bool>()) {
      std::string message = "hook call of step " +
                            Quoted(ToText(call.spec.value("step", Value()))) + " in " +
                            Quoted(ToText(call.spec.value("test", Value()))) + " failed";
      if (summary.contains("error") && !summary["error"].is_null()) {
        message += ": " + ToText(summary["error"]);
      }
      return Fail(InvalidArgumentAt(std::move(message), call.pointer, "hook-call"));
    }
    return true;
  }

  bool Wait(const hooks::WaitAction& wait) {
    std::int64_t ms = wait.ms.value_or(0);
    if (wait.ms_template) {
      Result<Value> rendered = wait.ms_template->Render(TemplateContext(wait.uses_script));
      if (!rendered) {
        return Fail(
            ActionError("hook 'wait'", std::move(rendered).error(), wait.pointer, "hook-wait"));
      }
      const Value number = NumberIfNumeric(*rendered);
      const bool in_range = number.is_number() && std::isfinite(number.get<double>()) &&
                            number.get<double>() >= 0 &&
                            number.get<double>() <= static_cast<double>(kMaxHookWaitMs);
      if (!in_range) {
        return Fail(InvalidArgumentAt("hook 'wait' must be 0 to " + std::to_string(kMaxHookWaitMs) +
                                          " milliseconds, got " + Quoted(ToText(*rendered)),
                                      wait.pointer, "hook-wait"));
      }
      ms = static_cast<std::int64_t>(number.get<double>());
    }
    if (env_.clock == nullptr) {
      return Fail(InvalidArgumentAt("hook 'wait' has no clock at " + PointName(), wait.pointer,
                                    "hook-wait"));
    }
    env_.clock->SleepMs(ms);
    result_.waited_ms += ms;
    return true;
  }

  // The value of an exported name: the exact name in runtime, suite, imported, global; then as a
  // path ("user.id", "node.var").
  std::optional<Value> FindVariable(const std::string& name) const {
    const VariableScopes& scopes = env_.interpolation.scopes;
    for (const Value* scope : {scopes.runtime, scopes.suite, scopes.imported, scopes.global}) {
      if (scope == nullptr || !scope->is_object()) continue;
      auto found = scope->find(name);
      if (found != scope->end()) return *found;
    }
    Result<Value> resolved = ResolvePath(name, env_.interpolation);
    if (resolved) return std::move(resolved).value();
    return std::nullopt;
  }

  void Export(const hooks::ExportEntry& entry) {
    if (!env_.export_variable) {
      Warn("hook exports are not available at " + PointName() + "; " + Quoted(entry.name) +
           " was not exported");
      return;
    }
    std::optional<Value> value = FindVariable(entry.name);
    if (!value) {
      Warn("hook export " + Quoted(entry.name) + ": no such variable at " + PointName() +
           "; nothing exported");
      return;
    }
    env_.export_variable(entry.name, *value);
  }

  HookEnv& env_;
  HookRunResult& result_;
  Value data_;
  bool data_dirty_ = true;
};

}  // namespace

Value MergeHookVariables(const VariableScopes& scopes) {
  Value out = Value::object();
  if (scopes.exports != nullptr && scopes.exports->is_object()) {
    for (auto it = scopes.exports->begin(); it != scopes.exports->end(); ++it) {
      out[it.key()] = it.value();
    }
  }
  // Scope by scope, lowest precedence first, so a higher scope's `auth` replaces a lower
  // scope's `auth.token`, and a scope's own `auth.token` lands inside its `auth`.
  for (const Value* scope : {scopes.global, scopes.imported, scopes.suite, scopes.runtime}) {
    if (scope == nullptr || !scope->is_object()) continue;
    std::vector<std::pair<std::string, const Value*>> dotted;
    for (auto it = scope->begin(); it != scope->end(); ++it) {
      out[it.key()] = it.value();
      if (it.key().find('.') != std::string::npos) dotted.emplace_back(it.key(), &it.value());
    }
    for (const auto& [name, value] : dotted) PlaceDotted(out, name, *value);
  }
  return out;
}

HookRunResult RunHooks(const HookPlan& plan, HookEnv& env) {
  HookRunResult result;
  HookRun run(env, result);
  for (const hooks::Action& action : plan.actions()) {
    if (!run.Run(action)) break;
  }
  return result;
}

}  // namespace flow::core
