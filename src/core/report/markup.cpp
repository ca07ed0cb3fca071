#include "core/report/markup.hpp"

#include <cstdint>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool AllowedInXml(std::uint32_t cp) {
  if (cp < 0x20) return cp == 0x09 || cp == 0x0A || cp == 0x0D;
  return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const std::uint32_t cp = DecodeUtf8At(text, i, len);
    if (AllowedInXml(cp)) {
      switch (cp) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        // An invalid byte decodes as U+FFFD (length 1): write the character, not the byte.
        default: out.append(cp == 0xFFFD && len == 1 ? std::string_view("\xEF\xBF\xBD")
                                                     : text.substr(i, len));
      }
    }
    i += len;
  }
  return out;
}

std::string TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  out += "… (" + std::to_string(text.size() - cut) + " more bytes)";
  return out;
}

}  // namespace flow::core
