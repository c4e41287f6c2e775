#include "engine/reference_loop.hpp"

#include "observability/metrics_recorder.hpp"
#include "observability/steady_clock.hpp"

namespace peak::engine {

reference_pipeline::reference_pipeline(const config::session_config& config, decision_sink* sink,
                                       risk::halt_gate* gate,
                                       observability::session_metrics* metrics)
    : gate_(gate),
      metrics_(metrics),
      market_data_(config, metrics),
      outlook_(config, metrics),
      advisory_(config, metrics),
      risk_(config, gate, metrics),
      execution_(config, gate, metrics),
      reconcile_(config, sink, metrics) {}

template <class Before>
void reference_pipeline::execution_turn(const pipeline_batch& in, Before&& before) {
  clear(a_);
  clear(feedback_);
  stage_output out{&a_, this, &feedback_};
  before(out);
  run_stage(execution_, in, out);
  execution_.seal_feedback(feedback_);
  risk_.on_feedback(feedback_);
  stage_output last{nullptr, this, nullptr};
  run_stage(reconcile_, a_, last);
}

void reference_pipeline::on_event(market_event event) {
  clear(a_);
  stage_output to_a{&a_, this, nullptr};
  stage_output to_b{&b_, this, nullptr};
  market_data_.handle(event, to_a);
  clear(b_);
  run_stage(outlook_, a_, to_b);
  clear(a_);
  run_stage(advisory_, b_, to_a);
  clear(b_);
  run_stage(risk_, a_, to_b);
  execution_turn(b_, [](stage_output&) {});
}

std::uint64_t reference_pipeline::kill(halt_reason reason, std::string detail) {
  const kill_command k = close_gate(*gate_, reason, std::move(detail), 0);
  if (k.halt_id == 0)
    return 0;
  halt_raised(k);
  clear(b_);
  stage_output to_b{&b_, this, nullptr};
  risk_.on_kill(k, to_b);  // flatten orders, if any, go to execution after the halt
  execution_turn(b_, [this, &k](stage_output& out) { execution_.on_kill(k, out); });
  return k.halt_id;
}

void reference_pipeline::rearm(std::string operator_id, std::string note) {
  if (!ledger_.rearm())
    return;
  gate_->rearm();
  if (metrics_ != nullptr)
    observability::record_rearm(*metrics_);
  rearm_command r;
  r.operator_id = std::move(operator_id);
  r.note = std::move(note);
  r.wall_ns = observability::steady_now_ns();
  risk_.on_rearm();
  execution_.on_rearm();
  reconcile_.on_rearm(r);
}

void reference_pipeline::halt_raised(const kill_command& k) {
  ledger_.begin(k, 1);  // one stage applies a halt here: execution, whose ack carries its facts
}

void reference_pipeline::halt_applied(const halt_acknowledged& ack) {
  if (ledger_.acknowledge(ack) && metrics_ != nullptr) {
    const halt_record& h = ledger_.completed().back();
    observability::record_halt(*metrics_, h.reason);
  }
}

session_result reference_pipeline::finish() {
  return reconcile_.finish();
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
