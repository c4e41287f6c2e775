#pragma once
/// The session's metrics: plain relaxed atomics laid out at start-up, updated on the hot path
/// for nanoseconds (one uncontended atomic add, no locks, no allocation), read on scrape.
/// Exposed to Prometheus by metrics_exposer (prometheus-cpp pull) with Prometheus naming:
/// `peak_` prefix, base units, `_total` counters, `_seconds` histograms.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "messages/control.hpp"
#include "messages/order_events.hpp"
#include "messages/risk_decisions.hpp"

namespace peak::observability {

/// Monotonic counter (one relaxed atomic add).
class counter {
public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::uint64_t> value_{0};
};

/// Gauge holding a double (stored as its bit pattern; set/get are single relaxed atomics).
class gauge {
public:
  void set(double v) noexcept;
  [[nodiscard]] double value() const noexcept;

private:
  std::atomic<std::uint64_t> bits_{0};
};

/// Latency histogram with fixed log-spaced buckets from 100 ns to 10 s. observe() is one
/// bucket search over a small constant table plus three relaxed atomic adds.
class latency_histogram {
public:
  static constexpr std::size_t bucket_count = 24;
  /// Upper bounds in nanoseconds (the last finite bound; +Inf is implicit).
  static const std::array<std::int64_t, bucket_count>& bounds_ns() noexcept;
  void observe_ns(std::int64_t ns) noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept;
  [[nodiscard]] std::int64_t sum_ns() const noexcept;
  /// Non-cumulative count of bucket i (i == bucket_count: above the last bound).
  [[nodiscard]] std::uint64_t bucket(std::size_t i) const noexcept;

private:
  std::array<std::atomic<std::uint64_t>, bucket_count + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> sum_ns_{0};
};

/// All metrics of one session. Sized at construction from the session's instruments and
/// strategies; never resized.
struct session_metrics {
  session_metrics(std::vector<std::string> instruments, std::vector<std::string> strategies);

  std::vector<std::string> instrument_names;
  std::vector<std::string> strategy_names;  ///< "name#index"

  // market data
  std::array<counter, 4> market_events;    ///< by event_kind
  std::array<counter, 10> quality_faults;  ///< by quality flag bit
  // L2 outlook (per instrument)
  std::vector<gauge> regime;  ///< 0 neutral, 1 bull, 2 bear
  std::vector<gauge> uncertainty;
  std::array<gauge, 5>
      no_trade_active;  ///< by no_trade_trigger bit, 1 while active (any instrument)
  std::array<counter, 5> no_trade_raised;  ///< by trigger bit
  // L3 advisory (per strategy)
  std::vector<counter> hypotheses;
  // L5 risk
  counter risk_approved;
  std::array<counter, deny_reason_count> risk_denied;  ///< by deny_reason
  // execution / orders
  counter orders_submitted;
  std::array<counter, 6> order_reports;   ///< by report_kind
  std::array<counter, 2> orders_by_side;  ///< submitted, by side
  counter orders_shadow_recorded;
  // latency (wall clock)
  std::array<latency_histogram, stage_count> stage_latency;  ///< per stage processing
  latency_histogram tick_to_order;
  latency_histogram broker_round_trip;  ///< submit -> first report (wall)
  // reconciler
  counter reconcile_checks;
  counter reconcile_mismatches;
  // kill switch
  gauge kill_switch_engaged;                     ///< 1 while halted
  std::array<counter, halt_reason_count> halts;  ///< by halt_reason
  latency_histogram halt_gate_latency;           ///< trigger -> gate closed
  latency_histogram halt_all_latency;            ///< trigger -> all stages acknowledged
  // account
  gauge pnl;       ///< equity - starting cash, quote currency
  gauge exposure;  ///< sum |position| x mark
  gauge open_positions;
  gauge equity;
  // actors
  std::array<gauge, stage_count> mailbox_depth;  ///< latest sample, per stage
  /// Mailbox samples taken per stage (not exposed: tells "sampled at 0" from "never sampled").
  std::array<counter, stage_count> mailbox_samples;
  // session
  gauge up;  ///< 1 while the session runs
};

}  // namespace peak::observability
