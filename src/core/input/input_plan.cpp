#include "core/input/input_plan.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

constexpr const char* kTypeNames[] = {"text", "password", "number",  "email",
                                      "url",  "select",   "confirm", "multiline"};

template <std::size_t N>
std::vector<std::string> Names(const char* const (&names)[N]) {
  return std::vector<std::string>(std::begin(names), std::end(names));
}

template <std::size_t N>
bool Contains(const char* const (&names)[N], std::string_view name) {
  return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return name == n; });
}

std::string Describe(const Value& v) { return std::string(TypeName(v)); }

// dynamic.computed values such as "$list[idx].name" are the original's direct JavaScript form
// (its docs show them there), even where DetectDirectExpression reads "$name[...]" as text.
bool IsComputedDirectJavaScript(std::string_view text) {
  return text.size() >= 2 && text[0] == '$' &&
         (std::isalpha(static_cast<unsigned char>(text[1])) || text[1] == '_');
}

// "{{ expr }}" as a whole (the original's /^\{\{([\s\S]+)\}\}$/): the inside, trimmed.
std::optional<std::string> WholeExpressionInside(std::string_view text) {
  const std::string_view t = Trim(text);
  if (t.size() < 5 || !StartsWith(t, "{{") || !EndsWith(t, "}}")) return std::nullopt;
  const std::string_view inside = Trim(t.substr(2, t.size() - 4));
  if (inside.empty()) return std::nullopt;
  return std::string(inside);
}

}  // namespace

std::string_view InputTypeName(InputType type) {
  return kTypeNames[static_cast<std::size_t>(type)];
}

// Compiles one `input` value, collecting every problem.
class InputPlanCompiler {
 public:
  InputPlanLoad Run(const Value& input) {
    InputPlanLoad load;
    if (input.is_object()) {
      single_ = true;
      CompileOne(input, "");
    } else if (input.is_array()) {
      if (input.empty()) Fail("", "'input' is an empty list: give at least one input");
      for (std::size_t i = 0; i < input.size(); ++i) CompileOne(input[i], JoinPointer("", i));
    } else {
      Fail("", "'input' must be a mapping or a list of mappings, got " + Describe(input));
    }
    std::set<std::string> seen;
    for (const input_detail::InputSpec& spec : plan_.inputs_) {
      if (!seen.insert(spec.variable).second) {
        Warn(spec.pointer + "/variable", "input variable '" + spec.variable +
                                             "' is asked more than once; the last answer wins");
      }
    }
    load.errors = std::move(errors_);
    load.warnings = std::move(warnings_);
    if (load.errors.empty()) load.plan = std::move(plan_);
    return load;
  }

 private:
  void Fail(const std::string& pointer, std::string message, std::string hint = {},
            std::string reason = "invalid-input") {
    errors_.push_back(
        InvalidArgumentAt(std::move(message), pointer, std::move(reason), std::move(hint)));
  }

  void Warn(const std::string& pointer, std::string message, std::string hint = {}) {
    warnings_.push_back(
        InvalidArgumentAt(std::move(message), pointer, "no-effect", std::move(hint)));
  }

  // "input", "input[2]", then ".validation.pattern" and so on, for messages.
  std::string Where(const std::string& base, std::string_view rest = {}) const {
    std::string out = "input";
    if (!single_) out += "[" + base.substr(1) + "]";
    if (!rest.empty()) out.append(".").append(rest);
    return out;
  }

  // Records the JavaScript and faker uses of a template or compiled value whose string is at
  // `pointer` (plus each use's own pointer); a use that fails its static check is an error.
  void AddUses(const std::vector<ScriptUse>& uses, const std::string& pointer,
               const std::string& where) {
    for (const ScriptUse& use : uses) {
      const std::string at = pointer + use.pointer;
      if (use.problem) {
        const ScriptProblem& p = *use.problem;
        Fail(at,
             (use.faker ? "invalid faker call in '" : "invalid javascript in '") + where +
                 "': " + p.message + " (line " + std::to_string(p.line) + ", column " +
                 std::to_string(p.column) + " of the expression)",
             p.hint, "invalid-script");
        continue;
      }
      plan_.scripts_.push_back({at, use.faker ? "faker" : "javascript"});
    }
  }

