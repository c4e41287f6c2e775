/// `peak session start|list|status|tail|stop|kill|rearm` and the hidden `peak session serve`
/// that runs inside the detached session process.
///
/// Control from another process: a line protocol on a loopback TCP port (recorded in the
/// registry) — `kill <requested_steady_ns> <detail>`, `stop`, `rearm <operator> <note>`,
/// `ping` — and signals: SIGUSR1 pulls the kill switch, SIGTERM/SIGINT stop gracefully.
/// Halt latencies are appended to <run_dir>/halts.jsonl with absolute CLOCK_MONOTONIC
/// instants, so a caller in another process can measure from its own trigger instant.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "apps/commands.hpp"
#include "apps/control_endpoint.hpp"
#include "apps/live_refusal.hpp"
#include "apps/session_registry.hpp"
#include "apps/session_runner.hpp"
#include "config/session_config.hpp"
#include "engine/session_source.hpp"
#include "evidence/json.hpp"
#include "evidence/redaction.hpp"
#include "evidence/sha256.hpp"
#include "messages/names.hpp"
#include "observability/logging.hpp"
#include "observability/metrics_exposer.hpp"
#include "observability/prometheus_exposition.hpp"

namespace peak::apps {
namespace {

std::int64_t steady_ns() {
  return monotonic_ns();
}

struct common_args {
  std::string registry = "runs/registry.sqlite";
  bool json = false;
};

struct start_args {
  std::string mode = "paper";
  std::string log_level = "info";  ///< session.log level (trace ... critical, off)
  std::string config_path;
  std::vector<std::string> data;
  std::string speed;
  bool spin = false;  ///< graph_options::idle = spin
  std::string out = "runs";
  std::string id;  ///< serve only
  std::int64_t metrics_port = -1;
};

// ---------------------------------------------------------------------------------------
// The session process

/// Shared between the runner (main thread), the control thread and the signal thread.
struct server_state {
  std::mutex mutex;
  std::condition_variable graph_changed;
  actors::session_graph* graph = nullptr;
  bool ended = false;
  std::filesystem::path run_dir;
  std::size_t halts_written = 0;
  bool stop_requested = false;    ///< graceful stop asked (control `stop`, SIGTERM, SIGINT)
  std::size_t rearmed_halts = 0;  ///< halts so far that an operator re-armed
  /// session.log: asynchronous spdlog, one structured line per significant event, every
  /// line redacted before it is written (observability/logging.hpp). Null until set up.
  std::shared_ptr<spdlog::logger> log;

  void logline(spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<observability::log_field> fields) noexcept {
    if (log)
      observability::log_event(*log, level, event, fields);
  }

  /// True once the graph runs. A command that arrives while the session is still building
  /// its graph waits for it (bounded) instead of failing. Caller holds `lock` on `mutex`.
  bool wait_for_graph(std::unique_lock<std::mutex>& lock) {
    graph_changed.wait_for(lock, std::chrono::seconds(10),
                           [this] { return graph != nullptr || ended; });
    return graph != nullptr;
  }

