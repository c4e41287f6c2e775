// L2 + L3 benchmarks: nanoseconds per market event.
//   BM_OutlookAndAdvisoryThreeStrategies: one instrument, quotes (random walk with spread);
//     per event: outlook_engine::on_event (+ advisory on_outlook when due) and
//     advisory_engine::on_event with ma_crossover, rsi_reversion and donchian_breakout.
//     The target for this one is < 500 ns per event.
//   BM_OutlookOnly / BM_AdvisoryOnly: the two halves of the same loop.
//   BM_OutlookAndAdvisoryRealGbpUsd: the same loop over the February 2012 GBP/USD minute
//     bars as quotes (skipped when the shared data is absent).
// Events are pre-built; on wrap-around their event times are shifted forward so time never
// goes backwards.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"

namespace {

using namespace peak;
using namespace peak::strategy;

constexpr std::int64_t second = 1'000'000'000;
constexpr timestamp_ns t0 = 1'700'000'000 * second;

/// splitmix64 + Box-Muller: deterministic on every platform.
struct splitmix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) / 9007199254740992.0; }
  double normal() {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
  }
};

instrument_spec gbpusd() {
  return instrument_spec{"GBPUSD", fixed::make_price(0.00001), fixed::make_quantity(0.01), "USD"};
}

std::vector<strategy_spec> three_strategies() {
  std::vector<strategy_spec> v(3);
  v[0].name = "ma_crossover";
  v[0].params = {{"fast", 10}, {"slow", 30}};
  v[1].name = "rsi_reversion";
  v[1].params = {{"period", 14}};
  v[2].name = "donchian_breakout";
  v[2].params = {{"period", 20}, {"exit_period", 10}};
  for (auto& s : v)
    s.order_notional = fixed::make_money(40.0);
  return v;
}

std::vector<market_event> synthetic_quotes(std::size_t n) {
  std::vector<market_event> v(n);
  splitmix rng{7};
  double lp = std::log(1.5);
  for (std::size_t i = 0; i < n; ++i) {
    lp += 2e-4 * rng.normal();
    const double mid = std::exp(lp);
    const double half = 0.00005 * (1.0 + (rng.uniform() < 0.001 ? 10.0 : 0.0));
    market_event& e = v[i];
    e.ts_event = t0 + static_cast<std::int64_t>(i) * (second / 10);
    e.instrument = 0;
    e.kind = event_kind::quote;
    e.bid = fixed::make_price(mid - half);
    e.ask = fixed::make_price(mid + half);
    e.bid_qty = fixed::make_quantity(1.0);
    e.ask_qty = fixed::make_quantity(1.0);
  }
  return v;
}

/// GBP/USD minute closes as quotes (bid close, ask close); empty if absent.
std::vector<market_event> real_quotes() {
  std::vector<market_event> v;
  std::ifstream bid(std::string(PEAK_SHARED_DATA_DIR) + "/bars/gbpusd-m1-bid-2012.csv");
  std::ifstream ask(std::string(PEAK_SHARED_DATA_DIR) + "/bars/gbpusd-m1-ask-2012.csv");
  if (!bid || !ask)
    return v;
  std::string lb;
  std::string la;
  std::getline(bid, lb);
  std::getline(ask, la);
  std::int64_t i = 0;
  while (std::getline(bid, lb) && std::getline(ask, la)) {
    auto close_of = [](const std::string& line) {
      return std::stod(line.substr(line.rfind(',') + 1));
    };
    market_event e;
    e.ts_event = t0 + (i++) * 60 * second;  // spacing as in the data (gaps ignored here)
    e.instrument = 0;
    e.kind = event_kind::quote;
    e.bid = fixed::make_price(close_of(lb));
    e.ask = fixed::make_price(close_of(la));
    v.push_back(e);
  }
  return v;
}

template <bool with_outlook, bool with_advisory>
void run_loop(benchmark::State& state, const std::vector<market_event>& events) {
  outlook_engine l2(outlook_config{}, 1);
  advisory_engine l3(three_strategies(), {gbpusd()});
  if (!with_outlook) {
    outlook open;
    open.instrument = 0;
    open.no_trade = 0;
    l3.on_outlook(open);
  }
  std::vector<trade_intent> out;
  out.reserve(64);
  const std::size_t n = events.size();
  const std::int64_t span = events.back().ts_event - events.front().ts_event + second;
  std::size_t i = 0;
  std::int64_t shift = 0;
  std::uint64_t intents = 0;
  for (auto _ : state) {
    market_event e = events[i];
    e.ts_event += shift;
    if (with_outlook) {
      outlook o;
      if (l2.on_event(e, o) && with_advisory)
        l3.on_outlook(o);
      benchmark::DoNotOptimize(o);
    }
    if (with_advisory) {
      out.clear();
      intents += l3.on_event(e, out);
      benchmark::DoNotOptimize(out.data());
    }
    if (++i == n) {
      i = 0;
      shift += span;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["intents_per_1k_events"] =
      1000.0 * static_cast<double>(intents) / static_cast<double>(state.iterations());
}

const std::vector<market_event>& synthetic() {
  static const std::vector<market_event> v = synthetic_quotes(1 << 16);
  return v;
}

void BM_OutlookAndAdvisoryThreeStrategies(benchmark::State& state) {
  run_loop<true, true>(state, synthetic());
}
void BM_OutlookOnly(benchmark::State& state) {
  run_loop<true, false>(state, synthetic());
}
void BM_AdvisoryOnly(benchmark::State& state) {
  run_loop<false, true>(state, synthetic());
}
void BM_OutlookAndAdvisoryRealGbpUsd(benchmark::State& state) {
  static const std::vector<market_event> v = real_quotes();
  if (v.empty()) {
    state.SkipWithError("shared GBP/USD bars absent");
    return;
  }
  run_loop<true, true>(state, v);
}

BENCHMARK(BM_OutlookAndAdvisoryThreeStrategies);
BENCHMARK(BM_OutlookOnly);
BENCHMARK(BM_AdvisoryOnly);
BENCHMARK(BM_OutlookAndAdvisoryRealGbpUsd);

}  // namespace

BENCHMARK_MAIN();
