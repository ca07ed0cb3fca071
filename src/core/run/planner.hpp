// Planner: which of the discovered suites run, and in which order. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model/suite.hpp"
#include "core/result.hpp"
#include "core/run/outcome.hpp"

namespace flow::core {

struct SuiteFilters {
  std::vector<std::string> suite_names;  // --suite: suite_name, case-insensitive
  std::vector<std::string> node_ids;     // --node
  std::vector<std::string> tags;         // --tag: any match
  std::vector<std::string> priorities;   // --priority
};

struct PlannedDependency {
  std::size_t suite = 0;  // index in RunPlan::suites (always before the dependent)
  bool required = false;
};

struct RunPlan {
  std::vector<const Suite*> suites;  // in execution order
  // dependencies[i]: the suites that suites[i] depends on, among the selected ones.
  std::vector<std::vector<PlannedDependency>> dependencies;
  std::vector<Error> warnings;       // dependencies outside the selection, ...
};

// Why suites[index] must not run, given the outcome of each suite so far (indexed like
// plan.suites; nullopt when not finished): a `required` dependency that did not succeed. Empty
// when it may run.
std::string RequiredDependencyFailure(const RunPlan& plan, std::size_t index,
                                      const std::vector<std::optional<SuiteStatus>>& statuses);

// Whether a failure of `suite` stops the run: its priority is one of `required_priorities`
// (config priorities.required) and fail_fast_on_required is on.
bool StopsRunOnFailure(const Suite& suite, const std::vector<std::string>& required_priorities,
                       bool fail_fast_on_required);

// Whether `step` of `suite` is named by one entry of --step: "id", "node::id" or "node:id"
// (ids compared normalised, as step_id or the generated "step-<n>-<name>").
bool StepMatchesFilter(const Suite& suite, const StepSpec& step, std::string_view wanted);

// The entries of `step_filter` that name no step of `suites`: a typo would otherwise skip every
// step and pass.
std::vector<std::string> UnmatchedStepFilters(const std::vector<const Suite*>& suites,
                                              const std::vector<std::string>& step_filter);

// Filters, then orders by priority (the order of `levels`: first is most important), estimated
// duration and name, then moves dependencies (`depends` by node_id or by path) before their
// dependents. A dependency cycle is an error naming the cycle ("a -> b -> a").
Result<RunPlan> PlanRun(const std::vector<const Suite*>& discovered, const SuiteFilters& filters,
                        const std::vector<std::string>& priority_levels);

}  // namespace flow::core
