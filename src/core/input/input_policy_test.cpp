#include "core/input/input_policy.hpp"

#include <gtest/gtest.h>

#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

TEST(ParseInputPolicy, KnowsTheThreePolicies) {
  EXPECT_EQ(*ParseInputPolicy("auto"), InputPolicy::kAuto);
  EXPECT_EQ(*ParseInputPolicy(" Fail "), InputPolicy::kFail);
  EXPECT_EQ(*ParseInputPolicy("PROMPT"), InputPolicy::kPrompt);
  Result<InputPolicy> bad = ParseInputPolicy("promt");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "unknown input policy 'promt': expected 'auto', 'fail' or 'prompt'");
  EXPECT_EQ(bad.error().hint, "did you mean 'prompt'?");
  EXPECT_EQ(InputPolicyName(InputPolicy::kAuto), "auto");
}

TEST(IsCiEnvironment, DetectsTheOriginalsVariables) {
  flow::testing::FakeEnvironment env;
  EXPECT_FALSE(IsCiEnvironment(env));
  for (const char* name : {"CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI",
                           "JENKINS_URL", "JEST_WORKER_ID"}) {
    env.vars = {{name, "1"}};
    EXPECT_TRUE(IsCiEnvironment(env)) << name;
    env.vars = {{name, ""}};
    EXPECT_FALSE(IsCiEnvironment(env)) << name;
    env.vars = {{name, "false"}};
    EXPECT_FALSE(IsCiEnvironment(env)) << name;
  }
  for (const char* on : {"true", "1", "YES", "on"}) {
    env.vars = {{"FLOW_TEST_AUTO_INPUT", on}};
    EXPECT_TRUE(IsCiEnvironment(env)) << on;
  }
  env.vars = {{"FLOW_TEST_AUTO_INPUT", "off"}};
  EXPECT_FALSE(IsCiEnvironment(env));
  env.vars = {{"NODE_ENV", "test"}};
  EXPECT_TRUE(IsCiEnvironment(env));
  env.vars = {{"NODE_ENV", "production"}};
  EXPECT_FALSE(IsCiEnvironment(env));
}

}  // namespace
}  // namespace flow::core
