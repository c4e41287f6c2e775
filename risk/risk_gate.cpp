#include "risk/risk_gate.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "risk/approval_issuer.hpp"

namespace peak::risk {

namespace {

constexpr std::int64_t ns_per_day = 86'400'000'000'000;
constexpr std::int64_t ns_per_second = 1'000'000'000;
constexpr std::int64_t ns_per_minute = 60 * ns_per_second;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

constexpr std::int64_t abs_sat(std::int64_t v) noexcept {
  return v >= 0 ? v
                : (v == std::numeric_limits<std::int64_t>::min()
                       ? std::numeric_limits<std::int64_t>::max()
                       : -v);
}

/// v / fixed_scale, truncated toward zero, saturating; 64-bit division when it fits
/// (a 128-bit division is a slow library call).
constexpr std::int64_t scale_down(fixed::wide v) noexcept {
  if (v >= std::numeric_limits<std::int64_t>::min() &&
      v <= std::numeric_limits<std::int64_t>::max())
    return static_cast<std::int64_t>(v) / fixed_scale;
  return fixed::saturate(v / fixed_scale);
}

constexpr std::int64_t mul_px(std::int64_t qty, std::int64_t px) noexcept {
  return scale_down(static_cast<fixed::wide>(qty) * px);
}

constexpr bool is_terminal(report_kind k) noexcept {
  return k == report_kind::filled || k == report_kind::cancelled || k == report_kind::rejected ||
         k == report_kind::expired;
}

}  // namespace

risk_gate::risk_gate(const risk_limits& limits, std::vector<instrument_spec> instruments,
                     const halt_gate* gate, std::uint64_t session_tag)
    : limits_(limits),
      instruments_(std::move(instruments)),
      books_(instruments_.size()),
      gate_(gate),
      session_tag_(session_tag) {
  tracked_.reserve(limits_.max_tracked_orders);
  const std::uint32_t ring =
      std::max<std::uint32_t>({limits_.max_orders_per_second, limits_.max_orders_per_minute, 1u});
  approval_times_.assign(ring, 0);
}

void risk_gate::advance(timestamp_ns ts) noexcept {
  if (ts > now_)
    now_ = ts;
  const std::int64_t shifted = fixed::add(now_, limits_.trading_day_offset_ns);
  if (day_known_ && shifted < next_day_at_)
    return;  // same trading day (now_ never goes back)
  const std::int64_t day = floor_div(shifted, ns_per_day);
  next_day_at_ = fixed::saturate(static_cast<fixed::wide>(day + 1) * ns_per_day);
  if (!day_known_ || day != day_) {
    day_ = day;
    day_known_ = true;
    day_start_value_ = book_value();
  }
}

void risk_gate::on_market(const market_event& event) noexcept {
  advance(event.ts_event);
  if (event.instrument >= books_.size())
    return;
  instrument_state& b = books_[event.instrument];
  if ((event.quality & (quality_bad_price | quality_crossed)) != 0)
    return;  // never marks or refreshes from a price flagged as bad
  if (b.has_data && event.ts_event < b.last_update)
    return;  // out of order: keeps the newer reference
  switch (event.kind) {
    case event_kind::trade:
    case event_kind::bar:
      if (event.px.raw <= 0 || event.px.raw > max_sane_raw)
        return;
      b.last_trade = event.px;
      b.mark = event.px;
      break;
    case event_kind::quote:
      if (event.bid.raw <= 0 || event.ask.raw <= 0 || event.bid.raw > event.ask.raw ||
          event.ask.raw > max_sane_raw)
        return;
      b.bid = event.bid;
      b.ask = event.ask;
      b.mark = price{(event.bid.raw + event.ask.raw) / 2};
      break;
    case event_kind::book:
      return;  // one level of a book is no reference price
  }
  b.last_update = event.ts_event;
  b.has_data = true;
}

std::int64_t risk_gate::book_value() const noexcept {
  fixed::wide v = 0;
  for (const instrument_state& b : books_)
    if (b.position != 0)
      v += static_cast<fixed::wide>(b.position) * b.mark.raw;
  return fixed::add(committed_cash_, scale_down(v));
}

std::int64_t risk_gate::exposure_with(instrument_id instrument,
                                      std::int64_t new_position) const noexcept {
  fixed::wide v = 0;
  for (std::size_t i = 0; i < books_.size(); ++i) {
    const std::int64_t pos = i == instrument ? new_position : books_[i].position;
    if (pos != 0)
      v += static_cast<fixed::wide>(abs_sat(pos)) * books_[i].mark.raw;
  }
  return scale_down(v);
}

bool risk_gate::rate_exceeded(std::uint32_t limit, std::int64_t window_ns) const noexcept {
  if (limit == 0)
    return true;
  if (approval_count_ < limit)
    return false;
  const std::size_t cap = approval_times_.size();
  const std::size_t idx = (approval_head_ + cap - limit) % cap;  // limit-th most recent
  return approval_times_[idx] > now_ - window_ns;
}

risk_decision risk_gate::deny(risk_decision& d, deny_reason reason, std::int64_t observed,
                              std::int64_t limit) noexcept {
  d.approved = false;
  d.denied.reason = reason;
  d.denied.observed = money{observed};
  d.denied.limit = money{limit};
  ++denials_[static_cast<std::size_t>(reason)];
  return d;
}

risk_decision risk_gate::check(const trade_intent& intent) noexcept {
  risk_decision d;
  d.denied.intent_id = intent.intent_id;
  d.denied.instrument = intent.instrument;
  d.denied.ts_event = intent.ts_event;
  advance(intent.ts_event);

  // 1. Kill switch and trading state come first: nothing else matters when halted.
  if (gate_ == nullptr || halt_id_ != 0)
    return deny(d, deny_reason::kill_switch, 0, 0);
  if (state_ == trading_state::halted)
    return deny(d, deny_reason::trading_state_halted, 0, 0);
  if (intent.instrument >= books_.size())
    return deny(d, deny_reason::unknown_instrument, 0, 0);

  // 2. The order itself must make sense.
  const risk_checklist& c = intent.checklist;
  const std::int64_t ref = c.entry_reference.raw;
  if (c.size.raw <= 0 || c.size.raw > max_sane_raw || ref <= 0 || ref > max_sane_raw ||
      (c.direction != side::buy && c.direction != side::sell) ||
      (intent.kind != intent_kind::entry && intent.kind != intent_kind::exit))
    return deny(d, deny_reason::invalid_order, 0, 0);
  const std::uint64_t client_id = make_client_order_id(session_tag_, intent.intent_id);
  for (const tracked_order& t : tracked_)
    if (t.client_order_id == client_id)
      return deny(d, deny_reason::invalid_order, 0, 0);  // same intent twice: never duplicate

  instrument_state& b = books_[intent.instrument];
  const std::int64_t pos = b.position;
  const std::int64_t dir = c.direction == side::buy ? 1 : -1;
  std::int64_t qty = c.size.raw;
  if (intent.kind == intent_kind::exit) {
    if (pos == 0 || (pos > 0) == (dir > 0))  // reduce if held: nothing held on the other side
      return deny(d, deny_reason::nothing_to_reduce, pos, 0);
    qty = std::min(qty, abs_sat(pos));
  }
  const bool reducing = pos != 0 && (pos > 0) != (dir > 0) && qty <= abs_sat(pos);

  // 3. Inputs must exist and be fresh.
  if (!b.has_data || b.mark.raw <= 0)
    return deny(d, deny_reason::missing_input, 0, 0);
  // Age against the gate's clock, and against the intent's own time: data stamped far
  // after the intent (a bad future timestamp) is no fresher than data far before it.
  const std::int64_t age =
      std::max(fixed::add(now_, -b.last_update), fixed::add(b.last_update, -intent.ts_event));
  if (age > limits_.stale_after_ns)
    return deny(d, deny_reason::stale_market_data, age / 10, limits_.stale_after_ns / 10);
  if (state_ == trading_state::reducing && !reducing)
    return deny(d, deny_reason::trading_state_reducing, 0, 0);

  // 4. Price band: the entry reference must be near the last trade / mid.
  const fixed::wide dist = static_cast<fixed::wide>(abs_sat(ref - b.mark.raw));
  if (dist * 10'000 > static_cast<fixed::wide>(limits_.price_band_bps) * b.mark.raw)
    return deny(d, deny_reason::price_band,
                fixed::saturate(dist * 10'000 * fixed_scale / b.mark.raw),
                fixed::saturate(static_cast<fixed::wide>(limits_.price_band_bps) * fixed_scale));

  // 5. Order rate (event time, approvals only). Approvals in the window then equal the limit:
  // the gate never approves past it, so observed = limit (a count).
  if (rate_exceeded(limits_.max_orders_per_second, ns_per_second))
    return deny(d, deny_reason::order_rate_second,
                static_cast<std::int64_t>(limits_.max_orders_per_second) * fixed_scale,
                static_cast<std::int64_t>(limits_.max_orders_per_second) * fixed_scale);
  if (rate_exceeded(limits_.max_orders_per_minute, ns_per_minute))
    return deny(d, deny_reason::order_rate_minute,
                static_cast<std::int64_t>(limits_.max_orders_per_minute) * fixed_scale,
                static_cast<std::int64_t>(limits_.max_orders_per_minute) * fixed_scale);

  // 6. Risk-increasing orders only: size, exposure, positions, daily loss.
  const std::int64_t new_pos = fixed::add(pos, dir * qty);
  if (!reducing) {
    const std::int64_t order_notional = mul_px(qty, ref);
    if (order_notional > limits_.max_order_notional.raw)
      return deny(d, deny_reason::max_order_notional, order_notional,
                  limits_.max_order_notional.raw);
    // One pass over the book: exposure after the order, open positions, marked value.
    fixed::wide exposure_w = 0;
    fixed::wide value_w = 0;
    std::uint32_t open = 0;
    for (std::size_t i = 0; i < books_.size(); ++i) {
      const instrument_state& s = books_[i];
      if (s.position != 0) {
        ++open;
        value_w += static_cast<fixed::wide>(s.position) * s.mark.raw;
      }
      const std::int64_t p = i == intent.instrument ? new_pos : s.position;
      if (p != 0)
        exposure_w += static_cast<fixed::wide>(abs_sat(p)) * s.mark.raw;
    }
    const std::int64_t exposure_after = scale_down(exposure_w);
    if (exposure_after > limits_.max_total_exposure.raw)
      return deny(d, deny_reason::total_exposure, exposure_after, limits_.max_total_exposure.raw);
    if (pos == 0 && open >= limits_.max_open_positions)
      return deny(d, deny_reason::max_open_positions, static_cast<std::int64_t>(open) * fixed_scale,
                  static_cast<std::int64_t>(limits_.max_open_positions) * fixed_scale);
    const std::int64_t value = fixed::add(committed_cash_, scale_down(value_w));
    const std::int64_t loss = -fixed::add(value, -day_start_value_);
    if (loss > limits_.max_daily_loss.raw)
      return deny(d, deny_reason::daily_loss, loss, limits_.max_daily_loss.raw);
  }

  // 7. Bookkeeping capacity is fixed: a full table fails closed rather than allocate.
  if (tracked_.size() >= limits_.max_tracked_orders)
    return deny(d, deny_reason::internal_error,
                static_cast<std::int64_t>(tracked_.size()) * fixed_scale,
                static_cast<std::int64_t>(limits_.max_tracked_orders) * fixed_scale);

  // Approved: commit the order at its entry reference and seal it.
  submit_order& o = d.order.order;
  o.client_order_id = client_id;
  o.intent_id = intent.intent_id;
  o.instrument = intent.instrument;
  o.direction = c.direction;
  o.type = order_type::market;
  o.reduce_only = intent.kind == intent_kind::exit;
  o.qty = quantity{qty};
  o.limit = price{0};
  o.ts_event = intent.ts_event;
  commit(d, b, dir * qty, ref);
  return d;
}

void risk_gate::commit(risk_decision& d, instrument_state& b, std::int64_t signed_qty,
                       std::int64_t ref) noexcept {
  submit_order& o = d.order.order;
  d.order.approval = approval_issuer::issue(o);
  d.approved = true;
  d.denied.reason = deny_reason::none;
  b.position = fixed::add(b.position, signed_qty);
  committed_cash_ = fixed::add(committed_cash_, -mul_px(signed_qty, ref));
  tracked_.push_back(tracked_order{o.client_order_id, o.instrument, signed_qty, ref, 0});
  approval_times_[approval_head_] = now_;
  approval_head_ = (approval_head_ + 1) % approval_times_.size();
  ++approval_count_;
  ++approvals_;
}

risk_decision risk_gate::check_flatten(instrument_id instrument, std::uint64_t halt_id,
                                       timestamp_ns ts_event) noexcept {
  risk_decision d;
  d.denied.instrument = instrument;
  d.denied.ts_event = ts_event;
  advance(ts_event);
  const auto refuse = [&d](deny_reason reason) {
    d.approved = false;
    d.denied.reason = reason;
    return d;
  };
  // Only inside the halt it belongs to: the gate closed by exactly this halt, state halted.
  if (halt_id == 0 || gate_ == nullptr || gate_->open() || gate_->halt_id() != halt_id ||
      state_ != trading_state::halted)
    return refuse(deny_reason::kill_switch);
  if (instrument >= books_.size())
    return refuse(deny_reason::unknown_instrument);
  instrument_state& b = books_[instrument];
  const std::int64_t pos = b.position;
  if (pos == 0)
    return refuse(deny_reason::nothing_to_reduce);
  if (abs_sat(pos) > max_sane_raw)
    return refuse(deny_reason::invalid_order);
  for (const tracked_order& t : tracked_)
    if (t.instrument == instrument)
      return refuse(deny_reason::invalid_order);  // wait until its own orders have ended
  if (!b.has_data || b.mark.raw <= 0)
    return refuse(deny_reason::missing_input);
  if (fixed::add(now_, -b.last_update) > limits_.stale_after_ns)
    return refuse(deny_reason::stale_market_data);
  if (rate_exceeded(limits_.max_orders_per_second, ns_per_second))
    return refuse(deny_reason::order_rate_second);
  if (rate_exceeded(limits_.max_orders_per_minute, ns_per_minute))
    return refuse(deny_reason::order_rate_minute);
  if (tracked_.size() >= limits_.max_tracked_orders)
    return refuse(deny_reason::internal_error);

  const std::uint64_t sequence = flatten_intent_base + (++flatten_approvals_ & 0xFFFF'FFFFull);
  submit_order& o = d.order.order;
  o.client_order_id = make_client_order_id(session_tag_, sequence);
  o.intent_id = sequence;
  o.instrument = instrument;
  o.direction = pos > 0 ? side::sell : side::buy;
  o.type = order_type::market;
  o.reduce_only = true;
  o.qty = quantity{abs_sat(pos)};
  o.limit = price{0};
  o.ts_event = now_;
  o.flatten_halt_id = halt_id;
  d.denied.intent_id = sequence;
  commit(d, b, -pos, b.mark.raw);
  return d;
}

void risk_gate::on_report(const execution_report& report) noexcept {
  auto it = std::find_if(tracked_.begin(), tracked_.end(), [&](const tracked_order& t) {
    return t.client_order_id == report.client_order_id;
  });
  if (it == tracked_.end())
    return;  // not ours, or already settled (duplicate terminal report)
  it->cum_qty = std::max(it->cum_qty, report.cum_qty.raw);
  if (!is_terminal(report.kind))
    return;
  if (report.kind != report_kind::filled) {
    // Release what never filled, at the price it was committed at.
    const std::int64_t total = abs_sat(it->signed_qty);
    const std::int64_t unfilled = total - std::min(std::max<std::int64_t>(it->cum_qty, 0), total);
    const std::int64_t release = it->signed_qty > 0 ? unfilled : -unfilled;
    if (it->instrument < books_.size()) {
      instrument_state& b = books_[it->instrument];
      b.position = fixed::add(b.position, -release);
      committed_cash_ = fixed::add(committed_cash_, mul_px(release, it->ref_px));
    }
  }
  *it = tracked_.back();
  tracked_.pop_back();
}

void risk_gate::set_trading_state(trading_state state) noexcept {
  state_ = state;
  if (state != trading_state::halted)
    halt_id_ = 0;
}

void risk_gate::on_halt(std::uint64_t halt_id) noexcept {
  state_ = trading_state::halted;
  halt_id_ = halt_id == 0 ? 1 : halt_id;
}

trading_state risk_gate::state() const noexcept {
  return state_;
}

const std::array<std::uint64_t, deny_reason_count>& risk_gate::denials() const noexcept {
  return denials_;
}

std::uint64_t risk_gate::approvals() const noexcept {
  return approvals_;
}

quantity risk_gate::committed_position(instrument_id instrument) const noexcept {
  return instrument < books_.size() ? quantity{books_[instrument].position} : quantity{0};
}

money risk_gate::exposure() const noexcept {
  return money{exposure_with(no_instrument, 0)};
}

money risk_gate::daily_pnl() const noexcept {
  return money{fixed::add(book_value(), -day_start_value_)};
}

std::uint32_t risk_gate::open_positions() const noexcept {
  std::uint32_t n = 0;
  for (const instrument_state& b : books_)
    n += b.position != 0 ? 1u : 0u;
  return n;
}

}  // namespace peak::risk
