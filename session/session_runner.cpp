#include "session/session_runner.hpp"

#include <chrono>
#include <cstdio>
#include <system_error>

#include "session/library_versions.hpp"
#include "engine/audit_sink.hpp"
#include "engine/reference_loop.hpp"
#include "engine/session_source.hpp"
#include "evidence/evidence_pack.hpp"
#include "evidence/json.hpp"
#include "messages/names.hpp"

namespace peak::session {
namespace {

/// Wall-clock time for the manifest's "wall_clock" members only (never for decisions).
timestamp_ns wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The run's decision sink: decisions to the pack's audit log, and the equity curve straight
/// into the pack's equity.csv as it is sampled (memory stays flat however long the run).
class pack_sink final : public engine::decision_sink {
public:
  pack_sink(engine::audit_sink& audit, engine::equity_csv_stream& equity)
      : audit_(audit), equity_(equity) {}
  void record(std::string_view type, timestamp_ns ts_event, std::string_view fields_json) override {
    audit_.record(type, ts_event, fields_json);
  }
  void flush() override { audit_.flush(); }
  bool stream_equity(const engine::equity_row& row) override {
    equity_.append(row);
    return true;
  }

private:
  engine::audit_sink& audit_;
  engine::equity_csv_stream& equity_;
};

/// The evidence directory: created if needed; one that cannot be is bad input.
void ensure_out_root(const std::filesystem::path& root) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec || !std::filesystem::is_directory(root))
    throw start_error("cannot create the evidence directory " + root.string() + ": " +
                      (ec ? ec.message() : "not a directory"));
}

/// What the pack's manifest records about the run's inputs.
evidence::pack_request make_pack_request(const run_request& request) {
  const config::session_config& cfg = request.config;
  evidence::pack_request pack;
  pack.runs_root = request.out_root;
  pack.mode = config::to_string(cfg.session.mode);
  pack.seed = cfg.session.seed;
  pack.config_text = config::to_toml(cfg);
  pack.config_path = request.config_path.empty() ? "(built-in defaults)" : request.config_path;
  pack.operator_id = cfg.session.operator_id;
  pack.run_reason = cfg.session.run_reason;
  pack.libraries = library_versions();
  pack.wall_clock_start_ns = wall_now_ns();
  // The engine (graph or reference) is not part of the deterministic content: both must
  // produce the same pack. It is recorded under wall_clock.
  std::string session = "\"name\":" + evidence::json_quote(cfg.session.name) +
                        ",\"market_data\":" + evidence::json_quote(cfg.market_data.source);
  if (cfg.market_data.source == "synthetic")
    session += ",\"synthetic_events\":" + std::to_string(cfg.market_data.synthetic.events);
  session += ",\"instruments\":[";
  for (std::size_t i = 0; i < cfg.instruments.size(); ++i)
    session += (i ? "," : "") + evidence::json_quote(cfg.instruments[i].symbol);
  session += "]";
  pack.session_json = session;
  for (const std::string& f : cfg.market_data.files) {
    const std::filesystem::path p(f);
    pack.inputs.push_back(evidence::pack_input{
        "market_data", p.is_absolute() ? p : std::filesystem::path(request.base_dir) / p});
  }
  return pack;
}

