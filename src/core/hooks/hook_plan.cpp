#include "core/hooks/hook_plan.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>
#include <utility>

#include "core/check.hpp"
#include "core/hooks/validate_expression.hpp"
#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

using schema::ObjectSpec;

// "a, b or c"
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out.append(names[i]);
  }
  return out;
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// "a number" style names for type errors.
std::string Describe(const Value& value) { return std::string(TypeName(value)); }

bool HasTemplate(std::string_view text) { return text.find("{{") != std::string_view::npos; }

// A number of milliseconds written as text ("500", " 1.5 "), or nullopt.
std::optional<double> ParseNumberText(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.empty() || !(trimmed[0] == '-' || (trimmed[0] >= '0' && trimmed[0] <= '9'))) {
    return std::nullopt;
  }
  Value number = Value::parse(trimmed, nullptr, /*allow_exceptions=*/false);
  if (!number.is_number()) return std::nullopt;
  return number.get<double>();
}

}  // namespace

// Builds a HookPlan, collecting every problem instead of stopping at the first.
class HookPlanCompiler {
 public:
  HookPlanLoad Compile(const Value& list) {
    if (list.is_array()) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        hooks::Action action;
        action.pointer = JoinPointer("", i);
        CompileAction(list[i], action);
        plan_.actions_.push_back(std::move(action));
      }
    } else if (!list.is_null()) {
      Fail("", "a hooks list must be a list of hook actions, got " + Describe(list), "wrong-type",
           "write each action as a list item: '- log: {message: ...}'");
    }
    HookPlanLoad load;
    load.errors = std::move(errors_);
    load.warnings = std::move(warnings_);
    if (load.errors.empty()) load.plan = std::move(plan_);
    return load;
  }

 private:
  void Fail(const std::string& pointer, std::string message, const char* reason,
            std::string hint = {}) {
    errors_.push_back(InvalidArgumentAt(std::move(message), pointer, reason, std::move(hint)));
  }

  void Warn(const std::string& pointer, std::string message, std::string hint = {}) {
    warnings_.push_back(
        InvalidArgumentAt(std::move(message), pointer, "no-effect", std::move(hint)));
  }

  void WrongType(const std::string& pointer, const std::string& what, const std::string& expected,
                 const Value& got, std::string hint = {}) {
    Fail(pointer, what + " must be " + expected + ", got " + Describe(got), "wrong-type",
         std::move(hint));
  }

  // Unknown keys are errors; keys the registry marks as having no effect are warnings.
  void CheckKeys(const Value& map, const std::string& pointer, const ObjectSpec& spec,
                 const std::string& what) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (const schema::KeySpec* key = spec.FindKey(it.key())) {
        if (key->kind == schema::KeyKind::kNoEffect) {
          Warn(JoinPointer(pointer, it.key()),
               Quoted(it.key()) + " has no effect on " + what + " and is ignored", key->hint);
        }
        continue;
      }
      std::string hint = DidYouMean(it.key(), spec.KeyNames(true));
      if (hint.empty()) hint = "the keys of " + what + " are " + JoinNames(spec.KeyNames(true));
      Fail(JoinPointer(pointer, it.key()), "unknown key " + Quoted(it.key()) + " in " + what,
           "unknown-key", std::move(hint));
    }
  }

  // Records the JavaScript and faker uses of a template or compiled value whose string is at
  // `pointer` (plus each use's own pointer); a use that fails its static check is an error.
  // True when there is any use.
  bool AddUses(const std::vector<ScriptUse>& uses, const std::string& pointer,
               const std::string& what) {
    for (const ScriptUse& use : uses) {
      const std::string at = pointer + use.pointer;
      if (use.problem) {
        const ScriptProblem& p = *use.problem;
        Fail(at,
             what + ": " + (use.faker ? "" : "invalid javascript: ") + p.message + " (line " +
                 std::to_string(p.line) + ", column " + std::to_string(p.column) +
                 " of the expression)",
             "invalid-script", p.hint);
        continue;
      }
      plan_.scripts_.push_back({at, use.faker ? "faker" : "javascript"});
    }
    return !uses.empty();
  }

  // ScriptSource::Make of code at `pointer`; its static-check problem is an error.
  std::optional<ScriptSource> MakeScript(ScriptCallKind kind, const std::string& code,
                                         const std::string& pointer, const std::string& what,
                                         const char* part) {
    Result<ScriptSource> made = ScriptSource::Make(kind, code);
    if (!made) {
      const Error& e = made.error();
      std::string message = what + ": invalid " + e.message;
      if (e.where) {
        message += " (line " + std::to_string(e.where->line) + ", column " +
                   std::to_string(e.where->column) + " of the " + part + ")";
      }
      Fail(pointer, std::move(message), "invalid-script", e.hint);
      return std::nullopt;
    }
    plan_.scripts_.push_back({pointer, "javascript"});
    return std::move(made).value();
  }

  // Compiles a value whose strings are templates, recording its JavaScript and faker uses.
  std::optional<CompiledValue> CompileTemplates(const Value& value, const std::string& pointer,
                                                const std::string& what, bool& uses_script) {
    Result<CompiledValue> compiled = CompiledValue::Compile(value);
    if (!compiled) {
      Error e = std::move(compiled).error();
      e.pointer = pointer + e.pointer;
      if (e.reason.empty()) e.reason = "invalid-value";
      errors_.push_back(std::move(e));
      return std::nullopt;
    }
    if (AddUses(compiled->ScriptUses(), pointer, what)) uses_script = true;
    return std::move(compiled).value();
  }

  void CompileAction(const Value& entry, hooks::Action& action) {
    const std::string& pointer = action.pointer;
    if (!entry.is_object()) {
      WrongType(pointer, "a hook action", "a mapping of actions (compute, validate, log, ...)",
                entry, "write it as '- log: {message: ...}'");
      return;
    }
    const ObjectSpec& spec = schema::Object("hook.action");
    if (entry.empty()) {
      Fail(pointer, "a hook action needs at least one of " + JoinNames(spec.KeyNames()),
           "missing-key");
      return;
    }
    for (auto it = entry.begin(); it != entry.end(); ++it) {
      const std::string& key = it.key();
      const std::string child = JoinPointer(pointer, key);
      const Value& value = it.value();
      if (spec.FindKey(key) == nullptr) {
        std::string hint = DidYouMean(key, spec.KeyNames());
        if (hint.empty()) hint = "a hook action has " + JoinNames(spec.KeyNames());
        Fail(child, "unknown hook action " + Quoted(key), "unknown-key", std::move(hint));
      } else if (key == "compute") {
        CompileCompute(value, child, action);
      } else if (key == "capture") {
        CompileCapture(value, child, action);
      } else if (key == "validate") {
        CompileValidate(value, child, action);
      } else if (key == "log") {
        CompileLog(value, child, action);
      } else if (key == "metric") {
        CompileMetric(value, child, action);
      } else if (key == "script") {
        CompileScript(value, child, action);
      } else if (key == "call") {
        CompileCall(value, child, action);
      } else if (key == "wait") {
        CompileWait(value, child, action);
      } else if (key == "exports") {
        CompileExports(value, child, action);
      } else {
        CheckFailed("a hook action of the registry without a compiler", __FILE__, __LINE__);
      }
    }
  }

  void CompileCompute(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_object()) {
      WrongType(pointer, "'compute'", "a mapping of variable names to values", value);
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = JoinPointer(pointer, it.key());
      if (Trim(it.key()).empty()) {
        Fail(child, "a computed variable needs a name", "invalid-value");
        continue;
      }
      bool uses_script = false;
      std::optional<CompiledValue> compiled =
          CompileTemplates(it.value(), child, "hook compute " + Quoted(it.key()), uses_script);
      if (compiled) {
        action.compute.push_back({it.key(), child, std::move(*compiled), uses_script});
      }
    }
  }

  void CompileCapture(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_object()) {
      WrongType(pointer, "'capture'", "a mapping of variable names to JMESPath expressions", value);
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = JoinPointer(pointer, it.key());
      if (Trim(it.key()).empty()) {
        Fail(child, "a captured variable needs a name", "invalid-value");
        continue;
      }
      const Value& expression = it.value();
      if (!expression.is_string() || Trim(expression.get_ref<const std::string&>()).empty()) {
        if (expression.is_string()) {
          Fail(child, "hook capture " + Quoted(it.key()) + " has an empty expression",
               "invalid-value");
        } else {
          WrongType(child, "hook capture " + Quoted(it.key()), "a JMESPath expression (a string)",
                    expression);
        }
        continue;
      }
      const std::string& text = expression.get_ref<const std::string&>();
      Result<jmespath::Expression> compiled = jmespath::Expression::Compile(text);
      if (!compiled) {
        Fail(child,
             "invalid JMESPath in hook capture " + Quoted(it.key()) + ": " +
                 compiled.error().message,
             "invalid-capture", compiled.error().hint);
        continue;
      }
      action.capture.push_back({it.key(), child, std::move(compiled).value()});
    }
  }

  void CompileValidate(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_array()) {
      WrongType(pointer, "'validate'", "a list of {expression, message, severity}", value,
                value.is_object() ? "write it as a list: '- expression: ...'" : "");
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Value& entry = value[i];
      const std::string child = JoinPointer(pointer, i);
      if (!entry.is_object()) {
        WrongType(child, "a validate entry", "a mapping {expression, message, severity}", entry);
        continue;
      }
      CheckKeys(entry, child, schema::Object("hook.validate"), "a hook validate entry");
      hooks::ValidateEntry validate;
      validate.pointer = child;
      bool ok = true;
      const std::string expression_pointer = JoinPointer(child, "expression");
      if (!entry.contains("expression")) {
        Fail(child, "a validate entry needs an 'expression'", "missing-key");
        ok = false;
      } else if (const Value& expression = entry["expression"]; !expression.is_string()) {
        WrongType(expression_pointer, "'expression'", "a string", expression,
                  "quote it: expression: \"...\"");
        ok = false;
      } else if (Trim(expression.get_ref<const std::string&>()).empty()) {
        Fail(expression_pointer, "'expression' must not be empty", "invalid-value");
        ok = false;
      } else {
        validate.text = expression.get<std::string>();
        if (HasTemplate(validate.text)) {
          Result<Template> parsed = Template::Parse(validate.text);
          if (parsed) {
            if (AddUses(parsed->ScriptUses(), expression_pointer, "hook validate expression")) {
              validate.uses_script = true;
            }
            validate.expression_template = std::move(parsed).value();
          } else {
            Fail(expression_pointer, parsed.error().message, "invalid-value");
            ok = false;
          }
        } else {
          Result<jmespath::Expression> compiled =
              jmespath::Expression::Compile(ValidateExpressionToJmesPath(validate.text));
          if (compiled) {
            validate.expression = std::move(compiled).value();
          } else {
            validate.script =
                MakeScript(ScriptCallKind::kExpression, validate.text, expression_pointer,
                           "hook validate expression " + Quoted(validate.text), "expression");
            if (!validate.script) ok = false;
          }
        }
      }
      if (entry.contains("message")) {
        const Value& message = entry["message"];
        if (message.is_object() || message.is_array()) {
          WrongType(JoinPointer(child, "message"), "'message'", "a string", message);
          ok = false;
        } else if (!message.is_null()) {
          Result<Template> parsed = Template::Parse(ToText(message));
          if (parsed) {
            if (AddUses(parsed->ScriptUses(), JoinPointer(child, "message"),
                        "hook validate message")) {
              validate.uses_script = true;
            }
            validate.message = std::move(parsed).value();
          }
        }
      }
      if (entry.contains("severity")) {
        const Value& severity = entry["severity"];
        const std::string severity_pointer = JoinPointer(child, "severity");
        const std::vector<std::string>& kSeverities =
            schema::Object("hook.validate").Key("severity").EnumValues();
        if (!severity.is_string()) {
          WrongType(severity_pointer, "'severity'", "one of " + JoinNames(kSeverities), severity);
          ok = false;
        } else if (const std::string& s = severity.get_ref<const std::string&>();
                   !Contains(kSeverities, s)) {
          std::string hint = DidYouMean(s, kSeverities);
          Fail(severity_pointer,
               "unknown severity " + Quoted(s) + ": use " + JoinNames(kSeverities), "invalid-value",
               std::move(hint));
          ok = false;
        } else {
          validate.severity = s == "error"     ? HookSeverity::kError
                              : s == "warning" ? HookSeverity::kWarning
                                               : HookSeverity::kInfo;
        }
      }
      if (ok) action.validate.push_back(std::move(validate));
    }
  }

  void CompileLog(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_object()) {
      WrongType(pointer, "'log'", "a mapping {level, message, metadata}", value,
                value.is_string() ? "write it as 'log: {message: \"...\"}'" : "");
      return;
    }
    CheckKeys(value, pointer, schema::Object("hook.log"), "a hook log");
    hooks::LogAction log;
    log.pointer = pointer;
    bool ok = true;
    if (value.contains("level")) {
      const Value& level = value["level"];
      const std::string level_pointer = JoinPointer(pointer, "level");
      const std::vector<std::string>& kLogLevels = schema::Object("hook.log").Key("level").EnumValues();
      if (!level.is_string()) {
        WrongType(level_pointer, "'level'", "one of " + JoinNames(kLogLevels), level);
        ok = false;
      } else if (!Contains(kLogLevels, level.get_ref<const std::string&>())) {
        const std::string& l = level.get_ref<const std::string&>();
        Fail(level_pointer, "unknown log level " + Quoted(l) + ": use " + JoinNames(kLogLevels),
             "invalid-value", DidYouMean(l, kLogLevels));
        ok = false;
      } else {
        log.level = level.get<std::string>();
      }
    }
    if (!value.contains("message")) {
      Fail(pointer, "a hook log needs a 'message'", "missing-key");
      ok = false;
    } else if (const Value& message = value["message"]; message.is_object() || message.is_array()) {
      WrongType(JoinPointer(pointer, "message"), "'message'", "a string", message);
      ok = false;
    } else {
      log.message_text = ToText(message);
      std::optional<CompiledValue> compiled = CompileTemplates(
          message, JoinPointer(pointer, "message"), "hook log message", log.uses_script);
      if (compiled) {
        log.message = std::move(*compiled);
      } else {
        ok = false;
      }
    }
    if (value.contains("metadata") && !value["metadata"].is_null()) {
      const Value& metadata = value["metadata"];
      const std::string metadata_pointer = JoinPointer(pointer, "metadata");
      if (!metadata.is_object()) {
        WrongType(metadata_pointer, "'metadata'", "a mapping", metadata);
        ok = false;
      } else if (std::optional<CompiledValue> compiled = CompileTemplates(
                     metadata, metadata_pointer, "hook log metadata", log.uses_script)) {
        log.metadata = std::move(*compiled);
      } else {
        ok = false;
      }
    }
    if (ok) action.log = std::move(log);
  }

  void CompileMetric(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_object()) {
      WrongType(pointer, "'metric'", "a mapping {name, value, tags, timestamp}", value);
      return;
    }
    CheckKeys(value, pointer, schema::Object("hook.metric"), "a hook metric");
    hooks::MetricAction metric;
    metric.pointer = pointer;
    bool ok = true;
    if (!value.contains("name")) {
      Fail(pointer, "a hook metric needs a 'name'", "missing-key");
      ok = false;
    } else if (const Value& name = value["name"];
               !name.is_string() || Trim(name.get_ref<const std::string&>()).empty()) {
      if (name.is_string()) {
        Fail(JoinPointer(pointer, "name"), "'name' must not be empty", "invalid-value");
      } else {
        WrongType(JoinPointer(pointer, "name"), "'name'", "a string", name);
      }
      ok = false;
    } else {
      metric.name_text = name.get<std::string>();
      std::optional<CompiledValue> compiled = CompileTemplates(
          name, JoinPointer(pointer, "name"), "hook metric name", metric.uses_script);
      if (compiled) {
        metric.name = std::move(*compiled);
      } else {
        ok = false;
      }
    }
    if (!value.contains("value")) {
      Fail(pointer, "a hook metric needs a 'value'", "missing-key");
      ok = false;
    } else if (std::optional<CompiledValue> compiled =
                   CompileTemplates(value["value"], JoinPointer(pointer, "value"),
                                    "hook metric value", metric.uses_script)) {
      metric.value = std::move(*compiled);
    } else {
      ok = false;
    }
    if (value.contains("tags") && !value["tags"].is_null()) {
      const std::string tags_pointer = JoinPointer(pointer, "tags");
      if (!value["tags"].is_object()) {
        WrongType(tags_pointer, "'tags'", "a mapping", value["tags"]);
        ok = false;
      } else if (std::optional<CompiledValue> compiled = CompileTemplates(
                     value["tags"], tags_pointer, "hook metric tags", metric.uses_script)) {
        metric.tags = std::move(*compiled);
      } else {
        ok = false;
      }
    }
    if (value.contains("timestamp") && !value["timestamp"].is_null()) {
      const Value& timestamp = value["timestamp"];
      const std::string timestamp_pointer = JoinPointer(pointer, "timestamp");
      if (!timestamp.is_number() && !timestamp.is_string()) {
        WrongType(timestamp_pointer, "'timestamp'", "a number of unix milliseconds", timestamp);
        ok = false;
      } else if (std::optional<CompiledValue> compiled = CompileTemplates(
                     timestamp, timestamp_pointer, "hook metric timestamp", metric.uses_script)) {
        metric.timestamp = std::move(*compiled);
      } else {
        ok = false;
      }
    }
    if (ok) action.metric = std::move(metric);
  }

  void CompileScript(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_string() || Trim(value.get_ref<const std::string&>()).empty()) {
      if (value.is_string()) {
        Fail(pointer, "'script' must not be empty", "invalid-value");
      } else {
        WrongType(pointer, "'script'", "JavaScript code (a string)", value);
      }
      return;
    }
    action.script = MakeScript(ScriptCallKind::kBlock, value.get<std::string>(), pointer,
                               "hook script", "script");
  }

  void CompileCall(const Value& value, const std::string& pointer, hooks::Action& action) {
    if (!value.is_object()) {
      WrongType(pointer, "'call'", "a mapping {test, step, ...}", value);
      return;
    }
    CheckKeys(value, pointer, schema::Object("hook.call"), "a hook call");
    bool ok = true;
    for (const char* key : {"test", "step"}) {
      if (!value.contains(key)) {
        Fail(pointer, std::string("a hook call needs '") + key + "'", "missing-key");
        ok = false;
      } else if (const Value& v = value[key];
                 !v.is_string() || Trim(v.get_ref<const std::string&>()).empty()) {
        if (v.is_string()) {
          Fail(JoinPointer(pointer, key), std::string("'") + key + "' must not be empty",
               "invalid-value");
        } else {
          WrongType(JoinPointer(pointer, key), std::string("'") + key + "'", "a string", v);
        }
        ok = false;
      }
    }
    const auto check = [&](const char* key, bool (*valid)(const Value&), const char* expected) {
      if (!value.contains(key) || value[key].is_null()) return;
      if (!valid(value[key])) {
        WrongType(JoinPointer(pointer, key), std::string("'") + key + "'", expected, value[key]);
        ok = false;
      }
    };
    check(
        "variables", [](const Value& v) { return v.is_object(); }, "a mapping");
    check(
        "alias", [](const Value& v) { return v.is_string(); }, "a string");
    check(
        "isolate_context", [](const Value& v) { return v.is_boolean(); }, "true or false");
    check(
        "timeout",
        [](const Value& v) { return (v.is_number() && v.get<double>() >= 0) || v.is_string(); },
        "a number of milliseconds >= 0");
    const auto check_choice = [&](const char* key, const auto& choices) {
      if (!value.contains(key) || value[key].is_null()) return;
      const Value& v = value[key];
      if (!v.is_string() || !Contains(choices, v.get_ref<const std::string&>())) {
        const std::string got =
            v.is_string() ? Quoted(v.get_ref<const std::string&>()) : Describe(v);
        Fail(JoinPointer(pointer, key),
             std::string("'") + key + "' must be " + JoinNames(choices) + ", got " + got,
             "invalid-value",
             v.is_string() ? DidYouMean(v.get_ref<const std::string&>(), choices) : "");
        ok = false;
      }
    };
    const ObjectSpec& call = schema::Object("hook.call");
    check_choice("on_error", call.Key("on_error").EnumValues());
    check_choice("path_type", call.Key("path_type").EnumValues());
    if (ok) action.call = hooks::CallAction{pointer, value};
  }

  void CompileWait(const Value& value, const std::string& pointer, hooks::Action& action) {
    const std::string range = "0 to " + std::to_string(kMaxHookWaitMs) + " milliseconds";
    std::optional<double> ms;
    if (value.is_number()) {
      ms = value.get<double>();
    } else if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (HasTemplate(text)) {
        Result<Template> parsed = Template::Parse(text);
        if (!parsed) {
          Fail(pointer, parsed.error().message, "invalid-value");
          return;
        }
        const bool uses_script = AddUses(parsed->ScriptUses(), pointer, "hook wait");
        action.wait =
            hooks::WaitAction{pointer, std::nullopt, std::move(parsed).value(), uses_script};
        return;
      }
      ms = ParseNumberText(text);
      if (!ms) {
        Fail(pointer, "'wait' must be a number of milliseconds, got " + Quoted(text),
             "invalid-value");
        return;
      }
    } else {
      WrongType(pointer, "'wait'", "a number of milliseconds", value);
      return;
    }
    if (!std::isfinite(*ms) || *ms < 0 || *ms > static_cast<double>(kMaxHookWaitMs)) {
      Fail(pointer, "'wait' must be " + range + ", got " + ToText(value), "invalid-value");
      return;
    }
    action.wait = hooks::WaitAction{pointer, static_cast<std::int64_t>(*ms), std::nullopt, false};
  }

  void CompileExports(const Value& value, const std::string& pointer, hooks::Action& action) {
    const auto add = [&](const Value& name, const std::string& name_pointer) {
      if (!name.is_string() || Trim(name.get_ref<const std::string&>()).empty()) {
        if (name.is_string()) {
          Fail(name_pointer, "an exported variable name must not be empty", "invalid-value");
        } else {
          WrongType(name_pointer, "an exported variable", "a name (a string)", name);
        }
        return;
      }
      action.exports.push_back(
          {name_pointer, std::string(Trim(name.get_ref<const std::string&>()))});
    };
    if (value.is_string()) {
      add(value, pointer);
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) add(value[i], JoinPointer(pointer, i));
    } else {
      WrongType(pointer, "'exports'", "a variable name or a list of names", value);
    }
  }

  HookPlan plan_;
  std::vector<Error> errors_;
  std::vector<Error> warnings_;
};

HookPlanLoad HookPlan::Compile(const Value& list) { return HookPlanCompiler().Compile(list); }

bool HookPlan::HasScript() const {
  for (const hooks::Action& action : actions_) {
    if (action.script) return true;
  }
  return false;
}

std::vector<std::string> HookPlan::ScriptPointers() const {
  std::vector<std::string> pointers;
  for (const hooks::Action& action : actions_) {
    if (action.script) pointers.push_back(JoinPointer(action.pointer, "script"));
  }
  return pointers;
}

bool HookPlan::HasCall() const {
  for (const hooks::Action& action : actions_) {
    if (action.call) return true;
  }
  return false;
}

}  // namespace flow::core
