// LatencyStats: response-time statistics of one series (a step, a suite, a run) in bounded
// memory. Count, min, max and mean are exact; so are the median and p95 while the series holds
// at most kExactSamples values. Past that the samples are folded into a histogram of
// logarithmic buckets 1% wide, and quantiles are read from it (relative error under 1%, clamped
// to [min, max]), so a series of a million iterations costs a few hundred buckets.
//
// Plain value; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "core/value_fwd.hpp"

namespace flow::core {

class LatencyStats {
 public:
  static constexpr std::size_t kExactSamples = 1024;

  void Add(double ms);
  // Adds every sample of `other` (exactly while both fit, else through the histogram).
  void Merge(const LatencyStats& other);

  std::size_t count() const { return count_; }
  double min() const { return count_ ? min_ : 0; }
  double max() const { return count_ ? max_ : 0; }
  double sum() const { return sum_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }
  // The q-quantile (0 <= q <= 1) by the nearest-rank method; 0 for an empty series.
  double Quantile(double q) const;

  // {"count", "min_ms", "median_ms", "p95_ms", "max_ms", "avg_ms"}, rounded to 0.01 ms.
  Value ToJson() const;

 private:
  void Fold();  // moves the exact samples into the histogram
  static int BucketOf(double ms);
  static double BucketValue(int bucket);

  std::size_t count_ = 0;
  double min_ = 0;
  double max_ = 0;
  double sum_ = 0;
  std::vector<double> exact_;            // while count_ <= kExactSamples
  std::map<int, std::uint64_t> buckets_; // after
  bool folded_ = false;
};

}  // namespace flow::core
