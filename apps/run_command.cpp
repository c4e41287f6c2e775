#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <system_error>

#include "apps/commands.hpp"
#include "apps/live_refusal.hpp"
#include "apps/session_runner.hpp"
#include "config/session_config.hpp"
#include "engine/session_source.hpp"
#include "evidence/evidence_pack.hpp"
#include "evidence/pack_compare.hpp"

namespace peak::apps {
namespace {

struct run_args {
  std::string mode;
  std::string config_path;
  std::uint64_t synthetic = 0;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::vector<std::string> data;
  std::string out = "runs";
  std::string engine = "graph";
  std::string speed;
  std::string operator_id;
  std::string reason;
  bool verify_determinism = false;
  std::size_t threads = 0;  ///< 0 = auto (graph_options::scheduler_threads)
  bool spin = false;        ///< graph_options::idle = spin
};

/// Parses "max", "1x", "10x", "0.5x" into an event-time multiple (0 = as fast as possible).
double parse_speed(const std::string& text) {
  if (text.empty() || text == "max")
    return 0.0;
  return std::atof(text.substr(0, text.size() - 1).c_str());
}

int run(const run_args& a, const std::string& command_line) {
  run_request req;
  try {
    req.config =
        a.config_path.empty() ? config::default_config() : config::load_config(a.config_path);
  } catch (const config::config_error& e) {
    for (const std::string& p : e.problems())
      std::cerr << p << "\n";
    std::cerr << "peak run: config refused (" << e.problems().size() << " problem(s))\n";
    return exit_bad_input;
  }
  auto& cfg = req.config;
  req.config_path = a.config_path;
  if (!a.config_path.empty())
    req.base_dir = std::filesystem::path(a.config_path).parent_path().string();
  if (req.base_dir.empty())
    req.base_dir = ".";
  if (!a.mode.empty())
    cfg.session.mode = a.mode == "shadow" ? config::session_mode::shadow
                                          : (a.mode == "live" ? config::session_mode::live
                                                              : config::session_mode::paper);
  if (a.seed_given)
    cfg.session.seed = a.seed;
  if (a.synthetic > 0) {
    cfg.market_data.source = "synthetic";
    cfg.market_data.synthetic.events = a.synthetic;
  }
  if (!a.data.empty()) {
    cfg.market_data.source = "replay";
    cfg.market_data.files = a.data;
    req.base_dir = ".";  // command-line paths are relative to the working directory
  }
  if (!a.speed.empty())
    cfg.market_data.speed = a.speed;
  if (!a.operator_id.empty())
    cfg.session.operator_id = a.operator_id;
  if (!a.reason.empty())
    cfg.session.run_reason = a.reason;
  if (refuse_live_mode(cfg, "peak run", std::cerr))
    return exit_bad_input;
  req.out_root = a.out;
  req.engine = a.engine;
  req.command_line = command_line;
  req.graph.scheduler_threads = a.threads;
  req.graph.idle = a.spin ? actors::worker_idle::spin : actors::worker_idle::sleep;
  req.graph.speed = parse_speed(cfg.market_data.speed);

  run_outcome first;
  try {
    first = run_session(req);
  } catch (const engine::source_error& e) {
    std::cerr << "peak run: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::system_error& e) {
    std::cerr << "peak run: " << e.what() << "\n";
    return exit_bad_input;
  }
  std::cout << engine::summary_text(first.result, cfg, first.timing);
  std::cout << "  evidence     " << first.dir.string() << "\n";
  if (first.result.input.replayed && first.result.input.events == 0)
    std::cerr << "peak run: warning: the replayed data produced no market events\n";
  int code = exit_ok;
  if (!first.audit_error.empty()) {
    std::cerr << "peak run: " << first.audit_error << "\n";
    code = exit_problem;
  }
  if (!first.result.tripwire.empty())
    code = exit_problem;
  if (a.verify_determinism) {
    const run_outcome second = run_session(req);
    const evidence::compare_result cmp = evidence::compare_packs(first.dir, second.dir);
    if (cmp.identical) {
      std::cout << "  determinism  OK: " << second.dir.string()
                << " has identical deterministic content\n";
    } else {
      std::cout << "  determinism  MISMATCH between " << first.dir.string() << " and "
                << second.dir.string() << ":\n";
      for (const std::string& d : cmp.differences)
        std::cout << "    " << d << "\n";
      code = exit_problem;
    }
  }
  return code;
}

}  // namespace

void add_run_command(CLI::App& root) {
  auto a = std::make_shared<run_args>();
  CLI::App* cmd = root.add_subcommand(
      "run",
      "Run one session to the end of its data and write its evidence pack.\n"
      "Without --config the built-in demo config is used (one synthetic instrument,\n"
      "MA crossover, phase-1 limits). Prints a summary; the pack goes to OUT/<run_id>/.");
  cmd->add_option("--mode", a->mode, "paper (simulated fills) or shadow (nothing sent)")
      ->check(CLI::IsMember({"paper", "shadow", "live"}));
  cmd->add_option("--config", a->config_path, "TOML session config (see config/paper_demo.toml)");
  CLI::Option* synthetic =
      cmd->add_option("--synthetic", a->synthetic, "Use the seeded synthetic feed with N events")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000'000}));
  cmd->add_option_function<std::uint64_t>(
      "--seed",
      [a](const std::uint64_t& s) {
        a->seed = s;
        a->seed_given = true;
      },
      "Seed of the synthetic feed and the paper broker");
  CLI::Option* data = cmd->add_option("--data", a->data,
                                      "Replay recorded market data file(s), merged in event time");
  synthetic->excludes(data);
  cmd->add_option("--out", a->out, "Directory for evidence packs (default: runs)");
  cmd->add_option("--engine", a->engine,
                  "graph (CAF actor graph, default) or reference (single-threaded oracle)")
      ->check(CLI::IsMember({"graph", "reference"}));
  cmd->add_option("--speed", a->speed, "max (default) or a multiple of event time: 1x, 10x");
  cmd->add_option("--operator", a->operator_id, "Operator id recorded in the evidence");
  cmd->add_option("--reason", a->reason, "Run reason recorded in the evidence");
  cmd->add_option("--threads", a->threads,
                  "CAF scheduler worker threads (default 0 = auto: 1 when paced, 2 "
                  "as fast as possible)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64}));
  cmd->add_flag("--spin", a->spin,
                "CAF workers busy-poll instead of sleeping, and a paced replay (--speed) "
                "polls the clock on its worker instead of a pacer thread: the lowest "
                "tick-to-order, at the cost of a busy core per worker");
  cmd->add_flag("--verify-determinism", a->verify_determinism,
                "Run twice and compare the deterministic content of both packs");
  cmd->callback([a] {
    const int code = run(*a, command_line());
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });
}

}  // namespace peak::apps
