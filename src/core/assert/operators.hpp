// The assertion operators (`equals`, `contains`, `regex`, `length`, ...): their names, what
// expected values they accept, and how one operator judges one actual value. Pure functions over
// Values, thread-safe; AssertionPlan decides which operator applies to which value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assert/ecma_regex.hpp"
#include "core/error.hpp"
#include "core/value.hpp"

namespace flow::core::assertion {

enum class Operator {
  kEquals,
  kNotEquals,
  kContains,
  kNotContains,
  kRegex,  // `regex`, `pattern`
  kType,
  kExists,
  kGreaterThan,
  kLessThan,
  kGreaterThanOrEqual,  // `greater_than_or_equal`, `min`
  kLessThanOrEqual,     // `less_than_or_equal`, `max`
  kIn,                  // `in`, `one_of`
  kNotIn,
  kLength,  // compared with `comparison` (a `length: {greater_than: 2}` sub-key)
  kMinLength,
  kMaxLength,
  kNotEmpty,
  kEmpty,
};

// How `length` compares: `length: 3` is kEquals; the keys of `length: {...}` name the others.
enum class Comparison { kEquals, kNotEquals, kGreater, kLess, kGreaterOrEqual, kLessOrEqual };

// The operator a check-object key names (aliases included), or nullopt.
std::optional<Operator> FindOperator(std::string_view name);
// Every operator name a check object accepts, for did-you-mean hints.
const std::vector<std::string>& OperatorNames();
// The comparison a key of `length: {...}` names: equals, not_equals, greater_than, less_than,
// greater_than_or_equal, less_than_or_equal, min, max.
std::optional<Comparison> FindLengthComparison(std::string_view name);
const std::vector<std::string>& LengthComparisonNames();

// The original engine's equality: deep (objects by key in any order, arrays by position), where a
// number or boolean equals a string holding its text (200 == "200", true == "true").
bool LooseEqual(const Value& a, const Value& b);

// The length `length`/`minLength`/`maxLength` measure: Unicode code points of a string (UTF-8),
// elements of an array; nullopt for other types.
std::optional<std::size_t> LengthOf(const Value& value);

// A number, or a string holding a JSON number ("5", "-1.5"), as a number; nullopt otherwise.
std::optional<Value> AsNumber(const Value& value);

// Whether `expected` suits `op`; the error (kInvalidArgument, reason "invalid-value") names the
// operator by `name` as written and says what it expects. Regex patterns are only checked for
// being strings here (EcmaRegex::Compile checks the syntax).
std::optional<Error> ValidateOperand(Operator op, std::string_view name, const Value& expected);

// What one operator is applied to.
struct CheckedValue {
  const Value& value;   // null when absent
  bool present = true;  // for `exists`: present (even if null) rather than absent
};

struct OperatorSpec {
  Operator op = Operator::kEquals;
  std::string_view name;                        // as written: "min", "pattern", "greater_than"
  Comparison comparison = Comparison::kEquals;  // for kLength
  const EcmaRegex* regex = nullptr;             // for kRegex; compiled from `expected` when null
};

struct OperatorResult {
  bool passed = false;
  std::string message;  // "OK", or what was expected and what was found
  Value actual;         // what was judged: the value, or its length for the length operators
};

// Applies one operator. `expected` is the rendered expected value; it is validated here as well
// (a template may have rendered to the wrong type), which fails the check with the reason.
OperatorResult ApplyOperator(const OperatorSpec& spec, const Value& expected,
                             const CheckedValue& subject);

// `value` as JSON for a message, cut to a readable length.
std::string ShowValue(const Value& value);

}  // namespace flow::core::assertion
