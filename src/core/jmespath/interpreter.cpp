#include "core/jmespath/interpreter.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/jmespath/errors.hpp"
#include "core/jmespath/functions.hpp"

namespace flow::core::jmespath::detail {

const Value& NullValue() {
  static const Value kNull;
  return kNull;
}

Datum Datum::Bool(bool value) {
  static const Value kTrue(true);
  static const Value kFalse(false);
  return Borrow(value ? kTrue : kFalse);
}

Value Datum::Release() && {
  if (Value* mine = TryMutable()) return std::move(*mine);
  return *ptr_;
}

bool IsTruthy(const Value& value) {
  switch (value.type()) {
    case Value::value_t::null:
    case Value::value_t::discarded:
      return false;
    case Value::value_t::boolean:
      return value.get<bool>();
    case Value::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case Value::value_t::array:
    case Value::value_t::object:
      return !value.empty();
    default:
      return true;
  }
}

int CompareNumbers(const Value& a, const Value& b) {
  const auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.is_number_float() || b.is_number_float()) {
    return sign(a.get<double>(), b.get<double>());
  }
  if (a.is_number_unsigned() && b.is_number_unsigned()) {
    return sign(a.get<std::uint64_t>(), b.get<std::uint64_t>());
  }
  if (a.is_number_unsigned()) {
    const std::int64_t other = b.get<std::int64_t>();
    return other < 0 ? 1 : sign(a.get<std::uint64_t>(), static_cast<std::uint64_t>(other));
  }
  if (b.is_number_unsigned()) return -CompareNumbers(b, a);
  return sign(a.get<std::int64_t>(), b.get<std::int64_t>());
}

bool Interpreter::Fail(Error error) {
  if (!failed_) {
    error_ = std::move(error);
    failed_ = true;
  }
  return false;
}

bool Interpreter::Eval(const Node& node, const Datum& current, Datum& out) {
  switch (node.kind) {
    case NodeKind::kIdentity:
      out = current;
      return true;
    case NodeKind::kField: {
      out = Datum();
      if (current->is_object()) {
        const auto found = current->find(node.name);
        if (found != current->end()) out = current.Part(*found);
      }
      return true;
    }
    case NodeKind::kLiteral:
      out = Datum::Borrow(node.literal);
      return true;
    case NodeKind::kIndex: {
      out = Datum();
      if (current->is_array()) {
        const auto size = static_cast<std::int64_t>(current->size());
        const std::int64_t at = node.index < 0 ? node.index + size : node.index;
        if (at >= 0 && at < size) out = current.Part((*current)[static_cast<std::size_t>(at)]);
      }
      return true;
    }
    case NodeKind::kSlice:
      return EvalSlice(node, current, out);
    case NodeKind::kChain:
      return EvalChain(node, current, out);
    case NodeKind::kProjection:
      return EvalProjection(node, current, out);
    case NodeKind::kValueProjection:
      return EvalValueProjection(node, current, out);
    case NodeKind::kFilterProjection:
      return EvalFilterProjection(node, current, out);
    case NodeKind::kFlatten:
      return EvalFlatten(node, current, out);
    case NodeKind::kOr:
    case NodeKind::kAnd: {
      const bool want_truthy = node.kind == NodeKind::kOr;
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (!Eval(*node.children[i], current, out)) return false;
        if (IsTruthy(*out) == want_truthy) return true;
      }
      return true;
    }
    case NodeKind::kNot: {
      Datum operand;
      if (!Eval(*node.children[0], current, operand)) return false;
      out = Datum::Bool(!IsTruthy(*operand));
      return true;
    }
    case NodeKind::kComparison:
      return EvalComparison(node, current, out);
    case NodeKind::kMultiSelectList: {
      if (current->is_null()) {
        out = Datum();
        return true;
      }
      Value list = Value::array();
      list.get_ref<Value::array_t&>().reserve(node.children.size());
      for (const NodePtr& child : node.children) {
        Datum item;
        if (!Eval(*child, current, item)) return false;
        list.push_back(std::move(item).Release());
      }
      out = Datum::Own(std::move(list));
      return true;
    }
    case NodeKind::kMultiSelectHash: {
      if (current->is_null()) {
        out = Datum();
        return true;
      }
      Value hash = Value::object();
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        Datum item;
        if (!Eval(*node.children[i], current, item)) return false;
        hash[node.keys[i]] = std::move(item).Release();
      }
      out = Datum::Own(std::move(hash));
      return true;
    }
    case NodeKind::kFunctionCall:
      return EvalFunctionCall(node, current, out);
    case NodeKind::kExpressionRef:
      return Fail(JmesPathError(kInvalidType,
                                "an expression reference (&...) can only be a function argument"));
  }
  return Fail(Internal("unknown jmespath node"));
}

