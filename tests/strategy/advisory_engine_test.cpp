#include "strategy/advisory_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "strategy/outlook_engine.hpp"
#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

using test::second_ns;
using test::trade_at;

constexpr timestamp_ns t0 = 1'328'054'400'000'000'000;

instrument_spec gbpusd() {
  return instrument_spec{"GBPUSD", fixed::make_price(0.00001), fixed::make_quantity(0.01), "USD"};
}

strategy_spec spec(const std::string& name, std::map<std::string, double> params,
                   double notional = 40.0, instrument_id instrument = 0) {
  strategy_spec s;
  s.name = name;
  s.instrument = instrument;
  s.params = std::move(params);
  s.order_notional = fixed::make_money(notional);
  return s;
}

/// An outlook that allows entries (warm, no trigger).
outlook clear_view(instrument_id instrument = 0, regime state = regime::neutral) {
  outlook o;
  o.instrument = instrument;
  o.state = state;
  o.uncertainty = 0.5;
  o.no_trade = 0;
  return o;
}

/// Feeds prices as trades 1 s apart; returns every hypothesis.
std::vector<trade_intent> feed(advisory_engine& engine, const std::vector<double>& prices,
                               timestamp_ns start = t0, instrument_id instrument = 0) {
  std::vector<trade_intent> all;
  std::vector<trade_intent> out;
  out.reserve(16);
  for (std::size_t i = 0; i < prices.size(); ++i) {
    out.clear();
    engine.on_event(
        trade_at(start + static_cast<std::int64_t>(i) * second_ns, prices[i], instrument), out);
    all.insert(all.end(), out.begin(), out.end());
  }
  return all;
}

/// Flat, then a steady rise (or fall when `mirror`): a crossover / breakout pattern.
std::vector<double> flat_then_move(bool mirror, int flat = 30, int move = 10,
                                   double step = 0.0002) {
  std::vector<double> p;
  for (int i = 0; i < flat; ++i)
    p.push_back(1.5);
  for (int i = 1; i <= move; ++i)
    p.push_back(1.5 + (mirror ? -1.0 : 1.0) * step * i);
  return p;
}

/// A slide (or rally when `mirror`) that pushes RSI to an extreme, then a rebound.
std::vector<double> slide_then_rebound(bool mirror) {
  std::vector<double> p;
  double x = 1.5;
  for (int i = 0; i < 20; ++i)
    p.push_back(x += (i % 2 == 0 ? 0.0005 : -0.0005));
  for (int i = 0; i < 15; ++i)
    p.push_back(x += mirror ? 0.001 : -0.001);
  for (int i = 0; i < 4; ++i)
    p.push_back(x += mirror ? -0.002 : 0.002);
  return p;
}

void expect_complete_entry(const trade_intent& t, side direction, std::uint16_t rule) {
  EXPECT_EQ(t.kind, intent_kind::entry);
  EXPECT_EQ(t.checklist.direction, direction);
  EXPECT_EQ(t.checklist.rule, rule);
  EXPECT_TRUE(checklist_complete(t, gbpusd().lot_size, fixed::make_money(40.0)));
  EXPECT_GT(t.checklist.size.raw, 0);
  EXPECT_EQ(t.checklist.size.raw % gbpusd().lot_size.raw, 0);
  EXPECT_LE(t.checklist.notional.raw, fixed::make_money(40.0).raw);
  EXPECT_EQ(t.checklist.notional,
            fixed::abs_notional(t.checklist.entry_reference, t.checklist.size));
}

TEST(AdvisoryEngine, MaCrossoverFiresOnRiseNotOnMirror) {
  {
    advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}})}, {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, flat_then_move(false));
    ASSERT_EQ(got.size(), 1u);
    expect_complete_entry(got[0], side::buy, rule_ma_cross_up_long);
    EXPECT_EQ(got[0].intent_id, 1u);
    EXPECT_EQ(e.position(0), 1);
  }
  {
    advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}, {"long_only", 1}})},
                      {gbpusd()});
    e.on_outlook(clear_view());
    EXPECT_TRUE(feed(e, flat_then_move(true)).empty());
  }
  {
    advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}})}, {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, flat_then_move(true));
    ASSERT_EQ(got.size(), 1u);
    expect_complete_entry(got[0], side::sell, rule_ma_cross_down_short);
  }
}

