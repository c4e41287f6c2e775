#pragma once
/// Order commands (imperative): submit_order, cancel_order.

#include <cstdint>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"

namespace peak {

enum class order_type : std::uint8_t { market = 0, limit = 1 };

/// Command to send one order to the broker.
struct submit_order {
  std::uint64_t client_order_id = 0;  ///< deterministic from (session, sequence)
  std::uint64_t intent_id = 0;        ///< causation id
  instrument_id instrument = no_instrument;
  side direction = side::buy;
  order_type type = order_type::market;
  bool reduce_only = false;
  quantity qty;
  price limit;  ///< limit orders only
  timestamp_ns ts_event = 0;
  /// Non-zero: a flatten-on-halt order, valid only while the halt with this id holds the halt
  /// gate closed and only if it reduces the position (risk_gate::check_flatten makes them).
  std::uint64_t flatten_halt_id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, submit_order& x) {
  return f(x.client_order_id, x.intent_id, x.instrument, x.direction, x.type, x.reduce_only, x.qty,
           x.limit, x.ts_event, x.flatten_halt_id);
}

/// Command to cancel an open order.
struct cancel_order {
  std::uint64_t client_order_id = 0;
  std::uint64_t causation_id = 0;  ///< what asked for the cancel (e.g. halt id)
  timestamp_ns ts_event = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_order& x) {
  return f(x.client_order_id, x.causation_id, x.ts_event);
}

}  // namespace peak
