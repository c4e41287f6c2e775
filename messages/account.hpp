#pragma once
/// Position and cash snapshots (expected by the reconciler, or reported by the broker).

#include <cstdint>
#include <vector>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"

namespace peak {

struct position_snapshot {
  instrument_id instrument = no_instrument;
  quantity qty;     ///< signed: > 0 long, < 0 short
  price avg_price;  ///< average entry price of the open position
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_snapshot& x) {
  return f(x.instrument, x.qty, x.avg_price);
}

struct account_snapshot {
  timestamp_ns ts_event = 0;
  money cash;
  money fees_paid;
  money realised_pnl;
  std::uint32_t open_orders = 0;
  std::vector<position_snapshot> positions;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_snapshot& x) {
  return f(x.ts_event, x.cash, x.fees_paid, x.realised_pnl, x.open_orders, x.positions);
}

}  // namespace peak
