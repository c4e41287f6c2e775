#pragma once
/// Shared shape of the pipeline stage actors: a stage actor carries batches to its engine
/// stage (engine/stages.hpp, where the routing lives) and sends what it emitted downstream as
/// one batch per turn; the stage's facts for the kill switch go out as messages.

#include <caf/mailbox_element.hpp>
#include <caf/message_id.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <memory>
#include <type_traits>

#include "actors/batch.hpp"
#include "actors/batch_pool.hpp"
#include "actors/interfaces.hpp"
#include "engine/stages.hpp"
#include "observability/metrics_recorder.hpp"

namespace peak::actors {

/// Sends `out` to `next` as one message, stamped for the latency probe when one is set.
/// Leaves `out` moved-from; false (nothing sent) when it holds no item.
template <class Self, class Handle>
bool send_batch(Self* self, const Handle& next, pipeline_batch& out, const graph_context& context) {
  if (out.items.empty())
    return false;
  if (context.options.probe != nullptr)
    out.sent_wall_ns = steady_now_ns();
  self->send(next, std::move(out));
  return true;
}

/// Records how many messages wait in `self`'s mailbox (no-op without metrics). Call from the
/// actor's own handlers only (it is the mailbox's single consumer): once per batch is enough.
template <class Self>
void sample_mailbox(Self* self, observability::session_metrics* metrics, peak::stage id) noexcept {
  if (metrics != nullptr)
    observability::record_mailbox_depth(*metrics, id, self->mailbox().size());
}

/// Base state of a stage actor around its engine stage `Core`. Derived states extend the
/// hooks (on_batch, end_turn, on_kill, on_rearm) where their stage needs more.
template <class Core>
struct stage_base : engine::control_sink {
  stage_base() = default;
  stage_base(const stage_base&) = delete;
  stage_base& operator=(const stage_base&) = delete;
  virtual ~stage_base() = default;
  stage_actor::pointer self = nullptr;
  graph_context* context = nullptr;
  stage_actor next;
  kill_switch_actor kill_switch;
  peak::stage id = peak::stage::outlook;
  observability::session_metrics* metrics = nullptr;
  std::uint32_t sample_countdown = 1;
  std::unique_ptr<Core> core;
  /// What this turn produced, sent downstream as one batch by end_turn().
  pipeline_batch out;
  /// Execution's second output: feedback for the risk gate (null for the other stages).
  pipeline_batch* feedback_out = nullptr;

  [[nodiscard]] engine::stage_output output() noexcept { return {&out, this, feedback_out}; }

  /// One item through the engine stage; a sampled event's handling time is recorded.
  template <class T>
  void handle(const T& x, engine::stage_output& to) {
    if constexpr (std::is_same_v<T, market_event>) {
      if (metrics != nullptr && --sample_countdown == 0) {
        sample_countdown = context->options.latency_sample_every;
        const std::int64_t t0 = steady_now_ns();
        core->handle(x, to);
        observability::record_stage_latency(*metrics, id, steady_now_ns() - t0);
        return;
      }
    }
    core->handle(x, to);
  }
  /// Handles a batch; false when it was kept to finish later (then it is not recycled).
  bool on_batch(pipeline_batch& in) {
    engine::stage_output to = output();
    for_each_item(in, [&](const auto& x) { handle(x, to); });
    return true;
  }
  /// Sends what this turn produced downstream. `spare` is storage to build the next batch in
  /// (the batch just consumed, emptied), so a steady flow reuses its buffers.
  void end_turn(pipeline_batch* spare = nullptr) {
    if (!send_batch(self, next, out, *context))
      return;
    if (spare != nullptr)
      out = std::move(*spare);
    clear(out);
  }
  /// Runs after end_turn(), so everything produced before it is already downstream.
  void on_end(const end_of_stream& x) {
    if (next)
      self->send(next, x);
    self->quit();
  }
  void on_kill(const kill_command& k) { acknowledge(k); }
  void on_rearm(const rearm_command& /*r*/) {}

  void acknowledge(const kill_command& k) {
    halt_acknowledged ack;
    ack.halt_id = k.halt_id;
    ack.from = id;
    ack.ack_wall_ns = steady_now_ns();
    self->send(kill_switch, ack);
  }

  // engine::control_sink: the stage's facts go to the kill switch.
  void halt_raised(const kill_command& k) override {
    // Enqueued on this worker: the kill switch runs right after this turn, ahead of the
    // market data already queued (a message from no actor would wait behind it).
    caf::actor_cast<caf::abstract_actor*>(kill_switch)
        ->enqueue(caf::make_mailbox_element(
                      nullptr, caf::make_message_id(caf::message_priority::high), {}, k),
                  self->context());
  }
  void halt_applied(const halt_acknowledged& ack) override { self->send(kill_switch, ack); }
  void settled(const cancels_settled& c) override { self->send(kill_switch, c); }
  void flattened(const flatten_done& f) override { self->send(kill_switch, f); }
};

/// Builds a stage actor's behavior from its state's hooks: a batch is handled item by item,
/// then whatever the stage produced leaves as one batch.
template <class State>
stage_actor::behavior_type stage_behavior(typename stage_actor::stateful_pointer<State> self) {
  return {
      [self](pipeline_batch& in) {
        auto& s = self->state;
        sample_mailbox(self, s.metrics, s.id);
        if (latency_probe* p = s.context->options.probe; p != nullptr && in.sent_wall_ns != 0)
          record_sample(p->hop[static_cast<std::size_t>(s.id)], p->dropped,
                        steady_now_ns() - in.sent_wall_ns);
        if (!s.on_batch(in)) {
          s.end_turn();  // `in` is kept to finish later (the risk gate waiting for feedback)
          return;
        }
        s.end_turn(&in);
        // Not reused for this stage's output (the last stage, or a turn that sent nothing):
        // back to the pool for market-data's next batch.
        if (s.context->batches != nullptr)
          s.context->batches->put(std::move(in));
      },
      [self](const end_of_stream& x) {
        self->state.end_turn();
        self->state.on_end(x);
      },
      [self](const kill_command& x) {
        self->state.on_kill(x);
        self->state.end_turn();
      },
      [self](const rearm_command& x) {
        self->state.on_rearm(x);
        self->state.end_turn();
      },
  };
}

/// Fills the base part of a stage state and builds its engine stage.
template <class State, class... Args>
void init_stage(typename stage_actor::stateful_pointer<State> self, graph_context* context,
                stage_actor next, kill_switch_actor kill_switch, peak::stage id, Args&&... args) {
  auto& s = self->state;
  s.self = self;
  s.context = context;
  s.next = std::move(next);
  s.kill_switch = std::move(kill_switch);
  s.id = id;
  s.metrics = context->options.metrics;
  s.sample_countdown = context->options.latency_sample_every;
  s.core = std::make_unique<typename std::decay_t<decltype(*s.core)>>(
      *context->config, std::forward<Args>(args)..., context->options.metrics);
}

}  // namespace peak::actors
