#pragma once
/// L2 market outlook: regime with uncertainty, and the NO-TRADE triggers in force.

#include <cstdint>

#include "messages/common.hpp"

namespace peak {

/// Market regime per instrument.
enum class regime : std::uint8_t { neutral = 0, bull = 1, bear = 2 };

/// NO-TRADE triggers (bit mask). While any is set, L3 raises no new entry.
enum no_trade_trigger : std::uint32_t {
  no_trade_none = 0,
  no_trade_spread_spike = 1u << 0,
  no_trade_volatility_spike = 1u << 1,
  no_trade_data_quality = 1u << 2,
  no_trade_news_blackout = 1u << 3,
  no_trade_warming_up = 1u << 4,  ///< indicators not yet warm
};

/// Outlook for one instrument, emitted when it changes and on a schedule.
struct outlook {
  instrument_id instrument = no_instrument;
  timestamp_ns ts_event = 0;
  regime state = regime::neutral;
  double uncertainty = 1.0;            ///< [0,1], 1 = no confidence
  double trend_slope = 0.0;            ///< evidence: normalised trend slope
  double volatility_percentile = 0.0;  ///< evidence: current vol vs recent history, [0,1]
  std::uint32_t no_trade = 0;          ///< no_trade_trigger bits
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outlook& x) {
  return f(x.instrument, x.ts_event, x.state, x.uncertainty, x.trend_slope, x.volatility_percentile,
           x.no_trade);
}

}  // namespace peak
