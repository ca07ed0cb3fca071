// RunHistory: what the recorded runs can be asked (`flowtest runs ...`, docs/history.md): lists
// with filters and paging, one run with its steps as a tree, its steps, purging old runs; ids
// given whole or by a unique prefix (like git). Read-only but for Purge. Thread-compatible
// (the database is thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"
#include "service/ports/database.hpp"

namespace flow::service {

// A step run and the steps that ran inside it (iterations, nested and called steps), in order.
struct StepNode {
  StepRunRecord step;
  std::vector<StepNode> children;
};

// The steps of a run (in seq order: children before their parent) as trees under the top-level
// steps. Children whose parent was not recorded stay at the top, where they came.
std::vector<StepNode> StepTree(std::vector<StepRunRecord> steps);

struct RunDetails {
  RunRecord run;
  std::optional<VersionRecord> version;
  // The result_summary read back: set once the run has ended (a suite file that could not be
  // loaded has one too, with load_errors).
  std::optional<core::SuiteOutcome> outcome;
  std::vector<core::Error> load_errors;
  std::vector<StepNode> steps;
  std::vector<StepLogRecord> logs;
  std::vector<VariableSnapshotRecord> variables;
};

class RunHistory {
 public:
  explicit RunHistory(Database& database) : db_(database) {}

  core::Result<std::vector<RunRecord>> List(const RunFilter& filter);
  // The run whose id is `id`, or the one whose id starts with it (at least 4 characters).
  // kNotFound when none; kInvalidArgument when the prefix is too short or names several runs
  // (the message lists some).
  core::Result<RunRecord> FindRun(std::string_view id);
  // The batch whose id is `id` or starts with it (the same rules), from its runs.
  core::Result<std::string> FindBatch(std::string_view id);
  core::Result<RunDetails> Show(const RunRecord& run);
  core::Result<std::vector<StepRunRecord>> Steps(const std::string& run_id);
  // How many runs Purge(before) deletes now: those queued before `before` that have ended.
  core::Result<std::size_t> CountPurgeable(std::int64_t before);
  core::Result<std::size_t> Purge(std::int64_t before);

 private:
  // Every run (newest first, page by page) until `visit` returns false.
  template <typename Visit>
  core::Result<void> EachRun(RunFilter filter, Visit visit);

  Database& db_;
};

}  // namespace flow::service
