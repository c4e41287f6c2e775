#include "engine/session_recorder.hpp"

#include <cstdlib>

#include "engine/format.hpp"
#include "messages/names.hpp"
#include "strategy/outlook_engine.hpp"

namespace peak::engine {
namespace {

constexpr std::int64_t minute_ns = 60'000'000'000;

void add_field(std::string& out, const char* key, std::int64_t v) {
  if (!out.empty())
    out += ',';
  out += '"';
  out += key;
  out += "\":";
  append_int(out, v);
}

void add_field_u(std::string& out, const char* key, std::uint64_t v) {
  if (!out.empty())
    out += ',';
  out += '"';
  out += key;
  out += "\":";
  append_uint(out, v);
}

/// Fixed-point values are written as exact decimal strings ("12.5").
void add_fixed(std::string& out, const char* key, std::int64_t raw) {
  if (!out.empty())
    out += ',';
  out += '"';
  out += key;
  out += "\":\"";
  append_fixed(out, raw);
  out += '"';
}

void add_text(std::string& out, const char* key, const char* v) {
  if (!out.empty())
    out += ',';
  out += '"';
  out += key;
  out += "\":\"";
  out += v;
  out += '"';
}

}  // namespace

session_recorder::session_recorder(money starting_cash, std::uint32_t instruments,
                                   decision_sink* sink, bool shadow)
    : reconciler_(starting_cash, instruments), sink_(sink), shadow_(shadow) {
  result_.starting_cash = starting_cash;
  fields_.reserve(512);
  no_trade_.assign(instruments, 0);
}

void session_recorder::audit(std::string_view type, timestamp_ns ts) {
  if (sink_ != nullptr)
    sink_->record(type, ts, fields_);
}

void session_recorder::sample_equity(timestamp_ns ts) {
  equity_row row;
  row.ts_event = ts;
  row.cash = reconciler_.cash();
  row.equity = reconciler_.equity();
  row.realised_pnl = reconciler_.realised_pnl();
  std::int64_t exposure = 0;
  // Exposure is equity minus cash for a long-only book; compute it from the marks instead.
  exposure = fixed::add(row.equity.raw, -row.cash.raw);
  row.exposure = money{exposure < 0 ? -exposure : exposure};
  ++result_.equity_rows;
  if (sink_ == nullptr || !sink_->stream_equity(row))
    result_.equity.push_back(row);
}

void session_recorder::on_market(const market_event& event) {
  auto& c = result_.counters;
  if (c.events == 0)
    c.first_event_ts = event.ts_event;
  ++c.events;
  c.last_event_ts = event.ts_event;
  ++c.events_by_kind[static_cast<std::size_t>(event.kind) & 3u];
  if (event.quality != 0) {
    ++c.events_flagged;
    for (unsigned bit = 0; bit < c.quality_flags.size(); ++bit)
      if ((event.quality >> bit) & 1u)
        ++c.quality_flags[bit];
  }
  reconciler_.on_market(event);
  last_ts_ = event.ts_event;
  const std::int64_t minute = event.ts_event / minute_ns;
  if (minute != last_sample_minute_) {
    last_sample_minute_ = minute;
    sample_equity(event.ts_event);
  }
}

void session_recorder::on_outlook(const outlook& view) {
  ++result_.counters.outlooks;
  if (view.instrument == no_instrument)
    return;
  if (view.instrument >= no_trade_.size())
    no_trade_.resize(static_cast<std::size_t>(view.instrument) + 1, 0);
  std::uint32_t& before = no_trade_[view.instrument];
  const std::uint32_t changed = before ^ view.no_trade;
  before = view.no_trade;
  // One record per trigger bit that was raised or cleared, lowest bit first (event time only).
  for (unsigned bit = 0; changed >> bit != 0; ++bit) {
    if (((changed >> bit) & 1u) == 0)
      continue;
    fields_.clear();
    add_field(fields_, "instrument", view.instrument);
    add_text(fields_, "trigger", strategy::no_trade_trigger_name(bit));
    add_text(fields_, "change", ((view.no_trade >> bit) & 1u) != 0 ? "raised" : "cleared");
    add_field_u(fields_, "no_trade", view.no_trade);
    audit("trigger", view.ts_event);
  }
}

void session_recorder::on_intent(const trade_intent& intent) {
  auto& c = result_.counters;
  ++c.intents;
  if (intent.kind == intent_kind::entry)
    ++c.entries;
  else
    ++c.exits;
  intent_strategy_.insert(intent.intent_id, intent.strategy);
  const auto& k = intent.checklist;
  fields_.clear();
  add_field_u(fields_, "intent_id", intent.intent_id);
  add_field(fields_, "strategy", intent.strategy);
  add_field(fields_, "instrument", intent.instrument);
  add_text(fields_, "kind", intent.kind == intent_kind::entry ? "entry" : "exit");
  add_text(fields_, "side", name_of(k.direction));
  add_fixed(fields_, "entry_reference", k.entry_reference.raw);
  add_fixed(fields_, "stop", k.stop.raw);
  add_fixed(fields_, "take_profit", k.take_profit.raw);
  add_fixed(fields_, "size", k.size.raw);
  add_fixed(fields_, "notional", k.notional.raw);
  add_text(fields_, "regime", name_of(k.assumed));
  add_field(fields_, "rule", k.rule);
  audit("hypothesis", intent.ts_event);
}

void session_recorder::on_approved(const approved_order& approved) {
  auto& c = result_.counters;
  ++c.approvals;
  const submit_order& o = approved.order;
  order_row row;
  row.client_order_id = o.client_order_id;
  row.intent_id = o.intent_id;
  const std::int64_t strategy = intent_strategy_.find(o.intent_id);
  row.strategy = strategy < 0 ? std::uint16_t{0} : static_cast<std::uint16_t>(strategy);
  row.instrument = o.instrument;
  row.direction = o.direction;
  row.type = o.type;
  row.reduce_only = o.reduce_only;
  row.qty = o.qty;
  row.limit = o.limit;
  row.ts_approved = o.ts_event;
  if (shadow_) {
    row.state = "not_sent";
    ++c.orders_recorded;
  } else {
    reconciler_.on_submit(o);  // every broker order must be known locally
  }
  order_index_.insert(o.client_order_id, static_cast<std::uint32_t>(result_.orders.size()));
  result_.orders.push_back(row);
  fields_.clear();
  add_field_u(fields_, "intent_id", o.intent_id);
  add_field_u(fields_, "decision_id", approved.approval.decision_id());
  add_field_u(fields_, "client_order_id", o.client_order_id);
  add_field(fields_, "instrument", o.instrument);
  add_text(fields_, "side", name_of(o.direction));
  add_text(fields_, "type", name_of(o.type));
  add_text(fields_, "reduce_only", o.reduce_only ? "true" : "false");
  add_fixed(fields_, "qty", o.qty.raw);
  add_text(fields_, "mode", shadow_ ? "shadow" : "paper");
  if (o.flatten_halt_id != 0)  // flatten-on-halt: a reducing order for this halt only
    add_field_u(fields_, "flatten_halt_id", o.flatten_halt_id);
  audit("risk_approved", o.ts_event);
}

void session_recorder::on_denied(const order_denied& denied) {
  auto& c = result_.counters;
  ++c.denials;
  ++c.denials_by_reason[static_cast<std::size_t>(denied.reason) % deny_reason_count];
  fields_.clear();
  add_field_u(fields_, "intent_id", denied.intent_id);
  add_field(fields_, "instrument", denied.instrument);
  add_text(fields_, "reason", name_of(denied.reason));
  add_fixed(fields_, "observed", denied.observed.raw);
  add_fixed(fields_, "limit", denied.limit.raw);
  audit("risk_denied", denied.ts_event);
}

void session_recorder::on_report(const execution_report& r) {
  auto& c = result_.counters;
  ++c.reports_by_kind[static_cast<std::size_t>(r.kind) % c.reports_by_kind.size()];
  if (r.kind == report_kind::rejected && is_local_reject(r.reject_code))
    ++local_rejects_;  // refused by execution before it left: never reached the broker
  reconciler_.on_report(r);
  const std::int64_t at = order_index_.find(r.client_order_id);
  order_row* row = at < 0 ? nullptr : &result_.orders[static_cast<std::size_t>(at)];
  const bool fill = r.kind == report_kind::partially_filled || r.kind == report_kind::filled;
  if (row != nullptr) {
    ++row->reports;
    row->state = name_of(r.kind);
    if (r.kind == report_kind::accepted && row->ts_accepted == 0)
      row->ts_accepted = r.ts_event;
    if (fill) {
      if (row->ts_first_fill == 0)
        row->ts_first_fill = r.ts_event;
      row->filled.raw = fixed::add(row->filled.raw, r.last_qty.raw);
      row->filled_notional.raw =
          fixed::add(row->filled_notional.raw, fixed::notional(r.last_px, r.last_qty).raw);
      row->fees.raw = fixed::add(row->fees.raw, r.fee.raw);
    }
    if (r.kind == report_kind::filled || r.kind == report_kind::cancelled ||
        r.kind == report_kind::rejected || r.kind == report_kind::expired)
      row->ts_done = r.ts_event;
    if (r.kind == report_kind::rejected)
      row->reject_code = r.reject_code;
  }
  if (fill && r.last_qty.raw != 0) {
    ++c.fills;
    trade_row t;
    t.seq = ++trade_seq_;
    t.ts_event = r.ts_event;
    t.client_order_id = r.client_order_id;
    t.intent_id = row != nullptr ? row->intent_id : 0;
    t.strategy = row != nullptr ? row->strategy : 0;
    t.instrument = r.instrument;
    t.direction = r.direction;
    t.qty = r.last_qty;
    t.px = r.last_px;
    t.fee = r.fee;
    t.position_after = reconciler_.position(r.instrument);
    t.cash_after = reconciler_.cash();
    result_.trades.push_back(t);
    sample_equity(r.ts_event);
  }
  fields_.clear();
  add_field_u(fields_, "client_order_id", r.client_order_id);
  add_field_u(fields_, "broker_order_id", r.broker_order_id);
  add_text(fields_, "kind", name_of(r.kind));
  add_text(fields_, "side", name_of(r.direction));
  add_fixed(fields_, "last_qty", r.last_qty.raw);
  add_fixed(fields_, "last_px", r.last_px.raw);
  add_fixed(fields_, "cum_qty", r.cum_qty.raw);
  add_fixed(fields_, "leaves_qty", r.leaves_qty.raw);
  add_fixed(fields_, "fee", r.fee.raw);
  add_field(fields_, "reject_code", r.reject_code);
  audit("order_event", r.ts_event);
}

broker::reconcile_result session_recorder::on_broker_snapshot(const account_snapshot& snapshot) {
  auto& c = result_.counters;
  ++c.reconcile_checks;
  broker::reconcile_result res = reconciler_.check(snapshot);
  if (!res.ok) {
    ++c.reconcile_mismatches;
    if (result_.tripwire.empty())
      result_.tripwire = res.breach;
    fields_.clear();
    std::string breach;
    for (char ch : res.breach)
      breach += (ch == '"' || ch == '\\') ? '\'' : ch;
    add_text(fields_, "breach", breach.c_str());
    audit("tripwire", snapshot.ts_event);
  }
  return res;
}

void session_recorder::on_control(std::string_view type, timestamp_ns ts_event,
                                  std::string_view fields_json) {
  if (sink_ != nullptr)
    sink_->record(type, ts_event, fields_json);
}

session_result session_recorder::finish() {
  if (!shadow_)
    result_.counters.orders_sent = result_.counters.approvals - local_rejects_;
  sample_equity(last_ts_);
  const account_snapshot book = reconciler_.expected();
  result_.final_cash = book.cash;
  result_.final_equity = reconciler_.equity();
  result_.realised_pnl = book.realised_pnl;
  result_.fees_paid = book.fees_paid;
  if (sink_ != nullptr)
    sink_->flush();
  return std::move(result_);
}

}  // namespace peak::engine
