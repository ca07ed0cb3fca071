#include "core/template/expression.hpp"

#include <utility>

#include "core/util/strings.hpp"

namespace flow::core::template_detail {
namespace {

// Characters of an unquoted path segment. Hyphens are common in node ids ("auth-flow.token");
// bytes >= 0x80 let UTF-8 names through.
bool IsNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '$' || c == '@' || c == '#' || u >= 0x80;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error PathError(std::string_view text, std::string what) {
  Error error = InvalidArgument("invalid variable path '" + std::string(text) + "': " + what);
  error.reason = "syntax";
  return error;
}

std::string Describe(char c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return "a space";
  return "'" + std::string(1, c) + "'";
}

// name ( '.' name | '[' digits ']' | '[' quoted ']' )*
Result<std::vector<PathSegment>> ParsePath(std::string_view text) {
  std::vector<PathSegment> segments;
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool expect_name = true;  // at the start and after '.'
  while (true) {
    if (expect_name) {
      const std::size_t start = i;
      while (i < n && IsNameChar(text[i])) ++i;
      if (i == start) {
        if (i == n) return PathError(text, "a name is missing at the end");
        return PathError(text, "unexpected " + Describe(text[i]));
      }
      segments.push_back({std::string(text.substr(start, i - start)), i});
      expect_name = false;
      continue;
    }
    if (i == n) break;
    if (text[i] == '.') {
      ++i;
      expect_name = true;
      continue;
    }
    if (text[i] != '[') return PathError(text, "unexpected " + Describe(text[i]));
    ++i;
    std::string key;
    if (i < n && IsDigit(text[i])) {
      while (i < n && IsDigit(text[i])) key.push_back(text[i++]);
    } else if (i < n && (text[i] == '"' || text[i] == '\'')) {
      const char quote = text[i++];
      bool closed = false;
      while (i < n) {
        const char c = text[i++];
        if (c == quote) {
          closed = true;
          break;
        }
        if (c == '\\' && i < n) {
          key.push_back(text[i++]);
          continue;
        }
        key.push_back(c);
      }
      if (!closed) return PathError(text, "unclosed quote");
    } else {
      return PathError(text, "expected an index or a quoted key after '['");
    }
    if (i == n || text[i] != ']') return PathError(text, "expected ']'");
    ++i;
    segments.push_back({std::move(key), i});
  }
  return segments;
}

// The JavaScript operators that make the original engine evaluate an expression as JS:
// || && < > = ! ? : (outside quoted text). Returns the operator found, or "".
std::string FindJsOperator(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if ((c == '|' && next == '|') || (c == '&' && next == '&')) return std::string{c, next};
    if (c == '<' || c == '>' || c == '=' || c == '!' || c == '?' || c == ':') {
      return std::string(1, c);
    }
  }
  return {};
}

// An arithmetic operator outside quotes: + * / % anywhere, or a '-' with a space on one side
// (names may hold hyphens: "auth-flow.token"). Returns it, or "".
std::string FindArithmetic(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'' || c == '`') {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '+' || c == '*' || c == '/' || c == '%') return std::string(1, c);
    if (c == '-' && ((i > 0 && text[i - 1] == ' ') || (i + 1 < text.size() && text[i + 1] == ' '))) {
      return "-";
    }
  }
  return {};
}

}  // namespace

std::shared_ptr<const Expression> ParseExpression(std::string_view raw) {
  auto expression = std::make_shared<Expression>();
  const std::string_view text = Trim(raw);
  expression->text = std::string(text);
  if (text.empty()) {
    expression->kind = ExpressionKind::kEmpty;
  } else if (StartsWith(text, "$faker.") || StartsWith(text, "faker.")) {
    expression->kind = ExpressionKind::kFaker;
    PrepareScript(*expression);
  } else if (StartsWith(text, "$js:") || StartsWith(text, "js:") || StartsWith(text, "$js.")) {
    expression->kind = ExpressionKind::kJavaScript;
    PrepareScript(*expression);
  } else if (std::string op = FindJsOperator(text); !op.empty()) {
    expression->kind = ExpressionKind::kJavaScript;
    expression->detail = std::move(op);
    PrepareScript(*expression);
  } else if (text.find("{{") != std::string_view::npos) {
    expression->kind = ExpressionKind::kNested;
  } else if (StartsWith(text, "$env.")) {
    expression->kind = ExpressionKind::kEnv;
    expression->detail = std::string(Trim(text.substr(5)));
  } else if (text == "$now") {
    expression->kind = ExpressionKind::kNow;
  } else if (text == "$timestamp") {
    expression->kind = ExpressionKind::kTimestamp;
  } else if (text == "$uuid") {
    expression->kind = ExpressionKind::kUuid;
  } else if (text == "$random") {
    expression->kind = ExpressionKind::kRandom;
  } else {
    expression->kind = ExpressionKind::kVariable;
    Result<std::vector<PathSegment>> path = ParsePath(text);
    if (path) {
      expression->path = std::move(path).value();
    } else if (std::string op = FindArithmetic(text); !op.empty()) {
      // Not a path but arithmetic ("{{a + b}}", "{{total * 2}}"): JavaScript.
      expression->kind = ExpressionKind::kJavaScript;
      expression->detail = std::move(op);
      PrepareScript(*expression);
    } else {
      expression->path_error = std::move(path).error();
    }
  }
  return expression;
}

bool IsLiteralFallbackAllowed(const Error& error) {
  return error.reason == "unresolved-variable" || error.reason == "syntax";
}

std::string LiteralWarning(const Expression& expression, const Error& error) {
  std::string out = expression.kind == ExpressionKind::kEmpty
                        ? "empty placeholder sent literally"
                        : "unresolved variable '" + expression.text + "' sent literally";
  if (!error.hint.empty()) out += " (" + error.hint + ")";
  return out;
}

}  // namespace flow::core::template_detail