TEST(AdvisoryEngine, MaCrossoverFlipsWithExitThenEntry) {
  advisory_engine e(
      {spec("ma_crossover",
            {{"fast", 3}, {"slow", 8}, {"stop_bps", 1000}, {"take_profit_bps", 1000}})},
      {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<double> p = flat_then_move(false, 30, 10, 0.001);
  const double top = p.back();
  for (int i = 1; i <= 12; ++i)
    p.push_back(top - 0.001 * i);
  const auto got = feed(e, p);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].checklist.rule, rule_ma_cross_up_long);
  EXPECT_EQ(got[1].kind, intent_kind::exit);
  EXPECT_EQ(got[1].checklist.rule, rule_ma_cross_down_exit);
  EXPECT_EQ(got[1].checklist.direction, side::sell);
  EXPECT_EQ(got[1].checklist.size, got[0].checklist.size);
  EXPECT_EQ(got[2].checklist.rule, rule_ma_cross_down_short);
  EXPECT_EQ(got[1].ts_event, got[2].ts_event);
  EXPECT_EQ(got[0].intent_id, 1u);
  EXPECT_EQ(got[1].intent_id, 2u);
  EXPECT_EQ(got[2].intent_id, 3u);
  EXPECT_EQ(e.position(0), -1);
}

