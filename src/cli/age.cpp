#include "cli/age.hpp"

#include <charconv>
#include <string>

namespace flow::cli {

core::Result<std::int64_t> ParseAge(std::string_view text, std::string_view option) {
  const auto invalid = [&] {
    return core::InvalidArgument(
        std::string(option) + " takes an age such as 30d, 12h or 2w, got '" + std::string(text) + "'",
        "units: s (seconds), m (minutes), h (hours), d (days), w (weeks)");
  };
  if (text.size() < 2) return invalid();
  std::int64_t unit_ms = 0;
  switch (text.back()) {
    case 's': unit_ms = 1'000; break;
    case 'm': unit_ms = 60'000; break;
    case 'h': unit_ms = 3'600'000; break;
    case 'd': unit_ms = 86'400'000; break;
    case 'w': unit_ms = 7 * 86'400'000LL; break;
    default: return invalid();
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::int64_t count = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size() || count <= 0) return invalid();
  constexpr std::int64_t kMaxMs = 100LL * 366 * 86'400'000;
  if (count > kMaxMs / unit_ms) return invalid();
  return count * unit_ms;
}

}  // namespace flow::cli
