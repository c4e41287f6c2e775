#include <algorithm>
#include <array>
#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"
#include "observability/round_trip_tracker.hpp"

namespace peak::actors {
namespace {

/// Execution: the only stage that talks to the broker. Orders pass the halt gate
/// immediately before they leave; terminal reports are fed back to the risk gate.
struct execution_state : stage_base {
  std::unique_ptr<engine::execution_stage> core;
  /// Steady clock before each of the latest orders that left (a ring: a halt counts the
  /// orders sent at or after its cut instant, which can only be the latest ones; memory
  /// stays flat however long the session runs).
  std::array<std::int64_t, 1024> send_started_ns{};
  std::uint64_t sends = 0;
  std::uint64_t flatten_sent = 0;  ///< flatten-on-halt orders handed to the broker
  timestamp_ns last_ts = 0;
  std::uint32_t reject_burst = 3;
  bool tripped = false;
  using stage_base::on;

  std::int64_t tick_wall_ns = 0;  ///< when market-data emitted the event being processed
  /// A halt whose cancels have not all settled at the broker yet (0 = none pending).
  std::uint64_t settling_halt = 0;
  timestamp_ns settling_since = 0;    ///< event time when the halt reached execution
  std::uint32_t settling_orders = 0;  ///< orders open at that moment

  /// Tells the kill switch once every order open at the halt has ended (event time).
  void report_cancels_settled_if_done() {
    if (settling_halt == 0 || core->open_orders() != 0)
      return;
    cancels_settled c;
    c.halt_id = settling_halt;
    c.halt_event_ns = settling_since;
    c.settled_event_ns = std::max(last_ts, settling_since);
    c.orders = settling_orders;
    self->send(kill_switch, c);
    settling_halt = 0;
  }
  /// Reports for the risk gate (fills and releases keep its book exact), sent once per turn.
  pipeline_batch feedback;

  /// Broker round trip (with metrics, paper): stamps each hand-off to the broker adapter.
  struct handoff_clock final : engine::handoff_listener {
    observability::round_trip_tracker tracker;
    void on_handed_off(const submit_order& order) noexcept override {
      tracker.on_handed_off(order.client_order_id, steady_now_ns());
    }
  };
  std::unique_ptr<handoff_clock> handoffs;  ///< null without metrics or in shadow mode

  void end_turn(pipeline_batch* spare = nullptr) {
    flush(spare);
    if (!feedback.items.empty()) {
      self->send(context->risk_gate, std::move(feedback));
      clear(feedback);
      if (context->batches != nullptr)
        context->batches->take(feedback);
    }
  }

  void emit_reports(const std::vector<execution_report>& reports) {
    const std::int64_t now = handoffs != nullptr && !reports.empty() ? steady_now_ns() : 0;
    for (const execution_report& r : reports) {
      if (metrics != nullptr)
        observability::record_execution_report(*metrics, r.kind);
      if (handoffs != nullptr)
        handoffs->tracker.on_report(r.client_order_id, now, metrics->broker_round_trip);
      forward(r);
      append(feedback, r);
    }
  }

  void on(const market_event& event) {
    last_ts = event.ts_event;
    tick_wall_ns = event.wall_ns;
    const std::vector<execution_report>& reports = core->on_market(event);
    forward(event);
    emit_reports(reports);
    report_cancels_settled_if_done();
    if (core->snapshot_due())
      forward(core->snapshot());
    if (!tripped && reject_burst > 0 && core->consecutive_rejects() >= reject_burst) {
      tripped = true;
      trigger_halt(*context, kill_switch, halt_reason::broker_errors,
                   std::to_string(core->consecutive_rejects()) + " broker rejections in a row",
                   last_ts, 0, self->context());
    }
  }

  void on(const approved_order& order) {
    const std::int64_t started = steady_now_ns();
    const engine::approval_outcome outcome = core->on_approved(order);
    const bool refused = outcome.local_reject;
    if (outcome.sent && !core->shadow() && order.order.flatten_halt_id != 0) {
      // A flatten-on-halt order: leaves past the closed gate by design (reducing, sealed for
      // this halt), so it is not one of the "orders after the trigger" the ring counts.
      ++flatten_sent;
      if (metrics != nullptr)
        observability::record_order_submitted(*metrics, order.order.direction, -1);
    } else if (outcome.sent && !core->shadow()) {
      send_started_ns[sends++ % send_started_ns.size()] = started;
      if (latency_probe* p = context->options.probe; p != nullptr && tick_wall_ns > 0)
        record_sample(p->tick_to_order, p->dropped, steady_now_ns() - tick_wall_ns);
      if (metrics != nullptr)
        observability::record_order_submitted(
            *metrics, order.order.direction,
            tick_wall_ns > 0 ? steady_now_ns() - tick_wall_ns : -1);
    } else if (outcome.sent && metrics != nullptr) {
      metrics->orders_shadow_recorded.inc();
    }
    forward(order);
    if (refused) {
      // A local rejection (gate closed in flight, invalid seal) is a rejected order like a
      // broker's: counted in the lifecycle metrics as the evidence counts it.
      if (metrics != nullptr)
        observability::record_execution_report(*metrics, outcome.report.kind);
      forward(outcome.report);
      append(feedback, outcome.report);
    } else if (outcome.gate_release) {
      append(feedback, outcome.report);
    }
  }

  void on(const kill_command& k) {
    const auto open = static_cast<std::uint32_t>(core->open_orders());
    const std::vector<execution_report>& reports = core->cancel_all(k.halt_id, last_ts);
    timestamp_ns done = 0;
    for (const execution_report& r : reports)
      if (r.kind == report_kind::cancelled)
        done = std::max(done, r.ts_event);
    emit_reports(reports);
    const std::uint32_t cancelled = open;
    std::uint64_t after = 0;
    const std::uint64_t kept = std::min<std::uint64_t>(sends, send_started_ns.size());
    for (std::uint64_t i = 0; i < kept; ++i)
      if (send_started_ns[i] >= k.cut_wall_ns)
        ++after;  // a full ring of such sends is reported as its size: a lower bound
    acknowledge(k, cancelled, done, after);
    settling_halt = k.halt_id;
    settling_since = last_ts;
    settling_orders = open;
    report_cancels_settled_if_done();  // nothing was open, or every cancel was local
  }
  /// A re-arm before the cancels settled: new orders may open, so that halt's settling can
  /// no longer be told apart; it stays unknown (-1).
  void on(const rearm_command& /*r*/) { settling_halt = 0; }
};

}  // namespace

stage_actor spawn_execution(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<execution_state> self) -> stage_actor::behavior_type {
        init_stage<execution_state>(self, context, next, kill_switch, stage::execution);
        self->state.core =
            std::make_unique<engine::execution_stage>(*context->config, context->gate);
        self->state.reject_burst = engine::make_tripwires(*context->config).broker_reject_burst;
        if (self->state.metrics != nullptr && !self->state.core->shadow()) {
          self->state.handoffs = std::make_unique<execution_state::handoff_clock>();
          self->state.core->set_handoff_listener(self->state.handoffs.get());
        }
        if (context->options.broker_faults && self->state.core->paper() != nullptr)
          context->options.broker_faults(*self->state.core->paper());
        mark_ready(*context);
        return stage_behavior<execution_state>(self);
      });
}

}  // namespace peak::actors
