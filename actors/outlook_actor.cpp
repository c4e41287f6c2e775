#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"

namespace peak::actors {

stage_actor spawn_outlook(caf::actor_system& system, graph_context* context, stage_actor next,
                          kill_switch_actor kill_switch) {
  using state = stage_base<engine::outlook_stage>;
  return system.spawn(
      [=](stage_actor::stateful_pointer<state> self) -> stage_actor::behavior_type {
        init_stage<state>(self, context, next, kill_switch, stage::outlook);
        mark_ready(*context);
        return stage_behavior<state>(self);
      });
}

}  // namespace peak::actors
