// DetectDirectExpression: the brace-less "direct syntax" of whole values.

#include "core/template/template.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentifierStart(char c) { return IsAsciiLetter(c) || c == '_' || c == '$'; }
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<DirectExpression> DetectDirectExpression(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const std::string_view rest = text.substr(1);
  switch (text[0]) {
    case '#':
      // "#faker.person.name"; "#tag" and "#1" are ordinary text.
      if (StartsWith(rest, "faker.") && rest.size() > 6 && IsAsciiLetter(rest[6])) {
        return DirectExpression{DirectKind::kFaker, std::string(rest)};
      }
      return std::nullopt;
    case '$': {
      // "$return 1+2", "$Math.floor(1)", "$Date.now()"; "$100" and "$ 5" are prices.
      if (StartsWith(rest, "return") && rest.size() > 6 && IsSpace(rest[6])) {
        return DirectExpression{DirectKind::kJavaScript, std::string(rest)};
      }
      // "$new Date().toISOString()", "$!!auth.token", "$(a + b) * 2", "$typeof x": code.
      if ((StartsWith(rest, "new ") || StartsWith(rest, "typeof ")) &&
          rest.size() > rest.find(' ') + 1 && IsIdentifierStart(rest[rest.find(' ') + 1])) {
        return DirectExpression{DirectKind::kJavaScript, std::string(rest)};
      }
      if ((rest[0] == '!' || rest[0] == '(') && rest.size() > 1 &&
          (IsIdentifierStart(rest[1]) || rest[1] == '!' || rest[1] == '(')) {
        return DirectExpression{DirectKind::kJavaScript, std::string(rest)};
      }
      if (rest[0] == '$' || !IsIdentifierStart(rest[0])) return std::nullopt;
      std::size_t i = 1;
      while (i < rest.size() && IsIdentifierChar(rest[i])) ++i;
      if (i < rest.size() && rest[i] == '(') {
        return DirectExpression{DirectKind::kJavaScript, std::string(rest)};
      }
      if (i + 1 < rest.size() && rest[i] == '.' && IsIdentifierStart(rest[i + 1])) {
        return DirectExpression{DirectKind::kJavaScript, std::string(rest)};
      }
      return std::nullopt;
    }
    case '@': {
      // "@body.json.id", "@[0]", "@\"odd key\"", "@.x"; "@ foo" and "@1" are text.
      const char c = rest[0];
      if (IsAsciiLetter(c) || c == '_' || c == '[' || c == '"' || c == '.') {
        return DirectExpression{DirectKind::kJmesPath, std::string(rest)};
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace flow::core
