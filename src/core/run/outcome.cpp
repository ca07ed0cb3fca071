#include "core/run/outcome.hpp"

#include <algorithm>

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

std::size_t StepOutcome::FailedAssertions() const {
  return static_cast<std::size_t>(std::count_if(assertions.begin(), assertions.end(),
                                                [](const AssertionOutcome& a) { return !a.passed; }));
}

}  // namespace flow::core
