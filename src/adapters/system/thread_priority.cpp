#include "adapters/system/thread_priority.hpp"

#include <sched.h>

namespace flow::adapters {

// On Linux, pid 0 names the calling thread, not the whole process.
bool RunThisThreadInIdleTime() {
  sched_param param{};
  param.sched_priority = 0;
  return sched_setscheduler(0, SCHED_IDLE, &param) == 0;
}

bool ThisThreadRunsInIdleTime() { return sched_getscheduler(0) == SCHED_IDLE; }

}  // namespace flow::adapters
