#include "core/jmespath/functions.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "core/jmespath/errors.hpp"

namespace flow::core::jmespath::detail {
namespace {

using Args = std::span<Arg>;

constexpr double kTwoPow63 = 9223372036854775808.0;

bool Set(Datum& out, Value value) {
  out = Datum::Own(std::move(value));
  return true;
}

// An integral double as an integer when it fits, so floor(`1.5`) is 1 and not 1.0.
Value IntegralNumber(double value) {
  if (value >= -kTwoPow63 && value < kTwoPow63) return Value(static_cast<std::int64_t>(value));
  return Value(value);
}

std::size_t CountCharacters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// Code points, not bytes, so reverse('✓a') is 'a✓'.
std::string ReverseCharacters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t end = text.size();
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    out.append(text.substr(start, end - start));
    end = start;
  }
  return out;
}

const std::string& Str(const Value& value) { return value.get_ref<const std::string&>(); }

// Orders two numbers or two strings (callers guarantee both are the same kind).
int CompareSortable(const Value& a, const Value& b) {
  if (a.is_number()) return CompareNumbers(a, b);
  return Str(a).compare(Str(b));
}

bool Abs(Interpreter&, Args args, Datum& out) {
  const Value& n = *args[0].value;
  if (n.is_number_unsigned()) return Set(out, n);
  if (n.is_number_integer()) {
    const auto v = n.get<std::int64_t>();
    if (v == std::numeric_limits<std::int64_t>::min()) return Set(out, -static_cast<double>(v));
    return Set(out, v < 0 ? -v : v);
  }
  return Set(out, std::fabs(n.get<double>()));
}

bool Sum(Interpreter&, Args args, Datum& out) {
  std::int64_t integer_sum = 0;
  bool integral = true;
  double float_sum = 0;
  for (const Value& n : *args[0].value) {
    float_sum += n.get<double>();
    if (!integral) continue;
    if (n.is_number_unsigned()) {
      const auto u = n.get<std::uint64_t>();
      integral = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) &&
                 !__builtin_add_overflow(integer_sum, static_cast<std::int64_t>(u), &integer_sum);
    } else if (n.is_number_integer()) {
      integral = !__builtin_add_overflow(integer_sum, n.get<std::int64_t>(), &integer_sum);
    } else {
      integral = false;
    }
  }
  return integral ? Set(out, integer_sum) : Set(out, float_sum);
}

bool Avg(Interpreter&, Args args, Datum& out) {
  const Value& list = *args[0].value;
  if (list.empty()) return Set(out, nullptr);
  double total = 0;
  for (const Value& n : list) total += n.get<double>();
  return Set(out, total / static_cast<double>(list.size()));
}

bool Ceil(Interpreter&, Args args, Datum& out) {
  const Value& n = *args[0].value;
  if (!n.is_number_float()) return Set(out, n);
  return Set(out, IntegralNumber(std::ceil(n.get<double>())));
}

bool Floor(Interpreter&, Args args, Datum& out) {
  const Value& n = *args[0].value;
  if (!n.is_number_float()) return Set(out, n);
  return Set(out, IntegralNumber(std::floor(n.get<double>())));
}

bool Contains(Interpreter&, Args args, Datum& out) {
  const Value& subject = *args[0].value;
  const Value& search = *args[1].value;
  if (subject.is_string()) {
    return Set(out, search.is_string() && Str(subject).find(Str(search)) != std::string::npos);
  }
  for (const Value& element : subject) {
    if (DeepEqual(element, search)) return Set(out, true);
  }
  return Set(out, false);
}

bool EndsWith(Interpreter&, Args args, Datum& out) {
  const std::string& subject = Str(*args[0].value);
  const std::string& suffix = Str(*args[1].value);
  return Set(out, subject.size() >= suffix.size() &&
                      subject.compare(subject.size() - suffix.size(), suffix.size(), suffix) == 0);
}

bool StartsWith(Interpreter&, Args args, Datum& out) {
  return Set(out, Str(*args[0].value).rfind(Str(*args[1].value), 0) == 0);
}

