#include "broker/execution_engine.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "messages/fixed_text.hpp"
#include "risk/approval_issuer.hpp"

namespace peak::broker {

namespace {

constexpr std::int64_t ns_per_second = 1'000'000'000;
constexpr std::uint64_t local_report_base = 1ull << 62;  ///< local report ids live up here

void put_fixed(std::ostream& out, std::int64_t raw) {
  out << text::fixed_text(raw, text::fraction_digits::all);
}

}  // namespace

const char* reject_reason_name(std::uint16_t reject_code) noexcept {
  switch (reject_code) {
    case 0:
      return "";
    case reject_code_halted:
      return "halt_gate_closed";
    case reject_code_invalid_approval:
      return "invalid_approval";
    case reject_code_flatten_refused:
      return "flatten_refused";
    default:
      return "broker_rejected";
  }
}

std::int64_t order_record::average_price() const noexcept {
  if (filled <= 0)
    return 0;
  return fixed::saturate(static_cast<fixed::wide>(notional) * fixed_scale / filled);
}

execution_engine::execution_engine(broker_adapter& broker, const risk::halt_gate* gate)
    : execution_engine(broker, gate, execution_config{}) {}

execution_engine::execution_engine(broker_adapter& broker, const risk::halt_gate* gate,
                                   const execution_config& config)
    : broker_(broker),
      gate_(gate),
      config_(config),
      index_(config.expected_orders),
      fill_ids_(static_cast<std::size_t>(config.expected_orders) * 4) {
  records_.reserve(config_.expected_orders);
  open_.reserve(config_.expected_orders);
  fills_.reserve(static_cast<std::size_t>(config_.expected_orders) * 2);
  local_.reserve(256);
  inbox_.reserve(256);
  tokens_ = static_cast<std::int64_t>(config_.bucket_capacity) * ns_per_second;
}

bool execution_engine::gate_allows() const noexcept {
  return gate_ != nullptr && gate_->open();
}

bool execution_engine::flatten_allowed(const order_record& r) const noexcept {
  const submit_order& o = r.order;
  if (gate_ == nullptr || o.flatten_halt_id == 0 || gate_->open() ||
      gate_->halt_id() != o.flatten_halt_id)
    return false;
  // Position from the fills booked, less what the other open flatten orders will take off.
  // Runs only for flatten orders (after a halt), never on the normal order path.
  std::int64_t position = 0;
  std::int64_t pending = 0;
  for (const order_record& x : records_) {
    if (x.order.instrument != o.instrument)
      continue;
    const std::int64_t dir = x.order.direction == side::buy ? 1 : -1;
    position = fixed::add(position, dir * x.filled);
    if (&x != &r && x.order.flatten_halt_id != 0 && !is_terminal(x.state))
      pending = fixed::add(pending, dir * std::max<std::int64_t>(x.order.qty.raw - x.filled, 0));
  }
  const std::int64_t dir = o.direction == side::buy ? 1 : -1;
  const std::int64_t after = fixed::add(fixed::add(position, pending), dir * o.qty.raw);
  const std::int64_t before = fixed::add(position, pending);
  return before != 0 && (before > 0) != (dir > 0) && (after == 0 || (after > 0) == (before > 0));
}

void execution_engine::refuse_at_gate(order_record& r) {
  const bool flatten = r.order.flatten_halt_id != 0;
  const std::uint16_t code = flatten ? reject_code_flatten_refused : reject_code_halted;
  ++(flatten ? counters_.flatten_refused : counters_.halted_rejects);
  r.reject_code = code;
  apply_event(r, order_event::reject, now_);
  local_report(r, report_kind::rejected, code);
}

bool execution_engine::submit_checked(order_record& r) noexcept {
  if (r.order.flatten_halt_id != 0) {
    if (!flatten_allowed(r))
      return false;
    submit_order o = r.order;
    broker_.submit(o);
    return true;
  }
  // The permit brackets the hand-off: a close() that starts meanwhile waits for it, so once
  // the gate is closed no order is being handed over and none can start.
  const risk::halt_gate_permit permit(gate_);
  if (gate_ == nullptr || !permit.granted())
    return false;
  submit_order o = r.order;
  broker_.submit(o);
  return true;
}

void execution_engine::advance(timestamp_ns ts) noexcept {
  if (ts > now_)
    now_ = ts;
  const std::int64_t cap = static_cast<std::int64_t>(config_.bucket_capacity) * ns_per_second;
  if (!refill_known_) {
    refill_known_ = true;
    refill_at_ = now_;
    return;
  }
  if (now_ > refill_at_) {
    const fixed::wide add = static_cast<fixed::wide>(now_ - refill_at_) * config_.refill_per_second;
    tokens_ = fixed::saturate(std::min<fixed::wide>(cap, tokens_ + add));
    refill_at_ = now_;
  }
}

void execution_engine::enter(order_record& r, order_state s, timestamp_ns ts) noexcept {
  const auto bit = static_cast<std::uint16_t>(1u << static_cast<unsigned>(s));
  if ((r.entered_mask & bit) == 0) {
    r.entered_mask = static_cast<std::uint16_t>(r.entered_mask | bit);
    r.entered[static_cast<std::size_t>(s)] = ts;
  }
  if ((r.path_len == 0 || r.path[r.path_len - 1u] != s) && r.path_len < r.path.size())
    r.path[r.path_len++] = s;
  r.state = s;
}

bool execution_engine::apply_event(order_record& r, order_event e, timestamp_ns ts) noexcept {
  order_state next = r.state;
  if (!transition(r.state, e, next)) {
    ++counters_.illegal_transitions;
    ++counters_.illegal_by_pair[static_cast<std::size_t>(r.state) * order_event_count +
                                static_cast<std::size_t>(e)];
    ++r.refused;
    return false;
  }
  enter(r, next, ts);
  return true;
}

void execution_engine::local_report(const order_record& r, report_kind kind, std::uint16_t code) {
  execution_report rep;
  rep.client_order_id = r.order.client_order_id;
  rep.report_id = local_report_base + ++local_report_id_;
  rep.instrument = r.order.instrument;
  rep.direction = r.order.direction;
  rep.kind = kind;
  rep.reject_code = code;
  rep.ts_event = now_;
  rep.cum_qty = quantity{r.filled};
  rep.leaves_qty = quantity{0};
  local_.push_back(rep);
}

bool execution_engine::accept(const approved_order& a,
                              std::vector<execution_report>* out) noexcept {
  advance(a.order.ts_event);
  const submit_order& o = a.order;
  if (o.client_order_id == 0 || index_.find(o.client_order_id) >= 0) {
    ++counters_.duplicate_orders;  // the same order again: never a second one
    return false;
  }
  if (!risk::approval_issuer::verify(a) || o.qty.raw <= 0 || o.instrument == no_instrument) {
    ++counters_.invalid_approvals;
    order_record r;
    r.order = o;
    if (out != nullptr) {
      local_report(r, report_kind::rejected, reject_code_invalid_approval);
      move_local(*out);
    }
    return false;
  }
  const auto idx = static_cast<std::uint32_t>(records_.size());
  records_.emplace_back();
  order_record& r = records_.back();
  r.order = o;
  enter(r, order_state::new_order, now_);
  index_.insert(o.client_order_id, idx);
  if (o.flatten_halt_id != 0 ? !flatten_allowed(r) : !gate_allows()) {
    const std::size_t pending = local_.size();
    refuse_at_gate(r);
    if (out != nullptr)
      move_local(*out);
    else
      local_.resize(pending);  // the caller records the refusal itself
    return false;
  }
  open_.push_back(idx);
  const std::size_t pending = local_.size();
  if (!try_send(idx) && records_[idx].state == order_state::new_order)
    ++counters_.queued;
  const bool refused = records_[idx].state == order_state::rejected;  // gate closed meanwhile
  if (refused && out == nullptr)
    local_.resize(pending);  // the caller records the refusal itself
  else if (refused)
    move_local(*out);
  return !refused;
}

bool execution_engine::on_approved(const approved_order& order) noexcept {
  return accept(order, nullptr);
}

bool execution_engine::on_approved(const approved_order& order,
                                   std::vector<execution_report>& out) noexcept {
  return accept(order, &out);
}

void execution_engine::move_local(std::vector<execution_report>& out) {
  for (const auto& r : local_)
    out.push_back(r);
  local_.clear();
}

bool execution_engine::try_send(std::uint32_t idx) {
  order_record& r = records_[idx];
  if (r.state != order_state::new_order)
    return false;
  if (tokens_ < ns_per_second) {
    // Wait for the next token (event time).
    const std::int64_t rate = std::max<std::int64_t>(config_.refill_per_second, 1);
    set_deadline(r, now_ + (ns_per_second - tokens_ + rate - 1) / rate);
    return false;
  }
  if (!broker_.connected()) {
    set_deadline(r, now_ + config_.backoff_ns);  // nothing left: safe to try again later
    return false;
  }
  if (!submit_checked(r)) {
    refuse_at_gate(r);
    return false;
  }
  tokens_ -= ns_per_second;
  ++r.sends;
  ++counters_.orders_sent;
  if (r.order.flatten_halt_id != 0)
    ++counters_.flatten_sent;
  apply_event(r, order_event::send, now_);
  set_deadline(r, config_.ack_timeout_ns > 0 ? now_ + config_.ack_timeout_ns : -1);
  return true;
}

void execution_engine::run_timers() {
  if (now_ < earliest_deadline_)
    return;  // nothing is due: no scan of the open orders
  earliest_deadline_ = no_deadline;
  for (std::size_t k = 0; k < open_.size(); ++k) {
    const std::uint32_t idx = open_[k];
    const timestamp_ns due = records_[idx].deadline;
    if (due >= 0 && due <= now_)
      run_timer(idx);
    const timestamp_ns next = records_[idx].deadline;
    if (next >= 0 && next < earliest_deadline_)
      earliest_deadline_ = next;
  }
}

void execution_engine::run_timer(std::uint32_t idx) {
  order_record& r = records_[idx];
  if (r.state == order_state::new_order) {
    try_send(idx);
    return;
  }
  if (r.state != order_state::submitted && r.state != order_state::cancel_pending) {
    r.deadline = -1;
    return;
  }
  // Ack timeout: the outcome is ambiguous. Ask the venue; never guess.
  ++counters_.timeouts;
  if (!broker_.connected()) {
    set_deadline(r, now_ + config_.backoff_ns);
    return;
  }
  execution_report status;
  if (broker_.query_order(r.order.client_order_id, status)) {
    r.deadline = -1;
    const bool fill =
        status.kind == report_kind::partially_filled || status.kind == report_kind::filled;
    if (fill && status.cum_qty.raw > r.cum_seen)
      return;  // fills we have not been told of: wait for their reports / reconciler
    const order_state before = r.state;
    const bool still_open =
        status.kind == report_kind::accepted || status.kind == report_kind::partially_filled;
    if (r.state == order_state::cancel_pending && still_open) {
      // The venue still has it open: the cancel was lost. Repeating a cancel is safe.
      if (r.cancel_sends <= config_.max_resends) {
        cancel_order c;
        c.client_order_id = r.order.client_order_id;
        c.ts_event = now_;
        broker_.cancel(c);
        ++counters_.cancel_resends;
        const std::int64_t backoff = config_.backoff_ns
                                     << std::min<std::uint32_t>(r.cancel_sends, 20);
        ++r.cancel_sends;
        set_deadline(r, now_ + std::max(backoff, config_.ack_timeout_ns));
      } else {
        ++counters_.unresolved;
      }
      return;
    }
    if (!fill && apply_event(r, event_of(status.kind), now_)) {
      if (r.state != before) {
        ++counters_.settled_by_query;
        if (status.kind == report_kind::rejected)
          r.reject_code = status.reject_code;
        if (is_terminal(r.state)) {  // downstream must learn it is over (releases)
          execution_report rep = status;
          rep.report_id = local_report_base + ++local_report_id_;
          rep.cum_qty = quantity{r.filled};
          local_.push_back(rep);
        }
      }
    }
    return;
  }
  if (r.state == order_state::cancel_pending && r.reports == 0) {
    // We asked to cancel an order the venue never received (no report, unknown to the
    // status query): nothing can trade, so it is cancelled here. Should it surface later,
    // its fills arrive after a terminal state and the reconciler trips.
    r.deadline = -1;
    apply_event(r, order_event::cancel, now_);
    local_report(r, report_kind::cancelled, 0);
    ++counters_.settled_by_query;
    return;
  }
  if (r.state == order_state::submitted && r.sends <= config_.max_resends) {
    // The venue never got it: resending the same client id is safe (idempotent).
    if (!submit_checked(r)) {
      r.deadline = -1;
      return;  // halted: never resend; cancel_all / reconciliation settles it
    }
    ++counters_.resends;
    const std::int64_t backoff = config_.backoff_ns << std::min<std::uint32_t>(r.sends, 20);
    ++r.sends;
    set_deadline(r, now_ + std::max(backoff, config_.ack_timeout_ns));
    return;
  }
  ++counters_.unresolved;  // stays in flight until a report or reconciliation settles it
  r.deadline = -1;
}

void execution_engine::book(order_record& r, const execution_report& rep) {
  if (rep.cum_qty.raw != fixed::add(r.filled, rep.last_qty.raw))
    ++counters_.fill_gaps;  // out of order or a report missing before this one
  r.cum_seen = std::max(r.cum_seen, rep.cum_qty.raw);
  r.filled = fixed::add(r.filled, rep.last_qty.raw);
  r.notional = fixed::add(r.notional, fixed::notional(rep.last_px, rep.last_qty).raw);
  r.fees.raw = fixed::add(r.fees.raw, rep.fee.raw);
  fill_record f;
  f.ts_event = rep.ts_event;
  f.client_order_id = rep.client_order_id;
  f.intent_id = r.order.intent_id;
  f.broker_order_id = rep.broker_order_id;
  f.report_id = rep.report_id;
  f.instrument = rep.instrument;
  f.direction = rep.direction;
  f.qty = rep.last_qty;
  f.px = rep.last_px;
  f.fee = rep.fee;
  fills_.push_back(f);
}

void execution_engine::apply(const execution_report& rep) {
  const std::int64_t idx = index_.find(rep.client_order_id);
  if (idx < 0) {
    ++counters_.unknown_reports;
    return;
  }
  order_record& r = records_[static_cast<std::size_t>(idx)];
  if (rep.broker_order_id != 0)
    r.broker_order_id = rep.broker_order_id;
  const bool fill = rep.kind == report_kind::partially_filled || rep.kind == report_kind::filled;
  if (fill) {
    // A replayed fill is never booked twice: the venue's report id identifies it (reports
    // without one fall back to cum_qty, which only works when they arrive in order).
    const bool seen =
        rep.report_id != 0 ? fill_ids_.find(rep.report_id) >= 0 : rep.cum_qty.raw <= r.cum_seen;
    if (seen || rep.last_qty.raw <= 0) {
      ++counters_.duplicate_reports;
      ++r.refused;
      return;
    }
    if (is_terminal(r.state)) {
      // A fill delivered late, after the report that ended the order: legitimate when that
      // report already counted it (cum within the final cum) and it overfills nothing.
      if (rep.cum_qty.raw <= r.cum_seen &&
          fixed::add(r.filled, rep.last_qty.raw) <= r.order.qty.raw) {
        if (rep.report_id != 0)
          fill_ids_.insert(rep.report_id, 0);
        ++counters_.late_fills;
        ++r.reports;
        book(r, rep);
        return;
      }
      apply_event(r, event_of(rep.kind), rep.ts_event);  // refused and counted
      return;
    }
  }
  if (rep.kind == report_kind::accepted && r.state != order_state::submitted &&
      r.state != order_state::cancel_pending && !is_terminal(r.state)) {
    ++counters_.duplicate_reports;  // repeated or late ack of an order already trading
    ++r.refused;
    return;
  }
  if (!fill && is_terminal(r.state)) {
    order_state same = r.state;
    if (transition(order_state::submitted, event_of(rep.kind), same) && same == r.state) {
      ++counters_.duplicate_reports;  // the same terminal report again
      ++r.refused;
      return;
    }
  }
  if (!apply_event(r, event_of(rep.kind), rep.ts_event))
    return;
  ++r.reports;
  r.deadline = -1;
  if (rep.kind == report_kind::rejected)
    r.reject_code = rep.reject_code;
  if (!fill && is_terminal(r.state))
    r.cum_seen = std::max(r.cum_seen, rep.cum_qty.raw);  // fills it counts may still come
  if (fill) {
    if (rep.report_id != 0)
      fill_ids_.insert(rep.report_id, 0);
    book(r, rep);
  }
}

void execution_engine::prune_open() {
  open_.erase(std::remove_if(open_.begin(), open_.end(),
                             [&](std::uint32_t i) { return is_terminal(records_[i].state); }),
              open_.end());
}

std::size_t execution_engine::collect(std::vector<execution_report>& out) {
  const std::size_t before = out.size();
  for (const auto& r : local_)
    out.push_back(r);
  local_.clear();
  inbox_.clear();
  broker_.poll(inbox_);
  for (const auto& rep : inbox_) {
    apply(rep);
    out.push_back(rep);  // raw pass-through: the gate and reconciler see what the venue said
  }
  run_timers();
  for (const auto& r : local_)
    out.push_back(r);
  local_.clear();
  prune_open();
  return out.size() - before;
}

std::size_t execution_engine::on_market(const market_event& event,
                                        std::vector<execution_report>& out) {
  advance(event.ts_event);
  run_timers();  // queued sends go before the venue sees this event
  broker_.on_market(event);
  return collect(out);
}

std::size_t execution_engine::on_time(timestamp_ns now, std::vector<execution_report>& out) {
  advance(now);
  run_timers();
  market_event tick;
  tick.ts_event = now_;
  tick.instrument = no_instrument;  // a clock tick: adapters advance time only
  broker_.on_market(tick);
  return collect(out);
}

std::size_t execution_engine::drain(std::vector<execution_report>& out) {
  return collect(out);
}

bool execution_engine::cancel(std::uint64_t client_order_id, std::uint64_t causation_id,
                              timestamp_ns now) {
  advance(now);
  const std::int64_t idx = index_.find(client_order_id);
  if (idx < 0)
    return false;
  order_record& r = records_[static_cast<std::size_t>(idx)];
  if (r.state == order_state::new_order) {
    apply_event(r, order_event::cancel, now_);  // never left: cancelled locally
    local_report(r, report_kind::cancelled, 0);
    return true;
  }
  if (is_terminal(r.state) || r.state == order_state::cancel_pending)
    return false;
  if (!apply_event(r, order_event::cancel_request, now_))
    return false;
  cancel_order c;
  c.client_order_id = client_order_id;
  c.causation_id = causation_id;
  c.ts_event = now_;
  broker_.cancel(c);
  ++counters_.cancels_sent;
  ++r.cancel_sends;
  set_deadline(r, config_.ack_timeout_ns > 0 ? now_ + config_.ack_timeout_ns : -1);
  return true;
}

std::size_t execution_engine::cancel_all(std::uint64_t causation_id, timestamp_ns now) {
  std::size_t n = 0;
  for (std::size_t k = 0; k < open_.size(); ++k)
    if (cancel(records_[open_[k]].order.client_order_id, causation_id, now))
      ++n;
  prune_open();
  return n;
}

std::size_t execution_engine::restore(const std::vector<execution_report>& broker_open_orders) {
  std::size_t n = 0;
  for (const execution_report& s : broker_open_orders) {
    if (s.client_order_id == 0 || index_.find(s.client_order_id) >= 0)
      continue;
    const auto idx = static_cast<std::uint32_t>(records_.size());
    records_.emplace_back();
    order_record& r = records_.back();
    r.order.client_order_id = s.client_order_id;
    r.order.instrument = s.instrument;
    r.order.direction = s.direction;
    r.order.qty = quantity{fixed::add(s.cum_qty.raw, s.leaves_qty.raw)};
    r.order.ts_event = s.ts_event;
    r.broker_order_id = s.broker_order_id;
    r.filled = s.cum_qty.raw;
    r.cum_seen = s.cum_qty.raw;
    enter(r, order_state::submitted, s.ts_event);
    enter(r, s.cum_qty.raw > 0 ? order_state::partially_filled : order_state::accepted, s.ts_event);
    index_.insert(s.client_order_id, idx);
    open_.push_back(idx);
    ++n;
  }
  return n;
}

std::uint64_t execution_engine::orders_sent() const noexcept {
  return counters_.orders_sent;
}

std::size_t execution_engine::open_orders() const noexcept {
  std::size_t n = 0;
  for (const std::uint32_t i : open_)
    n += is_terminal(records_[i].state) ? 0u : 1u;
  return n;
}

const order_record* execution_engine::find(std::uint64_t client_order_id) const noexcept {
  const std::int64_t idx = index_.find(client_order_id);
  return idx < 0 ? nullptr : &records_[static_cast<std::size_t>(idx)];
}

void execution_engine::write_orders_csv(std::ostream& out) const {
  out << "client_order_id,intent_id,instrument,side,type,reduce_only,qty,limit";
  for (std::size_t s = 0; s < order_state_count; ++s)
    out << ',' << to_string(static_cast<order_state>(s)) << "_ns";
  out << ",filled_qty,average_price,fees,final_state,reject_code,reject_reason,sends,path\n";
  for (const order_record& r : records_) {
    const submit_order& o = r.order;
    out << o.client_order_id << ',' << o.intent_id << ',' << o.instrument << ','
        << (o.direction == side::buy ? "buy" : "sell") << ','
        << (o.type == order_type::market ? "market" : "limit") << ','
        << (o.reduce_only ? "true" : "false") << ',';
    put_fixed(out, o.qty.raw);
    out << ',';
    if (o.type == order_type::limit)
      put_fixed(out, o.limit.raw);
    for (std::size_t s = 0; s < order_state_count; ++s) {
      out << ',';
      if (r.entered_state(static_cast<order_state>(s)))
        out << r.entered[s];
    }
    out << ',';
    put_fixed(out, r.filled);
    out << ',';
    put_fixed(out, r.average_price());
    out << ',';
    put_fixed(out, r.fees.raw);
    out << ',' << to_string(r.state) << ',' << r.reject_code << ','
        << reject_reason_name(r.reject_code) << ',' << r.sends << ',';
    for (std::uint8_t i = 0; i < r.path_len; ++i)
      out << (i == 0 ? "" : ">") << to_string(r.path[i]);
    out << '\n';
  }
}

void execution_engine::write_trades_csv(std::ostream& out) const {
  out << "ts_event,client_order_id,intent_id,broker_order_id,report_id,instrument,side,qty,"
         "price,fee\n";
  for (const fill_record& f : fills_) {
    out << f.ts_event << ',' << f.client_order_id << ',' << f.intent_id << ',' << f.broker_order_id
        << ',' << f.report_id << ',' << f.instrument << ','
        << (f.direction == side::buy ? "buy" : "sell") << ',';
    put_fixed(out, f.qty.raw);
    out << ',';
    put_fixed(out, f.px.raw);
    out << ',';
    put_fixed(out, f.fee.raw);
    out << '\n';
  }
}

}  // namespace peak::broker
