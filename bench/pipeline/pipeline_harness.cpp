#include "bench/pipeline/pipeline_harness.hpp"

// moodycamel's queue trips GCC 12's flow-based -Wnull-dereference once inlined into this
// file (a false positive in the library's producer list walk); silence it for this file.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <concurrentqueue/concurrentqueue.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <variant>

#include "actors/session_graph.hpp"
#include "infra/page_reserve.hpp"
#include "config/session_config.hpp"
#include "engine/reference_loop.hpp"
#include "engine/stages.hpp"
#include "marketdata/replay.hpp"
#include "marketdata/synthetic_feed.hpp"
#include "messages/names.hpp"
#include "observability/session_metrics.hpp"
#include "observability/steady_clock.hpp"
#include "risk/halt_gate.hpp"

namespace peak::bench {
namespace {

// ---------------------------------------------------------------------------------------------
// Clock and small statistics helpers

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
latency_summary summarise(std::vector<std::int64_t> samples) {
  latency_summary s;
  s.samples = samples.size();
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    rank = std::clamp<std::size_t>(rank, 1, samples.size());
    return samples[rank - 1];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.p999 = at(0.999);
  s.max = samples.back();
  std::int64_t sum = 0;
  for (std::int64_t v : samples)
    sum += v;
  s.mean = sum / static_cast<std::int64_t>(samples.size());
  return s;
}

/// Percentiles read from the graph's own latency histogram: the upper bound of the bucket
/// holding the quantile (-1 when it is the +Inf bucket). The histogram keeps no maximum, so
/// max is the bound of the highest non-empty bucket.
latency_summary summarise(const observability::latency_histogram& h) {
  latency_summary s;
  s.exact = false;
  s.samples = h.count();
  if (s.samples == 0)
    return s;
  s.mean = h.sum_ns() / static_cast<std::int64_t>(s.samples);
  const auto& bounds = observability::latency_histogram::bounds_ns();
  auto bound = [&](std::size_t i) -> std::int64_t { return i < bounds.size() ? bounds[i] : -1; };
  auto at = [&](double q) {
    const auto target = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(s.samples))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      seen += h.bucket(i);
      if (seen >= target)
        return bound(i);
    }
    return std::int64_t{-1};
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.p999 = at(0.999);
  for (std::size_t i = bounds.size() + 1; i-- > 0;) {
    if (h.bucket(i) != 0) {
      s.max = bound(i);
      break;
    }
  }
  return s;
}

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

hiccup_summary summarise(const hiccup_meter& m) {
  hiccup_summary s;
  if (!m.enabled() || m.gaps().total() == 0)
    return s;
  s.measured = true;
  s.p99 = static_cast<std::int64_t>(m.gaps().quantile(0.99));
  s.p999 = static_cast<std::int64_t>(m.gaps().quantile(0.999));
  s.max = static_cast<std::int64_t>(m.gaps().max());
  const double secs = m.seconds();
  s.gaps_over_1ms_per_second = secs > 0 ? static_cast<double>(m.gaps_over_1ms()) / secs : 0.0;
  s.gaps_over_20us_per_second = secs > 0 ? static_cast<double>(m.gaps_over_20us()) / secs : 0.0;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Session setup shared by the three variants

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
config::session_config bench_config(const run_context& ctx, std::uint64_t events) {
  const harness_options& o = ctx.options;
  config::session_config c = config::default_config();
  c.session.name = "pipeline-bench";
  c.session.seed = o.seed;
  c.session.mode = config::session_mode::paper;
  c.strategies.front().params = {{"fast", o.ma_fast}, {"slow", o.ma_slow}};
  c.market_data.synthetic.events = events;
  c.market_data.synthetic.instruments = static_cast<std::uint32_t>(c.instruments.size());
  // Events are ~50 ms apart in event time, so no session sends more than ~20 orders per
  // event-time second: these rate limits never bind. (The gate keeps a ring of the last
  // max(per second, per minute) approvals; 60 M would be a 480 MB table to build.)
  c.risk.max_orders_per_second = 1'000;
  c.risk.max_orders_per_minute = 60'000;
  c.risk.max_total_exposure = money{1'000'000'000 * fixed_scale};
  c.risk.max_daily_loss = money{1'000'000'000 * fixed_scale};
  c.risk.max_open_positions = 1000;
  c.risk.max_tracked_orders = 1u << 16;
  c.broker.starting_cash = money{1'000'000'000 * fixed_scale};
  // Whole fills: with partial fills against the quoted size, open orders pile up and the
  // execution engine's per-event timer scan (O(open orders)) dominates every variant.
  c.broker.partial_fills = false;
  if (ctx.capture != nullptr) {
    // One instrument per venue symbol (ids as the replay assigned them), fine grids so any
    // crypto price and size is representable; the strategy trades instrument 0. Captures
    // are short and many symbols are quiet: staleness checks are off.
    c.instruments.clear();
    for (std::uint32_t i = 0; i < ctx.capture->instruments; ++i)
      c.instruments.push_back(instrument_spec{"CAP-" + std::to_string(i),
                                              fixed::make_price(0.00000001),
                                              fixed::make_quantity(0.00000001), "USD"});
    c.strategies.front().instrument = ctx.capture->busiest;
    c.market_data.gap_threshold_ns = 3'600'000'000'000;
    c.market_data.stale_after_ns = 0;
    c.risk.stale_after_ns = 3'600'000'000'000;
    c.risk.price_band_bps = 10'000;
  }
  return c;
}

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
std::unique_ptr<marketdata::event_source> make_source(const run_context& ctx,
                                                      const config::session_config& c,
                                                      std::uint64_t events) {
  if (ctx.capture != nullptr)
    return std::make_unique<looped_source>(*ctx.capture, events);
  return std::make_unique<marketdata::synthetic_feed>(c.market_data.synthetic, c.session.seed);
}

/// Event-time multiple that paces the data at `rate` events per second on average.
double speed_for(const run_context& ctx, const config::session_config& c, double rate) {
  if (ctx.capture != nullptr && ctx.capture->events.size() > 1)
    return rate * static_cast<double>(ctx.capture->span_ns) /
           static_cast<double>(ctx.capture->events.size() - 1) / 1e9;
  return rate * static_cast<double>(c.market_data.synthetic.mean_interval_ns) / 1e9;
}

/// Loads a capture with symbols added as they appear; false (and `why`) when it cannot.
bool load_capture(const std::string& path, capture_data& out, std::string& why) {
  try {
    marketdata::replay_options ro;
    ro.reader.auto_add_symbols = true;
    marketdata::replay_source replay({marketdata::replay_file(path)}, marketdata::symbol_map{}, ro);
    market_event e;
    while (replay.next(e))
      out.events.push_back(e);
    out.instruments = replay.symbols().instrument_count();
  } catch (const std::exception& ex) {
    why = ex.what();
    return false;
  }
  if (out.events.size() < 2 || out.instruments == 0) {
    why = path + ": fewer than two events";
    return false;
  }
  out.span_ns = out.events.back().ts_event - out.events.front().ts_event;
  std::vector<std::uint64_t> per_instrument(out.instruments, 0);
  for (const market_event& e : out.events)
    if (e.instrument < out.instruments &&
        (e.kind == event_kind::trade || e.kind == event_kind::quote))
      ++per_instrument[e.instrument];
  out.busiest = static_cast<instrument_id>(
      std::max_element(per_instrument.begin(), per_instrument.end()) - per_instrument.begin());
  const auto slash = path.find_last_of('/');
  out.name = slash == std::string::npos ? path : path.substr(slash + 1);
  return true;
}

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

// ---------------------------------------------------------------------------------------------
// (a) reference loop

run_result run_reference(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
  marketdata::event_source& feed = *source;
  risk::halt_gate gate;
  engine::reference_pipeline pipeline(cfg, nullptr, &gate);
  pacer pace(rate > 0 ? speed_for(ctx, cfg, rate) : 0.0);
  std::vector<std::int64_t> samples;
  hiccup_meter meter(rate > 0 && o.hiccup_meter);
  if (rate > 0)
    samples.reserve(events);
  meter.start();
  run_result r;
  r.variant = "reference";
  r.rate = rate;
  const std::int64_t t0 = steady_now_ns();
  market_event event;
  while (feed.next(event)) {
    if (rate > 0) {
      pace.wait(event);
      const std::int64_t tick = steady_now_ns();
      const std::uint64_t before = pipeline.orders_sent();
      pipeline.on_event(event);
      // The reference loop gives no hook inside on_event: the probe is taken when the whole
      // event is done (an upper bound of tick-to-order by the reconciler's share).
      if (pipeline.orders_sent() != before)
        samples.push_back(steady_now_ns() - tick);
    } else {
      pipeline.on_event(event);
    }
    ++r.events;
  }
  const engine::session_result result = pipeline.finish();
  r.seconds = static_cast<double>(steady_now_ns() - t0) / 1e9;
  meter.stop();
  r.orders = result.counters.orders_sent;
  if (rate > 0) {
    r.tick_to_order = summarise(std::move(samples));
    r.hiccup = summarise(meter);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// (b) the same stages over a moodycamel queue between two busy-polling threads

struct end_marker {};
using front_body = std::variant<market_event, outlook, trade_intent, end_marker>;
/// One message crossing the hop, stamped when it was enqueued (paced runs only).
struct hop_message {
  std::int64_t sent_ns = 0;
  front_body body;
};

/// Thread A: market-data, L2 outlook, L3 advisory (and the feed/pacing, as in the graph's
/// market-data actor). Thread B: L5 risk gate, execution, reconciler. On a 2-core machine
/// two spinning threads is the most that can run at once; the cut after L3 puts the
/// indicator work on one side and the order path on the other.
run_result run_queues(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  risk::halt_gate gate;
  const bool paced = rate > 0;
  moodycamel::ConcurrentQueue<hop_message> queue(4096);
  std::uint64_t orders = 0;
  std::vector<std::int64_t> t2o;
  std::vector<std::int64_t> hops;
  if (paced) {
    t2o.reserve(events);
    hops.reserve(events);
  }
  hiccup_meter meter(paced && o.hiccup_meter);

  // Stage objects are built up front (as the graph builds its actors before start()).
  engine::market_data_stage market_data(cfg);
  engine::outlook_stage outlook_core(cfg);
  engine::advisory_stage advisory(cfg);
  engine::risk_stage risk(cfg, &gate);
  engine::execution_stage execution(cfg, &gate);
  std::unique_ptr<engine::reconcile_stage> reconcile = engine::make_reconcile_stage(cfg, nullptr);
  engine::session_result result;

  std::thread back([&] {
    moodycamel::ConsumerToken token(queue);
    std::array<hop_message, 64> batch;
    std::int64_t tick_wall = 0;
    bool done = false;
    while (!done) {
      const std::size_t n = queue.try_dequeue_bulk(token, batch.begin(), batch.size());
      if (n == 0) {
        cpu_relax();
        continue;
      }
      const std::int64_t received = paced ? steady_now_ns() : 0;
      for (std::size_t i = 0; i < n && !done; ++i) {
        hop_message& m = batch[i];
        if (auto* e = std::get_if<market_event>(&m.body)) {
          if (paced)
            hops.push_back(received - m.sent_ns);
          tick_wall = e->wall_ns;
          risk.on_market(*e);
          const std::vector<execution_report>& reports = execution.on_market(*e);
          reconcile->on_market(*e);
          for (const execution_report& r : reports) {
            reconcile->on_report(r);
            risk.on_report(r);
          }
          if (execution.snapshot_due())
            (void)reconcile->on_broker_snapshot(execution.snapshot());
        } else if (auto* v = std::get_if<outlook>(&m.body)) {
          reconcile->on_outlook(*v);
        } else if (auto* intent = std::get_if<trade_intent>(&m.body)) {
          const risk::risk_decision decision = risk.decide(*intent);
          reconcile->on_intent(*intent);
          if (decision.approved) {
            const engine::approval_outcome outcome = execution.on_approved(decision.order);
            if (outcome.sent && !outcome.local_reject && !outcome.gate_release) {
              ++orders;
              if (paced)
                t2o.push_back(steady_now_ns() - tick_wall);
            }
            reconcile->on_approved(decision.order);
            if (outcome.local_reject) {
              reconcile->on_report(outcome.report);
              risk.on_report(outcome.report);
            } else if (outcome.gate_release) {
              risk.on_report(outcome.report);
            }
          } else {
            reconcile->on_denied(decision.denied);
          }
        } else {
          done = true;
        }
      }
    }
    result = reconcile->finish();
  });

  meter.start();
  const std::int64_t t0 = steady_now_ns();
  std::uint64_t emitted = 0;
  {
    moodycamel::ProducerToken token(queue);
    const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
    marketdata::event_source& feed = *source;
    pacer pace(paced ? speed_for(ctx, cfg, rate) : 0.0);
    auto push = [&](front_body body) {
      hop_message m{paced ? steady_now_ns() : 0, std::move(body)};
      while (!queue.try_enqueue(token, std::move(m)))
        cpu_relax();
    };
    market_event event;
    while (feed.next(event)) {
      market_data.on_event(event);
      pace.wait(event);
      event.wall_ns = steady_now_ns();
      outlook view;
      const bool emitted_view = outlook_core.on_event(event, view);
      if (emitted_view)
        advisory.on_outlook(view);
      const std::vector<trade_intent>& intents = advisory.on_event(event);
      if (emitted_view)
        push(view);
      push(event);
      for (const trade_intent& intent : intents)
        push(intent);
      ++emitted;
    }
    push(end_marker{});
  }
  back.join();
  const std::int64_t t1 = steady_now_ns();
  meter.stop();

  run_result r;
  r.variant = "queues";
  r.rate = rate;
  r.events = emitted;
  r.orders = orders;
  r.seconds = static_cast<double>(t1 - t0) / 1e9;
  if (paced) {
    r.tick_to_order = summarise(std::move(t2o));
    r.hop = summarise(std::move(hops));
    r.hiccup = summarise(meter);
  }
  (void)result;
  return r;
}

// ---------------------------------------------------------------------------------------------
// (c) the CAF actor graph

run_result run_graph(const run_context& ctx, std::uint64_t events, double rate) {
  const harness_options& o = ctx.options;
  const config::session_config cfg = bench_config(ctx, events);
  risk::halt_gate gate;
  const std::unique_ptr<marketdata::event_source> source = make_source(ctx, cfg, events);
  marketdata::event_source& feed = *source;
  std::vector<std::string> instruments;
  for (const auto& i : cfg.instruments)
    instruments.push_back(i.symbol);
  std::vector<std::string> strategies;
  for (std::size_t i = 0; i < cfg.strategies.size(); ++i)
    strategies.push_back(cfg.strategies[i].name + "#" + std::to_string(i));
  observability::session_metrics metrics(instruments, strategies);
  actors::graph_options options;
  options.scheduler_threads = o.scheduler_threads;
  options.replay_batch = o.replay_batch;
  options.idle = o.spin_workers ? actors::worker_idle::spin : actors::worker_idle::sleep;
  options.max_throughput = o.max_throughput;
  options.prefault_headroom_bytes = o.prefault_headroom_bytes;
  const bool paced = rate > 0;
  options.speed = paced ? speed_for(ctx, cfg, rate) : 0.0;
  // Throughput runs without metrics (like (a) and (b)); latency runs need the graph's own
  // tick-to-order histogram.
  options.metrics = paced ? &metrics : nullptr;
  // Exact samples (like (a) and (b)) instead of the histogram's bucket bounds.
  actors::latency_probe probe;
  if (paced) {
    probe.tick_to_order.reserve(static_cast<std::size_t>(events));
    for (auto& hop : probe.hop)
      hop.reserve(static_cast<std::size_t>(events));
    options.probe = &probe;
  }
  hiccup_meter meter(paced && o.hiccup_meter);

  run_result r;
  r.variant = "graph";
  r.rate = rate;
  actors::session_graph graph(cfg, feed, nullptr, &gate, options);
  meter.start();
  const std::int64_t t0 = steady_now_ns();
  graph.start();
  const engine::session_result result = graph.wait();
  const std::int64_t t1 = steady_now_ns();
  meter.stop();
  r.events = result.counters.events;
  r.orders = result.counters.orders_sent;
  r.seconds = static_cast<double>(t1 - t0) / 1e9;
  if (paced) {
    r.tick_to_order = summarise(std::move(probe.tick_to_order));
    r.hiccup = summarise(meter);
    for (std::uint8_t s = 0; s < stage_count; ++s)
      if (!probe.hop[s].empty())
        r.hops.emplace_back(name_of(static_cast<stage>(s)), summarise(std::move(probe.hop[s])));
    for (std::uint8_t s = 0; s < stage_count; ++s) {
      const auto& h = metrics.stage_latency[s];
      if (h.count() != 0)
        r.stages.emplace_back(name_of(static_cast<stage>(s)), summarise(h));
    }
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Output

std::string read_loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c))
    return "unknown";
  return a + " " + b + " " + c;
}

std::string fmt_ns(std::int64_t ns, bool exact) {
  if (ns < 0)
    return exact ? "-" : "> 10 s";
  char buf[32];
  const char* le = exact ? "" : "<=";
  if (ns < 10'000)
    std::snprintf(buf, sizeof buf, "%s%.2f us", le, static_cast<double>(ns) / 1e3);
  else if (ns < 10'000'000)
    std::snprintf(buf, sizeof buf, "%s%.1f us", le, static_cast<double>(ns) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%s%.1f ms", le, static_cast<double>(ns) / 1e6);
  return buf;
}

std::string fmt_double(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string json_latency(const latency_summary& s) {
  std::ostringstream o;
  o << "{\"samples\":" << s.samples << ",\"exact\":" << (s.exact ? "true" : "false")
    << ",\"p50_ns\":" << s.p50 << ",\"p99_ns\":" << s.p99 << ",\"p999_ns\":" << s.p999
    << ",\"max_ns\":" << s.max << ",\"mean_ns\":" << s.mean << "}";
  return o.str();
}

const run_result* find(const std::vector<run_result>& runs, const std::string& variant,
                       double rate) {
  for (const run_result& r : runs)
    if (r.variant == variant && r.rate == rate)
      return &r;
  return nullptr;
}

double ratio(double a, double b) {
  return b > 0 ? a / b : 0.0;
}

}  // namespace

std::string default_capture_file() {
#ifdef PEAK_SHARED_DATA_DIR
  return std::string(PEAK_SHARED_DATA_DIR) + "/exchange-captures/COINBASE.ws.28.0";
#else
  return {};
#endif
}

harness_options quick_options() {
  harness_options o;
  o.throughput_events = 50'000;
  o.latency_seconds = 0.25;
  return o;
}

std::string run_pipeline_harness(const harness_options& o, bool json) {
  const std::string load_before = read_loadavg();
  capture_data capture;
  std::string data_name = "synthetic";
  run_context ctx{o, nullptr};
  if (!o.capture_file.empty()) {
    std::string why;
    if (!load_capture(o.capture_file, capture, why)) {
      if (json)
        return "{\"harness\":\"pipeline\",\"skipped\":\"capture not available\",\"runs\":[]}\n";
      return "pipeline harness: capture skipped (" + why + ")\n";
    }
    ctx.capture = &capture;
    data_name = capture.name + " (" + std::to_string(capture.events.size()) + " events, " +
                std::to_string(capture.instruments) + " symbols, looped)";
  }
  // Process-wide, like a session's: started before the first variant so all three get it.
  if (o.prefault_headroom_bytes > 0 &&
      broker::page_reserve::instance().start(o.prefault_headroom_bytes))
    broker::page_reserve::instance().wait_ready(std::chrono::seconds(2));
  std::vector<run_result> runs;
  using runner = run_result (*)(const run_context&, std::uint64_t, double);
  std::vector<std::pair<bool, runner>> variants{
      {o.run_reference, &run_reference}, {o.run_queues, &run_queues}, {o.run_graph, &run_graph}};
  for (const auto& [enabled, run] : variants) {
    if (!enabled)
      continue;
    runs.push_back(run(ctx, o.throughput_events, 0.0));
    for (double rate : o.rates) {
      const auto n = static_cast<std::uint64_t>(std::max(1.0, rate * o.latency_seconds));
      runs.push_back(run(ctx, n, rate));
    }
  }
  const std::string load_after = read_loadavg();
  const broker::page_reserve::stats reserve = broker::page_reserve::instance().snapshot();
  const unsigned cores = std::thread::hardware_concurrency();

  const run_result* ga = find(runs, "graph", 0.0);
  const run_result* ra = find(runs, "reference", 0.0);
  const run_result* qa = find(runs, "queues", 0.0);

  std::ostringstream out;
  if (json) {
    out << "{\"harness\":\"pipeline\",\"data\":\"" << data_name << "\",\"cores\":" << cores
        << ",\"load_before\":\"" << load_before << "\",\"load_after\":\"" << load_after
        << "\",\"options\":{\"throughput_events\":" << o.throughput_events
        << ",\"latency_seconds\":" << o.latency_seconds
        << ",\"scheduler_threads\":" << o.scheduler_threads
        << ",\"replay_batch\":" << o.replay_batch
        << ",\"spin_workers\":" << (o.spin_workers ? "true" : "false")
        << ",\"max_throughput\":" << o.max_throughput
        << ",\"hiccup_meter\":" << (o.hiccup_meter ? "true" : "false")
        << ",\"prefault_headroom_bytes\":" << o.prefault_headroom_bytes << ",\"seed\":" << o.seed
        << ",\"ma_fast\":" << o.ma_fast << ",\"ma_slow\":" << o.ma_slow
        << "},\"page_reserve\":{\"handed_out_bytes\":" << reserve.total_handed_out_bytes
        << ",\"touched_bytes\":" << reserve.touched_bytes << ",\"misses\":" << reserve.misses
        << "},\"runs\":[";
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const run_result& r = runs[i];
      out << (i ? "," : "") << "{\"variant\":\"" << r.variant << "\",\"rate\":" << r.rate
          << ",\"events\":" << r.events << ",\"orders\":" << r.orders
          << ",\"seconds\":" << fmt_double(r.seconds, 6)
          << ",\"events_per_second\":" << fmt_double(r.events_per_second());
      if (r.rate > 0) {
        out << ",\"tick_to_order\":" << json_latency(r.tick_to_order);
        if (r.variant == "queues")
          out << ",\"hop\":" << json_latency(r.hop);
        if (r.hiccup.measured)
          out << ",\"hiccup\":{\"p99_ns\":" << r.hiccup.p99 << ",\"p999_ns\":" << r.hiccup.p999
              << ",\"max_ns\":" << r.hiccup.max << ",\"gaps_over_1ms_per_second\":"
              << fmt_double(r.hiccup.gaps_over_1ms_per_second, 2)
              << ",\"gaps_over_20us_per_second\":"
              << fmt_double(r.hiccup.gaps_over_20us_per_second, 1) << "}";
        if (!r.hops.empty()) {
          out << ",\"hops\":{";
          for (std::size_t s = 0; s < r.hops.size(); ++s)
            out << (s ? "," : "") << "\"" << r.hops[s].first
                << "\":" << json_latency(r.hops[s].second);
          out << "}";
        }
        if (!r.stages.empty()) {
          out << ",\"stages\":{";
          for (std::size_t s = 0; s < r.stages.size(); ++s)
            out << (s ? "," : "") << "\"" << r.stages[s].first
                << "\":" << json_latency(r.stages[s].second);
          out << "}";
        }
      }
      out << "}";
    }
    out << "],\"ratios\":{";
    bool first = true;
    auto put = [&](const char* name, double v) {
      out << (first ? "" : ",") << "\"" << name << "\":" << fmt_double(v, 4);
      first = false;
    };
    if (ga && ra)
      put("throughput_graph_over_reference",
          ratio(ga->events_per_second(), ra->events_per_second()));
    if (ga && ra)
      out << (first ? "" : ",")
          << "\"graph_orders_match_reference\":" << (ga->orders == ra->orders ? "true" : "false");
    first = first && !(ga && ra);
    if (ga && qa)
      put("throughput_graph_over_queues", ratio(ga->events_per_second(), qa->events_per_second()));
    for (double rate : o.rates) {
      const run_result* g = find(runs, "graph", rate);
      const run_result* q = find(runs, "queues", rate);
      const run_result* a = find(runs, "reference", rate);
      const std::string k = fmt_double(rate);
      if (g && a && a->tick_to_order.p99 > 0 && g->tick_to_order.p99 > 0)
        put(("p99_graph_over_reference_at_" + k).c_str(),
            ratio(static_cast<double>(g->tick_to_order.p99),
                  static_cast<double>(a->tick_to_order.p99)));
      if (g && q && q->tick_to_order.p99 > 0 && g->tick_to_order.p99 > 0)
        put(("p99_graph_over_queues_at_" + k).c_str(),
            ratio(static_cast<double>(g->tick_to_order.p99),
                  static_cast<double>(q->tick_to_order.p99)));
    }
    out << "}}\n";
    return out.str();
  }

  out << "pipeline harness: " << data_name << "; " << cores << " cores, load " << load_before
      << " -> " << load_after << "; CAF threads "
      << (o.scheduler_threads == 0 ? std::string("auto (1 paced, 2 as fast as possible)")
                                   : std::to_string(o.scheduler_threads))
      << (o.spin_workers ? ", workers spin (a paced market-data polls the clock)"
                         : ", workers sleep (a pacer thread wakes market-data)")
      << ", replay batch " << o.replay_batch << ", page reserve "
      << (o.prefault_headroom_bytes > 0
              ? std::to_string(o.prefault_headroom_bytes >> 20) + " MiB ahead (" +
                    std::to_string(reserve.total_handed_out_bytes >> 20) + " MiB handed out, " +
                    std::to_string(reserve.misses) + " chunks it had no memory ready for)"
              : std::string("off"))
      << "; (a) reference loop, (b) 2 threads + moodycamel queue, (c) CAF graph\n\n";
  out << "throughput (as fast as possible)\n";
  out << "  variant      events      orders   seconds      events/s\n";
  for (const run_result& r : runs) {
    if (r.rate > 0)
      continue;
    char line[160];
    std::snprintf(line, sizeof line, "  %-10s %9llu %10llu %9.3f %13.0f\n", r.variant.c_str(),
                  static_cast<unsigned long long>(r.events),
                  static_cast<unsigned long long>(r.orders), r.seconds, r.events_per_second());
    out << line;
  }
  for (const run_result* v : {qa, ga}) {
    if (v != nullptr && ra != nullptr && v->orders != ra->orders)
      out << "  WARNING: " << v->variant << " sent " << v->orders << " orders, the reference "
          << ra->orders << ": its decisions differ (e.g. the risk gate saw fills late and its "
          << "order table filled up)\n";
  }
  if (ga && ra)
    out << "  ratio (c)/(a) "
        << fmt_double(ratio(ga->events_per_second(), ra->events_per_second()), 3);
  if (ga && qa)
    out << "   ratio (c)/(b) "
        << fmt_double(ratio(ga->events_per_second(), qa->events_per_second()), 3);
  out << "\n\ntick-to-order at paced rates (exact samples in every variant)\n";
  out << "  variant     rate/s  achieved samples       mean        p50        p99      p99.9       "
         " max |"
         "  hiccup p99      p99.9        max  >=1ms/s >=20us/s\n";
  for (const run_result& r : runs) {
    if (r.rate <= 0)
      continue;
    latency_summary t = r.tick_to_order;
    if (t.samples == 0)
      t.exact = true;  // nothing measured: print "-" rather than a bound
    char line[320];
    std::snprintf(
        line, sizeof line,
        "  %-10s %7.0f %9.0f %7llu %10s %10s %10s %10s %10s | %11s %10s %10s %8s %8s\n",
        r.variant.c_str(), r.rate, r.events_per_second(),
        static_cast<unsigned long long>(t.samples), fmt_ns(t.mean, true).c_str(),
        fmt_ns(t.p50, t.exact).c_str(), fmt_ns(t.p99, t.exact).c_str(),
        fmt_ns(t.p999, t.exact).c_str(), fmt_ns(t.max, t.exact).c_str(),
        r.hiccup.measured ? fmt_ns(r.hiccup.p99, true).c_str() : "-",
        r.hiccup.measured ? fmt_ns(r.hiccup.p999, true).c_str() : "-",
        r.hiccup.measured ? fmt_ns(r.hiccup.max, true).c_str() : "-",
        r.hiccup.measured ? fmt_double(r.hiccup.gaps_over_1ms_per_second, 1).c_str() : "-",
        r.hiccup.measured ? fmt_double(r.hiccup.gaps_over_20us_per_second, 0).c_str() : "-");
    out << line;
  }
  for (double rate : o.rates) {
    const run_result* g = find(runs, "graph", rate);
    const run_result* q = find(runs, "queues", rate);
    const run_result* a = find(runs, "reference", rate);
    if (g && g->tick_to_order.p99 > 0) {
      out << "  at " << fmt_double(rate) << "/s p99 ratio";
      if (a && a->tick_to_order.p99 > 0)
        out << " (c)/(a) "
            << fmt_double(ratio(static_cast<double>(g->tick_to_order.p99),
                                static_cast<double>(a->tick_to_order.p99)),
                          1);
      if (q && q->tick_to_order.p99 > 0)
        out << " (c)/(b) "
            << fmt_double(ratio(static_cast<double>(g->tick_to_order.p99),
                                static_cast<double>(q->tick_to_order.p99)),
                          1);
      out << "\n";
    }
  }
  out << "\nper hop / per stage at paced rates\n";
  for (const run_result& r : runs) {
    if (r.rate <= 0)
      continue;
    if (r.variant == "queues" && r.hop.samples > 0)
      out << "  queues " << fmt_double(r.rate) << "/s: queue hop (enqueue->dequeue) p50 "
          << fmt_ns(r.hop.p50, true) << " p99 " << fmt_ns(r.hop.p99, true) << " p99.9 "
          << fmt_ns(r.hop.p999, true) << " max " << fmt_ns(r.hop.max, true) << "\n";
    if (!r.hops.empty()) {
      out << "  graph " << fmt_double(r.rate) << "/s hop into (batch sent -> taken):";
      for (const auto& [name, h] : r.hops)
        out << " " << name << " p50 " << fmt_ns(h.p50, true) << " p99 " << fmt_ns(h.p99, true)
            << ";";
      out << "\n";
    }
    if (!r.stages.empty()) {
      out << "  graph " << fmt_double(r.rate) << "/s stage processing (sampled):";
      for (const auto& [name, s] : r.stages)
        out << " " << name << " p50 " << fmt_ns(s.p50, false) << " p99 " << fmt_ns(s.p99, false)
            << ";";
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace peak::bench
