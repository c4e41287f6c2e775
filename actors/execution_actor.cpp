#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"

namespace peak::actors {
namespace {

/// Execution: the only stage that talks to the broker. Orders pass the halt gate
/// immediately before they leave; terminal reports are fed back to the risk gate.
struct execution_state : stage_base {
  std::unique_ptr<engine::execution_stage> core;
  std::vector<std::int64_t> send_started_ns;  ///< steady clock before each order that left
  timestamp_ns last_ts = 0;
  std::uint32_t reject_burst = 3;
  bool tripped = false;
  using stage_base::on;

  std::int64_t tick_wall_ns = 0;  ///< when market-data emitted the event being processed
  /// Reports for the risk gate (fills and releases keep its book exact), sent once per turn.
  pipeline_batch feedback;

  void end_turn(pipeline_batch* spare = nullptr) {
    flush(spare);
    if (!feedback.items.empty()) {
      self->send(context->risk_gate, std::move(feedback));
      clear(feedback);
    }
  }

  void emit_reports(const std::vector<execution_report>& reports) {
    for (const execution_report& r : reports) {
      if (metrics != nullptr)
        observability::record_execution_report(*metrics, r.kind);
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
    if (core->snapshot_due())
      forward(core->snapshot());
    if (!tripped && reject_burst > 0 && core->consecutive_rejects() >= reject_burst) {
      tripped = true;
      trigger_halt(*context, kill_switch, halt_reason::broker_errors,
                   std::to_string(core->consecutive_rejects()) + " broker rejections in a row",
                   last_ts);
    }
  }

  void on(const approved_order& order) {
    const std::int64_t started = steady_now_ns();
    const engine::approval_outcome outcome = core->on_approved(order);
    const bool refused = outcome.local_reject;
    if (outcome.sent && !core->shadow()) {
      send_started_ns.push_back(started);
      if (metrics != nullptr)
        observability::record_order_submitted(
            *metrics, order.order.direction,
            tick_wall_ns > 0 ? steady_now_ns() - tick_wall_ns : -1);
    } else if (outcome.sent && metrics != nullptr) {
      metrics->orders_shadow_recorded.inc();
    }
    forward(order);
    if (refused) {
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
    for (std::int64_t t : send_started_ns)
      if (t >= k.cut_wall_ns)
        ++after;
    acknowledge(k, cancelled, done, after);
  }
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
        if (context->options.broker_faults && self->state.core->paper() != nullptr)
          context->options.broker_faults(*self->state.core->paper());
        mark_ready(*context);
        return stage_behavior<execution_state>(self);
      });
}

}  // namespace peak::actors
