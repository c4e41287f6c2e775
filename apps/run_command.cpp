#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <system_error>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "config/session_config.hpp"
#include "engine/session_source.hpp"
#include "evidence/pack_compare.hpp"
#include "session/live_refusal.hpp"
#include "session/run_request_builder.hpp"

namespace peak::apps {
namespace {

struct run_args {
  std::string mode;
  std::string engine = "graph";
  bool verify_determinism = false;
  session::run_overrides overrides;
};

/// Runs the session; start-up problems (bad data, unwritable --out) are bad input (exit 2).
bool run_once(const session::run_request& req, session::run_outcome& out) {
  try {
    out = session::run_session(req);
    return true;
  } catch (const engine::source_error& e) {
    std::cerr << "peak run: " << visible(e.what()) << "\n";
  } catch (const std::system_error& e) {
    std::cerr << "peak run: " << visible(e.what()) << "\n";
  } catch (const session::start_error& e) {
    std::cerr << "peak run: " << visible(e.what()) << "\n";
  }
  return false;
}

/// The summary of a finished run; exit_problem when its audit log failed or a tripwire fired.
int print_outcome(const session::run_outcome& first, const config::session_config& cfg) {
  std::cout << visible_lines(engine::summary_text(first.result, cfg, first.timing));
  std::cout << "  evidence     " << visible(first.dir.string()) << "\n";
  if (first.result.input.replayed && first.result.input.events == 0)
    std::cerr << "peak run: warning: the replayed data produced no market events\n";
  int code = exit_ok;
  if (!first.audit_error.empty()) {
    std::cerr << "peak run: " << visible(first.audit_error) << "\n";
    code = exit_problem;
  }
  if (!first.result.tripwire.empty())
    code = exit_problem;
  return code;
}

/// --verify-determinism: runs again and compares the deterministic content of both packs.
int verify_determinism(const session::run_request& req, const session::run_outcome& first) {
  session::run_outcome second;
  if (!run_once(req, second))
    return exit_bad_input;
  const evidence::compare_result cmp = evidence::compare_packs(first.dir, second.dir);
  if (cmp.identical) {
    std::cout << "  determinism  OK: " << visible(second.dir.string())
              << " has identical deterministic content\n";
    return exit_ok;
  }
  std::cout << "  determinism  MISMATCH between " << visible(first.dir.string()) << " and "
            << visible(second.dir.string()) << ":\n";
  for (const std::string& d : cmp.differences)
    std::cout << "    " << visible(d) << "\n";
  return exit_problem;
}

int run(const run_args& a) {
  session::run_overrides o = a.overrides;
  if (!a.mode.empty())
    o.mode = a.mode == "shadow" ? config::session_mode::shadow
                                : (a.mode == "live" ? config::session_mode::live
                                                    : config::session_mode::paper);
  (void)session::parse(a.engine, o.engine);  // checked by the option
  session::run_request req;
  try {
    req = session::build_run_request(o, command_line());
  } catch (const config::config_error& e) {
    for (const std::string& p : e.problems())
      std::cerr << visible(p) << "\n";
    std::cerr << "peak run: refused (" << e.problems().size()
              << " problem(s) in the config or the command line)\n";
    return exit_bad_input;
  }
  if (session::refuse_live_mode(req.config, "peak run", std::cerr))
    return exit_bad_input;
  session::run_outcome first;
  if (!run_once(req, first))
    return exit_bad_input;
  int code = print_outcome(first, req.config);
  if (a.verify_determinism) {
    const int verified = verify_determinism(req, first);
    code = verified != exit_ok ? verified : code;
  }
  return code;
}

/// Where the data comes from and how it is paced.
void add_input_options(CLI::App& cmd, run_args& a) {
  session::run_overrides& o = a.overrides;
  cmd.add_option("--config", o.config_path, "TOML session config (see config/paper_demo.toml)");
  CLI::Option* synthetic =
      cmd.add_option("--synthetic", o.synthetic_events,
                     "Use the seeded synthetic feed with N events")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000'000}));
  cmd.add_option_function<std::uint64_t>(
      "--seed", [&o](const std::uint64_t& s) { o.seed = s; },
      "Seed of the synthetic feed and the paper broker");
  CLI::Option* data = cmd.add_option("--data", o.data,
                                     "Replay recorded market data file(s), merged in event time");
  synthetic->excludes(data);
  cmd.add_option("--speed", o.speed,
                 "Replay pace: max (default) or a positive multiple of event time: 1x, 10x, 0.5x");
}

/// How the session runs and what it records.
void add_engine_options(CLI::App& cmd, run_args& a) {
  session::run_overrides& o = a.overrides;
  cmd.add_option("--mode", a.mode, "paper (simulated fills) or shadow (nothing sent)")
      ->check(CLI::IsMember({"paper", "shadow", "live"}));
  cmd.add_option("--out", o.out, "Directory for evidence packs (default: runs)");
  cmd.add_option("--engine", a.engine,
                 "graph (CAF actor graph, default) or reference (single-threaded oracle)")
      ->check(CLI::IsMember({"graph", "reference"}));
  cmd.add_option("--operator", o.operator_id, "Operator id recorded in the evidence");
  cmd.add_option("--reason", o.reason, "Run reason recorded in the evidence");
  cmd.add_option("--threads", o.threads,
                 "CAF scheduler worker threads (default 0 = auto: 1 when paced, 2 "
                 "as fast as possible)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64}));
  cmd.add_flag("--spin", o.spin,
               "CAF workers busy-poll instead of sleeping, and a paced replay (--speed) "
               "polls the clock on its worker instead of a pacer thread: the lowest "
               "tick-to-order, at the cost of a busy core per worker");
  cmd.add_flag("--verify-determinism", a.verify_determinism,
               "Run twice and compare the deterministic content of both packs");
}

}  // namespace

void add_run_command(CLI::App& root) {
  auto a = std::make_shared<run_args>();
  CLI::App* cmd = root.add_subcommand(
      "run",
      "Run one session to the end of its data and write its evidence pack.\n"
      "Without --config the built-in demo config is used (one synthetic instrument,\n"
      "MA crossover, phase-1 limits). Prints a summary; the pack goes to OUT/<run_id>/.");
  add_engine_options(*cmd, *a);
  add_input_options(*cmd, *a);
  cmd->callback([a] {
    const int code = run(*a);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });
}

}  // namespace peak::apps
