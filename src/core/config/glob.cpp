#include "core/config/glob.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

constexpr std::size_t kMaxAlternatives = 256;
// Longer patterns are rejected: brace expansion copies the pattern once per group.
constexpr std::size_t kMaxPatternLength = 4096;
// Bounds the segment table; real patterns and paths are far below it.
constexpr std::size_t kMaxSegments = 4096;

// Index of the ']' closing the class opened at `open`, or npos when the class is unclosed.
std::size_t FindClassEnd(std::string_view p, std::size_t open) {
  std::size_t i = open + 1;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a leading ']' is a member, not the end
  while (i < p.size()) {
    if (p[i] == '\\') {
      i += 2;
    } else if (p[i] == ']') {
      return i;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

// Index of the '}' matching the '{' at `open` (nested groups, escapes and classes skipped), and
// the top-level commas in between; npos when unmatched.
std::size_t FindGroupEnd(std::string_view p, std::size_t open, std::vector<std::size_t>* commas) {
  int depth = 0;
  for (std::size_t i = open; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      const std::size_t end = FindClassEnd(p, i);
      if (end != std::string_view::npos) i = end;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i;
    } else if (c == ',' && depth == 1) {
      commas->push_back(i);
    }
  }
  return std::string_view::npos;
}

// Appends every brace expansion of `p` (whose text before `from` holds no group) to `out`.
// Returns false when there would be more than kMaxAlternatives.
bool Expand(const std::string& p, std::size_t from, std::vector<std::string>& out) {
  for (std::size_t i = from; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
      continue;
    }
    if (p[i] == '[') {
      const std::size_t end = FindClassEnd(p, i);
      if (end != std::string_view::npos) i = end;
      continue;
    }
    if (p[i] != '{') continue;
    std::vector<std::size_t> commas;
    const std::size_t close = FindGroupEnd(p, i, &commas);
    if (close == std::string_view::npos) continue;  // unmatched: a literal '{'
    const std::string prefix = p.substr(0, i);
    const std::string suffix = p.substr(close + 1);
    std::size_t start = i + 1;
    commas.push_back(close);
    for (const std::size_t end : commas) {
      if (!Expand(prefix + p.substr(start, end - start) + suffix, i, out)) return false;
      start = end + 1;
    }
    return true;
  }
  if (out.size() >= kMaxAlternatives) return false;
  out.push_back(p);
  return true;
}

std::vector<std::string_view> Segments(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    const std::string_view segment = text.substr(start, slash - start);
    if (!segment.empty() && segment != ".") out.push_back(segment);
    start = slash + 1;
  }
  return out;
}

std::size_t CodepointLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 1;
  if ((c >> 5) == 0x6)
    n = 2;
  else if ((c >> 4) == 0xE)
    n = 3;
  else if ((c >> 3) == 0x1E)
    n = 4;
  return i + n <= s.size() ? n : 1;
}

std::uint32_t Decode(std::string_view s, std::size_t i, std::size_t n) {
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[k]));
  };
  switch (n) {
    case 2:
      return ((byte(i) & 0x1F) << 6) | (byte(i + 1) & 0x3F);
    case 3:
      return ((byte(i) & 0x0F) << 12) | ((byte(i + 1) & 0x3F) << 6) | (byte(i + 2) & 0x3F);
    case 4:
      return ((byte(i) & 0x07) << 18) | ((byte(i + 1) & 0x3F) << 12) | ((byte(i + 2) & 0x3F) << 6) |
             (byte(i + 3) & 0x3F);
    default:
      return byte(i);
  }
}

// Reads one class member character at p[*i] (an escape counts as its character).
std::uint32_t ReadClassChar(std::string_view p, std::size_t* i) {
  if (p[*i] == '\\' && *i + 1 < p.size()) ++*i;
  const std::size_t n = CodepointLength(p, *i);
  const std::uint32_t cp = Decode(p, *i, n);
  *i += n;
  return cp;
}

// Is `cp` in the class p[open..end] ('[' at open, ']' at end)?
bool ClassContains(std::string_view p, std::size_t open, std::size_t end, std::uint32_t cp) {
  std::size_t i = open + 1;
  bool negated = false;
  if (p[i] == '!' || p[i] == '^') {
    negated = true;
    ++i;
  }
  bool found = false;
  // A ']' right after the opening (and negation) is a member: FindClassEnd skipped it, so it
  // lies before `end`.
  while (i < end) {
    const std::uint32_t low = ReadClassChar(p, &i);
    std::uint32_t high = low;
    if (i + 1 < end && p[i] == '-') {
      ++i;
      high = ReadClassChar(p, &i);
    }
    if (cp >= low && cp <= high) found = true;
  }
  return found != negated;
}

// Matches one pattern element at p[*pi] against the character at s[*si], advancing both.
bool MatchOne(std::string_view p, std::size_t* pi, std::string_view s, std::size_t* si) {
  const char c = p[*pi];
  if (c == '?') {
    *si += CodepointLength(s, *si);
    ++*pi;
    return true;
  }
  if (c == '[') {
    const std::size_t end = FindClassEnd(p, *pi);
    if (end != std::string_view::npos) {
      const std::size_t n = CodepointLength(s, *si);
      if (!ClassContains(p, *pi, end, Decode(s, *si, n))) return false;
      *si += n;
      *pi = end + 1;
      return true;
    }
  }
  char literal = c;
  std::size_t width = 1;
  if (c == '\\' && *pi + 1 < p.size()) {
    literal = p[*pi + 1];
    width = 2;
  }
  if (s[*si] != literal) return false;
  ++*si;
  *pi += width;
  return true;
}

