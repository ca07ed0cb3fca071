#include "adapters/system/system_ports.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace flow::adapters {
namespace {

TEST(SystemPorts, ProcessExistsForLiveProcessesOnly) {
  EXPECT_TRUE(ProcessExists(getpid()));
  EXPECT_TRUE(ProcessExists(1));  // init: another user's process still exists
  // A child that has exited and been reaped is gone.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(ProcessExists(child));
  EXPECT_FALSE(ProcessExists(0));
  EXPECT_FALSE(ProcessExists(-5));
  EXPECT_FALSE(ProcessExists(std::int64_t{1} << 40));
  // The namespace those ids are in: the same for this process and its children.
  const std::string ns = ProcessNamespace();
  EXPECT_EQ(ns.rfind("pid:[", 0), 0u) << ns;
  EXPECT_EQ(ns, ProcessNamespace());
}

TEST(SystemPorts, ClockMovesForward) {
  SystemClock clock;
  const std::int64_t a = clock.MonotonicUs();
  const std::int64_t b = clock.MonotonicUs();
  EXPECT_LE(a, b);
  EXPECT_GT(clock.NowUnixMs(), 1'600'000'000'000);
}

TEST(SystemPorts, ABatchWorkThreadIsScheduledAsBatchAndOnlyItself) {
  int policy = -1;
  bool marked = false;
  std::thread worker([&] {
    marked = MarkThreadAsBatchWork();
    policy = sched_getscheduler(0);
  });
  worker.join();
  EXPECT_TRUE(marked);
  EXPECT_EQ(policy, SCHED_BATCH);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);  // the thread that started it is unchanged
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
