#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <chrono>

#include "actors/batch.hpp"
#include "actors/batch_pool.hpp"
#include "actors/interfaces.hpp"
#include "actors/stage_base.hpp"
#include "engine/stages.hpp"
#include "observability/metrics_recorder.hpp"
#include "observability/steady_clock.hpp"

namespace peak::actors {
namespace {

/// market-data: pulls events from the source, flags quality faults and pushes them into the
/// pipeline as one `pipeline_batch` per turn (up to `replay_batch` events, fewer when paced
/// events are not yet due), yielding between turns so halts (high priority) get through.
/// Paced replay (speed > 0) waits in event time scaled to the wall clock.
struct market_data_state {
  market_data_actor::pointer self = nullptr;
  graph_context* context = nullptr;
  stage_actor next;
  kill_switch_actor kill_switch;
  std::unique_ptr<engine::market_data_stage> core;
  std::uint64_t emitted = 0;
  std::uint64_t acknowledged = 0;  ///< events the reconciler has processed
  bool waiting_for_credit = false;
  bool finished = false;
  bool have_pending = false;
  market_event pending;
  observability::session_metrics* metrics = nullptr;
  std::int64_t pace_wall_origin = 0;
  timestamp_ns pace_event_origin = 0;

  /// Events emitted in this turn, sent downstream as one batch.
  pipeline_batch out;

  /// Sends the events of this turn (nothing when there are none).
  void flush() {
    if (!send_batch(self, next, out, *context))
      return;
    clear(out);  // moved into the message: build the next batch in a spent one if any
    if (context->batches == nullptr || !context->batches->take(out)) {
      out.items.reserve(context->options.replay_batch);
      out.events.reserve(context->options.replay_batch);
    }
  }

  void finish(bool by_halt) {
    if (finished)
      return;
    finished = true;
    flush();
    self->send(next, end_of_stream{emitted, by_halt});
    self->quit();
  }

  /// Wall-clock nanoseconds to wait before `event` may be emitted (0 when due).
  std::int64_t pace_delay(const market_event& event) {
    const double speed = context->options.speed;
    if (speed <= 0.0)
      return 0;
    const std::int64_t now = steady_now_ns();
    if (pace_wall_origin == 0) {
      pace_wall_origin = now;
      pace_event_origin = event.ts_event;
    }
    const auto offset =
        static_cast<std::int64_t>(static_cast<double>(event.ts_event - pace_event_origin) / speed);
    const std::int64_t due = pace_wall_origin + offset;
    return due > now ? due - now : 0;
  }

  /// Spinning workers pace without a pacer thread: waits up to this long are polled on the
  /// worker; longer ones go to CAF's timer first, all but their last `poll_tail_ns`.
  static constexpr std::int64_t poll_window_ns = 2'000'000;
  static constexpr std::int64_t poll_tail_ns = 1'000'000;
  /// Longest spin inside one turn: how long a message from outside the graph (a kill, a stop)
  /// may wait for this worker behind a polling market-data.
  static constexpr std::int64_t spin_slice_ns = 50'000;

  /// Spins on the clock for `wait` ns, at most `spin_slice_ns`. Only on a turn that has emitted
  /// nothing: this poll was queued behind the stages' batches (one message per actor turn),
  /// so they have all run and the worker has nothing else to do.
  void spin_for(std::int64_t wait) noexcept {
    const std::int64_t until = steady_now_ns() + std::min(wait, spin_slice_ns);
    while (steady_now_ns() < until)
      observability::cpu_relax();
  }

  /// Runs the next batch once `wait` ns have passed. Sleeping workers: the pacer thread sends
  /// the wake-up. Spinning workers (paces_on_worker, no pacer): a message to itself, which
  /// queues behind the stages' batches, so the worker runs the pipeline in between; a long
  /// wait goes to CAF's timer.
  void wake_after(std::int64_t wait) {
    if (context->pacer != nullptr)
      context->pacer->wake_at(steady_now_ns() + wait);
    else if (wait <= poll_window_ns)
      self->send(self, continue_atom::value);
    else
      self->delayed_send(self, std::chrono::nanoseconds(wait - poll_tail_ns), continue_atom::value);
  }

  void run_batch() {
    if (finished)
      return;
    sample_mailbox(self, metrics, stage::market_data);
    const std::size_t batch = context->options.replay_batch;
    if (emitted - acknowledged >= context->options.max_in_flight) {
      waiting_for_credit = true;  // resumed by the reconciler's next progress report
      return;
    }
    engine::stage_output to{&out, nullptr, nullptr};
    for (std::size_t i = 0; i < batch; ++i) {
      if (!have_pending) {
        if (!context->source->next(pending)) {
          finish(false);
          return;
        }
        have_pending = true;
      }
      std::int64_t wait = pace_delay(pending);
      if (wait > 0 && wait <= poll_window_ns && out.items.empty() &&
          paces_on_worker(context->options)) {
        spin_for(wait);
        wait = pace_delay(pending);
      }
      if (wait > 0) {
        flush();  // the due events go first; then ask to be woken for this one
        wake_after(wait);
        return;
      }
      pending.wall_ns = steady_now_ns();
      core->handle(pending, to);
      have_pending = false;
      ++emitted;
    }
    flush();
    self->send(self, continue_atom::value);
  }
};

}  // namespace

market_data_actor spawn_market_data(caf::actor_system& system, graph_context* context,
                                    stage_actor next, kill_switch_actor kill_switch) {
  return system.spawn([=](market_data_actor::stateful_pointer<market_data_state> self)
                          -> market_data_actor::behavior_type {
    auto& s = self->state;
    s.self = self;
    s.context = context;
    s.next = next;
    s.kill_switch = kill_switch;
    s.metrics = context->options.metrics;
    s.core = std::make_unique<engine::market_data_stage>(*context->config, s.metrics);
    mark_ready(*context);
    return {
        [self](start_atom) { self->state.run_batch(); },
        [self](continue_atom) { self->state.run_batch(); },
        [self](stop_atom) { self->state.finish(false); },
        [self](progress_atom, std::uint64_t processed) {
          auto& st = self->state;
          st.acknowledged = std::max(st.acknowledged, processed);
          if (st.waiting_for_credit) {
            st.waiting_for_credit = false;
            st.run_batch();
          }
        },
        [self](const kill_command& k) {
          auto& st = self->state;
          halt_acknowledged ack;
          ack.halt_id = k.halt_id;
          ack.from = stage::market_data;
          ack.ack_wall_ns = steady_now_ns();
          self->send(st.kill_switch, ack);
          if (st.context->options.end_on_halt)
            st.finish(true);
        },
        [](const rearm_command& /*r*/) {
          // Market data keeps flowing through a halt; nothing to resume.
        },
    };
  });
}

}  // namespace peak::actors
