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
                           std::int64_t requested_wall_ns, caf::execution_unit* from) {
  const std::int64_t requested = requested_wall_ns != 0 ? requested_wall_ns : steady_now_ns();
  const std::uint64_t id = context.next_halt_id.fetch_add(1) + 1;
  const bool first = context.gate->begin_close(id);
  const std::int64_t cut = steady_now_ns();
  context.gate->wait_idle();
  const std::int64_t closed = steady_now_ns();
  if (!first)
    return 0;  // already halted: the first trigger owns the halt
  context.halted.store(true);
  kill_command k;
  k.reason = reason;
  k.halt_id = context.gate->halt_id();
  k.trigger_wall_ns = requested;
  k.cut_wall_ns = cut;
  k.gate_closed_wall_ns = closed;
  k.ts_event = ts_event;
  k.detail = std::move(detail);
  const std::uint64_t halt_id = k.halt_id;
  if (from != nullptr)
    caf::actor_cast<caf::abstract_actor*>(kill_switch)
        ->enqueue(caf::make_mailbox_element(
                      nullptr, caf::make_message_id(caf::message_priority::high), {}, std::move(k)),
                  from);
  else
    caf::anon_send<caf::message_priority::high>(kill_switch, std::move(k));
  return halt_id;
}

namespace {

struct kill_switch_state {
  kill_command current;
  bool active = false;
  std::size_t acks = 0;
  std::size_t expected = 0;
  halt_record record;
};

/// Applies a late fact about halt `halt_id` (cancels settled, flatten done): to the record
/// still being collected, or, once all stages acknowledged, to the published one. Either may
/// happen: such facts come in event time, acknowledgements in wall-clock time.
template <class Update>
void update_halt(kill_switch_state& s, graph_context& context, std::uint64_t halt_id,
                 Update&& update) {
  if (s.active && s.current.halt_id == halt_id && s.acks < s.expected) {
    update(s.record);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(context.halts_mutex);
    for (halt_record& h : context.halts)
      if (h.halt_id == halt_id)
        update(h);
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
          auto& s = self->state;
          if (s.active)
            return;  // one halt at a time; later triggers are no-ops until re-armed
          s.active = true;
          s.current = k;
          s.acks = 0;
          s.expected = context->stages.size() + 1;
          s.record = halt_record{};
          s.record.halt_id = k.halt_id;
          s.record.reason = k.reason;
          s.record.detail = k.detail;
          s.record.trigger_to_gate_closed_ns = k.gate_closed_wall_ns - k.trigger_wall_ns;
          s.record.trigger_wall_ns = k.trigger_wall_ns;
          s.record.gate_closed_wall_ns = k.gate_closed_wall_ns;
          self->send<caf::message_priority::high>(context->market_data, k);
          for (const stage_actor& stage : context->stages)
            self->send<caf::message_priority::high>(stage, k);
        },
        [self, context](const halt_acknowledged& ack) {
          sample_mailbox(self, context->options.metrics, stage::kill_switch);
          auto& s = self->state;
          if (!s.active || ack.halt_id != s.current.halt_id)
            return;
          s.record.orders_cancelled += ack.orders_cancelled;
          s.record.orders_after_trigger += ack.orders_after_trigger;
          s.record.cancel_done_event_ns =
              std::max(s.record.cancel_done_event_ns, ack.cancel_done_event_ns);
          s.record.trigger_to_all_acknowledged_ns = std::max(
              s.record.trigger_to_all_acknowledged_ns, ack.ack_wall_ns - s.current.trigger_wall_ns);
          s.record.all_acknowledged_wall_ns =
              std::max(s.record.all_acknowledged_wall_ns, ack.ack_wall_ns);
          if (++s.acks == s.expected) {
            if (auto* m = context->options.metrics) {
              observability::record_halt(*m, s.record.reason);
              m->halt_gate_latency.observe_ns(s.record.trigger_to_gate_closed_ns);
              m->halt_all_latency.observe_ns(s.record.trigger_to_all_acknowledged_ns);
            }
            {
              std::lock_guard<std::mutex> lock(context->halts_mutex);
              context->halts.push_back(s.record);
            }
            context->halts_changed.notify_all();
          }
        },
        [self, context](const cancels_settled& c) {
          const std::int64_t took = c.orders == 0 ? 0 : c.settled_event_ns - c.halt_event_ns;
          update_halt(self->state, *context, c.halt_id,
                      [took](halt_record& h) { h.halt_to_cancels_settled_event_ns = took; });
        },
        [self, context](const flatten_done& f) {
          update_halt(self->state, *context, f.halt_id, [&f](halt_record& h) {
            h.flatten_orders = f.orders;
            h.flatten_gave_up = !f.flat;
            h.halt_to_flat_event_ns =
                f.flat ? std::max<std::int64_t>(0, f.done_event_ns - f.halt_event_ns) : -1;
          });
        },
        [self, context](const rearm_command& r) {
          auto& s = self->state;
          if (!s.active)
            return;
          s.active = false;
          context->gate->rearm();
          if (auto* m = context->options.metrics)
            observability::record_rearm(*m);
          context->halted.store(false);
          self->send(context->market_data, r);
          for (const stage_actor& stage : context->stages)
            self->send(stage, r);
        },
    };
  });
}

}  // namespace peak::actors