  /// Appends halts not yet written to halts.jsonl. Caller holds the mutex.
  void write_halts_locked() {
    if (graph == nullptr)
      return;
    const auto halts = graph->halts();
    std::ofstream out(run_dir / "halts.jsonl", std::ios::app);
    for (; halts_written < halts.size(); ++halts_written) {
      const auto& h = halts[halts_written];
      out << "{\"halt_id\":" << h.halt_id << ",\"reason\":\"" << name_of(h.reason)
          << "\",\"trigger_ns\":" << h.trigger_wall_ns
          << ",\"gate_closed_ns\":" << h.gate_closed_wall_ns
          << ",\"all_acknowledged_ns\":" << h.all_acknowledged_wall_ns
          << ",\"orders_cancelled\":" << h.orders_cancelled
          << ",\"orders_after_trigger\":" << h.orders_after_trigger << "}\n";
    }
  }
};

/// Pulls the kill switch and waits (bounded) for every stage's acknowledgement.
std::string do_kill(server_state& st, std::int64_t requested_ns, const std::string& detail) {
  std::unique_lock<std::mutex> lock(st.mutex);
  if (!st.wait_for_graph(lock))
    return "error session is not running";
  const std::uint64_t id = st.graph->kill(halt_reason::operator_command, detail, requested_ns);
  if (id == 0)
    return "ok already_halted";
  const std::size_t want = st.graph->halts().size() + 1;
  const bool acked = st.graph->wait_halts(want, 2'000'000'000);
  st.write_halts_locked();
  const auto halts = st.graph->halts();
  std::ostringstream o;
  o << "ok halt_id=" << id;
  if (acked && !halts.empty()) {
    const auto& h = halts.back();
    o << " trigger_ns=" << h.trigger_wall_ns << " gate_closed_ns=" << h.gate_closed_wall_ns
      << " all_acknowledged_ns=" << h.all_acknowledged_wall_ns
      << " orders_after_trigger=" << h.orders_after_trigger;
  }
  return o.str();
}

std::string handle_command(server_state& st, const std::string& line, session_registry& reg,
                           const std::string& id) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  if (verb == "ping")
    return "ok pong";
  if (verb == "kill") {
    std::int64_t requested = 0;
    in >> requested;
    std::string detail;
    std::getline(in, detail);
    if (!detail.empty() && detail.front() == ' ')
      detail.erase(0, 1);
    const std::string reply = do_kill(st, requested, detail.empty() ? "operator" : detail);
    if (reply.rfind("ok halt_id", 0) == 0) {
      reg.set_state(id, "halted", "operator kill: " + detail);
      st.logline(spdlog::level::warn, "kill_switch_pulled", {{"via", "control"}, {"reply", reply}});
    }
    return reply;
  }
  if (verb == "stop") {
    std::unique_lock<std::mutex> lock(st.mutex);
    if (!st.wait_for_graph(lock))
      return "error session is not running";
    st.stop_requested = true;
    reg.set_state(id, "stopping");  // before stop(): the end may follow at once
    st.graph->stop();
    st.logline(spdlog::level::info, "session_stopping", {{"via", "control"}});
    return "ok stopping";
  }
  if (verb == "rearm") {
    std::string op, note;
    in >> op;
    std::getline(in, note);
    std::unique_lock<std::mutex> lock(st.mutex);
    if (!st.wait_for_graph(lock))
      return "error session is not running";
    if (op.empty())
      return "error rearm needs an operator id";
    st.graph->rearm(op, note);
    st.logline(spdlog::level::warn, "kill_switch_rearmed", {{"operator", op}, {"note", note}});
    st.rearmed_halts = st.graph->halts().size();
    reg.set_state(id, "running", "re-armed by " + op);
    return "ok rearmed";
  }
  return "error unknown command '" + verb + "' (known: ping, kill, stop, rearm)";
}

void control_loop(int listen_fd, server_state& st, const std::filesystem::path& registry_path,
                  std::string id, std::atomic<bool>& done) {
  session_registry reg(registry_path);
  while (!done.load()) {
    std::string line;
    const int fd = accept_command(listen_fd, 200, line);
    if (fd >= 0)
      send_reply(fd, handle_command(st, line, reg, id));
  }
}

void signal_loop(server_state& st, const std::filesystem::path& registry_path, std::string id,
                 std::atomic<bool>& done) {
  session_registry reg(registry_path);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  while (!done.load()) {
    timespec timeout{0, 200'000'000};
    const int sig = ::sigtimedwait(&set, nullptr, &timeout);
    if (sig == SIGUSR1) {
      const std::string reply = do_kill(st, 0, "operator signal SIGUSR1");
      if (reply.rfind("ok halt_id", 0) == 0)
        reg.set_state(id, "halted", "operator kill: SIGUSR1");
      st.logline(spdlog::level::warn, "kill_switch_pulled", {{"via", "signal"}, {"reply", reply}});
    } else if (sig == SIGTERM || sig == SIGINT) {
      std::lock_guard<std::mutex> lock(st.mutex);
      if (st.graph != nullptr) {
        st.stop_requested = true;
        reg.set_state(id, "stopping");
        st.graph->stop();
      }
    }
  }
}

config::session_config load_for_session(const start_args& a) {
  config::session_config cfg =
      a.config_path.empty() ? config::default_config() : config::load_config(a.config_path);
  cfg.session.mode =
      a.mode == "shadow" ? config::session_mode::shadow : config::session_mode::paper;
  if (!a.data.empty()) {
    cfg.market_data.source = "replay";
    cfg.market_data.files = a.data;
  }
  if (!a.speed.empty())
    cfg.market_data.speed = a.speed;
  return cfg;
}

double parse_speed(const std::string& text) {
  if (text.empty() || text == "max")
    return 0.0;
  return std::atof(text.substr(0, text.size() - 1).c_str());
}

int serve(const start_args& a, const common_args& c) {
  // Signals are handled by one thread with sigtimedwait: block them before any thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  session_registry reg(c.registry);
  auto entry = reg.find(a.id);
  if (!entry) {
    std::cerr << "peak session serve: no session " << a.id << " in " << c.registry << "\n";
    return exit_bad_input;
  }
  server_state st;
  st.run_dir = entry->run_dir;
  try {
    observability::log_config lc;
    lc.name = "session";
    lc.level = a.log_level;
    lc.file = (st.run_dir / "session.log").string();
    lc.console = false;
    st.log = observability::setup_logging(lc);
    st.log->flush_on(spdlog::level::info);  // lines reach the file as they are written
  } catch (const std::exception& e) {
    reg.set_state(a.id, "failed", std::string("logging: ") + e.what());
    std::cerr << "peak session serve: cannot log to " << (st.run_dir / "session.log").string()
              << ": " << e.what() << "\n";
    return exit_bad_input;
  }
  struct flush_logs_at_exit {
    ~flush_logs_at_exit() { observability::shutdown_logging(); }
  } flush_logs;
  std::uint16_t port = 0;
  const int listen_fd = listen_loopback(port);
  entry->pid = ::getpid();
  entry->control_port = port;
  // Prometheus metrics over HTTP (pull); port 0 picks a free one, recorded in the registry.
  config::session_config cfg;
  std::unique_ptr<observability::session_metrics> metrics;
  std::unique_ptr<observability::metrics_exposer> exposer;
  try {
    if (refuse_live_config(a.config_path, "peak session serve", std::cerr))
      throw std::runtime_error("live mode refused");
    cfg = load_for_session(a);
    std::vector<std::string> symbols, strategies;
    for (const auto& ins : cfg.instruments)
      symbols.push_back(ins.symbol);
    for (std::size_t i = 0; i < cfg.strategies.size(); ++i)
      strategies.push_back(cfg.strategies[i].name + "#" + std::to_string(i));
    metrics = std::make_unique<observability::session_metrics>(symbols, strategies);
    if (cfg.metrics.enabled) {
      exposer = std::make_unique<observability::metrics_exposer>(
          cfg.metrics.bind, cfg.metrics.port, *metrics,
          observability::session_identity(a.id, config::to_string(cfg.session.mode)));
      entry->metrics_port = exposer->port();
    }
    metrics->up.set(1.0);
  } catch (const std::exception& e) {
    reg.set_state(a.id, "failed", e.what());
    std::cerr << "peak session serve: " << e.what() << "\n";
    ::close(listen_fd);
    return exit_bad_input;
  }
  st.logline(spdlog::level::info, "session_running",
             {{"id", a.id},
              {"mode", config::to_string(cfg.session.mode)},
              {"pid", std::to_string(entry->pid)},
              {"control_port", std::to_string(port)},
              {"metrics_port", std::to_string(entry->metrics_port)}});
  // The log is asynchronous: the start line is on disk before the session is announced, so
  // even a session killed at once (kill -9) leaves it behind (bounded wait).
  st.log->flush();
  const auto log_path = st.run_dir / "session.log";
  for (int i = 0; i < 200; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(log_path, ec) > 0 && !ec)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  entry->state = "running";
  reg.update(*entry);

  std::atomic<bool> done{false};
  std::thread control(control_loop, listen_fd, std::ref(st), std::filesystem::path(c.registry),
                      a.id, std::ref(done));
  std::thread signals(signal_loop, std::ref(st), std::filesystem::path(c.registry), a.id,
                      std::ref(done));
  int code = exit_ok;
  std::string final_state = "finished";
  try {
    run_request req;
    req.config = cfg;
    req.graph.metrics = metrics.get();
    req.config_path = a.config_path;
    req.base_dir = ".";
    req.out_root = a.out;
    req.command_line = command_line();
    req.graph.speed = parse_speed(req.config.market_data.speed);
    req.graph.idle = a.spin ? actors::worker_idle::spin : actors::worker_idle::sleep;
    req.graph.end_on_halt = false;
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
    final_state = halted_at_end ? "halted" : "finished";
    entry = reg.find(a.id);
    if (entry) {
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
               {{"state", final_state}, {"evidence", out.dir.string()}});
  } catch (const std::exception& e) {
    reg.set_state(a.id, "failed", e.what());
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
  ::close(listen_fd);
  metrics->up.set(0.0);
  return code;
}

std::string make_session_id(const std::string& mode) {
  const std::string now = utc_now();  // 2026-11-23T21:02:19.123456789Z
  std::string compact;
  for (char ch : now.substr(0, 19))
    if (ch != '-' && ch != ':')
      compact += ch;
  return mode + "-" + compact + "-" + std::to_string(::getpid());
}

int start(const start_args& a, const common_args& c) {
  // NO-LIVE: a live config is refused as `peak run` refuses it, never run as paper.
  if (refuse_live_config(a.config_path, "peak session start", std::cerr))
    return exit_bad_input;
  config::session_config cfg;
  try {
    cfg = load_for_session(a);
    (void)engine::open_source(cfg, ".");  // missing data fails here, before detaching
  } catch (const config::config_error& e) {
    for (const auto& p : e.problems())
      std::cerr << p << "\n";
    std::cerr << "peak session start: config refused\n";
    return exit_bad_input;
  } catch (const engine::source_error& e) {
    std::cerr << "peak session start: " << e.what() << "\n";
    return exit_bad_input;
  }
  session_registry reg(c.registry);
  session_entry e;
  e.id = make_session_id(a.mode);
  e.mode = a.mode;
  e.config_path = a.config_path.empty() ? "(built-in defaults)" : a.config_path;
  // The same hash as the evidence pack's manifest: SHA-256 of the redacted config snapshot.
  e.config_hash = evidence::sha256::hash_hex(evidence::redact_secrets(config::to_toml(cfg)).text);
  e.state = "starting";
  e.started_at = utc_now();
  e.run_dir = (std::filesystem::path(a.out) / "sessions" / e.id).string();
  std::filesystem::create_directories(e.run_dir);
  reg.insert(e);

  std::vector<std::string> args = {"peak", "session", "serve", "--id",       e.id,      "--mode",
                                   a.mode, "--out",   a.out,   "--registry", c.registry};
  if (!a.config_path.empty()) {
    args.push_back("--config");
    args.push_back(a.config_path);
  }
  for (const auto& d : a.data) {
    args.push_back("--data");
    args.push_back(d);
  }
  if (!a.speed.empty()) {
    args.push_back("--speed");
    args.push_back(a.speed);
  }
  if (a.spin)
    args.push_back("--spin");
  args.push_back("--log-level");
  args.push_back(a.log_level);
  const std::string exe = self_executable();
  const pid_t child = ::fork();
  if (child < 0) {
    reg.set_state(e.id, "failed", std::string("fork: ") + std::strerror(errno));
    std::cerr << "peak session start: cannot fork: " << std::strerror(errno) << "\n";
    return exit_internal;
  }
  if (child == 0) {
    // Detach: new session, stdio to the session's output file, then exec ourselves.
    ::setsid();
    if (::fork() != 0)
      ::_exit(0);  // the grandchild is re-parented to init: nothing to reap for the caller
    const std::string out_file = e.run_dir + "/stdout.log";
    FILE* f = std::freopen(out_file.c_str(), "a", stdout);
    FILE* g = std::freopen(out_file.c_str(), "a", stderr);
    (void)f;
    (void)g;
    std::vector<char*> argv;
    for (auto& s : args)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  // Wait (bounded) for the session process to register as running.
  std::optional<session_entry> now;
  for (int i = 0; i < 100; ++i) {
    now = reg.find(e.id);
    if (now && now->state != "starting")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!now || now->state == "starting" || now->state == "failed") {
    std::cerr << "peak session start: session " << e.id << " did not start"
              << (now && !now->detail.empty() ? ": " + now->detail : "") << " (see " << e.run_dir
              << "/stdout.log)\n";
    return exit_internal;
  }
  if (c.json)
    std::cout << "{\"id\":" << evidence::json_quote(e.id) << ",\"pid\":" << now->pid
              << ",\"control_port\":" << now->control_port
              << ",\"run_dir\":" << evidence::json_quote(e.run_dir) << "}\n";
  else
    std::cout << e.id << "\n";
  return exit_ok;
}

void print_entry_json(std::ostream& o, const session_entry& e) {
  using evidence::json_quote;
  o << "{\"id\":" << json_quote(e.id) << ",\"pid\":" << e.pid << ",\"mode\":" << json_quote(e.mode)
    << ",\"state\":" << json_quote(effective_state(e))
    << ",\"registered_state\":" << json_quote(e.state)
    << ",\"config\":" << json_quote(e.config_path)
    << ",\"config_hash\":" << json_quote(e.config_hash)
    << ",\"started_at\":" << json_quote(e.started_at) << ",\"ended_at\":" << json_quote(e.ended_at)
    << ",\"metrics_port\":" << e.metrics_port << ",\"control_port\":" << e.control_port
    << ",\"evidence\":" << json_quote(e.evidence_path) << ",\"run_dir\":" << json_quote(e.run_dir)
    << ",\"detail\":" << json_quote(e.detail) << "}";
}

session_entry require_session(session_registry& reg, const std::string& id) {
  auto e = reg.find(id);
  if (!e) {
    std::cerr << "peak session: no session '" << id << "' (see `peak session list`)\n";
    throw CLI::RuntimeError(exit_bad_input);
  }
  return *e;
}

std::vector<std::string> last_lines(const std::filesystem::path& path, std::size_t n) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > n)
      lines.pop_front();
  }
  return {lines.begin(), lines.end()};
}

}  // namespace

