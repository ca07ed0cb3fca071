#include "core/assert/operators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/check.hpp"
#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core::assertion {
namespace {

constexpr std::size_t kMaxShown = 200;

struct NamedOperator {
  std::string_view name;
  Operator op;
};
constexpr NamedOperator kOperators[] = {
    {"equals", Operator::kEquals},
    {"not_equals", Operator::kNotEquals},
    {"contains", Operator::kContains},
    {"not_contains", Operator::kNotContains},
    {"regex", Operator::kRegex},
    {"pattern", Operator::kRegex},
    {"type", Operator::kType},
    {"exists", Operator::kExists},
    {"greater_than", Operator::kGreaterThan},
    {"less_than", Operator::kLessThan},
    {"greater_than_or_equal", Operator::kGreaterThanOrEqual},
    {"less_than_or_equal", Operator::kLessThanOrEqual},
    {"min", Operator::kGreaterThanOrEqual},
    {"max", Operator::kLessThanOrEqual},
    {"in", Operator::kIn},
    {"one_of", Operator::kIn},
    {"not_in", Operator::kNotIn},
    {"length", Operator::kLength},
    {"minLength", Operator::kMinLength},
    {"maxLength", Operator::kMaxLength},
    {"notEmpty", Operator::kNotEmpty},
    {"empty", Operator::kEmpty},
};

struct NamedComparison {
  std::string_view name;
  Comparison comparison;
};
constexpr NamedComparison kLengthComparisons[] = {
    {"equals", Comparison::kEquals},
    {"not_equals", Comparison::kNotEquals},
    {"greater_than", Comparison::kGreater},
    {"less_than", Comparison::kLess},
    {"greater_than_or_equal", Comparison::kGreaterOrEqual},
    {"less_than_or_equal", Comparison::kLessOrEqual},
    {"min", Comparison::kGreaterOrEqual},
    {"max", Comparison::kLessOrEqual},
};

const std::vector<std::string> kTypeNames = {"string", "number", "boolean",
                                             "object", "array",  "null"};

// JavaScript's String(number), which the original engine compares a number with a string by.
std::string NumberText(const Value& number) {
  if (number.is_number_float()) {
    const double d = number.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e21) {
      if (d == 0) return "0";  // also -0
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.0f", d);
      return buffer;
    }
  }
  return DumpJson(number);
}

std::string ScalarText(const Value& value) {
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return NumberText(value);
}

long double ToLongDouble(const Value& number) {
  if (number.is_number_unsigned()) return static_cast<long double>(number.get<std::uint64_t>());
  if (number.is_number_integer()) return static_cast<long double>(number.get<std::int64_t>());
  return static_cast<long double>(number.get<double>());
}

bool Compare(long double actual, Comparison comparison, long double expected) {
  switch (comparison) {
    case Comparison::kEquals:
      return actual == expected;
    case Comparison::kNotEquals:
      return actual != expected;
    case Comparison::kGreater:
      return actual > expected;
    case Comparison::kLess:
      return actual < expected;
    case Comparison::kGreaterOrEqual:
      return actual >= expected;
    case Comparison::kLessOrEqual:
      return actual <= expected;
  }
  return false;
}

std::string_view ComparisonWords(Comparison comparison) {
  switch (comparison) {
    case Comparison::kEquals:
      return "";
    case Comparison::kNotEquals:
      return "other than ";
    case Comparison::kGreater:
      return "greater than ";
    case Comparison::kLess:
      return "less than ";
    case Comparison::kGreaterOrEqual:
      return "at least ";
    case Comparison::kLessOrEqual:
      return "at most ";
  }
  return "";
}

// "string \"abc\"", "number 5", "null": for messages about a value of the wrong type.
std::string ShowTyped(const Value& value) {
  if (value.is_null()) return "null";
  return std::string(TypeName(value)) + " " + ShowValue(value);
}

