// Execution benchmarks: nanoseconds per execution report through the order state machine
// (execution_engine) and the reconciler, and per reconciliation check.
//   BM_ReportThroughStateMachineAndReconciler: accepted, partially_filled, filled for each
//     of 1,000 orders (3 reports per order), applied by execution then booked by the
//     reconciler. Order setup is outside the timed region.
//   BM_ReconcileCheck: one full check of the expected book against a matching snapshot.
//   BM_PaperBrokerQuote: one quote through the paper broker with 8 resting limit orders.
//   BM_OrderStateMachineStep: one lookup in the transition table (a full lifecycle of five
//     events per iteration, divided out: items/s is steps/s).

#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "broker/execution_engine.hpp"
#include "broker/order_state.hpp"
#include "broker/paper_broker.hpp"
#include "broker/reconciler.hpp"
#include "risk/risk_gate.hpp"

namespace {

using namespace peak;

constexpr std::int64_t unit = fixed_scale;
constexpr std::int64_t second = 1'000'000'000;
constexpr std::int64_t t0 = 1'700'000'000 * second;

/// Replays queued reports; the venue side of the benchmark.
class replay_broker final : public broker::broker_adapter {
public:
  void submit(const submit_order&) override {}
  void cancel(const cancel_order&) override {}
  void on_market(const market_event&) override {}
  std::size_t poll(std::vector<execution_report>& out) override {
    const std::size_t n = queued.size();
    out.insert(out.end(), queued.begin(), queued.end());
    queued.clear();
    return n;
  }
  account_snapshot snapshot() const override { return {}; }
  std::vector<execution_report> queued;
};

struct batch {
  static constexpr std::size_t orders = 1000;
  batch() : gate(limits(), {instrument_spec{"SYN-0", {}, {}, "USD"}}, &halt, 1) {
    gate.on_market(market(t0));
  }
  static risk::risk_limits limits() {
    risk::risk_limits l;
    l.max_order_notional = money{1'000'000'000 * unit};
    l.max_total_exposure = money{1'000'000'000 * unit};
    l.max_daily_loss = money{1'000'000'000 * unit};
    l.max_orders_per_second = 100'000;
    l.max_orders_per_minute = 100'000;
    l.max_tracked_orders = 100'000;
    return l;
  }
  static market_event market(timestamp_ns ts) {
    market_event e;
    e.instrument = 0;
    e.ts_event = ts;
    e.kind = event_kind::trade;
    e.px = price{100 * unit};
    e.qty = quantity{unit};
    return e;
  }
  risk::halt_gate halt;
  risk::risk_gate gate;
  std::uint64_t next_intent = 0;
};

void BM_ReportThroughStateMachineAndReconciler(benchmark::State& state) {
  batch b;
  std::vector<execution_report> out;
  out.reserve(4 * batch::orders);
  std::int64_t reports = 0;
  timestamp_ns ts = t0;
  for (auto _ : state) {
    state.PauseTiming();
    ts += 61 * second;  // a fresh rate-limit window for each batch
    b.gate.on_market(batch::market(ts));
    replay_broker venue;
    broker::execution_config cfg;
    cfg.bucket_capacity = 100'000;
    cfg.expected_orders = 2 * batch::orders;
    auto exec = std::make_unique<broker::execution_engine>(venue, &b.halt, cfg);
    auto rec = std::make_unique<broker::reconciler>(money{1'000'000 * unit}, 1);
    venue.queued.reserve(3 * batch::orders);
    for (std::size_t k = 0; k < batch::orders; ++k) {
      trade_intent i;
      i.intent_id = ++b.next_intent;
      i.instrument = 0;
      i.ts_event = ts;
      i.checklist.direction = k % 2 ? side::buy : side::sell;
      i.checklist.entry_reference = price{100 * unit};
      i.checklist.size = quantity{2 * unit};
      const risk::risk_decision d = b.gate.check(i);
      if (!d.approved) {
        state.ResumeTiming();
        state.SkipWithError("denied");
        return;
      }
      exec->on_approved(d.order);
      rec->on_submit(d.order.order);
      execution_report r;
      r.client_order_id = d.order.order.client_order_id;
      r.instrument = 0;
      r.direction = i.checklist.direction;
      r.kind = report_kind::accepted;
      r.leaves_qty = quantity{2 * unit};
      venue.queued.push_back(r);
      r.kind = report_kind::partially_filled;
      r.last_qty = quantity{unit};
      r.last_px = price{100 * unit};
      r.cum_qty = quantity{unit};
      r.leaves_qty = quantity{unit};
      r.fee = money{unit / 100};
      venue.queued.push_back(r);
      r.kind = report_kind::filled;
      r.cum_qty = quantity{2 * unit};
      r.leaves_qty = quantity{0};
      venue.queued.push_back(r);
      execution_report cancel;  // keep the gate's table small
      cancel.client_order_id = r.client_order_id;
      cancel.kind = report_kind::filled;
      b.gate.on_report(cancel);
    }
    out.clear();
    state.ResumeTiming();
    exec->drain(out);
    for (const execution_report& r : out)
      rec->on_report(r);
    benchmark::DoNotOptimize(rec->equity());
    reports += static_cast<std::int64_t>(out.size());
    state.PauseTiming();
    exec.reset();
    rec.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(reports);
  state.counters["ns_per_report"] = benchmark::Counter(
      static_cast<double>(reports), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ReportThroughStateMachineAndReconciler)->Unit(benchmark::kMicrosecond);

void BM_ReconcileCheck(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  broker::reconciler rec(money{1'000'000 * unit}, n);
  for (std::uint32_t i = 0; i < n; ++i) {
    execution_report r;
    r.client_order_id = i + 1;
    r.instrument = i;
    r.kind = report_kind::filled;
    r.last_qty = quantity{unit};
    r.cum_qty = quantity{unit};
    r.last_px = price{100 * unit};
    rec.on_report(r);
  }
  const account_snapshot snap = rec.expected();
  if (!rec.check(snap).ok)
    state.SkipWithError("books differ");
  for (auto _ : state) {
    broker::reconcile_result r = rec.check(snap);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ReconcileCheck)->Arg(1)->Arg(4)->Arg(16);

void BM_PaperBrokerQuote(benchmark::State& state) {
  broker::paper_broker venue(broker::paper_broker_config{}, 1);
  for (std::uint64_t k = 0; k < 8; ++k) {
    submit_order o;
    o.client_order_id = k + 1;
    o.instrument = 0;
    o.direction = k % 2 ? side::buy : side::sell;
    o.type = order_type::limit;
    o.qty = quantity{unit};
    o.limit = price{(k % 2 ? 90 : 110) * unit};
    o.ts_event = t0;
    venue.submit(o);
  }
  std::vector<execution_report> out;
  out.reserve(64);
  market_event q;
  q.instrument = 0;
  q.kind = event_kind::quote;
  q.bid = price{99 * unit};
  q.ask = price{101 * unit};
  q.bid_qty = quantity{unit};
  q.ask_qty = quantity{unit};
  timestamp_ns ts = t0 + second;
  for (auto _ : state) {
    q.ts_event = ts += 1000;
    venue.on_market(q);
    out.clear();
    venue.poll(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PaperBrokerQuote);

}  // namespace

void BM_OrderStateMachineStep(benchmark::State& state) {
  using broker::order_event;
  using broker::order_state;
  constexpr std::array<order_event, 5> lifecycle{order_event::send, order_event::accept,
                                                 order_event::partial_fill, order_event::fill,
                                                 order_event::cancel};  // the last is illegal
  std::uint64_t illegal = 0;
  for (auto _ : state) {
    order_state s = order_state::new_order;
    for (order_event e : lifecycle) {
      benchmark::DoNotOptimize(e);
      order_state next = s;
      if (broker::transition(s, e, next))
        s = next;
      else
        ++illegal;
    }
    benchmark::DoNotOptimize(s);
  }
  benchmark::DoNotOptimize(illegal);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 5);
}
BENCHMARK(BM_OrderStateMachineStep);

BENCHMARK_MAIN();
