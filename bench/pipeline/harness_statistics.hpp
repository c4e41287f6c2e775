#pragma once
/// Statistics of the pipeline harness: exact and histogram latency percentiles, and the hiccup
/// meter (a thread spinning on the clock) that runs beside every latency measurement.

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

#include "observability/session_metrics.hpp"
#include "observability/steady_clock.hpp"

namespace peak::bench {

using observability::cpu_relax;
using observability::steady_now_ns;

/// Log-linear histogram (32 sub-buckets per power of two, ~3 % resolution), for the hiccup
/// meter's very many samples.
class log_histogram {
public:
  void record(std::uint64_t value, std::uint64_t count = 1) noexcept {
    counts_[index(value)] += count;
    total_ += count;
    max_ = std::max(max_, value);
  }
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  /// Value at quantile q (upper edge of its bucket, never above the maximum seen).
  [[nodiscard]] std::uint64_t quantile(double q) const noexcept {
    if (total_ == 0)
      return 0;
    const auto target = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= target)
        return std::min(upper(i), max_);
    }
    return max_;
  }

private:
  static constexpr unsigned sub_bits = 5;
  static std::size_t index(std::uint64_t v) noexcept {
    if (v < (1u << (sub_bits + 1)))
      return static_cast<std::size_t>(v);
    const auto msb = static_cast<unsigned>(63 - __builtin_clzll(v));
    const unsigned shift = msb - sub_bits;
    return static_cast<std::size_t>(shift) * (1u << sub_bits) +
           static_cast<std::size_t>(v >> shift);
  }
  static std::uint64_t upper(std::size_t i) noexcept {
    if (i < (1u << (sub_bits + 1)))
      return i;
    const std::size_t shift = (i >> sub_bits) - 1;
    const std::size_t sub = i - shift * (1u << sub_bits);
    return ((static_cast<std::uint64_t>(sub) + 1) << shift) - 1;
  }
  std::array<std::uint64_t, 64 * (1u << sub_bits)> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

/// Latency summary of one measurement (nanoseconds; -1 = not known).
struct latency_summary {
  std::uint64_t samples = 0;
  std::int64_t p50 = -1;
  std::int64_t p99 = -1;
  std::int64_t p999 = -1;
  std::int64_t max = -1;
  std::int64_t mean = -1;
  bool exact = true;  ///< false: bucket upper bounds of the graph's histogram
};

/// Exact percentiles of recorded samples (nearest rank).
[[nodiscard]] latency_summary summarise(std::vector<std::int64_t> samples);

/// Percentiles read from the graph's own latency histogram: the upper bound of the bucket
/// holding the quantile (-1 when it is the +Inf bucket). The histogram keeps no maximum, so
/// max is the bound of the highest non-empty bucket.
[[nodiscard]] latency_summary summarise(const observability::latency_histogram& h);

// ---------------------------------------------------------------------------------------------
// Hiccup meter

/// A thread that spins on the steady clock and records every gap between two reads. The
/// distribution is time-weighted at 1 µs: a gap of g ns counts g/1000 times, so a quantile
/// reads "a probe arriving at a random instant waits at most this long for the CPU".
class hiccup_meter {
public:
  explicit hiccup_meter(bool enabled) : enabled_(enabled) {}
  hiccup_meter(const hiccup_meter&) = delete;
  hiccup_meter& operator=(const hiccup_meter&) = delete;
  ~hiccup_meter() { stop(); }

  void start() {
    if (!enabled_)
      return;
    stop_.store(false, std::memory_order_relaxed);
    started_ns_ = steady_now_ns();
    thread_ = std::thread([this] { run(); });
  }
  void stop() {
    if (thread_.joinable()) {
      stop_.store(true, std::memory_order_relaxed);
      thread_.join();
      stopped_ns_ = steady_now_ns();
    }
  }
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }
  [[nodiscard]] const log_histogram& gaps() const noexcept { return gaps_; }
  [[nodiscard]] std::uint64_t gaps_over_1ms() const noexcept { return over_1ms_; }
  [[nodiscard]] std::uint64_t gaps_over_20us() const noexcept { return over_20us_; }
  [[nodiscard]] double seconds() const noexcept {
    return static_cast<double>(stopped_ns_ - started_ns_) / 1e9;
  }

private:
  void run() {
    std::int64_t previous = steady_now_ns();
    std::uint64_t small_ns = 0;
    while (!stop_.load(std::memory_order_relaxed)) {
      const std::int64_t t = steady_now_ns();
      const auto gap = static_cast<std::uint64_t>(t - previous);
      previous = t;
      if (gap < 1000) {
        small_ns += gap;
        if (small_ns >= 1000) {
          gaps_.record(gap, small_ns / 1000);
          small_ns %= 1000;
        }
      } else {
        gaps_.record(gap, gap / 1000);
        if (gap >= 20'000)
          ++over_20us_;
        if (gap >= 1'000'000)
          ++over_1ms_;
      }
    }
  }

  bool enabled_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  log_histogram gaps_;
  std::uint64_t over_1ms_ = 0;
  std::uint64_t over_20us_ = 0;
  std::int64_t started_ns_ = 0;
  std::int64_t stopped_ns_ = 0;
};

struct hiccup_summary {
  bool measured = false;
  std::int64_t p99 = 0;
  std::int64_t p999 = 0;
  std::int64_t max = 0;
  double gaps_over_1ms_per_second = 0.0;
  double gaps_over_20us_per_second = 0.0;  ///< the CPU gone for longer than a whole order path
};

[[nodiscard]] hiccup_summary summarise(const hiccup_meter& m);

}  // namespace peak::bench