bool Join(Interpreter&, Args args, Datum& out) {
  const std::string& glue = Str(*args[0].value);
  std::string joined;
  bool first = true;
  for (const Value& part : *args[1].value) {
    if (!first) joined += glue;
    joined += Str(part);
    first = false;
  }
  return Set(out, std::move(joined));
}

bool Keys(Interpreter&, Args args, Datum& out) {
  Value keys = Value::array();
  for (auto it = args[0].value->begin(); it != args[0].value->end(); ++it) keys.push_back(it.key());
  return Set(out, std::move(keys));
}

bool Values(Interpreter&, Args args, Datum& out) {
  Value values = Value::array();
  for (const Value& member : *args[0].value) values.push_back(member);
  return Set(out, std::move(values));
}

bool Length(Interpreter&, Args args, Datum& out) {
  const Value& subject = *args[0].value;
  if (subject.is_string()) return Set(out, CountCharacters(Str(subject)));
  return Set(out, subject.size());
}

bool Map(Interpreter& interpreter, Args args, Datum& out) {
  const Datum& list = args[1].value;
  Value results = Value::array();
  results.get_ref<Value::array_t&>().reserve(list->size());
  for (const Value& element : *list) {
    Datum mapped;
    if (!interpreter.Eval(*args[0].expression, list.Part(element), mapped)) return false;
    results.push_back(std::move(mapped).Release());
  }
  return Set(out, std::move(results));
}

// max()/min(): the greatest or the least element (the first of equal ones).
bool Extreme(Args args, Datum& out, bool want_max) {
  const Datum& list = args[0].value;
  if (list->empty()) return Set(out, nullptr);
  const Value* best = &(*list)[0];
  for (const Value& element : *list) {
    const int order = CompareSortable(element, *best);
    if (want_max ? order > 0 : order < 0) best = &element;
  }
  out = list.Part(*best);
  return true;
}

bool Max(Interpreter&, Args args, Datum& out) { return Extreme(args, out, true); }
bool Min(Interpreter&, Args args, Datum& out) { return Extreme(args, out, false); }

// The &expression of sort_by/max_by/min_by applied to every element; every key must be a number
// or every key a string.
bool SortKeys(Interpreter& interpreter, std::string_view function, const Datum& list,
              const Node& expression, std::vector<Datum>& keys) {
  keys.reserve(list->size());
  for (const Value& element : *list) {
    Datum key;
    if (!interpreter.Eval(expression, list.Part(element), key)) return false;
    const bool sortable = key->is_number() || key->is_string();
    if (!sortable || (!keys.empty() && key->is_number() != keys.front()->is_number())) {
      const std::string wanted = keys.empty() || !sortable
                                     ? "a number or a string"
                                     : (keys.front()->is_number() ? "a number" : "a string");
      return interpreter.Fail(JmesPathError(
          kInvalidType, std::string(function) + "() expected the expression to give " + wanted +
                            " for every element, got " + std::string(JmesPathType(*key))));
    }
    keys.push_back(std::move(key));
  }
  return true;
}

bool ExtremeBy(Interpreter& interpreter, Args args, Datum& out, bool want_max) {
  const Datum& list = args[0].value;
  std::vector<Datum> keys;
  if (!SortKeys(interpreter, want_max ? "max_by" : "min_by", list, *args[1].expression, keys)) {
    return false;
  }
  if (keys.empty()) return Set(out, nullptr);
  std::size_t best = 0;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const int order = CompareSortable(*keys[i], *keys[best]);
    if (want_max ? order > 0 : order < 0) best = i;
  }
  out = list.Part((*list)[best]);
  return true;
}

bool MaxBy(Interpreter& interpreter, Args args, Datum& out) {
  return ExtremeBy(interpreter, args, out, true);
}
bool MinBy(Interpreter& interpreter, Args args, Datum& out) {
  return ExtremeBy(interpreter, args, out, false);
}

