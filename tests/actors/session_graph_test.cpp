#include "actors/session_graph.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "../engine/pipeline_fixtures.hpp"
#include "engine/outputs.hpp"
#include "engine/reference_loop.hpp"
#include "engine/session_source.hpp"
#include "messages/names.hpp"

namespace peak::actors {
namespace {

engine::session_result run_graph_on(const config::session_config& cfg,
                                    engine::decision_sink* sink = nullptr) {
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  return run_graph(cfg, *source, sink, &gate, graph_options{});
}

engine::session_result run_reference_on(const config::session_config& cfg,
                                        engine::decision_sink* sink = nullptr) {
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  return engine::run_reference(cfg, *source, sink, &gate);
}

TEST(SessionGraph, PaperSessionFlowsEndToEndAndConserves) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  const engine::session_result r = run_graph_on(cfg);
  EXPECT_EQ(r.counters.events, 60'000u);
  EXPECT_GT(r.counters.outlooks, 0u);
  EXPECT_GT(r.counters.intents, 0u);
  EXPECT_GT(r.trades.size(), 0u);
  testing::expect_conservation(r, false);
}

TEST(SessionGraph, TradesEqualTheReferenceLoop) {
  for (std::uint64_t seed : {7u, 8u}) {
    const auto cfg = testing::small_session(60'000, seed, config::session_mode::paper);
    testing::memory_sink graph_log;
    testing::memory_sink reference_log;
    const engine::session_result g = run_graph_on(cfg, &graph_log);
    const engine::session_result ref = run_reference_on(cfg, &reference_log);
    EXPECT_EQ(engine::trades_csv(g, cfg), engine::trades_csv(ref, cfg)) << "seed " << seed;
    EXPECT_EQ(engine::equity_csv(g), engine::equity_csv(ref)) << "seed " << seed;
    EXPECT_EQ(engine::orders_csv(g, cfg), engine::orders_csv(ref, cfg)) << "seed " << seed;
    ASSERT_EQ(graph_log.records.size(), reference_log.records.size());
    for (std::size_t i = 0; i < graph_log.records.size(); ++i) {
      ASSERT_EQ(graph_log.records[i].type, reference_log.records[i].type) << i;
      ASSERT_EQ(graph_log.records[i].fields, reference_log.records[i].fields) << i;
    }
  }
}

TEST(SessionGraph, ShadowModeSendsZeroOrders) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::shadow);
  const engine::session_result r = run_graph_on(cfg);
  EXPECT_GT(r.counters.approvals, 0u) << "shadow mode still decides";
  testing::expect_conservation(r, true);
}

/// Pulls the kill switch `after` the start of a paper session of `events`: the gate closes at
/// once, the first trigger wins, every stage acknowledges, no order leaves after the trigger,
/// the orders open at the halt end at the broker, and market data keeps flowing to the end.
void expect_kill_halts_every_stage(std::uint64_t events, graph_options options,
                                   std::chrono::milliseconds after) {
  const auto cfg = testing::small_session(events, 7, config::session_mode::paper);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  session_graph graph(cfg, *source, nullptr, &gate, options);
  graph.start();
  std::this_thread::sleep_for(after);
  const std::uint64_t id = graph.kill(halt_reason::operator_command, "test");
  EXPECT_NE(id, 0u);
  EXPECT_FALSE(gate.open());
  EXPECT_EQ(graph.kill(halt_reason::operator_command, "again"), 0u) << "first trigger wins";
  ASSERT_TRUE(graph.wait_halts(1, 10'000'000'000));
  // Market data keeps flowing, so the orders open at the halt end at the broker in event
  // time and execution reports it (bounded wait: the run itself lasts well under a second).
  for (int i = 0; i < 10'000 && graph.halts()[0].halt_to_cancels_settled_event_ns < 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_GE(graph.halts()[0].halt_to_cancels_settled_event_ns, 0);
  const engine::session_result r = graph.wait();
  const auto halts = graph.halts();
  ASSERT_EQ(halts.size(), 1u);
  EXPECT_EQ(halts[0].orders_after_trigger, 0u);
  EXPECT_GE(halts[0].trigger_to_all_acknowledged_ns, halts[0].trigger_to_gate_closed_ns);
  EXPECT_EQ(r.counters.events, events) << "market data keeps flowing through a halt";
}

TEST(SessionGraph, KillSwitchStopsOrdersAndEveryStageAcknowledges) {
  expect_kill_halts_every_stage(200'000, graph_options{}, std::chrono::milliseconds(0));
}

/// The same on a spinning, self-pacing graph (100,000 events ~50 ms apart at 20,000x: about
/// 0.25 s of wall time), pulled while market-data polls the clock.
TEST(SessionGraph, KillSwitchHaltsASpinningPacedGraph) {
  graph_options options;
  options.speed = 20'000.0;
  options.idle = worker_idle::spin;
  expect_kill_halts_every_stage(100'000, options, std::chrono::milliseconds(20));
}

TEST(SessionGraph, APacedSpinningGraphHandlesOneMessagePerActorTurn) {
  graph_options o;
  EXPECT_EQ(resolved_max_throughput(o), 0u) << "CAF's default";
  o.max_throughput = 100;
  EXPECT_EQ(resolved_max_throughput(o), 100u);
  o.idle = worker_idle::spin;
  EXPECT_EQ(resolved_max_throughput(o), 100u) << "not paced: as asked";
  o.speed = 10.0;
  EXPECT_EQ(resolved_max_throughput(o), 1u) << "market-data's polls must yield to the stages";
  o.idle = worker_idle::sleep;
  EXPECT_EQ(resolved_max_throughput(o), 100u);
}

TEST(SessionGraph, WorkerCountAutoIsOneWhenPacedAndTwoAsFastAsPossible) {
  graph_options o;
  EXPECT_EQ(resolved_scheduler_threads(o), 2u);
  o.speed = 10.0;
  EXPECT_EQ(resolved_scheduler_threads(o), 1u);
  o.scheduler_threads = 3;
  EXPECT_EQ(resolved_scheduler_threads(o), 3u) << "an explicit count wins";
}

/// Event time from the first to the last event of `cfg`'s feed.
std::int64_t event_span_ns(const config::session_config& cfg) {
  auto source = engine::open_source(cfg);
  market_event e;
  timestamp_ns first = -1;
  timestamp_ns last = 0;
  while (source->next(e)) {
    if (first < 0)
      first = e.ts_event;
    last = e.ts_event;
  }
  return first < 0 ? 0 : last - first;
}

/// 8,000 events ~50 ms apart (~400 s of event time) replayed at 2,000x (~0.2 s of wall time)
/// with an exact probe: the run keeps to the event-time schedule, decides exactly as the
/// reference loop does, and its probe sees every order and every hop.
void expect_paced_run_matches_the_reference(worker_idle idle) {
  const auto cfg = testing::small_session(8'000, 7, config::session_mode::paper);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  latency_probe probe;
  probe.tick_to_order.reserve(8'000);
  for (auto& hop : probe.hop)
    hop.reserve(8'000);
  graph_options options;
  options.speed = 2'000.0;
  options.idle = idle;
  options.probe = &probe;
  const auto t0 = std::chrono::steady_clock::now();
  const engine::session_result g = run_graph(cfg, *source, nullptr, &gate, options);
  const auto wall = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(wall, std::chrono::nanoseconds(event_span_ns(cfg) / 2'000))
      << "no event leaves before it is due";
  const engine::session_result ref = run_reference_on(cfg);
  EXPECT_EQ(engine::trades_csv(g, cfg), engine::trades_csv(ref, cfg));
  EXPECT_EQ(engine::orders_csv(g, cfg), engine::orders_csv(ref, cfg));
  ASSERT_GT(g.counters.orders_sent, 0u);
  EXPECT_EQ(probe.tick_to_order.size(), g.counters.orders_sent);
  EXPECT_EQ(probe.dropped.load(), 0u);
  for (std::int64_t ns : probe.tick_to_order)
    EXPECT_GE(ns, 0);
  for (stage s :
       {stage::outlook, stage::advisory, stage::risk_gate, stage::execution, stage::reconciler})
    EXPECT_FALSE(probe.hop[static_cast<std::size_t>(s)].empty()) << name_of(s);
  EXPECT_TRUE(probe.hop[static_cast<std::size_t>(stage::market_data)].empty())
      << "nothing sends batches to market-data";
}

/// Sleeping workers: the replay pacer wakes market-data, one wake per due instant.
TEST(SessionGraph, PacedRunMatchesTheReferenceAndTheProbeSeesEveryOrder) {
  expect_paced_run_matches_the_reference(worker_idle::sleep);
}

/// Spinning workers pace without a pacer thread: market-data polls the clock on its worker.
TEST(SessionGraph, SpinningWorkersPaceOnTheWorkerAndMatchTheReference) {
  expect_paced_run_matches_the_reference(worker_idle::spin);
}

/// Waits longer than the polling window (here ~5 ms between events) go to CAF's timer first;
/// the schedule still holds and nothing is lost.
TEST(SessionGraph, SpinningWorkersKeepTheScheduleOverLongWaits) {
  // 60 events ~50 ms apart at 10x: ~5 ms apart, about 0.3 s of wall time.
  const auto cfg = testing::small_session(60, 7, config::session_mode::paper);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  graph_options options;
  options.speed = 10.0;
  options.idle = worker_idle::spin;
  const auto t0 = std::chrono::steady_clock::now();
  const engine::session_result g = run_graph(cfg, *source, nullptr, &gate, options);
  const auto wall = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(wall, std::chrono::nanoseconds(event_span_ns(cfg) / 10));
  EXPECT_EQ(g.counters.events, 60u);
  EXPECT_EQ(engine::trades_csv(g, cfg), engine::trades_csv(run_reference_on(cfg), cfg));
}

TEST(SessionGraph, AProbeWithoutCapacityDropsSamplesAndNeverAllocates) {
  const auto cfg = testing::small_session(20'000, 7, config::session_mode::paper);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  latency_probe probe;  // nothing reserved
  graph_options options;
  options.probe = &probe;
  const engine::session_result g = run_graph(cfg, *source, nullptr, &gate, options);
  EXPECT_EQ(probe.tick_to_order.capacity(), 0u);
  EXPECT_GE(probe.dropped.load(), g.counters.orders_sent);
}

/// A paper session whose daily-loss tripwire fires on the first fee (a position is open at
/// the halt), with flatten-on-halt on or off.
struct flatten_run {
  explicit flatten_run(bool flatten, bool paced = true) {
    cfg = testing::small_session(paced ? 200'000 : 20'000, 7, config::session_mode::paper);
    cfg.risk.max_daily_loss = money{1};
    cfg.kill_switch.flatten_on_halt = flatten;
    auto source = engine::open_source(cfg);
    // Paced (about 5,000 events/s) as in a live session, or as fast as possible with full
    // batches: the halt lands on the same event either way (engine/stages.hpp).
    graph_options options;
    if (paced)
      options.speed =
          5'000.0 * static_cast<double>(cfg.market_data.synthetic.mean_interval_ns) / 1e9;
    session_graph graph(cfg, *source, nullptr, &gate, options);
    graph.start();
    if (graph.wait_halts(1, 20'000'000'000)) {
      const auto settled = [&graph, flatten] {
        const halt_record h = graph.halts().front();
        return flatten ? h.halt_to_flat_event_ns >= 0 || h.flatten_gave_up
                       : h.halt_to_cancels_settled_event_ns >= 0;
      };
      for (int i = 0; i < 10'000 && !settled(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    graph.stop();
    result = graph.wait();
    halts = graph.halts();
  }
  /// Position after the last fill of each instrument.
  std::map<instrument_id, std::int64_t> final_positions() const {
    std::map<instrument_id, std::int64_t> p;
    for (const engine::trade_row& t : result.trades)
      p[t.instrument] = t.position_after.raw;
    return p;
  }
  config::session_config cfg;
  risk::halt_gate gate;
  engine::session_result result;
  std::vector<halt_record> halts;
};

TEST(SessionGraph, FlattenOnHaltClosesEveryPositionWithReducingOrdersOnly) {
  const flatten_run run(true);
  ASSERT_EQ(run.halts.size(), 1u);
  const halt_record& h = run.halts[0];
  EXPECT_EQ(h.reason, halt_reason::daily_loss);
  EXPECT_EQ(h.orders_after_trigger, 0u) << "flatten orders are not orders after the trigger";
  ASSERT_GE(h.flatten_orders, 1u) << "a position was open at the halt";
  EXPECT_FALSE(h.flatten_gave_up);
  EXPECT_GE(h.halt_to_flat_event_ns, 0);
  for (const auto& [instrument, position] : run.final_positions())
    EXPECT_EQ(position, 0) << "instrument " << instrument;
  // Exactly the flatten orders carry intent ids from the reserved range, all reduce-only.
  std::uint32_t flatten_rows = 0;
  for (const engine::order_row& o : run.result.orders)
    if (o.intent_id >= risk::flatten_intent_base) {
      ++flatten_rows;
      EXPECT_TRUE(o.reduce_only);
    }
  EXPECT_EQ(flatten_rows, h.flatten_orders);
  EXPECT_TRUE(run.result.tripwire.empty()) << run.result.tripwire;  // books still agree
  EXPECT_FALSE(run.gate.open()) << "still halted: flattening re-arms nothing";
}

/// Unpaced with full batches, the stages run far ahead of each other: the tripwire still
/// halts at the same event as in a paced run, and flattening completes.
TEST(SessionGraph, ATriggerInsideTheGraphHaltsEveryStageBeforeTheNextEvent) {
  const flatten_run run(true, false);
  ASSERT_EQ(run.halts.size(), 1u);
  const halt_record& h = run.halts[0];
  EXPECT_EQ(h.reason, halt_reason::daily_loss);
  EXPECT_EQ(h.orders_after_trigger, 0u);
  ASSERT_GE(h.flatten_orders, 1u) << "a position was open at the halt";
  EXPECT_GE(h.halt_to_flat_event_ns, 0);
  for (const auto& [instrument, position] : run.final_positions())
    EXPECT_EQ(position, 0) << "instrument " << instrument;
  // The same halt, in event time, as the paced run: it landed on the same event.
  const flatten_run paced(true);
  ASSERT_EQ(paced.halts.size(), 1u);
  EXPECT_EQ(h.flatten_orders, paced.halts[0].flatten_orders);
  EXPECT_EQ(h.halt_to_flat_event_ns, paced.halts[0].halt_to_flat_event_ns);
  EXPECT_EQ(h.halt_to_cancels_settled_event_ns, paced.halts[0].halt_to_cancels_settled_event_ns);
}

TEST(SessionGraph, WithoutFlattenOnHaltThePositionStaysOpen) {
  const flatten_run run(false);
  ASSERT_EQ(run.halts.size(), 1u);
  EXPECT_EQ(run.halts[0].flatten_orders, 0u);
  EXPECT_EQ(run.halts[0].halt_to_flat_event_ns, -1);
  bool open = false;
  for (const auto& [instrument, position] : run.final_positions())
    open = open || position != 0;
  EXPECT_TRUE(open) << "the halt left a position (the flatten test above closes it)";
  for (const engine::order_row& o : run.result.orders)
    EXPECT_LT(o.intent_id, risk::flatten_intent_base);
}

}  // namespace
}  // namespace peak::actors
