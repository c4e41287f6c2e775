#include "marketdata/synthetic_feed.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "marketdata/quality_checker.hpp"
#include "messages/fixed_point.hpp"

namespace peak::marketdata {
namespace {

bool same(const market_event& a, const market_event& b) {
  return a.ts_event == b.ts_event && a.ts_receive == b.ts_receive && a.sequence == b.sequence &&
         a.instrument == b.instrument && a.kind == b.kind && a.taker == b.taker &&
         a.quality == b.quality && a.px == b.px && a.qty == b.qty && a.bid == b.bid &&
         a.ask == b.ask && a.bid_qty == b.bid_qty && a.ask_qty == b.ask_qty;
}

std::vector<market_event> drain(const synthetic_config& c, std::uint64_t seed) {
  synthetic_feed feed(c, seed);
  std::vector<market_event> out;
  market_event e;
  while (feed.next(e))
    out.push_back(e);
  return out;
}

TEST(SyntheticFeed, SameSeedGivesIdenticalStream) {
  synthetic_config c;
  c.events = 20'000;
  c.instruments = 3;
  c.fault_spike = 0.001;
  const auto a = drain(c, 42);
  const auto b = drain(c, 42);
  ASSERT_EQ(a.size(), 20'000u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_TRUE(same(a[i], b[i])) << "event " << i;
}

TEST(SyntheticFeed, DifferentSeedGivesDifferentStream) {
  synthetic_config c;
  c.events = 1'000;
  const auto a = drain(c, 1);
  const auto b = drain(c, 2);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    differing += same(a[i], b[i]) ? 0u : 1u;
  EXPECT_GT(differing, 900u);
}

TEST(SyntheticFeed, PricesOnTickGridSizesOnLotGridTimeMonotonic) {
  synthetic_config c;
  c.events = 50'000;
  c.instruments = 4;
  c.tick_size = 0.05;
  c.lot_size = 0.01;
  const std::int64_t tick = fixed::from_double(0.05);
  const std::int64_t lot = fixed::from_double(0.01);
  synthetic_feed feed(c, 7);
  market_event e;
  timestamp_ns last = 0;
  std::uint64_t trades = 0;
  std::uint64_t quotes = 0;
  while (feed.next(e)) {
    ASSERT_GE(e.ts_event, last);
    last = e.ts_event;
    ASSERT_LT(e.instrument, 4u);
    if (e.kind == event_kind::trade) {
      ++trades;
      ASSERT_GT(e.px.raw, 0);
      ASSERT_EQ(e.px.raw % tick, 0);
      ASSERT_GT(e.qty.raw, 0);
      ASSERT_EQ(e.qty.raw % lot, 0);
      ASSERT_NE(e.taker, aggressor::unknown);
    } else {
      ASSERT_EQ(e.kind, event_kind::quote);
      ++quotes;
      ASSERT_EQ(e.bid.raw % tick, 0);
      ASSERT_EQ(e.ask.raw % tick, 0);
      ASSERT_LT(e.bid.raw, e.ask.raw);
      ASSERT_EQ(e.bid_qty.raw % lot, 0);
      ASSERT_EQ(e.ask_qty.raw % lot, 0);
    }
  }
  EXPECT_EQ(trades + quotes, 50'000u);
  // trade_probability 0.3
  EXPECT_GT(trades, 13'500u);
  EXPECT_LT(trades, 16'500u);
}

TEST(SyntheticFeed, CleanStreamRaisesNoQualityFlags) {
  synthetic_config c;
  c.events = 300'000;
  c.instruments = 3;
  synthetic_feed feed(c, 123);
  quality_checker q(quality_config{}, 3);
  market_event e;
  while (feed.next(e)) {
    q.check(e);
    ASSERT_EQ(e.quality, 0u) << "event " << q.totals().events << " flags " << e.quality;
  }
  EXPECT_EQ(q.totals().events, 300'000u);
  EXPECT_EQ(q.totals().flagged, 0u);
}

TEST(SyntheticFeed, RegimesSwitchAndTrendBothWays) {
  synthetic_config c;
  c.events = 200'000;
  synthetic_feed feed(c, 5);
  market_event e;
  bool seen[4] = {false, false, false, false};
  while (feed.next(e))
    seen[static_cast<int>(feed.regime(0))] = true;
  EXPECT_GT(feed.stats().regime_switches, 20u);
  for (bool s : seen)
    EXPECT_TRUE(s);
}

/// A moving-average crossover on trade prices (fast 20 / slow 80, like the demo strategy)
/// must find trends: crossings exist but are not a whipsaw on every few events.
TEST(SyntheticFeed, TrendsGiveModerateMovingAverageCrossings) {
  synthetic_config c;
  c.events = 1'000'000;
  synthetic_feed feed(c, 2024);
  std::vector<double> window_fast(20, 0.0);
  std::vector<double> window_slow(80, 0.0);
  double sum_fast = 0.0;
  double sum_slow = 0.0;
  std::uint64_t n = 0;
  std::uint64_t crossings = 0;
  int prev_sign = 0;
  market_event e;
  while (feed.next(e)) {
    if (e.kind != event_kind::quote)
      continue;
    const double mid = (fixed::to_double(e.bid.raw) + fixed::to_double(e.ask.raw)) / 2.0;
    sum_fast += mid - window_fast[n % 20];
    window_fast[n % 20] = mid;
    sum_slow += mid - window_slow[n % 80];
    window_slow[n % 80] = mid;
    ++n;
    if (n < 80)
      continue;
    const double diff = sum_fast / 20.0 - sum_slow / 80.0;
    const int sign = diff > 0 ? 1 : (diff < 0 ? -1 : prev_sign);
    if (prev_sign != 0 && sign != prev_sign)
      ++crossings;
    prev_sign = sign;
  }
  RecordProperty("crossings", static_cast<int>(crossings));
  EXPECT_GT(crossings, 10u);
  EXPECT_LT(crossings, 4000u);
}

TEST(SyntheticFeed, InjectedFaultsAreFlagged) {
  synthetic_config c;
  c.events = 200'000;
  c.instruments = 2;
  c.fault_gap = 0.0002;
  c.fault_spike = 0.0005;
  c.fault_crossed = 0.0005;
  c.fault_stale = 0.0002;
  synthetic_feed feed(c, 99);
  quality_checker q(quality_config{}, 2);
  market_event e;
  while (feed.next(e))
    q.check(e);
  const synthetic_stats& s = feed.stats();
  ASSERT_GT(s.faults_gap, 0u);
  ASSERT_GT(s.faults_spike, 0u);
  ASSERT_GT(s.faults_crossed, 0u);
  ASSERT_GT(s.faults_stale, 0u);
  EXPECT_EQ(q.count_flag(quality_crossed), s.faults_crossed);
  // Every gap or stale silence is one feed gap; after it both instruments are stale.
  EXPECT_EQ(q.count_flag(quality_gap), s.faults_gap + s.faults_stale);
  EXPECT_GE(q.count_flag(quality_stale), s.faults_gap + s.faults_stale);
  // A spike is flagged itself; nothing else jumps.
  EXPECT_EQ(q.count_flag(quality_price_jump), s.faults_spike);
  EXPECT_EQ(q.count_flag(quality_bad_price), 0u);
}

}  // namespace
}  // namespace peak::marketdata
