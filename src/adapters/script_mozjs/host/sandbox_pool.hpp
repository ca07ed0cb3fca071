// SandboxPool: the helper processes of one SandboxScriptEngine. Started lazily (nothing runs
// until the first Lease), it hands out idle helpers before starting new ones, keeps at most
// `max_helpers` alive (Lease waits beyond that), at most `idle_helpers` idle, and retires a
// helper after `recycle_after_scopes` sessions. Thread-safe.
//
// Shutdown() (also run by the destructor) stops the idle helpers ({"op":"exit"}, a short grace,
// then SIGKILL) and kills the leased ones; those are reaped when their holder gives them back,
// and Lease fails from then on.
//
// Helpers are spawned on one spawner thread owned by the pool, because a helper dies with the
// thread that spawned it (PR_SET_PDEATHSIG): a session opened on a short-lived worker thread
// must keep its helper after that thread ends. The caller's thread then waits for "ready", so
// helpers still start in parallel.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/script_mozjs/host/helper_process.hpp"
#include "adapters/script_mozjs/host/sandbox_options.hpp"
#include "core/result.hpp"

namespace flow::adapters::sandbox {

class SandboxPool {
 public:
  explicit SandboxPool(SandboxOptions options);
  ~SandboxPool();
  SandboxPool(const SandboxPool&) = delete;
  SandboxPool& operator=(const SandboxPool&) = delete;

  // An idle helper (the most recently used) or a new one. `fresh` skips the idle ones. Errors
  // are kUnavailable with reason kScriptHelperFailed.
  core::Result<std::unique_ptr<HelperProcess>> Lease(bool fresh = false);
  // Gives a leased helper back: kept idle when `healthy` and there is room, else stopped.
  void Return(std::unique_ptr<HelperProcess> helper, bool healthy);
  void Shutdown();

  const SandboxOptions& options() const { return options_; }
  int alive() const;  // helpers running or being started
  std::vector<pid_t> idle_pids() const;

 private:
  void Retire(std::unique_ptr<HelperProcess> helper, bool healthy);
  // Runs HelperProcess::Launch on the spawner thread (started at the first call).
  core::Result<std::unique_ptr<HelperProcess>> LaunchOnSpawner();
  void SpawnLoop();

  const SandboxOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<HelperProcess>> idle_;
  std::set<HelperProcess*> leased_;
  int alive_ = 0;
  bool shut_down_ = false;

  std::mutex spawn_mutex_;
  std::condition_variable spawn_cv_;
  std::deque<std::function<void()>> spawn_jobs_;
  bool spawner_stop_ = false;
  std::thread spawner_;
};

}  // namespace flow::adapters::sandbox
