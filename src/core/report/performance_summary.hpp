// PerformanceSummary: response times of a run's requests, per step, per suite and for the whole
// run (min/median/p95/max, LatencyStats), for the reports' performance_summary.
//
// A sample is the total time of the HTTP exchange of a step (response_details.timing.total_ms);
// steps without a response (skipped, network errors, inputs, parents of iterations) add none. The
// iterations of a step and the attempts of a retried step count towards that step's series: a
// step is its node_id and step_id. Only the current suite's series are kept: FinishSuite()
// renders the suite's entry and forgets them, so memory stays flat over long runs.
//
// Expects a suite's events together (a Runner, or the Scheduler's ordered sink). Not thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/report/latency_stats.hpp"
#include "core/run/outcome.hpp"
#include "core/value.hpp"

namespace flow::core {

class PerformanceSummary {
 public:
  static constexpr std::size_t kSlowestSteps = 5;

  void OnStep(const StepOutcome& step);
  // The finished suite's entry: {node_id, suite_name, requests, min_ms, median_ms, p95_ms,
  // max_ms, avg_ms, steps: [{node_id, step_id, step_name, requests, ...}]}.
  Value FinishSuite(const SuiteOutcome& suite);
  // The run-wide part of performance_summary (everything but "suites"): total_requests,
  // average/min/median/p95/max_response_time_ms, requests_per_second over `run_duration_ms`,
  // response_time (the stats object), slowest_steps (by p95, at most kSlowestSteps).
  Value RunSummary(double run_duration_ms) const;
  const LatencyStats& run() const { return run_; }

 private:
  struct Series {
    std::string node_id;
    std::string step_id;
    std::string step_name;
    LatencyStats stats;
  };
  std::vector<Series> steps_;                 // of the current suite, in first-seen order
  std::map<std::string, std::size_t> index_;  // "node_id::step_id" -> steps_ position
  LatencyStats suite_;
  LatencyStats run_;
  std::vector<Value> slowest_;  // sorted by p95, descending
};

// The response time of a step's exchange, if it has one.
std::optional<double> ResponseTimeMs(const StepOutcome& step);

}  // namespace flow::core
