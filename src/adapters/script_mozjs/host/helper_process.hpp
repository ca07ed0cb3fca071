// HelperProcess: one running sandbox helper (adapters/script_mozjs/helper) and its channel.
// Launch() spawns it with posix_spawn (safe in a multithreaded parent): argv = {exe, args...,
// "--parent-pid", <our pid>}, an environment of only TZ=UTC, the channel socket on fd 3, /dev/null
// on 0 and 1, stderr into a pipe that a small thread drains (the last 64 KiB are kept for failure
// messages), nothing else inherited; the helper leads its own process group, so a kill reaches
// anything it started. AwaitReady() then waits for its "ready" frame.
//
// The helper kills itself when the THREAD that spawned it ends (PR_SET_PDEATHSIG is per thread),
// so Launch() must run on a thread that outlives the helper: SandboxPool uses one spawner thread.
//
// Exchange() is for one thread at a time (the owner). Kill() may be called from any thread. Any
// failure of Exchange() (timeout, the helper died, a malformed frame) leaves the process killed
// and reaped: the object is then dead and only good for its error. The destructor kills and reaps
// a helper still running, so no zombie or descriptor outlives the object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/script_mozjs/host/sandbox_messages.hpp"
#include "core/result.hpp"

namespace flow::adapters::sandbox {

class HelperProcess {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kStderrKeptBytes = 64 * 1024;

  // Spawns the helper. Errors are kUnavailable with reason kScriptHelperFailed and name the
  // executable.
  static core::Result<std::unique_ptr<HelperProcess>> Launch(
      const std::string& executable, const std::vector<std::string>& args,
      std::chrono::milliseconds start_timeout);
  // Waits until start_timeout after Launch for the "ready" frame; on failure the helper is
  // killed and reaped, and the error (as for Launch) says why, with the helper's stderr.
  core::Result<void> AwaitReady();

  ~HelperProcess();
  HelperProcess(const HelperProcess&) = delete;
  HelperProcess& operator=(const HelperProcess&) = delete;

  // Sends `request` and waits for one reply frame until `deadline`. Failures (all with reason
  // kScriptHelperFailed, the helper then dead): kTimeout when no reply came in time; kUnavailable
  // when the helper died ("…helper was killed by SIGSEGV; its stderr ended with: …") or sent a
  // frame over kMaxReplyBytes.
  core::Result<std::string> Exchange(std::string_view request, Clock::time_point deadline);

  // Sends {"op":"exit"}, waits up to `grace` for the helper to end, then kills it; reaps it.
  void Stop(std::chrono::milliseconds grace);
  // The two halves of Stop(), so several helpers can be stopped with overlapping grace periods.
  void RequestExit();
  void AwaitExit(std::chrono::milliseconds grace) { Reap(grace); }
  // SIGKILLs the helper (and its process group) if it still runs; does not reap. Any thread.
  void Kill();

  pid_t pid() const { return pid_; }
  bool alive() const;  // not yet reaped
  const ReadyInfo& ready() const { return ready_; }
  int scopes_opened() const { return scopes_opened_; }
  void CountScope() { ++scopes_opened_; }

  // The last `max_bytes` of what the helper wrote to stderr, trimmed.
  std::string StderrTail(std::size_t max_bytes) const;

 private:
  HelperProcess() = default;
  void DrainStderr();
  // Waits up to `grace` for the process to end by itself, then SIGKILLs it; reaps it. Returns
  // the waitpid status.
  int Reap(std::chrono::milliseconds grace);
  // Kills, reaps, and describes how the helper ended, with the stderr tail, after `what`.
  std::string Fail(std::string_view what, std::chrono::milliseconds grace);

  std::string executable_;
  pid_t pid_ = -1;
  int channel_ = -1;
  int stderr_ = -1;
  int wake_ = -1;  // eventfd that stops the drain thread
  ReadyInfo ready_;
  std::chrono::milliseconds start_timeout_{0};
  Clock::time_point ready_deadline_;
  int scopes_opened_ = 0;

  mutable std::mutex mutex_;  // guards reaped_, status_ (so Kill never hits a reused pid), stderr
  mutable std::condition_variable stderr_closed_cv_;
  bool reaped_ = false;
  int status_ = 0;
  std::string stderr_tail_;
  bool stderr_closed_ = false;
  std::thread drain_;
};

}  // namespace flow::adapters::sandbox
