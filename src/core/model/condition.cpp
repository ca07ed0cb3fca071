#include "core/model/condition.hpp"

#include <cctype>

#include "core/jmespath/shorthands.hpp"

namespace flow::core {
namespace {

// The placeholder's value as JMESPath text.
std::string LiteralOf(const Value& v, bool quoted) {
  if (quoted) {
    std::string text = v.is_string() ? v.get<std::string>() : DumpJson(v);
    return text;
  }
  std::string json = DumpJson(v);
  std::string out = "`";
  for (char c : json) {
    if (c == '`') out += '\\';
    out += c;
  }
  out += '`';
  return out;
}

}  // namespace

std::string SkipConditionToJmesPath(std::string_view condition) {
  // `== 3`, `!= true`, `>= 1.5`: the original's rewrite of bare literals after a comparison into
  // JMESPath literals (`== \`3\``); quoted strings ('x') are JMESPath raw strings already.
  std::string out;
  std::size_t i = 0;
  while (i < condition.size()) {
    const bool two = i + 1 < condition.size() && condition[i + 1] == '=' &&
                     (condition[i] == '=' || condition[i] == '!' || condition[i] == '<' ||
                      condition[i] == '>');
    const bool one = !two && (condition[i] == '<' || condition[i] == '>');
    if (!two && !one) {
      out += condition[i++];
      continue;
    }
    const std::size_t op_len = two ? 2 : 1;
    out.append(condition.substr(i, op_len));
    i += op_len;
    std::size_t j = i;
    while (j < condition.size() && condition[j] == ' ') ++j;
    std::size_t k = j;
    while (k < condition.size() && (std::isalnum(static_cast<unsigned char>(condition[k])) ||
                                    condition[k] == '.' || condition[k] == '-')) {
      ++k;
    }
    const std::string_view word = condition.substr(j, k - j);
    const bool number = !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) ||
                                          (word[0] == '-' && word.size() > 1));
    if (number || word == "true" || word == "false" || word == "null") {
      out.append(condition.substr(i, j - i)).append("`").append(word).append("`");
      i = k;
    }
  }
  return out;
}

bool IsJsTruthy(const Value& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_number()) return v.get<double>() != 0;
  return true;  // objects and arrays, even empty
}

bool IsTruthy(const Value& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

std::string ConditionToJmesPath(std::string_view condition) {
  std::string text = SkipConditionToJmesPath(condition);
  return jmespath::QuoteBracketKeys(text).value_or(std::move(text));
}

Result<Condition> Condition::Split(std::string_view text) {
  Condition c;
  c.text_ = std::string(text);
  char quote = 0;
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") == 0) {
      const std::size_t close = text.find("}}", i + 2);
      if (close != std::string_view::npos) {
        Result<Template> t = Template::Parse(text.substr(i, close + 2 - i));
        if (!t) return std::move(t).error();
        c.pieces_.push_back(Piece{.literal = std::move(literal),
                                  .placeholder = std::make_shared<const Template>(std::move(*t)),
                                  .quoted = quote != 0});
        c.placeholders_.push_back(c.pieces_.size() - 1);
        literal.clear();
        i = close + 2;
        continue;
      }
    }
    const char ch = text[i];
    if (quote != 0) {
      if (ch == '\\' && i + 1 < text.size()) {
        literal += ch;
        literal += text[i + 1];
        i += 2;
        continue;
      }
      if (ch == quote) quote = 0;
    } else if (ch == '\'' || ch == '"' || ch == '`') {
      quote = ch;
    }
    literal += ch;
    ++i;
  }
  c.pieces_.push_back(Piece{.literal = std::move(literal)});
  return c;
}

Result<Condition> Condition::Compile(std::string_view text) {
  Result<Condition> split = Split(text);
  if (!split) return split;
  Condition c = std::move(split).value();
  // Check the syntax now: with the placeholders as null literals (or empty quoted text).
  std::string probe;
  for (const Piece& p : c.pieces_) {
    probe += p.literal;
    if (p.placeholder) probe += p.quoted ? "x" : "`null`";
  }
  Result<jmespath::Expression> compiled = jmespath::Expression::Compile(ConditionToJmesPath(probe));
  if (!compiled) {
    Error e = std::move(compiled).error();
    e.message = "invalid condition '" + c.text_ + "': " + e.message;
    e.reason = "invalid-condition";
    return e;
  }
  if (c.placeholders_.empty()) {
    c.compiled_ = std::make_shared<const jmespath::Expression>(std::move(*compiled));
  }
  return c;
}

