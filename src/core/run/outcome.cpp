#include "core/run/outcome.hpp"

#include <algorithm>

#include "core/model/suite.hpp"

namespace flow::core {

std::string_view StepStatusName(StepStatus status) {
  switch (status) {
    case StepStatus::kSuccess: return "success";
    case StepStatus::kFailure: return "failure";
    case StepStatus::kError: return "error";
    case StepStatus::kSkipped: return "skipped";
  }
  return "error";
}

std::string_view SuiteStatusName(SuiteStatus status) {
  switch (status) {
    case SuiteStatus::kSuccess: return "success";
    case SuiteStatus::kFailure: return "failure";
    case SuiteStatus::kSkipped: return "skipped";
  }
  return "failure";
}

std::string StepOutcome::FailureSummary() const {
  if (status != StepStatus::kFailure && status != StepStatus::kError) return "";
  if (error) return error->message;
  for (const AssertionOutcome& a : assertions) {
    if (!a.passed) return a.field + ": " + a.message;
  }
  if (!warnings.empty()) return warnings.front();
  return "a step run inside it failed";
}

std::size_t StepOutcome::FailedAssertions() const {
  return static_cast<std::size_t>(std::count_if(assertions.begin(), assertions.end(),
                                                [](const AssertionOutcome& a) { return !a.passed; }));
}

SuiteOutcome SkippedSuiteOutcome(const Suite& suite, std::string reason, std::int64_t now_unix_ms) {
  SuiteOutcome o;
  o.node_id = suite.node_id;
  o.suite_name = suite.suite_name;
  o.file = suite.file;
  o.priority = suite.priority;
  o.status = SuiteStatus::kSkipped;
  o.skip_reason = std::move(reason);
  o.started_at_ms = o.completed_at_ms = now_unix_ms;
  return o;
}

}  // namespace flow::core
