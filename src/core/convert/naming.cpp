#include "core/convert/naming.hpp"

#include <cctype>

namespace flow::core::convert {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

}  // namespace

std::string Slug(std::string_view text, std::string_view fallback) {
  std::string out;
  bool gap = false;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 0x80) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      gap = true;
    }
  }
  if (out.empty()) return std::string(fallback);
  if (std::isdigit(static_cast<unsigned char>(out.front())) != 0) {
    return std::string(fallback) + "_" + out;
  }
  return out;
}

bool IsIdentifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())) != 0) return false;
  for (const char c : text) {
    if (!IsWordChar(c) || static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Identifier(std::string_view text, std::string_view fallback) {
  std::string out;
  bool gap = false;
  for (const char c : text) {
    if (IsWordChar(c) && static_cast<unsigned char>(c) < 0x80) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += c;
    } else {
      gap = true;
    }
  }
  if (out.empty()) return std::string(fallback);
  if (std::isdigit(static_cast<unsigned char>(out.front())) != 0) out.insert(out.begin(), '_');
  return out;
}

std::string NameSet::Claim(const std::string& wanted, std::string_view separator) {
  std::string name = wanted;
  for (int n = 2; taken_.count(name) != 0; ++n) {
    name = wanted + std::string(separator) + std::to_string(n);
  }
  taken_.insert(name);
  return name;
}

}  // namespace flow::core::convert
