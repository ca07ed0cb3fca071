// Clock: the only way the core learns the time, or waits. Tests use FakeClock (tests/support).
#pragma once

#include <cstdint>

namespace flow::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowUnixMs() = 0;    // wall clock, for timestamps in results
  virtual std::int64_t MonotonicUs() = 0;  // for durations
  virtual void SleepMs(std::int64_t ms) = 0;  // a step's `delay`
};

}  // namespace flow::core
