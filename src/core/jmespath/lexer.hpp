// Splits JMESPath text into tokens. Pure and thread-safe; the result borrows nothing from the
// text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core::jmespath::detail {

enum class TokenKind {
  kEof,
  kUnquotedIdentifier,  // foo
  kQuotedIdentifier,    // "foo"
  kLiteral,             // `json` or 'raw string'
  kNumber,              // -12
  kDot,
  kStar,
  kFlatten,  // []
  kFilter,   // [?
  kLbracket,
  kRbracket,
  kLbrace,
  kRbrace,
  kLparen,
  kRparen,
  kComma,
  kColon,
  kPipe,
  kOr,
  kAnd,
  kNot,
  kExpref,   // &
  kCurrent,  // @
  kEq,
  kNe,
  kLt,
  kLte,
  kGt,
  kGte,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::size_t offset = 0;   // byte offset of the first character in the expression text
  std::string text;         // identifiers: the (decoded) name; other tokens: as written
  Value literal;            // kLiteral
  std::int64_t number = 0;  // kNumber, saturated to +-2^62 so index arithmetic cannot overflow
};

// The tokens of `text`, always ending with one kEof token; a "syntax" error names the column.
Result<std::vector<Token>> Tokenize(std::string_view text);

// How a token kind is shown in error messages: "']'", "end of expression", "identifier".
std::string DescribeToken(const Token& token);

}  // namespace flow::core::jmespath::detail
