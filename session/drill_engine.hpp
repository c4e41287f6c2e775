#pragma once
/// The kill-switch drill (`peak drill kill-switch`): paper sessions with a live, paced order
/// flow; the switch is pulled at random moments by every trigger type (including from a
/// separate process). Measures halt latencies, recovery after re-arm and orders after the
/// trigger, and writes a drill evidence pack.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "config/session_config.hpp"

namespace peak::session {

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
inline constexpr std::size_t trigger_kind_count = 7;

[[nodiscard]] const char* to_string(trigger_kind kind) noexcept;

struct drill_options {
  std::size_t trials = 100;
  std::uint64_t seed = 1;
  double rate = 20'000.0;  ///< market events per second (paced)
  std::string out = "runs";
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

/// p50 / p99 / max of a latency in nanoseconds (-1 = no sample).
struct latency_triple {
  std::int64_t p50 = -1;
  std::int64_t p99 = -1;
  std::int64_t max = -1;
};

/// The trials of one trigger type (or "all").
struct trigger_summary {
  std::string name;
  std::size_t trials = 0;
  latency_triple gate_closed, all_halted, recovery, cancels_settled, flat;
  std::size_t flat_trials = 0;
  std::uint64_t flatten_orders = 0;
};

struct drill_report {
  std::vector<trial_result> trials;
  std::vector<trigger_summary> by_trigger;  ///< sorted by name, "all" included
  std::uint64_t orders_after_trigger = 0;
  std::size_t not_halted = 0;
  std::size_t wrong_reason = 0;  ///< halted by another trigger than their own
  std::size_t flat_trials = 0;
  std::size_t not_flat = 0;  ///< --flatten: halted trials that should be flat and are not
  std::uint64_t flatten_orders = 0;
  latency_triple flat;  ///< halt -> flat, every trial
  bool passed = false;
  std::string summary_json;  ///< also the pack's metrics (wall clock)
  std::string pack_dir;      ///< "" when the pack could not be written
  std::string pack_error;
};

/// The paper session of a trial: a busy order flow, limits that let it run until the trial's
/// own trigger (`kind`) fires.
[[nodiscard]] config::session_config drill_config(const drill_options& options, std::uint64_t seed,
                                                  trigger_kind kind);

/// One trial of `kind` (trial `index`); `rng` is the schedule's PRNG state.
[[nodiscard]] trial_result run_trial(const drill_options& options, std::size_t index,
                                     trigger_kind kind, std::uint64_t& rng);

/// Runs every trial, calling `progress(done, total)` after each, then aggregates and writes
/// the drill evidence pack under options.out.
[[nodiscard]] drill_report run_drill(const drill_options& options,
                                     const std::function<void(std::size_t, std::size_t)>& progress);

/// The separate trigger process (`peak drill trigger`): records its CLOCK_MONOTONIC instant,
/// pulls the switch (SIGUSR1 to `signal_pid`, else a control `kill` to `port`) and prints the
/// instant to `out`. Returns exit_ok or exit_problem.
[[nodiscard]] int fire_trigger(std::int64_t port, std::int64_t signal_pid, std::ostream& out,
                               std::ostream& err);

}  // namespace peak::session
