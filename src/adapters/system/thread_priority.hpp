// Scheduling of the calling thread (Linux: each thread has its own policy).
#pragma once

namespace flow::adapters {

// Puts the calling thread in the SCHED_IDLE class: it runs only on CPU time nothing else of
// normal priority wants, and gives the CPU up at once when such a thread wakes. For background
// work that must not delay the work in front (the run history's writer, whose CPU otherwise
// slowed the run it records by 15-20%: bench/README.md). Such a thread can be starved on a busy
// machine, so work that must get done needs another way forward (RunRecorder: the run's thread
// writes the backlog). False when the system refused.
bool RunThisThreadInIdleTime();

// Whether the calling thread is in the SCHED_IDLE class.
bool ThisThreadRunsInIdleTime();

}  // namespace flow::adapters
