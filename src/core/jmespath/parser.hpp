// Builds the tree of a JMESPath expression (a Pratt parser with the binding powers of the
// reference implementation). Function names and arities are checked here, so an unknown function
// or a wrong argument count fails when compiling, not when searching. Pure and thread-safe.
#pragma once

#include <string_view>

#include "core/jmespath/ast.hpp"
#include "core/result.hpp"

namespace flow::core::jmespath::detail {

// Errors: "syntax" (with the column), "unknown-function", "invalid-arity", "invalid-value"
// (a slice step of 0).
Result<NodePtr> Parse(std::string_view text);

}  // namespace flow::core::jmespath::detail
