// The compiled form of a JMESPath expression: an immutable tree of Nodes shared by every copy of
// an Expression. Built by the parser, read by the interpreter; never changed after parsing, so a
// tree may be searched from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace flow::core::jmespath::detail {

// Deepest tree (and parser recursion) accepted; deeper input is a syntax error, so neither the
// parser nor the interpreter can overflow the stack on hostile expressions.
inline constexpr int kMaxDepth = 500;

enum class NodeKind {
  kIdentity,          // @, and the implicit right side of a projection
  kField,             // name
  kLiteral,           // literal
  kIndex,             // index
  kSlice,             // slice
  kChain,             // children evaluated left to right, each on the previous result (a.b, a|b)
  kProjection,        // children: [left, right]; right applied to each element of the array left
  kValueProjection,   // children: [left, right]; right applied to each value of the object left
  kFilterProjection,  // children: [left, condition, right]
  kFlatten,           // children: [operand]; one level of nested arrays merged
  kOr,                // children: two or more; the first truthy, else the last
  kAnd,               // children: two or more; the first falsy, else the last
  kNot,               // children: [operand]
  kComparison,        // children: [left, right], comparator
  kMultiSelectList,   // children: the items
  kMultiSelectHash,   // children: the values, keys: their names
  kFunctionCall,      // function, children: the arguments
  kExpressionRef,     // children: [expression]; only meaningful as a function argument
};

enum class Comparator { kEq, kNe, kLt, kLte, kGt, kGte };

struct Slice {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> stop;
  std::int64_t step = 1;  // never 0: rejected when compiling
};

struct Function;  // functions.hpp

struct Node {
  explicit Node(NodeKind node_kind) : kind(node_kind) {}

  NodeKind kind;
  std::string name;                         // kField: the key
  Value literal;                            // kLiteral
  std::int64_t index = 0;                   // kIndex (negative counts from the end)
  Slice slice;                              // kSlice
  Comparator comparator = Comparator::kEq;  // kComparison
  const Function* function = nullptr;       // kFunctionCall
  std::vector<std::string> keys;            // kMultiSelectHash, one per child
  std::vector<std::shared_ptr<const Node>> children;
  std::size_t offset = 0;  // kField: byte offset of its name in the expression text
  int depth = 1;           // height of this subtree
  bool quoted = false;     // kField written as "quoted" (so never a function name)
};

using NodePtr = std::shared_ptr<const Node>;

}  // namespace flow::core::jmespath::detail
