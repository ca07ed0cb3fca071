#include "service/ports/records.hpp"

#include <algorithm>

#include <array>
#include <utility>

namespace flow::service {
namespace {

template <typename Enum, std::size_t N>
std::string_view Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "";
}

template <typename Enum, std::size_t N>
std::optional<Enum> Find(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         std::string_view name) {
  for (const auto& [value, n] : table) {
    if (n == name) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<RunStatus, std::string_view>, 6> kRunStatus{{
    {RunStatus::kQueued, "queued"},         {RunStatus::kRunning, "running"},
    {RunStatus::kWaitingInput, "waiting_input"}, {RunStatus::kCompleted, "completed"},
    {RunStatus::kFailed, "failed"},         {RunStatus::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<StepRunStatus, std::string_view>, 8> kStepRunStatus{{
    {StepRunStatus::kPending, "pending"},   {StepRunStatus::kRunning, "running"},
    {StepRunStatus::kWaitingInput, "waiting_input"}, {StepRunStatus::kSuccess, "success"},
    {StepRunStatus::kWarning, "warning"},   {StepRunStatus::kFailed, "failed"},
    {StepRunStatus::kSkipped, "skipped"},   {StepRunStatus::kAborted, "aborted"}}};
constexpr std::array<std::pair<TriggerSource, std::string_view>, 4> kTrigger{{
    {TriggerSource::kCli, "cli"}, {TriggerSource::kApi, "api"},
    {TriggerSource::kSchedule, "schedule"}, {TriggerSource::kDependency, "dependency"}}};
constexpr std::array<std::pair<Priority, std::string_view>, 4> kPriority{{
    {Priority::kCritical, "critical"}, {Priority::kHigh, "high"},
    {Priority::kMedium, "medium"},     {Priority::kLow, "low"}}};
constexpr std::array<std::pair<RetryRequestStatus, std::string_view>, 4> kRetry{{
    {RetryRequestStatus::kPending, "pending"},   {RetryRequestStatus::kApproved, "approved"},
    {RetryRequestStatus::kRejected, "rejected"}, {RetryRequestStatus::kExecuted, "executed"}}};
constexpr std::array<std::pair<JobState, std::string_view>, 5> kJobState{{
    {JobState::kWaiting, "waiting"}, {JobState::kActive, "active"}, {JobState::kStalled, "stalled"},
    {JobState::kFailed, "failed"},   {JobState::kCompleted, "completed"}}};
constexpr std::array<std::pair<LogLevel, std::string_view>, 4> kLogLevel{{
    {LogLevel::kDebug, "debug"}, {LogLevel::kInfo, "info"}, {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"}}};
constexpr std::array<std::pair<VariableScope, std::string_view>, 3> kScope{{
    {VariableScope::kSuite, "suite"}, {VariableScope::kStep, "step"},
    {VariableScope::kGlobal, "global"}}};
constexpr std::array<std::pair<VariableSource, std::string_view>, 4> kSource{{
    {VariableSource::kVariable, "variable"}, {VariableSource::kCapture, "capture"},
    {VariableSource::kInput, "input"},       {VariableSource::kExport, "export"}}};

}  // namespace

bool IsFinal(RunStatus status) {
  return status == RunStatus::kCompleted || status == RunStatus::kFailed ||
         status == RunStatus::kCancelled;
}

core::Result<void> CheckRunEnd(RunStatus status) {
  if (IsFinal(status)) return core::Ok();
  return core::InvalidArgument("a run ends completed, failed or cancelled, not " +
                               std::string(Name(status)));
}

std::string_view Name(RunStatus v) { return Lookup(kRunStatus, v); }
std::string_view Name(StepRunStatus v) { return Lookup(kStepRunStatus, v); }
std::string_view Name(TriggerSource v) { return Lookup(kTrigger, v); }
std::string_view Name(Priority v) { return Lookup(kPriority, v); }
std::string_view Name(RetryRequestStatus v) { return Lookup(kRetry, v); }
std::string_view Name(JobState v) { return Lookup(kJobState, v); }
std::string_view Name(LogLevel v) { return Lookup(kLogLevel, v); }
std::string_view Name(VariableScope v) { return Lookup(kScope, v); }
std::string_view Name(VariableSource v) { return Lookup(kSource, v); }

const std::vector<RoleRecord>& BuiltInRoles() {
  static const std::vector<RoleRecord> roles = {
      {"admin", "everything: users, tokens, suites, runs, the queue and the audit trail"},
      {"operator", "suites and runs: run, answer inputs, retry, cancel; read the queue"},
      {"viewer", "read suites, runs, reports and the queue"},
  };
  return roles;
}

core::Result<std::vector<std::string>> NormalizeRoles(const std::vector<std::string>& roles) {
  const std::vector<RoleRecord>& known = BuiltInRoles();
  for (const std::string& role : roles) {
    const bool found = std::any_of(known.begin(), known.end(),
                                   [&](const RoleRecord& r) { return r.name == role; });
    if (!found) {
      std::string names;
      for (std::size_t i = 0; i < known.size(); ++i) {
        names += (i == 0 ? "" : i + 1 == known.size() ? " and " : ", ") + known[i].name;
      }
      return core::InvalidArgument("unknown role '" + role + "'", "the roles are " + names);
    }
  }
  std::vector<std::string> out;
  for (const RoleRecord& r : known) {
    if (std::find(roles.begin(), roles.end(), r.name) != roles.end()) out.push_back(r.name);
  }
  return out;
}

template <>
std::optional<RunStatus> Parse(std::string_view n) { return Find(kRunStatus, n); }
template <>
std::optional<StepRunStatus> Parse(std::string_view n) { return Find(kStepRunStatus, n); }
template <>
std::optional<TriggerSource> Parse(std::string_view n) { return Find(kTrigger, n); }
template <>
std::optional<Priority> Parse(std::string_view n) { return Find(kPriority, n); }
template <>
std::optional<RetryRequestStatus> Parse(std::string_view n) { return Find(kRetry, n); }
template <>
std::optional<JobState> Parse(std::string_view n) { return Find(kJobState, n); }
template <>
std::optional<LogLevel> Parse(std::string_view n) { return Find(kLogLevel, n); }
template <>
std::optional<VariableScope> Parse(std::string_view n) { return Find(kScope, n); }
template <>
std::optional<VariableSource> Parse(std::string_view n) { return Find(kSource, n); }

}  // namespace flow::service
