#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"

namespace peak::actors {
namespace {

/// L5 risk gate: every intent gets exactly one decision, forwarded behind the intent.
struct risk_gate_state : stage_base {
  std::unique_ptr<engine::risk_stage> core;
  using stage_base::on;
  void on(const market_event& event) {
    core->on_market(event);
    forward(event);
  }
  void on(const trade_intent& intent) {
    const std::int64_t t0 = metrics != nullptr ? steady_now_ns() : 0;
    const risk::risk_decision decision = core->decide(intent);
    if (metrics != nullptr) {
      record_latency(t0);
      if (decision.approved)
        observability::record_risk_approved(*metrics);
      else
        observability::record_risk_denied(*metrics, decision.denied.reason);
    }
    forward(intent);
    if (decision.approved)
      forward(decision.order);
    else
      forward(decision.denied);
  }
  /// Feedback from execution: terminal reports release reserved exposure. Not forwarded.
  void on(const execution_report& report) { core->on_report(report); }
  void on(const kill_command& k) {
    core->core().set_trading_state(risk::trading_state::halted);
    acknowledge(k);
  }
  void on(const rearm_command& /*r*/) {
    core->core().set_trading_state(risk::trading_state::active);
  }
};

}  // namespace

stage_actor spawn_risk_gate(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<risk_gate_state> self) -> stage_actor::behavior_type {
        init_stage<risk_gate_state>(self, context, next, kill_switch, stage::risk_gate);
        self->state.core = std::make_unique<engine::risk_stage>(*context->config, context->gate);
        mark_ready(*context);
        return stage_behavior<risk_gate_state>(self);
      });
}

}  // namespace peak::actors