/// Runs the chosen engine to the end of the data; fills result, halts and timing.
void run_engine(const run_request& request, marketdata::event_source& source,
                engine::decision_sink& sink, run_outcome& out) {
  risk::halt_gate gate;
  const auto start = std::chrono::steady_clock::now();
  if (request.engine == engine_kind::reference) {
    engine::reference_pipeline pipeline(request.config, &sink, &gate);
    market_event event;
    while (source.next(event))
      pipeline.on_event(event);
    out.result = pipeline.finish();
    out.halts = pipeline.halts();  // tripwires halt the reference loop too
  } else {
    actors::session_graph graph(request.config, source, &sink, &gate, request.graph);
    graph.start();
    if (request.on_graph)
      request.on_graph(&graph);
    out.result = graph.wait();
    if (request.on_graph)
      request.on_graph(nullptr);
    out.halts = graph.halts();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.timing.engine = to_string(request.engine);
  out.timing.wall_seconds = seconds;
  out.timing.events_per_second =
      seconds > 0 ? static_cast<double>(out.result.counters.events) / seconds : 0.0;
}

/// Every halt of the run with its latencies (steady clock: wall-clock values, so they live
/// under wall_clock, outside the determinism comparison).
std::string halts_json(const std::vector<actors::halt_record>& records) {
  evidence::json_writer halts;
  halts.begin_array();
  for (const actors::halt_record& h : records) {
    halts.begin_object();
    halts.member("halt_id", h.halt_id);
    halts.member("reason", name_of(h.reason));
    halts.member("detail", h.detail);
    halts.member("trigger_to_gate_closed_ns", h.trigger_to_gate_closed_ns);
    halts.member("trigger_to_all_acknowledged_ns", h.trigger_to_all_acknowledged_ns);
    halts.member("orders_cancelled", static_cast<std::uint64_t>(h.orders_cancelled));
    halts.member("orders_after_trigger", h.orders_after_trigger);
    halts.member("halt_to_cancels_settled_event_ns", h.halt_to_cancels_settled_event_ns);
    halts.member("flatten_orders", static_cast<std::uint64_t>(h.flatten_orders));
    halts.member("halt_to_flat_event_ns", h.halt_to_flat_event_ns);
    halts.member("flatten_gave_up", h.flatten_gave_up);
    halts.end_object();
  }
  halts.end_array();
  return halts.str();
}

/// The pack's outputs once the run ended (equity.csv was streamed during the run).
evidence::pack_outputs make_outputs(const run_request& request, const run_outcome& out,
                                    engine::equity_csv_stream& equity) {
  evidence::pack_outputs outputs;
  outputs.metrics_json = engine::metrics_json(out.result, request.config, out.timing);
  if (const std::error_code ec = equity.close())
    throw std::runtime_error("writing " +
                             (out.dir / std::string(evidence::pack_file::equity)).string() +
                             " failed: " + ec.message());
  outputs.trades_csv = engine::trades_csv(out.result, request.config);
  outputs.orders_csv = engine::orders_csv(out.result, request.config);
  outputs.status = out.halts.empty() ? "completed" : "halted";
  outputs.wall_clock_end_ns = wall_now_ns();
  char buf[96];
  std::snprintf(buf, sizeof(buf), "\"wall_seconds\":%.6f,\"events_per_second\":%.0f",
                out.timing.wall_seconds, out.timing.events_per_second);
  outputs.wall_clock_json = std::string(buf) +
                            ",\"engine\":" + evidence::json_quote(to_string(request.engine)) +
                            ",\"halts\":" + halts_json(out.halts);
  return outputs;
}

}  // namespace

run_outcome run_session(const run_request& request) {
  // Inputs are opened before anything is written, so bad input leaves no half pack behind.
  std::unique_ptr<marketdata::event_source> source =
      engine::open_source(request.config, request.base_dir);
  ensure_out_root(request.out_root);
  evidence::evidence_pack_writer writer(make_pack_request(request));  // creates runs/<run_id>/
  engine::audit_sink audit(writer.audit());
  engine::equity_csv_stream equity(writer.directory() / std::string(evidence::pack_file::equity));
  pack_sink sink(audit, equity);
  run_outcome out;
  out.dir = writer.directory();
  run_engine(request, *source, sink, out);
  out.audit_error = audit.error();
  out.result.input = engine::input_counters_of(*source);  // lines read, skipped, malformed
  const evidence::pack_summary summary = writer.finalize(make_outputs(request, out, equity));
  out.run_id = summary.run_id;
  out.index_error = summary.index_error;
  return out;
}

}  // namespace peak::session
