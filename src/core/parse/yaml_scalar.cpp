#include "core/parse/yaml_scalar.hpp"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace flow::core {
namespace {

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

bool IsDecimalDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDecimalDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }
bool IsBinaryDigit(char c) { return c == '0' || c == '1'; }

int DigitValue(char c) {
  if (IsDecimalDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// js-yaml 4's resolveYamlInteger, step by step: an optional sign, then "0", 0b/0x/0o digits, or
// decimal digits; underscores anywhere after the first digit (or after the base prefix) but not
// at the end, and a decimal number may not start with one.
bool IsYamlIntSyntax(std::string_view s) {
  const std::size_t n = s.size();
  if (n == 0) return false;
  std::size_t i = 0;
  char ch = s[0];
  if (ch == '-' || ch == '+') {
    if (++i == n) return false;
    ch = s[i];
  }
  bool has_digits = false;
  if (ch == '0') {
    if (i + 1 == n) return true;
    ch = s[++i];
    bool (*digit)(char) = nullptr;
    if (ch == 'b') digit = IsBinaryDigit;
    if (ch == 'x') digit = IsHexDigit;
    if (ch == 'o') digit = IsOctalDigit;
    if (digit != nullptr) {
      for (++i; i < n; ++i) {
        ch = s[i];
        if (ch == '_') continue;
        if (!digit(ch)) return false;
        has_digits = true;
      }
      return has_digits && ch != '_';
    }
  }
  if (ch == '_') return false;
  for (; i < n; ++i) {
    ch = s[i];
    if (ch == '_') continue;
    if (!IsDecimalDigit(ch)) return false;
    has_digits = true;
  }
  return has_digits && ch != '_';
}

// [eE][-+]?[0-9]+ up to the end, or nothing at all.
bool IsExponentTail(std::string_view s, std::size_t i) {
  if (i == s.size()) return true;
  if (s[i] != 'e' && s[i] != 'E') return false;
  ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!IsDecimalDigit(s[i])) return false;
  }
  return true;
}

bool IsInfinityWord(std::string_view s) { return s == ".inf" || s == ".Inf" || s == ".INF"; }
bool IsNanWord(std::string_view s) { return s == ".nan" || s == ".NaN" || s == ".NAN"; }

// js-yaml 4's YAML_FLOAT_PATTERN plus its "no trailing underscore" rule.
bool IsYamlFloatSyntax(std::string_view s) {
  if (s.empty() || s.back() == '_') return false;
  const bool has_sign = s[0] == '-' || s[0] == '+';
  const std::string_view body = has_sign ? s.substr(1) : s;
  if (IsInfinityWord(body)) return true;
  if (!has_sign && IsNanWord(s)) return true;
  std::size_t i = has_sign ? 1 : 0;
  const std::size_t n = s.size();
  if (i < n && IsDecimalDigit(s[i])) {
    while (i < n && (IsDecimalDigit(s[i]) || s[i] == '_')) ++i;
    if (i < n && s[i] == '.') {
      ++i;
      while (i < n && (IsDecimalDigit(s[i]) || s[i] == '_')) ++i;
    }
    return IsExponentTail(s, i);
  }
  if (!has_sign && s[0] == '.') {
    i = 1;
    while (i < n && (IsDecimalDigit(s[i]) || s[i] == '_')) ++i;
    return i > 1 && IsExponentTail(s, i);
  }
  return false;
}

std::string WithoutUnderscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

// The power of ten of the leading digit of a decimal numeral ("123.4e-7" -> -5), or LONG_MIN for
// zero. from_chars reports both overflow and underflow as out of range; this tells them apart.
long LeadingPowerOfTen(std::string_view s) {
  const std::size_t e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  long exponent = 0;
  if (e != std::string_view::npos) {
    std::size_t i = e + 1;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
    for (; i < s.size() && IsDecimalDigit(s[i]); ++i) {
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (s[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  std::size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) dot = mantissa.size();
  const std::size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return LONG_MIN;
  const long lead =
      first < dot ? static_cast<long>(dot - first - 1) : -static_cast<long>(first - dot);
  return lead + exponent;
}

Value IntegerValue(bool negative, std::uint64_t magnitude) {
  constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(INT64_MAX);
  if (negative) {
    if (magnitude <= kInt64Max) return Value(-static_cast<std::int64_t>(magnitude));
    if (magnitude == kInt64Max + 1) return Value(INT64_MIN);
    return FloatValue(-static_cast<double>(magnitude));
  }
  if (magnitude <= kInt64Max) return Value(static_cast<std::int64_t>(magnitude));
  return Value(magnitude);
}

std::string Quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  if (text.size() <= kShown) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kShown)) + "...'";
}

Error TagMismatch(std::string_view tag, std::string_view text, std::string hint) {
  Error error = InvalidArgument(
      Quoted(text) + " is not a valid value for tag '" + DisplayTag(tag) + "'", std::move(hint));
  error.reason = "bad-tag";
  return error;
}

}  // namespace