  // JavaScript code at `pointer`: checked now, or with {{ }} inside, when it is rendered.
  std::optional<input_detail::ScriptCode> Code(std::string code, const std::string& pointer,
                                               const std::string& where) {
    input_detail::ScriptCode out;
    out.text = code;
    if (code.find("{{") != std::string::npos) {
      Result<Template> parsed = Template::Parse(code);
      if (!parsed) {
        Error e = std::move(parsed).error();
        e.pointer = pointer;
        errors_.push_back(std::move(e));
        return std::nullopt;
      }
      AddUses(parsed->ScriptUses(), pointer, where);
      out.code_template = std::move(*parsed);
    } else {
      Result<ScriptSource> made = ScriptSource::Make(ScriptCallKind::kExpression, std::move(code));
      if (!made) {
        const Error& e = made.error();
        std::string_view cause = e.message;
        if (StartsWith(cause, "javascript: ")) cause.remove_prefix(12);
        std::string message = "invalid javascript in '" + where + "': " + std::string(cause);
        if (e.where) {
          message += " (line " + std::to_string(e.where->line) + ", column " +
                     std::to_string(e.where->column) + " of the expression)";
        }
        Fail(pointer, std::move(message), e.hint, "invalid-script");
        return std::nullopt;
      }
      out.source = std::move(*made);
    }
    plan_.scripts_.push_back({pointer, "javascript"});
    return out;
  }

