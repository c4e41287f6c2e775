// A month of real GBP/USD minute bars (February 2012, shared data) through L2 and all three
// strategies. Each minute becomes one quote event (bid close, ask close): strategies see the
// mid, L2 also sees the real spread. A gap of more than 10 minutes is flagged quality_gap,
// as the market-data stage would. Prints the hypotheses per strategy (recorded in
// docs/STRATEGY.md). Skips when the data is absent.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"
#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

struct month_result {
  std::vector<trade_intent> intents;
  std::vector<advisory_stats> stats;
  std::uint64_t outlooks = 0;
  std::array<std::uint64_t, no_trade_trigger_count> raised{};
  std::uint64_t events = 0;
  std::array<std::uint64_t, 3> regime_events{};  ///< events spent neutral, bull, bear
};

month_result run_month(const std::vector<test::bar_row>& bid,
                       const std::vector<test::bar_row>& ask) {
  const instrument_spec gbpusd{"GBPUSD", fixed::make_price(0.00001), fixed::make_quantity(0.01),
                               "USD"};
  std::vector<strategy_spec> specs(3);
  specs[0].name = "ma_crossover";
  specs[1].name = "rsi_reversion";
  specs[2].name = "donchian_breakout";
  for (auto& s : specs)
    s.order_notional = fixed::make_money(40.0);
  outlook_engine l2(outlook_config{}, 1);
  advisory_engine l3(specs, {gbpusd});
  month_result r;
  std::vector<trade_intent> out;
  out.reserve(16);
  std::uint32_t no_trade = no_trade_warming_up;
  for (std::size_t i = 0; i < bid.size(); ++i) {
    market_event e = test::quote_at(bid[i].ts, bid[i].close, ask[i].close);
    if (i > 0 && bid[i].ts - bid[i - 1].ts > 10 * test::minute_ns)
      e.quality |= quality_gap;
    outlook o;
    if (l2.on_event(e, o)) {
      l3.on_outlook(o);
      no_trade = o.no_trade;
      ++r.outlooks;
    }
    ++r.regime_events[static_cast<std::size_t>(l2.current(0).state)];
    out.clear();
    l3.on_event(e, out);
    for (const auto& t : out) {
      if (t.kind == intent_kind::entry) {
        EXPECT_EQ(no_trade, 0u) << "entry while NO-TRADE at row " << i;
      }
      EXPECT_TRUE(checklist_complete(t, gbpusd.lot_size, fixed::make_money(40.0)));
    }
    r.intents.insert(r.intents.end(), out.begin(), out.end());
    ++r.events;
  }
  for (std::size_t s = 0; s < specs.size(); ++s)
    r.stats.push_back(l3.stats(s));
  for (unsigned b = 0; b < no_trade_trigger_count; ++b)
    r.raised[b] = l2.trigger(0, b).raised;
  return r;
}

TEST(RealMonth, GbpUsdFebruary2012ThroughAllThreeStrategies) {
  const std::string bid_path = test::shared_data("bars/gbpusd-m1-bid-2012.csv");
  const std::string ask_path = test::shared_data("bars/gbpusd-m1-ask-2012.csv");
  if (!std::filesystem::exists(bid_path) || !std::filesystem::exists(ask_path))
    GTEST_SKIP() << "shared GBP/USD bars absent";
  const auto bid = test::read_bars(bid_path);
  const auto ask = test::read_bars(ask_path);
  ASSERT_GT(bid.size(), 30000u);
  ASSERT_EQ(bid.size(), ask.size());

  const month_result a = run_month(bid, ask);
  const char* names[] = {"ma_crossover", "rsi_reversion", "donchian_breakout"};
  std::printf("  %zu events, %llu outlooks; NO-TRADE raised:", static_cast<std::size_t>(a.events),
              static_cast<unsigned long long>(a.outlooks));
  for (unsigned b = 0; b < no_trade_trigger_count; ++b)
    std::printf(" %s=%llu", no_trade_trigger_name(b), static_cast<unsigned long long>(a.raised[b]));
  std::printf("\n  regime (events): neutral=%llu bull=%llu bear=%llu",
              static_cast<unsigned long long>(a.regime_events[0]),
              static_cast<unsigned long long>(a.regime_events[1]),
              static_cast<unsigned long long>(a.regime_events[2]));
  EXPECT_GT(a.regime_events[1], 1000u);
  EXPECT_GT(a.regime_events[2], 1000u);
  EXPECT_GT(a.regime_events[0], 1000u);
  std::printf("\n  %-18s %8s %8s %8s %10s %10s\n", "strategy", "total", "entries", "exits",
              "blocked", "incomplete");
  for (std::size_t s = 0; s < 3; ++s) {
    const advisory_stats& st = a.stats[s];
    std::printf("  %-18s %8llu %8llu %8llu %10llu %10llu\n", names[s],
                static_cast<unsigned long long>(st.entries + st.exits),
                static_cast<unsigned long long>(st.entries),
                static_cast<unsigned long long>(st.exits),
                static_cast<unsigned long long>(st.blocked_no_trade),
                static_cast<unsigned long long>(st.incomplete));
    EXPECT_GT(st.entries, 10u) << names[s];
    EXPECT_GE(st.entries, st.exits) << names[s];
    EXPECT_LE(st.entries - st.exits, 1u) << names[s];  // at most the last position open
    EXPECT_EQ(st.incomplete, 0u) << names[s];
  }
  for (std::size_t i = 0; i < a.intents.size(); ++i)
    ASSERT_EQ(a.intents[i].intent_id, i + 1);

  // Determinism: a second run gives the same hypotheses.
  const month_result b = run_month(bid, ask);
  ASSERT_EQ(a.intents.size(), b.intents.size());
  for (std::size_t i = 0; i < a.intents.size(); ++i) {
    EXPECT_EQ(a.intents[i].ts_event, b.intents[i].ts_event);
    EXPECT_EQ(a.intents[i].strategy, b.intents[i].strategy);
    EXPECT_EQ(a.intents[i].checklist.rule, b.intents[i].checklist.rule);
    EXPECT_EQ(a.intents[i].checklist.size, b.intents[i].checklist.size);
  }
}

}  // namespace
}  // namespace peak::strategy
