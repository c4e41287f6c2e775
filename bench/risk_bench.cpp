// Risk gate benchmarks: nanoseconds per check with every check enabled.
//   BM_RiskCheckAllChecksDenyAtLast: every check runs and the last one (daily loss) denies;
//     nothing is committed, so each iteration is the same full-length check.
//   BM_RiskCheckApproveAndRelease: market update + full check that approves + terminal
//     report that releases it (the whole hot path of one order through the gate).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "risk/risk_gate.hpp"

namespace {

using namespace peak;

constexpr std::int64_t unit = fixed_scale;
constexpr std::int64_t second = 1'000'000'000;
constexpr std::int64_t t0 = 1'700'000'000 * second;

std::vector<instrument_spec> instruments(std::size_t n) {
  std::vector<instrument_spec> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i].symbol = "SYN-" + std::to_string(i);
  return v;
}

market_event trade(instrument_id i, timestamp_ns ts, std::int64_t px) {
  market_event e;
  e.instrument = i;
  e.ts_event = ts;
  e.kind = event_kind::trade;
  e.px = price{px};
  e.qty = quantity{unit};
  return e;
}

trade_intent intent(std::uint64_t id, instrument_id i, timestamp_ns ts, std::int64_t px,
                    std::int64_t qty) {
  trade_intent t;
  t.intent_id = id;
  t.instrument = i;
  t.ts_event = ts;
  t.checklist.direction = side::buy;
  t.checklist.entry_reference = price{px};
  t.checklist.size = quantity{qty};
  return t;
}

void BM_RiskCheckAllChecksDenyAtLast(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  risk::halt_gate halt;
  risk::risk_limits limits;  // phase-1 defaults
  limits.max_open_positions = static_cast<std::uint32_t>(n + 1);
  limits.max_daily_loss = money{10 * unit};
  risk::risk_gate g(limits, instruments(n), &halt, 1);
  for (instrument_id i = 0; i < n; ++i)
    g.on_market(trade(i, t0, 100 * unit));
  if (!g.check(intent(1, 0, t0, 100 * unit, unit / 2)).approved)
    state.SkipWithError("setup order denied");
  g.on_market(trade(0, t0 + 1, 70 * unit));  // loss 15 > 10
  const instrument_id probe = n > 1 ? 1 : 0;
  const trade_intent t = intent(2, probe, t0 + 1, probe == 0 ? 70 * unit : 100 * unit, unit / 10);
  if (g.check(t).denied.reason != deny_reason::daily_loss)
    state.SkipWithError("expected a daily-loss denial");
  for (auto _ : state) {
    risk::risk_decision d = g.check(t);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RiskCheckAllChecksDenyAtLast)->Arg(1)->Arg(4)->Arg(16);

void BM_RiskCheckApproveAndRelease(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  risk::halt_gate halt;
  risk::risk_limits limits;  // phase-1 defaults: 5/s, 60/min
  risk::risk_gate gate(limits, instruments(n), &halt, 1);
  timestamp_ns ts = t0;
  for (instrument_id i = 0; i < n; ++i)
    gate.on_market(trade(i, ts, 100 * unit));
  std::uint64_t id = 0;
  execution_report cancel;
  cancel.kind = report_kind::cancelled;
  for (auto _ : state) {
    ts += 2 * second;  // stays inside the rate limits
    const auto inst = static_cast<instrument_id>(id % n);
    gate.on_market(trade(inst, ts, 100 * unit));
    const risk::risk_decision d = gate.check(intent(++id, inst, ts, 100 * unit, unit / 4));
    if (!d.approved) {
      state.SkipWithError("denied");
      break;
    }
    cancel.client_order_id = d.order.order.client_order_id;
    gate.on_report(cancel);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RiskCheckApproveAndRelease)->Arg(1)->Arg(4)->Arg(16);

void BM_RiskOnMarket(benchmark::State& state) {
  risk::halt_gate halt;
  risk::risk_gate gate(risk::risk_limits{}, instruments(4), &halt, 1);
  timestamp_ns ts = t0;
  std::int64_t px = 100 * unit;
  for (auto _ : state) {
    ts += 1000;
    px += (ts & 1) ? 1 : -1;
    gate.on_market(trade(static_cast<instrument_id>(ts & 3), ts, px));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RiskOnMarket);

}  // namespace

BENCHMARK_MAIN();
