// The operating system's clock, randomness and environment behind the core's ports.
// SystemClock and ProcessEnvironment are thread-safe; SystemEntropy is one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/ports/clock.hpp"
#include "core/ports/entropy.hpp"
#include "core/ports/environment.hpp"

namespace flow::adapters {

class SystemClock final : public core::Clock {
 public:
  std::int64_t NowUnixMs() override;
  std::int64_t MonotonicUs() override;
  void SleepMs(std::int64_t ms) override;
};

class SystemEntropy final : public core::Entropy {
 public:
  SystemEntropy();
  std::uint64_t Next() override;

 private:
  std::mt19937_64 engine_;
};

// The process environment as it was when constructed, plus `overrides` (.env files) for names
// the process does not define.
class ProcessEnvironment final : public core::Environment {
 public:
  ProcessEnvironment();
  std::optional<std::string> Get(std::string_view name) const override;
  void AddDefaults(const std::vector<std::pair<std::string, std::string>>& pairs);
  std::vector<std::pair<std::string, std::string>> All() const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// Whether a process with this id exists on this machine (it may belong to another user).
bool ProcessExists(std::int64_t pid);
// The PID namespace this process sees ids in ("pid:[4026531836]"; "" when unknown): two processes
// with the same host name in different containers see different process ids.
std::string ProcessNamespace();

// Marks the calling thread as batch work (Linux SCHED_BATCH): the same share of the CPU as any
// other thread, but its wake-ups do not preempt a running thread, so a background writer waking
// for each batch does not push the run's own threads (or the server they talk to) off a core.
// False when the system refused.
bool MarkThreadAsBatchWork();

}  // namespace flow::adapters
