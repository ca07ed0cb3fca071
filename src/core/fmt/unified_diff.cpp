#include "core/fmt/unified_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace flow::core {
namespace {

constexpr std::size_t kContext = 3;
// Past this many cells the longest-common-subsequence table is not built: the whole text is one
// change (still a correct diff, only a coarse one).
constexpr std::size_t kMaxCells = 40'000'000;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end + 1 - start));
    start = end + 1;
  }
  return lines;
}

enum class Op : std::uint8_t { kKeep, kRemove, kAdd };
struct Edit {
  Op op;
  std::size_t from;  // index in `a` (kKeep, kRemove)
  std::size_t to;    // index in `b` (kKeep, kAdd)
};

std::vector<Edit> Edits(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  // Common prefix and suffix first: formatting changes are mostly local.
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::size_t n = a.size() - prefix - suffix;
  const std::size_t m = b.size() - prefix - suffix;
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < prefix; ++i) edits.push_back({Op::kKeep, i, i});
  if ((n + 1) * (m + 1) > kMaxCells) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({Op::kRemove, prefix + i, 0});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({Op::kAdd, 0, prefix + j});
  } else {
    // lcs[i][j]: the longest common subsequence of a[i..n) and b[j..m) (middle parts).
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        edits.push_back({Op::kKeep, prefix + i++, prefix + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        edits.push_back({Op::kRemove, prefix + i++, 0});
      } else {
        edits.push_back({Op::kAdd, 0, prefix + j++});
      }
    }
  }
  for (std::size_t k = 0; k < suffix; ++k) {
    edits.push_back({Op::kKeep, a.size() - suffix + k, b.size() - suffix + k});
  }
  return edits;
}

std::string Line(char mark, std::string_view line) {
  std::string out(1, mark);
  out.append(line);
  if (out.back() != '\n') out += "\n\\ No newline at end of file\n";
  return out;
}

std::string Range(std::size_t start, std::size_t count) {
  // diff -u: "start,count", 1-based; an empty range names the line before it.
  const std::size_t first = count == 0 ? start : start + 1;
  return std::to_string(first) + (count == 1 ? "" : "," + std::to_string(count));
}

}  // namespace

std::string UnifiedDiff(std::string_view from, std::string_view to, const std::string& from_name,
                        const std::string& to_name) {
  if (from == to) return "";
  const std::vector<std::string_view> a = SplitLines(from);
  const std::vector<std::string_view> b = SplitLines(to);
  const std::vector<Edit> edits = Edits(a, b);
  std::string out = "--- " + from_name + "\n+++ " + to_name + "\n";
  std::size_t k = 0;
  while (k < edits.size()) {
    // The next change, and its hunk: context before, changes joined while their gap is small.
    while (k < edits.size() && edits[k].op == Op::kKeep) ++k;
    if (k == edits.size()) break;
    const std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != Op::kKeep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].op == Op::kKeep) ++run;
      if (run == edits.size() || run - end > 2 * kContext) {
        end = std::min(end + kContext, edits.size());
        break;
      }
      end = run;
    }
    std::size_t from_start = 0, to_start = 0, from_count = 0, to_count = 0;
    bool first_from = true, first_to = true;
    std::string body;
    for (std::size_t e = start; e < end; ++e) {
      const Edit& edit = edits[e];
      if (edit.op != Op::kAdd) {
        if (first_from) from_start = edit.from, first_from = false;
        ++from_count;
      }
      if (edit.op != Op::kRemove) {
        if (first_to) to_start = edit.to, first_to = false;
        ++to_count;
      }
      switch (edit.op) {
        case Op::kKeep:
          body += Line(' ', a[edit.from]);
          break;
        case Op::kRemove:
          body += Line('-', a[edit.from]);
          break;
        case Op::kAdd:
          body += Line('+', b[edit.to]);
          break;
      }
    }
    if (first_from) {
      // Only additions: the position is after the line before them.
      for (std::size_t e = start; e-- > 0;) {
        if (edits[e].op != Op::kAdd) {
          from_start = edits[e].from + 1;
          break;
        }
      }
    }
    if (first_to) {
      for (std::size_t e = start; e-- > 0;) {
        if (edits[e].op != Op::kRemove) {
          to_start = edits[e].to + 1;
          break;
        }
      }
    }
    out += "@@ -" + Range(from_start, from_count) + " +" + Range(to_start, to_count) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace flow::core
