#include "strategy/outlook_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

using test::minute_ns;
using test::quote_at;
using test::second_ns;
using test::trade_at;

constexpr timestamp_ns t0 = 1'328'054'400'000'000'000;  // 2012-02-01T00:00:00Z

/// Feeds `n` trades with drift `mu` per step and noise `sd` (log terms), 1 s apart.
/// Returns the last emitted outlook.
outlook feed_trend(outlook_engine& engine, int n, double mu, double sd, std::uint64_t seed,
                   timestamp_ns start = t0) {
  test::splitmix rng(seed);
  double log_px = std::log(100.0);
  outlook last;
  for (int i = 0; i < n; ++i) {
    log_px += mu + sd * rng.normal();
    outlook o;
    if (engine.on_event(trade_at(start + i * second_ns, std::exp(log_px)), o))
      last = o;
  }
  return last;
}

TEST(OutlookEngine, SteadyUptrendIsBull) {
  outlook_engine engine(outlook_config{}, 1);
  feed_trend(engine, 600, 2e-4, 5e-4, 1);
  const outlook& o = engine.current(0);
  EXPECT_EQ(o.state, regime::bull);
  EXPECT_GT(o.trend_slope, 0.5);
  EXPECT_LT(o.uncertainty, 0.5);
  EXPECT_GE(o.uncertainty, 0.0);
  EXPECT_EQ(o.no_trade, 0u);
}

TEST(OutlookEngine, SteadyDowntrendIsBear) {
  outlook_engine engine(outlook_config{}, 1);
  feed_trend(engine, 600, -2e-4, 5e-4, 2);
  EXPECT_EQ(engine.current(0).state, regime::bear);
  EXPECT_LT(engine.current(0).trend_slope, -0.5);
}

TEST(OutlookEngine, NoiseWithoutDriftIsNeutral) {
  outlook_engine engine(outlook_config{}, 1);
  test::splitmix rng(3);
  outlook o;
  int bull_or_bear = 0;
  for (int i = 0; i < 2000; ++i) {
    // Mean-reverting noise around 100: no trend.
    engine.on_event(trade_at(t0 + i * second_ns, 100.0 * (1.0 + 5e-4 * rng.normal())), o);
    if (i > 200 && engine.current(0).state != regime::neutral)
      ++bull_or_bear;
  }
  EXPECT_EQ(engine.current(0).state, regime::neutral);
  EXPECT_EQ(bull_or_bear, 0);
  EXPECT_GT(engine.current(0).uncertainty, 0.5);
}

TEST(OutlookEngine, WarmingUpUntilSlowPeriod) {
  outlook_config c;
  c.fast_period = 5;
  c.slow_period = 20;
  outlook_engine engine(c, 1);
  outlook o;
  ASSERT_TRUE(engine.on_event(trade_at(t0, 100.0), o));  // first event always emits
  EXPECT_EQ(o.no_trade, static_cast<std::uint32_t>(no_trade_warming_up));
  EXPECT_EQ(o.uncertainty, 1.0);
  test::splitmix rng(4);
  int cleared_at = -1;
  for (int i = 1; i < 100 && cleared_at < 0; ++i)
    if (engine.on_event(trade_at(t0 + i * second_ns, 100.0 + 0.01 * rng.normal()), o) &&
        (o.no_trade & no_trade_warming_up) == 0)
      cleared_at = i;
  // The slow EMA needs 20 prices and the baseline 20 returns: ready on the 21st price.
  EXPECT_EQ(cleared_at, 20);
  EXPECT_EQ(engine.trigger(0, 4).raised, 1u);
  EXPECT_FALSE(engine.trigger(0, 4).active);
}

