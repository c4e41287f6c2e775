#pragma once
/// L3 advisory output: a trade hypothesis (intent) with its risk checklist.

#include <cstdint>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"
#include "messages/outlook.hpp"

namespace peak {

/// Whether a hypothesis opens/increases a position or closes/reduces one.
enum class intent_kind : std::uint8_t { entry = 0, exit = 1 };

/// The risk checklist every hypothesis must carry; an incomplete one is never emitted.
struct risk_checklist {
  side direction = side::buy;
  price entry_reference;  ///< price the hypothesis was formed at (mid or last)
  price stop;             ///< protective stop
  price take_profit;      ///< profit target
  quantity size;          ///< order quantity (> 0)
  money notional;         ///< |entry_reference × size|
  regime assumed = regime::neutral;
  std::uint16_t rule = 0;  ///< strategy-specific rule id that fired (see strategy docs)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_checklist& x) {
  return f(x.direction, x.entry_reference, x.stop, x.take_profit, x.size, x.notional, x.assumed,
           x.rule);
}

/// A trade hypothesis from L3 to the L5 risk gate. Never goes to execution directly.
struct trade_intent {
  std::uint64_t intent_id = 0;  ///< session-unique, deterministic (sequence)
  instrument_id instrument = no_instrument;
  timestamp_ns ts_event = 0;   ///< event time of the market event that caused it
  std::uint16_t strategy = 0;  ///< index of the strategy in the session config
  intent_kind kind = intent_kind::entry;
  risk_checklist checklist;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade_intent& x) {
  return f(x.intent_id, x.instrument, x.ts_event, x.strategy, x.kind, x.checklist);
}

}  // namespace peak
