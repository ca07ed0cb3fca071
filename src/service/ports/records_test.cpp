#include "service/ports/records.hpp"

#include <gtest/gtest.h>

namespace flow::service {
namespace {

template <typename Enum>
void RoundTrips(std::initializer_list<Enum> values) {
  for (Enum v : values) {
    ASSERT_FALSE(Name(v).empty());
    EXPECT_EQ(Parse<Enum>(Name(v)), v) << Name(v);
  }
  EXPECT_FALSE(Parse<Enum>("no such name"));
}

TEST(Records, EveryEnumHasItsDatabaseNameAndBack) {
  RoundTrips({RunStatus::kQueued, RunStatus::kRunning, RunStatus::kWaitingInput,
              RunStatus::kCompleted, RunStatus::kFailed, RunStatus::kCancelled});
  RoundTrips({StepRunStatus::kPending, StepRunStatus::kRunning, StepRunStatus::kWaitingInput,
              StepRunStatus::kSuccess, StepRunStatus::kWarning, StepRunStatus::kFailed,
              StepRunStatus::kSkipped, StepRunStatus::kAborted});
  RoundTrips({TriggerSource::kCli, TriggerSource::kApi, TriggerSource::kSchedule,
              TriggerSource::kDependency});
  RoundTrips({Priority::kCritical, Priority::kHigh, Priority::kMedium, Priority::kLow});
  RoundTrips({RetryRequestStatus::kPending, RetryRequestStatus::kApproved,
              RetryRequestStatus::kRejected, RetryRequestStatus::kExecuted});
  RoundTrips({JobState::kWaiting, JobState::kActive, JobState::kStalled, JobState::kFailed,
              JobState::kCompleted});
  RoundTrips({LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError});
  RoundTrips({VariableScope::kSuite, VariableScope::kStep, VariableScope::kGlobal});
  RoundTrips({VariableSource::kVariable, VariableSource::kCapture, VariableSource::kInput,
              VariableSource::kExport});
  EXPECT_EQ(Name(RunStatus::kWaitingInput), "waiting_input");
  EXPECT_EQ(Name(TriggerSource::kCli), "cli");
}

TEST(Records, ARunEndsCompletedFailedOrCancelled) {
  for (RunStatus s : {RunStatus::kCompleted, RunStatus::kFailed, RunStatus::kCancelled}) {
    EXPECT_TRUE(IsFinal(s)) << Name(s);
    EXPECT_TRUE(CheckRunEnd(s)) << Name(s);
  }
  for (RunStatus s : {RunStatus::kQueued, RunStatus::kRunning, RunStatus::kWaitingInput}) {
    EXPECT_FALSE(IsFinal(s)) << Name(s);
    const core::Result<void> refused = CheckRunEnd(s);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.error().message.find(std::string(Name(s))), std::string::npos);
  }
}

}  // namespace
}  // namespace flow::service
