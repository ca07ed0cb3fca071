// What happens to an `input` that no provider answers (the --input-policy of the CLI), and the
// detection of CI environments, where prompts are answered from `ci_default` without asking.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "core/ports/environment.hpp"
#include "core/result.hpp"

namespace flow::core {

enum class InputPolicy {
  kAuto,    // use ci_default, else default, else a select's first option
  kFail,    // a required input fails the step; an optional one takes its default
  kPrompt,  // a person must answer (an interactive provider is required)
};

// "auto", "fail" or "prompt" (case-insensitive, surrounding spaces ignored).
Result<InputPolicy> ParseInputPolicy(std::string_view text);
std::string_view InputPolicyName(InputPolicy policy);

// The original engine's CI detection: FLOW_TEST_AUTO_INPUT in {true, 1, yes, on}, or any of CI,
// CONTINUOUS_INTEGRATION, GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL, JEST_WORKER_ID set to a
// non-empty value other than "false"/"0", or NODE_ENV=test.
bool IsCiEnvironment(const Environment& env);

}  // namespace flow::core
