// The five JMESPath error kinds as flowtest Errors: code kInvalidArgument, `reason` set to the
// kind's name from the specification. Pure helpers, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace flow::core::jmespath::detail {

inline constexpr std::string_view kSyntax = "syntax";
inline constexpr std::string_view kInvalidType = "invalid-type";
inline constexpr std::string_view kInvalidArity = "invalid-arity";
inline constexpr std::string_view kInvalidValue = "invalid-value";
inline constexpr std::string_view kUnknownFunction = "unknown-function";

Error JmesPathError(std::string_view kind, std::string message, std::string hint = {});

// "<message> at column N", N the 1-based character (not byte) position of `offset` in `text`.
Error SyntaxError(std::string_view text, std::size_t offset, std::string_view message);

// 1-based column of byte `offset` in `text`, counting UTF-8 characters.
int ColumnOf(std::string_view text, std::size_t offset);

}  // namespace flow::core::jmespath::detail
