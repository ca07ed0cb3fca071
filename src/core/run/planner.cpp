#include "core/run/planner.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "core/util/path.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool MatchesAny(const std::vector<std::string>& wanted, std::string_view value) {
  const std::string lower = ToLower(value);
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return ToLower(Trim(w)) == lower; });
}

}  // namespace

bool StepMatchesFilter(const Suite& suite, const StepSpec& step, std::string_view wanted) {
  std::string_view id = wanted;
  std::string_view node;
  if (const std::size_t sep = wanted.find("::"); sep != std::string_view::npos) {
    node = wanted.substr(0, sep);
    id = wanted.substr(sep + 2);
  } else if (const std::size_t colon = wanted.find(':'); colon != std::string_view::npos) {
    node = wanted.substr(0, colon);
    id = wanted.substr(colon + 1);
  }
  if (!node.empty() && node != suite.node_id) return false;
  const std::string normalized = NormalizeStepId(id);
  return normalized == step.id || (!step.step_id.empty() && normalized == NormalizeStepId(step.step_id));
}

std::vector<std::string> UnmatchedStepFilters(const std::vector<const Suite*>& suites,
                                              const std::vector<std::string>& step_filter) {
  std::vector<std::string> unmatched;
  for (const std::string& wanted : step_filter) {
    const bool found = std::any_of(suites.begin(), suites.end(), [&](const Suite* suite) {
      return std::any_of(suite->steps.begin(), suite->steps.end(),
                         [&](const StepSpec& step) { return StepMatchesFilter(*suite, step, wanted); });
    });
    if (!found) unmatched.push_back(wanted);
  }
  return unmatched;
}

