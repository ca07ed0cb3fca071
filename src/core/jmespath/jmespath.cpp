#include "core/jmespath/jmespath.hpp"

#include <utility>

#include "core/jmespath/interpreter.hpp"
#include "core/jmespath/parser.hpp"
#include "core/value.hpp"

namespace flow::core::jmespath {

Expression::Expression(std::shared_ptr<const detail::Node> root, std::string text)
    : root_(std::move(root)), text_(std::move(text)) {}

Result<Expression> Expression::Compile(std::string_view text) {
  Result<detail::NodePtr> root = detail::Parse(text);
  if (!root) return std::move(root).error();
  return Expression(std::move(*root), std::string(text));
}

Result<Value> Expression::Search(const Value& data) const {
  detail::Interpreter interpreter;
  detail::Datum result;
  if (!interpreter.Eval(*root_, detail::Datum::Borrow(data), result)) {
    return std::move(interpreter.error());
  }
  return std::move(result).Release();
}

Result<Value> Search(std::string_view expression, const Value& data) {
  Result<Expression> compiled = Expression::Compile(expression);
  if (!compiled) return std::move(compiled).error();
  return compiled->Search(data);
}

}  // namespace flow::core::jmespath
