#include "core/assert/assertion_plan.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

using assertion::Check;
using assertion::Comparison;
using assertion::Operator;
using assertion::Target;
using assertion::TargetKind;

constexpr int kMaxDepth = 64;

// The assertion targets and the keys of a custom assertion, from the registry.
std::vector<std::string> TargetNames() {
  return schema::Object("assert").KeyNamesOfKind(schema::KeyKind::kSupported);
}
std::vector<std::string> CustomKeys() { return schema::Object("assert.custom").KeyNames(); }

bool IsTemplate(const Value& value) {
  return value.is_string() && value.get_ref<const std::string&>().find("{{") != std::string::npos;
}

std::string Describe(const Value& value) {
  if (value.is_null()) return "null";
  return std::string(TypeName(value)) + " " + assertion::ShowValue(value);
}

enum class EntryKind { kOperator, kField };

bool IsCheckObject(const Value& map, int depth);

// Whether `key: value` inside a body map is an operator or a field. A key named like an operator
// is a field when its value is a map that operator cannot take: `type: {equals: "admin"}` checks
// a field called `type`. `length` always takes maps (`length: {greater_than: 2}`); the equality
// and containment operators take any map except a check object.
EntryKind Classify(const std::string& key, const Value& value, int depth) {
  const std::optional<Operator> op = assertion::FindOperator(key);
  if (!op) return EntryKind::kField;
  if (!value.is_object()) return EntryKind::kOperator;
  switch (*op) {
    case Operator::kLength:
      return EntryKind::kOperator;
    case Operator::kEquals:
    case Operator::kNotEquals:
    case Operator::kContains:
    case Operator::kNotContains:
      return IsCheckObject(value, depth + 1) ? EntryKind::kField : EntryKind::kOperator;
    default:
      return EntryKind::kField;
  }
}

bool IsCheckObject(const Value& map, int depth) {
  if (!map.is_object() || map.empty() || depth > kMaxDepth) return false;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (Classify(it.key(), it.value(), depth) != EntryKind::kOperator) return false;
  }
  return true;
}

bool IsNumericComparison(Operator op) {
  return op == Operator::kGreaterThan || op == Operator::kLessThan ||
         op == Operator::kGreaterThanOrEqual || op == Operator::kLessThanOrEqual;
}

// Checks the literal form of `status_code: <value>` (not a map).
std::optional<std::string> StatusShorthandProblem(const Value& value) {
  if (IsTemplate(value)) return std::nullopt;
  if (value.is_array()) {
    if (value.empty()) return "an empty list";
    for (const Value& element : value) {
      if (!IsTemplate(element) && !assertion::AsNumber(element)) {
        return "a list holding " + Describe(element);
      }
    }
    return std::nullopt;
  }
  if (assertion::AsNumber(value)) return std::nullopt;
  return Describe(value);
}

class PlanBuilder {
 public:
  Result<void> Root(const Value& block) {
    if (block.is_null()) return Ok();
    if (!block.is_object()) {
      return InvalidArgumentAt(
          "the assert block must be a mapping of targets to checks, got " + Describe(block), "",
          "invalid-block");
    }
    for (auto it = block.begin(); it != block.end(); ++it) {
      const std::string& key = it.key();
      const Value& value = it.value();
      const std::string pointer = JoinPointer("", key);
      if (key == "status_code") {
        FLOW_TRY_VOID(StatusCode(value, pointer));
      } else if (key == "headers") {
        FLOW_TRY_VOID(Headers(value, pointer));
      } else if (key == "body") {
        FLOW_TRY_VOID(Body(value, pointer));
      } else if (key == "response_time_ms") {
        FLOW_TRY_VOID(ResponseTime(value, pointer));
      } else if (key == "custom") {
        FLOW_TRY_VOID(Custom(value, pointer));
      } else if (StartsWith(key, "body.") && key.size() > 5) {
        FLOW_TRY_VOID(BodyEntry(key.substr(5), value, pointer, "", 0));
      } else if (StartsWith(key, "headers.") && key.size() > 8) {
        FLOW_TRY_VOID(HeaderEntry(key.substr(8), value, pointer));
      } else if (key == "response_time") {
        // The original's docs and suites write both names.
        FLOW_TRY_VOID(ResponseTime(value, pointer));
        warnings.push_back(InvalidArgumentAt("'response_time' is read as 'response_time_ms'",
                                             pointer, "alias",
                                             schema::Object("assert").Key(key).hint));
      } else {
        Error unknown = UnknownTarget(key, pointer);
        if (key.find('.') != std::string::npos && unknown.hint == "did you mean 'body." + key + "'?") {
          // `json.user: ...` at the root: the original ignored it and checked nothing; the
          // author meant a body path (httpbin echoes under body.json), so it is checked as one.
          FLOW_TRY_VOID(BodyEntry(key, value, pointer, "", 0));
          warnings.push_back(InvalidArgumentAt(
              "'" + key + "' is not an assertion target: checked as 'body." + key + "'", pointer,
              "body-path", "write 'body." + key + "' (or nest it under 'body:')"));
        } else {
          return unknown;
        }
      }
    }
    return Ok();
  }

