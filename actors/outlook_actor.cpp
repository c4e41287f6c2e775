#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"

namespace peak::actors {
namespace {

/// L2 outlook: emits the outlook (when due) ahead of the event that caused it.
struct outlook_state : stage_base {
  std::unique_ptr<engine::outlook_stage> core;
  std::unique_ptr<observability::outlook_recorder> recorder;
  using stage_base::on;
  void on(const market_event& event) {
    const bool sampled = sample_latency();
    const std::int64_t t0 = sampled ? steady_now_ns() : 0;
    outlook view;
    if (core->on_event(event, view)) {
      if (metrics != nullptr)
        recorder->record(*metrics, view.instrument, view.state, view.uncertainty, view.no_trade);
      forward(view);
    }
    if (sampled)
      record_latency(t0);
    forward(event);
  }
};

}  // namespace

stage_actor spawn_outlook(caf::actor_system& system, graph_context* context, stage_actor next,
                          kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<outlook_state> self) -> stage_actor::behavior_type {
        init_stage<outlook_state>(self, context, next, kill_switch, stage::outlook);
        self->state.core = std::make_unique<engine::outlook_stage>(*context->config);
        self->state.recorder =
            std::make_unique<observability::outlook_recorder>(context->config->instruments.size());
        mark_ready(*context);
        return stage_behavior<outlook_state>(self);
      });
}

}  // namespace peak::actors