// Whether `container` contains `needle`; nullopt when `container` cannot contain anything.
std::optional<bool> Contains(const Value& container, const Value& needle) {
  if (container.is_string()) {
    const auto& text = container.get_ref<const std::string&>();
    if (needle.is_string())
      return text.find(needle.get_ref<const std::string&>()) != std::string::npos;
    if (needle.is_number() || needle.is_boolean())
      return text.find(ScalarText(needle)) != std::string::npos;
    return false;
  }
  if (container.is_array() || container.is_object()) {
    return std::any_of(container.begin(), container.end(),
                       [&](const Value& element) { return LooseEqual(element, needle); });
  }
  return std::nullopt;
}

OperatorResult Pass(const Value& actual) {
  return {.passed = true, .message = "OK", .actual = actual};
}
OperatorResult Fail(std::string message, const Value& actual) {
  return {.passed = false, .message = std::move(message), .actual = actual};
}

OperatorResult ApplyComparison(Comparison comparison, const Value& expected, const Value& actual) {
  const std::string words(ComparisonWords(comparison));
  const std::string wanted = words.empty() ? "equal to " : words;
  if (!actual.is_number()) {
    return Fail("expected a number " + wanted + ShowValue(expected) + ", got " + ShowTyped(actual),
                actual);
  }
  const long double limit = ToLongDouble(*AsNumber(expected));
  if (Compare(ToLongDouble(actual), comparison, limit)) return Pass(actual);
  return Fail("expected " + wanted + ShowValue(expected) + ", got " + ShowValue(actual), actual);
}

OperatorResult ApplyLength(Comparison comparison, std::string_view name, const Value& expected,
                           const Value& actual) {
  const std::string words(ComparisonWords(comparison));
  const std::optional<std::size_t> length = LengthOf(actual);
  if (!length) {
    return Fail(
        "expected a string or an array for '" + std::string(name) + "', got " + ShowTyped(actual),
        actual);
  }
  const Value measured = *length;
  const long double limit = ToLongDouble(*AsNumber(expected));
  if (Compare(static_cast<long double>(*length), comparison, limit)) return Pass(measured);
  return Fail(
      "expected length " + words + ShowValue(expected) + ", got length " + std::to_string(*length),
      measured);
}

}  // namespace

// Every operator of the registry's check object has an Operator here and the other way round,
// and so have the length comparisons: checked once, at the first use.
static bool MatchesRegistry() {
  const auto same = [](const auto& table, const schema::ObjectSpec& object) {
    std::vector<std::string> names;
    for (const auto& entry : table) names.emplace_back(entry.name);
    std::vector<std::string> registered = object.KeyNames();
    std::sort(names.begin(), names.end());
    std::sort(registered.begin(), registered.end());
    return names == registered;
  };
  FLOW_CHECK(same(kOperators, schema::Object("assert.check")));
  FLOW_CHECK(same(kLengthComparisons, schema::Object("assert.length")));
  return true;
}

std::optional<Operator> FindOperator(std::string_view name) {
  static const bool checked = MatchesRegistry();
  (void)checked;
  for (const NamedOperator& entry : kOperators) {
    if (entry.name == name) return entry.op;
  }
  return std::nullopt;
}

const std::vector<std::string>& OperatorNames() {
  static const std::vector<std::string> names = schema::Object("assert.check").KeyNames();
  return names;
}

std::optional<Comparison> FindLengthComparison(std::string_view name) {
  static const bool checked = MatchesRegistry();
  (void)checked;
  for (const NamedComparison& entry : kLengthComparisons) {
    if (entry.name == name) return entry.comparison;
  }
  return std::nullopt;
}

const std::vector<std::string>& LengthComparisonNames() {
  static const std::vector<std::string> names = schema::Object("assert.length").KeyNames();
  return names;
}

bool LooseEqual(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return DeepEqual(a, b);
  if ((a.is_number() || a.is_boolean()) && b.is_string()) {
    return ScalarText(a) == b.get_ref<const std::string&>();
  }
  if (a.is_string() && (b.is_number() || b.is_boolean())) {
    return a.get_ref<const std::string&>() == ScalarText(b);
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!LooseEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const auto found = b.find(it.key());
      if (found == b.end() || !LooseEqual(it.value(), *found)) return false;
    }
    return true;
  }
  return DeepEqual(a, b);
}

