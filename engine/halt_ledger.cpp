#include "engine/halt_ledger.hpp"

#include <algorithm>

namespace peak::engine {

bool same_outcome(const halt_record& a, const halt_record& b) noexcept {
  return a.halt_id == b.halt_id && a.reason == b.reason && a.detail == b.detail &&
         a.ts_event == b.ts_event && a.orders_cancelled == b.orders_cancelled &&
         a.cancel_done_event_ns == b.cancel_done_event_ns &&
         a.halt_to_cancels_settled_event_ns == b.halt_to_cancels_settled_event_ns &&
         a.orders_after_trigger == b.orders_after_trigger &&
         a.flatten_orders == b.flatten_orders &&
         a.halt_to_flat_event_ns == b.halt_to_flat_event_ns &&
         a.flatten_gave_up == b.flatten_gave_up;
}

bool halt_ledger::begin(const kill_command& k, std::size_t acks) {
  if (active_)
    return false;  // one halt at a time; later triggers are no-ops until re-armed
  active_ = true;
  acks_ = 0;
  expected_ = acks;
  current_ = halt_record{};
  current_.halt_id = k.halt_id;
  current_.reason = k.reason;
  current_.detail = k.detail;
  current_.ts_event = k.ts_event;
  current_.trigger_to_gate_closed_ns = k.gate_closed_wall_ns - k.trigger_wall_ns;
  current_.trigger_wall_ns = k.trigger_wall_ns;
  current_.gate_closed_wall_ns = k.gate_closed_wall_ns;
  return true;
}

bool halt_ledger::acknowledge(const halt_acknowledged& ack) {
  if (!active_ || ack.halt_id != current_.halt_id || acks_ >= expected_)
    return false;
  current_.orders_cancelled += ack.orders_cancelled;
  current_.orders_after_trigger += ack.orders_after_trigger;
  current_.cancel_done_event_ns = std::max(current_.cancel_done_event_ns, ack.cancel_done_event_ns);
  current_.trigger_to_all_acknowledged_ns =
      std::max(current_.trigger_to_all_acknowledged_ns, ack.ack_wall_ns - current_.trigger_wall_ns);
  current_.all_acknowledged_wall_ns = std::max(current_.all_acknowledged_wall_ns, ack.ack_wall_ns);
  if (++acks_ < expected_)
    return false;
  done_.push_back(current_);
  return true;
}

halt_record* halt_ledger::find(std::uint64_t halt_id) noexcept {
  if (active_ && current_.halt_id == halt_id && acks_ < expected_)
    return &current_;
  for (halt_record& h : done_)
    if (h.halt_id == halt_id)
      return &h;
  return nullptr;
}

void halt_ledger::settled(const cancels_settled& c) {
  if (halt_record* h = find(c.halt_id))
    h->halt_to_cancels_settled_event_ns = c.orders == 0 ? 0 : c.settled_event_ns - c.halt_event_ns;
}

void halt_ledger::flattened(const flatten_done& f) {
  if (halt_record* h = find(f.halt_id)) {
    h->flatten_orders = f.orders;
    h->flatten_gave_up = !f.flat;
    h->halt_to_flat_event_ns =
        f.flat ? std::max<std::int64_t>(0, f.done_event_ns - f.halt_event_ns) : -1;
  }
}

bool halt_ledger::rearm() {
  if (!active_)
    return false;
  active_ = false;
  return true;
}

}  // namespace peak::engine
