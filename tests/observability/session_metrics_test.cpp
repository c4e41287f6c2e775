#include "observability/session_metrics.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <thread>
#include <vector>

namespace peak::observability {
namespace {

TEST(Counter, StartsAtZeroAndAddsIncrements) {
  counter c;
  EXPECT_EQ(c.value(), 0u);
  c.inc();
  c.inc(41);
  EXPECT_EQ(c.value(), 42u);
}

TEST(Counter, ConcurrentIncrementsAreNotLost) {
  counter c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(c.value(), 40000u);
}

TEST(Gauge, HoldsTheLastValueSetIncludingNegativeAndFractional) {
  gauge g;
  EXPECT_EQ(g.value(), 0.0);
  g.set(-12.5);
  EXPECT_EQ(g.value(), -12.5);
  g.set(1e-9);
  EXPECT_EQ(g.value(), 1e-9);
  g.set(3.0);
  EXPECT_EQ(g.value(), 3.0);
}

TEST(LatencyHistogram, BoundsAscendFrom100NanosecondsTo10Seconds) {
  const auto& b = latency_histogram::bounds_ns();
  EXPECT_EQ(b.front(), 100);
  EXPECT_EQ(b.back(), 10'000'000'000);
  for (std::size_t i = 1; i < b.size(); ++i) {
    EXPECT_LT(b[i - 1], b[i]) << "bound " << i;
  }
}

TEST(LatencyHistogram, ValueOnABoundLandsInThatBucket) {
  latency_histogram h;
  const auto& b = latency_histogram::bounds_ns();
  for (std::size_t i = 0; i < b.size(); ++i) {
    h.observe_ns(b[i]);
  }
  for (std::size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(h.bucket(i), 1u) << "bucket " << i;
  }
  EXPECT_EQ(h.bucket(latency_histogram::bucket_count), 0u);
}

TEST(LatencyHistogram, ValueJustAboveABoundLandsInTheNextBucket) {
  latency_histogram h;
  h.observe_ns(101);        // (100, 200]
  h.observe_ns(1'000'001);  // (1 ms, 2 ms]
  EXPECT_EQ(h.bucket(0), 0u);
  EXPECT_EQ(h.bucket(1), 1u);
  const auto& b = latency_histogram::bounds_ns();
  std::size_t ms2 = 0;
  while (b[ms2] != 2'000'000) {
    ++ms2;
  }
  EXPECT_EQ(h.bucket(ms2), 1u);
  EXPECT_EQ(h.bucket(ms2 - 1), 0u);
}

TEST(LatencyHistogram, OverflowAndNegativeValues) {
  latency_histogram h;
  h.observe_ns(60'000'000'000);  // 60 s: above the last bound
  h.observe_ns(-5);              // clock stepped back: counts as 0
  h.observe_ns(0);
  EXPECT_EQ(h.bucket(latency_histogram::bucket_count), 1u);
  EXPECT_EQ(h.bucket(0), 2u);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.sum_ns(), 60'000'000'000);
  EXPECT_EQ(h.bucket(latency_histogram::bucket_count + 1), 0u);  // out of range: 0, no UB
}

TEST(LatencyHistogram, CountAndSumTrackObservations) {
  latency_histogram h;
  std::int64_t sum = 0;
  for (std::int64_t ns = 50; ns < 5'000'000; ns = ns * 3 + 7) {
    h.observe_ns(ns);
    sum += ns;
  }
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= latency_histogram::bucket_count; ++i) {
    total += h.bucket(i);
  }
  EXPECT_EQ(total, h.count());
  EXPECT_EQ(h.sum_ns(), sum);
}

TEST(SessionMetrics, SizedFromInstrumentsAndStrategies) {
  session_metrics m({"BTCUSDT", "ETHUSDT", "SOLUSDT"}, {"momentum#0", "mean_reversion#1"});
  EXPECT_EQ(m.regime.size(), 3u);
  EXPECT_EQ(m.uncertainty.size(), 3u);
  EXPECT_EQ(m.hypotheses.size(), 2u);
  EXPECT_EQ(m.uncertainty[0].value(), 1.0);  // no outlook yet
  EXPECT_EQ(m.regime[2].value(), 0.0);
  EXPECT_EQ(m.up.value(), 0.0);
}

}  // namespace
}  // namespace peak::observability
