#include "broker/paper_broker.hpp"

#include <algorithm>
#include <limits>

namespace peak::broker {

namespace {

constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();

constexpr std::int64_t mul_px(std::int64_t qty, std::int64_t px) noexcept {
  return fixed::saturate(static_cast<fixed::wide>(qty) * px / fixed_scale);
}

constexpr std::int64_t add_bps(std::int64_t px, std::int64_t bps_x100) noexcept {
  return fixed::saturate(static_cast<fixed::wide>(px) +
                         static_cast<fixed::wide>(px) * bps_x100 / 1'000'000);
}

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

paper_broker::paper_broker(const paper_broker_config& config, std::uint32_t instruments)
    : config_(config),
      index_(config.expected_orders),
      books_(instruments),
      positions_(instruments),
      cash_(config.starting_cash),
      rng_(config.seed) {
  orders_.reserve(config.expected_orders);
  open_.reserve(config.expected_orders);
  pending_.reserve(256);
}

bool paper_broker::take(fault f) noexcept {
  auto& n = faults_[static_cast<std::size_t>(f)];
  if (n == 0)
    return false;
  --n;
  return true;
}

void paper_broker::inject(fault f, std::uint32_t count) noexcept {
  faults_[static_cast<std::size_t>(f)] += count;
}

std::int64_t paper_broker::latency() noexcept {
  if (config_.latency_jitter_ns <= 0)
    return config_.latency_ns;
  const auto span = static_cast<std::uint64_t>(config_.latency_jitter_ns) + 1;
  return config_.latency_ns + static_cast<std::int64_t>(splitmix64(rng_) % span);
}

void paper_broker::submit(const submit_order& order) {
  if (order.ts_event > now_)
    now_ = order.ts_event;
  if (!connected_ || take(fault::lose_submit)) {
    ++lost_;
    return;
  }
  if (index_.find(order.client_order_id) >= 0) {
    ++duplicate_submits_;  // same client id: the same order, never a second one
    return;
  }
  venue_order o;
  o.order = order;
  o.broker_id = next_broker_id_++;
  o.live_at = now_ + latency();
  o.reject_on_arrival = take(fault::reject);
  o.suppress_ack = take(fault::timeout);
  if (order.type == order_type::limit && config_.limit_ttl_ns > 0)
    o.expire_at = o.live_at + config_.limit_ttl_ns;
  const auto idx = static_cast<std::uint32_t>(orders_.size());
  orders_.push_back(o);
  index_.insert(order.client_order_id, idx);
  open_.push_back(idx);
}

void paper_broker::cancel(const cancel_order& order) {
  if (order.ts_event > now_)
    now_ = order.ts_event;
  if (!connected_) {
    ++lost_;
    return;
  }
  const std::int64_t idx = index_.find(order.client_order_id);
  if (idx < 0)
    return;  // unknown to the venue: nothing to cancel
  venue_order& o = orders_[static_cast<std::size_t>(idx)];
  if (o.state == venue_state::done || o.cancel_at >= 0)
    return;  // too late (already done) or already being cancelled
  o.cancel_at = std::max(now_, o.live_at) + latency();
}

void paper_broker::emit(const venue_order& o, report_kind kind, timestamp_ns ts,
                        std::int64_t last_qty, std::int64_t last_px, std::int64_t fee,
                        std::uint16_t reject_code) {
  execution_report r;
  r.client_order_id = o.order.client_order_id;
  r.broker_order_id = o.broker_id;
  r.report_id = next_report_id_++;
  r.instrument = o.order.instrument;
  r.direction = o.order.direction;
  r.kind = kind;
  r.reject_code = reject_code;
  r.ts_event = ts;
  r.last_qty = quantity{last_qty};
  r.last_px = price{last_px};
  r.cum_qty = quantity{o.filled};
  r.leaves_qty = quantity{kind == report_kind::accepted || kind == report_kind::partially_filled
                              ? o.order.qty.raw - o.filled
                              : 0};
  r.fee = money{fee};
  if (take(fault::drop_report))
    return;
  const bool is_fill = kind == report_kind::partially_filled || kind == report_kind::filled;
  timestamp_ns deliver = ts;
  if (is_fill && take(fault::late_fill))
    deliver = ts + config_.late_fill_delay_ns;
  const int copies = is_fill && take(fault::duplicate_fill) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    // Keep pending_ sorted by delivery time, stable for equal times.
    auto pos =
        std::upper_bound(pending_.begin(), pending_.end(), deliver,
                         [](timestamp_ns t, const pending_report& p) { return t < p.deliver_at; });
    pending_.insert(pos, pending_report{deliver, r});
  }
}

void paper_broker::fill(venue_order& o, std::int64_t qty, std::int64_t px, timestamp_ns ts) {
  o.filled += qty;
  const std::int64_t notional = mul_px(qty, px);
  const std::int64_t fee = fixed::apply_bps(money{notional}, config_.fee_bps_x100).raw;
  const bool buy = o.order.direction == side::buy;
  cash_.raw = fixed::add(cash_.raw, buy ? -notional : notional);
  cash_.raw = fixed::add(cash_.raw, -fee);
  fees_.raw = fixed::add(fees_.raw, fee);
  if (o.order.instrument < positions_.size()) {
    position_state& p = positions_[o.order.instrument];
    const std::int64_t signed_qty = buy ? qty : -qty;
    if (p.qty == 0 || (p.qty > 0) == (signed_qty > 0)) {
      const fixed::wide cost = static_cast<fixed::wide>(p.avg_px) * (p.qty < 0 ? -p.qty : p.qty) +
                               static_cast<fixed::wide>(px) * qty;
      const std::int64_t total = (p.qty < 0 ? -p.qty : p.qty) + qty;
      p.avg_px = fixed::saturate(cost / total);
      p.qty += signed_qty;
    } else {
      const std::int64_t open = p.qty < 0 ? -p.qty : p.qty;
      const std::int64_t closed = std::min(open, qty);
      const std::int64_t per_unit = p.qty > 0 ? px - p.avg_px : p.avg_px - px;
      realised_.raw = fixed::add(realised_.raw, mul_px(closed, per_unit));
      p.qty += signed_qty;
      if (qty > open)
        p.avg_px = px;  // flipped: the remainder opens at this price
      else if (p.qty == 0)
        p.avg_px = 0;
    }
  }
  const bool done = o.filled >= o.order.qty.raw;
  o.last = done ? report_kind::filled : report_kind::partially_filled;
  emit(o, o.last, ts, qty, px, fee);
  if (done)
    finish(o);
}

void paper_broker::advance(timestamp_ns ts) {
  if (ts > now_)
    now_ = ts;
  for (const std::uint32_t idx : open_) {
    venue_order& o = orders_[idx];
    if (o.state == venue_state::in_transit && o.live_at <= now_) {
      if (o.reject_on_arrival) {
        o.last = report_kind::rejected;
        emit(o, report_kind::rejected, o.live_at, 0, 0, 0, paper_reject_injected);
        finish(o);
        continue;
      }
      if (o.order.qty.raw <= 0 || (o.order.type == order_type::limit && o.order.limit.raw <= 0)) {
        o.last = report_kind::rejected;
        emit(o, report_kind::rejected, o.live_at, 0, 0, 0, paper_reject_invalid);
        finish(o);
        continue;
      }
      if (o.order.instrument >= books_.size()) {
        o.last = report_kind::rejected;
        emit(o, report_kind::rejected, o.live_at, 0, 0, 0, paper_reject_instrument);
        finish(o);
        continue;
      }
      o.state = venue_state::live;
      o.last = report_kind::accepted;
      if (!o.suppress_ack)
        emit(o, report_kind::accepted, o.live_at, 0, 0, 0);
    }
    if (o.state == venue_state::live && o.cancel_at >= 0 && o.cancel_at <= now_) {
      o.last = report_kind::cancelled;
      emit(o, report_kind::cancelled, o.cancel_at, 0, 0, 0);
      finish(o);
      continue;
    }
    if (o.state == venue_state::live && o.expire_at >= 0 && o.expire_at <= now_) {
      o.last = report_kind::expired;
      emit(o, report_kind::expired, o.expire_at, 0, 0, 0);
      finish(o);
    }
  }
}

void paper_broker::try_fill(venue_order& o, const market_event& event, std::int64_t& bid_avail,
                            std::int64_t& ask_avail, std::int64_t& trade_avail) {
  const std::int64_t remaining = o.order.qty.raw - o.filled;
  if (remaining <= 0)
    return;
  const bool buy = o.order.direction == side::buy;
  const bool limit = o.order.type == order_type::limit;
  const std::int64_t slip = buy ? config_.slippage_bps_x100 : -config_.slippage_bps_x100;
  std::int64_t px = 0;
  std::int64_t* avail = nullptr;
  if (event.kind == event_kind::quote) {
    const std::int64_t touch = buy ? event.ask.raw : event.bid.raw;
    if (touch <= 0)
      return;
    if (limit && (buy ? touch > o.order.limit.raw : touch < o.order.limit.raw))
      return;  // not marketable: rests
    px = add_bps(touch, slip);
    if (limit)
      px = buy ? std::min(px, o.order.limit.raw) : std::max(px, o.order.limit.raw);
    avail = buy ? &ask_avail : &bid_avail;
  } else if (event.kind == event_kind::trade || event.kind == event_kind::bar) {
    if (event.px.raw <= 0)
      return;
    if (limit) {
      if (buy ? event.px.raw > o.order.limit.raw : event.px.raw < o.order.limit.raw)
        return;  // not touched
      px = o.order.limit.raw;
    } else {
      if (books_[o.order.instrument].has_quote)
        return;  // quotes exist: market orders take the next quote
      px = add_bps(event.px.raw, slip);
    }
    avail = &trade_avail;
  } else {
    return;
  }
  if (px <= 0)
    return;
  const std::int64_t qty = std::min(remaining, *avail);
  if (qty <= 0)
    return;
  if (*avail != unlimited)
    *avail -= qty;
  fill(o, qty, px, event.ts_event);
}

void paper_broker::on_market(const market_event& event) {
  advance(event.ts_event);
  if (event.instrument < books_.size() &&
      (event.quality & (quality_bad_price | quality_crossed)) == 0) {
    if (event.kind == event_kind::quote && event.bid.raw > 0 && event.ask.raw > 0 &&
        event.bid.raw <= event.ask.raw) {
      book_state& b = books_[event.instrument];
      b.bid = event.bid;
      b.ask = event.ask;
      b.bid_qty = event.bid_qty;
      b.ask_qty = event.ask_qty;
      b.has_quote = true;
      std::int64_t bid_avail =
          config_.partial_fills && event.bid_qty.raw > 0 ? event.bid_qty.raw : unlimited;
      std::int64_t ask_avail =
          config_.partial_fills && event.ask_qty.raw > 0 ? event.ask_qty.raw : unlimited;
      std::int64_t trade_avail = 0;
      for (const std::uint32_t idx : open_) {
        venue_order& o = orders_[idx];
        if (o.state == venue_state::live && o.order.instrument == event.instrument)
          try_fill(o, event, bid_avail, ask_avail, trade_avail);
      }
    } else if (event.kind == event_kind::trade || event.kind == event_kind::bar) {
      std::int64_t none = 0;
      std::int64_t trade_avail =
          config_.partial_fills && event.qty.raw > 0 ? event.qty.raw : unlimited;
      for (const std::uint32_t idx : open_) {
        venue_order& o = orders_[idx];
        if (o.state == venue_state::live && o.order.instrument == event.instrument)
          try_fill(o, event, none, none, trade_avail);
      }
    }
  }
  open_.erase(
      std::remove_if(open_.begin(), open_.end(),
                     [&](std::uint32_t i) { return orders_[i].state == venue_state::done; }),
      open_.end());
}

std::size_t paper_broker::poll(std::vector<execution_report>& out) {
  if (!connected_)
    return 0;  // held until reconnect
  std::size_t n = 0;
  while (n < pending_.size() && pending_[n].deliver_at <= now_) {
    out.push_back(pending_[n].report);
    ++n;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

execution_report paper_broker::status_of(const venue_order& o) const noexcept {
  execution_report r;
  r.client_order_id = o.order.client_order_id;
  r.broker_order_id = o.broker_id;
  r.report_id = 0;  // a status, not a new report
  r.instrument = o.order.instrument;
  r.direction = o.order.direction;
  r.kind = o.last;
  r.ts_event = now_;
  r.cum_qty = quantity{o.filled};
  r.leaves_qty = quantity{o.state == venue_state::done ? 0 : o.order.qty.raw - o.filled};
  if (o.last == report_kind::rejected)
    r.reject_code = paper_reject_injected;
  return r;
}

bool paper_broker::query_order(std::uint64_t client_order_id, execution_report& out) const {
  if (!connected_)
    return false;
  const std::int64_t idx = index_.find(client_order_id);
  if (idx < 0)
    return false;
  out = status_of(orders_[static_cast<std::size_t>(idx)]);
  return true;
}

std::size_t paper_broker::open_orders(std::vector<execution_report>& out) const {
  std::size_t n = 0;
  for (const std::uint32_t idx : open_)
    if (orders_[idx].state != venue_state::done) {
      out.push_back(status_of(orders_[idx]));
      ++n;
    }
  return n;
}

void paper_broker::snapshot_into(account_snapshot& out) const {
  out.ts_event = now_;
  out.cash = cash_;
  out.fees_paid = fees_;
  out.realised_pnl = realised_;
  std::uint32_t open = 0;
  for (const std::uint32_t idx : open_)
    open += orders_[idx].state != venue_state::done ? 1u : 0u;
  out.open_orders = open;
  out.positions.clear();
  for (std::size_t i = 0; i < positions_.size(); ++i)
    if (positions_[i].qty != 0)
      out.positions.push_back(position_snapshot{
          static_cast<instrument_id>(i), quantity{positions_[i].qty}, price{positions_[i].avg_px}});
}

account_snapshot paper_broker::snapshot() const {
  account_snapshot s;
  snapshot_into(s);
  return s;
}

}  // namespace peak::broker
