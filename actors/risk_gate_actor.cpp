#include <caf/actor_system.hpp>
#include <deque>

#include "actors/stage_base.hpp"

namespace peak::actors {
namespace {

/// L5 risk gate: an event waits until execution's feedback it needs has arrived (the engine's
/// fixed feedback lag), so its decisions equal the reference loop's whatever the timing.
struct risk_gate_state : stage_base<engine::risk_stage> {
  std::deque<pipeline_batch> waiting;  ///< input kept until its feedback arrives, in order
  engine::batch_cursor at;             ///< where the front of `waiting` stands
  bool end_pending = false;
  end_of_stream end;

  /// Handles items of `b` from `c` on; false when an event must wait for feedback.
  bool consume(const pipeline_batch& b, engine::batch_cursor& c) {
    engine::stage_output to = output();
    return engine::walk(b, c, [&](const auto& x) {
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, market_event>) {
        if (!core->ready(x))
          return false;
      }
      handle(x, to);
      return true;
    });
  }
  bool on_batch(pipeline_batch& in) {
    if (in.feedback) {
      core->on_feedback(in);
      resume();
      return true;
    }
    if (waiting.empty()) {
      engine::batch_cursor c;
      if (consume(in, c))
        return true;
      at = c;
    }
    waiting.push_back(std::move(in));
    return false;
  }
  /// Continues the kept input as far as the feedback now allows.
  void resume() {
    while (!waiting.empty()) {
      if (!consume(waiting.front(), at))
        return;
      if (context->batches != nullptr)
        context->batches->put(std::move(waiting.front()));
      waiting.pop_front();
      at = {};
    }
    if (end_pending) {
      end_pending = false;
      end_turn();
      stage_base::on_end(end);
    }
  }
  void on_end(const end_of_stream& x) {
    if (waiting.empty()) {
      stage_base::on_end(x);
      return;
    }
    end_pending = true;  // after the kept input
    end = x;
  }
  void on_kill(const kill_command& k) {
    engine::stage_output to = output();
    core->on_kill(k, to);
    acknowledge(k);
  }
  void on_rearm(const rearm_command& /*r*/) { core->on_rearm(); }
};

}  // namespace

stage_actor spawn_risk_gate(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<risk_gate_state> self) -> stage_actor::behavior_type {
        init_stage<risk_gate_state>(self, context, next, kill_switch, stage::risk_gate,
                                    context->gate);
        mark_ready(*context);
        return stage_behavior<risk_gate_state>(self);
      });
}

}  // namespace peak::actors