// A numeral from_chars cannot read at all (js-yaml's float pattern lets ".e5" through) is NaN,
// as parseFloat makes it.
double DecimalToDouble(std::string_view digits) {
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                         std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    return LeadingPowerOfTen(digits) > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return value;
}

bool IsYamlNull(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> ParseYamlBool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

std::optional<Value> ParseYamlInt(std::string_view text) {
  if (!IsYamlIntSyntax(text)) return std::nullopt;
  std::string digits = WithoutUnderscores(text);
  bool negative = false;
  std::size_t i = 0;
  if (digits[0] == '-' || digits[0] == '+') negative = digits[i++] == '-';
  int base = 10;
  if (digits.size() > i + 1 && digits[i] == '0') {
    const char prefix = digits[i + 1];
    if (prefix == 'b') base = 2;
    if (prefix == 'o') base = 8;
    if (prefix == 'x') base = 16;
    if (base != 10) i += 2;
  }
  std::uint64_t magnitude = 0;
  bool overflow = false;
  double approximate = 0;
  for (std::size_t k = i; k < digits.size(); ++k) {
    const int digit = DigitValue(digits[k]);
    approximate = approximate * base + digit;
    if (magnitude >
        (UINT64_MAX - static_cast<std::uint64_t>(digit)) / static_cast<unsigned>(base)) {
      overflow = true;
    }
    magnitude = magnitude * static_cast<unsigned>(base) + static_cast<unsigned>(digit);
  }
  if (!overflow) return IntegerValue(negative, magnitude);
  // Beyond 64 bits: a double, as JavaScript would hold it (decimal text rounds exactly).
  if (base == 10) approximate = DecimalToDouble(std::string_view(digits).substr(i));
  return FloatValue(negative ? -approximate : approximate);
}

std::optional<Value> ParseYamlFloat(std::string_view text) {
  if (!IsYamlFloatSyntax(text)) return std::nullopt;
  std::string digits = WithoutUnderscores(text);
  for (char& c : digits) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const bool negative = digits[0] == '-';
  std::string_view body = digits;
  if (digits[0] == '-' || digits[0] == '+') body.remove_prefix(1);
  double value = 0;
  if (body == ".inf") {
    value = std::numeric_limits<double>::infinity();
  } else if (body == ".nan") {
    return FloatValue(std::numeric_limits<double>::quiet_NaN());
  } else {
    value = DecimalToDouble(body);
  }
  return FloatValue(negative ? -value : value);
}

Value FloatValue(double value) {
  if (std::isnan(value)) return Value(".nan");
  if (std::isinf(value)) return Value(value > 0 ? ".inf" : "-.inf");
  return Value(value);
}

Value ResolvePlainScalar(std::string_view text) {
  if (IsYamlNull(text)) return Value(nullptr);
  if (const std::optional<bool> boolean = ParseYamlBool(text)) return Value(*boolean);
  if (std::optional<Value> integer = ParseYamlInt(text)) return std::move(*integer);
  if (std::optional<Value> real = ParseYamlFloat(text)) return std::move(*real);
  return Value(std::string(text));
}

std::string DisplayTag(std::string_view tag) {
  if (tag.substr(0, kCoreTagPrefix.size()) == kCoreTagPrefix) {
    return "!!" + std::string(tag.substr(kCoreTagPrefix.size()));
  }
  return std::string(tag);
}

Result<Value> ResolveTaggedScalar(std::string_view tag, std::string_view text) {
  if (tag == "?") return ResolvePlainScalar(text);
  if (tag == "!") return Value(std::string(text));
  const std::string_view name = tag.substr(0, kCoreTagPrefix.size()) == kCoreTagPrefix
                                    ? tag.substr(kCoreTagPrefix.size())
                                    : std::string_view();
  if (name == "str" || name == "timestamp") return Value(std::string(text));
  if (name == "int") {
    if (std::optional<Value> integer = ParseYamlInt(text)) return std::move(*integer);
    return TagMismatch(tag, text, "write an integer such as 42 or 0x2a, or remove the tag");
  }
  if (name == "float") {
    if (std::optional<Value> real = ParseYamlFloat(text)) return std::move(*real);
    return TagMismatch(tag, text, "write a number such as 1.5 or 2e3, or remove the tag");
  }
  if (name == "bool") {
    if (const std::optional<bool> boolean = ParseYamlBool(text)) return Value(*boolean);
    return TagMismatch(tag, text, "write true or false, or remove the tag");
  }
  if (name == "null") {
    if (IsYamlNull(text)) return Value(nullptr);
    return TagMismatch(tag, text, "write null or ~, or remove the tag");
  }
  if (name == "merge" && text == "<<") return Value("<<");
  Error error = InvalidArgument("unsupported tag '" + DisplayTag(tag) + "'",
                                "the supported tags are !!str, !!int, !!float, !!bool, !!null, "
                                "!!map and !!seq");
  error.reason = "bad-tag";
  return error;
}

}  // namespace flow::core
