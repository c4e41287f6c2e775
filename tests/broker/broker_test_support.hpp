#pragma once
/// A small pipeline for the broker tests: risk gate -> execution -> paper broker ->
/// reconciler, fed by hand-made market events. Approved orders only come from the gate.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/execution_engine.hpp"
#include "broker/paper_broker.hpp"
#include "broker/reconciler.hpp"
#include "risk/risk_gate.hpp"

namespace peak::broker::testing {

inline constexpr std::int64_t unit = fixed_scale;
inline constexpr std::int64_t ms = 1'000'000;
inline constexpr std::int64_t second = 1'000'000'000;
inline constexpr std::int64_t t0 = 1'700'000'000 * second;

inline std::vector<instrument_spec> instruments(std::size_t n) {
  std::vector<instrument_spec> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i].symbol = "SYN-" + std::to_string(i);
  return v;
}

inline market_event quote(instrument_id instrument, timestamp_ns ts, std::int64_t bid,
                          std::int64_t ask, std::int64_t bid_qty = 100 * unit,
                          std::int64_t ask_qty = 100 * unit) {
  market_event e;
  e.instrument = instrument;
  e.ts_event = ts;
  e.kind = event_kind::quote;
  e.bid = price{bid};
  e.ask = price{ask};
  e.bid_qty = quantity{bid_qty};
  e.ask_qty = quantity{ask_qty};
  return e;
}

inline market_event trade(instrument_id instrument, timestamp_ns ts, std::int64_t px,
                          std::int64_t qty = 100 * unit) {
  market_event e;
  e.instrument = instrument;
  e.ts_event = ts;
  e.kind = event_kind::trade;
  e.px = price{px};
  e.qty = quantity{qty};
  return e;
}

inline risk::risk_limits wide_limits() {
  risk::risk_limits l;
  l.max_order_notional = money{1'000'000 * unit};
  l.max_total_exposure = money{10'000'000 * unit};
  l.max_daily_loss = money{1'000'000 * unit};
  l.max_open_positions = 100;
  l.max_orders_per_second = 1000;
  l.max_orders_per_minute = 100000;
  l.stale_after_ns = 3600 * second;
  l.price_band_bps = 10'000;
  return l;
}

/// gate -> execution -> paper broker -> reconciler, one instrument set, event time `now`.
struct pipeline {
  explicit pipeline(const paper_broker_config& broker_config = paper_broker_config{},
                    const execution_config& exec_config = execution_config{}, std::uint32_t n = 2,
                    bool seed_gate = true)
      : gate(wide_limits(), instruments(n), &halt, 1),
        broker(broker_config, n),
        exec(broker, &halt, exec_config),
        rec(broker_config.starting_cash, n) {
    for (instrument_id i = 0; seed_gate && i < n; ++i)  // a reference for the gate only
      gate.on_market(trade(i, t0, 100 * unit));
  }

  /// Market data to every stage; reports to gate and reconciler. Returns the reports.
  const std::vector<execution_report>& market(const market_event& e) {
    now = e.ts_event;
    gate.on_market(e);
    rec.on_market(e);
    reports.clear();
    exec.on_market(e, reports);
    route();
    return reports;
  }
  const std::vector<execution_report>& tick(timestamp_ns ts) {
    now = ts;
    reports.clear();
    exec.on_time(ts, reports);
    route();
    return reports;
  }
  void route() {
    for (const auto& r : reports) {
      gate.on_report(r);
      rec.on_report(r);
      journal.push_back(r);
    }
  }
  /// Asks the gate; returns the approval (test fails if denied).
  approved_order approve(instrument_id instrument, side dir, std::int64_t qty,
                         std::int64_t ref = 100 * unit, intent_kind kind = intent_kind::entry) {
    trade_intent i;
    i.intent_id = ++next_intent;
    i.instrument = instrument;
    i.ts_event = now;
    i.kind = kind;
    i.checklist.direction = dir;
    i.checklist.entry_reference = price{ref};
    i.checklist.size = quantity{qty};
    const risk::risk_decision d = gate.check(i);
    last_decision = d;
    return d.order;
  }
  /// Approve and hand to execution; the reconciler learns what was sent.
  bool send(instrument_id instrument, side dir, std::int64_t qty, std::int64_t ref = 100 * unit) {
    const approved_order a = approve(instrument, dir, qty, ref);
    if (!last_decision.approved)
      return false;
    reports.clear();
    const bool ok = exec.on_approved(a, reports);
    if (ok)
      rec.on_submit(a.order);
    route();
    return ok;
  }
  reconcile_result reconcile() const { return rec.check(broker.snapshot()); }

  risk::halt_gate halt;
  risk::risk_gate gate;
  paper_broker broker;
  execution_engine exec;
  reconciler rec;
  std::vector<execution_report> reports;
  std::vector<execution_report> journal;
  risk::risk_decision last_decision;
  timestamp_ns now = t0;
  std::uint64_t next_intent = 0;
};

}  // namespace peak::broker::testing
