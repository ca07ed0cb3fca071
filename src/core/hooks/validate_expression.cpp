#include "core/hooks/validate_expression.hpp"

#include <cctype>
#include <optional>

#include "core/model/condition.hpp"

namespace flow::core {
namespace {

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool IsIdentifierStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Characters of a variable path written before `.length`: names, dots, [0], [*].
bool IsPathChar(char c) {
  return IsIdentifierChar(c) || c == '.' || c == '[' || c == ']' || c == '*';
}

// `a.b.length` -> `length(a.b)`, in text that holds no quotes.
std::string RewriteLength(std::string_view text) {
  static constexpr std::string_view kLength = ".length";
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t found = text.find(kLength, pos);
    if (found == std::string_view::npos) break;
    const std::size_t after = found + kLength.size();
    const bool ends_word = after >= text.size() || (!IsIdentifierChar(text[after]) &&
                                                    text[after] != '(' && text[after] != '.');
    // The path starts where the path characters before `.length` do; it must begin with a
    // name, and must not continue something else (`@.length`, `foo().length`).
    std::size_t start = found;
    while (start > pos && IsPathChar(text[start - 1])) --start;
    const bool path_ok = start < found && IsIdentifierStart(text[start]) &&
                         (start == 0 || (text[start - 1] != '@' && text[start - 1] != ')' &&
                                         text[start - 1] != '"' && text[start - 1] != '\''));
    if (!ends_word || !path_ok) {
      out.append(text.substr(pos, after - pos));
      pos = after;
      continue;
    }
    out.append(text.substr(pos, start - pos));
    out.append("length(").append(text.substr(start, found - start)).append(")");
    pos = after;
  }
  out.append(text.substr(pos));
  return out;
}

std::string RewriteUnquoted(std::string_view text) {
  return SkipConditionToJmesPath(RewriteLength(text));
}

// The index of the quote that closes the one at `open` (backslash escapes skipped), or npos.
std::size_t ClosingQuote(std::string_view text, std::size_t open) {
  const char quote = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool EndsWithComparison(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  const char last = text.back();
  if (last == '<' || last == '>') return true;
  if (last != '=' || text.size() < 2) return false;
  const char before = text[text.size() - 2];
  return before == '=' || before == '!' || before == '<' || before == '>';
}

// `"ann"` -> `'ann'`; nullopt when the text holds escapes or single quotes.
std::optional<std::string> DoubleQuotedAsRawString(std::string_view quoted) {
  const std::string_view inner = quoted.substr(1, quoted.size() - 2);
  if (inner.find('\\') != std::string_view::npos || inner.find('\'') != std::string_view::npos) {
    return std::nullopt;
  }
  return "'" + std::string(inner) + "'";
}

}  // namespace

std::string ValidateExpressionToJmesPath(std::string_view expression) {
  std::string out;
  std::size_t segment_start = 0;
  std::size_t i = 0;
  while (i < expression.size()) {
    const char c = expression[i];
    if (c != '\'' && c != '"' && c != '`') {
      ++i;
      continue;
    }
    const std::size_t close = ClosingQuote(expression, i);
    if (close == std::string_view::npos) break;  // unterminated: left as it is, JMESPath says why
    out.append(RewriteUnquoted(expression.substr(segment_start, i - segment_start)));
    const std::string_view quoted = expression.substr(i, close - i + 1);
    std::optional<std::string> raw;
    if (c == '"' && EndsWithComparison(out)) raw = DoubleQuotedAsRawString(quoted);
    out.append(raw ? std::string_view(*raw) : quoted);
    i = close + 1;
    segment_start = i;
  }
  if (segment_start < expression.size()) {
    const std::string_view rest = expression.substr(segment_start);
    // An unterminated quote: rewrite only the text before it.
    const std::size_t quote = i < expression.size() ? i - segment_start : rest.size();
    out.append(RewriteUnquoted(rest.substr(0, quote)));
    out.append(rest.substr(quote));
  }
  return out;
}

bool IsHookTruthy(const Value& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array() || value.is_object()) return !value.empty();
  return true;
}

}  // namespace flow::core
