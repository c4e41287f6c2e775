#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"

namespace peak::actors {
namespace {

/// L3 advisory: forwards the event, then the hypotheses it caused. Never talks to execution.
struct advisory_state : stage_base {
  std::unique_ptr<engine::advisory_stage> core;
  using stage_base::on;
  void on(const outlook& view) {
    core->on_outlook(view);
    forward(view);
  }
  void on(const market_event& event) {
    const bool sampled = sample_latency();
    const std::int64_t t0 = sampled ? steady_now_ns() : 0;
    const std::vector<trade_intent>& intents = core->on_event(event);
    if (sampled)
      record_latency(t0);
    forward(event);
    for (const trade_intent& intent : intents) {
      if (metrics != nullptr && intent.strategy < metrics->hypotheses.size())
        metrics->hypotheses[intent.strategy].inc();
      forward(intent);
    }
  }
};

}  // namespace

stage_actor spawn_advisory(caf::actor_system& system, graph_context* context, stage_actor next,
                           kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<advisory_state> self) -> stage_actor::behavior_type {
        init_stage<advisory_state>(self, context, next, kill_switch, stage::advisory);
        self->state.core = std::make_unique<engine::advisory_stage>(*context->config);
        mark_ready(*context);
        return stage_behavior<advisory_state>(self);
      });
}

}  // namespace peak::actors