bool StartsWithLiteralDot(std::string_view p) {
  return (!p.empty() && p[0] == '.') || (p.size() > 1 && p[0] == '\\' && p[1] == '.');
}

// One segment, `*` backtracking over code points.
bool MatchSegment(std::string_view p, std::string_view s) {
  if (!s.empty() && s[0] == '.' && !StartsWithLiteralDot(p)) return false;
  std::size_t pi = 0;
  std::size_t si = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
      continue;
    }
    std::size_t next_pi = pi;
    std::size_t next_si = si;
    if (pi < p.size() && MatchOne(p, &next_pi, s, &next_si)) {
      pi = next_pi;
      si = next_si;
      continue;
    }
    if (star == std::string_view::npos) return false;
    pi = star + 1;
    mark += CodepointLength(s, mark);
    si = mark;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool IsHidden(std::string_view segment) { return !segment.empty() && segment[0] == '.'; }

enum class Mode { kExact, kBelow };

// kExact: the pattern matches the path. kBelow: the pattern could match something strictly
// below the path (a directory).
bool MatchSegments(const std::vector<std::string_view>& p, const std::vector<std::string_view>& s,
                   Mode mode) {
  const std::size_t m = p.size();
  const std::size_t n = s.size();
  if (m > kMaxSegments || n > kMaxSegments) return false;
  // dp[i * (n + 1) + j]: pattern segments i.. match path segments j..
  std::vector<char> dp((m + 1) * (n + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> char& { return dp[i * (n + 1) + j]; };
  for (std::size_t i = m + 1; i-- > 0;) {
    for (std::size_t j = n + 1; j-- > 0;) {
      bool value = false;
      if (j == n) {
        if (mode == Mode::kBelow) {
          value = i < m;
        } else {
          value = i == m || (p[i] == "**" && at(i + 1, n));
        }
      } else if (i == m) {
        value = false;
      } else if (p[i] == "**") {
        value = at(i + 1, j) || (!IsHidden(s[j]) && at(i, j + 1));
      } else {
        value = MatchSegment(p[i], s[j]) && at(i + 1, j + 1);
      }
      at(i, j) = value ? 1 : 0;
    }
  }
  return at(0, 0) != 0;
}

std::string_view StripDotSlash(std::string_view pattern) {
  while (pattern.size() >= 2 && pattern[0] == '.' && pattern[1] == '/') pattern.remove_prefix(2);
  return pattern;
}

std::vector<std::string> Alternatives(std::string_view pattern) {
  std::vector<std::string> out;
  if (pattern.size() > kMaxPatternLength) return out;
  if (!Expand(std::string(StripDotSlash(pattern)), 0, out)) out.clear();
  return out;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  const std::vector<std::string_view> path_segments = Segments(path);
  for (const std::string& alternative : Alternatives(pattern)) {
    if (MatchSegments(Segments(alternative), path_segments, Mode::kExact)) return true;
  }
  return false;
}

bool GlobMayMatchUnder(std::string_view pattern, std::string_view directory) {
  const std::vector<std::string_view> path_segments = Segments(directory);
  for (const std::string& alternative : Alternatives(pattern)) {
    if (MatchSegments(Segments(alternative), path_segments, Mode::kBelow)) return true;
  }
  return false;
}

bool GlobMatchesAllUnder(std::string_view pattern, std::string_view directory) {
  const std::vector<std::string_view> path_segments = Segments(directory);
  for (const std::string& alternative : Alternatives(pattern)) {
    const std::vector<std::string_view> segments = Segments(alternative);
    if (segments.empty() || segments.back() != "**") continue;
    if (MatchSegments(segments, path_segments, Mode::kExact)) return true;
  }
  return false;
}

Result<void> CheckGlob(std::string_view pattern) {
  const std::string quoted = "'" + std::string(pattern) + "'";
  if (Trim(pattern).empty()) return InvalidArgument("empty glob pattern");
  if (pattern.size() > kMaxPatternLength) {
    return InvalidArgument("glob pattern longer than " + std::to_string(kMaxPatternLength) +
                           " characters");
  }
  int depth = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 == pattern.size()) {
        return InvalidArgument("glob pattern " + quoted + " ends with '\\'",
                               "write '\\\\' for a literal backslash");
      }
      ++i;
    } else if (c == '[') {
      const std::size_t end = FindClassEnd(pattern, i);
      if (end == std::string_view::npos) {
        return InvalidArgument("unclosed '[' in glob pattern " + quoted,
                               "write '\\[' for a literal bracket");
      }
      i = end;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth == 0) {
        return InvalidArgument("unmatched '}' in glob pattern " + quoted,
                               "write '\\}' for a literal brace");
      }
      --depth;
    }
  }
  if (depth > 0) {
    return InvalidArgument("unclosed '{' in glob pattern " + quoted,
                           "write '\\{' for a literal brace");
  }
  std::vector<std::string> out;
  if (!Expand(std::string(StripDotSlash(pattern)), 0, out)) {
    return InvalidArgument("glob pattern " + quoted + " expands to more than " +
                           std::to_string(kMaxAlternatives) + " alternatives");
  }
  return Ok();
}

}  // namespace flow::core
