// Small helpers the converters share over the strings inside Values and URL text. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/value.hpp"

namespace flow::core::convert {

// `value` with every string in it (not the keys of maps) replaced by `fn(string)`.
Value MapStrings(const Value& value, const std::function<std::string(const std::string&)>& fn);

// Calls `fn` on every string in `value` (not the keys of maps), depth first, in order.
void ForEachString(const Value& value, const std::function<void(const std::string&)>& fn);

// %XX escapes decoded ("a%20b" -> "a b"); nullopt when a '%' starts no valid escape.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace flow::core::convert
