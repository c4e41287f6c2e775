#pragma once
/// The single-threaded reference loop: the same stage objects as the actor graph, called in
/// the same order, in one thread, with no messaging. It is the oracle for the graph (same
/// data + seed => identical trades) and the lower bound for latency.

#include <memory>

#include "config/session_config.hpp"
#include "engine/decision_sink.hpp"
#include "engine/session_result.hpp"
#include "engine/stages.hpp"
#include "marketdata/event_source.hpp"
#include "risk/halt_gate.hpp"

namespace peak::engine {

class reference_pipeline {
public:
  reference_pipeline(const config::session_config& config, decision_sink* sink,
                     risk::halt_gate* gate);
  /// Runs one market event through every stage.
  void on_event(market_event event);
  /// Orders handed to the broker so far (tick-to-order probe for benchmarks).
  [[nodiscard]] std::uint64_t orders_sent() const noexcept { return orders_sent_; }
  /// Ends the run: final equity point and all outputs.
  [[nodiscard]] session_result finish();

private:
  market_data_stage market_data_;
  outlook_stage outlook_;
  advisory_stage advisory_;
  risk_stage risk_;
  execution_stage execution_;
  std::unique_ptr<reconcile_stage> reconcile_;
  std::uint64_t orders_sent_ = 0;
};

/// Replays `source` to its end through a reference_pipeline.
[[nodiscard]] session_result run_reference(const config::session_config& config,
                                           marketdata::event_source& source, decision_sink* sink,
                                           risk::halt_gate* gate);

}  // namespace peak::engine