  std::vector<Target> targets;
  std::vector<CustomAssertion> custom;
  std::vector<Error> warnings;

 private:
  static Error UnknownTarget(const std::string& key, const std::string& pointer) {
    std::string hint;
    const std::size_t dot = key.find('.');
    if (dot != std::string::npos) {
      const std::string first = key.substr(0, dot);
      const std::string rest = key.substr(dot + 1);
      const std::vector<std::string> close = ClosestMatches(first, {"body", "headers"}, 1);
      const std::vector<std::string> scalar =
          ClosestMatches(first, {"status_code", "response_time_ms"}, 1);
      if (rest.empty()) {
        hint = "write a path after the dot, such as 'body.id' or 'headers.content-type'";
      } else if (!close.empty()) {
        hint = "did you mean '" + close.front() + "." + rest + "'?";
      } else if (!scalar.empty()) {
        hint = "write '" + scalar.front() + ": {" + rest + ": ...}'";
      } else {
        hint = "did you mean 'body." + key + "'?";
      }
    } else {
      hint = DidYouMean(key, TargetNames());
      if (hint.empty()) {
        hint =
            "assertion targets are status_code, headers, body, response_time_ms, custom, "
            "body.<path> and headers.<name>";
      }
    }
    return InvalidArgumentAt("unknown assertion target '" + key + "'", pointer, "unknown-target",
                        std::move(hint));
  }

  // A literal operand is validated (and a literal regex compiled) now; a template is checked when
  // the rendered value is known.
  Result<Check> MakeCheck(Operator op, const std::string& op_name, const Value& value,
                          std::string pointer, std::string field, bool field_hint) {
    Check check{
        .field = std::move(field), .pointer = std::move(pointer), .op = op, .op_name = op_name};
    if (IsTemplate(value)) return check;
    if (std::optional<Error> invalid = assertion::ValidateOperand(op, op_name, value)) {
      invalid->pointer = check.pointer;
      if (invalid->hint.empty() && field_hint && op != Operator::kLength) {
        invalid->hint =
            "to check a field named '" + op_name + "', write '" + op_name + ": {equals: ...}'";
      }
      return *std::move(invalid);
    }
    if (op == Operator::kRegex) {
      Result<EcmaRegex> regex = EcmaRegex::Compile(value.get_ref<const std::string&>());
      if (!regex) {
        Error error = std::move(regex).error();
        error.pointer = check.pointer;
        return error;
      }
      check.regex = std::move(*regex);
    }
    return check;
  }

