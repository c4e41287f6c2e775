#include "session/drill_engine.hpp"

#include <signal.h>

#include <algorithm>
#include <map>
#include <ostream>

#include "evidence/evidence_pack.hpp"
#include "evidence/json.hpp"
#include "session/control_endpoint.hpp"
#include "session/exit_codes.hpp"

namespace peak::session {
namespace {

std::int64_t percentile(std::vector<std::int64_t> v, double p) {
  if (v.empty())
    return -1;
  std::sort(v.begin(), v.end());
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

latency_triple triple_of(const std::vector<std::int64_t>& v) {
  return {percentile(v, 0.5), percentile(v, 0.99),
          v.empty() ? std::int64_t{-1} : *std::max_element(v.begin(), v.end())};
}

/// Latencies of `list` (samples of -1 = unknown are left out).
trigger_summary summarise(const std::string& name, const std::vector<const trial_result*>& list) {
  trigger_summary s;
  s.name = name;
  s.trials = list.size();
  std::vector<std::int64_t> gate, all, rec, settled, flat;
  for (const auto* t : list) {
    auto add = [](std::vector<std::int64_t>& v, std::int64_t ns) {
      if (ns >= 0)
        v.push_back(ns);
    };
    add(flat, t->flat_event_ns);
    add(settled, t->cancels_settled_event_ns);
    add(gate, t->gate_ns);
    add(all, t->all_ns);
    add(rec, t->recovery_ns);
    s.flat_trials += t->flat_event_ns >= 0 ? 1 : 0;
    s.flatten_orders += t->flatten_orders;
  }
  s.gate_closed = triple_of(gate);
  s.all_halted = triple_of(all);
  s.recovery = triple_of(rec);
  s.cancels_settled = triple_of(settled);
  s.flat = triple_of(flat);
  return s;
}

/// Totals, pass/fail and the per-trigger summaries of the trials in `r`.
void aggregate(const drill_options& a, drill_report& r) {
  std::map<std::string, std::vector<const trial_result*>> by_kind;
  by_kind["all"];
  std::vector<std::int64_t> flat;
  for (const auto& t : r.trials) {
    by_kind[to_string(t.kind)].push_back(&t);
    by_kind["all"].push_back(&t);
    r.flat_trials += t.flat_event_ns >= 0 ? 1 : 0;
    r.flatten_orders += t.flatten_orders;
    r.orders_after_trigger += t.orders_after;
    r.not_halted += t.halted ? 0 : 1;
    r.wrong_reason += t.halted && !t.expected_reason ? 1 : 0;
    // --flatten: every halted trial must end flat, except a reconciler tripwire's (its books
    // disagree with the broker, so it is never flattened).
    r.not_flat += a.flatten && t.halted && t.kind != trigger_kind::reconciler_tripwire &&
                          t.flat_event_ns < 0
                      ? 1
                      : 0;
    if (t.flat_event_ns >= 0)
      flat.push_back(t.flat_event_ns);
  }
  r.flat = triple_of(flat);
  for (const auto& [name, list] : by_kind)
    r.by_trigger.push_back(summarise(name, list));
  r.passed = r.orders_after_trigger == 0 && r.not_halted == 0 && r.wrong_reason == 0 &&
             r.not_flat == 0;
}

void triple_json(evidence::json_writer& w, const char* label, const latency_triple& t) {
  w.key(label).begin_object();
  w.member("p50", t.p50);
  w.member("p99", t.p99);
  w.member("max", t.max);
  w.end_object();
}

std::string summary_json(const drill_options& a, const drill_report& r) {
  evidence::json_writer w(true);
  w.begin_object();
  w.member("trials", static_cast<std::uint64_t>(a.trials));
  w.member("orders_after_trigger", r.orders_after_trigger);
  w.member("trials_not_halted", static_cast<std::uint64_t>(r.not_halted));
  w.member("trials_halted_by_another_trigger", static_cast<std::uint64_t>(r.wrong_reason));
  if (a.flatten) {
    w.member("trials_flat_after_halt", static_cast<std::uint64_t>(r.flat_trials));
    w.member("trials_not_flat", static_cast<std::uint64_t>(r.not_flat));
    w.member("flatten_orders", r.flatten_orders);
  }
  w.key("by_trigger").begin_object();
  for (const trigger_summary& s : r.by_trigger) {
    w.key(s.name).begin_object();
    w.member("trials", static_cast<std::uint64_t>(s.trials));
    triple_json(w, "gate_closed_ns", s.gate_closed);
    triple_json(w, "all_halted_ns", s.all_halted);
    triple_json(w, "recovery_ns", s.recovery);
    triple_json(w, "halt_to_cancels_settled_event_ns", s.cancels_settled);
    triple_json(w, "halt_to_flat_event_ns", s.flat);
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return w.str();
}

/// Per-trial latencies (wall clock: not compared) for drill_wall_clock.csv.
std::string trials_csv(const std::vector<trial_result>& trials) {
  std::string csv =
      "trial,trigger,halted,trigger_to_gate_closed_ns,trigger_to_all_halted_ns,recovery_ns,"
      "orders_after_trigger,orders_cancelled,orders_sent,halted_by_its_trigger,"
      "halt_to_cancels_settled_event_ns,flatten_orders,halt_to_flat_event_ns,detail\n";
  for (const auto& t : trials) {
    std::string detail = t.detail;
    std::replace(detail.begin(), detail.end(), ',', ';');
    csv += std::to_string(t.trial) + ',' + to_string(t.kind) + ',' +
           (t.halted ? "true" : "false") + ',' + std::to_string(t.gate_ns) + ',' +
           std::to_string(t.all_ns) + ',' + std::to_string(t.recovery_ns) + ',' +
           std::to_string(t.orders_after) + ',' + std::to_string(t.orders_cancelled) + ',' +
           std::to_string(t.orders_before) + ',' + (t.expected_reason ? "true" : "false") + ',' +
           std::to_string(t.cancels_settled_event_ns) + ',' + std::to_string(t.flatten_orders) +
           ',' + std::to_string(t.flat_event_ns) + ',' + detail + '\n';
  }
  return csv;
}

/// The drill evidence pack: the summary and per-trial latencies.
void write_pack(const drill_options& a, drill_report& r) {
  try {
    evidence::pack_request req;
    req.runs_root = a.out;
    req.mode = "paper";
    req.seed = a.seed;
    req.config_text = config::to_toml(drill_config(a, a.seed, trigger_kind::operator_in_process));
    req.config_path = "(drill)";
    req.run_reason = "kill-switch drill, " + std::to_string(a.trials) + " trials";
    req.operator_id = a.operator_id;
    req.session_json = "\"drill\":\"kill-switch\",\"trials\":" + std::to_string(a.trials);
    evidence::evidence_pack_writer pack(std::move(req));
    pack.add_file("drill_wall_clock.csv", trials_csv(r.trials));
    evidence::pack_outputs outputs;
    outputs.metrics_json = "{\"wall_clock\":" + r.summary_json + "}";
    outputs.equity_csv = "ts_event_ns,time_utc,cash,equity,realised_pnl,exposure\n";
    outputs.trades_csv = "seq\n";
    outputs.orders_csv = "client_order_id\n";
    outputs.status = r.passed ? "completed" : "failed";
    r.pack_dir = pack.finalize(outputs).directory.string();
  } catch (const std::exception& e) {
    r.pack_error = e.what();
  }
}

}  // namespace

const char* to_string(trigger_kind k) noexcept {
  switch (k) {
    case trigger_kind::operator_in_process:
      return "operator_in_process";
    case trigger_kind::operator_control:
      return "operator_control_process";
    case trigger_kind::operator_signal:
      return "operator_signal_process";
    case trigger_kind::reconciler_tripwire:
      return "reconciler_tripwire";
    case trigger_kind::broker_errors:
      return "broker_errors";
    case trigger_kind::daily_loss:
      return "daily_loss";
    case trigger_kind::stale_data:
      return "stale_data";
  }
  return "unknown";
}

drill_report run_drill(const drill_options& a,
                       const std::function<void(std::size_t, std::size_t)>& progress) {
  // SIGUSR1 is handled by the trial's signal thread: block it in every thread first.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  drill_report r;
  std::uint64_t rng = a.seed * 0x2545F4914F6CDD1Dull + 1;
  for (std::size_t i = 0; i < a.trials; ++i) {
    const auto kind = static_cast<trigger_kind>(i % trigger_kind_count);
    r.trials.push_back(run_trial(a, i, kind, rng));
    if (progress)
      progress(i + 1, a.trials);
  }
  aggregate(a, r);
  r.summary_json = summary_json(a, r);
  write_pack(a, r);
  return r;
}

int fire_trigger(std::int64_t port, std::int64_t signal_pid, std::ostream& out,
                 std::ostream& err) {
  const std::int64_t t0 = monotonic_ns();
  if (signal_pid > 0) {
    if (::kill(static_cast<pid_t>(signal_pid), SIGUSR1) != 0)
      return exit_problem;
  } else {
    std::string reply, error;
    if (!control_request(port, "kill " + std::to_string(t0), reply, error)) {
      err << error << "\n";
      return exit_problem;
    }
  }
  out << t0 << std::flush;
  return exit_ok;
}

}  // namespace peak::session
