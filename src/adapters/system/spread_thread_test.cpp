#include "adapters/system/spread_thread.hpp"

#include <pthread.h>
#include <sched.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <utility>

namespace flow::adapters {
namespace {

cpu_set_t AffinityOfThisThread() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  return set;
}

TEST(SpreadThread, RunsTheWorkOnAnotherThreadAndJoinsIt) {
  std::atomic<int> runs{0};
  std::thread::id ran_on;
  {
    SpreadThread thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ran_on = std::this_thread::get_id();
      runs.fetch_add(1);
    });
    EXPECT_TRUE(thread.joinable());
  }  // the destructor waits for the work
  EXPECT_EQ(runs.load(), 1);
  EXPECT_NE(ran_on, std::this_thread::get_id());

  SpreadThread moved([&] { runs.fetch_add(1); });
  SpreadThread to(std::move(moved));
  EXPECT_FALSE(moved.joinable());  // NOLINT(bugprone-use-after-move): moved-from is empty
  to.join();
  EXPECT_FALSE(to.joinable());
  EXPECT_EQ(runs.load(), 2);
  to = SpreadThread([&] { runs.fetch_add(1); });
  to = SpreadThread();  // joins the one it held
  EXPECT_EQ(runs.load(), 3);
}

// Linux queues about half of new threads on their creator's CPU (seen on a 2-CPU VM: they
// started 4 ms later, at the next tick); a SpreadThread starts elsewhere, then may run anywhere
// its creator may.
TEST(SpreadThread, StartsOnAnotherCpuThenMayUseAllOfThem) {
  const cpu_set_t allowed = AffinityOfThisThread();
  const int cpus = CPU_COUNT(&allowed);
  for (int i = 0; i < 20; ++i) {
    // The creator keeps its CPU busy (so it stays there) while it makes the thread.
    std::atomic<bool> started{false};
    int started_on = -1;
    cpu_set_t inside;
    CPU_ZERO(&inside);
    const int here = sched_getcpu();
    SpreadThread thread([&] {
      started_on = sched_getcpu();
      inside = AffinityOfThisThread();
      started.store(true);
    });
    while (!started.load()) {
    }
    const bool creator_stayed = sched_getcpu() == here;
    thread.join();
    EXPECT_TRUE(CPU_EQUAL(&inside, &allowed)) << "the thread keeps a narrower affinity";
    if (cpus >= 2 && creator_stayed) {
      EXPECT_NE(started_on, here) << "the thread started on its creator's CPU " << here;
    } else if (cpus < 2) {
      EXPECT_EQ(started_on, here);  // one CPU: nowhere else to start
    }
  }
}

}  // namespace
}  // namespace flow::adapters