  void CheckKeys(const Value& map, const std::string& pointer, const schema::ObjectSpec& spec,
                 const std::string& context) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (spec.FindKey(it.key()) != nullptr) continue;
      Fail(JoinPointer(pointer, it.key()), "unknown " + context + " key '" + it.key() + "'",
           DidYouMean(it.key(), spec.KeyNames(true)), "unknown-key");
    }
  }

  // Keys of `spec` accepted without effect (and without a value to check): a warning each,
  // "'<prefix><key>' has no effect and is ignored" with the registry's hint.
  void WarnNoEffect(const Value& map, const std::string& pointer, const schema::ObjectSpec& spec,
                    const std::string& prefix) {
    for (const schema::KeySpec& key : spec.keys) {
      if (key.kind != schema::KeyKind::kNoEffect || !key.types.empty() || !map.contains(key.name)) {
        continue;
      }
      Warn(JoinPointer(pointer, key.name), "'" + prefix + key.name + "' has no effect and is ignored",
           key.hint);
    }
  }

  std::optional<Template> StringTemplate(const Value& map, const std::string& base, const char* key,
                                         const std::string& base_where) {
    const auto found = map.find(key);
    if (found == map.end()) return Template();
    const std::string pointer = JoinPointer(base, key);
    if (!found->is_string()) {
      Fail(pointer, "'" + Where(base, key) + "' must be a string, got " + Describe(*found));
      return std::nullopt;
    }
    Result<Template> parsed = Template::Parse(found->get_ref<const std::string&>());
    if (!parsed) {
      Error e = std::move(parsed).error();
      e.pointer = pointer;
      errors_.push_back(std::move(e));
      return std::nullopt;
    }
    AddUses(parsed->ScriptUses(), pointer, base_where.empty() ? Where(base, key) : base_where);
    return std::move(*parsed);
  }

  std::optional<CompiledValue> Compiled(const Value& value, const std::string& pointer,
                                        const std::string& where) {
    Result<CompiledValue> compiled = CompiledValue::Compile(value);
    if (!compiled) {
      Error e = std::move(compiled).error();
      e.pointer = pointer + e.pointer;
      errors_.push_back(std::move(e));
      return std::nullopt;
    }
    AddUses(compiled->ScriptUses(), pointer, where);
    return std::move(*compiled);
  }

  void CompileOne(const Value& map, const std::string& base) {
    if (!map.is_object()) {
      Fail(base, "each entry of 'input' must be a mapping with 'prompt' and 'variable', got " +
                     Describe(map));
      return;
    }
    input_detail::InputSpec spec;
    spec.pointer = base;
    CheckKeys(map, base, schema::Object("input"), "input");

    // variable
    if (const auto v = map.find("variable"); v == map.end()) {
      Fail(base, "missing required key 'variable' in '" + Where(base) + "'", {}, "missing-key");
    } else if (!v->is_string() || Trim(v->get_ref<const std::string&>()).empty()) {
      Fail(JoinPointer(base, "variable"),
           "'" + Where(base, "variable") + "' must be a non-empty string, got " +
               (v->is_string() ? std::string("\"\"") : Describe(*v)));
    } else {
      spec.variable = std::string(Trim(v->get_ref<const std::string&>()));
    }

    // prompt
    if (!map.contains("prompt")) {
      Fail(base, "missing required key 'prompt' in '" + Where(base) + "'", {}, "missing-key");
    } else if (auto t = StringTemplate(map, base, "prompt", {})) {
      spec.prompt = std::move(*t);
    }
    if (auto t = StringTemplate(map, base, "description", {})) spec.description = std::move(*t);
    if (auto t = StringTemplate(map, base, "placeholder", {})) spec.placeholder = std::move(*t);

    // type
    if (const auto t = map.find("type"); t != map.end()) {
      const std::string pointer = JoinPointer(base, "type");
      if (!t->is_string()) {
        Fail(pointer, "'" + Where(base, "type") + "' must be a string, got " + Describe(*t));
      } else {
        const std::string name = ToLower(Trim(t->get_ref<const std::string&>()));
        const auto found = std::find_if(std::begin(kTypeNames), std::end(kTypeNames),
                                        [&](const char* n) { return name == n; });
        if (found == std::end(kTypeNames)) {
          Fail(pointer,
               "unknown input type '" + t->get<std::string>() +
                   "': expected text, password, number, email, url, select, confirm "
                   "or multiline",
               DidYouMean(name, Names(kTypeNames)), "unknown-type");
        } else {
          spec.type = static_cast<InputType>(found - std::begin(kTypeNames));
        }
      }
    }

    // style
    if (const auto s = map.find("style"); s != map.end()) {
      const std::string pointer = JoinPointer(base, "style");
      if (!s->is_string()) {
        Fail(pointer, "'" + Where(base, "style") + "' must be a string, got " + Describe(*s));
      } else if (const std::vector<std::string>& styles =
                     schema::Object("input").Key("style").EnumValues();
                 std::find(styles.begin(), styles.end(), s->get_ref<const std::string&>()) ==
                 styles.end()) {
        Fail(pointer,
             "unknown input style '" + s->get<std::string>() +
                 "': expected simple, boxed or highlighted",
             DidYouMean(s->get<std::string>(), styles));
      } else {
        spec.style = s->get<std::string>();
      }
    }

    // required
    if (const auto r = map.find("required"); r != map.end()) {
      if (r->is_boolean()) {
        spec.required = r->get<bool>();
      } else if (!r->is_null()) {
        Fail(JoinPointer(base, "required"),
             "'" + Where(base, "required") + "' must be true or false, got " + Describe(*r));
      }
    }

    // default, ci_default
    if (const auto d = map.find("default"); d != map.end() && !d->is_null()) {
      if (auto c = Compiled(*d, JoinPointer(base, "default"), Where(base, "default"))) {
        spec.has_default = true;
        spec.default_value = std::move(*c);
      }
    }
    if (const auto d = map.find("ci_default"); d != map.end() && !d->is_null()) {
      if (auto c = Compiled(*d, JoinPointer(base, "ci_default"), Where(base, "ci_default"))) {
        spec.has_ci_default = true;
        spec.ci_default = std::move(*c);
      }
    }

    // timeout_seconds
    if (const auto t = map.find("timeout_seconds"); t != map.end()) {
      const std::string pointer = JoinPointer(base, "timeout_seconds");
      if (!t->is_number() || t->get<double>() < 0 || !std::isfinite(t->get<double>())) {
        Fail(pointer, "'" + Where(base, "timeout_seconds") +
                          "' must be a non-negative number of seconds, got " + Describe(*t));
      } else {
        spec.timeout_seconds = t->get<double>();
        Warn(pointer, "'timeout_seconds' has no effect: a prompt waits until it is answered",
             "use ci_default with --input-policy auto for unattended runs");
      }
    }
    // value_path, label_path (timeout_seconds, whose value is checked, warns above).
    WarnNoEffect(map, base, schema::Object("input"), "");

    // condition
    if (const auto c = map.find("condition"); c != map.end() && !c->is_null()) {
      const std::string pointer = JoinPointer(base, "condition");
      if (c->is_boolean()) {
        spec.condition_constant = c->get<bool>();
      } else if (!c->is_string()) {
        Fail(pointer, "'" + Where(base, "condition") +
                          "' must be a JMESPath expression (a string), got " + Describe(*c));
      } else {
        const std::string text(Trim(c->get_ref<const std::string&>()));
        AddUses(Template::Parse(text).value_or(Template()).ScriptUses(), pointer,
                Where(base, "condition"));
        if (text == "true" || text == "false") {
          spec.condition_constant = text == "true";
        } else {
          Result<Condition> compiled = Condition::Compile(text);
          if (!compiled) {
            Error e = std::move(compiled).error();
            e.pointer = pointer;
            errors_.push_back(std::move(e));
          } else {
            spec.condition = std::move(*compiled);
          }
        }
      }
    }

    // options
    if (const auto o = map.find("options"); o != map.end() && !o->is_null()) {
      spec.options = CompileOptions(*o, JoinPointer(base, "options"), Where(base, "options"));
      if (spec.type != InputType::kSelect) {
        Warn(JoinPointer(base, "options"),
             "'options' only apply to 'select' inputs; this one is of type '" +
                 std::string(InputTypeName(spec.type)) + "'",
             "add 'type: select'");
      }
    } else if (spec.type == InputType::kSelect) {
      Fail(base, "a 'select' input needs 'options' ('" + Where(base) + "')", {}, "missing-key");
    }

    // validation
    if (const auto v = map.find("validation"); v != map.end() && !v->is_null()) {
      CompileValidation(*v, JoinPointer(base, "validation"), base, spec);
    }

    // dynamic
    if (const auto d = map.find("dynamic"); d != map.end() && !d->is_null()) {
      CompileDynamic(*d, JoinPointer(base, "dynamic"), base, spec);
    }

    plan_.inputs_.push_back(std::move(spec));
  }

  input_detail::OptionsSpec CompileOptions(const Value& value, const std::string& pointer,
                                           const std::string& where) {
    input_detail::OptionsSpec options;
    options.present = true;
    options.pointer = pointer;
    if (value.is_string()) {
      options.is_expression = true;
      options.text = value.get<std::string>();
      options.fallback = Template::Parse(options.text).value_or(Template());
      std::optional<std::string> inside = WholeExpressionInside(options.text);
      const bool bare = !inside && options.text.find("{{") == std::string::npos;
      if (bare) inside = std::string(Trim(options.text));
      if (inside) {
        Result<jmespath::Expression> compiled = jmespath::Expression::Compile(*inside);
        if (compiled) {
          options.jmespath = std::move(*compiled);
        } else if (bare) {
          Fail(pointer,
               "invalid options expression '" + options.text + "': " + compiled.error().message,
               "give a list of {value, label}, or \"{{users[*].{value: id, label: name}}}\"",
               "invalid-jmespath");
        }
      }
      if (!options.jmespath) AddUses(options.fallback.ScriptUses(), pointer, where);
      return options;
    }
    if (!value.is_array()) {
      Fail(pointer, "'" + where +
                        "' must be a list of {value, label} or an expression string, got " +
                        Describe(value));
      return options;
    }
    if (value.empty()) Fail(pointer, "'" + where + "' is an empty list");
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Value& item = value[i];
      const std::string item_pointer = JoinPointer(pointer, i);
      input_detail::OptionSpec option;
      if (item.is_object()) {
        CheckKeys(item, item_pointer, schema::Object("input.option"), "option");
        const auto v = item.find("value");
        if (v == item.end()) {
          Fail(item_pointer,
               "option " + std::to_string(i + 1) + " of '" + where + "' has no 'value'", {},
               "missing-key");
          continue;
        }
        if (auto c = Compiled(*v, JoinPointer(item_pointer, "value"), where)) {
          option.value = std::move(*c);
        }
        if (const auto l = item.find("label"); l != item.end() && !l->is_null()) {
          const Value label = l->is_string() ? *l : Value(ToText(*l));
          option.label = Template::Parse(label.get<std::string>()).value_or(Template());
          AddUses(option.label.ScriptUses(), JoinPointer(item_pointer, "label"), where);
          option.has_label = true;
        }
      } else if (item.is_array()) {
        Fail(item_pointer, "option " + std::to_string(i + 1) + " of '" + where +
                               "' must be a scalar or a {value, label} mapping, got array");
        continue;
      } else if (auto c = Compiled(item, item_pointer, where)) {
        option.value = std::move(*c);
      }
      options.list.push_back(std::move(option));
    }
    return options;
  }

  std::optional<std::size_t> Length(const Value& map, const std::string& pointer, const char* key,
                                    const std::string& base) {
    const auto found = map.find(key);
    if (found == map.end() || found->is_null()) return std::nullopt;
    if (!found->is_number_integer() && !found->is_number_unsigned() &&
        !(found->is_number_float() && std::floor(found->get<double>()) == found->get<double>())) {
      Fail(JoinPointer(pointer, key), "'" + Where(base, std::string("validation.") + key) +
                                          "' must be a whole number, got " + Describe(*found));
      return std::nullopt;
    }
    const double n = found->get<double>();
    if (n < 0 || n > 1e9) {
      Fail(JoinPointer(pointer, key),
           "'" + Where(base, std::string("validation.") + key) + "' must be between 0 and 1e9");
      return std::nullopt;
    }
    return static_cast<std::size_t>(n);
  }

  std::optional<CompiledValue> Bound(const Value& map, const std::string& pointer, const char* key,
                                     const std::string& base) {
    const auto found = map.find(key);
    if (found == map.end() || found->is_null()) return std::nullopt;
    const std::string where = Where(base, std::string("validation.") + key);
    if (!found->is_number() && !found->is_string()) {
      Fail(JoinPointer(pointer, key),
           "'" + where + "' must be a number (or a template giving one), got " + Describe(*found));
      return std::nullopt;
    }
    return Compiled(*found, JoinPointer(pointer, key), where);
  }

  void CompileValidation(const Value& v, const std::string& pointer, const std::string& base,
                         input_detail::InputSpec& spec) {
    if (!v.is_object()) {
      Fail(pointer, "'" + Where(base, "validation") + "' must be a mapping, got " + Describe(v));
      return;
    }
    CheckKeys(v, pointer, schema::Object("input.validation"), "validation");
    spec.min_length = Length(v, pointer, "min_length", base);
    spec.max_length = Length(v, pointer, "max_length", base);
    if (spec.min_length && spec.max_length && *spec.min_length > *spec.max_length) {
      Fail(JoinPointer(pointer, "min_length"),
           "'" + Where(base, "validation.min_length") + "' is greater than 'max_length'");
    }
    if (const auto p = v.find("pattern"); p != v.end() && !p->is_null()) {
      const std::string p_pointer = JoinPointer(pointer, "pattern");
      if (!p->is_string()) {
        Fail(p_pointer, "'" + Where(base, "validation.pattern") +
                            "' must be a regular expression (a string), got " + Describe(*p));
      } else {
        Result<EcmaRegex> regex = EcmaRegex::Compile(p->get_ref<const std::string&>());
        if (!regex) {
          Error e = std::move(regex).error();
          e.message = "invalid regular expression in '" + Where(base, "validation.pattern") +
                      "': " + e.message;
          e.pointer = p_pointer;
          errors_.push_back(std::move(e));
        } else {
          spec.pattern = std::move(*regex);
        }
      }
    }
    spec.min = Bound(v, pointer, "min", base);
    spec.max = Bound(v, pointer, "max", base);
    if (const auto o = v.find("options"); o != v.end() && !o->is_null()) {
      spec.allowed =
          CompileOptions(*o, JoinPointer(pointer, "options"), Where(base, "validation.options"));
    }
    if (const auto c = v.find("custom_validation"); c != v.end() && !c->is_null()) {
      const std::string c_pointer = JoinPointer(pointer, "custom_validation");
      if (!c->is_string()) {
        Fail(c_pointer, "'" + Where(base, "validation.custom_validation") +
                            "' must be a JavaScript expression (a string), got " + Describe(*c));
      } else {
        spec.custom_validation =
            Code(c->get<std::string>(), c_pointer, Where(base, "validation.custom_validation"));
        spec.custom_validation_pointer = c_pointer;
      }
    }
    if (const auto e = v.find("expressions"); e != v.end() && !e->is_null()) {
      const std::string e_pointer = JoinPointer(pointer, "expressions");
      if (!e->is_array()) {
        Fail(e_pointer,
             "'" + Where(base, "validation.expressions") + "' must be a list, got " + Describe(*e));
        return;
      }
      for (std::size_t i = 0; i < e->size(); ++i) {
        CompileRule((*e)[i], JoinPointer(e_pointer, i), base, i, spec);
      }
    }
  }

  void CompileRule(const Value& rule, const std::string& pointer, const std::string& base,
                   std::size_t index, input_detail::InputSpec& spec) {
    const std::string where = Where(base, "validation.expressions[" + std::to_string(index) + "]");
    if (!rule.is_object()) {
      Fail(pointer, "'" + where + "' must be a mapping with 'expression', got " + Describe(rule));
      return;
    }
    CheckKeys(rule, pointer, schema::Object("input.expression"), "validation expression");
    WarnNoEffect(rule, pointer, schema::Object("input.expression"), "");
    input_detail::ValidationRule out;
    out.pointer = pointer;
    const auto text = [&](const char* key) -> std::optional<std::string> {
      const auto found = rule.find(key);
      if (found == rule.end() || found->is_null()) return std::nullopt;
      if (!found->is_string()) {
        Fail(JoinPointer(pointer, key),
             "'" + where + "." + key + "' must be a string, got " + Describe(*found));
        return std::nullopt;
      }
      return found->get<std::string>();
    };
    const std::optional<std::string> expression = text("expression");
    if (!rule.contains("expression")) {
      Fail(pointer, "missing required key 'expression' in '" + where + "'", {}, "missing-key");
    }
    out.name = text("name").value_or("");
    out.message = text("message").value_or("");
    if (const auto severity = text("severity")) {
      if (*severity == "warning") {
        out.warning = true;
      } else if (*severity != "error") {
        Fail(JoinPointer(pointer, "severity"),
             "unknown severity '" + *severity + "' in '" + where + "': expected error or warning",
             DidYouMean(*severity, {"error", "warning"}));
      }
    }
    // The original's default language for these rules is JavaScript.
    std::string language = ToLower(text("language").value_or("javascript"));
    if (language != "jmespath" && language != "javascript" && language != "javascript-inline") {
      Fail(
          JoinPointer(pointer, "language"),
          "unknown language '" + language + "' in '" + where + "': expected jmespath or javascript",
          DidYouMean(language, {"jmespath", "javascript"}));
      return;
    }
    if (!expression) return;
    out.text = *expression;
    const std::string expression_pointer = JoinPointer(pointer, "expression");
    const bool javascript = language != "jmespath";
    Result<Condition> compiled =
        javascript ? Condition::CompileJavaScript(*expression) : Condition::Compile(*expression);
    if (!compiled) {
      Error e = std::move(compiled).error();
      e.pointer = expression_pointer;
      if (javascript) {
        e.message = "'" + where + "': " + e.message;
        e.reason = "invalid-script";
      }
      errors_.push_back(std::move(e));
      return;
    }
    AddUses(Template::Parse(*expression).value_or(Template()).ScriptUses(), expression_pointer,
            where);
    if (javascript &&
        (plan_.scripts_.empty() || plan_.scripts_.back().pointer != expression_pointer ||
         plan_.scripts_.back().what != "javascript")) {
      plan_.scripts_.push_back({expression_pointer, "javascript"});
    }
    out.condition = std::move(*compiled);
    spec.rules.push_back(std::move(out));
  }

  void CompileDynamic(const Value& d, const std::string& pointer, const std::string& base,
                      input_detail::InputSpec& spec) {
    if (!d.is_object()) {
      Fail(pointer, "'" + Where(base, "dynamic") + "' must be a mapping, got " + Describe(d));
      return;
    }
    CheckKeys(d, pointer, schema::Object("input.dynamic"), "dynamic");
    WarnNoEffect(d, pointer, schema::Object("input.dynamic"), "dynamic.");
    const auto c = d.find("computed");
    if (c == d.end() || c->is_null()) return;
    const std::string c_pointer = JoinPointer(pointer, "computed");
    if (!c->is_object()) {
      Fail(c_pointer, "'" + Where(base, "dynamic.computed") +
                          "' must be a mapping of variable: template, got " + Describe(*c));
      return;
    }
    for (auto it = c->begin(); it != c->end(); ++it) {
      const std::string entry_pointer = JoinPointer(c_pointer, it.key());
      const std::string where = Where(base, "dynamic.computed." + it.key());
      if (auto compiled = Compiled(it.value(), entry_pointer, where)) {
        std::optional<input_detail::ScriptCode> script;
        if (it.value().is_string() &&
            IsComputedDirectJavaScript(it.value().get_ref<const std::string&>()) &&
            compiled->ScriptUses().empty()) {
          // Not a direct form of templates ("$list[idx].name"): JavaScript after the '$'.
          script = Code(it.value().get<std::string>().substr(1), entry_pointer, where);
          if (!script) continue;
        }
        spec.computed.push_back(
            {.name = it.key(),
             .value = std::move(*compiled),
             .script = std::move(script),
             .text = it.value().is_string() ? it.value().get<std::string>() : DumpJson(it.value()),
             .pointer = entry_pointer});
      }
    }
  }

  InputPlan plan_;
  bool single_ = false;
  std::vector<Error> errors_;
  std::vector<Error> warnings_;
};

InputPlanLoad InputPlan::Compile(const Value& input) { return InputPlanCompiler().Run(input); }

std::vector<std::string> InputPlan::variables() const {
  std::vector<std::string> out;
  for (const input_detail::InputSpec& spec : inputs_) out.push_back(spec.variable);
  for (const input_detail::InputSpec& spec : inputs_) {
    for (const input_detail::ComputedSpec& computed : spec.computed) out.push_back(computed.name);
  }
  return out;
}

}  // namespace flow::core
