#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/stage_base.hpp"
#include "observability/metrics_recorder.hpp"

namespace peak::actors {

std::uint64_t trigger_halt(graph_context& context, const kill_switch_actor& kill_switch,
                           halt_reason reason, std::string detail, timestamp_ns ts_event,
                           std::int64_t requested_wall_ns) {
  kill_command k = engine::close_gate(*context.gate, reason, std::move(detail), ts_event,
                                      requested_wall_ns);
  const std::uint64_t halt_id = k.halt_id;
  if (halt_id != 0)
    caf::anon_send<caf::message_priority::high>(kill_switch, std::move(k));
  return halt_id;
}

namespace {

struct kill_switch_state {
  engine::halt_ledger ledger;
};

/// Publishes the ledger to the graph's readers: completed halts, then the active one (a
/// stage that has already ended never acknowledges, so a halt near the end may stay active).
void publish(const engine::halt_ledger& ledger, graph_context& context) {
  {
    std::lock_guard<std::mutex> lock(context.halts_mutex);
    context.halts = ledger.completed();
    context.halts_completed = context.halts.size();
    if (ledger.active() &&
        (context.halts.empty() || context.halts.back().halt_id != ledger.current().halt_id))
      context.halts.push_back(ledger.current());
  }
  context.halts_changed.notify_all();
}

}  // namespace

kill_switch_actor spawn_kill_switch(caf::actor_system& system, graph_context* context) {
  return system.spawn([=](kill_switch_actor::stateful_pointer<kill_switch_state> self)
                          -> kill_switch_actor::behavior_type {
    mark_ready(*context);
    // Idle until a halt: its mailbox is sampled at start and on every message it handles.
    sample_mailbox(self, context->options.metrics, stage::kill_switch);
    return {
        [self, context](const kill_command& k) {
          sample_mailbox(self, context->options.metrics, stage::kill_switch);
          if (!self->state.ledger.begin(k, context->stages.size() + 1))
            return;  // one halt at a time; later triggers are no-ops until re-armed
          publish(self->state.ledger, *context);
          self->send<caf::message_priority::high>(context->market_data, k);
          for (const stage_actor& stage : context->stages)
            self->send<caf::message_priority::high>(stage, k);
        },
        [self, context](const halt_acknowledged& ack) {
          sample_mailbox(self, context->options.metrics, stage::kill_switch);
          engine::halt_ledger& ledger = self->state.ledger;
          if (!ledger.acknowledge(ack))
            return;
          const engine::halt_record& h = ledger.completed().back();
          if (auto* m = context->options.metrics) {
            observability::record_halt(*m, h.reason);
            m->halt_gate_latency.observe_ns(h.trigger_to_gate_closed_ns);
            m->halt_all_latency.observe_ns(h.trigger_to_all_acknowledged_ns);
          }
          publish(ledger, *context);
        },
        [self, context](const cancels_settled& c) {
          self->state.ledger.settled(c);
          publish(self->state.ledger, *context);
        },
        [self, context](const flatten_done& f) {
          self->state.ledger.flattened(f);
          publish(self->state.ledger, *context);
        },
        [self, context](const rearm_command& r) {
          if (!self->state.ledger.rearm())
            return;
          publish(self->state.ledger, *context);
          context->gate->rearm();
          if (auto* m = context->options.metrics)
            observability::record_rearm(*m);
          self->send(context->market_data, r);
          for (const stage_actor& stage : context->stages)
            self->send(stage, r);
        },
    };
  });
}

}  // namespace peak::actors
