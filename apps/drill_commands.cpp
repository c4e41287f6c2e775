/// `peak drill kill-switch` (session/drill_engine.hpp runs it; this file prints it) and the
/// hidden `peak drill trigger`, the drill's separate trigger process.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "session/drill_engine.hpp"

namespace peak::apps {
namespace {

struct drill_args {
  session::drill_options options;
  std::string mode = "paper";
  bool json = false;
};

std::string us(std::int64_t ns) {
  if (ns < 0)
    return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f us", static_cast<double>(ns) / 1e3);
  return buf;
}

std::string triple(const session::latency_triple& t) {
  return us(t.p50) + " / " + us(t.p99) + " / " + us(t.max);
}

/// The latency table: one line per trigger type and one for all trials.
std::string latency_table(const session::drill_report& r) {
  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof(line), "%-26s %6s  %-34s  %-34s  %-34s  %-34s\n", "trigger", "trials",
                "trigger->gate closed p50/p99/max", "trigger->all halted p50/p99/max",
                "re-arm->recovered p50/p99/max", "halt->cancels settled (event time)");
  table << line;
  for (const session::trigger_summary& s : r.by_trigger) {
    std::snprintf(line, sizeof(line), "%-26s %6zu  %-34s  %-34s  %-34s  %-34s\n", s.name.c_str(),
                  s.trials, triple(s.gate_closed).c_str(), triple(s.all_halted).c_str(),
                  triple(s.recovery).c_str(), triple(s.cancels_settled).c_str());
    table << line;
  }
  return table.str();
}

/// --flatten: how many trials ended flat, overall and per trigger type.
void print_flatten(const session::drill_options& o, const session::drill_report& r) {
  std::cout << "flatten on halt: " << r.flat_trials << "/" << o.trials
            << " trials flat after the halt (" << r.not_flat << " that should be, are not"
            << (r.not_flat == 0 ? ": OK" : ": FAILED") << "), " << r.flatten_orders
            << " flatten orders; halt->flat (event time) p50/p99/max " << triple(r.flat) << "\n";
  for (const session::trigger_summary& s : r.by_trigger) {
    if (s.name == "all")
      continue;
    std::cout << "  " << s.name << ": flat " << s.flat_trials << "/" << s.trials << ", "
              << s.flatten_orders << " flatten orders"
              << (s.name == "reconciler_tripwire"
                      ? " (never flattened: the books disagree with the broker)"
                      : "")
              << "\n";
  }
}

void print_report(const session::drill_options& o, const session::drill_report& r) {
  std::cout << "Kill-switch drill: " << o.trials << " trials, paper sessions paced at " << o.rate
            << " events/s\n"
            << latency_table(r) << "orders after trigger: " << r.orders_after_trigger
            << (r.orders_after_trigger == 0 ? " (OK)" : " (VIOLATION)") << "\n"
            << "trials that did not halt: " << r.not_halted << "\n"
            << "trials halted by another trigger than their own: " << r.wrong_reason << "\n";
  if (o.flatten)
    print_flatten(o, r);
  std::cout << "seed requirement: trigger < 5 s, all stopped < 30 s, recovery < 5 min\n";
  if (!r.pack_dir.empty())
    std::cout << "evidence: " << visible(r.pack_dir) << "\n";
}

int drill(const drill_args& a) {
  std::error_code ec;  // a bad --out fails now, not after every trial has run
  std::filesystem::create_directories(a.options.out, ec);
  if (ec || !std::filesystem::is_directory(a.options.out)) {
    std::cerr << "peak drill: cannot use --out " << visible(a.options.out) << ": "
              << (ec ? ec.message() : "not a directory") << "\n";
    return exit_bad_input;
  }
  const auto progress = [&a](std::size_t done, std::size_t total) {
    if (!a.json)
      std::fprintf(stderr, "\rtrial %zu/%zu%s", done, total, done == total ? "\n" : "");
  };
  const session::drill_report r = session::run_drill(a.options, progress);
  if (!r.pack_error.empty()) {
    std::cerr << "peak drill: cannot write the drill evidence pack: " << visible(r.pack_error)
              << "\n";
    return exit_internal;
  }
  if (a.json)
    std::cout << r.summary_json << "\n";
  else
    print_report(a.options, r);
  return r.passed ? exit_ok : exit_problem;
}

void add_kill_switch(CLI::App& drill_cmd) {
  auto a = std::make_shared<drill_args>();
  session::drill_options& o = a->options;
  CLI::App* ks = drill_cmd.add_subcommand(
      "kill-switch",
      "Run paper sessions with a paced order flow and pull the kill switch at random moments\n"
      "from every trigger type (in-process operator, control endpoint and SIGUSR1 from a\n"
      "separate process, reconciler tripwire, broker error burst, daily-loss breach, stale\n"
      "data). Prints p50/p99/max latencies and the orders sent after any trigger (must be 0);\n"
      "exit 1 if any order left after a trigger, a trial did not halt, or (--flatten) a trial\n"
      "did not end flat.");
  ks->add_option("--trials", o.trials, "Number of trials")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  ks->add_option("--mode", a->mode, "paper")
      ->check(CLI::IsMember({"paper"}))
      ->capture_default_str();
  ks->add_option("--seed", o.seed, "Seed of the trial schedule and sessions")
      ->capture_default_str();
  ks->add_option("--rate", o.rate, "Paced market events per second")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 10'000'000.0));
  ks->add_option("--out", o.out, "Directory for the drill evidence pack")->capture_default_str();
  ks->add_option("--operator", o.operator_id, "Operator id recorded in the evidence");
  ks->add_flag("--json", a->json, "Summary as JSON");
  ks->add_flag("--flatten", o.flatten,
               "Set kill_switch.flatten_on_halt: after each halt's cancels, close the positions\n"
               "with reducing orders; prints how many trials ended flat and how long it took");
  ks->callback([a] {
    const int code = drill(*a);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });
}

}  // namespace

void add_drill_commands(CLI::App& root) {
  CLI::App* drill_cmd = root.add_subcommand("drill", "Drills: measure the kill switch");
  drill_cmd->require_subcommand(1);
  add_kill_switch(*drill_cmd);
  auto port = std::make_shared<std::int64_t>(0);
  auto pid = std::make_shared<std::int64_t>(0);
  CLI::App* trig = drill_cmd->add_subcommand("trigger", "(internal) separate-process trigger");
  trig->group("");
  trig->add_option("--port", *port);
  trig->add_option("--signal-pid", *pid);
  trig->callback([port, pid] {
    const int code = session::fire_trigger(*port, *pid, std::cout, std::cerr);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });
}

}  // namespace peak::apps
