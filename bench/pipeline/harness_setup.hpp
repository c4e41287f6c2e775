#pragma once
/// Session setup shared by the pipeline harness's three variants: the benchmark config, the
/// market data (synthetic or a looped capture), pacing, and what a run reports.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/pipeline/harness_statistics.hpp"
#include "bench/pipeline/pipeline_harness.hpp"
#include "config/session_config.hpp"
#include "marketdata/replay.hpp"
#include "messages/market_data.hpp"

namespace peak::bench {

/// Events of a recorded capture, loaded once and looped by the runs.
struct capture_data {
  std::string name;
  std::vector<market_event> events;
  std::uint32_t instruments = 0;
  std::int64_t span_ns = 0;   ///< event time from the first to the last event
  instrument_id busiest = 0;  ///< the instrument with the most trades and quotes (traded)
};

/// What every run needs: the options and, when replaying a capture, its events.
struct run_context {
  const harness_options& options;
  const capture_data* capture = nullptr;
};
/// The benchmark session: default config, a fast MA crossover so intents flow, and limits
/// high enough that orders keep being approved (the harness measures the order path).
[[nodiscard]] config::session_config bench_config(const run_context& ctx, std::uint64_t events);

/// Loops a capture's events until `events` were produced, shifting event time by the
/// capture's span (plus one millisecond) on every pass so time keeps rising.
class looped_source final : public marketdata::event_source {
public:
  looped_source(const capture_data& capture, std::uint64_t events)
      : capture_(capture), remaining_(events) {}
  [[nodiscard]] bool next(market_event& out) override {
    if (remaining_ == 0 || capture_.events.empty())
      return false;
    out = capture_.events[index_];
    out.ts_event += offset_;
    if (out.ts_receive != 0)
      out.ts_receive += offset_;
    if (++index_ == capture_.events.size()) {
      index_ = 0;
      offset_ += capture_.span_ns + 1'000'000;
    }
    --remaining_;
    return true;
  }

private:
  const capture_data& capture_;
  std::uint64_t remaining_;
  std::size_t index_ = 0;
  std::int64_t offset_ = 0;
};
/// The run's market data: the seeded synthetic feed, or the looped capture.
[[nodiscard]] std::unique_ptr<marketdata::event_source> make_source(
    const run_context& ctx, const config::session_config& c, std::uint64_t events);

/// Event-time multiple that paces the data at `rate` events per second on average.
[[nodiscard]] double speed_for(const run_context& ctx, const config::session_config& c,
                               double rate);

/// Loads a capture with symbols added as they appear; false (and `why`) when it cannot.
[[nodiscard]] bool load_capture(const std::string& path, capture_data& out, std::string& why);

/// Spins until the wall-clock instant at which `event` is due under pacing (origin set on
/// the first call). Mirrors the market-data actor's pacing.
class pacer {
public:
  explicit pacer(double speed) : speed_(speed) {}
  void wait(const market_event& event) noexcept {
    if (speed_ <= 0.0)
      return;
    if (wall_origin_ == 0) {
      wall_origin_ = steady_now_ns();
      event_origin_ = event.ts_event;
    }
    const auto due =
        wall_origin_ +
        static_cast<std::int64_t>(static_cast<double>(event.ts_event - event_origin_) / speed_);
    while (steady_now_ns() < due)
      cpu_relax();
  }

private:
  double speed_;
  std::int64_t wall_origin_ = 0;
  timestamp_ns event_origin_ = 0;
};

struct run_result {
  std::string variant;  ///< reference, queues, graph
  double rate = 0.0;    ///< 0 = as fast as possible
  std::uint64_t events = 0;
  std::uint64_t orders = 0;
  double seconds = 0.0;
  latency_summary tick_to_order;
  latency_summary hop;  ///< (b) only: queue hop, enqueue -> dequeue
  /// (c) only: per receiving stage, upstream sent the batch -> this stage took it (exact).
  std::vector<std::pair<std::string, latency_summary>> hops;
  hiccup_summary hiccup;
  /// (c) only: per-stage processing time (sampled) from the graph's metrics.
  std::vector<std::pair<std::string, latency_summary>> stages;
  [[nodiscard]] double events_per_second() const {
    return seconds > 0 ? static_cast<double>(events) / seconds : 0.0;
  }
};

}  // namespace peak::bench
