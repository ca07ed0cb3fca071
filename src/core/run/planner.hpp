// Planner: which of the discovered suites run, and in which order. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model/suite.hpp"
#include "core/result.hpp"

namespace flow::core {

struct SuiteFilters {
  std::vector<std::string> suite_names;  // --suite: suite_name, case-insensitive
  std::vector<std::string> node_ids;     // --node
  std::vector<std::string> tags;         // --tag: any match
  std::vector<std::string> priorities;   // --priority
};

struct RunPlan {
  std::vector<const Suite*> suites;  // in execution order
  std::vector<Error> warnings;       // dependencies outside the selection, ...
};

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
