#include "core/report/streamed_report.hpp"

#include "core/check.hpp"

namespace flow::core {

std::string DumpIndented(const Value& value, std::size_t indent) {
  const std::string text = DumpJson(value, 2);
  const std::string shift = "\n" + std::string(indent, ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    if (c == '\n') {
      out += shift;
    } else {
      out += c;
    }
  }
  return out;
}

void WriteSpliced(TextOutput& out, std::string_view text,
                  std::initializer_list<ArraySplice> splices) {
  std::size_t from = 0;
  for (const ArraySplice& splice : splices) {
    std::size_t search = from;
    if (!splice.after.empty()) {
      search = text.find(splice.after, from);
      FLOW_CHECK(search != std::string_view::npos);
    }
    const std::size_t at = text.find(splice.marker, search);
    FLOW_CHECK(at != std::string_view::npos);
    const std::size_t open = at + splice.marker.size() - 2;  // the "[]"
    out.Write(text.substr(from, open - from));
    if (splice.items == nullptr || splice.items->Empty()) {
      out.Write("[]");
    } else {
      out.Write("[\n");
      splice.items->ReplayTo(out);
      out.Write("\n" + std::string(splice.indent, ' ') + "]");
    }
    from = open + 2;
  }
  out.Write(text.substr(from));
}

void AppendArrayItem(TextSpool& to, std::size_t& items, std::size_t indent,
                     std::string_view text) {
  if (items > 0) to.Write(",\n");
  to.Write(std::string(indent, ' '));
  to.Write(text);
  ++items;
}

TextSpool& NestedSteps::At(std::size_t depth) {
  if (levels_.size() <= depth) levels_.resize(depth + 1);
  if (!levels_[depth]) levels_[depth] = spools_.CreateSpool();
  return *levels_[depth];
}

bool NestedSteps::HasChildren(std::size_t depth) const {
  for (std::size_t d = depth + 1; d < levels_.size(); ++d) {
    if (levels_[d] && !levels_[d]->Empty()) return true;
  }
  return false;
}

bool NestedSteps::TakeChildren(std::size_t depth, TextOutput& out) {
  bool any = false;
  for (std::size_t d = depth + 1; d < levels_.size(); ++d) {
    if (!levels_[d] || levels_[d]->Empty()) continue;
    levels_[d]->ReplayTo(out);
    levels_[d]->Clear();
    any = true;
  }
  return any;
}

Result<void> NestedSteps::Status() const {
  for (const auto& level : levels_) {
    if (!level) continue;
    if (Result<void> s = level->Status(); !s) return s;
  }
  return Ok();
}

}  // namespace flow::core