TEST(AdvisoryEngine, RsiReversionFiresOnReboundNotOnMirror) {
  {
    advisory_engine e({spec("rsi_reversion", {{"period", 5}})}, {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, slide_then_rebound(false));
    ASSERT_GE(got.size(), 1u);
    expect_complete_entry(got[0], side::buy, rule_rsi_oversold_long);
  }
  {
    advisory_engine e({spec("rsi_reversion", {{"period", 5}, {"long_only", 1}})}, {gbpusd()});
    e.on_outlook(clear_view());
    EXPECT_TRUE(feed(e, slide_then_rebound(true)).empty());
  }
  {
    advisory_engine e({spec("rsi_reversion", {{"period", 5}})}, {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, slide_then_rebound(true));
    ASSERT_GE(got.size(), 1u);
    expect_complete_entry(got[0], side::sell, rule_rsi_overbought_short);
    for (const auto& t : got)
      EXPECT_NE(t.checklist.direction == side::buy && t.kind == intent_kind::entry, true);
  }
}

TEST(AdvisoryEngine, RsiReversionExitsAtExitLevel) {
  advisory_engine e(
      {spec("rsi_reversion", {{"period", 5}, {"stop_bps", 1000}, {"take_profit_bps", 1000}})},
      {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<double> p = slide_then_rebound(false);
  for (int i = 0; i < 6; ++i)
    p.push_back(p.back() + 0.002);
  const auto got = feed(e, p);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].checklist.rule, rule_rsi_oversold_long);
  EXPECT_EQ(got[1].kind, intent_kind::exit);
  EXPECT_EQ(got[1].checklist.rule, rule_rsi_exit_long);
  EXPECT_EQ(got[1].checklist.direction, side::sell);
}

TEST(AdvisoryEngine, DonchianBreakoutFiresOnBreakoutNotOnMirror) {
  {
    advisory_engine e({spec("donchian_breakout", {{"period", 10}, {"exit_period", 5}})},
                      {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, flat_then_move(false, 30, 1));
    ASSERT_EQ(got.size(), 1u);
    expect_complete_entry(got[0], side::buy, rule_donchian_up_long);
  }
  {
    advisory_engine e(
        {spec("donchian_breakout", {{"period", 10}, {"exit_period", 5}, {"long_only", 1}})},
        {gbpusd()});
    e.on_outlook(clear_view());
    EXPECT_TRUE(feed(e, flat_then_move(true, 30, 1)).empty());
  }
  {
    advisory_engine e({spec("donchian_breakout", {{"period", 10}, {"exit_period", 5}})},
                      {gbpusd()});
    e.on_outlook(clear_view());
    const auto got = feed(e, flat_then_move(true, 30, 1));
    ASSERT_EQ(got.size(), 1u);
    expect_complete_entry(got[0], side::sell, rule_donchian_down_short);
  }
}

TEST(AdvisoryEngine, DonchianExitsOnExitChannel) {
  advisory_engine e(
      {spec("donchian_breakout",
            {{"period", 10}, {"exit_period", 3}, {"stop_bps", 1000}, {"take_profit_bps", 1000}})},
      {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<double> p = flat_then_move(false, 30, 3, 0.001);
  p.push_back(p.back() - 0.0005);  // still inside the 3-price channel
  p.push_back(p.back() - 0.002);   // below the 3-price low
  const auto got = feed(e, p);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].checklist.rule, rule_donchian_exit_long);
}

TEST(AdvisoryEngine, StopAndTakeProfitExit) {
  // Long from a crossover; then price falls through the 10 bp stop.
  advisory_engine e(
      {spec("ma_crossover", {{"fast", 3}, {"slow", 8}, {"stop_bps", 10}, {"take_profit_bps", 20}})},
      {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<double> p = flat_then_move(false, 30, 1, 0.0002);
  const double entry = p.back();
  p.push_back(entry * (1 - 0.0011));
  auto got = feed(e, p);
  ASSERT_GE(got.size(), 2u);  // the stop, then (same event) the crossover may enter short
  // 10 bp below the entry, rounded down to the 1e-5 tick.
  const std::int64_t e_raw = fixed::make_price(entry).raw;
  const std::int64_t stop_raw = e_raw - e_raw / 1000;
  EXPECT_EQ(got[0].checklist.stop.raw, stop_raw - stop_raw % 1000);
  EXPECT_EQ(got[1].kind, intent_kind::exit);
  EXPECT_EQ(got[1].checklist.rule, rule_stop_hit);
  EXPECT_NE(e.position(0), 1);

  advisory_engine e2(
      {spec("ma_crossover", {{"fast", 3}, {"slow", 8}, {"stop_bps", 10}, {"take_profit_bps", 20}})},
      {gbpusd()});
  e2.on_outlook(clear_view());
  p.back() = entry * (1 + 0.0021);
  got = feed(e2, p);
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[1].checklist.rule, rule_take_profit_hit);
  EXPECT_EQ(got[1].checklist.direction, side::sell);
}

TEST(AdvisoryEngine, CheckListIsCompleteAndOnTheGrid) {
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}}, 37.77)}, {gbpusd()});
  e.on_outlook(clear_view(0, regime::bull));
  const auto got = feed(e, flat_then_move(false));
  ASSERT_EQ(got.size(), 1u);
  const risk_checklist& c = got[0].checklist;
  EXPECT_EQ(c.assumed, regime::bull);
  EXPECT_LT(c.stop.raw, c.entry_reference.raw);
  EXPECT_GT(c.take_profit.raw, c.entry_reference.raw);
  EXPECT_EQ(c.stop.raw % gbpusd().tick_size.raw, 0);
  EXPECT_EQ(c.take_profit.raw % gbpusd().tick_size.raw, 0);
  EXPECT_EQ(c.size.raw % gbpusd().lot_size.raw, 0);
  EXPECT_LE(c.notional.raw, fixed::make_money(37.77).raw);
  // One more lot would exceed the notional: the size is the largest on the grid.
  const quantity bigger{c.size.raw + gbpusd().lot_size.raw};
  EXPECT_GT(fixed::abs_notional(c.entry_reference, bigger).raw, fixed::make_money(37.77).raw);
}

TEST(AdvisoryEngine, IncompleteChecklistRaisesNothing) {
  // A notional below one lot's worth gives size 0: no hypothesis, counted.
  instrument_spec big_lot = gbpusd();
  big_lot.lot_size = fixed::make_quantity(100.0);
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}})}, {big_lot});
  e.on_outlook(clear_view());
  EXPECT_TRUE(feed(e, flat_then_move(false)).empty());
  EXPECT_EQ(e.stats(0).incomplete, 1u);
  EXPECT_EQ(e.position(0), 0);
  EXPECT_EQ(e.last_intent_id(), 0u);
}

TEST(AdvisoryEngine, NoOutlookMeansNoEntry) {
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}})}, {gbpusd()});
  EXPECT_TRUE(feed(e, flat_then_move(false)).empty());
  EXPECT_EQ(e.stats(0).blocked_no_trade, 1u);
}

