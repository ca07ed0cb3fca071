// InterruptWatcher: turns SIGINT and SIGTERM into a call on a thread of its own, where anything
// may be done (flush a database, print), unlike in a signal handler. After the call the signal
// takes its default action (the process ends with the usual status, 130 for SIGINT); a second
// signal during the call ends the process at once. While no watcher lives, the signals keep their
// previous dispositions, and a signal the process was started ignoring stays ignored.
//
// One watcher at a time per process. Construct it on the main thread.
#pragma once

#include <functional>
#include <thread>

namespace flow::adapters {

class InterruptWatcher {
 public:
  // `on_signal(signal_number)` runs on the watcher's thread.
  explicit InterruptWatcher(std::function<void(int)> on_signal);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  void Watch();

  std::function<void(int)> on_signal_;
  int pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace flow::adapters
