#include "engine/reference_loop.hpp"

namespace peak::engine {

reference_pipeline::reference_pipeline(const config::session_config& config, decision_sink* sink,
                                       risk::halt_gate* gate)
    : market_data_(config),
      outlook_(config),
      advisory_(config),
      risk_(config, gate),
      execution_(config, gate),
      reconcile_(make_reconcile_stage(config, sink)) {}

void reference_pipeline::on_event(market_event event) {
  // market-data
  market_data_.on_event(event);
  // L2 outlook -> L3 (outlook first, then the event)
  outlook view;
  const bool emitted = outlook_.on_event(event, view);
  if (emitted)
    advisory_.on_outlook(view);
  // L3 advisory
  const std::vector<trade_intent>& intents = advisory_.on_event(event);
  // L5 risk gate sees the event before the intents it caused
  risk_.on_market(event);
  // execution sees the event (fills of earlier orders) before the new decisions
  const std::vector<execution_report>& reports = execution_.on_market(event);
  // reconciler: outlook, event, reports, snapshot, then intents and decisions
  if (emitted)
    reconcile_->on_outlook(view);
  reconcile_->on_market(event);
  for (const execution_report& r : reports) {
    reconcile_->on_report(r);
    risk_.on_report(r);
  }
  if (execution_.snapshot_due())
    (void)reconcile_->on_broker_snapshot(execution_.snapshot());
  for (const trade_intent& intent : intents) {
    const risk::risk_decision decision = risk_.decide(intent);
    reconcile_->on_intent(intent);
    if (decision.approved) {
      const approval_outcome outcome = execution_.on_approved(decision.order);
      reconcile_->on_approved(decision.order);
      if (outcome.local_reject) {
        reconcile_->on_report(outcome.report);
        risk_.on_report(outcome.report);
      } else if (outcome.gate_release) {
        risk_.on_report(outcome.report);
      } else if (outcome.sent) {
        ++orders_sent_;
      }
    } else {
      reconcile_->on_denied(decision.denied);
    }
  }
}

session_result reference_pipeline::finish() {
  return reconcile_->finish();
}

session_result run_reference(const config::session_config& config, marketdata::event_source& source,
                             decision_sink* sink, risk::halt_gate* gate) {
  reference_pipeline pipeline(config, sink, gate);
  market_event event;
  while (source.next(event))
    pipeline.on_event(event);
  return pipeline.finish();
}

}  // namespace peak::engine
