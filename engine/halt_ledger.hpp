#pragma once
/// What one halt did, collected from the stages' facts about it: the kill switch actor and
/// the reference loop keep the same ledger, so their halt records compare field by field.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/control.hpp"

namespace peak::engine {

/// One halt: event-time outcomes (deterministic) and wall-clock latencies (measurement only).
struct halt_record {
  std::uint64_t halt_id = 0;
  halt_reason reason = halt_reason::operator_command;
  std::string detail;
  timestamp_ns ts_event = 0;  ///< event time of the trigger (0 when raised from outside)
  std::int64_t trigger_to_gate_closed_ns = 0;
  std::int64_t trigger_to_all_acknowledged_ns = 0;
  std::uint32_t orders_cancelled = 0;
  timestamp_ns cancel_done_event_ns = 0;  ///< broker event time when the last cancel took effect
  /// Broker event time from the halt reaching execution until every order open at that
  /// moment had ended (cancelled or filled); 0 when none was open; -1 until known (or when
  /// the session was re-armed or ended first).
  std::int64_t halt_to_cancels_settled_event_ns = -1;
  std::uint64_t orders_after_trigger = 0;  ///< must be 0 (flatten orders are not counted here)
  /// Flatten-on-halt (kill_switch.flatten_on_halt): reducing orders approved for this halt,
  /// and broker event time from the halt reaching the risk gate until every position was
  /// flat; -1 while unknown, when not configured, or when flattening gave up.
  std::uint32_t flatten_orders = 0;
  std::int64_t halt_to_flat_event_ns = -1;
  bool flatten_gave_up = false;
  // Absolute steady-clock instants (CLOCK_MONOTONIC, comparable across processes).
  std::int64_t trigger_wall_ns = 0;
  std::int64_t gate_closed_wall_ns = 0;
  std::int64_t all_acknowledged_wall_ns = 0;
};

/// True when two records agree on everything but wall-clock time (what determinism covers).
[[nodiscard]] bool same_outcome(const halt_record& a, const halt_record& b) noexcept;

/// Collects halts: one at a time, complete when every stage has acknowledged it. Late facts
/// (cancels settled, flatten done) come in event time and may follow completion.
class halt_ledger {
public:
  /// Starts collecting `k`, expecting `acks` acknowledgements; false (ignored) while another
  /// halt is active.
  bool begin(const kill_command& k, std::size_t acks);
  /// Adds one acknowledgement of the active halt; true when it was the last one.
  bool acknowledge(const halt_acknowledged& ack);
  /// Applies a fact about halt `c.halt_id` to its record, active or completed.
  void settled(const cancels_settled& c);
  void flattened(const flatten_done& f);
  /// Ends the active halt (an operator re-armed the session); false when none was active.
  bool rearm();
  [[nodiscard]] bool active() const noexcept { return active_; }
  [[nodiscard]] const halt_record& current() const noexcept { return current_; }
  /// Completed halts, in order.
  [[nodiscard]] const std::vector<halt_record>& completed() const noexcept { return done_; }

private:
  halt_record* find(std::uint64_t halt_id) noexcept;

  bool active_ = false;
  std::size_t acks_ = 0;
  std::size_t expected_ = 0;
  halt_record current_;
  std::vector<halt_record> done_;
};

}  // namespace peak::engine
