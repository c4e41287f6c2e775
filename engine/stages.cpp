#include "engine/stages.hpp"

#include <algorithm>
#include <cmath>

#include "broker/null_broker.hpp"
#include "broker/paper_broker.hpp"
#include "engine/format.hpp"
#include "messages/names.hpp"
#include "observability/steady_clock.hpp"

namespace peak::engine {

using observability::steady_now_ns;

namespace {

marketdata::quality_config quality_settings(const config::session_config& config) {
  marketdata::quality_config q;
  q.gap_threshold_ns = config.market_data.gap_threshold_ns;
  q.stale_after_ns = config.market_data.stale_after_ns;
  q.jump_sigma = config.market_data.jump_sigma;
  return q;
}

broker::paper_broker_config paper_settings(const config::session_config& config) {
  broker::paper_broker_config p;
  p.latency_ns = config.broker.latency_ns;
  p.slippage_bps_x100 = std::llround(config.broker.slippage_bps * 100.0);
  p.fee_bps_x100 = std::llround(config.broker.fee_bps * 100.0);
  p.starting_cash = config.broker.starting_cash;
  p.partial_fills = config.broker.partial_fills;
  p.seed = config.session.seed;
  return p;
}

std::uint32_t instrument_count(const config::session_config& config) noexcept {
  return static_cast<std::uint32_t>(config.instruments.size());
}

bool is_shadow(const config::session_config& config) noexcept {
  return config.session.mode == config::session_mode::shadow;
}

}  // namespace

std::uint64_t session_tag(const config::session_config& config) noexcept {
  // FNV-1a over the session name and seed: stable across runs and machines.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (char c : config.session.name)
    mix(static_cast<unsigned char>(c));
  for (int i = 0; i < 8; ++i)
    mix(static_cast<unsigned char>(config.session.seed >> (8 * i)));
  return (h ^ (h >> 32)) & 0xFFFF'FFFFull;
}

kill_command close_gate(risk::halt_gate& gate, halt_reason reason, std::string detail,
                        timestamp_ns ts_event, std::int64_t requested_wall_ns) {
  const std::int64_t requested = requested_wall_ns != 0 ? requested_wall_ns : steady_now_ns();
  const std::uint64_t id = gate.next_halt_id();
  const bool first = gate.begin_close(id);
  const std::int64_t cut = steady_now_ns();
  gate.wait_idle();
  kill_command k;
  if (!first)
    return k;  // already halted: the first trigger owns the halt
  k.reason = reason;
  k.halt_id = gate.halt_id();
  k.trigger_wall_ns = requested;
  k.cut_wall_ns = cut;
  k.gate_closed_wall_ns = steady_now_ns();
  k.ts_event = ts_event;
  k.detail = std::move(detail);
  return k;
}

// ---- market-data ------------------------------------------------------------------------

market_data_stage::market_data_stage(const config::session_config& config,
                                     observability::session_metrics* metrics)
    : quality_(quality_settings(config), instrument_count(config)), metrics_(metrics) {}

void market_data_stage::handle(market_event& event, stage_output& out) noexcept {
  quality_.check(event);
  if (metrics_ != nullptr)
    observability::record_market_event(*metrics_, event.kind, event.quality);
  append(*out.downstream, event);
}

// ---- L2 outlook -------------------------------------------------------------------------

outlook_stage::outlook_stage(const config::session_config& config,
                             observability::session_metrics* metrics)
    : engine_(config.outlook, instrument_count(config)),
      metrics_(metrics),
      recorder_(config.instruments.size()) {}

void outlook_stage::handle(const market_event& event, stage_output& out) {
  outlook view;
  if (engine_.on_event(event, view)) {
    if (metrics_ != nullptr)
      recorder_.record(*metrics_, view.instrument, view.state, view.uncertainty, view.no_trade);
    append(*out.downstream, view);
  }
  append(*out.downstream, event);
}

// ---- L3 advisory ------------------------------------------------------------------------

advisory_stage::advisory_stage(const config::session_config& config,
                               observability::session_metrics* metrics)
    : engine_(config.strategies, config.instruments), metrics_(metrics) {
  intents_.reserve(64);
}

void advisory_stage::handle(const outlook& view, stage_output& out) {
  engine_.on_outlook(view);
  append(*out.downstream, view);
}

void advisory_stage::handle(const market_event& event, stage_output& out) {
  intents_.clear();
  engine_.on_event(event, intents_);
  append(*out.downstream, event);
  for (const trade_intent& intent : intents_) {
    if (metrics_ != nullptr && intent.strategy < metrics_->hypotheses.size())
      metrics_->hypotheses[intent.strategy].inc();
    append(*out.downstream, intent);
  }
}

// ---- L5 risk gate -----------------------------------------------------------------------

risk_stage::risk_stage(const config::session_config& config, const risk::halt_gate* gate,
                       observability::session_metrics* metrics)
    : gate_(config.risk, config.instruments, gate, session_tag(config)),
      metrics_(metrics),
      flatten_on_halt_(config.kill_switch.flatten_on_halt &&
                       config.session.mode == config::session_mode::paper),
      instruments_(instrument_count(config)) {
  pending_.reserve(4096);
}

void risk_stage::on_feedback(const pipeline_batch& feedback) {
  std::size_t at = 0;
  for_each_item(feedback, [&](const auto& x) {
    using T = std::decay_t<decltype(x)>;
    pending p;
    p.tag = at < feedback.tags.size() ? feedback.tags[at] : 0;
    ++at;
    if constexpr (std::is_same_v<T, execution_report>) {
      p.report = x;
      pending_.push_back(p);
    } else if constexpr (std::is_same_v<T, kill_command>) {
      halts_.push_back(x);
      p.halt = static_cast<std::uint32_t>(halts_.size());
      pending_.push_back(p);
    }
  });
  feedback_watermark_ = std::max(feedback_watermark_, feedback.watermark);
}

void risk_stage::apply_due(std::uint64_t event_index, stage_output& out) {
  while (pending_head_ < pending_.size() &&
         pending_[pending_head_].tag + feedback_lag_events <= event_index) {
    const pending& p = pending_[pending_head_++];
    if (p.halt != 0) {
      apply_halt(halts_[p.halt - 1], out);
    } else {
      last_ts_ = std::max(last_ts_, p.report.ts_event);
      gate_.on_report(p.report);
      try_flatten(out);
    }
  }
  if (pending_head_ == pending_.size()) {
    pending_.clear();
    halts_.clear();
    pending_head_ = 0;
  }
}

void risk_stage::handle(const market_event& event, stage_output& out) {
  apply_due(events_, out);
  ++events_;
  last_ts_ = std::max(last_ts_, event.ts_event);
  gate_.on_market(event);
  append(*out.downstream, event);
  try_flatten(out);
}

void risk_stage::handle(const trade_intent& intent, stage_output& out) {
  const risk::risk_decision decision = gate_.check(intent);
  if (metrics_ != nullptr) {
    if (decision.approved)
      observability::record_risk_approved(*metrics_);
    else
      observability::record_risk_denied(*metrics_, decision.denied.reason);
  }
  append(*out.downstream, intent);
  if (decision.approved)
    append(*out.downstream, decision.order);
  else
    append(*out.downstream, decision.denied);
}

void risk_stage::on_kill(const kill_command& k, stage_output& out) {
  if (!k.sequenced)
    apply_halt(k, out);
}

void risk_stage::apply_halt(const kill_command& k, stage_output& out) {
  if (k.halt_id <= applied_halt_)
    return;  // applied already (from outside, then in-band), or re-armed since
  applied_halt_ = k.halt_id;
  gate_.on_halt(k.halt_id);
  if (flatten_on_halt_ && flatten_halt_ == 0) {
    flatten_halt_ = k.halt_id;
    flatten_since_ = last_ts_;
    flatten_orders_ = 0;
    flatten_rounds_ = 0;
    // The books disagree with the broker: no position here can be trusted to flatten (a
    // "reducing" order could open one). Fail closed: leave them to the operator.
    flatten_skip_ = k.reason == halt_reason::reconciler_tripwire;
    try_flatten(out);  // nothing open: flatten at once (pending cancels: on their reports)
  }
}

void risk_stage::on_rearm() {
  flatten_halt_ = 0;  // trading resumes: any flatten order still in flight is refused
  for (const kill_command& k : halts_)  // halts still on their way are over too
    applied_halt_ = std::max(applied_halt_, k.halt_id);
  gate_.set_trading_state(risk::trading_state::active);
}

/// One flatten round, once every order the gate approved has ended at the broker: then its
/// committed book is the broker's position, and each instrument still holding one gets a
/// single reducing order. Runs on every event while flattening, so a refusal is retried.
void risk_stage::try_flatten(stage_output& out) {
  if (flatten_halt_ == 0)
    return;
  if (flatten_skip_) {
    finish_flatten(false, out);
    return;
  }
  if (gate_.tracked_orders() != 0)
    return;  // orders still open (the halt's cancels, or this round's flatten orders)
  bool flat = true;
  for (instrument_id i = 0; i < instruments_ && flat; ++i)
    flat = gate_.committed_position(i).raw == 0;
  if (flat || flatten_rounds_ >= max_flatten_rounds) {
    finish_flatten(flat, out);
    return;
  }
  bool issued = false;
  for (instrument_id i = 0; i < instruments_; ++i) {
    if (gate_.committed_position(i).raw == 0)
      continue;
    const risk::risk_decision d = gate_.check_flatten(i, flatten_halt_, last_ts_);
    if (d.approved) {
      ++flatten_orders_;
      issued = true;
      if (metrics_ != nullptr)
        observability::record_risk_approved(*metrics_);
      append(*out.downstream, d.order);
    }
  }
  if (issued)
    ++flatten_rounds_;
}

void risk_stage::finish_flatten(bool flat, stage_output& out) {
  flatten_done done;
  done.halt_id = flatten_halt_;
  done.halt_event_ns = flatten_since_;
  done.done_event_ns = std::max(last_ts_, flatten_since_);
  done.orders = flatten_orders_;
  done.flat = flat;
  flatten_halt_ = 0;
  if (out.control != nullptr)
    out.control->flattened(done);
}

// ---- execution --------------------------------------------------------------------------

/// The session's broker adapter as the execution engine sees it: every call goes straight
/// through; a submit is also told to the hand-off listener, if any.
class execution_stage::observed_broker final : public broker::broker_adapter {
public:
  explicit observed_broker(broker::broker_adapter& inner) noexcept : inner_(inner) {}
  void submit(const submit_order& order) override {
    if (listener_ != nullptr)
      listener_->on_handed_off(order);
    inner_.submit(order);
  }
  void cancel(const cancel_order& order) override { inner_.cancel(order); }
  void on_market(const market_event& event) override { inner_.on_market(event); }
  std::size_t poll(std::vector<execution_report>& out) override { return inner_.poll(out); }
  [[nodiscard]] account_snapshot snapshot() const override { return inner_.snapshot(); }
  void snapshot_into(account_snapshot& out) const override { inner_.snapshot_into(out); }
  [[nodiscard]] bool connected() const noexcept override { return inner_.connected(); }
  [[nodiscard]] bool query_order(std::uint64_t client_order_id,
                                 execution_report& out) const override {
    return inner_.query_order(client_order_id, out);
  }
  std::size_t open_orders(std::vector<execution_report>& out) const override {
    return inner_.open_orders(out);
  }
  handoff_listener* listener_ = nullptr;

private:
  broker::broker_adapter& inner_;
};

/// Broker round trip (with metrics, paper): stamps each hand-off to the broker adapter.
struct execution_stage::round_trip_clock final : handoff_listener {
  observability::round_trip_tracker tracker;
  void on_handed_off(const submit_order& order) noexcept override {
    tracker.on_handed_off(order.client_order_id, steady_now_ns());
  }
};

execution_stage::execution_stage(const config::session_config& config, risk::halt_gate* gate,
                                 observability::session_metrics* metrics)
    : shadow_(is_shadow(config)),
      gate_(gate),
      metrics_(metrics),
      limits_(make_tripwires(config)),
      book_(config.broker.starting_cash, instrument_count(config), is_shadow(config)) {
  if (shadow_) {
    broker_ = std::make_unique<broker::null_broker>(config.broker.starting_cash);
  } else {
    auto paper = std::make_unique<broker::paper_broker>(paper_settings(config),
                                                        instrument_count(config));
    paper_ = paper.get();
    for (std::size_t i = 0; i < config.broker.faults.size(); ++i)
      if (config.broker.faults[i] != 0)
        paper_->inject(static_cast<broker::fault>(i), config.broker.faults[i]);
    broker_ = std::move(paper);
  }
  observed_ = std::make_unique<observed_broker>(*broker_);
  engine_ = std::make_unique<broker::execution_engine>(*observed_, gate);
  reports_.reserve(256);
  if (metrics_ != nullptr && !shadow_) {
    round_trip_ = std::make_unique<round_trip_clock>();
    observed_->listener_ = round_trip_.get();
  }
}

execution_stage::~execution_stage() = default;

void execution_stage::set_handoff_listener(handoff_listener* listener) noexcept {
  observed_->listener_ = listener;
}

void execution_stage::feed_back(stage_output& out) {
  if (out.feedback != nullptr)
    out.feedback->tags.push_back(events_ == 0 ? 0 : events_ - 1);
}

/// A report goes downstream (recorder), to the tripwire book and back to the risk gate.
void execution_stage::emit_report(const execution_report& r, stage_output& out,
                                  std::int64_t now) {
  if (metrics_ != nullptr)
    observability::record_execution_report(*metrics_, r.kind);
  if (round_trip_ != nullptr)
    round_trip_->tracker.on_report(r.client_order_id, now, metrics_->broker_round_trip);
  append(*out.downstream, r);
  book_.on_report(r);
  if (out.feedback != nullptr) {
    append(*out.feedback, r);
    feed_back(out);
  }
}

void execution_stage::emit_reports(const std::vector<execution_report>& reports,
                                   stage_output& out) {
  const std::int64_t now = round_trip_ != nullptr && !reports.empty() ? steady_now_ns() : 0;
  for (const execution_report& r : reports)
    emit_report(r, out, now);
}

void execution_stage::handle(const market_event& event, stage_output& out) {
  ++events_;
  last_ts_ = event.ts_event;
  tick_wall_ns_ = event.wall_ns;
  if (limits_.stale_after_ns > 0 && !stale_tripped_ && previous_ts_ != 0 &&
      event.ts_event - previous_ts_ > limits_.stale_after_ns) {
    stale_tripped_ = true;
    trigger(halt_reason::stale_data,
            "market data silent for " + std::to_string((event.ts_event - previous_ts_) / 1'000'000) +
                " ms",
            event.ts_event, out);
  }
  previous_ts_ = event.ts_event;
  reports_.clear();
  engine_->on_market(event, reports_);
  book_.on_market(event);
  append(*out.downstream, event);
  bool filled = false;
  for (const execution_report& r : reports_) {
    if (r.kind == report_kind::partially_filled || r.kind == report_kind::filled)
      filled = true;
    if (r.kind == report_kind::rejected)
      ++rejects_in_row_;
    else if (r.kind == report_kind::accepted || r.kind == report_kind::partially_filled ||
             r.kind == report_kind::filled)
      rejects_in_row_ = 0;
  }
  emit_reports(reports_, out);
  report_settled_if_done(out);
  if (filled) {
    const account_snapshot snapshot = broker_->snapshot();
    append(*out.downstream, snapshot);
    const broker::reconcile_result res = book_.check(snapshot);
    if (metrics_ != nullptr) {
      metrics_->reconcile_checks.inc();
      if (!res.ok)
        metrics_->reconcile_mismatches.inc();
    }
    if (!res.ok && !book_tripped_) {
      book_tripped_ = true;
      trigger(halt_reason::reconciler_tripwire, res.breach, last_ts_, out);
    }
  }
  check_tripwires(event, filled, out);
}

void execution_stage::check_tripwires(const market_event& event, bool filled, stage_output& out) {
  const std::int64_t second = event.ts_event / 1'000'000'000;
  if ((filled || second != last_loss_second_) && !loss_tripped_ &&
      limits_.max_daily_loss.raw > 0) {
    last_loss_second_ = second;
    const money drop = book_.daily_drawdown();
    if (drop.raw > limits_.max_daily_loss.raw) {
      loss_tripped_ = true;
      trigger(halt_reason::daily_loss,
              "daily loss " + format_fixed(drop.raw) + " above limit " +
                  format_fixed(limits_.max_daily_loss.raw),
              last_ts_, out);
    }
  }
  if (!rejects_tripped_ && limits_.broker_reject_burst > 0 &&
      rejects_in_row_ >= limits_.broker_reject_burst) {
    rejects_tripped_ = true;
    trigger(halt_reason::broker_errors,
            std::to_string(rejects_in_row_) + " broker rejections in a row", last_ts_, out);
  }
}

void execution_stage::handle(const approved_order& order, stage_output& out) {
  const std::int64_t started = steady_now_ns();
  local_.clear();
  const bool sent = engine_->on_approved(order, local_);
  book_.on_approved(order.order);
  append(*out.downstream, order);
  if (!local_.empty()) {
    // A local rejection (gate closed, invalid seal) is a rejected order like a broker's.
    emit_report(local_.front(), out, 0);
    return;
  }
  if (!sent)
    return;
  if (shadow_) {
    // Nothing is sent in shadow mode; tell the risk gate the order is done as if filled (its
    // committed book already assumed the fill) so its open-order table stays free.
    if (metrics_ != nullptr)
      metrics_->orders_shadow_recorded.inc();
    if (out.feedback != nullptr) {
      execution_report r;
      r.client_order_id = order.order.client_order_id;
      r.instrument = order.order.instrument;
      r.direction = order.order.direction;
      r.kind = report_kind::filled;
      r.ts_event = order.order.ts_event;
      r.cum_qty = order.order.qty;
      append(*out.feedback, r);
      feed_back(out);
    }
    return;
  }
  const bool flatten = order.order.flatten_halt_id != 0;
  if (!flatten)  // flatten orders leave past the closed gate by design: not counted as "after"
    send_started_ns_[sends_++ % send_started_ns_.size()] = started;
  if (metrics_ != nullptr)
    observability::record_order_submitted(
        *metrics_, order.order.direction,
        flatten || tick_wall_ns_ <= 0 ? -1 : steady_now_ns() - tick_wall_ns_);
}

void execution_stage::trigger(halt_reason reason, std::string detail, timestamp_ns ts,
                              stage_output& out) {
  kill_command k = close_gate(*gate_, reason, std::move(detail), ts);
  if (k.halt_id == 0)
    return;  // already halted
  k.sequenced = true;
  if (out.control != nullptr)
    out.control->halt_raised(k);
  apply_halt(k, out);
}

void execution_stage::on_kill(const kill_command& k, stage_output& out) {
  if (k.halt_id > applied_halt_)
    apply_halt(k, out);
}

void execution_stage::apply_halt(const kill_command& k, stage_output& out) {
  applied_halt_ = k.halt_id;
  const auto open = static_cast<std::uint32_t>(engine_->open_orders());
  append(*out.downstream, k);  // recorded where it happened
  if (out.feedback != nullptr) {
    append(*out.feedback, k);
    feed_back(out);
  }
  reports_.clear();
  engine_->cancel_all(k.halt_id, last_ts_);
  engine_->drain(reports_);  // orders never sent are cancelled locally, at once
  timestamp_ns done = 0;
  for (const execution_report& r : reports_)
    if (r.kind == report_kind::cancelled)
      done = std::max(done, r.ts_event);
  emit_reports(reports_, out);
  halt_acknowledged ack;
  ack.halt_id = k.halt_id;
  ack.from = stage::execution;
  ack.orders_cancelled = open;
  ack.cancel_done_event_ns = done;
  const std::uint64_t kept = std::min<std::uint64_t>(sends_, send_started_ns_.size());
  for (std::uint64_t i = 0; i < kept; ++i)
    if (send_started_ns_[i] >= k.cut_wall_ns)
      ++ack.orders_after_trigger;  // a full ring of such sends is reported as its size
  ack.ack_wall_ns = steady_now_ns();
  settling_halt_ = k.halt_id;
  settling_since_ = last_ts_;
  settling_orders_ = open;
  if (out.control != nullptr)
    out.control->halt_applied(ack);
  report_settled_if_done(out);  // nothing was open, or every cancel was local
}

/// Tells the kill switch once every order open at the halt has ended (event time).
void execution_stage::report_settled_if_done(stage_output& out) {
  if (settling_halt_ == 0 || engine_->open_orders() != 0)
    return;
  cancels_settled c;
  c.halt_id = settling_halt_;
  c.halt_event_ns = settling_since_;
  c.settled_event_ns = std::max(last_ts_, settling_since_);
  c.orders = settling_orders_;
  settling_halt_ = 0;
  if (out.control != nullptr)
    out.control->settled(c);
}

// ---- reconciler -------------------------------------------------------------------------

reconcile_stage::reconcile_stage(const config::session_config& config, decision_sink* sink,
                                 observability::session_metrics* metrics)
    : recorder_(config.broker.starting_cash, instrument_count(config), sink, is_shadow(config)),
      metrics_(metrics),
      starting_cash_(config.broker.starting_cash) {}

void reconcile_stage::handle(const market_event& x, stage_output& /*out*/) {
  last_ts_ = x.ts_event;
  recorder_.on_market(x);
  const std::int64_t second = x.ts_event / 1'000'000'000;
  if (metrics_ != nullptr && second != last_second_) {
    last_second_ = second;
    publish_account();
  }
}

void reconcile_stage::handle(const account_snapshot& x, stage_output& /*out*/) {
  (void)recorder_.on_broker_snapshot(x);  // execution's tripwire acts on the same check
}

void reconcile_stage::handle(const kill_command& k, stage_output& /*out*/) {
  std::string fields = "\"halt_id\":";
  append_uint(fields, k.halt_id);
  fields += ",\"reason\":\"";
  fields += name_of(k.reason);
  fields += '"';
  recorder_.on_control("halt", last_ts_, fields);
}

void reconcile_stage::on_rearm(const rearm_command& r) {
  std::string op;
  for (char ch : r.operator_id)
    op += (ch == '"' || ch == '\\') ? '\'' : ch;
  recorder_.on_control("rearm", last_ts_, "\"operator\":\"" + op + "\"");
}

/// Account gauges (once per event-time second): PnL, equity, exposure, open positions.
void reconcile_stage::publish_account() {
  const auto& book = recorder_.book();
  const double equity = fixed::to_double(book.equity().raw);
  metrics_->equity.set(equity);
  metrics_->pnl.set(equity - fixed::to_double(starting_cash_.raw));
  const double exposure = equity - fixed::to_double(book.cash().raw);
  metrics_->exposure.set(exposure < 0 ? -exposure : exposure);
  metrics_->open_positions.set(static_cast<double>(book.open_positions()));
}

}  // namespace peak::engine
