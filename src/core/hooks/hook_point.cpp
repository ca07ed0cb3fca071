#include "core/hooks/hook_point.hpp"

#include <iterator>

namespace flow::core {
namespace {

constexpr std::string_view kKeys[] = {
    "hooks_pre_input",   "hooks_post_input",   "hooks_pre_iteration", "hooks_post_iteration",
    "hooks_pre_request", "hooks_post_request", "hooks_pre_assertion", "hooks_post_assertion",
    "hooks_pre_capture", "hooks_post_capture", "hooks_pre_call",      "hooks_post_call",
};
static_assert(std::size(kKeys) == std::size(kAllHookPoints));

}  // namespace

std::string_view HookPointKey(HookPoint point) {
  const std::size_t index = HookPointIndex(point);
  return index < std::size(kKeys) ? kKeys[index] : std::string_view("hooks_unknown");
}

std::optional<HookPoint> HookPointFromKey(std::string_view key) {
  for (std::size_t i = 0; i < std::size(kKeys); ++i) {
    if (kKeys[i] == key) return kAllHookPoints[i];
  }
  return std::nullopt;
}

}  // namespace flow::core
