#include "broker/reconciler.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "messages/fixed_text.hpp"
#include "messages/names.hpp"

namespace peak::broker {

namespace {

constexpr std::int64_t mul_px(std::int64_t qty, std::int64_t px) noexcept {
  return fixed::saturate(static_cast<fixed::wide>(qty) * px / fixed_scale);
}

constexpr std::int64_t abs_sat(std::int64_t v) noexcept {
  return v >= 0 ? v
                : (v == std::numeric_limits<std::int64_t>::min()
                       ? std::numeric_limits<std::int64_t>::max()
                       : -v);
}

std::string fixed_text(std::int64_t raw) {
  return text::fixed_text(raw, text::fraction_digits::all);
}

const char* kind_name(report_kind k) noexcept {
  return name_of(k);
}

}  // namespace

const char* to_string(invariant i) noexcept {
  switch (i) {
    case invariant::none:
      return "none";
    case invariant::position:
      return "position";
    case invariant::cash:
      return "cash";
    case invariant::fees:
      return "fees";
    case invariant::realised_pnl:
      return "realised_pnl";
    case invariant::two_terminal_states:
      return "two_terminal_states";
    case invariant::exposure:
      return "exposure";
    case invariant::unknown_order:
      return "unknown_order";
    case invariant::unexplained_fill:
      return "unexplained_fill";
  }
  return "unknown";
}

reconciler::reconciler(money starting_cash, std::uint32_t instruments)
    : starting_cash_(starting_cash),
      cash_(starting_cash),
      positions_(instruments),
      index_(4096),
      fill_ids_(16384),
      theirs_(instruments, 0) {
  orders_.reserve(4096);
  open_.reserve(1024);
}

void reconciler::reset() {
  cash_ = starting_cash_;
  fees_ = money{};
  realised_ = money{};
  for (auto& p : positions_) {
    p.qty = 0;
    p.avg_px = 0;
  }
  orders_.clear();
  open_.clear();
  index_.clear();
  fill_ids_.clear();
  first_anomaly_ = anomaly{};
  anomaly_count_ = 0;
  mismatch_since_ = -1;
  duplicates_ = 0;
  gaps_ = 0;
}

void reconciler::flag(invariant what, instrument_id instrument, std::uint64_t client_order_id,
                      std::int64_t expected, std::int64_t observed) noexcept {
  if (anomaly_count_++ == 0)
    first_anomaly_ = anomaly{what, instrument, client_order_id, expected, observed};
}

reconciler::order_entry& reconciler::entry_for(std::uint64_t client_order_id,
                                               instrument_id instrument, side direction) {
  const std::int64_t idx = index_.find(client_order_id);
  if (idx >= 0)
    return orders_[static_cast<std::size_t>(idx)];
  const auto n = static_cast<std::uint32_t>(orders_.size());
  order_entry e;
  e.client_order_id = client_order_id;
  e.instrument = instrument;
  e.direction = direction;
  e.open_slot = static_cast<std::uint32_t>(open_.size());
  orders_.push_back(e);
  index_.insert(client_order_id, n);
  open_.push_back(n);
  return orders_.back();
}

void reconciler::close_order(std::uint32_t idx) noexcept {
  const std::uint32_t slot = orders_[idx].open_slot;
  if (slot >= open_.size() || open_[slot] != idx)
    return;
  const std::uint32_t moved = open_.back();
  open_[slot] = moved;
  orders_[moved].open_slot = slot;
  open_.pop_back();
}

void reconciler::on_submit(const submit_order& order) noexcept {
  if (order.client_order_id == 0)
    return;
  tracking_submits_ = true;
  order_entry& e = entry_for(order.client_order_id, order.instrument, order.direction);
  e.qty = order.qty.raw;
}

void reconciler::book_fill(instrument_id instrument, side direction, std::int64_t qty,
                           std::int64_t px, std::int64_t fee) noexcept {
  const bool buy = direction == side::buy;
  const std::int64_t notional = mul_px(qty, px);
  cash_.raw = fixed::add(cash_.raw, buy ? -notional : notional);
  cash_.raw = fixed::add(cash_.raw, -fee);
  fees_.raw = fixed::add(fees_.raw, fee);
  if (instrument >= positions_.size())
    return;
  position_entry& p = positions_[instrument];
  const std::int64_t signed_qty = buy ? qty : -qty;
  if (p.qty == 0 || (p.qty > 0) == (signed_qty > 0)) {
    const fixed::wide cost =
        static_cast<fixed::wide>(p.avg_px) * abs_sat(p.qty) + static_cast<fixed::wide>(px) * qty;
    const std::int64_t total = abs_sat(p.qty) + qty;
    p.avg_px = total > 0 ? fixed::saturate(cost / total) : 0;
    p.qty = fixed::add(p.qty, signed_qty);
  } else {
    const std::int64_t open = abs_sat(p.qty);
    const std::int64_t closed = std::min(open, qty);
    const std::int64_t per_unit = p.qty > 0 ? px - p.avg_px : p.avg_px - px;
    realised_.raw = fixed::add(realised_.raw, mul_px(closed, per_unit));
    p.qty = fixed::add(p.qty, signed_qty);
    if (qty > open)
      p.avg_px = px;
    else if (p.qty == 0)
      p.avg_px = 0;
  }
}

void reconciler::on_report(const execution_report& r) noexcept {
  if (r.client_order_id == 0) {  // no order can have id 0: nothing to book it against
    flag(invariant::unknown_order, r.instrument, 0, 0, 1);
    return;
  }
  const bool known = index_.find(r.client_order_id) >= 0;
  if (!known && tracking_submits_)
    flag(invariant::unknown_order, r.instrument, r.client_order_id, 0, 1);
  order_entry& e = entry_for(r.client_order_id, r.instrument, r.direction);
  const auto idx = static_cast<std::uint32_t>(index_.find(r.client_order_id));
  if (e.qty == 0 && (r.kind == report_kind::accepted || r.kind == report_kind::partially_filled))
    e.qty = fixed::add(r.cum_qty.raw, r.leaves_qty.raw);
  const bool fill = r.kind == report_kind::partially_filled || r.kind == report_kind::filled;
  if (fill) {
    // Dedupe by the venue's report id (fills may arrive out of order); reports without
    // one fall back to cum_qty.
    const bool seen = r.report_id != 0 ? fill_ids_.find(r.report_id) >= 0 : r.cum_qty.raw <= e.cum;
    if (seen || r.last_qty.raw <= 0) {
      ++duplicates_;  // replayed fill: booked once
      return;
    }
    if (r.report_id != 0)
      fill_ids_.insert(r.report_id, 0);
    if (e.terminal && r.cum_qty.raw > e.cum)  // a fill the ending report did not count
      flag(invariant::two_terminal_states, r.instrument, r.client_order_id,
           static_cast<std::int64_t>(e.terminal_kind), static_cast<std::int64_t>(r.kind));
    if (r.cum_qty.raw != fixed::add(e.booked, r.last_qty.raw))
      ++gaps_;  // out of order, or a report lost before it: the position check will tell
    e.cum = std::max(e.cum, r.cum_qty.raw);
    e.booked = fixed::add(e.booked, r.last_qty.raw);
    if (e.qty > 0 && e.booked > e.qty)
      flag(invariant::unexplained_fill, r.instrument, r.client_order_id, e.qty, e.booked);
    book_fill(r.instrument, r.direction, r.last_qty.raw, r.last_px.raw, r.fee.raw);
  }
  if (r.kind == report_kind::accepted || r.kind == report_kind::partially_filled) {
    settle(idx);
    return;
  }
  if (e.terminal) {
    if (e.terminal_kind == r.kind) {
      if (!fill)
        ++duplicates_;
      settle(idx);
      return;
    }
    if (!fill)
      flag(invariant::two_terminal_states, r.instrument, r.client_order_id,
           static_cast<std::int64_t>(e.terminal_kind), static_cast<std::int64_t>(r.kind));
    settle(idx);
    return;
  }
  e.terminal = true;
  e.terminal_kind = r.kind;
  e.cum = std::max(e.cum, r.cum_qty.raw);  // fills it counts may still be on their way
  settle(idx);
}

void reconciler::settle(std::uint32_t idx) noexcept {
  const order_entry& e = orders_[idx];
  if (e.terminal && e.booked >= e.cum)
    close_order(idx);  // over, and every fill it had is booked
}

void reconciler::on_market(const market_event& event) noexcept {
  if (event.instrument >= positions_.size() ||
      (event.quality & (quality_bad_price | quality_crossed)) != 0)
    return;
  position_entry& p = positions_[event.instrument];
  if ((event.kind == event_kind::trade || event.kind == event_kind::bar) && event.px.raw > 0)
    p.mark = event.px.raw;
  else if (event.kind == event_kind::quote && event.bid.raw > 0 && event.ask.raw >= event.bid.raw)
    p.mark = event.bid.raw + (event.ask.raw - event.bid.raw) / 2;
}

void reconciler::set_exposure_limit(money limit, std::int64_t tolerance_bps) noexcept {
  exposure_limit_ = limit;
  exposure_tolerance_bps_ = tolerance_bps;
}

bool reconciler::check_due(timestamp_ns now, std::int64_t interval_ns) noexcept {
  if (checked_once_ && now - last_check_ < interval_ns)
    return false;
  checked_once_ = true;
  last_check_ = now;
  return true;
}

std::uint32_t reconciler::open_orders() const noexcept {
  std::uint32_t n = 0;
  for (const std::uint32_t k : open_)
    n += orders_[k].terminal ? 0u : 1u;
  return n;
}

money reconciler::exposure() const noexcept {
  fixed::wide v = 0;
  for (const position_entry& p : positions_)
    if (p.qty != 0)
      v +=
          static_cast<fixed::wide>(abs_sat(p.qty)) * (p.mark > 0 ? p.mark : p.avg_px) / fixed_scale;
  return money{fixed::saturate(v)};
}

reconcile_result reconciler::breach(invariant what, instrument_id instrument,
                                    std::uint64_t client_order_id, std::int64_t expected,
                                    std::int64_t observed) {
  reconcile_result r;
  r.ok = false;
  r.failed = what;
  r.instrument = instrument;
  r.client_order_id = client_order_id;
  r.expected_raw = expected;
  r.observed_raw = observed;
  r.breach = to_string(what);
  switch (what) {
    case invariant::two_terminal_states:
      r.breach += ": order " + std::to_string(client_order_id) + " reported " +
                  kind_name(static_cast<report_kind>(expected)) + " then " +
                  kind_name(static_cast<report_kind>(observed));
      break;
    case invariant::unknown_order:
      r.breach += ": order " + std::to_string(client_order_id) +
                  " not sent by this session (open orders expected " + std::to_string(expected) +
                  ", broker " + std::to_string(observed) + ")";
      break;
    case invariant::unexplained_fill:
      r.breach += ": order " + std::to_string(client_order_id) + " filled locally " +
                  fixed_text(expected) + ", broker " + fixed_text(observed);
      break;
    default:
      if (instrument != no_instrument)
        r.breach += ": instrument " + std::to_string(instrument);
      r.breach += " expected " + fixed_text(expected) + " broker " + fixed_text(observed);
      break;
  }
  return r;
}

reconcile_result reconciler::check(const account_snapshot& broker) const {
  if (anomaly_count_ > 0)
    return breach(first_anomaly_.failed, first_anomaly_.instrument, first_anomaly_.client_order_id,
                  first_anomaly_.expected, first_anomaly_.observed);
  // Positions: the broker may be ahead of us by what open orders could still fill
  // (reports in flight); never more, never the other way.
  bool exact = true;
  theirs_.assign(positions_.size(), 0);  // sized at construction: no allocation
  for (const position_snapshot& p : broker.positions)
    if (p.instrument < positions_.size())
      theirs_[p.instrument] = fixed::add(theirs_[p.instrument], p.qty.raw);
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    const std::int64_t theirs = theirs_[i];
    const std::int64_t ours = positions_[i].qty;
    if (theirs == ours)
      continue;
    exact = false;
    std::int64_t buy_room = 0;
    std::int64_t sell_room = 0;
    for (const std::uint32_t k : open_) {
      const order_entry& e = orders_[k];
      if (e.instrument != i)
        continue;
      // Still to be booked: what an open order may yet fill, or what an ended order's
      // final report counted but whose fill reports have not arrived.
      const std::int64_t target = e.terminal ? e.cum : std::max(e.qty, e.cum);
      const std::int64_t left = target > e.booked ? target - e.booked : 0;
      (e.direction == side::buy ? buy_room : sell_room) += left;
    }
    const std::int64_t diff = fixed::add(theirs, -ours);
    if (diff > buy_room || -diff > sell_room)
      return breach(invariant::position, static_cast<instrument_id>(i), 0, ours, theirs);
    if (mismatch_since_ < 0)
      mismatch_since_ = broker.ts_event;
    else if (broker.ts_event - mismatch_since_ > settle_window_ns_)
      return breach(invariant::position, static_cast<instrument_id>(i), 0, ours, theirs);
  }
  if (exact)
    mismatch_since_ = -1;
  for (const position_snapshot& p : broker.positions)
    if (p.instrument >= positions_.size() && p.qty.raw != 0)
      return breach(invariant::position, p.instrument, 0, 0, p.qty.raw);
  if (exact) {
    if (broker.cash != cash_)
      return breach(invariant::cash, no_instrument, 0, cash_.raw, broker.cash.raw);
    if (broker.fees_paid != fees_)
      return breach(invariant::fees, no_instrument, 0, fees_.raw, broker.fees_paid.raw);
    if (check_realised_ && broker.realised_pnl != realised_)
      return breach(invariant::realised_pnl, no_instrument, 0, realised_.raw,
                    broker.realised_pnl.raw);
  }
  if (tracking_submits_ && broker.open_orders > open_orders())
    return breach(invariant::unknown_order, no_instrument, 0, open_orders(), broker.open_orders);
  if (exposure_limit_.raw > 0) {
    const std::int64_t allowed = fixed::saturate(static_cast<fixed::wide>(exposure_limit_.raw) *
                                                 (10'000 + exposure_tolerance_bps_) / 10'000);
    const money e = exposure();
    if (e.raw > allowed)
      return breach(invariant::exposure, no_instrument, 0, allowed, e.raw);
  }
  return reconcile_result{};
}

account_snapshot reconciler::expected() const {
  account_snapshot s;
  s.cash = cash_;
  s.fees_paid = fees_;
  s.realised_pnl = realised_;
  s.open_orders = open_orders();
  for (std::size_t i = 0; i < positions_.size(); ++i)
    if (positions_[i].qty != 0)
      s.positions.push_back(position_snapshot{
          static_cast<instrument_id>(i), quantity{positions_[i].qty}, price{positions_[i].avg_px}});
  return s;
}

std::uint32_t reconciler::open_positions() const noexcept {
  std::uint32_t n = 0;
  for (const position_entry& p : positions_)
    n += p.qty != 0 ? 1u : 0u;
  return n;
}

money reconciler::equity() const noexcept {
  fixed::wide v = cash_.raw;
  for (const position_entry& p : positions_)
    if (p.qty != 0)
      v += static_cast<fixed::wide>(p.qty) * (p.mark > 0 ? p.mark : p.avg_px) / fixed_scale;
  return money{fixed::saturate(v)};
}

reconcile_result reconciler::restart(const account_snapshot& broker,
                                     const std::vector<execution_report>& broker_open_orders,
                                     const std::vector<execution_report>& journal) {
  reset();
  for (const execution_report& r : journal)
    on_report(r);
  for (const execution_report& s : broker_open_orders) {
    const std::int64_t idx = index_.find(s.client_order_id);
    if (idx < 0) {
      flag(invariant::unknown_order, s.instrument, s.client_order_id,
           static_cast<std::int64_t>(open_.size()),
           static_cast<std::int64_t>(broker_open_orders.size()));
      continue;
    }
    order_entry& e = orders_[static_cast<std::size_t>(idx)];
    if (s.cum_qty.raw != e.booked)
      flag(invariant::unexplained_fill, s.instrument, s.client_order_id, e.booked, s.cum_qty.raw);
    if (e.qty == 0)
      e.qty = fixed::add(s.cum_qty.raw, s.leaves_qty.raw);
    if (e.terminal)
      flag(invariant::two_terminal_states, s.instrument, s.client_order_id,
           static_cast<std::int64_t>(e.terminal_kind), static_cast<std::int64_t>(s.kind));
  }
  // Orders the journal still has open but the broker does not: their outcome is unknown,
  // so they explain nothing any more and the book must match exactly.
  for (std::size_t k = open_.size(); k-- > 0;) {
    const std::uint64_t id = orders_[open_[k]].client_order_id;
    const bool at_broker =
        std::any_of(broker_open_orders.begin(), broker_open_orders.end(),
                    [id](const execution_report& s) { return s.client_order_id == id; });
    if (!at_broker)
      close_order(open_[k]);
  }
  tracking_submits_ = true;  // from now on every order must be one we know
  return check(broker);
}

void reconciler::adopt(const account_snapshot& broker) {
  cash_ = broker.cash;
  fees_ = broker.fees_paid;
  realised_ = broker.realised_pnl;
  for (auto& p : positions_) {
    p.qty = 0;
    p.avg_px = 0;
  }
  for (const position_snapshot& p : broker.positions)
    if (p.instrument < positions_.size()) {
      positions_[p.instrument].qty = p.qty.raw;
      positions_[p.instrument].avg_px = p.avg_price.raw;
    }
  first_anomaly_ = anomaly{};
  anomaly_count_ = 0;
}

}  // namespace peak::broker
