// SpreadThread: a thread that starts on another CPU than the one that creates it, where the
// process may use another. Linux often queues a new thread on its creator's CPU, where it waits
// for the creator to sleep or for the next scheduler tick (4 ms here) while another CPU idles;
// work meant to go on beside the creator's (opening the run history while the suites load) then
// starts late and takes the creator's CPU time. Once started, the thread may run on any CPU the
// process may use. Joined by its destructor, like std::jthread.
#pragma once

#include <functional>
#include <memory>

namespace flow::adapters {

class SpreadThread {
 public:
  SpreadThread();
  // Starts `work` on the new thread. Where no thread can be made (resources), runs it on the
  // calling thread before returning, so the work is never lost.
  explicit SpreadThread(std::function<void()> work);
  ~SpreadThread();
  SpreadThread(SpreadThread&& other) noexcept;
  SpreadThread& operator=(SpreadThread&& other) noexcept;
  SpreadThread(const SpreadThread&) = delete;
  SpreadThread& operator=(const SpreadThread&) = delete;

  bool joinable() const { return started_ != nullptr; }
  void join();

 private:
  struct Started;
  static void* Run(void* started);
  std::unique_ptr<Started> started_;
};

}  // namespace flow::adapters
