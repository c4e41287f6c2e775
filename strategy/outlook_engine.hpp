#pragma once
/// L2 outlook core: per-instrument regime (bull/bear/neutral + uncertainty) and NO-TRADE
/// triggers with hysteresis. Pure C++, event time only. Rules: docs/STRATEGY.md.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/market_data.hpp"
#include "messages/outlook.hpp"
#include "strategy/indicators.hpp"

namespace peak::strategy {

/// A scheduled news blackout, [start, end) in UTC event time.
struct blackout_window {
  timestamp_ns start = 0;
  timestamp_ns end = 0;
  std::string label;
};

/// L2 settings. The first six come from the session config; the rest have documented
/// defaults (docs/STRATEGY.md).
struct outlook_config {
  std::uint32_t fast_period = 20;       ///< fast trend EMA and short volatility window (prices)
  std::uint32_t slow_period = 100;      ///< slow trend EMA; baseline volatility warm-up
  double spread_spike_ratio = 4.0;      ///< spread / typical spread that raises NO-TRADE
  double volatility_spike_ratio = 3.0;  ///< short vol / baseline vol that raises NO-TRADE
  std::int64_t emit_interval_ns = 60'000'000'000;  ///< scheduled emission (event time)
  std::vector<blackout_window> blackouts;
  double regime_enter = 0.5;     ///< |trend_slope| at or above which bull/bear is entered
  double regime_exit = 0.25;     ///< |trend_slope| below which bull/bear falls back to neutral
  double clear_fraction = 0.75;  ///< a spike clears below ratio * clear_fraction ...
  std::uint32_t clear_after_events = 5;          ///< ... held for this many consecutive events ...
  std::int64_t clear_after_ns = 30'000'000'000;  ///< ... and this much event time
  std::uint32_t spread_baseline_period = 100;    ///< quotes in the typical-spread EMA
  std::uint32_t quality_mask = 0xFFFF'FFFFu;     ///< quality_flag bits that raise NO-TRADE
  std::uint32_t percentile_window = 128;         ///< short-vol samples kept for the percentile
};

/// Counters of one NO-TRADE trigger on one instrument (visible to operators).
struct trigger_stats {
  std::uint64_t raised = 0;       ///< times raised
  std::int64_t active_ns = 0;     ///< event time spent active (closed intervals)
  timestamp_ns last_raised = 0;   ///< event time it was last raised
  timestamp_ns last_cleared = 0;  ///< event time it was last cleared
  bool active = false;
};

/// Number of NO-TRADE trigger bits (messages/outlook.hpp).
inline constexpr std::size_t no_trade_trigger_count = 5;

/// Name of NO-TRADE trigger bit `bit` (0..4), for logs and metrics.
constexpr const char* no_trade_trigger_name(unsigned bit) noexcept {
  constexpr const char* names[] = {"spread_spike", "volatility_spike", "data_quality",
                                   "news_blackout", "warming_up"};
  return bit < no_trade_trigger_count ? names[bit] : "unknown";
}

class outlook_engine {
public:
  outlook_engine(const outlook_config& config, std::uint32_t instruments);
  /// Updates the instrument's state from one event. Returns true and fills `out` when an
  /// outlook is due (changed regime or triggers, first event, or the schedule).
  bool on_event(const market_event& event, outlook& out) noexcept;
  /// Latest outlook of an instrument (a warming-up neutral one before its first event).
  [[nodiscard]] const outlook& current(instrument_id instrument) const;
  /// Counters of trigger bit `bit` (0..4) on an instrument.
  [[nodiscard]] const trigger_stats& trigger(instrument_id instrument, unsigned bit) const;
  [[nodiscard]] std::uint32_t instruments() const noexcept {
    return static_cast<std::uint32_t>(states_.size());
  }

private:
  /// Hysteresis of one trigger: raise at once, clear after a calm dwell.
  struct trigger_state {
    trigger_stats stats;
    std::uint32_t calm_events = 0;
    timestamp_ns calm_since = 0;
  };
  struct instrument_state {
    explicit instrument_state(const outlook_config& c);
    ema fast;
    ema slow;
    rolling_volatility short_vol;
    double base_var = 0.0;  ///< baseline variance of returns (clipped EWMA)
    std::uint64_t base_count = 0;
    spread_stats spreads;
    ring_buffer vol_history;         ///< short-vol samples, oldest evicted first
    std::vector<double> vol_sorted;  ///< the same samples, sorted (capacity fixed up front)
    std::uint32_t since_sample = 0;
    double last_price = 0.0;
    double trend = 0.0;
    regime state = regime::neutral;
    std::array<trigger_state, no_trade_trigger_count> triggers{};
    outlook current;
    outlook emitted;
    bool has_emitted = false;
    std::size_t blackout_cursor = 0;
    timestamp_ns last_ts = 0;
  };
  enum class level : std::uint8_t { calm, hold, raise };

  void step_trigger(trigger_state& t, level l, timestamp_ns ts) const noexcept;
  void update_price(instrument_state& s, double price, timestamp_ns ts) noexcept;
  [[nodiscard]] bool in_blackout(instrument_state& s, timestamp_ns ts) const noexcept;
  [[nodiscard]] double volatility_percentile(const instrument_state& s) const noexcept;

  outlook_config config_;
  std::vector<blackout_window> merged_;  ///< disjoint, sorted blackout windows
  std::vector<instrument_state> states_;
  outlook unknown_;
  trigger_stats no_stats_;
};

}  // namespace peak::strategy
