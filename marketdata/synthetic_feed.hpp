#pragma once
/// Seeded synthetic market feed: quotes and trades for N instruments, with trending,
/// ranging and volatile regimes that switch, and optional injected faults.
/// Same config + seed => the same stream on every platform (own PRNG, no <random> dists).

#include <cstdint>

#include "marketdata/event_source.hpp"
#include "messages/common.hpp"

namespace peak::marketdata {

struct synthetic_config {
  std::uint64_t events = 100'000;     ///< total events across instruments
  std::uint32_t instruments = 1;      ///< instrument ids 0..instruments-1
  double start_price = 100.0;
  double tick_size = 0.01;
  double lot_size = 0.001;
  timestamp_ns start_time = 1'700'000'000'000'000'000;  ///< 2023-11-14T22:13:20Z
  std::int64_t mean_interval_ns = 50'000'000;            ///< mean time between events
  double spread_ticks = 2.0;          ///< typical quoted spread
  double trade_probability = 0.3;     ///< share of events that are trades
  std::uint64_t regime_length = 4'000;  ///< mean events per regime before a switch
  double volatility = 0.0004;         ///< per-event return stdev in the ranging regime
  // Fault injection (probability per event; 0 = clean).
  double fault_gap = 0.0;
  double fault_spike = 0.0;
  double fault_crossed = 0.0;
  double fault_stale = 0.0;
};

class synthetic_feed final : public event_source {
public:
  synthetic_feed(const synthetic_config& config, std::uint64_t seed);
  [[nodiscard]] bool next(market_event& out) override;
  // (implementation-defined private state)
};

}  // namespace peak::marketdata
