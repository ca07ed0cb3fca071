#include "core/report/latency_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/value.hpp"

namespace flow::core {
namespace {

TEST(LatencyStats, EmptySeriesIsAllZero) {
  const LatencyStats s;
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(s.Quantile(0.5), 0);
  EXPECT_EQ(s.ToJson()["max_ms"], 0);
}

TEST(LatencyStats, SmallSeriesIsExactByNearestRank) {
  LatencyStats s;
  for (const double v : {5.0, 1.0, 4.0, 2.0, 3.0}) s.Add(v);
  EXPECT_EQ(s.count(), 5u);
  EXPECT_EQ(s.min(), 1.0);
  EXPECT_EQ(s.max(), 5.0);
  EXPECT_EQ(s.mean(), 3.0);
  EXPECT_EQ(s.Quantile(0.5), 3.0);
  EXPECT_EQ(s.Quantile(0.95), 5.0);
  EXPECT_EQ(s.Quantile(0.0), 1.0);
  const Value json = s.ToJson();
  EXPECT_EQ(json["median_ms"], 3.0);
  EXPECT_EQ(json["p95_ms"], 5.0);
  EXPECT_EQ(json["count"], 5);
}

TEST(LatencyStats, TwentyValuesGiveTheNineteenthAsP95) {
  LatencyStats s;
  for (int v = 1; v <= 20; ++v) s.Add(v);
  EXPECT_EQ(s.Quantile(0.95), 19.0);
  EXPECT_EQ(s.Quantile(0.5), 10.0);
}

TEST(LatencyStats, LargeSeriesStaysWithinOnePercentOfTheExactQuantiles) {
  std::mt19937 rng(7);
  std::lognormal_distribution<double> dist(3.0, 1.0);
  std::vector<double> all;
  LatencyStats s;
  for (int i = 0; i < 200'000; ++i) {
    const double v = dist(rng);
    all.push_back(v);
    s.Add(v);
  }
  std::sort(all.begin(), all.end());
  for (const double q : {0.5, 0.95, 0.99}) {
    const double exact = all[static_cast<std::size_t>(std::ceil(q * all.size())) - 1];
    EXPECT_NEAR(s.Quantile(q), exact, exact * 0.01) << q;
  }
  EXPECT_EQ(s.min(), all.front());
  EXPECT_EQ(s.max(), all.back());
  EXPECT_EQ(s.count(), all.size());
}

TEST(LatencyStats, MergeEqualsAddingEverything) {
  LatencyStats a, b, both;
  for (int i = 0; i < 3000; ++i) {
    const double v = 0.5 + (i % 97) * 1.5;
    (i % 3 ? a : b).Add(v);
    both.Add(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_DOUBLE_EQ(a.sum(), both.sum());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  EXPECT_NEAR(a.Quantile(0.95), both.Quantile(0.95), both.Quantile(0.95) * 0.01);
  LatencyStats small;
  small.Add(2);
  LatencyStats other;
  other.Add(4);
  small.Merge(other);
  EXPECT_EQ(small.Quantile(1.0), 4.0);
  EXPECT_EQ(small.Quantile(0.5), 2.0);
}

TEST(LatencyStats, NegativeAndNonFiniteCountAsZero) {
  LatencyStats s;
  s.Add(-3);
  s.Add(std::nan(""));
  s.Add(10);
  EXPECT_EQ(s.min(), 0);
  EXPECT_EQ(s.count(), 3u);
  EXPECT_EQ(s.Quantile(0.5), 0);
}

}  // namespace
}  // namespace flow::core
