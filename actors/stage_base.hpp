#pragma once
/// Shared shape of the pipeline stage actors: every message is forwarded downstream unless
/// the stage overrides its handler, in batches; halts are acknowledged to the kill switch.

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/batch.hpp"
#include "actors/batch_pool.hpp"
#include "actors/interfaces.hpp"
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

/// Base state of a stage actor. Derived states hide the `on` overloads they handle
/// (with `using stage_base::on;` for the rest).
struct stage_base {
  stage_actor::pointer self = nullptr;
  graph_context* context = nullptr;
  stage_actor next;
  kill_switch_actor kill_switch;
  peak::stage id = peak::stage::outlook;
  observability::session_metrics* metrics = nullptr;
  std::uint32_t sample_countdown = 1;

  /// True on the events whose stage latency is sampled.
  bool sample_latency() noexcept {
    if (metrics == nullptr || --sample_countdown != 0)
      return false;
    sample_countdown = context->options.latency_sample_every;
    return true;
  }
  /// Records this stage's processing time of a sampled event.
  void record_latency(std::int64_t started_ns) noexcept {
    observability::record_stage_latency(*metrics, id, steady_now_ns() - started_ns);
  }

  /// Pipeline messages produced in this turn, sent downstream as one batch by end_turn().
  pipeline_batch out;

  template <class T>
  void forward(const T& x) {
    append(out, x);
  }
  /// Sends what this turn produced downstream. `spare` is storage to build the next batch in
  /// (the batch just consumed, emptied), so a steady flow reuses its buffers.
  void flush(pipeline_batch* spare = nullptr) {
    if (!send_batch(self, next, out, *context))
      return;
    if (spare != nullptr)
      out = std::move(*spare);
    clear(out);
  }
  /// Called after every message this stage handles; stages with a second output extend it.
  void end_turn(pipeline_batch* spare = nullptr) { flush(spare); }

  void on(const market_event& x) { forward(x); }
  void on(const outlook& x) { forward(x); }
  void on(const trade_intent& x) { forward(x); }
  void on(const approved_order& x) { forward(x); }
  void on(const order_denied& x) { forward(x); }
  void on(const execution_report& x) { forward(x); }
  void on(const account_snapshot& x) { forward(x); }
  /// Runs after end_turn(), so everything produced before it is already downstream.
  void on(const end_of_stream& x) {
    if (next)
      self->send(next, x);
    self->quit();
  }
  void on(const kill_command& k) { acknowledge(k); }
  void on(const rearm_command& /*r*/) {}

  void acknowledge(const kill_command& k, std::uint32_t cancelled = 0, timestamp_ns cancel_done = 0,
                   std::uint64_t after_trigger = 0) {
    halt_acknowledged ack;
    ack.halt_id = k.halt_id;
    ack.from = id;
    ack.ack_wall_ns = steady_now_ns();
    ack.orders_cancelled = cancelled;
    ack.cancel_done_event_ns = cancel_done;
    ack.orders_after_trigger = after_trigger;
    self->send(kill_switch, ack);
  }
};

/// Records how many messages wait in `self`'s mailbox (no-op without metrics). Call from the
/// actor's own handlers only (it is the mailbox's single consumer): once per batch is enough.
template <class Self>
void sample_mailbox(Self* self, observability::session_metrics* metrics, peak::stage id) noexcept {
  if (metrics != nullptr)
    observability::record_mailbox_depth(*metrics, id, self->mailbox().size());
}

/// Builds a stage actor's behavior from its state's `on` overloads: a batch is handled item
/// by item, then whatever the stage produced leaves as one batch.
template <class State>
stage_actor::behavior_type stage_behavior(typename stage_actor::stateful_pointer<State> self) {
  return {
      [self](pipeline_batch& in) {
        auto& s = self->state;
        sample_mailbox(self, s.metrics, s.id);
        if (latency_probe* p = s.context->options.probe; p != nullptr && in.sent_wall_ns != 0)
          record_sample(p->hop[static_cast<std::size_t>(s.id)], p->dropped,
                        steady_now_ns() - in.sent_wall_ns);
        for_each_item(in, [&s](const auto& x) { s.on(x); });
        s.end_turn(&in);
        // Not reused for this stage's output (the last stage, or a turn that sent nothing):
        // back to the pool for market-data's next batch.
        if (s.context->batches != nullptr)
          s.context->batches->put(std::move(in));
      },
      [self](const end_of_stream& x) {
        self->state.end_turn();
        self->state.on(x);
      },
      [self](const kill_command& x) {
        self->state.on(x);
        self->state.end_turn();
      },
      [self](const rearm_command& x) {
        self->state.on(x);
        self->state.end_turn();
      },
  };
}

/// Fills the base part of a stage state.
template <class State>
void init_stage(typename stage_actor::stateful_pointer<State> self, graph_context* context,
                stage_actor next, kill_switch_actor kill_switch, peak::stage id) {
  auto& s = self->state;
  s.self = self;
  s.context = context;
  s.next = std::move(next);
  s.kill_switch = std::move(kill_switch);
  s.id = id;
  s.metrics = context->options.metrics;
  s.sample_countdown = context->options.latency_sample_every;
}

}  // namespace peak::actors
