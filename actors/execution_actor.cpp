#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"

namespace peak::actors {
namespace {

/// Execution: the only stage that talks to the broker. Its feedback (reports, halts) goes
/// back to the risk gate once per turn, stamped with how far execution has got.
struct execution_state : stage_base<engine::execution_stage> {
  pipeline_batch feedback;
  std::uint64_t sent_watermark = 0;
  std::int64_t tick_wall_ns = 0;  ///< when market-data emitted the event being handled

  bool on_batch(pipeline_batch& in) {
    engine::stage_output to = output();
    latency_probe* probe = context->options.probe;
    for_each_item(in, [&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, market_event>)
        tick_wall_ns = x.wall_ns;
      if constexpr (std::is_same_v<T, approved_order>) {
        const std::uint64_t before = core->orders_sent();
        handle(x, to);
        if (probe != nullptr && core->orders_sent() != before && tick_wall_ns > 0)
          record_sample(probe->tick_to_order, probe->dropped, steady_now_ns() - tick_wall_ns);
      } else {
        handle(x, to);
      }
    });
    return true;
  }
  /// Sends the turn's output, then the feedback once a quarter of the lag has passed since
  /// the last: nothing in it is due at the risk gate before that, and the gate never waits
  /// longer (one message per ~128 events instead of one per fill).
  void end_turn(pipeline_batch* spare = nullptr) {
    stage_base::end_turn(spare);
    if (core->events() - sent_watermark < engine::feedback_lag_events / 4)
      return;
    core->seal_feedback(feedback);
    feedback.feedback = true;
    sent_watermark = feedback.watermark;
    self->send(context->risk_gate, std::move(feedback));
    clear(feedback);
    if (context->batches != nullptr)
      context->batches->take(feedback);
  }
  void on_kill(const kill_command& k) {
    engine::stage_output to = output();
    core->on_kill(k, to);  // applies it unless applied already; acknowledges through the sink
  }
  void on_rearm(const rearm_command& /*r*/) { core->on_rearm(); }
};

}  // namespace

stage_actor spawn_execution(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<execution_state> self) -> stage_actor::behavior_type {
        init_stage<execution_state>(self, context, next, kill_switch, stage::execution,
                                    context->gate);
        self->state.feedback_out = &self->state.feedback;
        if (context->options.broker_faults && self->state.core->paper() != nullptr)
          context->options.broker_faults(*self->state.core->paper());
        mark_ready(*context);
        return stage_behavior<execution_state>(self);
      });
}

}  // namespace peak::actors