TEST(AdvisoryEngine, NoTradeBlocksEntriesButNotExits) {
  advisory_engine e(
      {spec("ma_crossover", {{"fast", 3}, {"slow", 8}, {"stop_bps", 10}, {"take_profit_bps", 20}})},
      {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<double> p = flat_then_move(false, 30, 1, 0.0002);
  auto got = feed(e, p);
  ASSERT_EQ(got.size(), 1u);
  outlook blocked = clear_view();
  blocked.no_trade = no_trade_news_blackout;
  e.on_outlook(blocked);
  // Stop hit during the blackout: the exit still goes out.
  got = feed(e, {p.back() * (1 - 0.002)}, t0 + 100 * second_ns);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, intent_kind::exit);
  // A fresh crossover during the blackout: blocked and counted.
  std::vector<double> again = flat_then_move(true, 30, 10);
  for (int i = 1; i <= 10; ++i)
    again.push_back(again.back() + 0.002);
  got = feed(e, again, t0 + 200 * second_ns);
  for (const auto& t : got)
    EXPECT_NE(t.kind, intent_kind::entry);
  EXPECT_GE(e.stats(0).blocked_no_trade, 1u);
}

TEST(AdvisoryEngine, RegimeFilterBlocksEntriesAgainstTheRegime) {
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}, {"regime_filter", 1}})},
                    {gbpusd()});
  e.on_outlook(clear_view(0, regime::bear));
  EXPECT_TRUE(feed(e, flat_then_move(false)).empty());
  EXPECT_EQ(e.stats(0).blocked_regime, 1u);
}

TEST(AdvisoryEngine, SeveralStrategiesAndInstruments) {
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}}, 40, 0),
                     spec("donchian_breakout", {{"period", 10}}, 40, 1),
                     spec("ma_crossover", {{"fast", 3}, {"slow", 8}}, 40, 1)},
                    {gbpusd(), gbpusd()});
  e.on_outlook(clear_view(0));
  e.on_outlook(clear_view(1));
  const auto on1 = feed(e, flat_then_move(false), t0, 1);
  ASSERT_EQ(on1.size(), 2u);
  for (const auto& t : on1) {
    EXPECT_EQ(t.instrument, 1u);
    EXPECT_NE(t.strategy, 0u);
  }
  EXPECT_EQ(e.position(0), 0);
  EXPECT_EQ(e.position(1), 1);
  EXPECT_EQ(e.position(2), 1);
  // An unknown instrument is ignored.
  std::vector<trade_intent> out;
  EXPECT_EQ(e.on_event(trade_at(t0, 1.5, 9), out), 0u);
}