Result<std::string> Condition::Render(const InterpolationContext& ctx) const {
  std::string out;
  for (const Piece& p : pieces_) {
    out += p.literal;
    if (!p.placeholder) continue;
    Result<Value> v = p.placeholder->Render(ctx);
    if (!v) return std::move(v).error();
    out += LiteralOf(*v, p.quoted);
  }
  return ConditionToJmesPath(out);
}

Result<Condition> Condition::CompileJavaScript(std::string_view text) {
  Result<Condition> split = Split(text);
  if (!split) return split;
  Condition c = std::move(split).value();
  c.javascript_ = true;
  std::string probe;
  for (const Piece& p : c.pieces_) {
    probe += p.literal;
    if (p.placeholder) probe += p.quoted ? "x" : "null";
  }
  ScriptCheck check = CheckScript(probe, ScriptKind::kExpression);
  if (!check.ok()) {
    const ScriptProblem& p = check.problems.front();
    Error e = InvalidArgument("invalid javascript condition '" + c.text_ + "': " + p.message +
                                  " (line " + std::to_string(p.line) + ", column " +
                                  std::to_string(p.column) + ")",
                              p.hint);
    e.reason = "script-check";
    return e;
  }
  if (c.placeholders_.empty()) c.names_ = std::move(check.names);
  return c;
}

Result<bool> Condition::EvaluateJavaScript(const Value& data, const InterpolationContext& ctx) const {
  ScriptSource source;
  source.kind = ScriptCallKind::kExpression;
  if (placeholders_.empty()) {
    source.code = text_;
    source.names = names_;
  } else {
    for (const Piece& p : pieces_) {
      source.code += p.literal;
      if (!p.placeholder) continue;
      Result<Value> v = p.placeholder->Render(ctx);
      if (!v) return std::move(v).error();
      if (!p.quoted) {
        source.code += "(" + DumpJson(*v) + ")";
        continue;
      }
      const std::string raw = v->is_string() ? v->get<std::string>() : DumpJson(*v);
      for (const char ch : raw) {  // inside a JavaScript string: escape what would end it
        if (ch == '\\' || ch == '\'' || ch == '"' || ch == '`' || ch == '$') source.code += '\\';
        if (ch == '\n') {
          source.code += "\\n";
          continue;
        }
        source.code += ch;
      }
    }
    ScriptCheck check = CheckScript(source.code, ScriptKind::kExpression);
    if (!check.ok()) {
      Error e = InvalidArgument("javascript condition '" + text_ + "': " +
                                check.problems.front().message);
      e.reason = "script-check";
      return e;
    }
    source.names = std::move(check.names);
  }
  InterpolationContext with_data = ctx;
  with_data.script_bindings = &data;
  Result<ScriptOutcome> r = RunScript(source, with_data, ctx.script_budget);
  if (!r) {
    Error e = std::move(r).error();
    e.message = "condition '" + text_ + "': " + e.message;
    return e;
  }
  return IsJsTruthy(r->value);
}

Result<bool> Condition::Evaluate(const Value& data, const InterpolationContext& ctx) const {
  if (javascript_) return EvaluateJavaScript(data, ctx);
  if (compiled_) {
    Result<Value> r = compiled_->Search(data);
    if (!r) {
      Error e = std::move(r).error();
      e.message = "condition '" + text_ + "': " + e.message;
      return e;
    }
    return IsTruthy(*r);
  }
  Result<std::string> rendered = Render(ctx);
  if (!rendered) return std::move(rendered).error();
  Result<jmespath::Expression> expression = jmespath::Expression::Compile(*rendered);
  if (!expression) {
    Error e = std::move(expression).error();
    e.message = "condition '" + text_ + "' (rendered: " + *rendered + "): " + e.message;
    return e;
  }
  Result<Value> r = expression->Search(data);
  if (!r) {
    Error e = std::move(r).error();
    e.message = "condition '" + text_ + "': " + e.message;
    return e;
  }
  return IsTruthy(*r);
}

}  // namespace flow::core
