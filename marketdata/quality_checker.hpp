#pragma once
/// Data-quality checks on normalised market events: flags are OR-ed into `event.quality`
/// and counted; events are never dropped (L2 decides what to do with a flagged event).
/// Thresholds and rules: docs/MARKET_DATA.md.

#include <array>
#include <cstdint>
#include <vector>

#include "messages/market_data.hpp"

namespace peak::marketdata {

/// Thresholds of the quality checks. Defaults suit liquid instruments at sub-second rates.
struct quality_config {
  std::int64_t gap_threshold_ns =
      5'000'000'000;  ///< feed gap: event time since the previous event (any instrument)
  std::int64_t stale_after_ns =
      30'000'000'000;                   ///< stale: event time since the instrument's previous event
  double jump_sigma = 8.0;              ///< price jump: |return| above this many sigmas ...
  double jump_min_fraction = 0.005;     ///< ... and above this relative move (0.5 %)
  std::uint32_t jump_warmup = 20;       ///< returns seen before jumps are judged
  double jump_ewma_alpha = 0.02;        ///< weight of the newest squared return in sigma
  std::uint32_t jump_accept_after = 3;  ///< consecutive jumps that move the reference level
  std::int64_t max_price_raw = 1'000'000'000LL * 100'000'000LL;  ///< absurd price: above 1e9
  std::int64_t max_size_raw = 1'000'000'000LL * 100'000'000LL;   ///< absurd size: above 1e9
  bool check_trade_sequence = true;  ///< trades with sequence != 0: gaps, repeats, regressions
  /// Book updates with previous_sequence != 0 (Binance depth U/u, pu): an update that does
  /// not follow on from the instrument's last update id is a sequence gap.
  bool check_book_sequence = true;
};

/// Number of quality_flag bits (messages/market_data.hpp).
inline constexpr std::size_t quality_flag_count = 10;

/// Per-instrument, per-flag counters and the totals.
struct quality_counters {
  std::uint64_t events = 0;                                 ///< events checked
  std::uint64_t flagged = 0;                                ///< events with at least one flag
  std::array<std::uint64_t, quality_flag_count> by_flag{};  ///< index = flag bit number
};

/// Stateful checker; one per feed. `check` is allocation-free and never throws.
class quality_checker {
public:
  quality_checker(const quality_config& config, std::uint32_t instruments);

  /// ORs the applicable quality_flag bits into `event.quality` and counts them. Events of
  /// instruments outside 0..instruments-1 are checked only for feed-level faults.
  void check(market_event& event) noexcept;

  /// Totals over all instruments.
  [[nodiscard]] const quality_counters& totals() const noexcept { return totals_; }
  /// Count of events flagged with bit `bit` (0..9), all instruments.
  [[nodiscard]] std::uint64_t count(unsigned bit) const noexcept {
    return bit < quality_flag_count ? totals_.by_flag[bit] : 0;
  }
  /// Count of events flagged with `flag` (a single quality_flag value), all instruments.
  [[nodiscard]] std::uint64_t count_flag(quality_flag flag) const noexcept;
  /// Counters of one instrument (totals for an unknown id).
  [[nodiscard]] const quality_counters& instrument(instrument_id id) const noexcept;
  [[nodiscard]] const quality_config& config() const noexcept { return config_; }
  /// Forgets all history (not the counters): use between independent replays.
  void reset_state() noexcept;

private:
  struct kind_state {
    timestamp_ns last_ts = 0;
    std::uint64_t last_sequence = 0;
    bool seen = false;
  };
  struct instrument_state {
    std::array<kind_state, 4> kinds{};  ///< by event_kind
    timestamp_ns last_ts = 0;           ///< any kind
    bool seen = false;
    price last_bid;
    price last_ask;
    quantity last_bid_qty;
    quantity last_ask_qty;
    double ref_price = 0.0;  ///< reference level for the jump check
    double variance = 0.0;   ///< EWMA of squared returns
    std::uint32_t returns = 0;
    std::uint32_t consecutive_jumps = 0;
    quality_counters counters;
  };

  std::uint32_t value_flags(const market_event& event, double& level) const noexcept;
  std::uint32_t time_flags(const market_event& event, instrument_state& s,
                           kind_state& k) const noexcept;
  std::uint32_t sequence_flags(const market_event& event, instrument_state& s,
                               kind_state& k) const noexcept;
  std::uint32_t jump_flags(double level, instrument_state& s) const noexcept;
  void count(std::uint32_t flags, quality_counters& c) noexcept;

  quality_config config_;
  std::vector<instrument_state> states_;
  quality_counters totals_;
  timestamp_ns last_ts_ = 0;  ///< highest event time seen (feed level)
  bool seen_any_ = false;
};

}  // namespace peak::marketdata
