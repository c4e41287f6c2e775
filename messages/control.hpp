#pragma once
/// Kill switch and session control messages.

#include <cstdint>
#include <string>

#include "messages/common.hpp"

namespace peak {

/// What pulled the kill switch.
enum class halt_reason : std::uint8_t {
  operator_command = 0,
  daily_loss = 1,
  reconciler_tripwire = 2,
  broker_errors = 3,
  stale_data = 4,
  risk_breach = 5,
  drill = 6,
};

inline constexpr std::uint8_t halt_reason_count = 7;

/// Pipeline stage, for acknowledgements and per-stage metrics.
enum class stage : std::uint8_t {
  market_data = 0,
  outlook = 1,
  advisory = 2,
  risk_gate = 3,
  execution = 4,
  reconciler = 5,
  kill_switch = 6,
};

inline constexpr std::uint8_t stage_count = 7;

/// Command: halt the session now.
struct kill_command {
  halt_reason reason = halt_reason::operator_command;
  std::uint64_t halt_id = 0;
  std::int64_t trigger_wall_ns = 0;  ///< wall-clock (steady) instant of the trigger, for latency
  timestamp_ns ts_event = 0;         ///< event time at the trigger, if known
  std::string detail;                ///< human-readable: who / what breached
  std::int64_t gate_closed_wall_ns = 0;  ///< wall-clock (steady): gate closed, no send in flight
  std::int64_t cut_wall_ns = 0;  ///< wall-clock (steady) just after the gate's cut; every send
                                 ///< that passed the gate started before this instant
  /// Raised inside the pipeline (a tripwire at execution): every stage applies it at its
  /// place in the event stream, so both engines halt at the same event. False: from outside.
  bool sequenced = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kill_command& x) {
  return f(x.reason, x.halt_id, x.trigger_wall_ns, x.ts_event, x.detail, x.gate_closed_wall_ns,
           x.cut_wall_ns, x.sequenced);
}

/// Event: a stage has halted.
struct halt_acknowledged {
  std::uint64_t halt_id = 0;
  stage from = stage::market_data;
  std::int64_t ack_wall_ns = 0;            ///< wall-clock (steady), for latency
  std::uint32_t orders_cancelled = 0;      ///< execution only
  timestamp_ns cancel_done_event_ns = 0;   ///< execution: broker event time of last cancel
  std::uint64_t orders_after_trigger = 0;  ///< execution: sends at or after the trigger (must be 0)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, halt_acknowledged& x) {
  return f(x.halt_id, x.from, x.ack_wall_ns, x.orders_cancelled, x.cancel_done_event_ns,
           x.orders_after_trigger);
}

/// Event: every order that was open when the halt reached execution is over at the broker
/// (cancelled, or filled before its cancel took effect), in broker event time.
struct cancels_settled {
  std::uint64_t halt_id = 0;
  timestamp_ns halt_event_ns = 0;     ///< event time when execution handled the halt
  timestamp_ns settled_event_ns = 0;  ///< event time when the last of those orders ended
  std::uint32_t orders = 0;           ///< orders that were open at the halt
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancels_settled& x) {
  return f(x.halt_id, x.halt_event_ns, x.settled_event_ns, x.orders);
}

/// Event (flatten-on-halt): the risk gate has stopped flattening the positions left at a
/// halt, because every position is flat or because it gave up, in broker event time.
struct flatten_done {
  std::uint64_t halt_id = 0;
  timestamp_ns halt_event_ns = 0;  ///< event time when the risk gate handled the halt
  timestamp_ns done_event_ns = 0;  ///< event time of the report that left every position flat
  std::uint32_t orders = 0;        ///< flatten orders approved for this halt
  bool flat = false;               ///< false: gave up (flatten orders kept failing)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, flatten_done& x) {
  return f(x.halt_id, x.halt_event_ns, x.done_event_ns, x.orders, x.flat);
}

/// Command: an operator re-arms a halted session (audited).
struct rearm_command {
  std::string operator_id;
  std::string note;
  std::int64_t wall_ns = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rearm_command& x) {
  return f(x.operator_id, x.note, x.wall_ns);
}

/// Event: the market-data stage reached the end of its input (or stopped on a halt). Flows
/// down the pipeline behind the last event so every stage drains before the run ends.
struct end_of_stream {
  std::uint64_t events = 0;  ///< events the market-data stage emitted
  bool halted = false;       ///< stopped because the session was halted
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, end_of_stream& x) {
  return f(x.events, x.halted);
}

}  // namespace peak