TEST(OutlookEngine, SpreadSpikeRaisedThenClearedAfterHysteresis) {
  outlook_config c;
  c.fast_period = 5;
  c.slow_period = 20;
  outlook_engine engine(c, 1);
  outlook o;
  timestamp_ns ts = t0;
  for (int i = 0; i < 200; ++i, ts += second_ns)
    engine.on_event(quote_at(ts, 1.0000, 1.0002), o);
  EXPECT_EQ(engine.current(0).no_trade & no_trade_spread_spike, 0u);
  // Spread x5 (raise ratio 4): raised at once.
  ASSERT_TRUE(engine.on_event(quote_at(ts, 1.0000, 1.0010), o));
  EXPECT_NE(o.no_trade & no_trade_spread_spike, 0u);
  const timestamp_ns raised_at = ts;
  ts += second_ns;
  // x3.5 is below the raise ratio but above the clear level (4 * 0.75 = 3): held, no flap.
  for (int i = 0; i < 40; ++i, ts += second_ns) {
    engine.on_event(quote_at(ts, 1.0000, 1.0007), o);
    EXPECT_NE(engine.current(0).no_trade & no_trade_spread_spike, 0u);
  }
  // Calm again: needs 5 calm events AND 30 s of event time before it clears.
  const timestamp_ns calm_from = ts;
  int emitted_clear = 0;
  for (; ts < calm_from + 40 * second_ns; ts += second_ns) {
    const bool due = engine.on_event(quote_at(ts, 1.0000, 1.0002), o);
    const bool active = (engine.current(0).no_trade & no_trade_spread_spike) != 0;
    if (ts - calm_from < 30 * second_ns)
      EXPECT_TRUE(active) << "cleared early at +" << (ts - calm_from) / second_ns << " s";
    else
      EXPECT_FALSE(active);
    if (due && !active && emitted_clear == 0) {
      emitted_clear = 1;
      EXPECT_EQ(ts, calm_from + 30 * second_ns);
    }
  }
  EXPECT_EQ(emitted_clear, 1);
  const trigger_stats& s = engine.trigger(0, 0);
  EXPECT_EQ(s.raised, 1u);
  EXPECT_FALSE(s.active);
  EXPECT_EQ(s.last_raised, raised_at);
  EXPECT_EQ(s.active_ns, calm_from + 30 * second_ns - raised_at);
}

TEST(OutlookEngine, VolatilitySpikeRaisedThenCleared) {
  outlook_config c;
  c.fast_period = 10;
  c.slow_period = 50;
  outlook_engine engine(c, 1);
  test::splitmix rng(5);
  double log_px = std::log(100.0);
  timestamp_ns ts = t0;
  outlook o;
  for (int i = 0; i < 500; ++i, ts += second_ns) {
    log_px += 1e-4 * rng.normal();
    engine.on_event(trade_at(ts, std::exp(log_px)), o);
  }
  EXPECT_EQ(engine.current(0).no_trade, 0u);
  // A crash of 50 sigma in one step.
  log_px -= 50 * 1e-4;
  ASSERT_TRUE(engine.on_event(trade_at(ts, std::exp(log_px)), o));
  EXPECT_NE(o.no_trade & no_trade_volatility_spike, 0u);
  EXPECT_EQ(o.uncertainty, 1.0);
  ts += second_ns;
  bool cleared = false;
  int steps = 0;
  for (; steps < 200 && !cleared; ++steps, ts += second_ns) {
    log_px += 1e-4 * rng.normal();
    engine.on_event(trade_at(ts, std::exp(log_px)), o);
    cleared = (engine.current(0).no_trade & no_trade_volatility_spike) == 0;
  }
  EXPECT_TRUE(cleared);
  // It cannot clear before the spike left the 10-return window plus the 30 s dwell.
  EXPECT_GE(steps, 30);
  EXPECT_EQ(engine.trigger(0, 1).raised, 1u);
}

TEST(OutlookEngine, DataQualityFlagRaisesNoTradeWithHysteresis) {
  outlook_config c;
  c.fast_period = 5;
  c.slow_period = 20;
  c.clear_after_ns = 0;
  c.clear_after_events = 3;
  outlook_engine engine(c, 1);
  outlook o;
  timestamp_ns ts = t0;
  for (int i = 0; i < 50; ++i, ts += second_ns)
    engine.on_event(trade_at(ts, 100.0 + 0.01 * (i % 3)), o);
  market_event bad = trade_at(ts, 100.0);
  bad.quality = quality_gap;
  ASSERT_TRUE(engine.on_event(bad, o));
  EXPECT_EQ(o.no_trade, static_cast<std::uint32_t>(no_trade_data_quality));
  ts += second_ns;
  engine.on_event(trade_at(ts, 100.0), o);
  ts += second_ns;
  engine.on_event(trade_at(ts, 100.01), o);
  EXPECT_NE(engine.current(0).no_trade & no_trade_data_quality, 0u);
  ts += second_ns;
  ASSERT_TRUE(engine.on_event(trade_at(ts, 100.02), o));  // third clean event clears it
  EXPECT_EQ(o.no_trade & no_trade_data_quality, 0u);
}