Result<RunPlan> PlanRun(const std::vector<const Suite*>& discovered, const SuiteFilters& filters,
                        const std::vector<std::string>& priority_levels) {
  RunPlan plan;
  std::vector<const Suite*> selected;
  for (const Suite* suite : discovered) {
    if (!filters.suite_names.empty() && !MatchesAny(filters.suite_names, suite->suite_name)) continue;
    if (!filters.node_ids.empty() && !MatchesAny(filters.node_ids, suite->node_id)) continue;
    if (!filters.priorities.empty() && !MatchesAny(filters.priorities, suite->priority)) continue;
    if (!filters.tags.empty() &&
        std::none_of(suite->tags.begin(), suite->tags.end(),
                     [&](const std::string& tag) { return MatchesAny(filters.tags, tag); })) {
      continue;
    }
    selected.push_back(suite);
  }

  const auto weight = [&](const Suite* s) {
    const std::string p = ToLower(s->priority);
    for (std::size_t i = 0; i < priority_levels.size(); ++i) {
      if (ToLower(priority_levels[i]) == p) return static_cast<int>(priority_levels.size() - i);
    }
    return 0;
  };
  std::stable_sort(selected.begin(), selected.end(), [&](const Suite* a, const Suite* b) {
    if (weight(a) != weight(b)) return weight(a) > weight(b);
    if (a->estimated_duration_ms != b->estimated_duration_ms) {
      return a->estimated_duration_ms < b->estimated_duration_ms;
    }
    return a->suite_name < b->suite_name;
  });

  std::map<std::string, const Suite*> by_node;
  std::map<std::string, const Suite*> by_path;
  for (const Suite* s : selected) {
    by_node.emplace(s->node_id, s);
    by_path.emplace(NormalizePath(s->file), s);
  }
  std::map<const Suite*, std::vector<const Suite*>> edges;
  std::map<std::pair<const Suite*, const Suite*>, bool> required_edges;
  for (const Suite* s : selected) {
    for (const Dependency& dep : s->depends) {
      const Suite* target = nullptr;
      if (!dep.node_id.empty()) {
        if (auto it = by_node.find(dep.node_id); it != by_node.end()) target = it->second;
      } else if (!dep.path.empty()) {
        const std::string candidate = NormalizePath(
            dep.path_type == "absolute" || DirName(s->file).empty() ? dep.path
                                                                    : DirName(s->file) + "/" + dep.path);
        if (auto it = by_path.find(candidate); it != by_path.end()) target = it->second;
      }
      if (target == s) {
        Error e = InvalidArgument("dependency cycle: " + s->node_id + " -> " + s->node_id,
                                  "a suite cannot depend on itself");
        e.where = dep.where;
        return e;
      }
      if (target == nullptr) {
        Error w = NotFound(
            dep.node_id.empty()
                ? "suite '" + s->node_id + "' depends on '" + dep.path +
                      "', but no selected suite is that file; the dependency is ignored"
                : "suite '" + s->node_id + "' depends on '" + dep.node_id +
                      "', which is not among the selected suites; the dependency is ignored");
        w.where = dep.where;
        plan.warnings.push_back(std::move(w));
        continue;
      }
      edges[s].push_back(target);
      required_edges[{s, target}] = required_edges[{s, target}] || dep.required;
    }
  }

  enum class Mark { kNone, kVisiting, kDone };
  std::map<const Suite*, Mark> marks;
  std::vector<const Suite*> stack;
  std::optional<Error> cycle;
  std::function<void(const Suite*)> visit = [&](const Suite* s) {
    if (cycle) return;
    Mark& mark = marks[s];
    if (mark == Mark::kDone) return;
    if (mark == Mark::kVisiting) {
      std::string path;
      const auto start = std::find(stack.begin(), stack.end(), s);
      for (auto it = start; it != stack.end(); ++it) path += (*it)->node_id + " -> ";
      path += s->node_id;
      Error e = InvalidArgument("dependency cycle: " + path);
      if (!s->depends.empty()) e.where = s->depends.front().where;
      cycle = std::move(e);
      return;
    }
    mark = Mark::kVisiting;
    stack.push_back(s);
    for (const Suite* dep : edges[s]) visit(dep);
    stack.pop_back();
    marks[s] = Mark::kDone;
    if (!cycle) plan.suites.push_back(s);
  };
  for (const Suite* s : selected) visit(s);
  if (cycle) return *cycle;
  std::map<const Suite*, std::size_t> position;
  for (std::size_t i = 0; i < plan.suites.size(); ++i) position[plan.suites[i]] = i;
  plan.dependencies.resize(plan.suites.size());
  for (std::size_t i = 0; i < plan.suites.size(); ++i) {
    const Suite* s = plan.suites[i];
    for (const Suite* target : edges[s]) {
      auto& list = plan.dependencies[i];
      const std::size_t at = position[target];
      const bool required = required_edges[{s, target}];
      auto same = std::find_if(list.begin(), list.end(),
                               [&](const PlannedDependency& d) { return d.suite == at; });
      if (same == list.end()) {
        list.push_back(PlannedDependency{.suite = at, .required = required});
      } else {
        same->required = same->required || required;
      }
    }
  }
  return plan;
}

std::string RequiredDependencyFailure(const RunPlan& plan, std::size_t index,
                                      const std::vector<std::optional<SuiteStatus>>& statuses) {
  if (index >= plan.dependencies.size()) return {};
  for (const PlannedDependency& dep : plan.dependencies[index]) {
    if (!dep.required || dep.suite >= statuses.size() || !statuses[dep.suite]) continue;
    const SuiteStatus status = *statuses[dep.suite];
    if (status == SuiteStatus::kSuccess) continue;
    return "required dependency '" + plan.suites[dep.suite]->node_id + "' " +
           (status == SuiteStatus::kSkipped ? "was skipped" : "failed");
  }
  return {};
}

bool StopsRunOnFailure(const Suite& suite, const std::vector<std::string>& required_priorities,
                       bool fail_fast_on_required) {
  if (!fail_fast_on_required) return false;
  return std::find(required_priorities.begin(), required_priorities.end(), suite.priority) !=
         required_priorities.end();
}

}  // namespace flow::core
