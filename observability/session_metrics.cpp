#include "observability/session_metrics.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace peak::observability {

namespace {

constexpr std::int64_t us = 1'000;
constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t sec = 1'000'000'000;

/// 1-2-5 steps from 100 ns to 1 s (dense where the pipeline's latencies live), then 5 s and
/// 10 s for the kill switch's slow path. Ascending; a value v lands in the first bucket whose
/// bound is >= v (Prometheus `le` semantics).
constexpr std::array<std::int64_t, latency_histogram::bucket_count> bounds_table{
    100,     200,      500,      1 * us,   2 * us,   5 * us,  10 * us, 20 * us,
    50 * us, 100 * us, 200 * us, 500 * us, 1 * ms,   2 * ms,  5 * ms,  10 * ms,
    20 * ms, 50 * ms,  100 * ms, 200 * ms, 500 * ms, 1 * sec, 5 * sec, 10 * sec};

}  // namespace

void gauge::set(double v) noexcept {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  bits_.store(b, std::memory_order_relaxed);
}

double gauge::value() const noexcept {
  const std::uint64_t b = bits_.load(std::memory_order_relaxed);
  double v = 0.0;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

const std::array<std::int64_t, latency_histogram::bucket_count>&
latency_histogram::bounds_ns() noexcept {
  return bounds_table;
}

void latency_histogram::observe_ns(std::int64_t ns) noexcept {
  if (ns < 0) {
    ns = 0;  // a clock step backwards is not a negative latency
  }
  const auto it = std::lower_bound(bounds_table.begin(), bounds_table.end(), ns);
  const auto i = static_cast<std::size_t>(it - bounds_table.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns, std::memory_order_relaxed);
}

std::uint64_t latency_histogram::count() const noexcept {
  return count_.load(std::memory_order_relaxed);
}

std::int64_t latency_histogram::sum_ns() const noexcept {
  return sum_ns_.load(std::memory_order_relaxed);
}

std::uint64_t latency_histogram::bucket(std::size_t i) const noexcept {
  return i < buckets_.size() ? buckets_[i].load(std::memory_order_relaxed) : 0;
}

session_metrics::session_metrics(std::vector<std::string> instruments,
                                 std::vector<std::string> strategies)
    : instrument_names(std::move(instruments)),
      strategy_names(std::move(strategies)),
      regime(instrument_names.size()),
      uncertainty(instrument_names.size()),
      hypotheses(strategy_names.size()) {
  for (auto& u : uncertainty) {
    u.set(1.0);  // no outlook yet: no confidence
  }
}

}  // namespace peak::observability
