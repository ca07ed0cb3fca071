#include "core/jmespath/errors.hpp"

#include <utility>

namespace flow::core::jmespath::detail {

Error JmesPathError(std::string_view kind, std::string message, std::string hint) {
  Error error = InvalidArgument(std::move(message), std::move(hint));
  error.reason = std::string(kind);
  return error;
}

int ColumnOf(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Error SyntaxError(std::string_view text, std::size_t offset, std::string_view message) {
  return JmesPathError(
      kSyntax, std::string(message) + " at column " + std::to_string(ColumnOf(text, offset)));
}

}  // namespace flow::core::jmespath::detail
