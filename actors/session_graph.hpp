#pragma once
/// One session as a CAF actor graph: market-data -> L2 outlook -> L3 advisory -> L5 risk gate
/// -> execution -> reconciler, plus the kill switch. This header is CAF-free so apps and
/// tests need no CAF headers.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/paper_broker.hpp"
#include "config/session_config.hpp"
#include "engine/decision_sink.hpp"
#include "engine/halt_ledger.hpp"
#include "engine/session_result.hpp"
#include "marketdata/event_source.hpp"
#include "messages/control.hpp"
#include "observability/session_metrics.hpp"
#include "risk/halt_gate.hpp"

namespace peak::actors {

/// How an idle CAF worker waits for its next message.
enum class worker_idle {
  /// CAF's default: poll briefly, then sleep in 50 us steps, then block. A paced replay has
  /// a pacer thread wake market-data when its next event is due.
  sleep,
  /// Busy-poll: costs a core per worker, no wake-up on the hot path. A paced replay needs no
  /// pacer thread: market-data polls the clock on its worker, one message to itself per
  /// poll (CAF's timer takes the bulk of waits over 2 ms), and each actor handles one message
  /// per turn (`scheduler.max-throughput` 1, always), so the stages run between polls.
  spin,
};

/// Exact latency samples for benchmarks (steady clock, ns). Each vector is filled up to the
/// capacity the caller reserved before the run, never beyond (no allocation in the graph);
/// samples that did not fit are counted in `dropped`. Read it after wait().
struct latency_probe {
  /// market-data emitted the event -> execution handed the order it caused to the broker.
  std::vector<std::int64_t> tick_to_order;
  /// Per receiving stage: the upstream stage sent a batch -> this stage started on it.
  std::array<std::vector<std::int64_t>, stage_count> hop;
  std::atomic<std::uint64_t> dropped{0};
};

struct graph_options {
  /// CAF worker threads; 0 = auto: 1 for a paced replay (every hop stays on one worker, no
  /// wake-ups between stages: the lowest tick-to-order), 2 as fast as possible (the stages
  /// pipeline across both cores: the highest throughput). See docs/PERFORMANCE.md.
  std::size_t scheduler_threads = 0;
  worker_idle idle = worker_idle::sleep;
  /// Messages an actor handles per scheduling turn before it yields its worker (CAF's
  /// `scheduler.max-throughput`; 0 = CAF's default, unlimited). A paced replay on spinning
  /// workers always uses 1: market-data's polls must yield to the stages after each one.
  std::size_t max_throughput = 0;
  std::size_t replay_batch = 256;  ///< at most this many events per market-data batch
  /// Flow control: market-data keeps at most this many events ahead of the reconciler, so
  /// mailboxes (and memory) stay bounded and the risk gate never runs far ahead of fills.
  std::uint64_t max_in_flight = 8'192;
  double speed = 0.0;        ///< 0 = as fast as possible, else event-time multiple
  bool end_on_halt = false;  ///< true: the replay ends at a halt. false (default): market data
                             ///< keeps flowing (marks, cancels complete in event time) while
                             ///< trading stays halted until re-armed
  /// Called once with the paper broker when execution starts (drills and tests arm faults).
  std::function<void(broker::paper_broker&)> broker_faults;
  /// Metrics to update (may be null). Must outlive the graph.
  observability::session_metrics* metrics = nullptr;
  /// Exact latency samples (benchmarks; may be null). Must outlive the graph.
  latency_probe* probe = nullptr;
  /// Stage latency is sampled on one event in this many (clock reads cost ~20 ns each).
  std::uint32_t latency_sample_every = 64;
  /// Bytes the process's broker::page_reserve keeps written ahead for per-order storage, so
  /// new chunks of records cost no page fault on the hot path (started with the first graph,
  /// shared by every graph of the process; 0 = do not start it).
  std::size_t prefault_headroom_bytes = std::size_t{8} << 20;
};

/// What one halt did (engine/halt_ledger.hpp): event-time outcomes and wall-clock latencies.
using engine::halt_record;

/// The worker count `options` resolves to (scheduler_threads, or the auto choice).
[[nodiscard]] std::size_t resolved_scheduler_threads(const graph_options& options) noexcept;
/// The messages per actor turn `options` resolves to (0 = CAF's default, unlimited).
[[nodiscard]] std::size_t resolved_max_throughput(const graph_options& options) noexcept;
/// True when market-data paces the replay itself, polling the clock on its spinning worker
/// (a paced replay on worker_idle::spin); otherwise a paced replay has a pacer thread.
[[nodiscard]] inline bool paces_on_worker(const graph_options& options) noexcept {
  return options.speed > 0.0 && options.idle == worker_idle::spin;
}

class session_graph {
public:
  session_graph(const config::session_config& config, marketdata::event_source& source,
                engine::decision_sink* sink, risk::halt_gate* gate, graph_options options);
  ~session_graph();
  session_graph(const session_graph&) = delete;
  session_graph& operator=(const session_graph&) = delete;

  /// Starts the replay; returns at once.
  void start();
  /// Graceful stop (any thread): market data ends, every stage drains, the result is
  /// delivered as at the end of the data.
  void stop();
  /// Pulls the kill switch (any thread). The gate is closed before this returns.
  /// Returns the halt id, or 0 if the session was already halted. `requested_wall_ns`: the
  /// steady-clock instant the operator asked (e.g. in another process); 0 = now.
  std::uint64_t kill(halt_reason reason, std::string detail, std::int64_t requested_wall_ns = 0);
  /// Re-arms a halted session (audited) and resumes the replay if it is waiting.
  void rearm(std::string operator_id, std::string note);
  /// Blocks until `count` halts are fully acknowledged or `timeout_ns` passes; true if so.
  bool wait_halts(std::size_t count, std::int64_t timeout_ns);
  /// Blocks until every stage drained the end of the stream; returns the result. Call once.
  engine::session_result wait();
  /// Halts so far: completed ones, then the active one while stages still acknowledge it (a
  /// stage that ended before the halt reached it never does).
  [[nodiscard]] std::vector<halt_record> halts() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Runs a whole session through the actor graph (start + wait).
[[nodiscard]] engine::session_result run_graph(const config::session_config& config,
                                               marketdata::event_source& source,
                                               engine::decision_sink* sink, risk::halt_gate* gate,
                                               graph_options options = {});

}  // namespace peak::actors
