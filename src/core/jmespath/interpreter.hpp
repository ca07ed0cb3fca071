// Evaluates a compiled tree against a document. One Interpreter per search (it holds the error of
// that search); the tree and the document are only read, so many searches may run in parallel.
#pragma once

#include <memory>
#include <utility>

#include "core/error.hpp"
#include "core/jmespath/ast.hpp"
#include "core/value.hpp"

namespace flow::core::jmespath::detail {

const Value& NullValue();

// A value met during evaluation: either borrowed (a part of the searched document or of a
// literal in the tree, which outlive the search) or a part of a value this search computed, kept
// alive by shared ownership. Copying a Datum never copies JSON; only results are built.
class Datum {
 public:
  Datum() : ptr_(&NullValue()) {}
  static Datum Borrow(const Value& value) { return Datum(&value, nullptr); }
  static Datum Own(Value value) {
    auto owner = std::make_shared<Value>(std::move(value));
    const Value* ptr = owner.get();
    return Datum(ptr, std::move(owner));
  }

  static Datum Bool(bool value);  // borrowed constants: no allocation per comparison

  // A part of this value (an element or member of it), kept alive as long as this one is.
  Datum Part(const Value& part) const { return Datum(&part, owner_); }

  const Value& operator*() const { return *ptr_; }
  const Value* operator->() const { return ptr_; }

  // The value itself: moved out when this Datum alone owns it, copied otherwise.
  Value Release() &&;

  // The value for changing in place when this Datum alone owns all of it, else nullptr.
  Value* TryMutable() {
    return owner_ && owner_.get() == ptr_ && owner_.use_count() == 1 ? owner_.get() : nullptr;
  }

 private:
  Datum(const Value* ptr, std::shared_ptr<Value> owner) : ptr_(ptr), owner_(std::move(owner)) {}
  const Value* ptr_;
  std::shared_ptr<Value> owner_;
};

// JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 too) is true.
bool IsTruthy(const Value& value);

// <0, 0, >0 comparing two numbers exactly (integers are not rounded through double).
int CompareNumbers(const Value& a, const Value& b);

class Interpreter {
 public:
  // Evaluates `node` with `current` as @; false when the search fails (see error()).
  bool Eval(const Node& node, const Datum& current, Datum& out);

  // Records the first error of this search and returns false, for `return Fail(...)`.
  bool Fail(Error error);
  Error& error() { return error_; }

 private:
  bool EvalChain(const Node& node, const Datum& current, Datum& out);
  bool EvalProjection(const Node& node, const Datum& current, Datum& out);
  bool EvalValueProjection(const Node& node, const Datum& current, Datum& out);
  bool EvalFilterProjection(const Node& node, const Datum& current, Datum& out);
  bool EvalFlatten(const Node& node, const Datum& current, Datum& out);
  bool EvalSlice(const Node& node, const Datum& current, Datum& out);
  bool EvalComparison(const Node& node, const Datum& current, Datum& out);
  bool EvalFunctionCall(const Node& node, const Datum& current, Datum& out);

  Error error_;
  bool failed_ = false;
};

}  // namespace flow::core::jmespath::detail
