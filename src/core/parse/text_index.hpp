// Helpers over the raw text of a suite file, shared by the YAML and JSON loaders: turning byte
// offsets into 1-based line:column positions, and checking the encoding before any parser runs.
// Columns and lengths count bytes, as the diagnostics renderer does. Plain values,
// thread-compatible.
#pragma once

#include "core/util/strings.hpp"  // AppendUtf8

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace flow::core {

// Where a node of a document starts (byte offset) and how many bytes to underline.
struct RawSpan {
  std::uint32_t pos = 0;
  std::uint32_t length = 0;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  // 1-based line and column of byte `offset` (an offset past the end is the end of the text).
  std::pair<int, int> Locate(std::size_t offset) const;
  SourceSpan Span(const std::string& file, RawSpan span) const;
  // "file:line:col"
  std::string Describe(const std::string& file, std::size_t offset) const;

 private:
  std::size_t size_;
  std::vector<std::size_t> starts_;  // byte offset of the first character of each line
};

// A character that stops a file from being loaded: bytes that are not UTF-8, or (for YAML) a
// code point YAML does not allow in a stream, as js-yaml rejects them.
struct BadCharacter {
  std::size_t offset = 0;
  std::uint32_t code_point = 0;  // meaningless when !valid_utf8
  bool valid_utf8 = true;
};
std::optional<BadCharacter> FindBadCharacter(std::string_view text, bool yaml_rules);

// The error for `bad`, located in `file`.
Error BadCharacterError(const BadCharacter& bad, const std::string& file, const LineIndex& index);

// "U+0007"
std::string CodePointName(std::uint32_t code_point);


}  // namespace flow::core
