// JMESPath (https://jmespath.org/specification.html): our own complete implementation over Value.
// An Expression is compiled once and searched many times; it is immutable and cheap to copy
// (shared tree), so it may be shared between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/value_fwd.hpp"

namespace flow::core::jmespath {

namespace detail {
struct Node;
}  // namespace detail

// Errors are kInvalidArgument with `reason` set to the JMESPath error kind: "syntax",
// "invalid-type", "invalid-arity", "invalid-value" or "unknown-function". The message says what
// went wrong and, for syntax errors, at which character (1-based column).
class Expression {
 public:
  static Result<Expression> Compile(std::string_view text);

  Result<Value> Search(const Value& data) const;
  const std::string& text() const { return text_; }

 private:
  Expression(std::shared_ptr<const detail::Node> root, std::string text);
  std::shared_ptr<const detail::Node> root_;
  std::string text_;
};

// Compile + Search in one call, for one-off evaluations.
Result<Value> Search(std::string_view expression, const Value& data);

}  // namespace flow::core::jmespath
