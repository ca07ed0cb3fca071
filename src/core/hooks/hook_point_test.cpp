#include "core/hooks/hook_point.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace flow::core {
namespace {

TEST(HookPoint, EveryPointHasItsStepKeyAndRoundTrips) {
  std::set<std::string> keys;
  for (std::size_t i = 0; i < std::size(kAllHookPoints); ++i) {
    const HookPoint point = kAllHookPoints[i];
    EXPECT_EQ(HookPointIndex(point), i);
    const std::string key(HookPointKey(point));
    EXPECT_EQ(key.rfind("hooks_", 0), 0u) << key;
    keys.insert(key);
    EXPECT_EQ(HookPointFromKey(key), point) << key;
  }
  EXPECT_EQ(keys.size(), 12u);
}

TEST(HookPoint, KeysAreTheOriginalEngines) {
  EXPECT_EQ(HookPointKey(HookPoint::kPreInput), "hooks_pre_input");
  EXPECT_EQ(HookPointKey(HookPoint::kPostIteration), "hooks_post_iteration");
  EXPECT_EQ(HookPointKey(HookPoint::kPreRequest), "hooks_pre_request");
  EXPECT_EQ(HookPointKey(HookPoint::kPostAssertion), "hooks_post_assertion");
  EXPECT_EQ(HookPointKey(HookPoint::kPreCapture), "hooks_pre_capture");
  EXPECT_EQ(HookPointKey(HookPoint::kPostCall), "hooks_post_call");
}

TEST(HookPoint, OtherTextIsNoPoint) {
  EXPECT_EQ(HookPointFromKey("hooks_pre_requests"), std::nullopt);
  EXPECT_EQ(HookPointFromKey("pre_request"), std::nullopt);
  EXPECT_EQ(HookPointFromKey(""), std::nullopt);
  EXPECT_EQ(HookPointFromKey("HOOKS_PRE_REQUEST"), std::nullopt);
}

}  // namespace
}  // namespace flow::core
