#pragma once
/// Static description of a tradable instrument, from the session config.

#include <string>

#include "messages/fixed_point.hpp"

namespace peak {

struct instrument_spec {
  std::string symbol;    ///< session symbol, e.g. "BTCUSDT" or "SYN-A"
  price tick_size;       ///< minimum price increment
  quantity lot_size;     ///< minimum quantity increment
  std::string currency;  ///< quote currency, e.g. "USD"
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instrument_spec& x) {
  return f(x.symbol, x.tick_size, x.lot_size, x.currency);
}

}  // namespace peak
