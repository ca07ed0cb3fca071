#include "core/report/latency_stats.hpp"

#include <algorithm>
#include <cmath>

#include "core/value.hpp"

namespace flow::core {
namespace {

// Buckets are [kFloorMs * kGrowth^b, kFloorMs * kGrowth^(b+1)); values below kFloorMs (and 0)
// share bucket kZeroBucket.
constexpr double kGrowth = 1.01;
constexpr double kFloorMs = 0.001;
constexpr int kZeroBucket = -1;

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::size_t NearestRank(double q, std::size_t n) {
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(n));
  return std::clamp<std::size_t>(static_cast<std::size_t>(rank), 1, n) - 1;
}

}  // namespace

int LatencyStats::BucketOf(double ms) {
  if (!(ms >= kFloorMs)) return kZeroBucket;
  return static_cast<int>(std::floor(std::log(ms / kFloorMs) / std::log(kGrowth)));
}

double LatencyStats::BucketValue(int bucket) {
  if (bucket == kZeroBucket) return 0;
  // The geometric middle of the bucket: at most half a bucket (0.5%) from any value in it.
  return kFloorMs * std::pow(kGrowth, static_cast<double>(bucket) + 0.5);
}

void LatencyStats::Add(double ms) {
  if (!std::isfinite(ms) || ms < 0) ms = 0;
  if (count_ == 0) {
    min_ = max_ = ms;
  } else {
    min_ = std::min(min_, ms);
    max_ = std::max(max_, ms);
  }
  ++count_;
  sum_ += ms;
  if (folded_) {
    ++buckets_[BucketOf(ms)];
    return;
  }
  exact_.push_back(ms);
  if (exact_.size() > kExactSamples) Fold();
}

void LatencyStats::Fold() {
  for (const double v : exact_) ++buckets_[BucketOf(v)];
  exact_.clear();
  exact_.shrink_to_fit();
  folded_ = true;
}

void LatencyStats::Merge(const LatencyStats& other) {
  if (other.count_ == 0) return;
  if (!other.folded_) {
    // Add() keeps the min/max/sum bookkeeping and folds when needed.
    for (const double v : other.exact_) Add(v);
    return;
  }
  if (!folded_) Fold();
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
  for (const auto& [bucket, n] : other.buckets_) buckets_[bucket] += n;
}

double LatencyStats::Quantile(double q) const {
  if (count_ == 0) return 0;
  const std::size_t rank = NearestRank(q, count_);
  if (!folded_) {
    std::vector<double> sorted = exact_;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank),
                     sorted.end());
    return sorted[rank];
  }
  std::uint64_t seen = 0;
  for (const auto& [bucket, n] : buckets_) {
    seen += n;
    if (seen > rank) return std::clamp(BucketValue(bucket), min_, max_);
  }
  return max_;
}

Value LatencyStats::ToJson() const {
  return {{"count", count_},
          {"min_ms", Round2(min())},
          {"median_ms", Round2(Quantile(0.5))},
          {"p95_ms", Round2(Quantile(0.95))},
          {"max_ms", Round2(max())},
          {"avg_ms", Round2(mean())}};
}

}  // namespace flow::core
