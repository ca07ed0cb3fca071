#include "core/parse/text_index.hpp"

#include <algorithm>
#include <cstdio>

namespace flow::core {

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  starts_.push_back(0);
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    starts_.push_back(i + 1);
  }
}

std::pair<int, int> LineIndex::Locate(std::size_t offset) const {
  offset = std::min(offset, size_);
  const auto after = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(after - starts_.begin());  // >= 1
  return {static_cast<int>(line), static_cast<int>(offset - starts_[line - 1]) + 1};
}

SourceSpan LineIndex::Span(const std::string& file, RawSpan span) const {
  const auto [line, column] = Locate(span.pos);
  return SourceSpan{
      .file = file, .line = line, .column = column, .length = static_cast<int>(span.length)};
}

std::string LineIndex::Describe(const std::string& file, std::size_t offset) const {
  const auto [line, column] = Locate(offset);
  return file + ':' + std::to_string(line) + ':' + std::to_string(column);
}

namespace {

// Code points js-yaml refuses in a stream (its PATTERN_NON_PRINTABLE).
bool IsForbiddenInYaml(std::uint32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n' && cp != '\r';
  if (cp >= 0x7F && cp <= 0x9F) return cp != 0x85;
  return cp == 0xFFFE || cp == 0xFFFF;
}

}  // namespace

std::optional<BadCharacter> FindBadCharacter(std::string_view text, bool yaml_rules) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b = bytes[i];
    if (b < 0x80) {
      if (yaml_rules && IsForbiddenInYaml(b)) return BadCharacter{i, b, true};
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2, cp = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3, cp = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4, cp = b & 0x07, min = 0x10000;
    } else {
      return BadCharacter{i, 0, false};
    }
    if (i + length > n) return BadCharacter{i, 0, false};
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char c = bytes[i + k];
      if ((c & 0xC0) != 0x80) return BadCharacter{i, 0, false};
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return BadCharacter{i, 0, false};
    }
    if (yaml_rules && IsForbiddenInYaml(cp)) return BadCharacter{i, cp, true};
    i += length;
  }
  return std::nullopt;
}

std::string CodePointName(std::uint32_t code_point) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code_point));
  return buffer;
}

Error BadCharacterError(const BadCharacter& bad, const std::string& file, const LineIndex& index) {
  Error error =
      bad.valid_utf8
          ? InvalidArgument("the file contains the non-printable character " +
                                CodePointName(bad.code_point) + ", which YAML does not allow",
                            "remove it, or write it as an escape such as \"\\t\" inside "
                            "a double-quoted string")
          : InvalidArgument("the file is not valid UTF-8 text",
                            "save the file as UTF-8; binary data cannot be a suite");
  error.reason = "encoding";
  error.where = index.Span(file, RawSpan{static_cast<std::uint32_t>(bad.offset), 1});
  return error;
}


}  // namespace flow::core