bool Merge(Interpreter&, Args args, Datum& out) {
  if (args.size() == 1) {
    out = args[0].value;
    return true;
  }
  Value merged = Value::object();
  for (const Arg& arg : args) {
    for (auto it = arg.value->begin(); it != arg.value->end(); ++it) merged[it.key()] = it.value();
  }
  return Set(out, std::move(merged));
}

bool NotNull(Interpreter&, Args args, Datum& out) {
  for (const Arg& arg : args) {
    if (!arg.value->is_null()) {
      out = arg.value;
      return true;
    }
  }
  return Set(out, nullptr);
}

bool Reverse(Interpreter&, Args args, Datum& out) {
  const Value& subject = *args[0].value;
  if (subject.is_string()) return Set(out, ReverseCharacters(Str(subject)));
  Value reversed = std::move(args[0].value).Release();
  std::reverse(reversed.begin(), reversed.end());
  return Set(out, std::move(reversed));
}

bool Sort(Interpreter&, Args args, Datum& out) {
  Value sorted = std::move(args[0].value).Release();
  auto& list = sorted.get_ref<Value::array_t&>();
  std::stable_sort(list.begin(), list.end(),
                   [](const Value& a, const Value& b) { return CompareSortable(a, b) < 0; });
  return Set(out, std::move(sorted));
}

bool SortBy(Interpreter& interpreter, Args args, Datum& out) {
  const Datum& list = args[0].value;
  std::vector<Datum> keys;
  if (!SortKeys(interpreter, "sort_by", list, *args[1].expression, keys)) return false;
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return CompareSortable(*keys[a], *keys[b]) < 0;
  });
  Value sorted = Value::array();
  sorted.get_ref<Value::array_t&>().reserve(order.size());
  for (const std::size_t i : order) sorted.push_back((*list)[i]);
  return Set(out, std::move(sorted));
}

bool ToArray(Interpreter&, Args args, Datum& out) {
  if (args[0].value->is_array()) {
    out = args[0].value;
    return true;
  }
  return Set(out, Value::array({*args[0].value}));
}

bool ToString(Interpreter&, Args args, Datum& out) {
  if (args[0].value->is_string()) {
    out = args[0].value;
    return true;
  }
  return Set(out, DumpJson(*args[0].value));
}

// A JSON number ("-1", "2.5", "1e21"), integral when written without fraction or exponent;
// anything else is null, as the specification asks.
Value ParseNumber(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  const std::size_t digits_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits_start) return nullptr;
  bool integral = true;
  if (i < text.size() && text[i] == '.') {
    integral = false;
    const std::size_t fraction = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == fraction) return nullptr;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    integral = false;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exponent = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == exponent) return nullptr;
  }
  if (i != text.size()) return nullptr;
  if (integral) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size()) return value;
  }
  // from_chars for double is in libstdc++ 11+, locale-independent.
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return nullptr;
  }
  return value;
}

bool ToNumber(Interpreter&, Args args, Datum& out) {
  const Value& subject = *args[0].value;
  if (subject.is_number()) {
    out = args[0].value;
    return true;
  }
  if (subject.is_string()) return Set(out, ParseNumber(Str(subject)));
  return Set(out, nullptr);
}

bool Type(Interpreter&, Args args, Datum& out) {
  return Set(out, std::string(JmesPathType(*args[0].value)));
}

constexpr unsigned kNumber = kTypeNumber;
constexpr unsigned kString = kTypeString;
constexpr unsigned kArray = kTypeArray;
constexpr unsigned kObject = kTypeObject;
constexpr unsigned kAny = kTypeAny;
constexpr unsigned kExpref = kTypeExpref;
constexpr unsigned kSortable = kTypeArrayNumber | kTypeArrayString;

