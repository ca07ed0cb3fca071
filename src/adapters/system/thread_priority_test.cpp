#include "adapters/system/thread_priority.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace flow::adapters {
namespace {

TEST(ThreadPriority, IdleTimeIsForTheCallingThreadOnly) {
  ASSERT_FALSE(ThisThreadRunsInIdleTime());
  bool switched = false;
  bool inside = false;
  std::thread worker([&] {
    switched = RunThisThreadInIdleTime();
    inside = ThisThreadRunsInIdleTime();
  });
  worker.join();
  EXPECT_TRUE(switched);
  EXPECT_TRUE(inside);
  EXPECT_FALSE(ThisThreadRunsInIdleTime());  // the other threads keep theirs
}

}  // namespace
}  // namespace flow::adapters
