#include "core/diagnostic.hpp"

#include <algorithm>

namespace flow::core {
namespace {

std::string_view LineOf(std::string_view source, int line) {
  int current = 1;
  std::size_t start = 0;
  while (current < line) {
    const std::size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
    ++current;
  }
  std::size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string FormatDiagnostic(const Error& error, std::string_view source,
                             std::string_view severity) {
  std::string out;
  if (error.where && !error.where->file.empty()) {
    out += error.where->file;
    if (error.where->line > 0) out += ':' + std::to_string(error.where->line);
    if (error.where->column > 0) out += ':' + std::to_string(error.where->column);
    out += ": ";
  }
  out.append(severity).append(": ").append(error.message).append("\n");
  if (error.where && error.where->line > 0 && !source.empty()) {
    const std::string_view text = LineOf(source, error.where->line);
    if (!text.empty() || error.where->line == 1) {
      const std::string number = std::to_string(error.where->line);
      const std::string gutter(number.size(), ' ');
      out += ' ' + number + " | ";
      // Tabs are kept so the caret line below lines up with them.
      out.append(text).append("\n");
      out += ' ' + gutter + " | ";
      const int column = std::max(1, error.where->column);
      for (int i = 1; i < column && static_cast<std::size_t>(i - 1) < text.size(); ++i) {
        out += text[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
      }
      const int room = static_cast<int>(text.size()) - column + 1;
      const int width = std::clamp(error.where->length, 1, std::max(1, room));
      out.append(static_cast<std::size_t>(width), '^').append("\n");
    }
  }
  if (!error.hint.empty()) out += "  hint: " + error.hint + "\n";
  return out;
}

}  // namespace flow::core
