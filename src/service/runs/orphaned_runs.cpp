#include "service/runs/orphaned_runs.hpp"

#include <vector>

#include "service/runs/run_recorder.hpp"

namespace flow::service {

core::Result<std::size_t> FinishOrphanedRuns(Database& db, const std::string& hostname,
                                             const std::string& pid_namespace,
                                             const std::function<bool(std::int64_t)>& alive,
                                             std::int64_t now_ms) {
  // Every run still running first (finishing them changes the list being paged).
  std::vector<RunRecord> running;
  constexpr std::size_t kPage = 500;
  for (std::size_t offset = 0;; offset += kPage) {
    core::Result<std::vector<RunRecord>> page =
        db.runs().ListRuns(RunFilter{.status = RunStatus::kRunning, .limit = kPage, .offset = offset});
    if (!page) return std::move(page).error();
    running.insert(running.end(), page->begin(), page->end());
    if (page->size() < kPage) break;
  }
  std::size_t finished = 0;
  for (const RunRecord& run : running) {
    const Value& payload = run.input_payload;
    if (!payload.is_object()) continue;
    if (payload.value(kPayloadHostname, Value()) != Value(hostname) ||
        payload.value(kPayloadPidNamespace, Value()) != Value(pid_namespace)) {
      continue;  // another machine or container: its process ids mean nothing here
    }
    const auto pid = payload.find(kPayloadPid);
    if (pid == payload.end() || !pid->is_number_integer() || pid->get<std::int64_t>() <= 0) {
      continue;
    }
    if (alive(pid->get<std::int64_t>())) continue;
    const Value fields = {{"node_id", run.node_id}, {"reason", kOrphanReason}};
    FLOW_TRY_VOID(db.runs().AppendEvent(run.id, kRunInterruptedEvent, fields, now_ms));
    FLOW_TRY_VOID(db.runs().FinishRun(run.id, RunStatus::kCancelled,
                                      Value{{kSummaryInterrupted, kOrphanReason}}, now_ms));
    ++finished;
  }
  return finished;
}

}  // namespace flow::service
