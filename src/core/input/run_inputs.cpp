#include "core/input/run_inputs.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/input/input_conversion.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"

namespace flow::core {
namespace {

using input_detail::InputSpec;
using input_detail::OptionsSpec;

std::string TextOf(const Value& value) {
  std::string out;
  AppendValueText(out, value);
  return out;
}

bool IsBlank(const Value& value) {
  return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty());
}

bool IsTextType(InputType type) {
  return type == InputType::kText || type == InputType::kPassword ||
         type == InputType::kMultiline || type == InputType::kEmail || type == InputType::kUrl;
}

std::size_t CountCharacters(std::string_view text) {  // UTF-8 code points
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string NumberText(double d) {
  std::string out;
  AppendValueText(out, Value(d));
  return out;
}

// A failure of the JavaScript itself (it threw, or did not compile), as opposed to a failure to
// run it (a budget, the helper, no sandbox).
bool IsCodeFailure(const Error& e) {
  return e.reason == kScriptException || e.reason == kScriptSyntax || e.reason == "script-check";
}

// Where an answer came from: a provider (which may ask again), or the policy's fallback.
enum class Source { kProvider, kPolicy };

class InputRun {
 public:
  InputRun(const InputPlan& plan, const InputRunContext& ctx) : plan_(plan), ctx_(ctx) {
    const Value* runtime = ctx.interpolation.scopes.runtime;
    runtime_ = runtime != nullptr && runtime->is_object() ? *runtime : Value::object();
    merged_ =
        ctx.variables != nullptr && ctx.variables->is_object() ? *ctx.variables : Value::object();
    ictx_ = ctx.interpolation;
    ictx_.scopes.runtime = &runtime_;
  }

  InputRunResult Run() {
    std::vector<bool> answered(plan_.inputs().size(), false);
    for (std::size_t i = 0; i < plan_.inputs().size(); ++i) {
      const InputSpec& spec = plan_.inputs()[i];
      const std::optional<bool> asked = RunOne(spec);
      if (!asked) return std::move(out_);
      answered[i] = *asked;
    }
    for (std::size_t i = 0; i < plan_.inputs().size(); ++i) {
      if (!answered[i]) continue;  // skipped by its condition: its computed values would be stale
      for (const input_detail::ComputedSpec& computed : plan_.inputs()[i].computed) {
        Result<Value> value =
            computed.script ? RunCode(*computed.script, nullptr) : computed.value.Render(ictx_);
        if (!value) {
          Fail(Prefixed(std::move(value).error(), plan_.inputs()[i], computed.pointer));
          return std::move(out_);
        }
        out_.dynamic_assignments.push_back({.name = computed.name,
                                            .value = *value,
                                            .expression = computed.text,
                                            .unix_ms = ctx_.clock ? ctx_.clock->NowUnixMs() : 0});
        Assign(computed.name, std::move(*value));
      }
    }
    return std::move(out_);
  }

 private:
  bool AutoMode() const { return ctx_.policy == InputPolicy::kAuto || ctx_.ci; }

  std::int64_t NowUs() const { return ctx_.clock ? ctx_.clock->MonotonicUs() : 0; }

  void Assign(const std::string& name, Value value) {
    runtime_[name] = value;
    merged_[name] = value;
    out_.assigned[name] = std::move(value);
  }

  void Fail(Error error) { out_.error = std::move(error); }

  // An error from a template or expression of `spec`, named and located.
  Error Prefixed(Error e, const InputSpec& spec, const std::string& pointer) const {
    e.message = "input '" + spec.variable + "': " + e.message;
    e.pointer = pointer + e.pointer;
    return e;
  }

  // Runs JavaScript code with `bindings` (an object, or nullptr) over the variables; its value.
  Result<Value> RunCode(const input_detail::ScriptCode& code, const Value* bindings) {
    InterpolationContext ctx = ictx_;
    if (bindings != nullptr) ctx.script_bindings = bindings;
    std::optional<ScriptSource> rendered;
    if (code.code_template) {
      Result<Value> text = code.code_template->Render(ctx);
      if (!text) return std::move(text).error();
      Result<ScriptSource> made = ScriptSource::Make(ScriptCallKind::kExpression, TextOf(*text));
      if (!made) {
        Error e = std::move(made).error();
        if (e.where) {  // a position inside the rendered code, not in the suite file
          e.message += " (line " + std::to_string(e.where->line) + ", column " +
                       std::to_string(e.where->column) + " of the rendered expression)";
          e.where.reset();
        }
        return e;
      }
      rendered = std::move(*made);
    }
    Result<ScriptOutcome> outcome =
        RunScript(rendered ? *rendered : *code.source, ctx, ictx_.script_budget);
    if (!outcome) return std::move(outcome).error();
    return std::move(outcome->value);
  }

  Result<std::string> RenderText(const Template& t, const InputSpec& spec, const char* key) {
    if (!t.HasExpressions()) return t.source();
    Result<Value> v = t.Render(ictx_);
    if (!v) return Prefixed(std::move(v).error(), spec, JoinPointer(spec.pointer, key));
    return TextOf(*v);
  }

  Result<Value> RenderValue(const CompiledValue& c, const InputSpec& spec,
                            const std::string& pointer) {
    Result<Value> v = c.Render(ictx_);
    if (!v) return Prefixed(std::move(v).error(), spec, pointer);
    return v;
  }

  Result<std::vector<InputOption>> Options(const OptionsSpec& o, const InputSpec& spec) {
    std::vector<InputOption> options;
    if (!o.present) return options;
    if (!o.is_expression) {
      for (std::size_t i = 0; i < o.list.size(); ++i) {
        const input_detail::OptionSpec& option = o.list[i];
        const std::string pointer = JoinPointer(o.pointer, i);
        Result<Value> value = RenderValue(option.value, spec, JoinPointer(pointer, "value"));
        if (!value) return std::move(value).error();
        std::string label;
        if (option.has_label) {
          Result<Value> l = option.label.Render(ictx_);
          if (!l) return Prefixed(std::move(l).error(), spec, JoinPointer(pointer, "label"));
          label = TextOf(*l);
        } else {
          label = TextOf(*value);
        }
        options.push_back({std::move(*value), std::move(label)});
      }
      return options;
    }
    Value list;
    if (o.jmespath) {
      Result<Value> found = o.jmespath->Search(merged_);
      if (!found) {
        Error e = std::move(found).error();
        e.message = "options expression '" + o.text + "': " + e.message;
        return Prefixed(std::move(e), spec, o.pointer);
      }
      list = std::move(*found);
    }
    if (list.is_null()) {
      // Not JMESPath, or it matched nothing: a template ("{{node_id.users}}") may still give the
      // list. Its error is reported only when JMESPath had no say.
      Result<Value> rendered = o.fallback.Render(ictx_);
      if (rendered) {
        list = std::move(*rendered);
      } else if (!o.jmespath) {
        return Prefixed(std::move(rendered).error(), spec, o.pointer);
      }
    }
    if (!list.is_array()) {
      Error e = InvalidArgumentAt(
          "options expression '" + o.text + "' gave " + std::string(TypeName(list)) +
              ", expected a list of options ({value, label} or plain values)",
          "", "invalid-options");
      return Prefixed(std::move(e), spec, o.pointer);
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Value& item = list[i];
      if (item.is_object()) {
        const auto value = item.find("value");
        if (value == item.end()) {
          Error e = InvalidArgumentAt("option " + std::to_string(i + 1) + " from '" + o.text +
                                          "' has no 'value': " + DumpJson(item).substr(0, 120),
                                      "", "invalid-options");
          return Prefixed(std::move(e), spec, o.pointer);
        }
        const auto label = item.find("label");
        options.push_back(
            {*value, label != item.end() && !label->is_null() ? TextOf(*label) : TextOf(*value)});
      } else if (item.is_array()) {
        Error e = InvalidArgumentAt("option " + std::to_string(i + 1) + " from '" + o.text +
                                        "' is a list; expected {value, label} or a plain value",
                                    "", "invalid-options");
        return Prefixed(std::move(e), spec, o.pointer);
      } else {
        options.push_back({item, TextOf(item)});
      }
    }
    return options;
  }

  Result<InputRequest> BuildRequest(const InputSpec& spec) {
    InputRequest req;
    req.variable = spec.variable;
    req.type = std::string(InputTypeName(spec.type));
    req.style = spec.style;
    req.required = spec.required;
    req.masked = spec.type == InputType::kPassword;
    Result<std::string> prompt = RenderText(spec.prompt, spec, "prompt");
    if (!prompt) return std::move(prompt).error();
    req.prompt = std::move(*prompt);
    Result<std::string> description = RenderText(spec.description, spec, "description");
    if (!description) return std::move(description).error();
    req.description = std::move(*description);
    Result<std::string> placeholder = RenderText(spec.placeholder, spec, "placeholder");
    if (!placeholder) return std::move(placeholder).error();
    req.placeholder = std::move(*placeholder);
    if (spec.has_default) {
      Result<Value> v = RenderValue(spec.default_value, spec, JoinPointer(spec.pointer, "default"));
      if (!v) return std::move(v).error();
      req.default_value = std::move(*v);
    }
    if (spec.has_ci_default) {
      Result<Value> v = RenderValue(spec.ci_default, spec, JoinPointer(spec.pointer, "ci_default"));
      if (!v) return std::move(v).error();
      req.ci_default = std::move(*v);
    }
    if (spec.type == InputType::kSelect) {
      Result<std::vector<InputOption>> options = Options(spec.options, spec);
      if (!options) return std::move(options).error();
      if (options->empty()) {
        return InvalidArgumentAt(
            "input '" + spec.variable + "' has no options to choose from" +
                (spec.options.is_expression ? " ('" + spec.options.text + "' gave an empty list)"
                                            : std::string()),
            spec.options.pointer, "invalid-options");
      }
      req.options = std::move(*options);
    }
    req.suite_name = ctx_.step.suite_name;
    req.suite_path = ctx_.step.suite_path;
    req.step_name = ctx_.step.step_name;
    req.step_id = ctx_.step.step_id;
    req.step_index = ctx_.step.step_index;
    req.cache_key = ctx_.step.node_id + "::" + ctx_.step.step_id + "::" + spec.variable;
    return req;
  }

  // The value an empty answer, or no answer under the auto policy, stands for.
  static Value Fallback(const InputRequest& req, bool prefer_ci) {
    if (prefer_ci && !req.ci_default.is_null()) return req.ci_default;
    if (!req.default_value.is_null()) return req.default_value;
    if (prefer_ci && req.type == "select" && !req.options.empty()) return req.options[0].value;
    return nullptr;
  }

  static double NumberOf(const Value& v, bool* ok) {
    *ok = true;
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
      Result<Value> n = ConvertInputValue(InputType::kNumber, v, {});
      if (n) return n->get<double>();
    }
    *ok = false;
    return 0;
  }

  // The checks of `validation`: an Error when a check itself cannot run (a template, an
  // expression), else the first failed check's message (nullopt: all passed).
  Result<std::optional<std::string>> Validate(const InputSpec& spec, const InputRequest& req,
                                              const Value& value,
                                              std::vector<std::string>* warnings) {
    using Message = std::optional<std::string>;
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      const std::size_t length = CountCharacters(text);
      if (spec.min_length && length < *spec.min_length) {
        return Message("must be at least " + std::to_string(*spec.min_length) +
                       " characters long (got " + std::to_string(length) + ")");
      }
      if (spec.max_length && length > *spec.max_length) {
        return Message("must be at most " + std::to_string(*spec.max_length) +
                       " characters long (got " + std::to_string(length) + ")");
      }
      if (spec.pattern) {
        Result<bool> match = spec.pattern->Search(text);
        if (!match)
          return Message("could not be checked against the pattern: " + match.error().message);
        if (!*match) return Message("does not match the pattern '" + spec.pattern->pattern() + "'");
      }
    }
    if (value.is_number()) {
      const double n = value.get<double>();
      for (const auto& [bound, is_min] :
           {std::pair{&spec.min, true}, std::pair{&spec.max, false}}) {
        if (!*bound) continue;
        const std::string pointer =
            JoinPointer(JoinPointer(spec.pointer, "validation"), is_min ? "min" : "max");
        Result<Value> rendered = RenderValue(**bound, spec, pointer);
        if (!rendered) return std::move(rendered).error();
        bool ok = false;
        const double limit = NumberOf(*rendered, &ok);
        if (!ok) {
          return Prefixed(InvalidArgumentAt(std::string("validation.") + (is_min ? "min" : "max") +
                                                " must be a number, got " + TextOf(*rendered),
                                            "", "invalid-input"),
                          spec, pointer);
        }
        if (is_min && n < limit) return Message("must be at least " + NumberText(limit));
        if (!is_min && n > limit) return Message("must be at most " + NumberText(limit));
      }
    }
    if (spec.allowed.present) {
      Result<std::vector<InputOption>> allowed = Options(spec.allowed, spec);
      if (!allowed) return std::move(allowed).error();
      const bool found = std::any_of(allowed->begin(), allowed->end(), [&](const InputOption& o) {
        return DeepEqual(o.value, value);
      });
      if (!found) {
        std::string list;
        for (std::size_t i = 0; i < allowed->size() && i < 10; ++i) {
          list += (i > 0 ? ", " : "") + DumpJson((*allowed)[i].value);
        }
        return Message("is not one of the allowed values: " + list);
      }
    }
    // JavaScript sees the answer as `value` and `input`, and the variables.
    const Value script_data =
        spec.custom_validation || !spec.rules.empty()
            ? Value{{"value", value}, {"input", value}, {"variables", merged_}}
            : Value();
    if (spec.custom_validation) {
      Result<Value> verdict = RunCode(*spec.custom_validation, &script_data);
      if (!verdict) {
        if (!IsCodeFailure(verdict.error())) {
          return Prefixed(std::move(verdict).error(), spec, spec.custom_validation_pointer);
        }
        return Message("custom validation could not be evaluated: " + verdict.error().message);
      }
      if (verdict->is_string() && !verdict->get_ref<const std::string&>().empty()) {
        return Message(verdict->get<std::string>());
      }
      if (verdict->is_string() || !IsJsTruthy(*verdict)) {
        return Message("custom validation failed");
      }
    }
    if (!spec.rules.empty()) {
      Value data = merged_;
      data["value"] = value;
      data["input"] =
          Value{{"variable", spec.variable}, {"prompt", req.prompt}, {"type", req.type}};
      data["variables"] = merged_;
      for (const input_detail::ValidationRule& rule : spec.rules) {
        const std::string name = rule.name.empty() ? rule.text : rule.name;
        const bool javascript = rule.condition.IsJavaScript();
        Result<bool> passed = rule.condition.Evaluate(javascript ? script_data : data, ictx_);
        std::optional<std::string> failure;
        if (!passed && javascript && !IsCodeFailure(passed.error())) {
          return Prefixed(std::move(passed).error(), spec, JoinPointer(rule.pointer, "expression"));
        }
        if (!passed) {
          failure = "validation '" + name + "' could not be evaluated: " + passed.error().message;
        } else if (!*passed) {
          failure = rule.message.empty() ? "validation '" + name + "' failed" : rule.message;
        }
        if (!failure) continue;
        if (rule.warning) {
          warnings->push_back(*failure);
          continue;
        }
        return Message(*failure);
      }
    }
    return Message();
  }