TEST(AdvisoryEngine, UsesQuoteMidAndBarCloseAndIgnoresBook) {
  advisory_engine e({spec("donchian_breakout", {{"period", 3}})}, {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<trade_intent> out;
  for (int i = 0; i < 3; ++i)
    e.on_event(test::quote_at(t0 + i * second_ns, 1.4999, 1.5001), out);
  market_event book = trade_at(t0 + 4 * second_ns, 9.0);
  book.kind = event_kind::book;
  EXPECT_EQ(e.on_event(book, out), 0u);
  market_event bar = trade_at(t0 + 5 * second_ns, 1.51);
  bar.kind = event_kind::bar;
  ASSERT_EQ(e.on_event(bar, out), 1u);
  EXPECT_EQ(out[0].checklist.entry_reference, fixed::make_price(1.51));
  // Bad prices feed nothing.
  market_event bad = trade_at(t0 + 6 * second_ns, 0.5);
  bad.quality = quality_bad_price;
  EXPECT_EQ(e.on_event(bad, out), 0u);
}

TEST(AdvisoryEngine, SameInputSameHypotheses) {
  const std::vector<strategy_spec> specs = {
      spec("ma_crossover", {{"fast", 5}, {"slow", 20}}), spec("rsi_reversion", {{"period", 7}}),
      spec("donchian_breakout", {{"period", 15}, {"exit_period", 5}})};
  auto run = [&]() {
    outlook_config oc;
    oc.fast_period = 10;
    oc.slow_period = 40;
    outlook_engine l2(oc, 1);
    advisory_engine l3(specs, {gbpusd()});
    test::splitmix rng(42);
    double x = std::log(1.5);
    std::vector<trade_intent> all;
    std::vector<trade_intent> out;
    out.reserve(16);
    for (int i = 0; i < 20000; ++i) {
      x += 3e-4 * rng.normal();
      const market_event ev = trade_at(t0 + i * second_ns, std::exp(x));
      outlook o;
      if (l2.on_event(ev, o))
        l3.on_outlook(o);
      out.clear();
      l3.on_event(ev, out);
      all.insert(all.end(), out.begin(), out.end());
    }
    return all;
  };
  const auto a = run();
  const auto b = run();
  ASSERT_GT(a.size(), 30u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].intent_id, i + 1);
    EXPECT_EQ(a[i].intent_id, b[i].intent_id);
    EXPECT_EQ(a[i].ts_event, b[i].ts_event);
    EXPECT_EQ(a[i].strategy, b[i].strategy);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].checklist.direction, b[i].checklist.direction);
    EXPECT_EQ(a[i].checklist.entry_reference, b[i].checklist.entry_reference);
    EXPECT_EQ(a[i].checklist.stop, b[i].checklist.stop);
    EXPECT_EQ(a[i].checklist.take_profit, b[i].checklist.take_profit);
    EXPECT_EQ(a[i].checklist.size, b[i].checklist.size);
    EXPECT_EQ(a[i].checklist.notional, b[i].checklist.notional);
    EXPECT_EQ(a[i].checklist.assumed, b[i].checklist.assumed);
    EXPECT_EQ(a[i].checklist.rule, b[i].checklist.rule);
  }
}

TEST(AdvisoryEngine, OnEventDoesNotGrowTheCallersVector) {
  advisory_engine e({spec("ma_crossover", {{"fast", 3}, {"slow", 8}})}, {gbpusd()});
  e.on_outlook(clear_view());
  std::vector<trade_intent> out;
  out.reserve(8);
  const auto* data = out.data();
  for (const double px : flat_then_move(false)) {
    out.clear();
    e.on_event(trade_at(t0, px), out);
    EXPECT_EQ(out.data(), data);
  }
}

TEST(AdvisoryEngine, RuleNamesAreStable) {
  EXPECT_STREQ(strategy_rule_name(rule_ma_cross_up_long), "ma_cross_up_long");
  EXPECT_STREQ(strategy_rule_name(rule_donchian_exit_short), "donchian_exit_short");
  EXPECT_STREQ(strategy_rule_name(rule_stop_hit), "stop_hit");
  EXPECT_STREQ(strategy_rule_name(7), "unknown");
}

TEST(ValidateStrategies, AcceptsDefaultsAndReportsPreciseReasons) {
  EXPECT_EQ(
      validate_strategies(
          {spec("ma_crossover", {}), spec("rsi_reversion", {}), spec("donchian_breakout", {})}, 1),
      "");
  EXPECT_NE(validate_strategies({spec("macd", {})}, 1).find("unknown strategy \"macd\""),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {{"fast", 30}, {"slow", 20}})}, 1)
                .find("fast (30) must be less than slow (20)"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {{"fast", 20}, {"slow", 20}})}, 1)
                .find("must be less than"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {}, 40, 3)}, 2).find("out of range"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {{"fsat", 3}})}, 1)
                .find("unknown parameter \"fsat\""),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {{"fast", 2.5}})}, 1).find("whole number"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("rsi_reversion", {{"period", 0}})}, 1).find("outside"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("rsi_reversion", {{"oversold", 60}})}, 1).find("oversold"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {{"stop_bps", -1}})}, 1).find("stop_bps"),
            std::string::npos);
  EXPECT_NE(validate_strategies({spec("ma_crossover", {}, 0.0)}, 1).find("order_notional"),
            std::string::npos);
  EXPECT_NE(
      validate_strategies({spec("ma_crossover", {}), spec("nope", {})}, 1).find("strategies[1]"),
      std::string::npos);
  EXPECT_THROW(advisory_engine({spec("nope", {})}, {gbpusd()}), std::invalid_argument);
}

}  // namespace
}  // namespace peak::strategy