TEST(OutlookEngine, BlackoutWindowIsActiveOnlyInsideIt) {
  outlook_config c;
  c.fast_period = 5;
  c.slow_period = 20;
  c.blackouts.push_back({t0 + 100 * second_ns, t0 + 160 * second_ns, "BoE"});
  c.blackouts.push_back({t0 + 150 * second_ns, t0 + 200 * second_ns, "overlap"});
  outlook_engine engine(c, 2);
  outlook o;
  for (int i = 0; i < 300; ++i) {
    const timestamp_ns ts = t0 + i * second_ns;
    engine.on_event(trade_at(ts, 100.0 + 0.01 * (i % 3), static_cast<instrument_id>(i % 2)), o);
    const bool inside = ts >= t0 + 100 * second_ns && ts < t0 + 200 * second_ns;
    const auto id = static_cast<instrument_id>(i % 2);
    EXPECT_EQ((engine.current(id).no_trade & no_trade_news_blackout) != 0, inside) << i;
  }
  EXPECT_EQ(engine.trigger(0, 3).raised, 1u);
  EXPECT_EQ(engine.trigger(1, 3).raised, 1u);
  EXPECT_EQ(engine.trigger(0, 3).active_ns + engine.trigger(1, 3).active_ns, 2 * 100 * second_ns);
}

TEST(OutlookEngine, EmitsOnScheduleWithoutChange) {
  outlook_config c;
  c.fast_period = 5;
  c.slow_period = 20;
  c.emit_interval_ns = 10 * second_ns;
  outlook_engine engine(c, 1);
  outlook o;
  std::vector<timestamp_ns> emitted;
  for (int i = 0; i < 200; ++i) {
    const timestamp_ns ts = t0 + i * second_ns;
    if (engine.on_event(trade_at(ts, 100.0 + 0.01 * (i % 3)), o))
      emitted.push_back(ts);
  }
  ASSERT_GT(emitted.size(), 10u);
  for (std::size_t i = 1; i < emitted.size(); ++i)
    EXPECT_LE(emitted[i] - emitted[i - 1], 10 * second_ns);
  // Mostly on the schedule (a few extra for warm-up and changes).
  EXPECT_LT(emitted.size(), 30u);
}

TEST(OutlookEngine, UncertaintyAndPercentileStayInRange) {
  outlook_engine engine(outlook_config{}, 1);
  test::splitmix rng(6);
  double log_px = 0.0;
  outlook o;
  for (int i = 0; i < 5000; ++i) {
    log_px += (i / 500 % 2 == 0 ? 3e-4 : -3e-4) + (i % 700 == 0 ? 0.01 : 5e-4) * rng.normal();
    if (engine.on_event(trade_at(t0 + i * second_ns, 100.0 * std::exp(log_px)), o)) {
      EXPECT_GE(o.uncertainty, 0.0);
      EXPECT_LE(o.uncertainty, 1.0);
      EXPECT_GE(o.volatility_percentile, 0.0);
      EXPECT_LE(o.volatility_percentile, 1.0);
      EXPECT_TRUE(std::isfinite(o.trend_slope));
    }
  }
}

TEST(OutlookEngine, UnknownInstrumentIsIgnored) {
  outlook_engine engine(outlook_config{}, 1);
  outlook o;
  EXPECT_FALSE(engine.on_event(trade_at(t0, 100.0, 7), o));
  EXPECT_EQ(engine.current(7).no_trade, static_cast<std::uint32_t>(no_trade_warming_up));
}

}  // namespace
}  // namespace peak::strategy

namespace peak::strategy {
namespace {

TEST(OutlookEngine, VolatilityPercentileRisesInABurst) {
  outlook_config c;
  c.fast_period = 10;
  c.slow_period = 50;
  c.volatility_spike_ratio = 100.0;  // keep the spike trigger out of the way
  outlook_engine engine(c, 1);
  test::splitmix rng(9);
  double lp = 0.0;
  outlook o;
  timestamp_ns ts = t0;
  for (int i = 0; i < 3000; ++i, ts += test::second_ns) {
    lp += 1e-4 * rng.normal();
    engine.on_event(test::trade_at(ts, 100.0 * std::exp(lp)), o);
  }
  const double calm = engine.current(0).volatility_percentile;
  for (int i = 0; i < 15; ++i, ts += test::second_ns) {
    lp += 6e-4 * rng.normal();
    engine.on_event(test::trade_at(ts, 100.0 * std::exp(lp)), o);
  }
  // Force an emission on the schedule to read the evidence.
  ASSERT_TRUE(engine.on_event(test::trade_at(ts + 120 * test::second_ns, 100.0 * std::exp(lp)), o));
  EXPECT_GT(o.volatility_percentile, 0.95);
  EXPECT_LT(calm, 0.95);
}

}  // namespace
}  // namespace peak::strategy
