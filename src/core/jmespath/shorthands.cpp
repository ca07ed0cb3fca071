#include "core/jmespath/shorthands.hpp"

#include <cctype>

namespace flow::core::jmespath {

std::optional<std::string> QuoteBracketKeys(std::string_view text) {
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool after_name = !out.empty() && (std::isalnum(static_cast<unsigned char>(out.back())) ||
                                             out.back() == '_' || out.back() == ']' || out.back() == '"');
    if (text[i] == '[' && after_name && i + 1 < text.size() && text[i + 1] == '\'') {
      const std::size_t close = text.find('\'', i + 2);
      if (close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == ']') {
        out += ".\"";
        for (const char c : text.substr(i + 2, close - i - 2)) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += '"';
        i = close + 1;
        changed = true;
        continue;
      }
    }
    out += text[i];
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace flow::core::jmespath
