#include <algorithm>
#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"

namespace peak::actors {
namespace {

/// Reconciler: the end of the pipeline. Records every decision, gives market-data its
/// flow-control credit, and delivers the result at the end of the stream.
struct reconciler_state : stage_base<engine::reconcile_stage> {
  std::uint64_t credit_every = 2'048;
  std::uint64_t processed = 0;
  std::uint64_t next_credit = 2'048;

  bool on_batch(pipeline_batch& in) {
    stage_base::on_batch(in);
    processed += in.events.size();
    if (processed >= next_credit) {  // a quarter of the window at a time
      self->send(context->market_data, progress_atom::value, processed);
      next_credit = processed + credit_every;
    }
    return true;
  }
  void on_end(const end_of_stream& /*x*/) {
    context->result.set_value(core->finish());
    self->quit();
  }
  void on_rearm(const rearm_command& r) { core->on_rearm(r); }
};

}  // namespace

stage_actor spawn_reconciler(caf::actor_system& system, graph_context* context,
                             kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<reconciler_state> self) -> stage_actor::behavior_type {
        init_stage<reconciler_state>(self, context, stage_actor{}, kill_switch, stage::reconciler,
                                     context->sink);
        auto& s = self->state;
        s.credit_every = std::max<std::uint64_t>(1, context->options.max_in_flight / 4);
        s.next_credit = s.credit_every;
        mark_ready(*context);
        return stage_behavior<reconciler_state>(self);
      });
}

}  // namespace peak::actors
