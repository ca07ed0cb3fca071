// The policy for tests that read ../shared (conformance data): skip with a message when it is
// absent (a user's fresh clone), fail when FLOW_REQUIRE_SHARED=1 (CI). Tests only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace flow::testing {

inline bool SharedDataRequired() {
  const char* required = std::getenv("FLOW_REQUIRE_SHARED");
  return required != nullptr && std::string(required) == "1";
}

}  // namespace flow::testing

// Skips the test (or fails it, when the shared data is required) with `reason`.
#define FLOW_SKIP_OR_FAIL_MISSING_SHARED(reason)                       \
  do {                                                                 \
    if (::flow::testing::SharedDataRequired()) {                       \
      FAIL() << (reason) << " (FLOW_REQUIRE_SHARED=1)";                \
    }                                                                  \
    GTEST_SKIP() << (reason);                                          \
  } while (0)