bool Interpreter::EvalChain(const Node& node, const Datum& current, Datum& out) {
  Datum step = current;
  for (const NodePtr& child : node.children) {
    Datum next;
    if (!Eval(*child, step, next)) return false;
    step = std::move(next);
  }
  out = std::move(step);
  return true;
}

bool Interpreter::EvalProjection(const Node& node, const Datum& current, Datum& out) {
  Datum base;
  if (!Eval(*node.children[0], current, base)) return false;
  if (!base->is_array()) {
    out = Datum();
    return true;
  }
  const Node& right = *node.children[1];
  Value results = Value::array();
  auto& list = results.get_ref<Value::array_t&>();
  list.reserve(base->size());
  if (right.kind == NodeKind::kIdentity) {
    // Common after [] and [*]: no evaluation, and no copy when the array is ours alone.
    Value* mine = base.TryMutable();
    for (std::size_t i = 0; i < base->size(); ++i) {
      if ((*base)[i].is_null()) continue;
      if (mine) {
        list.push_back(std::move((*mine)[i]));
      } else {
        list.push_back((*base)[i]);
      }
    }
    out = Datum::Own(std::move(results));
    return true;
  }
  for (const Value& element : *base) {
    Datum projected;
    if (!Eval(right, base.Part(element), projected)) return false;
    if (!projected->is_null()) list.push_back(std::move(projected).Release());
  }
  out = Datum::Own(std::move(results));
  return true;
}

bool Interpreter::EvalValueProjection(const Node& node, const Datum& current, Datum& out) {
  Datum base;
  if (!Eval(*node.children[0], current, base)) return false;
  if (!base->is_object()) {
    out = Datum();
    return true;
  }
  const Node& right = *node.children[1];
  Value results = Value::array();
  auto& list = results.get_ref<Value::array_t&>();
  list.reserve(base->size());
  for (const Value& member : *base) {
    Datum projected;
    if (!Eval(right, base.Part(member), projected)) return false;
    if (!projected->is_null()) list.push_back(std::move(projected).Release());
  }
  out = Datum::Own(std::move(results));
  return true;
}

bool Interpreter::EvalFilterProjection(const Node& node, const Datum& current, Datum& out) {
  Datum base;
  if (!Eval(*node.children[0], current, base)) return false;
  if (!base->is_array()) {
    out = Datum();
    return true;
  }
  const Node& condition = *node.children[1];
  const Node& right = *node.children[2];
  Value results = Value::array();
  auto& list = results.get_ref<Value::array_t&>();
  for (const Value& element : *base) {
    const Datum item = base.Part(element);
    Datum keep;
    if (!Eval(condition, item, keep)) return false;
    if (!IsTruthy(*keep)) continue;
    Datum projected;
    if (!Eval(right, item, projected)) return false;
    if (!projected->is_null()) list.push_back(std::move(projected).Release());
  }
  out = Datum::Own(std::move(results));
  return true;
}

