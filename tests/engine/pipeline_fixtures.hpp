#pragma once
/// Shared fixtures for pipeline tests: a small session config and helpers that check the
/// conservation laws of a session result.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "config/session_config.hpp"
#include "engine/decision_sink.hpp"
#include "engine/session_result.hpp"

namespace peak::testing {

/// Demo config with `events` synthetic events and seed `seed` on two instruments.
inline config::session_config small_session(std::uint64_t events, std::uint64_t seed,
                                            config::session_mode mode) {
  config::session_config c = config::default_config();
  c.session.mode = mode;
  c.session.seed = seed;
  c.instruments.push_back(
      instrument_spec{"SYN-B", fixed::make_price(0.01), fixed::make_quantity(0.001), "USD"});
  c.market_data.synthetic.events = events;
  c.market_data.synthetic.instruments = 2;
  strategy::strategy_spec b = c.strategies.front();
  b.instrument = 1;
  b.params = {{"fast", 10.0}, {"slow", 40.0}};
  c.strategies.push_back(b);
  c.strategies.front().params = {{"fast", 10.0}, {"slow", 40.0}};
  return c;
}

/// Records decisions in memory (type, event time, fields).
class memory_sink final : public engine::decision_sink {
public:
  struct entry {
    std::string type;
    timestamp_ns ts = 0;
    std::string fields;
  };
  void record(std::string_view type, timestamp_ns ts, std::string_view fields) override {
    records.push_back({std::string(type), ts, std::string(fields)});
  }
  std::vector<entry> records;
};

/// Conservation: every intent has exactly one decision, every approved order reaches a
/// terminal state (paper), positions equal the sum of fills, cash is consistent with fills.
inline void expect_conservation(const engine::session_result& r, bool shadow) {
  const auto& c = r.counters;
  EXPECT_EQ(c.intents, c.approvals + c.denials) << "every intent gets exactly one decision";
  EXPECT_EQ(r.orders.size(), c.approvals);
  if (shadow) {
    EXPECT_EQ(c.orders_sent, 0u);
    EXPECT_EQ(c.orders_recorded, c.approvals);
    EXPECT_TRUE(r.trades.empty());
    EXPECT_EQ(r.final_cash.raw, r.starting_cash.raw);
    return;
  }
  for (const auto& o : r.orders) {
    const bool terminal = o.state == "filled" || o.state == "cancelled" || o.state == "rejected" ||
                          o.state == "expired";
    // The last order of a run may still be in flight when the data ends.
    if (!terminal) {
      EXPECT_GE(o.ts_approved, c.last_event_ts - 1'000'000'000)
          << "order " << o.client_order_id << " ended in state " << o.state;
    }
  }
  std::map<instrument_id, std::int64_t> position;
  std::int64_t cash = r.starting_cash.raw;
  for (const auto& t : r.trades) {
    const std::int64_t signed_qty = t.direction == side::buy ? t.qty.raw : -t.qty.raw;
    position[t.instrument] += signed_qty;
    cash -= fixed::notional(t.px, quantity{signed_qty}).raw;
    cash -= t.fee.raw;
    EXPECT_EQ(t.position_after.raw, position[t.instrument]) << "trade " << t.seq;
    EXPECT_EQ(t.cash_after.raw, cash) << "trade " << t.seq;
  }
  EXPECT_EQ(r.final_cash.raw, cash) << "cash = start - fills - fees";
  EXPECT_EQ(c.reconcile_mismatches, 0u) << r.tripwire;
}

}  // namespace peak::testing
