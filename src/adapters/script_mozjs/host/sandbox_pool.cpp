#include "adapters/script_mozjs/host/sandbox_pool.hpp"

#include <algorithm>
#include <future>
#include <utility>

namespace flow::adapters::sandbox {
namespace {

constexpr std::chrono::milliseconds kExitGrace{300};

core::Error ShutDownError() {
  core::Error error = core::Unavailable("the javascript sandbox is shut down");
  error.reason = core::kScriptHelperFailed;
  return error;
}

}  // namespace

SandboxPool::SandboxPool(SandboxOptions options) : options_(std::move(options)) {}

SandboxPool::~SandboxPool() {
  Shutdown();
  {
    std::lock_guard lock(spawn_mutex_);
    spawner_stop_ = true;
  }
  spawn_cv_.notify_all();
  if (spawner_.joinable()) spawner_.join();
}

core::Result<std::unique_ptr<HelperProcess>> SandboxPool::LaunchOnSpawner() {
  std::promise<core::Result<std::unique_ptr<HelperProcess>>> promise;
  std::future<core::Result<std::unique_ptr<HelperProcess>>> launched = promise.get_future();
  {
    std::lock_guard lock(spawn_mutex_);
    if (!spawner_.joinable()) spawner_ = std::thread([this] { SpawnLoop(); });
    spawn_jobs_.push_back([this, &promise] {
      promise.set_value(HelperProcess::Launch(options_.helper_executable, options_.helper_args,
                                              options_.start_timeout));
    });
  }
  spawn_cv_.notify_one();
  return launched.get();
}

void SandboxPool::SpawnLoop() {
  std::unique_lock lock(spawn_mutex_);
  while (true) {
    spawn_cv_.wait(lock, [this] { return spawner_stop_ || !spawn_jobs_.empty(); });
    if (spawn_jobs_.empty()) return;  // stopping, nothing left to launch
    std::function<void()> job = std::move(spawn_jobs_.front());
    spawn_jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

core::Result<std::unique_ptr<HelperProcess>> SandboxPool::Lease(bool fresh) {
  const int max_helpers = std::max(1, options_.max_helpers);
  std::unique_lock lock(mutex_);
  while (true) {
    if (shut_down_) return ShutDownError();
    if (!fresh && !idle_.empty()) {
      std::unique_ptr<HelperProcess> helper = std::move(idle_.back());
      idle_.pop_back();
      leased_.insert(helper.get());
      return helper;
    }
    if (alive_ < max_helpers) break;
    if (fresh && !idle_.empty()) {
      // At the limit with idle helpers that will not do: stop one to make room.
      std::unique_ptr<HelperProcess> oldest = std::move(idle_.front());
      idle_.erase(idle_.begin());
      lock.unlock();
      Retire(std::move(oldest), true);
      lock.lock();
      continue;
    }
    freed_.wait(lock);
  }
  ++alive_;  // reserved while starting, so concurrent Leases respect max_helpers
  lock.unlock();
  core::Result<std::unique_ptr<HelperProcess>> started = LaunchOnSpawner();
  if (started) {
    if (core::Result<void> ready = (*started)->AwaitReady(); !ready) {
      started = std::move(ready).error();
    }
  }
  lock.lock();
  if (!started) {
    --alive_;
    freed_.notify_one();
    return started;
  }
  if (shut_down_) {
    lock.unlock();
    Retire(std::move(started).value(), false);
    return ShutDownError();
  }
  leased_.insert(started->get());
  return started;
}

void SandboxPool::Return(std::unique_ptr<HelperProcess> helper, bool healthy) {
  if (!helper) return;
  std::unique_lock lock(mutex_);
  leased_.erase(helper.get());
  const bool keep = healthy && !shut_down_ && helper->alive() &&
                    helper->scopes_opened() < options_.recycle_after_scopes &&
                    static_cast<int>(idle_.size()) < options_.idle_helpers;
  if (keep) {
    idle_.push_back(std::move(helper));
    freed_.notify_one();
    return;
  }
  const bool polite = healthy && !shut_down_;
  lock.unlock();
  Retire(std::move(helper), polite);
}

void SandboxPool::Retire(std::unique_ptr<HelperProcess> helper, bool healthy) {
  if (healthy && helper->alive()) {
    helper->Stop(kExitGrace);
  } else {
    helper->Kill();
  }
  helper.reset();  // reaps and joins its stderr thread
  std::lock_guard lock(mutex_);
  --alive_;
  freed_.notify_one();
}

void SandboxPool::Shutdown() {
  std::vector<std::unique_ptr<HelperProcess>> idle;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_ && idle_.empty()) return;
    shut_down_ = true;
    idle.swap(idle_);
    for (HelperProcess* leased : leased_) leased->Kill();
  }
  freed_.notify_all();
  // Ask them all first, then wait, so the grace periods overlap.
  for (const auto& helper : idle) helper->RequestExit();
  const auto deadline = std::chrono::steady_clock::now() + kExitGrace;
  for (auto& helper : idle) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    helper->AwaitExit(std::max(left, std::chrono::milliseconds(0)));
    helper.reset();
  }
  std::lock_guard lock(mutex_);
  alive_ -= static_cast<int>(idle.size());
  freed_.notify_all();
}

int SandboxPool::alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

std::vector<pid_t> SandboxPool::idle_pids() const {
  std::lock_guard lock(mutex_);
  std::vector<pid_t> pids;
  for (const auto& helper : idle_) pids.push_back(helper->pid());
  return pids;
}

}  // namespace flow::adapters::sandbox
