#include "adapters/system/system_ports.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace flow::adapters {
namespace {

TEST(SystemPorts, ClockMovesForward) {
  SystemClock clock;
  const std::int64_t a = clock.MonotonicUs();
  const std::int64_t b = clock.MonotonicUs();
  EXPECT_LE(a, b);
  EXPECT_GT(clock.NowUnixMs(), 1'600'000'000'000);
}

TEST(SystemPorts, EntropyDiffersBetweenInstances) {
  SystemEntropy a;
  SystemEntropy b;
  EXPECT_NE(a.Next(), b.Next());
}

TEST(SystemPorts, EnvironmentReadsProcessAndNeverOverridesIt) {
  ::setenv("FLOW_SYSTEM_PORTS_TEST", "from-process", 1);
  ProcessEnvironment env;
  env.AddDefaults({{"FLOW_SYSTEM_PORTS_TEST", "from-dotenv"}, {"FLOW_ONLY_DOTENV", "x"}});
  EXPECT_EQ(env.Get("FLOW_SYSTEM_PORTS_TEST"), "from-process");
  EXPECT_EQ(env.Get("FLOW_ONLY_DOTENV"), "x");
  EXPECT_EQ(env.Get("FLOW_SURELY_UNSET_VARIABLE_123"), std::nullopt);
}

}  // namespace
}  // namespace flow::adapters
