// BuildGlobals: the global variables of a run ({{name}} in any suite, lowest precedence after
// runtime, suite and imported variables). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/config.hpp"
#include "core/value.hpp"

namespace flow::core {

// The FLOW_TEST_* variables that steer flowtest itself and never become globals:
//   FLOW_TEST_AUTO_INPUT            answers `input` steps with their defaults (CI mode)
//   FLOW_TEST_USE_STRATEGY_PATTERN  the original's feature flag; no effect
inline constexpr std::string_view kControlVariables[] = {"FLOW_TEST_AUTO_INPUT",
                                                         "FLOW_TEST_USE_STRATEGY_PATTERN"};

inline constexpr std::string_view kGlobalVariablePrefix = "FLOW_TEST_";

bool IsControlVariable(std::string_view name);

// config.globals.variables (in file order), then every FLOW_TEST_<NAME>=value of `environment`
// (in the given order) as `<name>`: prefix stripped, the rest lower-cased (FLOW_TEST_HTTPBIN_URL
// -> httpbin_url). An environment variable replaces a config variable of the same name in
// place; new names are appended. Values from the environment are strings. Skipped: the control
// variables above and a bare "FLOW_TEST_". When two names differ only in case
// (FLOW_TEST_X and FLOW_TEST_x) the later one in `environment` wins.
Value BuildGlobals(const Config& config,
                   const std::vector<std::pair<std::string, std::string>>& environment);

}  // namespace flow::core