std::optional<std::size_t> LengthOf(const Value& value) {
  if (value.is_array()) return value.size();
  if (!value.is_string()) return std::nullopt;
  std::size_t count = 0;
  for (const char c : value.get_ref<const std::string&>()) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::optional<Value> AsNumber(const Value& value) {
  if (value.is_number()) return value;
  if (!value.is_string()) return std::nullopt;
  const std::string_view text = Trim(value.get_ref<const std::string&>());
  if (text.empty() || !(text.front() == '-' || (text.front() >= '0' && text.front() <= '9'))) {
    return std::nullopt;
  }
  Value parsed = Value::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_number()) return std::nullopt;
  if (parsed.is_number_float() && !std::isfinite(parsed.get<double>())) return std::nullopt;
  return parsed;
}

std::optional<Error> ValidateOperand(Operator op, std::string_view name, const Value& expected) {
  const auto invalid = [&](const std::string& what, std::string hint = {}) {
    Error error = InvalidArgument(
        "operator '" + std::string(name) + "' expects " + what + ", got " + ShowTyped(expected),
        std::move(hint));
    error.reason = "invalid-value";
    return error;
  };
  switch (op) {
    case Operator::kEquals:
    case Operator::kNotEquals:
    case Operator::kContains:
    case Operator::kNotContains:
      return std::nullopt;
    case Operator::kRegex:
      if (!expected.is_string()) return invalid("a pattern string");
      return std::nullopt;
    case Operator::kType: {
      const std::string what = "one of string, number, boolean, object, array, null";
      if (!expected.is_string()) return invalid(what);
      const auto& text = expected.get_ref<const std::string&>();
      if (std::find(kTypeNames.begin(), kTypeNames.end(), text) == kTypeNames.end()) {
        return invalid(what, DidYouMean(text, kTypeNames));
      }
      return std::nullopt;
    }
    case Operator::kExists:
    case Operator::kNotEmpty:
    case Operator::kEmpty:
      if (!expected.is_boolean()) return invalid("true or false");
      return std::nullopt;
    case Operator::kGreaterThan:
    case Operator::kLessThan:
    case Operator::kGreaterThanOrEqual:
    case Operator::kLessThanOrEqual:
    case Operator::kLength:
      if (!AsNumber(expected)) return invalid("a number");
      return std::nullopt;
    case Operator::kMinLength:
    case Operator::kMaxLength: {
      const std::optional<Value> number = AsNumber(expected);
      if (!number || ToLongDouble(*number) < 0) return invalid("a non-negative number");
      return std::nullopt;
    }
    case Operator::kIn:
    case Operator::kNotIn:
      if (!expected.is_array()) return invalid("a list of values");
      return std::nullopt;
  }
  return std::nullopt;
}

