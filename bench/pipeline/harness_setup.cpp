#include "bench/pipeline/harness_setup.hpp"

#include <algorithm>

#include "marketdata/synthetic_feed.hpp"

namespace peak::bench {

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

}  // namespace peak::bench
