#include "core/template/template.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/template/expression.hpp"

namespace flow::core {
namespace {

using template_detail::Evaluate;
using template_detail::IsLiteralFallbackAllowed;
using template_detail::LiteralWarning;
using template_detail::Resolved;

struct Span {
  std::size_t begin;  // offset of "{{"
  std::size_t end;    // offset just past the closing "}}"
};

// Finds the placeholders of `text` in one pass (no quadratic rescans on hostile input).
//
// Inside a placeholder, braces nest: "{{" opens a nested template and "{" a single brace, each
// closed by its own "}}" or "}", so "{{$js: {{n}} + 1}}" and "{{a.{b: c}}}" are one placeholder
// each. A "}" that closes nothing is text. When the end is reached with the outer "{{" still
// open, that "{{" is literal text, and the nested "{{...}}" that did close inside it (the
// outermost ones) are placeholders, exactly as if scanning had restarted after the literal "{{".
std::vector<Span> FindPlaceholders(std::string_view text) {
  std::vector<Span> spans;
  const std::size_t n = text.size();
  std::size_t pos = 0;
  struct Open {
    std::size_t at;
    bool is_double;
  };
  std::vector<Open> stack;
  std::vector<Span> closed_inside;
  while (true) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    stack.clear();
    closed_inside.clear();
    std::size_t close = std::string_view::npos;
    std::size_t i = open + 2;
    while (i < n) {
      const char c = text[i];
      const bool doubled = i + 1 < n && text[i + 1] == c;
      if (c == '{') {
        stack.push_back({i, doubled});
        i += doubled ? 2 : 1;
      } else if (c == '}') {
        if (stack.empty()) {
          if (doubled) {
            close = i + 2;
            break;
          }
          ++i;  // a lone "}" is text
        } else if (!stack.back().is_double) {
          stack.pop_back();
          ++i;
        } else if (doubled) {
          closed_inside.push_back({stack.back().at, i + 2});
          stack.pop_back();
          i += 2;
        } else {
          ++i;
        }
      } else {
        ++i;
      }
    }
    if (close != std::string_view::npos) {
      spans.push_back({open, close});
      pos = close;
      continue;
    }
    std::sort(closed_inside.begin(), closed_inside.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::size_t after = open + 2;
    for (const Span& span : closed_inside) {
      if (span.begin < after) continue;  // nested in a placeholder already taken
      spans.push_back(span);
      after = span.end;
    }
    break;
  }
  return spans;
}

void Warn(const InterpolationContext& ctx, std::string warning) {
  if (ctx.warnings != nullptr) ctx.warnings->push_back(std::move(warning));
}

void AppendNumber(std::string& out, double number) {
  // Integral numbers read as integers, as JavaScript's String() writes them ("3", not "3.0").
  if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 1e21) {
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.0f", number == 0 ? 0.0 : number);
    out += buffer.data();
    return;
  }
  out += DumpJson(Value(number));
}

}  // namespace

std::vector<PlaceholderSpan> FindTemplatePlaceholders(std::string_view text) {
  std::vector<PlaceholderSpan> out;
  for (const Span& span : FindPlaceholders(text)) out.push_back({span.begin, span.end});
  return out;
}

void AppendValueText(std::string& out, const Value& value) {
  switch (value.type()) {
    case Value::value_t::string:
      out += value.get_ref<const std::string&>();
      return;
    case Value::value_t::null:
    case Value::value_t::discarded:
      out += "null";
      return;
    case Value::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Value::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      return;
    case Value::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      return;
    case Value::value_t::number_float:
      AppendNumber(out, value.get<double>());
      return;
    case Value::value_t::object:
    case Value::value_t::array:
    case Value::value_t::binary:
      out += DumpJson(value);
      return;
  }
}

Result<Template> Template::Parse(std::string_view text) {
  Template parsed;
  parsed.source_ = std::string(text);
  std::size_t pos = 0;
  for (const Span& span : FindPlaceholders(text)) {
    if (span.begin > pos)
      parsed.parts_.push_back({std::string(text.substr(pos, span.begin - pos)), {}});
    const std::string_view placeholder = text.substr(span.begin, span.end - span.begin);
    parsed.parts_.push_back(
        {std::string(placeholder),
         template_detail::ParseExpression(placeholder.substr(2, placeholder.size() - 4))});
    pos = span.end;
  }
  if (pos < text.size()) parsed.parts_.push_back({std::string(text.substr(pos)), {}});
  parsed.has_expressions_ =
      std::any_of(parsed.parts_.begin(), parsed.parts_.end(),
                  [](const Part& part) { return part.expression != nullptr; });
  return parsed;
}

Template Template::FromDirect(const DirectExpression& direct) {
  Template made;
  made.source_ = (direct.kind == DirectKind::kFaker ? "#" : "$") + direct.expression;
  made.parts_.push_back({made.source_, template_detail::DirectToExpression(direct)});
  made.has_expressions_ = true;
  return made;
}

bool Template::HasExpressions() const { return has_expressions_; }

std::vector<ScriptUse> Template::ScriptUses() const {
  std::vector<ScriptUse> uses;
  for (const Part& part : parts_) {
    const template_detail::Expression* e = part.expression.get();
    if (e == nullptr) continue;
    if (e->kind != template_detail::ExpressionKind::kJavaScript &&
        e->kind != template_detail::ExpressionKind::kFaker) {
      continue;
    }
    uses.push_back({.faker = e->script_kind == ScriptCallKind::kFaker,
                    .code = e->code,
                    .problem = e->problem});
  }
  return uses;
}

bool Template::IsWholeExpression() const {
  return parts_.size() == 1 && parts_[0].expression != nullptr;
}

Result<Value> Template::Render(const InterpolationContext& ctx) const {
  if (!has_expressions_) return Value(source_);
  if (IsWholeExpression()) {
    const template_detail::Expression& expression = *parts_[0].expression;
    Result<Resolved> resolved = Evaluate(expression, ctx);
    if (!resolved) {
      if (ctx.unresolved == UnresolvedPolicy::kLiteral &&
          IsLiteralFallbackAllowed(resolved.error())) {
        Warn(ctx, LiteralWarning(expression, resolved.error()));
        return Value(source_);
      }
      return std::move(resolved).error();
    }
    if (resolved->ref != nullptr) return *resolved->ref;
    return std::move(resolved->owned);
  }
  std::string out;
  out.reserve(source_.size() + 16 * parts_.size());
  for (const Part& part : parts_) {
    if (part.expression == nullptr) {
      out += part.text;
      continue;
    }
    Result<Resolved> resolved = Evaluate(*part.expression, ctx);
    if (!resolved) {
      if (ctx.unresolved == UnresolvedPolicy::kLiteral &&
          IsLiteralFallbackAllowed(resolved.error())) {
        Warn(ctx, LiteralWarning(*part.expression, resolved.error()));
        out += part.text;
        continue;
      }
      return std::move(resolved).error();
    }
    AppendValueText(out, resolved->get());
  }
  return Value(std::move(out));
}

}  // namespace flow::core
