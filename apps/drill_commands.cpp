/// `peak drill kill-switch`: runs paper sessions with a live, paced order flow, pulls the kill
/// switch at random moments from every trigger type (including from a separate process) and
/// reports the halt latencies, the recovery time after re-arm and the orders after trigger.
/// Writes a drill evidence pack.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "actors/session_graph.hpp"
#include "apps/commands.hpp"
#include "apps/control_endpoint.hpp"
#include "config/session_config.hpp"
#include "engine/session_source.hpp"
#include "evidence/evidence_pack.hpp"
#include "evidence/json.hpp"

extern char** environ;

namespace peak::apps {
namespace {

/// How a trial pulls the switch.
enum class trigger_kind : std::uint8_t {
  operator_in_process,
  operator_control,  ///< control endpoint, from a separate process
  operator_signal,   ///< SIGUSR1, from a separate process
  reconciler_tripwire,
  broker_errors,
  daily_loss,
  stale_data,
};
constexpr std::size_t trigger_kind_count = 7;

const char* name_of_trigger(trigger_kind k) {
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

struct drill_args {
  std::size_t trials = 100;
  std::string mode = "paper";
  std::uint64_t seed = 1;
  double rate = 20'000.0;  ///< market events per second (paced)
  std::string out = "runs";
  bool json = false;
  std::string operator_id = "drill";
  bool flatten = false;  ///< kill_switch.flatten_on_halt in every trial
};

struct trial_result {
  std::size_t trial = 0;
  trigger_kind kind = trigger_kind::operator_in_process;
  bool halted = false;
  std::int64_t gate_ns = -1;      ///< trigger -> gate closed
  std::int64_t all_ns = -1;       ///< trigger -> all stages acknowledged
  std::int64_t recovery_ns = -1;  ///< re-arm -> gate open and every stage re-armed
  /// Broker event time from the halt reaching execution until every order open then ended.
  std::int64_t cancels_settled_event_ns = -1;
  /// --flatten: broker event time from the halt until every position was flat (-1: not
  /// flat, flattening gave up or did not finish in time), and the flatten orders sent.
  std::int64_t flat_event_ns = -1;
  std::uint32_t flatten_orders = 0;
  std::uint64_t orders_after = 0;  ///< must be 0 (flatten orders are not counted)
  std::uint64_t orders_before = 0;
  std::uint32_t orders_cancelled = 0;
  std::string detail;
  /// The halt came from the trigger this trial fired (a different tripwire winning the race
  /// means the trial did not exercise its trigger: counted as a failure).
  bool expected_reason = false;
};

/// The halt reason a trial of `kind` must produce.
halt_reason reason_of(trigger_kind kind) {
  switch (kind) {
    case trigger_kind::reconciler_tripwire:
      return halt_reason::reconciler_tripwire;
    case trigger_kind::broker_errors:
      return halt_reason::broker_errors;
    case trigger_kind::daily_loss:
      return halt_reason::daily_loss;
    case trigger_kind::stale_data:
      return halt_reason::stale_data;
    default:
      return halt_reason::operator_command;
  }
}

/// Small seeded PRNG (splitmix64): trial schedule only.
std::uint64_t next_random(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

config::session_config drill_config(const drill_args& a, std::uint64_t seed, trigger_kind kind) {
  config::session_config c = config::default_config();
  c.session.name = "kill-switch-drill";
  c.session.mode = config::session_mode::paper;
  c.session.seed = seed;
  c.session.operator_id = a.operator_id;
  c.session.run_reason = "kill-switch drill";
  c.market_data.synthetic.events = 50'000'000;  // the trial stops the replay long before
  c.market_data.synthetic.mean_interval_ns = 50'000'000;
  c.strategies.front().params = {{"fast", 3.0}, {"slow", 8.0}};  // a busy order flow
  c.risk.max_orders_per_second = 50;
  c.risk.max_orders_per_minute = 3000;
  c.risk.max_total_exposure = money{5'000 * fixed_scale};
  c.kill_switch.flatten_on_halt = a.flatten;
  if (kind == trigger_kind::daily_loss)
    c.risk.max_daily_loss = money{1};  // the first fee breaches it
  else  // the busy order flow must not breach the daily loss before the trial's own trigger
    c.risk.max_daily_loss = money{1'000'000 * fixed_scale};
  if (kind == trigger_kind::stale_data) {
    c.market_data.synthetic.fault_gap = 0.002;
    c.market_data.stale_after_ns = 2'000'000'000;
  }
  return c;
}

/// Starts `peak drill trigger ...` as a separate process; returns its pid and a pipe on which
/// it writes its CLOCK_MONOTONIC trigger instant.
pid_t spawn_trigger(const std::vector<std::string>& args, int& read_fd) {
  int fds[2];
  if (::pipe(fds) != 0)
    return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& s : copy)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const std::string exe = self_executable();
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return -1;
  }
  read_fd = fds[0];
  return pid;
}

std::int64_t read_instant(int fd) {
  std::string text;
  char buf[64];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return std::atoll(text.c_str());
}

/// Longest wait, per trial, for the halt's cancels to settle and (--flatten) its positions to
/// be flat, in wall-clock nanoseconds.
constexpr std::int64_t settle_wait_ns = 500'000'000;

/// Polls the session's first halt until `done(record)` holds or settle_wait_ns has passed;
/// returns the record as it then is.
template <class Done>
actors::halt_record wait_for_first_halt(const actors::session_graph& graph, Done done) {
  const std::int64_t t0 = monotonic_ns();
  actors::halt_record h = graph.halts().front();
  while (!done(h) && monotonic_ns() - t0 < settle_wait_ns) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    h = graph.halts().front();
  }
  return h;
}

trial_result run_trial(const drill_args& a, std::size_t index, trigger_kind kind,
                       std::uint64_t& rng) {
  trial_result t;
  t.trial = index;
  t.kind = kind;
  const config::session_config cfg = drill_config(a, a.seed + index, kind);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  actors::graph_options options;
  options.speed = a.rate * static_cast<double>(cfg.market_data.synthetic.mean_interval_ns) / 1e9;
  if (kind == trigger_kind::broker_errors)
    options.broker_faults = [](broker::paper_broker& b) { b.inject(broker::fault::reject, 50); };
  if (kind == trigger_kind::reconciler_tripwire)
    options.broker_faults = [](broker::paper_broker& b) {
      b.inject(broker::fault::drop_report, 20);
    };
  actors::session_graph graph(cfg, *source, nullptr, &gate, options);

  // Control endpoint and signal thread for the separate-process triggers.
  std::uint16_t port = 0;
  const int listen_fd = listen_loopback(port);
  std::atomic<bool> done{false};
  std::thread control([&] {
    while (!done.load()) {
      std::string line;
      const int fd = accept_command(listen_fd, 5, line);
      if (fd < 0)
        continue;
      std::istringstream in(line);
      std::string verb;
      std::int64_t requested = 0;
      in >> verb >> requested;
      if (verb == "kill") {
        const auto id = graph.kill(halt_reason::operator_command, "drill control", requested);
        send_reply(fd, "ok halt_id=" + std::to_string(id));
      } else {
        send_reply(fd, "error unknown command");
      }
    }
  });
  std::thread signals([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    while (!done.load()) {
      timespec timeout{0, 5'000'000};
      if (::sigtimedwait(&set, nullptr, &timeout) == SIGUSR1)
        (void)graph.kill(halt_reason::operator_command, "drill signal");
    }
  });

  graph.start();
  // A random moment inside a live order flow: 5..45 ms of paced replay (100..900 events).
  const auto delay = std::chrono::milliseconds(5 + static_cast<int>(next_random(rng) % 40));
  std::int64_t child_t0 = 0;
  switch (kind) {
    case trigger_kind::operator_in_process:
      std::this_thread::sleep_for(delay);
      (void)graph.kill(halt_reason::operator_command, "drill in-process");
      break;
    case trigger_kind::operator_control:
    case trigger_kind::operator_signal: {
      std::this_thread::sleep_for(delay);
      int fd = -1;
      const std::vector<std::string> args =
          kind == trigger_kind::operator_control
              ? std::vector<std::string>{"peak", "drill", "trigger", "--port", std::to_string(port)}
              : std::vector<std::string>{"peak", "drill", "trigger", "--signal-pid",
                                         std::to_string(::getpid())};
      const pid_t child = spawn_trigger(args, fd);
      if (child > 0) {
        child_t0 = read_instant(fd);
        int status = 0;
        ::waitpid(child, &status, 0);
      }
      break;
    }
    default:
      break;  // the pipeline trips by itself
  }
  t.halted = graph.wait_halts(1, 20'000'000'000);
  if (t.halted) {
    const actors::halt_record h = graph.halts().front();
    const std::int64_t origin = child_t0 != 0 ? child_t0 : h.trigger_wall_ns;
    t.gate_ns = h.gate_closed_wall_ns - origin;
    t.all_ns = h.all_acknowledged_wall_ns - origin;
    t.orders_after = h.orders_after_trigger;
    t.orders_cancelled = h.orders_cancelled;
    t.detail = h.detail;
    t.expected_reason = h.reason == reason_of(kind);
    // Open orders settle at the broker in event time while market data keeps flowing: wait
    // (bounded) for that before re-arming, which would let new orders open. Half a second
    // of wall clock is 500 s of event time at the drill's pace; orders whose reports were
    // lost (reconciler trials) never settle and stay unknown (-1).
    t.cancels_settled_event_ns = wait_for_first_halt(graph, [](const actors::halt_record& now) {
                                   return now.halt_to_cancels_settled_event_ns >= 0;
                                 }).halt_to_cancels_settled_event_ns;
    if (a.flatten) {
      // Flattening follows the cancels (its orders fill in event time): wait for it too.
      const actors::halt_record flat =
          wait_for_first_halt(graph, [](const actors::halt_record& now) {
            return now.halt_to_flat_event_ns >= 0 || now.flatten_gave_up;
          });
      t.flat_event_ns = flat.halt_to_flat_event_ns;
      t.flatten_orders = flat.flatten_orders;
    }
    // Recovery: re-arm, then wait until the gate is open again.
    const std::int64_t r0 = monotonic_ns();
    graph.rearm(a.operator_id, "drill trial " + std::to_string(index));
    while (!gate.open() && monotonic_ns() - r0 < 5'000'000'000)
      std::this_thread::yield();
    t.recovery_ns = gate.open() ? monotonic_ns() - r0 : -1;
  }
  graph.stop();
  const engine::session_result r = graph.wait();
  t.orders_before = r.counters.orders_sent;
  done.store(true);
  control.join();
  signals.join();
  ::close(listen_fd);
  return t;
}

std::int64_t percentile(std::vector<std::int64_t> v, double p) {
  if (v.empty())
    return -1;
  std::sort(v.begin(), v.end());
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

std::string us(std::int64_t ns) {
  if (ns < 0)
    return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f us", static_cast<double>(ns) / 1e3);
  return buf;
}

int drill(const drill_args& a) {
  // SIGUSR1 is handled by the trial's signal thread: block it in every thread first.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  std::uint64_t rng = a.seed * 0x2545F4914F6CDD1Dull + 1;
  std::vector<trial_result> results;
  for (std::size_t i = 0; i < a.trials; ++i) {
    const auto kind = static_cast<trigger_kind>(i % trigger_kind_count);
    results.push_back(run_trial(a, i, kind, rng));
    if (!a.json)
      std::fprintf(stderr, "\rtrial %zu/%zu", i + 1, a.trials);
  }
  if (!a.json)
    std::fprintf(stderr, "\n");

  // Aggregate per trigger type and overall.
  std::map<std::string, std::vector<const trial_result*>> by_kind;
  for (const auto& t : results)
    by_kind[name_of_trigger(t.kind)].push_back(&t);
  by_kind["all"];
  for (const auto& t : results)
    by_kind["all"].push_back(&t);
  std::uint64_t after_total = 0;
  std::size_t not_halted = 0;
  std::size_t wrong_reason = 0;
  std::size_t flat_trials = 0;
  std::uint64_t flatten_orders = 0;
  for (const auto& t : results) {
    flat_trials += t.flat_event_ns >= 0 ? 1 : 0;
    flatten_orders += t.flatten_orders;
    after_total += t.orders_after;
    not_halted += t.halted ? 0 : 1;
    wrong_reason += t.halted && !t.expected_reason ? 1 : 0;
  }
  // --flatten: every halted trial must end flat, except a reconciler tripwire's (its books
  // disagree with the broker, so it is never flattened).
  std::size_t not_flat = 0;
  for (const auto& t : results)
    not_flat +=
        a.flatten && t.halted && t.kind != trigger_kind::reconciler_tripwire && t.flat_event_ns < 0
            ? 1
            : 0;
  const bool passed = after_total == 0 && not_halted == 0 && wrong_reason == 0 && not_flat == 0;

  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof(line), "%-26s %6s  %-34s  %-34s  %-34s  %-34s\n", "trigger", "trials",
                "trigger->gate closed p50/p99/max", "trigger->all halted p50/p99/max",
                "re-arm->recovered p50/p99/max", "halt->cancels settled (event time)");
  table << line;
  evidence::json_writer w(true);
  w.begin_object();
  w.member("trials", static_cast<std::uint64_t>(a.trials));
  w.member("orders_after_trigger", after_total);
  w.member("trials_not_halted", static_cast<std::uint64_t>(not_halted));
  w.member("trials_halted_by_another_trigger", static_cast<std::uint64_t>(wrong_reason));
  if (a.flatten) {
    w.member("trials_flat_after_halt", static_cast<std::uint64_t>(flat_trials));
    w.member("trials_not_flat", static_cast<std::uint64_t>(not_flat));
    w.member("flatten_orders", flatten_orders);
  }
  w.key("by_trigger").begin_object();
  for (const auto& [name, list] : by_kind) {
    std::vector<std::int64_t> gate, all, rec, settled, flat;
    for (const auto* t : list) {
      if (t->flat_event_ns >= 0)
        flat.push_back(t->flat_event_ns);
      if (t->cancels_settled_event_ns >= 0)
        settled.push_back(t->cancels_settled_event_ns);
      if (t->gate_ns >= 0)
        gate.push_back(t->gate_ns);
      if (t->all_ns >= 0)
        all.push_back(t->all_ns);
      if (t->recovery_ns >= 0)
        rec.push_back(t->recovery_ns);
    }
    auto triple = [](const std::vector<std::int64_t>& v) {
      return us(percentile(v, 0.5)) + " / " + us(percentile(v, 0.99)) + " / " +
             us(v.empty() ? -1 : *std::max_element(v.begin(), v.end()));
    };
    std::snprintf(line, sizeof(line), "%-26s %6zu  %-34s  %-34s  %-34s  %-34s\n", name.c_str(),
                  list.size(), triple(gate).c_str(), triple(all).c_str(), triple(rec).c_str(),
                  triple(settled).c_str());
    table << line;
    w.key(name).begin_object();
    w.member("trials", static_cast<std::uint64_t>(list.size()));
    for (const auto& [label, v] :
         {std::pair<const char*, const std::vector<std::int64_t>*>{"gate_closed_ns", &gate},
          {"all_halted_ns", &all},
          {"recovery_ns", &rec},
          {"halt_to_cancels_settled_event_ns", &settled},
          {"halt_to_flat_event_ns", &flat}}) {
      w.key(label).begin_object();
      w.member("p50", percentile(*v, 0.5));
      w.member("p99", percentile(*v, 0.99));
      w.member("max", v->empty() ? std::int64_t{-1} : *std::max_element(v->begin(), v->end()));
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
  const std::string summary_json = w.str();

  // Drill evidence pack: the summary and per-trial latencies (wall clock: not compared).
  std::string trials_csv =
      "trial,trigger,halted,trigger_to_gate_closed_ns,trigger_to_all_halted_ns,recovery_ns,"
      "orders_after_trigger,orders_cancelled,orders_sent,halted_by_its_trigger,"
      "halt_to_cancels_settled_event_ns,flatten_orders,halt_to_flat_event_ns,detail\n";
  for (const auto& t : results) {
    std::string detail = t.detail;
    std::replace(detail.begin(), detail.end(), ',', ';');
    trials_csv += std::to_string(t.trial) + ',' + name_of_trigger(t.kind) + ',' +
                  (t.halted ? "true" : "false") + ',' + std::to_string(t.gate_ns) + ',' +
                  std::to_string(t.all_ns) + ',' + std::to_string(t.recovery_ns) + ',' +
                  std::to_string(t.orders_after) + ',' + std::to_string(t.orders_cancelled) + ',' +
                  std::to_string(t.orders_before) + ',' + (t.expected_reason ? "true" : "false") +
                  ',' + std::to_string(t.cancels_settled_event_ns) + ',' +
                  std::to_string(t.flatten_orders) + ',' + std::to_string(t.flat_event_ns) + ',' +
                  detail + '\n';
  }
  std::string pack_dir;
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
    pack.add_file("drill_wall_clock.csv", trials_csv);
    evidence::pack_outputs outputs;
    outputs.metrics_json = "{\"wall_clock\":" + summary_json + "}";
    outputs.equity_csv = "ts_event_ns,time_utc,cash,equity,realised_pnl,exposure\n";
    outputs.trades_csv = "seq\n";
    outputs.orders_csv = "client_order_id\n";
    outputs.status = passed ? "completed" : "failed";
    pack_dir = pack.finalize(outputs).directory.string();
  } catch (const std::exception& e) {
    std::cerr << "peak drill: cannot write the drill evidence pack: " << e.what() << "\n";
  }

  if (a.json) {
    std::cout << summary_json << "\n";
  } else {
    std::cout << "Kill-switch drill: " << a.trials << " trials, paper sessions paced at " << a.rate
              << " events/s\n"
              << table.str() << "orders after trigger: " << after_total
              << (after_total == 0 ? " (OK)" : " (VIOLATION)") << "\n"
              << "trials that did not halt: " << not_halted << "\n"
              << "trials halted by another trigger than their own: " << wrong_reason << "\n";
    if (a.flatten) {
      std::vector<std::int64_t> flat;
      for (const auto& t : results)
        if (t.flat_event_ns >= 0)
          flat.push_back(t.flat_event_ns);
      std::cout << "flatten on halt: " << flat_trials << "/" << a.trials
                << " trials flat after the halt (" << not_flat << " that should be, are not"
                << (not_flat == 0 ? ": OK" : ": FAILED") << "), " << flatten_orders
                << " flatten orders; halt->flat (event time) p50/p99/max "
                << us(percentile(flat, 0.5)) << " / " << us(percentile(flat, 0.99)) << " / "
                << us(flat.empty() ? -1 : *std::max_element(flat.begin(), flat.end())) << "\n";
      for (const auto& [name, list] : by_kind) {
        if (name == "all")
          continue;
        std::size_t n_flat = 0;
        std::uint64_t n_orders = 0;
        for (const auto* t : list) {
          n_flat += t->flat_event_ns >= 0 ? 1 : 0;
          n_orders += t->flatten_orders;
        }
        std::cout << "  " << name << ": flat " << n_flat << "/" << list.size() << ", " << n_orders
                  << " flatten orders"
                  << (name == "reconciler_tripwire"
                          ? " (never flattened: the books disagree with the broker)"
                          : "")
                  << "\n";
      }
    }
    std::cout << "seed requirement: trigger < 5 s, all stopped < 30 s, recovery < 5 min\n";
    if (!pack_dir.empty())
      std::cout << "evidence: " << pack_dir << "\n";
  }
  return passed ? exit_ok : exit_problem;
}

/// The separate trigger process: records its CLOCK_MONOTONIC instant, pulls the switch and
/// prints the instant.
int trigger(std::int64_t port, std::int64_t signal_pid) {
  const std::int64_t t0 = monotonic_ns();
  if (signal_pid > 0) {
    if (::kill(static_cast<pid_t>(signal_pid), SIGUSR1) != 0)
      return exit_problem;
  } else {
    std::string reply, error;
    if (!control_request(port, "kill " + std::to_string(t0), reply, error)) {
      std::cerr << error << "\n";
      return exit_problem;
    }
  }
  std::cout << t0 << std::flush;
  return exit_ok;
}

}  // namespace

void add_drill_commands(CLI::App& root) {
  CLI::App* drill_cmd = root.add_subcommand("drill", "Drills: measure the kill switch");
  drill_cmd->require_subcommand(1);
  auto a = std::make_shared<drill_args>();
  CLI::App* ks = drill_cmd->add_subcommand(
      "kill-switch",
      "Run paper sessions with a paced order flow and pull the kill switch at random moments\n"
      "from every trigger type (in-process operator, control endpoint and SIGUSR1 from a\n"
      "separate process, reconciler tripwire, broker error burst, daily-loss breach, stale\n"
      "data). Prints p50/p99/max latencies and the orders sent after any trigger (must be 0);\n"
      "exit 1 if any order left after a trigger, a trial did not halt, or (--flatten) a trial\n"
      "did not end flat.");
  ks->add_option("--trials", a->trials, "Number of trials")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  ks->add_option("--mode", a->mode, "paper")
      ->check(CLI::IsMember({"paper"}))
      ->capture_default_str();
  ks->add_option("--seed", a->seed, "Seed of the trial schedule and sessions")
      ->capture_default_str();
  ks->add_option("--rate", a->rate, "Paced market events per second")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 10'000'000.0));
  ks->add_option("--out", a->out, "Directory for the drill evidence pack")->capture_default_str();
  ks->add_option("--operator", a->operator_id, "Operator id recorded in the evidence");
  ks->add_flag("--json", a->json, "Summary as JSON");
  ks->add_flag("--flatten", a->flatten,
               "Set kill_switch.flatten_on_halt: after each halt's cancels, close the positions\n"
               "with reducing orders; prints how many trials ended flat and how long it took");
  ks->callback([a] {
    const int code = drill(*a);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });

  auto port = std::make_shared<std::int64_t>(0);
  auto pid = std::make_shared<std::int64_t>(0);
  CLI::App* trig = drill_cmd->add_subcommand("trigger", "(internal) separate-process trigger");
  trig->group("");
  trig->add_option("--port", *port);
  trig->add_option("--signal-pid", *pid);
  trig->callback([port, pid] {
    const int code = trigger(*port, *pid);
    if (code != exit_ok)
      throw CLI::RuntimeError(code);
  });
}

}  // namespace peak::apps
