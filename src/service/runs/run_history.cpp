#include "service/runs/run_history.hpp"

#include <charconv>
#include <chrono>
#include <limits>
#include <set>

#include "core/run/outcome_json.hpp"
#include "core/util/strings.hpp"
#include "service/runs/run_recorder.hpp"

namespace flow::service {
namespace {

constexpr std::size_t kMinPrefix = 4;
constexpr std::size_t kPage = 500;

bool IsFinal(RunStatus status) {
  return status == RunStatus::kCompleted || status == RunStatus::kFailed ||
         status == RunStatus::kCancelled;
}

std::string Listed(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) out += ", ...";
  return out;
}

}  // namespace

core::Result<std::int64_t> ParseAge(std::string_view text) {
  const auto bad = [&] {
    return core::InvalidArgument("'" + std::string(text) +
                                     "' is not an age: write a whole number and a unit, "
                                     "d (days), h (hours) or m (minutes)",
                                 "for example 30d, 12h or 90m");
  };
  if (text.size() < 2) return bad();
  std::int64_t unit_ms = 0;
  switch (text.back()) {
    case 'd': unit_ms = 24LL * 60 * 60 * 1000; break;
    case 'h': unit_ms = 60LL * 60 * 1000; break;
    case 'm': unit_ms = 60LL * 1000; break;
    default: return bad();
  }
  const std::string_view number = text.substr(0, text.size() - 1);
  if (number.front() < '0' || number.front() > '9') return bad();  // no sign, no space
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc() && n > std::numeric_limits<std::int64_t>::max() / unit_ms)) {
    return core::InvalidArgument("'" + std::string(text) + "' is too long an age");
  }
  if (ec != std::errc() || end != number.data() + number.size()) return bad();
  if (n == 0) return core::InvalidArgument("an age of 0 (" + std::string(text) + ") selects nothing",
                                           "for example 30d, 12h or 90m");
  return n * unit_ms;
}

core::Result<std::int64_t> ParseSince(std::string_view text, std::int64_t now_ms) {
  const std::string_view given = core::Trim(text);
  if (given.size() < 10 || given[4] != '-') {
    core::Result<std::int64_t> age = ParseAge(given);
    if (!age) {
      core::Error e = std::move(age).error();
      e.hint = "give an age (30d, 12h, 90m) or a UTC date (2026-12-01, 2026-12-01T08:30)";
      return e;
    }
    return now_ms - *age;
  }
  // YYYY-MM-DD, then optionally THH:MM, :SS and Z.
  const auto bad = [&] {
    return core::InvalidArgument("'" + std::string(given) + "' is not a date",
                                 "write 2026-12-01, 2026-12-01T08:30 or 2026-12-01T08:30:15Z (UTC)");
  };
  const auto number = [&](std::size_t at, std::size_t digits, int& value) {
    if (at + digits > given.size()) return false;
    const auto [end, ec] = std::from_chars(given.data() + at, given.data() + at + digits, value);
    return ec == std::errc() && end == given.data() + at + digits;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(0, 4, year) || given[7] != '-' || !number(5, 2, month) || !number(8, 2, day)) {
    return bad();
  }
  std::size_t at = 10;
  if (at < given.size() && (given[at] == 'T' || given[at] == ' ')) {
    if (!number(at + 1, 2, hour) || at + 3 >= given.size() || given[at + 3] != ':' ||
        !number(at + 4, 2, minute)) {
      return bad();
    }
    at += 6;
    if (at < given.size() && given[at] == ':') {
      if (!number(at + 1, 2, second)) return bad();
      at += 3;
    }
  }
  if (at < given.size() && given[at] == 'Z') ++at;
  if (at != given.size()) return bad();
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return bad();
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return ((days * 24 + hour) * 60 + minute) * 60'000LL + second * 1000LL;
}

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
