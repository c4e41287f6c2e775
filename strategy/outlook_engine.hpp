#pragma once
/// L2 outlook core: per-instrument regime (bull/bear/neutral + uncertainty) and NO-TRADE
/// triggers with hysteresis. Pure C++, event time only.

#include <cstdint>
#include <string>
#include <vector>

#include "messages/market_data.hpp"
#include "messages/outlook.hpp"

namespace peak::strategy {

/// A scheduled news blackout, [start, end) in UTC event time.
struct blackout_window {
  timestamp_ns start = 0;
  timestamp_ns end = 0;
  std::string label;
};

struct outlook_config {
  std::uint32_t fast_period = 20;
  std::uint32_t slow_period = 100;
  double spread_spike_ratio = 4.0;   ///< spread / typical spread that raises NO-TRADE
  double volatility_spike_ratio = 3.0;
  std::int64_t emit_interval_ns = 60'000'000'000;  ///< scheduled emission (event time)
  std::vector<blackout_window> blackouts;
};

class outlook_engine {
public:
  outlook_engine(const outlook_config& config, std::uint32_t instruments);
  /// Updates the instrument's state from one event. Returns true and fills `out` when an
  /// outlook is due (changed regime or triggers, or the schedule).
  bool on_event(const market_event& event, outlook& out) noexcept;
  /// Latest outlook of an instrument.
  [[nodiscard]] const outlook& current(instrument_id instrument) const;
};

}  // namespace peak::strategy
