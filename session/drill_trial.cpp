/// One kill-switch drill trial: a paced paper session, its trigger, the halt's latencies.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "actors/session_graph.hpp"
#include "engine/session_source.hpp"
#include "session/control_endpoint.hpp"
#include "session/drill_engine.hpp"

extern char** environ;

namespace peak::session {
namespace {

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
/// The trial's control endpoint and signal thread, for the separate-process triggers.
class trial_endpoints {
public:
  explicit trial_endpoints(actors::session_graph& graph) : graph_(graph) {
    listen_fd_ = listen_loopback(port_);
    control_ = std::thread([this] { serve_control(); });
    signals_ = std::thread([this] { serve_signals(); });
  }
  ~trial_endpoints() {
    done_.store(true);
    control_.join();
    signals_.join();
    ::close(listen_fd_);
  }
  trial_endpoints(const trial_endpoints&) = delete;
  trial_endpoints& operator=(const trial_endpoints&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

private:
  void serve_control() {
    while (!done_.load()) {
      std::string line;
      const int fd = accept_command(listen_fd_, 5, line);
      if (fd < 0)
        continue;
      std::istringstream in(line);
      std::string verb;
      std::int64_t requested = 0;
      in >> verb >> requested;
      if (verb == "kill") {
        const auto id = graph_.kill(halt_reason::operator_command, "drill control", requested);
        send_reply(fd, "ok halt_id=" + std::to_string(id));
      } else {
        send_reply(fd, "error unknown command");
      }
    }
  }
  void serve_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    while (!done_.load()) {
      timespec timeout{0, 5'000'000};
      if (::sigtimedwait(&set, nullptr, &timeout) == SIGUSR1)
        (void)graph_.kill(halt_reason::operator_command, "drill signal");
    }
  }

  actors::session_graph& graph_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> done_{false};
  std::thread control_;
  std::thread signals_;
};

/// Graph options of a trial: paced at the drill's rate, broker faults for the broker and
/// reconciler triggers.
actors::graph_options trial_options(const drill_options& a, const config::session_config& cfg,
                                    trigger_kind kind) {
  actors::graph_options options;
  options.speed = a.rate * static_cast<double>(cfg.market_data.synthetic.mean_interval_ns) / 1e9;
  if (kind == trigger_kind::broker_errors)
    options.broker_faults = [](broker::paper_broker& b) { b.inject(broker::fault::reject, 50); };
  if (kind == trigger_kind::reconciler_tripwire)
    options.broker_faults = [](broker::paper_broker& b) {
      b.inject(broker::fault::drop_report, 20);
    };
  return options;
}

/// Pulls the switch of an operator trigger after `delay` (the pipeline trips by itself for the
/// others). Returns the separate process's trigger instant, 0 when in-process or none.
std::int64_t fire(actors::session_graph& graph, trigger_kind kind, std::chrono::milliseconds delay,
                  std::uint16_t port) {
  switch (kind) {
    case trigger_kind::operator_in_process:
      std::this_thread::sleep_for(delay);
      (void)graph.kill(halt_reason::operator_command, "drill in-process");
      return 0;
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
      std::int64_t child_t0 = 0;
      if (child > 0) {
        child_t0 = read_instant(fd);
        int status = 0;
        ::waitpid(child, &status, 0);
      }
      return child_t0;
    }
    default:
      return 0;
  }
}

/// Reads the first halt's latencies into `t`, waits (bounded) for its cancels to settle and
/// (--flatten) its positions to be flat, then re-arms and times the recovery.
void measure_halt(const drill_options& a, actors::session_graph& graph, risk::halt_gate& gate,
                  std::int64_t child_t0, trial_result& t) {
  const actors::halt_record h = graph.halts().front();
  const std::int64_t origin = child_t0 != 0 ? child_t0 : h.trigger_wall_ns;
  t.gate_ns = h.gate_closed_wall_ns - origin;
  t.all_ns = h.all_acknowledged_wall_ns - origin;
  t.orders_after = h.orders_after_trigger;
  t.orders_cancelled = h.orders_cancelled;
  t.detail = h.detail;
  t.expected_reason = h.reason == reason_of(t.kind);
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
  graph.rearm(a.operator_id, "drill trial " + std::to_string(t.trial));
  while (!gate.open() && monotonic_ns() - r0 < 5'000'000'000)
    std::this_thread::yield();
  t.recovery_ns = gate.open() ? monotonic_ns() - r0 : -1;
}

}  // namespace

config::session_config drill_config(const drill_options& a, std::uint64_t seed, trigger_kind kind) {
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

trial_result run_trial(const drill_options& a, std::size_t index, trigger_kind kind,
                       std::uint64_t& rng) {
  trial_result t;
  t.trial = index;
  t.kind = kind;
  const config::session_config cfg = drill_config(a, a.seed + index, kind);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  actors::session_graph graph(cfg, *source, nullptr, &gate, trial_options(a, cfg, kind));
  {
    const trial_endpoints endpoints(graph);
    graph.start();
    // A random moment inside a live order flow: 5..45 ms of paced replay (100..900 events).
    const auto delay = std::chrono::milliseconds(5 + static_cast<int>(next_random(rng) % 40));
    const std::int64_t child_t0 = fire(graph, kind, delay, endpoints.port());
    t.halted = graph.wait_halts(1, 20'000'000'000);
    if (t.halted)
      measure_halt(a, graph, gate, child_t0, t);
    graph.stop();
    const engine::session_result r = graph.wait();
    t.orders_before = r.counters.orders_sent;
  }
  return t;
}

}  // namespace peak::session
