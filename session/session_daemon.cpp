#include "session/session_daemon.hpp"

#include <unistd.h>

#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "observability/metrics_exposer.hpp"
#include "observability/prometheus_exposition.hpp"
#include "session/control_endpoint.hpp"
#include "session/control_state.hpp"
#include "session/exit_codes.hpp"
#include "session/live_refusal.hpp"

namespace peak::session {
namespace {

/// What the session process sets up before it runs: its config and its metrics.
struct session_setup {
  run_request request;
  std::unique_ptr<observability::session_metrics> metrics;
  std::unique_ptr<observability::metrics_exposer> exposer;
};

/// session.log in the run directory (asynchronous spdlog, flushed from `info` up).
void open_session_log(control_state& st, const std::string& level) {
  observability::log_config lc;
  lc.name = "session";
  lc.level = level;
  lc.file = (st.run_dir / "session.log").string();
  lc.console = false;
  st.log = observability::setup_logging(lc);
  st.log->flush_on(spdlog::level::info);  // lines reach the file as they are written
}

/// Builds the request and the Prometheus metrics (pull over HTTP; port 0 picks a free one,
/// recorded in `entry`). Throws on any problem (refused live config included).
session_setup prepare(const serve_request& r, session_entry& entry) {
  std::ostringstream refusal;
  if (refuse_live_config(r.overrides.config_path, "peak session serve", refusal))
    throw std::runtime_error(refusal.str());
  session_setup s;
  s.request = build_run_request(r.overrides, r.command_line);
  const config::session_config& cfg = s.request.config;
  std::vector<std::string> symbols, strategies;
  for (const auto& ins : cfg.instruments)
    symbols.push_back(ins.symbol);
  for (std::size_t i = 0; i < cfg.strategies.size(); ++i)
    strategies.push_back(cfg.strategies[i].name + "#" + std::to_string(i));
  s.metrics = std::make_unique<observability::session_metrics>(symbols, strategies);
  if (cfg.metrics.enabled) {
    s.exposer = std::make_unique<observability::metrics_exposer>(
        cfg.metrics.bind, cfg.metrics.port, *s.metrics,
        observability::session_identity(r.id, config::to_string(cfg.session.mode)));
    entry.metrics_port = s.exposer->port();
  }
  s.metrics->up.set(1.0);
  s.request.graph.metrics = s.metrics.get();
  s.request.graph.end_on_halt = false;
  return s;
}

/// Logs the start, waits (bounded) until that line is on disk, then registers `running`: even
/// a session killed at once (kill -9) leaves its start line behind.
void announce_running(control_state& st, session_registry& reg, session_entry& entry,
                      const config::session_config& cfg) {
  st.logline(spdlog::level::info, "session_running",
             {{"id", entry.id},
              {"mode", config::to_string(cfg.session.mode)},
              {"pid", std::to_string(entry.pid)},
              {"control_port", std::to_string(entry.control_port)},
              {"metrics_port", std::to_string(entry.metrics_port)}});
  st.log->flush();
  const auto log_path = st.run_dir / "session.log";
  for (int i = 0; i < 200; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(log_path, ec) > 0 && !ec)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  entry.state = session_state::running;
  reg.update(entry);
}

/// Runs the session to its end and records that end in the registry and summary.txt.
void run_to_end(control_state& st, session_registry& reg, const std::string& id,
                run_request& req) {
  req.on_graph = [&st](actors::session_graph* g) {
    {
      std::lock_guard<std::mutex> lock(st.mutex);
      if (g == nullptr) {
        st.write_halts_locked();
        st.ended = true;
      }
      st.graph = g;
    }
    st.graph_changed.notify_all();
  };
  const run_outcome out = run_session(req);
  // A graceful stop or the end of the data is a proper end: `finished`, even after a halt
  // (re-armed or not). Only data that ends while trading is still halted ends `halted`.
  bool halted_at_end = false;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    halted_at_end = !st.stop_requested && out.halts.size() > st.rearmed_halts;
  }
  const session_state final_state = halted_at_end ? session_state::halted : session_state::finished;
  if (auto entry = reg.find(id)) {
    entry->evidence_path = out.dir.string();
    entry->ended_at = utc_now();
    entry->state = final_state;
    entry->detail =
        out.result.tripwire.empty() ? entry->detail : "tripwire: " + out.result.tripwire;
    reg.update(*entry);
  }
  std::ofstream(st.run_dir / "summary.txt")
      << engine::summary_text(out.result, req.config, out.timing) << "  evidence     "
      << out.dir.string() << "\n";
  st.logline(spdlog::level::info, "session_ended",
             {{"state", to_string(final_state)}, {"evidence", out.dir.string()}});
}

/// Runs the session beside its control and signal threads; returns the exit code.
int run_with_control(control_state& st, session_registry& reg, const serve_request& r,
                     int listen_fd, run_request& req) {
  std::atomic<bool> done{false};
  const std::filesystem::path registry_path(r.registry);
  std::thread control(control_loop, listen_fd, std::ref(st), registry_path, r.id, std::ref(done));
  std::thread signals(signal_loop, std::ref(st), registry_path, r.id, std::ref(done));
  int code = exit_ok;
  try {
    run_to_end(st, reg, r.id, req);
  } catch (const std::exception& e) {
    reg.set_state(r.id, session_state::failed, e.what());
    st.logline(spdlog::level::err, "session_failed", {{"error", e.what()}});
    code = exit_bad_input;
  }
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    st.ended = true;
  }
  st.graph_changed.notify_all();
  done.store(true);
  control.join();
  signals.join();
  return code;
}

}  // namespace

int serve_session(const serve_request& r, std::ostream& err) {
  block_control_signals();  // handled by one thread with sigtimedwait, before any starts
  session_registry reg(r.registry);
  auto entry = reg.find(r.id);
  if (!entry) {
    err << "peak session serve: no session " << r.id << " in " << r.registry << "\n";
    return exit_bad_input;
  }
  control_state st;
  st.run_dir = entry->run_dir;
  try {
    open_session_log(st, r.log_level);
  } catch (const std::exception& e) {
    reg.set_state(r.id, session_state::failed, std::string("logging: ") + e.what());
    err << "peak session serve: cannot log to " << (st.run_dir / "session.log").string() << ": "
        << e.what() << "\n";
    return exit_bad_input;
  }
  struct flush_logs_at_exit {
    ~flush_logs_at_exit() { observability::shutdown_logging(); }
  } flush_logs;
  std::uint16_t port = 0;
  const int listen_fd = listen_loopback(port);
  entry->pid = ::getpid();
  entry->control_port = port;
  session_setup setup;
  try {
    setup = prepare(r, *entry);
  } catch (const std::exception& e) {
    reg.set_state(r.id, session_state::failed, e.what());
    err << "peak session serve: " << e.what() << "\n";
    ::close(listen_fd);
    return exit_bad_input;
  }
  announce_running(st, reg, *entry, setup.request.config);
  const int code = run_with_control(st, reg, r, listen_fd, setup.request);
  ::close(listen_fd);
  setup.metrics->up.set(0.0);
  return code;
}

}  // namespace peak::session
