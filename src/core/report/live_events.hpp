// LiveEvents: the run as it happens, one JSON object per line (JSONL), for `--live-events FILE`:
// dashboards and CI log tailers follow it while the run goes on. Each line is written whole, in
// one Write, as soon as the event happens.
//
//   {"seq":1,"type":"run_started","timestamp":ISO,"run_id","project_name","suite_count"}
//   {"seq":2,"type":"suite_started","timestamp","node_id","suite_name"}
//   {"seq":3,"type":"step_started","timestamp","node_id","step_index","step_name"}
//   {"seq":4,"type":"step_completed","timestamp","node_id","suite_node_id","step_id",
//    "qualified_step_id","step_name","status","duration_ms","depth","parent_step_id"?,
//    "iteration"?,"request":{"method","url"}?,"response":{"status_code","response_time_ms"}?,
//    "assertions":{"total","failed"},"failed_assertions":[{"field","expected","actual",
//    "message","location"}]?,"error"?:{"message","location"?},"skip_reason"?,"location"?}
//   {"seq":5,"type":"suite_completed","timestamp","node_id","suite_name","status","duration_ms",
//    "steps":{"total","passed","failed","errors","skipped"},"error"?,"skip_reason"?}
//   {"seq":6,"type":"run_completed","timestamp","status":"passed"|"failed","duration_ms",
//    "suites":{"discovered","run","passed","failed","skipped"}}
//
// Bodies and headers are left out (they are in the reports). Calls must not overlap (the
// Scheduler's live sink guarantees that). Not thread-safe.
//
// The fields of each event (all but seq, type and timestamp) are built by the *Fields functions
// below, which the run history (service/runs) uses too, so a stored event has the same payload as
// its line here.
#pragma once

#include <cstdint>
#include <string>

#include "core/ports/clock.hpp"
#include "core/report/report_output.hpp"
#include "core/run/outcome.hpp"

namespace flow::core {

// The event types.
inline constexpr const char* kRunStartedEvent = "run_started";
inline constexpr const char* kSuiteStartedEvent = "suite_started";
inline constexpr const char* kStepStartedEvent = "step_started";
inline constexpr const char* kStepCompletedEvent = "step_completed";
inline constexpr const char* kSuiteCompletedEvent = "suite_completed";
inline constexpr const char* kRunCompletedEvent = "run_completed";

Value RunStartedFields(std::int64_t started_at_ms, std::size_t suite_count,
                       const std::string& project_name);
Value SuiteStartedFields(const std::string& node_id, const std::string& suite_name);
Value StepStartedFields(const std::string& node_id, std::size_t step_index,
                        const std::string& step_name);
Value StepCompletedFields(const StepOutcome& step);
Value SuiteCompletedFields(const SuiteOutcome& suite);
Value RunCompletedFields(const RunOutcome& run);

class LiveEvents final : public EventSink {
 public:
  LiveEvents(TextOutput& out, Clock& clock, std::string project_name);

  void OnRunStarted(std::int64_t started_at_ms, std::size_t suite_count) override;
  void OnSuiteStarted(const std::string& node_id, const std::string& suite_name) override;
  void OnStepStarted(const std::string& node_id, std::size_t step_index,
                     const std::string& step_name) override;
  void OnStepFinished(const StepOutcome& step) override;
  void OnSuiteFinished(const SuiteOutcome& suite) override;
  void OnRunFinished(const RunOutcome& run) override;

  std::size_t events() const { return seq_; }

 private:
  void Emit(const char* type, Value fields);

  TextOutput& out_;
  Clock& clock_;
  std::string project_name_;
  std::size_t seq_ = 0;
};

}  // namespace flow::core