  // Adds one check per key of the check object `map` to `target`. `allowed` limits the operators
  // (response_time_ms takes only numeric comparisons).
  Result<void> AddChecks(Target& target, const Value& map, const std::string& pointer,
                         const std::string& field_prefix, bool field_hint,
                         const std::function<bool(Operator)>& allowed,
                         const std::string& target_name) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string& key = it.key();
      const Value& value = it.value();
      const std::string check_pointer = JoinPointer(pointer, key);
      const std::optional<Operator> op = assertion::FindOperator(key);
      if (const schema::KeySpec* no_effect = schema::Object("assert.response_time").FindKey(key);
          !op && target_name == "response_time_ms" && no_effect != nullptr &&
          no_effect->kind == schema::KeyKind::kNoEffect) {
        // `warning_threshold`: documented by the original as a soft limit; it never fails a step.
        warnings.push_back(InvalidArgumentAt(
            "'" + key + "' has no effect: only limits that fail the step are checked",
            check_pointer, "no-effect", no_effect->hint));
        continue;
      }
      if (!op) {
        return InvalidArgumentAt("unknown operator '" + key + "'", check_pointer, "unknown-operator",
                            DidYouMean(key, assertion::OperatorNames()));
      }
      if (!allowed(*op)) {
        return InvalidArgumentAt("operator '" + key + "' does not apply to " + target_name,
                            check_pointer, "unknown-operator",
                            "use greater_than, less_than, greater_than_or_equal, "
                            "less_than_or_equal, min or max");
      }
      if (*op == Operator::kLength && value.is_object()) {
        if (value.empty()) {
          return InvalidArgumentAt("'length' needs a number or a map of comparisons", check_pointer,
                              "invalid-value");
        }
        for (auto sub = value.begin(); sub != value.end(); ++sub) {
          const std::string sub_pointer = JoinPointer(check_pointer, sub.key());
          const std::optional<Comparison> comparison = assertion::FindLengthComparison(sub.key());
          if (!comparison) {
            std::string hint = DidYouMean(sub.key(), assertion::LengthComparisonNames());
            if (hint.empty()) {
              hint =
                  "length compares with equals, not_equals, greater_than, less_than, "
                  "greater_than_or_equal, less_than_or_equal, min or max";
            }
            return InvalidArgumentAt("unknown length comparison '" + sub.key() + "'", sub_pointer,
                                "unknown-operator", std::move(hint));
          }
          Result<Check> check =
              MakeCheck(Operator::kLength, "length." + sub.key(), sub.value(), sub_pointer,
                        field_prefix + ".length." + sub.key(), false);
          if (!check) return std::move(check).error();
          check->comparison = *comparison;
          target.checks.push_back(std::move(*check));
        }
        continue;
      }
      Result<Check> check =
          MakeCheck(*op, key, value, check_pointer, field_prefix + "." + key, field_hint);
      if (!check) return std::move(check).error();
      target.checks.push_back(std::move(*check));
    }
    return Ok();
  }

  static const std::function<bool(Operator)>& AnyOperator() {
    static const std::function<bool(Operator)> any = [](Operator) { return true; };
    return any;
  }

  Result<void> StatusCode(const Value& value, const std::string& pointer) {
    Target target{.kind = TargetKind::kStatus};
    if (value.is_object()) {
      if (value.empty()) {
        return InvalidArgumentAt("'status_code' has no checks", pointer, "invalid-value",
                            "write a number, a list such as [200, 201] or {in: [200, 201]}");
      }
      FLOW_TRY_VOID(
          AddChecks(target, value, pointer, "status_code", false, AnyOperator(), "status_code"));
    } else {
      if (std::optional<std::string> problem = StatusShorthandProblem(value)) {
        return InvalidArgumentAt(
            "'status_code' expects a number, a list of numbers or a map of checks, got " + *problem,
            pointer, "invalid-value");
      }
      target.checks.push_back(Check{.field = "status_code",
                                    .pointer = pointer,
                                    .op = Operator::kEquals,
                                    .op_name = "status_code",
                                    .status_shorthand = true});
    }
    targets.push_back(std::move(target));
    return Ok();
  }

  Result<void> Headers(const Value& value, const std::string& pointer) {
    if (!value.is_object()) {
      return InvalidArgumentAt(
          "'headers' must be a mapping of header names to checks, got " + Describe(value), pointer,
          "invalid-value");
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      FLOW_TRY_VOID(HeaderEntry(it.key(), it.value(), JoinPointer(pointer, it.key())));
    }
    return Ok();
  }

  Result<void> HeaderEntry(const std::string& name, const Value& value,
                           const std::string& pointer) {
    if (name.empty()) return InvalidArgumentAt("empty header name", pointer, "invalid-value");
    Target target{.kind = TargetKind::kHeader, .header = ToLower(name)};
    const std::string field = "headers." + name;
    if (value.is_object() && !value.empty()) {
      FLOW_TRY_VOID(
          AddChecks(target, value, pointer, field, false, AnyOperator(), "header '" + name + "'"));
    } else {
      target.checks.push_back(Check{.field = field + ".equals",
                                    .pointer = pointer,
                                    .op = Operator::kEquals,
                                    .op_name = "equals"});
    }
    targets.push_back(std::move(target));
    return Ok();
  }

  Result<Target> BodyTarget(const std::string& path, const std::string& pointer) {
    const std::string text = path.empty() ? "@" : path;
    Result<jmespath::Expression> expression = jmespath::Expression::Compile(text);
    if (!expression) {
      std::string hint;
      if (text.find_first_of("-: ") != std::string::npos) {
        hint = "quote names with other characters inside a path: 'headers.\"x-id\"'";
      }
      return InvalidArgumentAt("invalid JMESPath '" + text + "': " + expression.error().message, pointer,
                          "invalid-jmespath", std::move(hint));
    }
    return Target{.kind = TargetKind::kBody,
                  .path = std::move(*expression),
                  .simple_path = assertion::ParseSimplePath(text)};
  }

  static std::string BodyField(const std::string& path) {
    return path.empty() ? "body" : "body." + path;
  }

  Result<void> BodyLeaf(const std::string& path, const std::string& pointer) {
    Result<Target> target = BodyTarget(path, pointer);
    if (!target) return std::move(target).error();
    target->checks.push_back(Check{.field = BodyField(path) + ".equals",
                                   .pointer = pointer,
                                   .op = Operator::kEquals,
                                   .op_name = "equals"});
    targets.push_back(std::move(*target));
    return Ok();
  }

  Result<void> Body(const Value& value, const std::string& pointer) {
    // A scalar, a list or an empty map compares the whole body.
    if (!value.is_object() || value.empty()) return BodyLeaf("", pointer);
    return BodyMap(value, "", pointer, 0);
  }

  // `key: value` of a body map (or the rest of a flat `body.<key>` root key) under `prefix`.
  Result<void> BodyEntry(const std::string& key, const Value& value, const std::string& pointer,
                         const std::string& prefix, int depth) {
    if (key.empty()) return InvalidArgumentAt("empty key in a body path", pointer, "invalid-value");
    const std::string path = assertion::JoinPath(prefix, assertion::KeyToPathSegment(key));
    if (value.is_object() && !value.empty()) return BodyMap(value, path, pointer, depth + 1);
    return BodyLeaf(path, pointer);  // a scalar, a list, a template or {}: equals
  }

  Result<void> BodyMap(const Value& map, const std::string& path, const std::string& pointer,
                       int depth) {
    if (depth > kMaxDepth) {
      return InvalidArgumentAt("the body assertions are nested too deeply", pointer, "invalid-value");
    }
    const std::string* first_operator = nullptr;
    const std::string* first_field = nullptr;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const bool is_operator = Classify(it.key(), it.value(), depth) == EntryKind::kOperator;
      const std::string*& slot = is_operator ? first_operator : first_field;
      if (slot == nullptr) slot = &it.key();
    }
    bool fields_are_maps = true;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (Classify(it.key(), it.value(), depth) != EntryKind::kOperator &&
          !(it.value().is_object() && !it.value().empty())) {
        fields_are_maps = false;
      }
    }
    if (first_operator != nullptr && first_field != nullptr && fields_are_maps) {
      // `user: {type: object, id: {type: number}}`: checks on the value itself, and on its fields.
      Value checks = Value::object();
      for (auto it = map.begin(); it != map.end(); ++it) {
        if (Classify(it.key(), it.value(), depth) == EntryKind::kOperator) checks[it.key()] = it.value();
      }
      Result<Target> target = BodyTarget(path, pointer);
      if (!target) return std::move(target).error();
      FLOW_TRY_VOID(AddChecks(*target, checks, pointer, BodyField(path), true, AnyOperator(),
                              BodyField(path)));
      targets.push_back(std::move(*target));
      for (auto it = map.begin(); it != map.end(); ++it) {
        if (Classify(it.key(), it.value(), depth) == EntryKind::kOperator) continue;
        FLOW_TRY_VOID(BodyEntry(it.key(), it.value(), JoinPointer(pointer, it.key()), path, depth));
      }
      return Ok();
    }
    if (first_operator != nullptr && first_field != nullptr) {
      std::string hint = DidYouMean(*first_field, assertion::OperatorNames());
      if (!hint.empty()) hint += " ";
      hint +=
          "a map holds either operators (checks on one value) or fields (nested paths), not "
          "both; to check a field named '" +
          *first_operator + "', write '" + *first_operator + ": {equals: ...}'";
      return InvalidArgumentAt("'" + *first_field +
                              "' is neither an operator nor allowed beside the operator '" +
                              *first_operator + "'",
                          JoinPointer(pointer, *first_field), "mixed-keys", std::move(hint));
    }
    if (first_field == nullptr) {  // a check object on `path`
      Result<Target> target = BodyTarget(path, pointer);
      if (!target) return std::move(target).error();
      FLOW_TRY_VOID(
          AddChecks(*target, map, pointer, BodyField(path), true, AnyOperator(), BodyField(path)));
      targets.push_back(std::move(*target));
      return Ok();
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      FLOW_TRY_VOID(BodyEntry(it.key(), it.value(), JoinPointer(pointer, it.key()), path, depth));
    }
    return Ok();
  }

  Result<void> ResponseTime(const Value& value, const std::string& pointer) {
    if (!value.is_object() || value.empty()) {
      return InvalidArgumentAt(
          "'response_time_ms' expects a map of checks such as {less_than: 500}, "
          "got " +
              Describe(value),
          pointer, "invalid-value");
    }
    Target target{.kind = TargetKind::kResponseTime};
    FLOW_TRY_VOID(AddChecks(target, value, pointer, "response_time_ms", false, IsNumericComparison,
                            "response_time_ms"));
    targets.push_back(std::move(target));
    return Ok();
  }

  Result<void> Custom(const Value& value, const std::string& pointer) {
    if (!value.is_array()) {
      return InvalidArgumentAt(
          "'custom' must be a list of {name, condition, message}, got " + Describe(value), pointer,
          "invalid-value");
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Value& entry = value[i];
      const std::string entry_pointer = pointer + "/" + std::to_string(i);
      if (!entry.is_object()) {
        return InvalidArgumentAt(
            "a custom assertion must be a map with 'name' and 'condition', got " + Describe(entry),
            entry_pointer, "invalid-value");
      }
      CustomAssertion assertion{.name = "custom[" + std::to_string(i) + "]",
                                .pointer = entry_pointer};
      bool has_condition = false;
      for (auto it = entry.begin(); it != entry.end(); ++it) {
        const std::string key_pointer = JoinPointer(entry_pointer, it.key());
        if (schema::Object("assert.custom").FindKey(it.key()) == nullptr) {
          return InvalidArgumentAt("unknown key '" + it.key() + "' in a custom assertion", key_pointer,
                              "invalid-value", DidYouMean(it.key(), CustomKeys()));
        }
        if (!it.value().is_string()) {
          return InvalidArgumentAt("'" + it.key() + "' of a custom assertion must be a string, got " +
                                  Describe(it.value()),
                              key_pointer, "invalid-value");
        }
        const std::string& text = it.value().get_ref<const std::string&>();
        if (it.key() == "name") assertion.name = text;
        if (it.key() == "message") assertion.message = text;
        if (it.key() == "condition") {
          assertion.condition = text;
          has_condition = true;
        }
      }
      if (!has_condition || Trim(assertion.condition).empty()) {
        return InvalidArgumentAt("custom assertion '" + assertion.name + "' has no condition",
                            entry_pointer, "invalid-value");
      }
      custom.push_back(std::move(assertion));
    }
    return Ok();
  }
};

