#include "core/input/input_conversion.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

Error InvalidAnswer(std::string message) {
  Error e = InvalidArgument(std::move(message));
  e.reason = "invalid-answer";
  return e;
}

// How an answer is quoted in a message: 'text', or its JSON.
std::string Quote(const Value& answer) {
  if (answer.is_string()) {
    std::string text = answer.get<std::string>();
    if (text.size() > 80) text = text.substr(0, 77) + "...";
    return "'" + text + "'";
  }
  std::string json = DumpJson(answer);
  if (json.size() > 80) json = json.substr(0, 77) + "...";
  return json;
}

std::string TextOf(const Value& value) {
  std::string out;
  AppendValueText(out, value);
  return out;
}

// Decimal notation only: [+-] digits [. digits] [e[+-]digits], or [+-] . digits [...].
bool IsDecimalNumber(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == s.size();
}

Result<Value> ToNumber(const Value& answer) {
  if (answer.is_number()) return answer;
  if (!answer.is_string()) {
    return InvalidAnswer("expected a number, got " + std::string(TypeName(answer)) + " " +
                         Quote(answer));
  }
  std::string_view text = Trim(answer.get_ref<const std::string&>());
  if (!IsDecimalNumber(text)) return InvalidAnswer("expected a number, got " + Quote(answer));
  if (text.front() == '+') text.remove_prefix(1);
  const bool integral = text.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size()) return Value(n);
  }
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(d)) {
    return InvalidAnswer("expected a number, got " + Quote(answer) + " (out of range)");
  }
  return Value(d);
}

Result<Value> ToBoolean(const Value& answer) {
  if (answer.is_boolean()) return answer;
  if (answer.is_number()) {
    const double d = answer.get<double>();
    if (d == 1) return Value(true);
    if (d == 0) return Value(false);
  }
  if (answer.is_string()) {
    const std::string text = ToLower(Trim(answer.get_ref<const std::string&>()));
    if (text == "true" || text == "yes" || text == "y" || text == "1" || text == "on") {
      return Value(true);
    }
    if (text == "false" || text == "no" || text == "n" || text == "0" || text == "off") {
      return Value(false);
    }
  }
  return InvalidAnswer("expected yes or no (y/n, true/false), got " + Quote(answer));
}

Result<Value> ToText(const Value& answer, InputType type) {
  if (answer.is_string()) return answer;
  if (answer.is_number() || answer.is_boolean()) return Value(TextOf(answer));
  return InvalidAnswer("expected text for a '" + std::string(InputTypeName(type)) +
                       "' input, got " + std::string(TypeName(answer)));
}

Result<Value> ToOption(const Value& answer, const std::vector<InputOption>& options) {
  if (options.empty()) return InvalidAnswer("there are no options to choose from");
  for (const InputOption& option : options) {
    if (DeepEqual(answer, option.value)) return option.value;
  }
  const bool scalar = answer.is_string() || answer.is_number() || answer.is_boolean();
  if (scalar) {
    const std::string text(Trim(TextOf(answer)));
    for (const InputOption& option : options) {
      if (!option.value.is_object() && !option.value.is_array() && TextOf(option.value) == text) {
        return option.value;
      }
    }
    if (answer.is_string() && !text.empty() && std::all_of(text.begin(), text.end(), IsDigit) &&
        text.size() < 10) {
      const std::size_t n = std::stoul(text);
      if (n >= 1 && n <= options.size()) return options[n - 1].value;
    }
    if (answer.is_string()) {
      const std::string lower = ToLower(text);
      for (const InputOption& option : options) {
        if (ToLower(Trim(option.label)) == lower) return option.value;
      }
    }
  }
  std::string list;
  for (std::size_t i = 0; i < options.size() && i < 10; ++i) {
    if (i > 0) list += ", ";
    list += Quote(options[i].value);
  }
  if (options.size() > 10) list += ", ...";
  return InvalidAnswer(Quote(answer) + " is not one of the options: " + list + " (or 1-" +
                       std::to_string(options.size()) + ")");
}

}  // namespace

bool IsValidEmail(std::string_view text) {
  if (text.empty()) return false;
  if (std::any_of(text.begin(), text.end(), IsSpace)) return false;
  const std::size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  // [^\s@]+\.[^\s@]+ after the '@': some '.' with text on both sides.
  const std::string_view domain = text.substr(at + 1);
  for (std::size_t dot = domain.find('.'); dot != std::string_view::npos;
       dot = domain.find('.', dot + 1)) {
    if (dot > 0 && dot + 1 < domain.size()) return true;
  }
  return false;
}

bool IsValidUrl(std::string_view text) {
  if (text.empty() || std::any_of(text.begin(), text.end(), IsSpace)) return false;
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view scheme = text.substr(0, colon);
  const auto scheme_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  };
  if (!std::isalpha(static_cast<unsigned char>(scheme[0])) ||
      !std::all_of(scheme.begin(), scheme.end(), scheme_char)) {
    return false;
  }
  const std::string_view rest = text.substr(colon + 1);
  const std::string lower = ToLower(scheme);
  if (lower == "http" || lower == "https" || lower == "ftp" || lower == "ws" || lower == "wss") {
    if (!StartsWith(rest, "//")) return false;
    const std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    const std::size_t at = authority.rfind('@');
    std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (!host.empty() && host.front() == '[') return host.find(']') != std::string_view::npos;
    host = host.substr(0, host.find(':'));
    return !host.empty();
  }
  return !rest.empty();
}

Result<Value> ConvertInputValue(InputType type, const Value& answer,
                                const std::vector<InputOption>& options) {
  switch (type) {
    case InputType::kText:
    case InputType::kPassword:
    case InputType::kMultiline:
      return ToText(answer, type);
    case InputType::kNumber:
      return ToNumber(answer);
    case InputType::kConfirm:
      return ToBoolean(answer);
    case InputType::kSelect:
      return ToOption(answer, options);
    case InputType::kEmail: {
      Result<Value> text = ToText(answer, type);
      if (!text) return text;
      if (!IsValidEmail(text->get_ref<const std::string&>())) {
        return InvalidAnswer("invalid email address " + Quote(*text));
      }
      return text;
    }
    case InputType::kUrl: {
      Result<Value> text = ToText(answer, type);
      if (!text) return text;
      if (!IsValidUrl(text->get_ref<const std::string&>())) {
        return InvalidAnswer("invalid url " + Quote(*text) +
                             " (expected an absolute url such as https://host/path)");
      }
      return text;
    }
  }
  return answer;
}

}  // namespace flow::core
