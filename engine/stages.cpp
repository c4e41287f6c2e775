#include "engine/stages.hpp"

#include <cmath>

#include "broker/null_broker.hpp"
#include "broker/paper_broker.hpp"

namespace peak::engine {

// The recorder names execution's local reject codes without depending on broker/.
static_assert(reject_code_halted == broker::reject_code_halted);
static_assert(reject_code_invalid_approval == broker::reject_code_invalid_approval);
static_assert(reject_code_flatten_refused == broker::reject_code_flatten_refused);
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

market_data_stage::market_data_stage(const config::session_config& config)
    : quality_(quality_settings(config), static_cast<std::uint32_t>(config.instruments.size())) {}

outlook_stage::outlook_stage(const config::session_config& config)
    : engine_(config.outlook, static_cast<std::uint32_t>(config.instruments.size())) {}

advisory_stage::advisory_stage(const config::session_config& config)
    : engine_(config.strategies, config.instruments) {
  out_.reserve(64);
}

const std::vector<trade_intent>& advisory_stage::on_event(const market_event& event) {
  out_.clear();
  engine_.on_event(event, out_);
  return out_;
}

namespace {
/// The actor graph lets the risk gate run up to a flow-control window ahead of execution's
/// reports; its open-order table is sized so that lag never fills it.
risk::risk_limits gate_limits(const config::session_config& config) {
  risk::risk_limits l = config.risk;
  l.max_tracked_orders = 16'384;
  return l;
}
}  // namespace

risk_stage::risk_stage(const config::session_config& config, const risk::halt_gate* gate)
    : gate_(gate_limits(config), config.instruments, gate, session_tag(config)) {}

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

execution_stage::execution_stage(const config::session_config& config, const risk::halt_gate* gate)
    : shadow_(config.session.mode == config::session_mode::shadow) {
  if (shadow_) {
    broker_ = std::make_unique<broker::null_broker>(config.broker.starting_cash);
  } else {
    auto paper = std::make_unique<broker::paper_broker>(
        paper_settings(config), static_cast<std::uint32_t>(config.instruments.size()));
    paper_ = paper.get();
    broker_ = std::move(paper);
  }
  observed_ = std::make_unique<observed_broker>(*broker_);
  engine_ = std::make_unique<broker::execution_engine>(*observed_, gate);
  gate_ = gate;
  reports_.reserve(256);
}

execution_stage::~execution_stage() = default;

void execution_stage::set_handoff_listener(handoff_listener* listener) noexcept {
  observed_->listener_ = listener;
}

const std::vector<execution_report>& execution_stage::on_market(const market_event& event) {
  reports_.clear();
  last_ts_ = event.ts_event;
  engine_->on_market(event, reports_);
  snapshot_due_ = false;
  for (const execution_report& r : reports_) {
    if (r.kind == report_kind::partially_filled || r.kind == report_kind::filled)
      snapshot_due_ = true;
    if (r.kind == report_kind::rejected)
      ++rejects_in_row_;
    else if (r.kind == report_kind::accepted || r.kind == report_kind::partially_filled ||
             r.kind == report_kind::filled)
      rejects_in_row_ = 0;
  }
  return reports_;
}

approval_outcome execution_stage::on_approved(const approved_order& order) noexcept {
  approval_outcome out;
  local_.clear();
  out.sent = engine_->on_approved(order, local_);
  if (!local_.empty()) {
    out.local_reject = true;
    out.report = local_.front();
  } else if (out.sent && shadow_) {
    // Nothing is sent in shadow mode; tell the risk gate the order is done as if filled
    // (its committed book already assumed the fill) so its open-order table stays free.
    out.gate_release = true;
    out.report.client_order_id = order.order.client_order_id;
    out.report.instrument = order.order.instrument;
    out.report.direction = order.order.direction;
    out.report.kind = report_kind::filled;
    out.report.ts_event = order.order.ts_event;
    out.report.cum_qty = order.order.qty;
  }
  return out;
}

const std::vector<execution_report>& execution_stage::cancel_all(std::uint64_t halt_id,
                                                                 timestamp_ns now) {
  reports_.clear();
  engine_->cancel_all(halt_id, now == 0 ? last_ts_ : now);
  engine_->drain(reports_);  // orders never sent are cancelled locally, at once
  return reports_;
}

tripwires make_tripwires(const config::session_config& config) noexcept {
  tripwires t;
  t.max_daily_loss = config.risk.max_daily_loss;
  t.stale_after_ns = config.market_data.stale_after_ns;
  return t;
}

std::unique_ptr<reconcile_stage> make_reconcile_stage(const config::session_config& config,
                                                      decision_sink* sink) {
  return std::make_unique<reconcile_stage>(
      config.broker.starting_cash, static_cast<std::uint32_t>(config.instruments.size()), sink,
      config.session.mode == config::session_mode::shadow);
}

}  // namespace peak::engine
