#include "service/runs/run_history.hpp"

#include <set>

#include "core/run/outcome_json.hpp"
#include "core/util/strings.hpp"
#include "service/runs/run_recorder.hpp"

namespace flow::service {
namespace {

constexpr std::size_t kMinPrefix = 4;
constexpr std::size_t kPage = 500;

std::string Listed(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) out += ", ...";
  return out;
}

}  // namespace

std::vector<StepNode> StepTree(std::vector<StepRunRecord> steps) {
  // pending[d]: the finished steps of depth d whose parent has not come yet.
  std::vector<std::vector<StepNode>> pending;
  for (StepRunRecord& step : steps) {
    const std::size_t depth = step.depth < 0 ? 0 : static_cast<std::size_t>(step.depth);
    if (pending.size() < depth + 2) pending.resize(depth + 2);
    StepNode node{.step = std::move(step)};
    for (std::size_t d = depth + 1; d < pending.size(); ++d) {
      for (StepNode& child : pending[d]) node.children.push_back(std::move(child));
      pending[d].clear();
    }
    pending[depth].push_back(std::move(node));
  }
  std::vector<StepNode> roots;
  for (std::vector<StepNode>& level : pending) {
    for (StepNode& node : level) roots.push_back(std::move(node));
  }
  return roots;
}

core::Result<std::vector<RunRecord>> RunHistory::List(const RunFilter& filter) {
  return db_.runs().ListRuns(filter);
}

template <typename Visit>
core::Result<void> RunHistory::EachRun(RunFilter filter, Visit visit) {
  filter.limit = kPage;
  filter.offset = 0;
  for (;;) {
    core::Result<std::vector<RunRecord>> page = db_.runs().ListRuns(filter);
    if (!page) return std::move(page).error();
    for (const RunRecord& run : *page) {
      if (!visit(run)) return core::Ok();
    }
    if (page->size() < kPage) return core::Ok();
    filter.offset += kPage;
  }
}

core::Result<RunRecord> RunHistory::FindRun(std::string_view id) {
  const std::string wanted = core::ToLower(core::Trim(id));
  if (wanted.empty()) return core::InvalidArgument("name a run by its id");
  core::Result<std::optional<RunRecord>> exact = db_.runs().FindRun(wanted);
  if (!exact) return std::move(exact).error();
  if (*exact) return **exact;
  if (wanted.size() < kMinPrefix) {
    return core::InvalidArgument("'" + wanted + "' is too short a run id prefix",
                                 "give at least " + std::to_string(kMinPrefix) + " characters");
  }
  std::vector<RunRecord> found;
  FLOW_TRY_VOID(EachRun({}, [&](const RunRecord& run) {
    if (core::StartsWith(run.id, wanted)) found.push_back(run);
    return true;
  }));
  if (found.empty()) {
    return core::NotFound("no run '" + wanted + "'", "'flowtest runs list' shows the run ids");
  }
  if (found.size() > 1) {
    std::vector<std::string> ids;
    for (const RunRecord& r : found) ids.push_back(r.id);
    return core::InvalidArgument("'" + wanted + "' names " + std::to_string(found.size()) +
                                     " runs: " + Listed(ids),
                                 "give more characters of the id");
  }
  return found.front();
}

core::Result<std::string> RunHistory::FindBatch(std::string_view id) {
  const std::string wanted = core::ToLower(core::Trim(id));
  if (wanted.empty()) return core::InvalidArgument("name a batch by its id");
  core::Result<std::vector<RunRecord>> exact =
      db_.runs().ListRuns(RunFilter{.batch_id = wanted, .limit = 1});
  if (!exact) return std::move(exact).error();
  if (!exact->empty()) return wanted;
  if (wanted.size() < kMinPrefix) {
    return core::InvalidArgument("'" + wanted + "' is too short a batch id prefix",
                                 "give at least " + std::to_string(kMinPrefix) + " characters");
  }
  std::set<std::string> found;
  FLOW_TRY_VOID(EachRun({}, [&](const RunRecord& run) {
    if (core::StartsWith(run.batch_id, wanted)) found.insert(run.batch_id);
    return true;
  }));
  if (found.empty()) {
    return core::NotFound("no batch '" + wanted + "'", "'flowtest runs list' shows the batch ids");
  }
  if (found.size() > 1) {
    return core::InvalidArgument("'" + wanted + "' names " + std::to_string(found.size()) +
                                     " batches: " +
                                     Listed(std::vector<std::string>(found.begin(), found.end())),
                                 "give more characters of the id");
  }
  return *found.begin();
}

core::Result<RunDetails> RunHistory::Show(const RunRecord& run) {
  RunDetails details{.run = run};
  core::Result<std::optional<VersionRecord>> version = db_.suites().FindVersion(run.version_id);
  if (!version) return std::move(version).error();
  details.version = std::move(*version);
  const Value& summary = run.result_summary;
  if (summary.is_object() && !summary.empty()) {
    core::Result<core::SuiteOutcome> outcome = core::SuiteOutcomeFromJson(summary);
    if (outcome) details.outcome = std::move(*outcome);
    if (const auto errors = summary.find(kSummaryLoadErrors);
        errors != summary.end() && errors->is_array()) {
      for (const Value& e : *errors) {
        if (std::optional<core::Error> error = core::ErrorFromJson(e)) {
          details.load_errors.push_back(std::move(*error));
        }
      }
    }
  }
  core::Result<std::vector<StepRunRecord>> steps = db_.runs().ListSteps(run.id);
  if (!steps) return std::move(steps).error();
  details.steps = StepTree(std::move(*steps));
  core::Result<std::vector<StepLogRecord>> logs = db_.runs().ListLogs(run.id);
  if (!logs) return std::move(logs).error();
  details.logs = std::move(*logs);
  core::Result<std::vector<VariableSnapshotRecord>> variables = db_.runs().ListVariables(run.id);
  if (!variables) return std::move(variables).error();
  details.variables = std::move(*variables);
  return details;
}

core::Result<std::vector<StepRunRecord>> RunHistory::Steps(const std::string& run_id) {
  return db_.runs().ListSteps(run_id);
}

core::Result<std::size_t> RunHistory::CountPurgeable(std::int64_t before) {
  std::size_t count = 0;
  FLOW_TRY_VOID(EachRun(RunFilter{.queued_before = before}, [&](const RunRecord& run) {
    if (IsFinal(run.status)) ++count;
    return true;
  }));
  return count;
}

core::Result<std::size_t> RunHistory::Purge(std::int64_t before) {
  return db_.runs().PurgeRuns(before);
}

}  // namespace flow::service
