#include "adapters/system/system_ports.hpp"

#include <sched.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <limits>
#include <thread>

extern char** environ;  // NOLINT: POSIX

namespace flow::adapters {

std::int64_t SystemClock::NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t SystemClock::MonotonicUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SystemClock::SleepMs(std::int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

SystemEntropy::SystemEntropy() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device()};
  engine_.seed(seed);
}

std::uint64_t SystemEntropy::Next() { return engine_(); }

ProcessEnvironment::ProcessEnvironment() {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    vars_.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
}

std::optional<std::string> ProcessEnvironment::Get(std::string_view name) const {
  const auto found = vars_.find(name);
  if (found == vars_.end()) return std::nullopt;
  return found->second;
}

void ProcessEnvironment::AddDefaults(const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [name, value] : pairs) vars_.emplace(name, value);  // never overrides
}

std::vector<std::pair<std::string, std::string>> ProcessEnvironment::All() const {
  return {vars_.begin(), vars_.end()};
}

std::string ProcessNamespace() {
  char target[128] = {};
  const ssize_t n = readlink("/proc/self/ns/pid", target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

bool MarkThreadAsBatchWork() {
  const sched_param param{};
  return sched_setscheduler(0, SCHED_BATCH, &param) == 0;  // 0: the calling thread
}

bool ProcessExists(std::int64_t pid) {
  if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace flow::adapters