  Error RequiredError(const InputSpec& spec) const {
    std::string message = "input '" + spec.variable + "' is required and has no answer ";
    if (AutoMode()) {
      message += "(auto mode" + std::string(ctx_.ci ? ", CI detected" : "") +
                 ": it has no ci_default or default)";
    } else if (ctx_.provider == nullptr) {
      message += "(no terminal; use --input-file, --input-policy auto, or set ci_default)";
    } else {
      message +=
          "(none was given; add it to the --input-file, use --input-policy auto, or set "
          "ci_default)";
    }
    return InvalidArgumentAt(std::move(message), spec.pointer, "input-required");
  }

  // Answers one input. nullopt: the run failed (out_.error set); false: skipped by its condition.
  std::optional<bool> RunOne(const InputSpec& spec) {
    InputResult result;
    result.variable = spec.variable;
    result.masked = spec.type == InputType::kPassword;
    const std::int64_t start = NowUs();
    const auto finish = [&](InputResult r) {
      r.input_time_ms = static_cast<double>(NowUs() - start) / 1000.0;
      out_.results.push_back(std::move(r));
    };

    bool holds = true;
    if (spec.condition_constant) {
      holds = *spec.condition_constant;
    } else if (spec.condition) {
      Result<bool> c = spec.condition->Evaluate(merged_, ictx_);
      if (!c) {
        Fail(Prefixed(std::move(c).error(), spec, JoinPointer(spec.pointer, "condition")));
        return std::nullopt;
      }
      holds = *c;
    }
    if (!holds) {
      Value value;
      if (spec.has_default) {
        Result<Value> v =
            RenderValue(spec.default_value, spec, JoinPointer(spec.pointer, "default"));
        if (!v) {
          Fail(std::move(v).error());
          return std::nullopt;
        }
        value = std::move(*v);
        // Typed like an answer would be ("false" for a confirm is false); kept as written when
        // it does not convert, since nothing was asked.
        if (spec.type != InputType::kSelect) {
          Result<Value> converted = ConvertInputValue(spec.type, value, {});
          if (converted) value = std::move(*converted);
        }
      }
      result.value = value;
      result.used_default = !value.is_null();
      result.skipped_by_condition = true;
      finish(std::move(result));
      Assign(spec.variable, std::move(value));
      return false;
    }

    Result<InputRequest> built = BuildRequest(spec);
    if (!built) {
      Fail(std::move(built).error());
      return std::nullopt;
    }
    InputRequest& req = *built;
    for (std::size_t attempt = 1;; ++attempt) {
      req.attempt = attempt;
      std::optional<InputAnswer> answer;
      if (ctx_.provider != nullptr) {
        Result<std::optional<InputAnswer>> asked = ctx_.provider->Ask(req);
        if (!asked) {
          Error e = std::move(asked).error();
          e.message = "input '" + spec.variable + "': " + e.message;
          if (e.pointer.empty()) e.pointer = spec.pointer;
          if (e.reason.empty()) e.reason = "input-provider";
          Fail(std::move(e));
          return std::nullopt;
        }
        answer = std::move(*asked);
      }
      Source source = Source::kProvider;
      Value raw;
      result.used_default = false;
      result.timed_out = false;
      if (answer) {
        result.timed_out = answer->timed_out;
        if (answer->used_default || IsBlank(answer->value)) {
          raw = Fallback(req, AutoMode());
          result.used_default = !raw.is_null();
        } else {
          raw = answer->value;
        }
      } else {
        source = Source::kPolicy;
        if (AutoMode()) {
          raw = Fallback(req, true);
          if (IsBlank(raw) && spec.required) {
            result.validation_passed = false;
            result.validation_error = "a value is required";
            finish(std::move(result));
            Fail(RequiredError(spec));
            return std::nullopt;
          }
        } else if (ctx_.policy == InputPolicy::kPrompt && ctx_.provider == nullptr) {
          result.validation_passed = false;
          result.validation_error = "no terminal to ask";
          finish(std::move(result));
          Fail(InvalidArgumentAt("input '" + spec.variable +
                                     "' needs an answer but there is no terminal to ask "
                                     "(--input-policy prompt); use --input-file or "
                                     "--input-policy auto",
                                 spec.pointer, "input-required"));
          return std::nullopt;
        } else if (spec.required) {
          result.validation_passed = false;
          result.validation_error = "a value is required";
          finish(std::move(result));
          Fail(RequiredError(spec));
          return std::nullopt;
        } else {
          raw = req.default_value;
        }
        result.used_default = !raw.is_null();
      }

      std::optional<std::string> failure;
      Value value;
      std::vector<std::string> warnings;
      if (IsBlank(raw)) {
        if (spec.required) {
          failure = "a value is required";
        } else {
          value = raw.is_string() && IsTextType(spec.type) ? raw : Value();
        }
      } else {
        Result<Value> converted = ConvertInputValue(spec.type, raw, req.options);
        if (!converted) {
          failure = converted.error().message;
        } else {
          value = std::move(*converted);
          Result<std::optional<std::string>> checked = Validate(spec, req, value, &warnings);
          if (!checked) {
            Fail(std::move(checked).error());
            return std::nullopt;
          }
          failure = std::move(*checked);
        }
      }
      if (failure) {
        if (source == Source::kProvider && ctx_.provider->CanReprompt() &&
            attempt < kMaxInputAttempts) {
          req.previous_error = *failure;
          continue;
        }
        result.value = raw;
        result.validation_passed = false;
        result.validation_error = *failure;
        result.validation_warnings = std::move(warnings);
        finish(std::move(result));
        std::string message = "input '" + spec.variable + "' is invalid: " + *failure;
        if (attempt > 1) message += " (after " + std::to_string(attempt) + " attempts)";
        Fail(InvalidArgumentAt(std::move(message), spec.pointer, "input-invalid"));
        return std::nullopt;
      }
      result.value = value;
      result.validation_warnings = std::move(warnings);
      finish(std::move(result));
      Assign(spec.variable, std::move(value));
      return true;
    }
  }

  const InputPlan& plan_;
  const InputRunContext& ctx_;
  Value runtime_;
  Value merged_;
  InterpolationContext ictx_;
  InputRunResult out_;
};

}  // namespace

Value InputResult::ToReport() const {
  Value out = Value::object();
  out["variable"] = variable;
  out["value"] = masked && !value.is_null() ? Value("********") : value;
  out["input_time_ms"] = input_time_ms;
  out["validation_passed"] = validation_passed;
  out["used_default"] = used_default;
  out["timed_out"] = timed_out;
  if (!validation_error.empty()) out["validation_error"] = validation_error;
  if (!validation_warnings.empty()) out["validation_warnings"] = validation_warnings;
  if (skipped_by_condition) out["skipped_by_condition"] = true;
  return out;
}

Value DynamicAssignment::ToReport() const {
  Value out = Value::object();
  out["name"] = name;
  out["value"] = value;
  out["scope"] = "runtime";
  out["source"] = "computed";
  out["expression"] = expression;
  out["timestamp"] = FormatIsoUtc(unix_ms);
  return out;
}

InputRunResult RunInputs(const InputPlan& plan, const InputRunContext& ctx) {
  return InputRun(plan, ctx).Run();
}

}  // namespace flow::core