const Value* FindHeader(const Value* headers, const std::string& lower_name) {
  if (headers == nullptr || !headers->is_object()) return nullptr;
  const auto exact = headers->find(lower_name);
  if (exact != headers->end()) return &*exact;
  for (auto it = headers->begin(); it != headers->end(); ++it) {
    if (ToLower(it.key()) == lower_name) return &*it;
  }
  return nullptr;
}

}  // namespace

Result<AssertionPlan> AssertionPlan::Compile(const Value& assert_block) {
  PlanBuilder builder;
  FLOW_TRY_VOID(builder.Root(assert_block));
  AssertionPlan plan;
  plan.targets_ = std::move(builder.targets);
  plan.custom_ = std::move(builder.custom);
  plan.warnings_ = std::move(builder.warnings);
  return plan;
}

std::size_t AssertionPlan::CheckCount() const {
  std::size_t count = 0;
  for (const Target& target : targets_) count += target.checks.size();
  return count;
}

std::vector<AssertionOutcome> AssertionPlan::Evaluate(const Value& rendered_block,
                                                      const ResponseView& response) const {
  static const Value kNull;
  std::vector<AssertionOutcome> outcomes;
  outcomes.reserve(CheckCount());
  for (const Target& target : targets_) {
    Value actual;
    bool present = true;
    std::optional<std::string> failure;  // the target itself could not be evaluated
    switch (target.kind) {
      case TargetKind::kStatus:
        actual = response.status_code;
        break;
      case TargetKind::kResponseTime:
        actual = response.response_time_ms;
        break;
      case TargetKind::kHeader:
        if (const Value* found = FindHeader(response.headers, target.header)) {
          actual = *found;
        } else {
          present = false;
        }
        break;
      case TargetKind::kBody: {
        const Value& body = response.body != nullptr ? *response.body : kNull;
        Result<Value> found = target.path->Search(body);
        if (!found) {
          failure = "could not evaluate '" + target.path->text() + "': " + found.error().message;
          break;
        }
        actual = std::move(*found);
        present = target.simple_path ? assertion::IsPresent(body, *target.simple_path)
                                     : !actual.is_null();
        break;
      }
    }
    for (const Check& check : target.checks) {
      AssertionOutcome outcome{.field = check.field, .pointer = check.pointer};
      const Value* expected = ResolvePointer(rendered_block, check.pointer);
      if (expected == nullptr) {
        outcome.actual = actual;
        outcome.message = "the rendered assert block has no value at '" + check.pointer + "'";
        outcomes.push_back(std::move(outcome));
        continue;
      }
      outcome.expected = *expected;
      if (failure) {
        outcome.message = *failure;
        outcomes.push_back(std::move(outcome));
        continue;
      }
      assertion::OperatorSpec spec{.op = check.op,
                                   .name = check.op_name,
                                   .comparison = check.comparison,
                                   .regex = check.regex ? &*check.regex : nullptr};
      if (check.status_shorthand) {
        if (expected->is_array()) {
          spec.op = Operator::kIn;
          spec.name = "in";
          outcome.field = "status_code.in";
        } else if (std::optional<Value> number = assertion::AsNumber(*expected)) {
          outcome.expected = *number;
        } else {
          outcome.actual = actual;
          outcome.message =
              "'status_code' expects a number or a list of numbers, got " + Describe(*expected);
          outcomes.push_back(std::move(outcome));
          continue;
        }
      }
      assertion::OperatorResult result = assertion::ApplyOperator(
          spec, outcome.expected, assertion::CheckedValue{.value = actual, .present = present});
      outcome.passed = result.passed;
      outcome.message = std::move(result.message);
      outcome.actual = std::move(result.actual);
      outcomes.push_back(std::move(outcome));
    }
  }
  return outcomes;
}

}  // namespace flow::core
