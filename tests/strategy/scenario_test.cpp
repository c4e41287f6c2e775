// L2 and L3 together, as the pipeline wires them: outlook first, then the event.

#include <gtest/gtest.h>

#include <vector>

#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"
#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

using test::second_ns;

constexpr timestamp_ns t0 = 1'328'054'400'000'000'000;

struct step_record {
  std::vector<trade_intent> intents;
  std::uint32_t no_trade = 0;
};

TEST(Scenario, BlackoutWindowBlocksEntriesButNotExits) {
  outlook_config oc;
  oc.fast_period = 5;
  oc.slow_period = 20;
  oc.blackouts.push_back({t0 + 100 * second_ns, t0 + 200 * second_ns, "central bank"});
  outlook_engine l2(oc, 1);
  strategy_spec ma;
  ma.name = "ma_crossover";
  ma.params = {{"fast", 3}, {"slow", 8}, {"stop_bps", 20}, {"take_profit_bps", 500}};
  ma.order_notional = fixed::make_money(40.0);
  advisory_engine l3({ma}, {instrument_spec{"GBPUSD", fixed::make_price(0.00001),
                                            fixed::make_quantity(0.01), "USD"}});

  // Prices, one per second: noise, rise (entry), flat, fall inside the blackout (stop exit,
  // short entry blocked), flat, rise after the blackout (entry allowed again).
  std::vector<double> px;
  for (int i = 0; i < 80; ++i)
    px.push_back(1.5 + 0.0001 * ((i % 4) - 1.5));
  for (int i = 1; i <= 15; ++i)
    px.push_back(1.5 + 0.0002 * i);
  while (px.size() < 110)
    px.push_back(px.back());
  for (int i = 1; i <= 20; ++i)
    px.push_back(px[109] - 0.0003 * i);
  while (px.size() < 240)
    px.push_back(px.back() + ((px.size() % 2) != 0 ? 0.0001 : -0.0001));
  for (int i = 1; i <= 15; ++i)
    px.push_back(px[239] + 0.0002 * i);

  std::vector<step_record> steps(px.size());
  std::vector<trade_intent> out;
  out.reserve(8);
  for (std::size_t i = 0; i < px.size(); ++i) {
    const market_event e = test::trade_at(t0 + static_cast<std::int64_t>(i) * second_ns, px[i]);
    outlook o;
    if (l2.on_event(e, o))
      l3.on_outlook(o);
    out.clear();
    l3.on_event(e, out);
    steps[i].intents = out;
    steps[i].no_trade = l2.current(0).no_trade;
    if (i == 99) {
      EXPECT_EQ(l3.position(0), 1);  // long going into the window
    }
  }
  int entries_before = 0;
  int exits_inside = 0;
  int entries_inside = 0;
  int entries_after = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool inside = i >= 100 && i < 200;
    EXPECT_EQ((steps[i].no_trade & no_trade_news_blackout) != 0, inside) << i;
    for (const auto& t : steps[i].intents) {
      if (t.kind == intent_kind::entry) {
        EXPECT_EQ(steps[i].no_trade, 0u) << i;
        (i < 100 ? entries_before : inside ? entries_inside : entries_after)++;
      } else if (inside) {
        ++exits_inside;  // the cross down (103) or the stop (901), whichever comes first
      }
    }
  }
  EXPECT_GE(entries_before, 1);
  EXPECT_EQ(exits_inside, 1);
  EXPECT_EQ(entries_inside, 0);
  EXPECT_GE(l3.stats(0).blocked_no_trade, 1u);  // the cross down inside the window
  EXPECT_GE(entries_after, 1);
  EXPECT_EQ(l2.trigger(0, 3).raised, 1u);
  EXPECT_EQ(l2.trigger(0, 3).active_ns, 100 * second_ns);
}

}  // namespace
}  // namespace peak::strategy
