#include "core/report/performance_summary.hpp"

#include <algorithm>
#include <cmath>

namespace flow::core {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

Value StatsFields(const LatencyStats& stats) {
  Value out = stats.ToJson();
  out["requests"] = out["count"];
  out.erase("count");
  return out;
}

}  // namespace

std::optional<double> ResponseTimeMs(const StepOutcome& step) {
  if (!step.response || !step.response->is_object()) return std::nullopt;
  const auto timing = step.response->find("timing");
  if (timing == step.response->end() || !timing->is_object()) return std::nullopt;
  const auto total = timing->find("total_ms");
  if (total == timing->end() || !total->is_number()) return std::nullopt;
  return total->get<double>();
}

void PerformanceSummary::OnStep(const StepOutcome& step) {
  const std::optional<double> ms = ResponseTimeMs(step);
  if (!ms) return;
  // The iterations of a step count towards the step itself.
  const bool iteration = step.iteration.has_value() && !step.parent_qualified_id.empty();
  const std::string key = iteration ? step.parent_qualified_id : step.node_id + "::" + step.step_id;
  auto [it, added] = index_.try_emplace(key, steps_.size());
  if (added) {
    const std::size_t sep = key.find("::");
    steps_.push_back(Series{step.node_id,
                            iteration && sep != std::string::npos ? key.substr(sep + 2) : step.step_id,
                            iteration ? step.parent_step_name : step.step_name,
                            {}});
  }
  steps_[it->second].stats.Add(*ms);
  suite_.Add(*ms);
  run_.Add(*ms);
}

Value PerformanceSummary::FinishSuite(const SuiteOutcome& suite) {
  Value out = {{"node_id", suite.node_id}, {"suite_name", suite.suite_name}};
  out.update(StatsFields(suite_));
  Value steps = Value::array();
  for (const Series& s : steps_) {
    Value item = {{"node_id", s.node_id}, {"step_id", s.step_id}, {"step_name", s.step_name}};
    item.update(StatsFields(s.stats));
    // Keep the slowest steps of the run: a short list, re-sorted as suites finish.
    Value slow = item;
    slow["suite_name"] = suite.suite_name;
    slowest_.push_back(std::move(slow));
    steps.push_back(std::move(item));
  }
  std::stable_sort(slowest_.begin(), slowest_.end(), [](const Value& a, const Value& b) {
    return a["p95_ms"].get<double>() > b["p95_ms"].get<double>();
  });
  if (slowest_.size() > kSlowestSteps) slowest_.resize(kSlowestSteps);
  out["steps"] = std::move(steps);
  steps_.clear();
  index_.clear();
  suite_ = LatencyStats();
  return out;
}

Value PerformanceSummary::RunSummary(double run_duration_ms) const {
  Value out = Value::object();
  out["total_requests"] = run_.count();
  out["average_response_time_ms"] = Round2(run_.mean());
  out["min_response_time_ms"] = Round2(run_.min());
  out["median_response_time_ms"] = Round2(run_.Quantile(0.5));
  out["p95_response_time_ms"] = Round2(run_.Quantile(0.95));
  out["max_response_time_ms"] = Round2(run_.max());
  out["requests_per_second"] =
      run_duration_ms > 0 ? Round2(static_cast<double>(run_.count()) * 1000.0 / run_duration_ms)
                          : 0.0;
  Value slowest = Value::array();
  for (const Value& v : slowest_) slowest.push_back(v);
  out["slowest_steps"] = std::move(slowest);
  return out;
}

}  // namespace flow::core
