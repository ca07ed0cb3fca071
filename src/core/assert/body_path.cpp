#include "core/assert/body_path.hpp"

#include <algorithm>
#include <charconv>

#include "core/util/strings.hpp"

namespace flow::core::assertion {
namespace {

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}
bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

std::optional<std::uint32_t> ParseHex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + 4, value, 16);
  if (ec != std::errc() || end != text.data() + at + 4) return std::nullopt;
  return value;
}

// A JSON-style quoted identifier starting at text[i] == '"'; advances i past the closing quote.
std::optional<std::string> ParseQuoted(std::string_view text, std::size_t& i) {
  std::string out;
  ++i;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    const char e = text[i + 1];
    i += 2;
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::optional<std::uint32_t> cp = ParseHex4(text, i);
        if (!cp) return std::nullopt;
        i += 4;
        if (*cp >= 0xD800 && *cp <= 0xDBFF) {
          if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return std::nullopt;
          const std::optional<std::uint32_t> low = ParseHex4(text, i + 2);
          if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
          i += 6;
          *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
        } else if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
          return std::nullopt;
        }
        AppendUtf8(out, *cp);
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseIndex(std::string_view text, std::size_t& i) {
  const std::size_t close = text.find(']', i);
  if (close == std::string_view::npos || close == i) return std::nullopt;
  std::int64_t value = 0;
  const char* first = text.data() + i;
  const char* last = text.data() + close;
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last) return std::nullopt;
  i = close + 1;
  return value;
}

std::optional<std::string> ParseIdentifier(std::string_view text, std::size_t& i) {
  if (i >= text.size()) return std::nullopt;
  if (text[i] == '"') return ParseQuoted(text, i);
  if (!IsIdentifierStart(text[i])) return std::nullopt;
  const std::size_t start = i;
  while (i < text.size() && IsIdentifierChar(text[i])) ++i;
  return std::string(text.substr(start, i - start));
}

}  // namespace

namespace {

// A plain dotted key as JMESPath: a segment of digits is an index (`items.0` -> `items[0]`, as
// in {{items.0}}), a segment starting with a digit is a quoted name (`1x` -> `"1x"`); empty
// segments are kept, so `a..b` stays invalid and is reported.
// Calls f(segment, is_first) for each '.'-separated segment of `key`, empty ones included.
template <typename F>
void ForEachDotSegment(std::string_view key, F f) {
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    f(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start),
      start == 0);
    if (dot == std::string_view::npos) return;
    start = dot + 1;
  }
}

std::string PlainKeyToPath(std::string_view key) {
  std::string out;
  ForEachDotSegment(key, [&out](std::string_view segment, bool first) {
    const bool digits = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (digits) {
      out += "[" + std::string(segment) + "]";
    } else {
      if (!first) out += '.';
      if (!segment.empty() && segment.front() >= '0' && segment.front() <= '9') {
        out += "\"" + std::string(segment) + "\"";
      } else {
        out += segment;
      }
    }
  });
  return out;
}

}  // namespace

std::string KeyToPathSegment(std::string_view key) {
  bool plain = true;
  for (const char c : key) plain = plain && IsPathChar(c);
  if (plain && !key.empty()) return PlainKeyToPath(key);
  const bool jmespath_syntax =
      key.find("[*") != std::string_view::npos || key.find("[?") != std::string_view::npos ||
      key.find("@.") != std::string_view::npos || key.find(']') != std::string_view::npos ||
      key.find(".\"") != std::string_view::npos || (!key.empty() && key.front() == '"');
  bool indexed = false;
  for (std::size_t i = 0; i + 1 < key.size(); ++i) {
    indexed = indexed || (key[i] == '[' && key[i + 1] >= '0' && key[i + 1] <= '9');
  }
  if (jmespath_syntax || indexed) return std::string(key);
  if (key.find('.') != std::string_view::npos && key.find('"') == std::string_view::npos &&
      key.find("..") == std::string_view::npos && key.front() != '.' && key.back() != '.') {
    // A dotted path with odd names: each segment on its own (`headers.X-Name`).
    std::string out;
    ForEachDotSegment(key, [&out](std::string_view segment, bool) {
      out = JoinPath(out, KeyToPathSegment(segment));
    });
    return out;
  }
  std::string out = "\"";
  for (const char c : key) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string JoinPath(std::string_view prefix, std::string_view segment) {
  if (prefix.empty()) return std::string(segment);
  if (!segment.empty() && segment.front() == '[') return std::string(prefix) + std::string(segment);
  return std::string(prefix) + "." + std::string(segment);
}

std::optional<std::vector<PathStep>> ParseSimplePath(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  bool expect_identifier = true;  // at the start, or right after a '.'
  while (i < path.size()) {
    if (path[i] == '[') {
      if (expect_identifier && !steps.empty()) return std::nullopt;  // "a.[0]" is a multiselect
      ++i;
      const std::optional<std::int64_t> index = ParseIndex(path, i);
      if (!index) return std::nullopt;
      steps.emplace_back(*index);
      expect_identifier = false;
      continue;
    }
    if (expect_identifier) {
      std::optional<std::string> name = ParseIdentifier(path, i);
      if (!name) return std::nullopt;
      steps.emplace_back(std::move(*name));
      expect_identifier = false;
      continue;
    }
    if (path[i] != '.') return std::nullopt;
    ++i;
    expect_identifier = true;
    if (i >= path.size()) return std::nullopt;
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

bool IsPresent(const Value& data, const std::vector<PathStep>& steps) {
  const Value* current = &data;
  for (const PathStep& step : steps) {
    if (const std::string* name = std::get_if<std::string>(&step)) {
      if (!current->is_object()) return false;
      const auto found = current->find(*name);
      if (found == current->end()) return false;
      current = &*found;
      continue;
    }
    const std::int64_t index = std::get<std::int64_t>(step);
    if (!current->is_array()) return false;
    const auto size = static_cast<std::int64_t>(current->size());
    const std::int64_t at = index < 0 ? size + index : index;
    if (at < 0 || at >= size) return false;
    current = &(*current)[static_cast<std::size_t>(at)];
  }
  return true;
}

}  // namespace flow::core::assertion