OperatorResult ApplyOperator(const OperatorSpec& spec, const Value& expected,
                             const CheckedValue& subject) {
  const Value& actual = subject.value;
  if (std::optional<Error> invalid = ValidateOperand(spec.op, spec.name, expected)) {
    return Fail(invalid->message, actual);
  }
  switch (spec.op) {
    case Operator::kEquals:
      if (LooseEqual(actual, expected)) return Pass(actual);
      return Fail("expected " + ShowValue(expected) + ", got " + ShowValue(actual), actual);
    case Operator::kNotEquals:
      if (!LooseEqual(actual, expected)) return Pass(actual);
      return Fail(
          "expected a value other than " + ShowValue(expected) + ", got " + ShowValue(actual),
          actual);
    case Operator::kContains:
    case Operator::kNotContains: {
      const bool negated = spec.op == Operator::kNotContains;
      const std::string wanted =
          std::string(negated ? "not containing " : "containing ") + ShowValue(expected);
      const std::optional<bool> found = Contains(actual, expected);
      if (!found) {
        return Fail("expected a string, array or object " + wanted + ", got " + ShowTyped(actual),
                    actual);
      }
      if (*found != negated) return Pass(actual);
      return Fail("expected a value " + wanted + ", got " + ShowValue(actual), actual);
    }
    case Operator::kRegex: {
      const std::string& pattern = expected.get_ref<const std::string&>();
      const std::string wanted = "a string matching /" + pattern + "/";
      if (!actual.is_string())
        return Fail("expected " + wanted + ", got " + ShowTyped(actual), actual);
      std::optional<EcmaRegex> compiled;
      const EcmaRegex* regex = spec.regex;
      if (regex == nullptr) {
        Result<EcmaRegex> made = EcmaRegex::Compile(pattern);
        if (!made) return Fail(made.error().message, actual);
        compiled = std::move(*made);
        regex = &*compiled;
      }
      const Result<bool> matched = regex->Search(actual.get_ref<const std::string&>());
      if (!matched) {
        return Fail(matched.error().message + ": expected " + wanted + ", got " + ShowValue(actual),
                    actual);
      }
      if (*matched) return Pass(actual);
      return Fail("expected " + wanted + ", got " + ShowValue(actual), actual);
    }
    case Operator::kType: {
      const auto& wanted = expected.get_ref<const std::string&>();
      // A field that is not there has no type (the original: "undefined"): `type: "null"` on a
      // mistyped path must not pass.
      if (!subject.present) {
        return Fail("expected type " + wanted + ", got nothing (no such field)", actual);
      }
      if (TypeName(actual) == wanted) return Pass(actual);
      return Fail("expected type " + wanted + ", got " + ShowTyped(actual), actual);
    }
    case Operator::kExists: {
      const bool wanted = expected.get<bool>();
      if (subject.present == wanted) return Pass(actual);
      if (wanted) {
        return Fail(std::string("expected a value to exist, got ") +
                        (actual.is_null() ? "nothing" : ShowValue(actual)),
                    actual);
      }
      return Fail("expected no value, got " + ShowValue(actual), actual);
    }
    case Operator::kGreaterThan:
      return ApplyComparison(Comparison::kGreater, expected, actual);
    case Operator::kLessThan:
      return ApplyComparison(Comparison::kLess, expected, actual);
    case Operator::kGreaterThanOrEqual:
      return ApplyComparison(Comparison::kGreaterOrEqual, expected, actual);
    case Operator::kLessThanOrEqual:
      return ApplyComparison(Comparison::kLessOrEqual, expected, actual);
    case Operator::kIn:
    case Operator::kNotIn: {
      const bool negated = spec.op == Operator::kNotIn;
      const bool found = std::any_of(expected.begin(), expected.end(), [&](const Value& option) {
        return LooseEqual(actual, option);
      });
      if (found != negated) return Pass(actual);
      return Fail(std::string(negated ? "expected none of " : "expected one of ") +
                      ShowValue(expected) + ", got " + ShowValue(actual),
                  actual);
    }
    case Operator::kLength:
      return ApplyLength(spec.comparison, spec.name, expected, actual);
    case Operator::kMinLength:
      return ApplyLength(Comparison::kGreaterOrEqual, spec.name, expected, actual);
    case Operator::kMaxLength:
      return ApplyLength(Comparison::kLessOrEqual, spec.name, expected, actual);
    case Operator::kNotEmpty:
    case Operator::kEmpty: {
      const bool want_empty = (spec.op == Operator::kEmpty) == expected.get<bool>();
      if (IsEmptyValue(actual) == want_empty) return Pass(actual);
      return Fail(std::string(want_empty ? "expected an empty value, got "
                                         : "expected a non-empty value, got ") +
                      ShowValue(actual),
                  actual);
    }
  }
  return Fail("unknown operator", actual);
}

std::string ShowValue(const Value& value) {
  std::string text = DumpJson(value);
  if (text.size() <= kMaxShown) return text;
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

}  // namespace flow::core::assertion
