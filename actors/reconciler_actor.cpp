#include <algorithm>
#include <caf/actor_system.hpp>

#include "actors/stage_base.hpp"
#include "engine/format.hpp"
#include "engine/stages.hpp"
#include "messages/names.hpp"

namespace peak::actors {
namespace {

/// Reconciler: the end of the pipeline. Keeps the expected book, records every decision,
/// trips the kill switch on a broken invariant, and delivers the result at end of stream.
struct reconciler_state : stage_base {
  std::unique_ptr<engine::reconcile_stage> core;
  engine::tripwires limits;
  std::uint64_t credit_every = 2'048;
  timestamp_ns last_ts = 0;
  std::int64_t last_loss_check_second = -1;
  bool tripped = false;

  /// Daily-loss breach on the authoritative book pulls the kill switch.
  void check_daily_loss() {
    if (tripped || limits.max_daily_loss.raw <= 0)
      return;
    const money drop = core->daily_drawdown();
    if (drop.raw > limits.max_daily_loss.raw) {
      tripped = true;
      trigger_halt(*context, kill_switch, halt_reason::daily_loss,
                   "daily loss " + engine::format_fixed(drop.raw) + " above limit " +
                       engine::format_fixed(limits.max_daily_loss.raw),
                   last_ts, 0, self->context());
    }
  }

  std::uint64_t processed = 0;

  void on(const market_event& x) {
    last_ts = x.ts_event;
    core->on_market(x);
    // Flow-control credit back to market-data (a quarter of the window at a time).
    if (++processed % credit_every == 0)
      self->send(context->market_data, progress_atom::value, processed);
    const std::int64_t second = x.ts_event / 1'000'000'000;
    if (second != last_loss_check_second) {
      last_loss_check_second = second;
      check_daily_loss();
      if (metrics != nullptr)
        publish_account();
    }
  }
  void on(const outlook& x) { core->on_outlook(x); }
  void on(const trade_intent& x) { core->on_intent(x); }
  void on(const approved_order& x) { core->on_approved(x); }
  void on(const order_denied& x) { core->on_denied(x); }
  void on(const execution_report& x) {
    core->on_report(x);
    if (x.kind == report_kind::partially_filled || x.kind == report_kind::filled)
      check_daily_loss();
  }
  /// Account gauges (once per event-time second): PnL, equity, exposure, open positions.
  void publish_account() {
    const auto& book = core->book();
    const double equity = fixed::to_double(book.equity().raw);
    metrics->equity.set(equity);
    metrics->pnl.set(equity - fixed::to_double(context->config->broker.starting_cash.raw));
    double exposure_value = equity - fixed::to_double(book.cash().raw);
    metrics->exposure.set(exposure_value < 0 ? -exposure_value : exposure_value);
    metrics->open_positions.set(static_cast<double>(book.open_positions()));
  }

  void on(const account_snapshot& x) {
    const broker::reconcile_result res = core->on_broker_snapshot(x);
    if (metrics != nullptr) {
      metrics->reconcile_checks.inc();
      if (!res.ok)
        metrics->reconcile_mismatches.inc();
    }
    if (!res.ok && !tripped) {
      tripped = true;
      trigger_halt(*context, kill_switch, halt_reason::reconciler_tripwire, res.breach, last_ts, 0,
                   self->context());
    }
  }
  void on(const end_of_stream& /*x*/) {
    context->result.set_value(core->finish());
    self->quit();
  }
  void on(const kill_command& k) {
    std::string fields =
        "\"halt_id\":" + std::to_string(k.halt_id) + ",\"reason\":\"" + name_of(k.reason) + "\"";
    core->on_control("halt", last_ts, fields);
    acknowledge(k);
  }
  void on(const rearm_command& r) {
    std::string op;
    for (char ch : r.operator_id)
      op += (ch == '"' || ch == '\\') ? '\'' : ch;
    core->on_control("rearm", last_ts, "\"operator\":\"" + op + "\"");
  }
};

}  // namespace

stage_actor spawn_reconciler(caf::actor_system& system, graph_context* context,
                             kill_switch_actor kill_switch) {
  return system.spawn(
      [=](stage_actor::stateful_pointer<reconciler_state> self) -> stage_actor::behavior_type {
        init_stage<reconciler_state>(self, context, stage_actor{}, kill_switch, stage::reconciler);
        self->state.core = engine::make_reconcile_stage(*context->config, context->sink);
        self->state.limits = engine::make_tripwires(*context->config);
        self->state.credit_every = std::max<std::uint64_t>(1, context->options.max_in_flight / 4);
        mark_ready(*context);
        return stage_behavior<reconciler_state>(self);
      });
}

}  // namespace peak::actors
