#pragma once
/// Typed actor interfaces of the session graph and the context every actor shares.

#include <atomic>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <mutex>
#include <vector>

#include "actors/replay_pacer.hpp"
#include "actors/session_graph.hpp"
#include "actors/type_ids.hpp"
#include "observability/steady_clock.hpp"

namespace peak::actors {

class batch_pool;

/// Every pipeline stage after market-data speaks this interface. Pipeline messages travel in
/// batches (`pipeline_batch`, one mailbox operation for many messages); a stage handles each
/// item in order and forwards everything downstream in arrival order, so the last stage sees
/// the same sequence the reference loop produces. Control messages travel alone.
using stage_actor = caf::typed_actor<caf::reacts_to<pipeline_batch>, caf::reacts_to<end_of_stream>,
                                     caf::reacts_to<kill_command>, caf::reacts_to<rearm_command>>;

/// The market-data stage: replays its event source into the pipeline.
using market_data_actor =
    caf::typed_actor<caf::reacts_to<start_atom>, caf::reacts_to<continue_atom>,
                     caf::reacts_to<stop_atom>, caf::reacts_to<kill_command>,
                     caf::reacts_to<rearm_command>, caf::reacts_to<progress_atom, std::uint64_t>>;

/// The kill switch: closes the halt gate, halts every stage, collects acknowledgements.
using kill_switch_actor =
    caf::typed_actor<caf::reacts_to<kill_command>, caf::reacts_to<halt_acknowledged>,
                     caf::reacts_to<cancels_settled>, caf::reacts_to<flatten_done>,
                     caf::reacts_to<rearm_command>>;

/// Monotonic wall clock in nanoseconds (latency measurement only, never decisions).
using observability::steady_now_ns;

/// State shared by the actors of one session (owned by session_graph, outlives the actors).
struct graph_context {
  const config::session_config* config = nullptr;
  marketdata::event_source* source = nullptr;
  engine::decision_sink* sink = nullptr;
  risk::halt_gate* gate = nullptr;
  graph_options options;
  std::promise<engine::session_result> result;
  /// Halts completed so far (a copy of the kill switch's ledger, read by session_graph).
  std::mutex halts_mutex;
  std::vector<halt_record> halts;  ///< completed, then the active one (if any)
  std::size_t halts_completed = 0;
  std::condition_variable halts_changed;
  /// Actors whose state is not built yet. Each counts itself off at the end of its init
  /// (mark_ready); the graph's constructor waits for zero, so start() begins with every core
  /// built (tables allocated, broker faults armed) and none of that lands in the run.
  std::mutex init_mutex;
  std::condition_variable init_done;
  std::size_t init_pending = 0;
  /// Paced replays: wakes market-data off CAF's clock (null when not paced).
  replay_pacer* pacer = nullptr;
  /// Spent batches for reuse (actors/batch_pool.hpp; owned by the graph, may be null).
  batch_pool* batches = nullptr;
  /// Wiring, set before the replay starts (read by the kill switch).
  market_data_actor market_data;
  std::vector<stage_actor> stages;
  stage_actor reconciler;
  stage_actor risk_gate;
};

/// Called by every actor at the end of its initialisation.
inline void mark_ready(graph_context& context) {
  {
    std::lock_guard<std::mutex> lock(context.init_mutex);
    --context.init_pending;
  }
  context.init_done.notify_all();
}

/// Pulls the kill switch from outside the graph (any thread): closes the gate now (the
/// trigger instant), then asks the kill switch actor to halt every stage. Safe to call
/// repeatedly. Returns the halt id, or 0 when the gate was already closed. (Tripwires inside
/// the graph are raised by execution's engine stage, engine::control_sink::halt_raised.)
std::uint64_t trigger_halt(graph_context& context, const kill_switch_actor& kill_switch,
                           halt_reason reason, std::string detail, timestamp_ns ts_event,
                           std::int64_t requested_wall_ns = 0);

// Factories (one file each in actors/): every stage gets the context, its downstream
// neighbour and the kill switch it acknowledges halts to.
market_data_actor spawn_market_data(caf::actor_system& system, graph_context* context,
                                    stage_actor next, kill_switch_actor kill_switch);
stage_actor spawn_outlook(caf::actor_system& system, graph_context* context, stage_actor next,
                          kill_switch_actor kill_switch);
stage_actor spawn_advisory(caf::actor_system& system, graph_context* context, stage_actor next,
                           kill_switch_actor kill_switch);
stage_actor spawn_risk_gate(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch);
/// Execution also feeds terminal reports back to the risk gate (context->risk_gate).
stage_actor spawn_execution(caf::actor_system& system, graph_context* context, stage_actor next,
                            kill_switch_actor kill_switch);
stage_actor spawn_reconciler(caf::actor_system& system, graph_context* context,
                             kill_switch_actor kill_switch);
kill_switch_actor spawn_kill_switch(caf::actor_system& system, graph_context* context);

}  // namespace peak::actors
