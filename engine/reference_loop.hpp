#pragma once
/// The single-threaded reference loop: the engine's stages driven by direct calls, one event
/// at a time through every stage, in one thread. It is the oracle for the actor graph (same
/// data + seed => identical outputs and halt records) and the lower bound for latency.

#include <cstdint>
#include <string>
#include <vector>

#include "config/session_config.hpp"
#include "engine/decision_sink.hpp"
#include "engine/halt_ledger.hpp"
#include "engine/session_result.hpp"
#include "engine/stages.hpp"
#include "marketdata/event_source.hpp"
#include "risk/halt_gate.hpp"

namespace peak::engine {

class reference_pipeline final : private control_sink {
public:
  reference_pipeline(const config::session_config& config, decision_sink* sink,
                     risk::halt_gate* gate, observability::session_metrics* metrics = nullptr);
  /// Runs one market event through every stage.
  void on_event(market_event event);
  /// Pulls the kill switch from outside, between events (an operator). Returns the halt id,
  /// or 0 when the session was already halted.
  std::uint64_t kill(halt_reason reason, std::string detail);
  /// Re-arms a halted session (audited).
  void rearm(std::string operator_id, std::string note);
  /// Orders handed to the broker so far (tick-to-order probe for benchmarks).
  [[nodiscard]] std::uint64_t orders_sent() const noexcept { return execution_.orders_sent(); }
  /// Halts completed so far (every stage has applied them).
  [[nodiscard]] const std::vector<halt_record>& halts() const noexcept {
    return ledger_.completed();
  }
  /// The execution stage (its paper broker takes faults in drills and tests).
  [[nodiscard]] execution_stage& execution() noexcept { return execution_; }
  /// Ends the run: final equity point and all outputs.
  [[nodiscard]] session_result finish();

private:
  void halt_raised(const kill_command& k) override;
  void halt_applied(const halt_acknowledged& ack) override;
  void settled(const cancels_settled& c) override { ledger_.settled(c); }
  void flattened(const flatten_done& f) override { ledger_.flattened(f); }
  /// Execution's turn over `in` (after `before`, e.g. applying a halt), then its feedback to
  /// the risk gate and its output to the reconciler.
  template <class Before>
  void execution_turn(const pipeline_batch& in, Before&& before);

  risk::halt_gate* gate_;
  observability::session_metrics* metrics_;
  market_data_stage market_data_;
  outlook_stage outlook_;
  advisory_stage advisory_;
  risk_stage risk_;
  execution_stage execution_;
  reconcile_stage reconcile_;
  halt_ledger ledger_;
  pipeline_batch a_, b_, feedback_;
};

/// Replays `source` to its end through a reference_pipeline.
[[nodiscard]] session_result run_reference(const config::session_config& config,
                                           marketdata::event_source& source, decision_sink* sink,
                                           risk::halt_gate* gate);

}  // namespace peak::engine
