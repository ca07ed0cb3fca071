#include "core/input/input_policy.hpp"

#include <string>

#include "core/util/strings.hpp"

namespace flow::core {

Result<InputPolicy> ParseInputPolicy(std::string_view text) {
  const std::string name = ToLower(Trim(text));
  if (name == "auto") return InputPolicy::kAuto;
  if (name == "fail") return InputPolicy::kFail;
  if (name == "prompt") return InputPolicy::kPrompt;
  Error e = InvalidArgument(
      "unknown input policy '" + std::string(text) + "': expected 'auto', 'fail' or 'prompt'",
      DidYouMean(name, {"auto", "fail", "prompt"}));
  e.reason = "invalid-input-policy";
  return e;
}

std::string_view InputPolicyName(InputPolicy policy) {
  switch (policy) {
    case InputPolicy::kAuto:
      return "auto";
    case InputPolicy::kFail:
      return "fail";
    case InputPolicy::kPrompt:
      return "prompt";
  }
  return "fail";
}

bool IsCiEnvironment(const Environment& env) {
  if (const auto auto_input = env.Get("FLOW_TEST_AUTO_INPUT")) {
    const std::string v = ToLower(Trim(*auto_input));
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  }
  // The original tests JavaScript truthiness, so CI=false counted as CI; an explicit "false" or
  // "0" switches it off here.
  for (const char* name : {"CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI",
                           "JENKINS_URL", "JEST_WORKER_ID"}) {
    const auto value = env.Get(name);
    if (!value || value->empty()) continue;
    const std::string v = ToLower(Trim(*value));
    if (v == "false" || v == "0") continue;
    return true;
  }
  const auto node_env = env.Get("NODE_ENV");
  return node_env && *node_env == "test";
}

}  // namespace flow::core
