// Runs that a `flowtest run` left `running` because it was killed with SIGKILL (or its machine
// stopped) before it could record their end. A recorded run's input_payload names the host, the
// process and its PID namespace (run_recorder.hpp); FinishOrphanedRuns finishes every run still
// `running` whose process, on this host and in this namespace, is gone: cancelled, with a
// run_interrupted event and result_summary {"interrupted": "process gone"}, as an interrupted run
// (docs/history.md). Runs of other hosts or containers, of live processes, and runs recorded
// without a process id (by the service) are left as they are; so is a run whose process id a new
// process has taken since (it looks alive).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "service/ports/database.hpp"

namespace flow::service {

inline constexpr const char* kOrphanReason = "process gone";

// Returns how many runs it finished. `alive(pid)` tells whether a process exists on this host.
core::Result<std::size_t> FinishOrphanedRuns(Database& db, const std::string& hostname,
                                             const std::string& pid_namespace,
                                             const std::function<bool(std::int64_t)>& alive,
                                             std::int64_t now_ms);

}  // namespace flow::service
