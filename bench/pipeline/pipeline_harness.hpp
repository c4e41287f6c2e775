#pragma once
/// End-to-end performance harness (issue 9): replays the same synthetic events through
/// (a) the single-threaded reference loop, (b) the same stage objects split over two
/// busy-polling threads joined by a moodycamel queue, and (c) the real CAF actor graph.
/// Reports events/s as fast as possible and tick-to-order latency at paced rates, with a
/// hiccup meter (a thread spinning on the clock) beside every latency measurement.
/// Used by `bench/pipeline_bench` and peak-bench (`peak bench pipeline`). No Google Benchmark.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace peak::bench {

/// What to run and how long. Defaults are the full run; `quick_options()` is the CI mode.
struct harness_options {
  std::uint64_t throughput_events = 500'000;       ///< events per as-fast-as-possible run
  double latency_seconds = 3.0;                    ///< wall time of each paced run
  std::vector<double> rates{10'000.0, 100'000.0};  ///< paced rates, events per second
  std::size_t scheduler_threads = 0;               ///< CAF workers (graph_options; 0 = auto)
  std::size_t replay_batch = 256;                  ///< market-data batch (graph_options)
  bool spin_workers = true;                        ///< graph_options::idle: spin, or sleep
  std::size_t max_throughput = 0;                  ///< graph_options::max_throughput
  bool hiccup_meter = true;                        ///< spin a hiccup meter beside every latency run
  /// broker::page_reserve headroom for every variant (graph_options::prefault_headroom_bytes);
  /// 0 = per-order storage takes its page faults on the hot path (the "before" of that change).
  std::size_t prefault_headroom_bytes = std::size_t{8} << 20;
  bool run_reference = true;
  bool run_queues = true;
  bool run_graph = true;
  std::uint64_t seed = 1;
  double ma_fast = 3.0;  ///< MA crossover periods: 3/8 sends an order every ~2.5 events
  double ma_slow = 8.0;  ///< (order path heavy); 20/80 is the demo config's, far fewer
  /// A recorded capture to replay (looped to the run's length) instead of the synthetic
  /// feed; empty = synthetic. When it cannot be read the harness reports it skipped.
  std::string capture_file;
};

/// The default capture (`<shared data>/exchange-captures/COINBASE.ws.28.0`), "" if unknown.
[[nodiscard]] std::string default_capture_file();

/// The few-seconds mode CI runs (proves the harness works; numbers are not gated).
[[nodiscard]] harness_options quick_options();

/// Runs the harness; returns a human-readable table, or JSON when `json` is true.
[[nodiscard]] std::string run_pipeline_harness(const harness_options& options, bool json);

/// The harness's command line (`pipeline_bench --help`): parses `args` (without the program
/// name), runs, prints to `out`; errors to `err`. Returns the exit code (0 ok, 2 bad usage).
int pipeline_bench_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace peak::bench
