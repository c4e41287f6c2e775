#include "marketdata/quality_checker.hpp"

#include <limits>

#include "messages/fixed_point.hpp"

namespace peak::marketdata {
namespace {

bool bad_price_raw(std::int64_t raw, std::int64_t max_raw) noexcept {
  return raw <= 0 || raw > max_raw;
}

/// a - b, saturated (feeds can carry any int64 time).
std::int64_t elapsed(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t d = 0;
  if (__builtin_sub_overflow(a, b, &d))
    return a > b ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  return d;
}

bool bad_size_raw(std::int64_t raw, std::int64_t max_raw) noexcept {
  return raw < 0 || raw > max_raw;
}

}  // namespace

quality_checker::quality_checker(const quality_config& config, std::uint32_t instruments)
    : config_(config), states_(instruments) {
  if (config_.jump_ewma_alpha <= 0.0 || config_.jump_ewma_alpha > 1.0)
    config_.jump_ewma_alpha = 0.02;
  if (config_.jump_accept_after == 0)
    config_.jump_accept_after = 1;
}

void quality_checker::reset_state() noexcept {
  for (instrument_state& s : states_) {
    const quality_counters kept = s.counters;
    s = instrument_state{};
    s.counters = kept;
  }
  last_ts_ = 0;
  seen_any_ = false;
}

std::uint64_t quality_checker::count_flag(quality_flag flag) const noexcept {
  for (unsigned bit = 0; bit < quality_flag_count; ++bit)
    if (static_cast<std::uint32_t>(flag) == (1u << bit))
      return totals_.by_flag[bit];
  return 0;
}

const quality_counters& quality_checker::instrument(instrument_id id) const noexcept {
  return id < states_.size() ? states_[id].counters : totals_;
}

void quality_checker::count(std::uint32_t flags, quality_counters& c) noexcept {
  ++c.events;
  if (flags == 0)
    return;
  ++c.flagged;
  for (unsigned bit = 0; bit < quality_flag_count; ++bit)
    if ((flags >> bit) & 1u)
      ++c.by_flag[bit];
}

void quality_checker::check(market_event& event) noexcept {
  const timestamp_ns ts = event.ts_event;
  // Feed level: a silence of the whole feed.
  std::uint32_t flags = 0;
  if (seen_any_ && elapsed(ts, last_ts_) > config_.gap_threshold_ns)
    flags |= quality_gap;
  if (!seen_any_ || ts > last_ts_)
    last_ts_ = ts;
  seen_any_ = true;

  double level = 0.0;  // price used by the jump check, 0 = none
  flags |= value_flags(event, level);
  if (event.instrument >= states_.size()) {
    event.quality |= flags;
    count(event.quality, totals_);
    return;
  }
  instrument_state& s = states_[event.instrument];
  kind_state& k = s.kinds[static_cast<std::size_t>(event.kind) & 3u];
  flags |= time_flags(event, s, k);
  flags |= sequence_flags(event, s, k);
  if (level > 0.0 && (flags & (quality_out_of_order | quality_duplicate)) == 0)
    flags |= jump_flags(level, s);
  event.quality |= flags;
  count(event.quality, totals_);
  count(event.quality, s.counters);
}

/// Values: prices and sizes that cannot be right, whatever came before. Sets `level` to the
/// price the jump check follows (trade price, quote mid, bar close) when it is sound.
std::uint32_t quality_checker::value_flags(const market_event& event, double& level) const noexcept {
  const std::int64_t max_px = config_.max_price_raw;
  const std::int64_t max_sz = config_.max_size_raw;
  std::uint32_t flags = 0;
  switch (event.kind) {
    case event_kind::trade:
      if (bad_price_raw(event.px.raw, max_px))
        flags |= quality_bad_price;
      else
        level = fixed::to_double(event.px.raw);
      if (event.qty.raw <= 0 || event.qty.raw > max_sz)
        flags |= quality_bad_size;
      break;
    case event_kind::quote:
      if (bad_price_raw(event.bid.raw, max_px) || bad_price_raw(event.ask.raw, max_px))
        flags |= quality_bad_price;
      if (bad_size_raw(event.bid_qty.raw, max_sz) || bad_size_raw(event.ask_qty.raw, max_sz))
        flags |= quality_bad_size;
      if (event.bid.raw > 0 && event.ask.raw > 0) {
        if (event.bid.raw > event.ask.raw)
          flags |= quality_crossed;
        else if (event.bid.raw == event.ask.raw)
          flags |= quality_locked;
      }
      if ((flags & (quality_bad_price | quality_crossed)) == 0)
        level = (fixed::to_double(event.bid.raw) + fixed::to_double(event.ask.raw)) / 2.0;
      break;
    case event_kind::bar:
      if (bad_price_raw(event.px.raw, max_px) || bad_price_raw(event.open.raw, max_px) ||
          bad_price_raw(event.high.raw, max_px) || bad_price_raw(event.low.raw, max_px) ||
          event.high.raw < event.low.raw || event.px.raw > event.high.raw ||
          event.px.raw < event.low.raw || event.open.raw > event.high.raw ||
          event.open.raw < event.low.raw)
        flags |= quality_bad_price;
      else
        level = fixed::to_double(event.px.raw);
      if (bad_size_raw(event.qty.raw, max_sz))
        flags |= quality_bad_size;
      break;
    case event_kind::book:
      // Far-away resting orders are real (Kraken shows asks at 9,999,999,997): only
      // non-positive level prices are bad.
      if (event.px.raw <= 0)
        flags |= quality_bad_price;
      if (bad_size_raw(event.qty.raw, max_sz))
        flags |= quality_bad_size;
      break;
  }
  return flags;
}

/// Time per instrument: stale after a silence; out of order within one event kind (kinds
/// of one venue may carry different clocks, e.g. trade time vs book update time).
std::uint32_t quality_checker::time_flags(const market_event& event, instrument_state& s,
                                          kind_state& k) const noexcept {
  const timestamp_ns ts = event.ts_event;
  std::uint32_t flags = 0;
  if (s.seen && elapsed(ts, s.last_ts) > config_.stale_after_ns)
    flags |= quality_stale;
  if (!s.seen || ts > s.last_ts)
    s.last_ts = ts;
  s.seen = true;
  // ts_event == ts_receive marks a message without exchange time (receive time stands in):
  // it cannot be out of order against exchange times, and does not move their baseline.
  const bool exchange_time = event.ts_receive == 0 || event.ts_event != event.ts_receive;
  if (exchange_time) {
    if (k.seen && ts < k.last_ts)
      flags |= quality_out_of_order;
    if (!k.seen || ts > k.last_ts)
      k.last_ts = ts;
    k.seen = true;
  }
  return flags;
}

/// Sequences: trade ids must run on by one; a quote repeating its update id and values
/// is a duplicate. Book levels of one update share its id; an update that names the id it
/// follows on from (previous_sequence: Binance U - 1 or pu) must follow the last one seen.
std::uint32_t quality_checker::sequence_flags(const market_event& event, instrument_state& s,
                                              kind_state& k) const noexcept {
  std::uint32_t flags = 0;
  const std::uint64_t seq = event.sequence;
  if (seq != 0) {
    if (event.kind == event_kind::book && event.previous_sequence != 0 &&
        config_.check_book_sequence && k.last_sequence != 0 && seq != k.last_sequence) {
      if (seq < k.last_sequence)
        flags |= quality_out_of_order;
      else if (event.previous_sequence != k.last_sequence)
        flags |= quality_sequence_gap;
    } else if (event.kind == event_kind::trade && config_.check_trade_sequence &&
               k.last_sequence != 0) {
      if (seq == k.last_sequence)
        flags |= quality_duplicate;
      else if (seq < k.last_sequence)
        flags |= quality_out_of_order;
      else if (seq > k.last_sequence + 1)
        flags |= quality_sequence_gap;
    } else if (event.kind == event_kind::quote && seq == k.last_sequence &&
               event.bid == s.last_bid && event.ask == s.last_ask &&
               event.bid_qty == s.last_bid_qty && event.ask_qty == s.last_ask_qty) {
      flags |= quality_duplicate;
    }
    if (seq > k.last_sequence)
      k.last_sequence = seq;
  }
  if (event.kind == event_kind::quote) {
    s.last_bid = event.bid;
    s.last_ask = event.ask;
    s.last_bid_qty = event.bid_qty;
    s.last_ask_qty = event.ask_qty;
  }
  return flags;
}

/// Price jump: the return from the reference level against an EWMA of squared returns.
/// A flagged print does not move the reference (a spike is an outlier) unless the new
/// level holds for jump_accept_after consecutive events.
std::uint32_t quality_checker::jump_flags(double level, instrument_state& s) const noexcept {
  if (s.ref_price <= 0.0) {
    s.ref_price = level;
    return 0;
  }
  const double r = (level - s.ref_price) / s.ref_price;
  const double r2 = r * r;
  const double limit = config_.jump_sigma * config_.jump_sigma * s.variance;
  const double min2 = config_.jump_min_fraction * config_.jump_min_fraction;
  if (s.returns >= config_.jump_warmup && r2 > limit && r2 > min2) {
    if (++s.consecutive_jumps >= config_.jump_accept_after) {
      s.ref_price = level;
      s.consecutive_jumps = 0;
    }
    return quality_price_jump;
  }
  s.consecutive_jumps = 0;
  const double a = config_.jump_ewma_alpha;
  s.variance = s.returns == 0 ? r2 : (1.0 - a) * s.variance + a * r2;
  ++s.returns;
  s.ref_price = level;
  return 0;
}

}  // namespace peak::marketdata