bool Interpreter::EvalFlatten(const Node& node, const Datum& current, Datum& out) {
  Datum base;
  if (!Eval(*node.children[0], current, base)) return false;
  if (!base->is_array()) {
    out = Datum();
    return true;
  }
  Value results = Value::array();
  auto& list = results.get_ref<Value::array_t&>();
  list.reserve(base->size());
  if (Value* mine = base.TryMutable()) {
    for (Value& element : *mine) {
      if (element.is_array()) {
        for (Value& inner : element) list.push_back(std::move(inner));
      } else {
        list.push_back(std::move(element));
      }
    }
  } else {
    for (const Value& element : *base) {
      if (element.is_array()) {
        list.insert(list.end(), element.begin(), element.end());
      } else {
        list.push_back(element);
      }
    }
  }
  out = Datum::Own(std::move(results));
  return true;
}

// Python-style slice bounds, as the JMESPath specification defines them.
bool Interpreter::EvalSlice(const Node& node, const Datum& current, Datum& out) {
  if (!current->is_array()) {
    out = Datum();
    return true;
  }
  const auto length = static_cast<std::int64_t>(current->size());
  const std::int64_t step = node.slice.step;
  const auto clamp = [&](std::optional<std::int64_t> given, std::int64_t fallback) {
    if (!given) return fallback;
    std::int64_t at = *given;
    if (at < 0) {
      at += length;
      if (at < 0) at = step < 0 ? -1 : 0;
    } else if (at >= length) {
      at = step < 0 ? length - 1 : length;
    }
    return at;
  };
  const std::int64_t start = clamp(node.slice.start, step < 0 ? length - 1 : 0);
  const std::int64_t stop = clamp(node.slice.stop, step < 0 ? -1 : length);
  Value results = Value::array();
  auto& list = results.get_ref<Value::array_t&>();
  if (step > 0) {
    for (std::int64_t i = start; i < stop; i += step) {
      list.push_back((*current)[static_cast<std::size_t>(i)]);
    }
  } else {
    for (std::int64_t i = start; i > stop; i += step) {
      list.push_back((*current)[static_cast<std::size_t>(i)]);
    }
  }
  out = Datum::Own(std::move(results));
  return true;
}

bool Interpreter::EvalComparison(const Node& node, const Datum& current, Datum& out) {
  Datum left;
  Datum right;
  if (!Eval(*node.children[0], current, left)) return false;
  if (!Eval(*node.children[1], current, right)) return false;
  switch (node.comparator) {
    case Comparator::kEq:
      out = Datum::Bool(DeepEqual(*left, *right));
      return true;
    case Comparator::kNe:
      out = Datum::Bool(!DeepEqual(*left, *right));
      return true;
    default:
      break;
  }
  if (!left->is_number() || !right->is_number()) {
    out = Datum();
    return true;
  }
  const int order = CompareNumbers(*left, *right);
  bool result = false;
  switch (node.comparator) {
    case Comparator::kLt:
      result = order < 0;
      break;
    case Comparator::kLte:
      result = order <= 0;
      break;
    case Comparator::kGt:
      result = order > 0;
      break;
    case Comparator::kGte:
      result = order >= 0;
      break;
    default:
      break;
  }
  out = Datum::Bool(result);
  return true;
}

bool Interpreter::EvalFunctionCall(const Node& node, const Datum& current, Datum& out) {
  const Function& function = *node.function;
  std::vector<Arg> args(node.children.size());
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    const Node& child = *node.children[i];
    if (child.kind == NodeKind::kExpressionRef) {
      args[i].expression = child.children[0].get();
    } else if (!Eval(child, current, args[i].value)) {
      return false;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const unsigned types = function.params[std::min(i, function.params.size() - 1)];
    if (!MatchesType(args[i], types)) {
      const std::string got = args[i].expression ? "an expression reference"
                                                 : std::string(JmesPathType(*args[i].value));
      return Fail(JmesPathError(kInvalidType, std::string(function.name) + "() expected argument " +
                                                  std::to_string(i + 1) + " to be " +
                                                  DescribeTypes(types) + ", got " + got));
    }
  }
  return function.call(*this, args, out);
}

}  // namespace flow::core::jmespath::detail
