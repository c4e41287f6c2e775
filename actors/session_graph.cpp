#include "actors/session_graph.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/timespan.hpp>
#include <chrono>

#include "actors/batch_pool.hpp"
#include "actors/interfaces.hpp"
#include "infra/page_reserve.hpp"

namespace peak::actors {

std::size_t resolved_scheduler_threads(const graph_options& options) noexcept {
  if (options.scheduler_threads != 0)
    return options.scheduler_threads;
  return options.speed > 0.0 ? 1 : 2;
}

std::size_t resolved_max_throughput(const graph_options& options) noexcept {
  if (paces_on_worker(options))
    return 1;  // market-data polls the clock on the worker: each poll yields to the stages
  return options.max_throughput;
}

struct session_graph::impl {
  graph_context context;
  /// Declared before `system`, so it outlives the actor system and every actor using it.
  std::unique_ptr<batch_pool> batches;
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  kill_switch_actor kill_switch;
  std::future<engine::session_result> result;
  std::unique_ptr<replay_pacer> pacer;
  bool started = false;
};

session_graph::session_graph(const config::session_config& config, marketdata::event_source& source,
                             engine::decision_sink* sink, risk::halt_gate* gate,
                             graph_options options)
    : impl_(std::make_unique<impl>()) {
  auto& ctx = impl_->context;
  ctx.config = &config;
  ctx.source = &source;
  ctx.sink = sink;
  ctx.gate = gate;
  ctx.options = options;
  impl_->result = ctx.result.get_future();
  // Before any actor exists, and waited for (~30 ms the first time in a process, nothing
  // after), so the first orders' chunks are already written.
  if (options.prefault_headroom_bytes > 0 &&
      broker::page_reserve::instance().start(options.prefault_headroom_bytes))
    broker::page_reserve::instance().wait_ready(std::chrono::milliseconds(500));
  register_types(impl_->config);
  impl_->config.set("scheduler.max-threads", resolved_scheduler_threads(options));
  if (const std::size_t per_turn = resolved_max_throughput(options); per_turn > 0)
    impl_->config.set("scheduler.max-throughput", per_turn);
  if (options.idle == worker_idle::spin) {
    // Stay in the aggressive (no sleep) polling phase for ~10^12 polls, i.e. for good.
    impl_->config.set("work-stealing.aggressive-poll-attempts", std::size_t{1'000'000'000'000});
    impl_->config.set("work-stealing.moderate-sleep-duration", caf::timespan{0});
  }
  impl_->config.set("logger.console", caf::atom("none"));
  impl_->system = std::make_unique<caf::actor_system>(impl_->config);
  auto& sys = *impl_->system;
  impl_->batches = std::make_unique<batch_pool>(256);
  ctx.batches = impl_->batches.get();
  ctx.init_pending = 7;  // the seven actors below
  // Wire back to front: each stage knows its downstream neighbour and the kill switch.
  impl_->kill_switch = spawn_kill_switch(sys, &ctx);
  const auto& ks = impl_->kill_switch;
  ctx.reconciler = spawn_reconciler(sys, &ctx, ks);
  // Execution feeds terminal reports back to the risk gate through the context (set below,
  // before the replay starts, so before any message reaches execution).
  const stage_actor execution = spawn_execution(sys, &ctx, ctx.reconciler, ks);
  const stage_actor risk = spawn_risk_gate(sys, &ctx, execution, ks);
  ctx.risk_gate = risk;
  const stage_actor advisory = spawn_advisory(sys, &ctx, risk, ks);
  const stage_actor outlook = spawn_outlook(sys, &ctx, advisory, ks);
  ctx.market_data = spawn_market_data(sys, &ctx, outlook, ks);
  ctx.stages = {outlook, advisory, risk, execution, ctx.reconciler};
  if (options.speed > 0.0 && !paces_on_worker(options)) {
    impl_->pacer = std::make_unique<replay_pacer>(
        [md = ctx.market_data] { caf::anon_send(md, continue_atom::value); });
    ctx.pacer = impl_->pacer.get();
  }
  // Bounded: an actor whose init failed never counts itself off; the run then shows it.
  std::unique_lock<std::mutex> lock(ctx.init_mutex);
  ctx.init_done.wait_for(lock, std::chrono::seconds(30), [&ctx] { return ctx.init_pending == 0; });
}

session_graph::~session_graph() {
  if (impl_ && impl_->started && impl_->result.valid()) {
    impl_->result.wait();
    caf::anon_send_exit(impl_->kill_switch, caf::exit_reason::user_shutdown);
  }
  if (impl_ && impl_->pacer)
    impl_->pacer->stop();
  if (impl_ && impl_->system) {
    impl_->system->await_all_actors_done();
    impl_->system.reset();
  }
}

void session_graph::start() {
  impl_->started = true;
  caf::anon_send(impl_->context.market_data, start_atom::value);
}

void session_graph::stop() {
  caf::anon_send(impl_->context.market_data, stop_atom::value);
}

std::uint64_t session_graph::kill(halt_reason reason, std::string detail,
                                  std::int64_t requested_wall_ns) {
  return trigger_halt(impl_->context, impl_->kill_switch, reason, std::move(detail), 0,
                      requested_wall_ns);
}

void session_graph::rearm(std::string operator_id, std::string note) {
  rearm_command r;
  r.operator_id = std::move(operator_id);
  r.note = std::move(note);
  r.wall_ns = steady_now_ns();
  caf::anon_send(impl_->kill_switch, std::move(r));
}

bool session_graph::wait_halts(std::size_t count, std::int64_t timeout_ns) {
  auto& ctx = impl_->context;
  std::unique_lock<std::mutex> lock(ctx.halts_mutex);
  return ctx.halts_changed.wait_for(lock, std::chrono::nanoseconds(timeout_ns),
                                    [&] { return ctx.halts_completed >= count; });
}

engine::session_result session_graph::wait() {
  engine::session_result result = impl_->result.get();
  if (impl_->pacer)
    impl_->pacer->stop();  // market data has ended: nothing more to pace
  // Every stage has drained and quit; the kill switch outlives them (a halt can arrive until
  // the end), so stop it now.
  caf::anon_send_exit(impl_->kill_switch, caf::exit_reason::user_shutdown);
  impl_->system->await_all_actors_done();
  return result;
}

std::vector<halt_record> session_graph::halts() const {
  std::lock_guard<std::mutex> lock(impl_->context.halts_mutex);
  return impl_->context.halts;
}

engine::session_result run_graph(const config::session_config& config,
                                 marketdata::event_source& source, engine::decision_sink* sink,
                                 risk::halt_gate* gate, graph_options options) {
  session_graph graph(config, source, sink, gate, options);
  graph.start();
  return graph.wait();
}

}  // namespace peak::actors