void add_session_commands(CLI::App& root) {
  auto c = std::make_shared<common_args>();
  CLI::App* session = root.add_subcommand(
      "session",
      "Operate sessions as separate processes: start, list, status, tail, stop, kill, rearm.\n"
      "Sessions register in an SQLite registry (default runs/registry.sqlite).");
  session->require_subcommand(1);
  session->add_option("--registry", c->registry, "Session registry file")->capture_default_str();

  auto a = std::make_shared<start_args>();
  CLI::App* start_cmd =
      session->add_subcommand("start", "Start a detached session process and print its id");
  start_cmd->add_option("--mode", a->mode, "shadow or paper")
      ->check(CLI::IsMember({"shadow", "paper"}))
      ->capture_default_str();
  start_cmd->add_option("--config", a->config_path, "TOML session config");
  start_cmd->add_option("--data", a->data, "Replay recorded market data file(s)");
  start_cmd->add_option("--speed", a->speed, "Replay pace: max, 1x, 10x ...");
  start_cmd->add_flag("--spin", a->spin,
                      "CAF workers busy-poll and a paced replay polls the clock on its worker "
                      "(lowest tick-to-order; a busy core per worker)");
  start_cmd
      ->add_option("--log-level", a->log_level,
                   "session.log level: trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  start_cmd->add_option("--out", a->out, "Evidence and session directory")->capture_default_str();
  start_cmd->add_flag("--json", c->json, "Print id, pid and ports as JSON");
  start_cmd->callback([a, c] {
    const int code = start(*a, *c);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });

  CLI::App* serve_cmd = session->add_subcommand("serve", "(internal) run a registered session");
  serve_cmd->group("");  // hidden from --help
  serve_cmd->add_option("--id", a->id)->required();
  serve_cmd->add_option("--mode", a->mode);
  serve_cmd->add_option("--config", a->config_path);
  serve_cmd->add_option("--data", a->data);
  serve_cmd->add_option("--speed", a->speed);
  serve_cmd->add_flag("--spin", a->spin);
  serve_cmd->add_option("--log-level", a->log_level);
  serve_cmd->add_option("--out", a->out);
  serve_cmd->add_option("--registry", c->registry);
  serve_cmd->callback([a, c] {
    const int code = serve(*a, *c);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });

  CLI::App* list_cmd =
      session->add_subcommand("list", "List sessions (crashed ones shown as such)");
  list_cmd->add_flag("--json", c->json, "JSON array");
  list_cmd->callback([c] {
    session_registry reg(c->registry);
    const auto all = reg.list();
    if (c->json) {
      std::cout << "[";
      for (std::size_t i = 0; i < all.size(); ++i) {
        std::cout << (i ? "," : "");
        print_entry_json(std::cout, all[i]);
      }
      std::cout << "]\n";
      return;
    }
    std::printf("%-36s %-8s %-9s %8s %6s  %s\n", "ID", "MODE", "STATE", "PID", "CTRL", "EVIDENCE");
    for (const auto& e : all)
      std::printf("%-36s %-8s %-9s %8lld %6lld  %s\n", e.id.c_str(), e.mode.c_str(),
                  effective_state(e).c_str(), static_cast<long long>(e.pid),
                  static_cast<long long>(e.control_port), e.evidence_path.c_str());
  });

  auto id = std::make_shared<std::string>();
  CLI::App* status_cmd = session->add_subcommand("status", "Show one session");
  status_cmd->add_option("ID", *id, "Session id")->required();
  status_cmd->add_flag("--json", c->json, "JSON object");
  status_cmd->callback([c, id] {
    session_registry reg(c->registry);
    const session_entry e = require_session(reg, *id);
    if (c->json) {
      print_entry_json(std::cout, e);
      std::cout << "\n";
      return;
    }
    std::cout << "id            " << e.id << "\nmode          " << e.mode << "\nstate         "
              << effective_state(e) << "\npid           " << e.pid << "\nconfig        "
              << e.config_path << "\nconfig hash   " << e.config_hash << "\nstarted       "
              << e.started_at << "\nended         " << e.ended_at << "\ncontrol port  "
              << e.control_port << "\nmetrics port  " << e.metrics_port << "\nevidence      "
              << e.evidence_path << "\nrun dir       " << e.run_dir << "\ndetail        "
              << e.detail << "\n";
  });

  auto lines = std::make_shared<std::size_t>(20);
  CLI::App* tail_cmd = session->add_subcommand(
      "tail", "Recent events and decisions of a session (session log and audit log)");
  tail_cmd->add_option("ID", *id, "Session id")->required();
  tail_cmd->add_option("-n,--lines", *lines, "Lines of each log")->capture_default_str();
  tail_cmd->add_flag("--json", c->json, "JSON object with both logs");
  tail_cmd->callback([c, id, lines] {
    session_registry reg(c->registry);
    const session_entry e = require_session(reg, *id);
    const auto log = last_lines(std::filesystem::path(e.run_dir) / "session.log", *lines);
    std::vector<std::string> audit;
    if (!e.evidence_path.empty())
      audit = last_lines(std::filesystem::path(e.evidence_path) / "audit_log.jsonl", *lines);
    if (c->json) {
      std::cout << "{\"session_log\":[";
      for (std::size_t i = 0; i < log.size(); ++i)
        std::cout << (i ? "," : "") << evidence::json_quote(log[i]);
      std::cout << "],\"audit_log\":[";
      for (std::size_t i = 0; i < audit.size(); ++i)
        std::cout << (i ? "," : "") << evidence::json_quote(audit[i]);
      std::cout << "]}\n";
      return;
    }
    std::cout << "== session log (" << e.run_dir << "/session.log)\n";
    for (const auto& l : log)
      std::cout << l << "\n";
    if (!audit.empty()) {
      std::cout << "== decisions (" << e.evidence_path << "/audit_log.jsonl)\n";
      for (const auto& l : audit)
        std::cout << l << "\n";
    }
  });

  CLI::App* stop_cmd =
      session->add_subcommand("stop", "Graceful stop: drain, cancel open orders, flush evidence");
  stop_cmd->add_option("ID", *id, "Session id")->required();
  stop_cmd->callback([c, id] {
    session_registry reg(c->registry);
    const session_entry e = require_session(reg, *id);
    std::string reply, error;
    if (!control_request(e.control_port, "stop", reply, error)) {
      std::cerr << "peak session stop: " << error << " (state " << effective_state(e) << ")\n";
      throw CLI::RuntimeError(exit_problem);
    }
    std::cout << reply << "\n";
  });

  auto via = std::make_shared<std::string>("control");
  CLI::App* kill_cmd = session->add_subcommand(
      "kill", "Pull the kill switch: no order leaves after the trigger, open orders cancelled");
  kill_cmd->add_option("ID", *id, "Session id")->required();
  kill_cmd->add_option("--via", *via, "control (endpoint) or signal (SIGUSR1)")
      ->check(CLI::IsMember({"control", "signal"}))
      ->capture_default_str();
  kill_cmd->add_flag("--json", c->json, "Latencies as JSON");
  kill_cmd->callback([c, id, via] {
    session_registry reg(c->registry);
    const session_entry e = require_session(reg, *id);
    const std::int64_t t0 = steady_ns();
    if (*via == "signal") {
      if (!process_alive(e.pid) || ::kill(static_cast<pid_t>(e.pid), SIGUSR1) != 0) {
        std::cerr << "peak session kill: session process " << e.pid << " is not running\n";
        throw CLI::RuntimeError(exit_problem);
      }
      // The session appends the halt's instants to halts.jsonl once every stage acknowledged.
      const auto path = std::filesystem::path(e.run_dir) / "halts.jsonl";
      for (int i = 0; i < 200; ++i) {
        const auto l = last_lines(path, 1);
        if (!l.empty()) {
          std::cout << "halted (signal): " << l.front() << "\n";
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      std::cerr << "peak session kill: no halt acknowledgement within 2 s\n";
      throw CLI::RuntimeError(exit_problem);
    }
    std::string reply, error;
    if (!control_request(e.control_port, "kill " + std::to_string(t0) + " operator CLI", reply,
                         error)) {
      std::cerr << "peak session kill: " << error << "\n";
      throw CLI::RuntimeError(exit_problem);
    }
    const std::int64_t t1 = steady_ns();
    std::cout << reply << " round_trip_ns=" << (t1 - t0) << "\n";
    if (reply.rfind("ok", 0) != 0)
      throw CLI::RuntimeError(exit_problem);
  });

  auto op = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  CLI::App* rearm_cmd =
      session->add_subcommand("rearm", "Re-arm a halted session (audited; needs an operator id)");
  rearm_cmd->add_option("ID", *id, "Session id")->required();
  rearm_cmd->add_option("--operator", *op, "Who re-arms")->required();
  rearm_cmd->add_option("--note", *note, "Why");
  rearm_cmd->callback([c, id, op, note] {
    session_registry reg(c->registry);
    const session_entry e = require_session(reg, *id);
    std::string reply, error;
    if (!control_request(e.control_port, "rearm " + *op + " " + *note, reply, error)) {
      std::cerr << "peak session rearm: " << error << "\n";
      throw CLI::RuntimeError(exit_problem);
    }
    std::cout << reply << "\n";
    if (reply.rfind("ok", 0) != 0)
      throw CLI::RuntimeError(exit_problem);
  });
}

}  // namespace peak::apps
