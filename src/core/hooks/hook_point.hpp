// The twelve points of a step where hooks run (`hooks_pre_request`, ...), and their YAML keys.
// Plain constants and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace flow::core {

enum class HookPoint {
  kPreInput,
  kPostInput,
  kPreIteration,
  kPostIteration,
  kPreRequest,
  kPostRequest,
  kPreAssertion,
  kPostAssertion,
  kPreCapture,
  kPostCapture,
  kPreCall,
  kPostCall,
};

// Every point, in declaration order: kAllHookPoints[i] is the point at index i of a step's hooks.
inline constexpr HookPoint kAllHookPoints[12] = {
    HookPoint::kPreInput,      HookPoint::kPostInput,     HookPoint::kPreIteration,
    HookPoint::kPostIteration, HookPoint::kPreRequest,    HookPoint::kPostRequest,
    HookPoint::kPreAssertion,  HookPoint::kPostAssertion, HookPoint::kPreCapture,
    HookPoint::kPostCapture,   HookPoint::kPreCall,       HookPoint::kPostCall,
};

// The position of `point` in kAllHookPoints.
constexpr std::size_t HookPointIndex(HookPoint point) { return static_cast<std::size_t>(point); }

// "hooks_pre_input", "hooks_post_input", ..., "hooks_post_call".
std::string_view HookPointKey(HookPoint point);

// The point of a step key ("hooks_pre_request"); nullopt for any other text.
std::optional<HookPoint> HookPointFromKey(std::string_view key);

}  // namespace flow::core