const std::vector<Function>& Table() {
  static const std::vector<Function> kFunctions = {
      {"abs", {kNumber}, false, Abs},
      {"avg", {kTypeArrayNumber}, false, Avg},
      {"ceil", {kNumber}, false, Ceil},
      {"contains", {kArray | kString, kAny}, false, Contains},
      {"ends_with", {kString, kString}, false, EndsWith},
      {"floor", {kNumber}, false, Floor},
      {"join", {kString, kTypeArrayString}, false, Join},
      {"keys", {kObject}, false, Keys},
      {"length", {kString | kArray | kObject}, false, Length},
      {"map", {kExpref, kArray}, false, Map},
      {"max", {kSortable}, false, Max},
      {"max_by", {kArray, kExpref}, false, MaxBy},
      {"merge", {kObject}, true, Merge},
      {"min", {kSortable}, false, Min},
      {"min_by", {kArray, kExpref}, false, MinBy},
      {"not_null", {kAny}, true, NotNull},
      {"reverse", {kString | kArray}, false, Reverse},
      {"sort", {kSortable}, false, Sort},
      {"sort_by", {kArray, kExpref}, false, SortBy},
      {"starts_with", {kString, kString}, false, StartsWith},
      {"sum", {kTypeArrayNumber}, false, Sum},
      {"to_array", {kAny}, false, ToArray},
      {"to_number", {kAny}, false, ToNumber},
      {"to_string", {kAny}, false, ToString},
      {"type", {kAny}, false, Type},
      {"values", {kObject}, false, Values},
  };
  return kFunctions;
}

bool AllElements(const Value& list, bool (Value::*is)() const noexcept) {
  return std::all_of(list.begin(), list.end(), [&](const Value& v) { return (v.*is)(); });
}

}  // namespace

const Function* FindFunction(std::string_view name) {
  for (const Function& function : Table()) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

std::vector<std::string> FunctionNames() {
  std::vector<std::string> names;
  for (const Function& function : Table()) names.emplace_back(function.name);
  return names;
}

std::string CheckArity(const Function& function, std::size_t count) {
  const std::size_t wanted = function.params.size();
  if (function.variadic ? count >= wanted : count == wanted) return {};
  const auto plural = [](std::size_t n) {
    return std::to_string(n) + (n == 1 ? " argument" : " arguments");
  };
  return std::string(function.name) + "() takes " + (function.variadic ? "at least " : "") +
         plural(wanted) + " but " + std::to_string(count) + (count == 1 ? " was" : " were") +
         " given";
}

std::string DescribeTypes(unsigned types) {
  if ((types & kTypeAny) == kTypeAny) return "any value";
  static const std::pair<unsigned, std::string_view> kNames[] = {
      {kTypeNumber, "a number"},
      {kTypeString, "a string"},
      {kTypeBoolean, "a boolean"},
      {kTypeArray, "an array"},
      {kTypeObject, "an object"},
      {kTypeNull, "null"},
      {kTypeExpref, "an expression reference (&...)"},
      {kTypeArrayNumber, "an array of numbers"},
      {kTypeArrayString, "an array of strings"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((types & bit) == 0) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

bool MatchesType(const Arg& arg, unsigned types) {
  if (arg.expression) return (types & kTypeExpref) != 0;
  const Value& value = *arg.value;
  switch (value.type()) {
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
    case Value::value_t::number_float:
      return (types & kTypeNumber) != 0;
    case Value::value_t::string:
      return (types & kTypeString) != 0;
    case Value::value_t::boolean:
      return (types & kTypeBoolean) != 0;
    case Value::value_t::object:
      return (types & kTypeObject) != 0;
    case Value::value_t::array:
      if ((types & kTypeArray) != 0) return true;
      if ((types & kTypeArrayNumber) != 0 && AllElements(value, &Value::is_number)) return true;
      return (types & kTypeArrayString) != 0 && AllElements(value, &Value::is_string);
    default:
      return (types & kTypeNull) != 0;
  }
}

std::string_view JmesPathType(const Value& value) {
  switch (value.type()) {
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
    case Value::value_t::number_float:
      return "number";
    case Value::value_t::string:
      return "string";
    case Value::value_t::boolean:
      return "boolean";
    case Value::value_t::array:
      return "array";
    case Value::value_t::object:
      return "object";
    default:
      return "null";
  }
}

}  // namespace flow::core::jmespath::detail
