/// `peak session start|list|status|tail|stop|kill|rearm` and the hidden `peak session serve`
/// that runs inside the detached session process (session/session_daemon.hpp).

#include <signal.h>
#include <sys/types.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "evidence/json.hpp"
#include "session/control_endpoint.hpp"
#include "session/session_daemon.hpp"
#include "session/session_launcher.hpp"
#include "session/session_registry.hpp"

namespace peak::apps {
namespace {

using session::session_entry;
using session::session_registry;

struct common_args {
  std::string registry = "runs/registry.sqlite";
  bool json = false;
};

struct start_args {
  std::string mode = "paper";
  std::string log_level = "info";  ///< session.log level (trace ... critical, off)
  std::string id;                  ///< serve only
  session::run_overrides overrides;
};

void finish(int code) {
  if (code != exit_ok)
    throw CLI::RuntimeError(code);
}

/// Opens the registry; a path that cannot hold one (missing directory, not SQLite) is bad input.
std::unique_ptr<session_registry> open_registry(const std::string& path) {
  std::unique_ptr<session_registry> reg;
  try {
    reg = std::make_unique<session_registry>(path);
  } catch (const std::runtime_error& e) {
    std::cerr << "peak session: cannot open the registry " << visible(path) << ": "
              << visible(e.what()) << "\n";
    throw CLI::RuntimeError(exit_bad_input);
  }
  return reg;
}

session_entry require_session(const std::string& registry, const std::string& id) {
  auto reg = open_registry(registry);
  auto e = reg->find(id);
  if (!e) {
    std::cerr << "peak session: no session '" << visible(id) << "' in " << visible(registry)
              << " (see `peak session list`)\n";
    throw CLI::RuntimeError(exit_bad_input);
  }
  return *e;
}

session::run_overrides overrides_of(const start_args& a) {
  session::run_overrides o = a.overrides;
  o.mode = a.mode == "shadow" ? config::session_mode::shadow : config::session_mode::paper;
  return o;
}

void print_entry_json(std::ostream& o, const session_entry& e) {
  using evidence::json_quote;
  o << "{\"id\":" << json_quote(e.id) << ",\"pid\":" << e.pid << ",\"mode\":" << json_quote(e.mode)
    << ",\"state\":" << json_quote(to_string(effective_state(e)))
    << ",\"registered_state\":" << json_quote(to_string(e.state))
    << ",\"config\":" << json_quote(e.config_path)
    << ",\"config_hash\":" << json_quote(e.config_hash)
    << ",\"started_at\":" << json_quote(e.started_at) << ",\"ended_at\":" << json_quote(e.ended_at)
    << ",\"metrics_port\":" << e.metrics_port << ",\"control_port\":" << e.control_port
    << ",\"evidence\":" << json_quote(e.evidence_path) << ",\"run_dir\":" << json_quote(e.run_dir)
    << ",\"detail\":" << json_quote(e.detail) << "}";
}

void print_entry_text(std::ostream& o, const session_entry& e) {
  o << "id            " << visible(e.id) << "\nmode          " << visible(e.mode)
    << "\nstate         " << to_string(effective_state(e)) << "\npid           " << e.pid
    << "\nconfig        " << visible(e.config_path) << "\nconfig hash   " << visible(e.config_hash)
    << "\nstarted       " << visible(e.started_at) << "\nended         " << visible(e.ended_at)
    << "\ncontrol port  " << e.control_port << "\nmetrics port  " << e.metrics_port
    << "\nevidence      " << visible(e.evidence_path) << "\nrun dir       " << visible(e.run_dir)
    << "\ndetail        " << visible(e.detail) << "\n";
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

/// The options `start` and the hidden `serve` share (serve gets them from start).
void add_session_options(CLI::App& cmd, start_args& a) {
  cmd.add_option("--config", a.overrides.config_path, "TOML session config");
  cmd.add_option("--data", a.overrides.data, "Replay recorded market data file(s)");
  cmd.add_option("--speed", a.overrides.speed,
                 "Replay pace: max, or a positive multiple of event time: 1x, 10x, 0.5x");
  cmd.add_flag("--spin", a.overrides.spin,
               "CAF workers busy-poll and a paced replay polls the clock on its worker "
               "(lowest tick-to-order; a busy core per worker)");
  cmd.add_option("--out", a.overrides.out, "Evidence and session directory")
      ->capture_default_str();
}

void add_start(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto a = std::make_shared<start_args>();
  CLI::App* cmd =
      session_cmd.add_subcommand("start", "Start a detached session process and print its id");
  cmd->add_option("--mode", a->mode, "shadow or paper")
      ->check(CLI::IsMember({"shadow", "paper"}))
      ->capture_default_str();
  add_session_options(*cmd, *a);
  cmd->add_option("--log-level", a->log_level,
                  "session.log level: trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  cmd->add_flag("--json", c->json, "Print id, pid and ports as JSON");
  cmd->callback([a, c] {
    session::start_request r;
    r.registry = c->registry;
    r.log_level = a->log_level;
    r.overrides = overrides_of(*a);
    std::ostringstream err;
    const session::start_result s = session::start_session(r, err);
    std::cerr << visible_lines(err.str());
    finish(s.exit_code);
    if (c->json)
      std::cout << "{\"id\":" << evidence::json_quote(s.entry.id) << ",\"pid\":" << s.entry.pid
                << ",\"control_port\":" << s.entry.control_port
                << ",\"run_dir\":" << evidence::json_quote(s.entry.run_dir) << "}\n";
    else
      std::cout << visible(s.entry.id) << "\n";
  });

  CLI::App* serve = session_cmd.add_subcommand("serve", "(internal) run a registered session");
  serve->group("");  // hidden from --help
  serve->add_option("--id", a->id)->required();
  serve->add_option("--mode", a->mode);
  add_session_options(*serve, *a);
  serve->add_option("--log-level", a->log_level);
  serve->add_option("--registry", c->registry);
  serve->callback([a, c] {
    session::serve_request r;
    r.id = a->id;
    r.registry = c->registry;
    r.log_level = a->log_level;
    r.overrides = overrides_of(*a);
    r.command_line = command_line();
    finish(session::serve_session(r, std::cerr));
  });
}

void add_list(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  CLI::App* cmd = session_cmd.add_subcommand("list", "List sessions (crashed ones shown as such)");
  cmd->add_flag("--json", c->json, "JSON array");
  cmd->callback([c] {
    const auto all = open_registry(c->registry)->list();
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
      std::printf("%-36s %-8s %-9s %8lld %6lld  %s\n", visible(e.id).c_str(),
                  visible(e.mode).c_str(), to_string(effective_state(e)),
                  static_cast<long long>(e.pid), static_cast<long long>(e.control_port),
                  visible(e.evidence_path).c_str());
  });
}

void add_status(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = session_cmd.add_subcommand("status", "Show one session");
  cmd->add_option("ID", *id, "Session id")->required();
  cmd->add_flag("--json", c->json, "JSON object");
  cmd->callback([c, id] {
    const session_entry e = require_session(c->registry, *id);
    if (c->json) {
      print_entry_json(std::cout, e);
      std::cout << "\n";
    } else {
      print_entry_text(std::cout, e);
    }
  });
}

void print_tail_json(const std::vector<std::string>& log, const std::vector<std::string>& audit) {
  std::cout << "{\"session_log\":[";
  for (std::size_t i = 0; i < log.size(); ++i)
    std::cout << (i ? "," : "") << evidence::json_quote(log[i]);
  std::cout << "],\"audit_log\":[";
  for (std::size_t i = 0; i < audit.size(); ++i)
    std::cout << (i ? "," : "") << evidence::json_quote(audit[i]);
  std::cout << "]}\n";
}

void add_tail(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto id = std::make_shared<std::string>();
  auto lines = std::make_shared<std::size_t>(20);
  CLI::App* cmd = session_cmd.add_subcommand(
      "tail", "Recent events and decisions of a session (session log and audit log)");
  cmd->add_option("ID", *id, "Session id")->required();
  cmd->add_option("-n,--lines", *lines, "Lines of each log")->capture_default_str();
  cmd->add_flag("--json", c->json, "JSON object with both logs");
  cmd->callback([c, id, lines] {
    const session_entry e = require_session(c->registry, *id);
    const auto log = last_lines(std::filesystem::path(e.run_dir) / "session.log", *lines);
    std::vector<std::string> audit;
    if (!e.evidence_path.empty())
      audit = last_lines(std::filesystem::path(e.evidence_path) / "audit_log.jsonl", *lines);
    if (c->json)
      return print_tail_json(log, audit);
    std::cout << "== session log (" << visible(e.run_dir) << "/session.log)\n";
    for (const auto& l : log)
      std::cout << visible(l) << "\n";
    if (!audit.empty()) {
      std::cout << "== decisions (" << visible(e.evidence_path) << "/audit_log.jsonl)\n";
      for (const auto& l : audit)
        std::cout << visible(l) << "\n";
    }
  });
}

/// Sends one control line to the session; exit_problem when it cannot be reached or refuses.
void control(const char* command, const session_entry& e, const std::string& line) {
  std::string reply, error;
  if (!session::control_request(e.control_port, line, reply, error)) {
    std::cerr << "peak session " << command << ": " << visible(error) << " (state "
              << to_string(effective_state(e)) << ")\n";
    throw CLI::RuntimeError(exit_problem);
  }
  std::cout << visible(reply) << "\n";
  if (reply.rfind("ok", 0) != 0)
    throw CLI::RuntimeError(exit_problem);
}

void add_stop(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = session_cmd.add_subcommand(
      "stop", "Graceful stop: drain, cancel open orders, flush evidence");
  cmd->add_option("ID", *id, "Session id")->required();
  cmd->callback([c, id] { control("stop", require_session(c->registry, *id), "stop"); });
}

/// `kill --via signal`: SIGUSR1, then the halt's instants from halts.jsonl (bounded, 2 s).
void kill_by_signal(const session_entry& e) {
  if (!session::process_alive(e.pid) || ::kill(static_cast<pid_t>(e.pid), SIGUSR1) != 0) {
    std::cerr << "peak session kill: session process " << e.pid << " is not running\n";
    throw CLI::RuntimeError(exit_problem);
  }
  // The session appends the halt's instants to halts.jsonl once every stage acknowledged.
  const auto path = std::filesystem::path(e.run_dir) / "halts.jsonl";
  for (int i = 0; i < 200; ++i) {
    const auto l = last_lines(path, 1);
    if (!l.empty()) {
      std::cout << "halted (signal): " << visible(l.front()) << "\n";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::cerr << "peak session kill: no halt acknowledgement within 2 s\n";
  throw CLI::RuntimeError(exit_problem);
}

/// `kill --via control`: the control endpoint, with the round trip measured from here.
void kill_by_control(const session_entry& e) {
  const std::int64_t t0 = session::monotonic_ns();
  std::string reply, error;
  if (!session::control_request(e.control_port, "kill " + std::to_string(t0) + " operator CLI",
                                reply, error)) {
    std::cerr << "peak session kill: " << visible(error) << "\n";
    throw CLI::RuntimeError(exit_problem);
  }
  const std::int64_t t1 = session::monotonic_ns();
  std::cout << visible(reply) << " round_trip_ns=" << (t1 - t0) << "\n";
  if (reply.rfind("ok", 0) != 0)
    throw CLI::RuntimeError(exit_problem);
}

void add_kill(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto id = std::make_shared<std::string>();
  auto via = std::make_shared<std::string>("control");
  CLI::App* cmd = session_cmd.add_subcommand(
      "kill", "Pull the kill switch: no order leaves after the trigger, open orders cancelled");
  cmd->add_option("ID", *id, "Session id")->required();
  cmd->add_option("--via", *via, "control (endpoint) or signal (SIGUSR1)")
      ->check(CLI::IsMember({"control", "signal"}))
      ->capture_default_str();
  cmd->add_flag("--json", c->json, "Latencies as JSON");
  cmd->callback([c, id, via] {
    const session_entry e = require_session(c->registry, *id);
    if (*via == "signal")
      kill_by_signal(e);
    else
      kill_by_control(e);
  });
}

void add_rearm(CLI::App& session_cmd, const std::shared_ptr<common_args>& c) {
  auto id = std::make_shared<std::string>();
  auto op = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  CLI::App* cmd =
      session_cmd.add_subcommand("rearm", "Re-arm a halted session (audited; needs an operator id)");
  cmd->add_option("ID", *id, "Session id")->required();
  cmd->add_option("--operator", *op, "Who re-arms")->required();
  cmd->add_option("--note", *note, "Why");
  cmd->callback([c, id, op, note] {
    control("rearm", require_session(c->registry, *id), "rearm " + *op + " " + *note);
  });
}

}  // namespace

void add_session_commands(CLI::App& root) {
  auto c = std::make_shared<common_args>();
  CLI::App* session_cmd = root.add_subcommand(
      "session",
      "Operate sessions as separate processes: start, list, status, tail, stop, kill, rearm.\n"
      "Sessions register in an SQLite registry (default runs/registry.sqlite).");
  session_cmd->require_subcommand(1);
  session_cmd->add_option("--registry", c->registry, "Session registry file")
      ->capture_default_str();
  session_cmd->fallthrough();  // --registry also after the subcommand
  add_start(*session_cmd, c);
  add_list(*session_cmd, c);
  add_status(*session_cmd, c);
  add_tail(*session_cmd, c);
  add_stop(*session_cmd, c);
  add_kill(*session_cmd, c);
  add_rearm(*session_cmd, c);
}

}  // namespace peak::apps
