#include <algorithm>
#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/stages.hpp"

namespace peak::actors {
namespace {

/// L5 risk gate: every intent gets exactly one decision, forwarded behind the intent.
struct risk_gate_state : stage_base {
  std::unique_ptr<engine::risk_stage> core;
  using stage_base::on;

  // Flatten-on-halt (kill_switch.flatten_on_halt, paper sessions).
  bool flatten_on_halt = false;
  std::uint64_t flatten_halt = 0;  ///< halt whose positions are being flattened; 0 = none
  timestamp_ns flatten_since = 0;  ///< event time when the halt reached the risk gate
  std::uint32_t flatten_orders = 0;
  std::uint32_t flatten_rounds = 0;  ///< rounds that approved at least one order
  bool flatten_skip = false;         ///< this halt is not flattened (reconciler tripwire)
  timestamp_ns last_ts = 0;
  /// Rounds after which flattening gives up (each ends only when its orders have all ended
  /// at the broker, so more than one means orders were rejected or expired).
  static constexpr std::uint32_t max_flatten_rounds = 5;

  /// One flatten round, once every order the gate approved (before or during the halt) has
  /// ended at the broker: then its committed book is the broker's position, and each
  /// instrument still holding one gets a single reducing order. Runs on every event while
  /// flattening, so a refusal (stale data, order rate) is retried on the next one.
  void try_flatten() {
    if (flatten_halt == 0)
      return;
    if (flatten_skip) {
      finish_flatten(false);
      return;
    }
    risk::risk_gate& gate = core->core();
    if (gate.tracked_orders() != 0)
      return;  // orders still open (the halt's cancels, or this round's flatten orders)
    const auto instruments = static_cast<instrument_id>(context->config->instruments.size());
    bool flat = true;
    for (instrument_id i = 0; i < instruments && flat; ++i)
      flat = gate.committed_position(i).raw == 0;
    if (flat || flatten_rounds >= max_flatten_rounds) {
      finish_flatten(flat);
      return;
    }
    bool issued = false;
    for (instrument_id i = 0; i < instruments; ++i) {
      if (gate.committed_position(i).raw == 0)
        continue;
      const risk::risk_decision d = gate.check_flatten(i, flatten_halt, last_ts);
      if (d.approved) {
        ++flatten_orders;
        issued = true;
        if (metrics != nullptr)
          observability::record_risk_approved(*metrics);
        forward(d.order);
      }
    }
    if (issued)
      ++flatten_rounds;
  }
  /// Tells the kill switch that flattening is over for this halt (flat, or given up).
  void finish_flatten(bool flat) {
    flatten_done done;
    done.halt_id = flatten_halt;
    done.halt_event_ns = flatten_since;
    done.done_event_ns = std::max(last_ts, flatten_since);
    done.orders = flatten_orders;
    done.flat = flat;
    self->send(kill_switch, done);
    flatten_halt = 0;
  }

  void on(const market_event& event) {
    last_ts = std::max(last_ts, event.ts_event);
    core->on_market(event);
    forward(event);
    try_flatten();
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
  void on(const execution_report& report) {
    last_ts = std::max(last_ts, report.ts_event);
    core->on_report(report);
    try_flatten();
  }
  void on(const kill_command& k) {
    core->core().set_trading_state(risk::trading_state::halted);
    acknowledge(k);
    if (flatten_on_halt && flatten_halt == 0) {
      flatten_halt = k.halt_id;
      flatten_since = last_ts;
      flatten_orders = 0;
      flatten_rounds = 0;
      // The books disagree with the broker: no position here can be trusted to flatten (a
      // "reducing" order could open one). Fail closed: leave them to the operator.
      flatten_skip = k.reason == halt_reason::reconciler_tripwire;
      try_flatten();  // nothing open: flatten at once (pending cancels: on their reports)
    }
  }
  void on(const rearm_command& /*r*/) {
    flatten_halt = 0;  // trading resumes: any flatten order still in flight is refused
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
        self->state.flatten_on_halt = context->config->kill_switch.flatten_on_halt &&
                                      context->config->session.mode == config::session_mode::paper;
        mark_ready(*context);
        return stage_behavior<risk_gate_state>(self);
      });
}

}  // namespace peak::actors
