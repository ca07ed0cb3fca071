#include "core/convert/value_strings.hpp"

namespace flow::core::convert {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Value MapStrings(const Value& value, const std::function<std::string(const std::string&)>& fn) {
  if (value.is_string()) return fn(value.get_ref<const std::string&>());
  if (value.is_object()) {
    Value out = Value::object();
    for (auto it = value.begin(); it != value.end(); ++it)
      out[it.key()] = MapStrings(it.value(), fn);
    return out;
  }
  if (value.is_array()) {
    Value out = Value::array();
    for (const Value& item : value) out.push_back(MapStrings(item, fn));
    return out;
  }
  return value;
}

void ForEachString(const Value& value, const std::function<void(const std::string&)>& fn) {
  if (value.is_string()) {
    fn(value.get_ref<const std::string&>());
  } else if (value.is_object() || value.is_array()) {
    for (const Value& item : value) ForEachString(item, fn);
  }
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || HexDigit(text[i + 1]) < 0 || HexDigit(text[i + 2]) < 0)
      return std::nullopt;
    out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace flow::core::convert
