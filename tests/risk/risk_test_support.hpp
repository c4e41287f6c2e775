#pragma once
/// Helpers for the risk gate tests: market events and intents in whole units.

#include <cstdint>
#include <vector>

#include "messages/instrument.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"

namespace peak::risk::testing {

inline constexpr std::int64_t second = 1'000'000'000;
inline constexpr std::int64_t t0 = 1'700'000'000 * second;  // 2023-11-14, mid-day UTC

inline std::vector<instrument_spec> instruments(std::size_t n) {
  std::vector<instrument_spec> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i].symbol = "SYN-" + std::to_string(i);
  return v;
}

inline market_event trade(instrument_id instrument, timestamp_ns ts, std::int64_t px_raw) {
  market_event e;
  e.instrument = instrument;
  e.ts_event = ts;
  e.kind = event_kind::trade;
  e.px = price{px_raw};
  e.qty = quantity{fixed_scale};
  return e;
}

inline market_event quote(instrument_id instrument, timestamp_ns ts, std::int64_t bid_raw,
                          std::int64_t ask_raw) {
  market_event e;
  e.instrument = instrument;
  e.ts_event = ts;
  e.kind = event_kind::quote;
  e.bid = price{bid_raw};
  e.ask = price{ask_raw};
  e.bid_qty = quantity{10 * fixed_scale};
  e.ask_qty = quantity{10 * fixed_scale};
  return e;
}

inline trade_intent intent(std::uint64_t id, instrument_id instrument, timestamp_ns ts, side dir,
                           std::int64_t ref_raw, std::int64_t size_raw,
                           intent_kind kind = intent_kind::entry) {
  trade_intent i;
  i.intent_id = id;
  i.instrument = instrument;
  i.ts_event = ts;
  i.kind = kind;
  i.checklist.direction = dir;
  i.checklist.entry_reference = price{ref_raw};
  i.checklist.size = quantity{size_raw};
  i.checklist.notional = fixed::abs_notional(price{ref_raw}, quantity{size_raw});
  i.checklist.stop = price{ref_raw / 2};
  i.checklist.take_profit = price{fixed::add(ref_raw, ref_raw)};
  return i;
}

}  // namespace peak::risk::testing
