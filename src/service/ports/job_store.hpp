// JobStore: the queue_job rows behind the job queue. The queue itself (claiming with leases,
// heartbeats, reclaiming stalled jobs) is built on these in a later step; this is what it needs
// from storage, every change conditional where the design says so. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

class JobStore {
 public:
  virtual ~JobStore() = default;
  // id, created_at, updated_at made by the store when empty/0.
  virtual core::Result<JobRecord> CreateJob(JobRecord job) = 0;
  virtual core::Result<std::optional<JobRecord>> FindJob(const std::string& id) = 0;
  // The waiting job of `queue_name` with run_at <= now first by priority (critical first), then
  // run_at, then created_at: leased to `owner` until now + lease_ms, state active, attempts_made
  // + 1, epoch + 1. nullopt when none is waiting. Concurrent claims never get the same job
  // (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE).
  virtual core::Result<std::optional<JobRecord>> ClaimJob(const std::string& queue_name,
                                                          const std::string& owner,
                                                          std::int64_t now,
                                                          std::int64_t lease_ms) = 0;
  // Updates state, last_error, run_at, lease (owner "" releases it) only when the job's epoch is
  // still `epoch`: kConflict otherwise (another worker took it over).
  virtual core::Result<JobRecord> UpdateJob(const std::string& id, std::int64_t epoch,
                                            JobState state, std::string last_error,
                                            std::int64_t run_at, std::int64_t now) = 0;
  virtual core::Result<std::vector<JobRecord>> ListJobs(std::optional<JobState> state,
                                                        std::size_t limit) = 0;
};

}  // namespace flow::service
