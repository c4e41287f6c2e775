#pragma once
/// Seeded synthetic market feed: quotes and trades for N instruments, with trending,
/// ranging and volatile regimes that switch, and optional injected faults.
/// Same config + seed => the same stream on every platform (own PRNG, no <random> dists).

#include <cstdint>
#include <vector>

#include "marketdata/event_source.hpp"
#include "messages/common.hpp"

namespace peak::marketdata {

struct synthetic_config {
  std::uint64_t events = 100'000;  ///< total events across instruments
  std::uint32_t instruments = 1;   ///< instrument ids 0..instruments-1
  double start_price = 100.0;
  double tick_size = 0.01;
  double lot_size = 0.001;
  timestamp_ns start_time = 1'700'000'000'000'000'000;  ///< 2023-11-14T22:13:20Z
  std::int64_t mean_interval_ns = 50'000'000;           ///< mean time between events
  double spread_ticks = 2.0;                            ///< typical quoted spread
  double trade_probability = 0.3;                       ///< share of events that are trades
  std::uint64_t regime_length = 4'000;                  ///< mean events per regime before a switch
  double volatility = 0.0004;  ///< per-event return stdev in the ranging regime
  // Fault injection (probability per event; 0 = clean).
  double fault_gap = 0.0;
  double fault_spike = 0.0;
  double fault_crossed = 0.0;
  double fault_stale = 0.0;
};

/// Market regime of one synthetic instrument.
enum class synthetic_regime : std::uint8_t {
  trend_up = 0,
  trend_down = 1,
  ranging = 2,
  volatile_ = 3
};

/// Counts of what a synthetic feed produced (for tests and reports).
struct synthetic_stats {
  std::uint64_t events = 0;
  std::uint64_t trades = 0;
  std::uint64_t quotes = 0;
  std::uint64_t regime_switches = 0;
  std::uint64_t faults_gap = 0;
  std::uint64_t faults_spike = 0;
  std::uint64_t faults_crossed = 0;
  std::uint64_t faults_stale = 0;
};

/// Deterministic event source. Event time rises monotonically (round-robin over the
/// instruments, a random interval in [0, 2 * mean_interval_ns] between events); prices sit
/// on the tick grid, sizes on the lot grid. Faults: gap (event time jumps 60 s), spike (one
/// trade printed 5 % away), crossed (one quote with bid > ask), stale (the feed goes quiet
/// for 45 s after the event, so every instrument resumes stale; a feed gap as well).
/// No allocation after construction.
class synthetic_feed final : public event_source {
public:
  synthetic_feed(const synthetic_config& config, std::uint64_t seed);
  [[nodiscard]] bool next(market_event& out) override;

  /// What has been produced so far.
  [[nodiscard]] const synthetic_stats& stats() const noexcept { return stats_; }
  /// Current regime of an instrument (for tests).
  [[nodiscard]] synthetic_regime regime(instrument_id instrument) const noexcept {
    return states_[instrument].regime;
  }

  /// Time jump of an injected gap fault.
  static constexpr std::int64_t gap_fault_ns = 60'000'000'000;
  /// Extra silence of an instrument under an injected stale fault.
  static constexpr std::int64_t stale_fault_ns = 45'000'000'000;
  /// Relative size of an injected spike.
  static constexpr double spike_fraction = 0.05;

private:
  struct instrument_state {
    double mid = 100.0;     ///< current level (the quoted mid adds noise)
    double anchor = 100.0;  ///< ranging regime mean-reversion level
    double drift = 0.0;     ///< per-event drift (trend regimes)
    double flow = 0.0;      ///< slowly wandering drift (ranging, volatile)
    double noise = 0.0;     ///< relative noise of the quoted mid around the level
    double vol = 0.0;       ///< current per-event volatility (eases toward target_vol)
    double target_vol = 0.0;
    std::uint64_t remaining = 0;  ///< events left in the regime
    std::uint64_t trade_id = 0;   ///< per-instrument trade id (consecutive)
    std::uint64_t update_id = 0;  ///< per-instrument quote update id (consecutive)
    std::int64_t spread = 2;      ///< current spread in ticks
    synthetic_regime regime = synthetic_regime::ranging;
  };

  std::uint64_t next_u64() noexcept;
  double uniform() noexcept;  ///< [0, 1)
  double normal() noexcept;   ///< unit variance, mean 0 (Irwin-Hall of 4 uniforms)
  void start_regime(instrument_state& s) noexcept;
  double step_level(instrument_state& s) noexcept;
  void quote_ticks(instrument_state& s, double observed, std::int64_t& bid_ticks,
                   std::int64_t& ask_ticks) noexcept;
  void make_trade(market_event& out, instrument_state& s, std::int64_t bid_ticks,
                  std::int64_t ask_ticks, std::uint64_t draw) noexcept;
  void make_quote(market_event& out, instrument_state& s, std::int64_t bid_ticks,
                  std::int64_t ask_ticks, std::uint64_t draw) noexcept;

  synthetic_config config_;
  std::uint64_t rng_[4]{};
  std::vector<instrument_state> states_;
  synthetic_stats stats_;
  timestamp_ns now_ = 0;
  std::int64_t tick_raw_ = 1;
  std::int64_t lot_raw_ = 1;
  std::uint32_t next_instrument_ = 0;
  std::int64_t pending_delay_ns_ = 0;  ///< stale fault: silence added before the next event
};

}  // namespace peak::marketdata
