#include "strategy/outlook_engine.hpp"

#include <algorithm>
#include <cmath>

namespace peak::strategy {
namespace {

/// Price of an event for trend purposes: trade price, quote mid, bar close; 0 if none.
double event_price(const market_event& e) noexcept {
  switch (e.kind) {
    case event_kind::trade:
    case event_kind::bar:
      return e.px.raw > 0 ? fixed::to_double(e.px.raw) : 0.0;
    case event_kind::quote:
      if (e.bid.raw <= 0 || e.ask.raw <= 0)
        return 0.0;
      return (fixed::to_double(e.bid.raw) + fixed::to_double(e.ask.raw)) / 2.0;
    case event_kind::book:
      return 0.0;
  }
  return 0.0;
}

/// Flags under which an event's price must not feed the indicators.
constexpr std::uint32_t unusable_price =
    quality_bad_price | quality_out_of_order | quality_duplicate;

constexpr std::size_t bit_spread = 0;
constexpr std::size_t bit_volatility = 1;
constexpr std::size_t bit_quality = 2;
constexpr std::size_t bit_blackout = 3;
constexpr std::size_t bit_warming = 4;

}  // namespace

outlook_engine::instrument_state::instrument_state(const outlook_config& c)
    : fast(c.fast_period),
      slow(c.slow_period),
      short_vol(c.fast_period < 2 ? 2 : c.fast_period),
      spreads(c.spread_baseline_period, c.spread_baseline_period),
      vol_history(c.percentile_window == 0 ? 1 : c.percentile_window) {
  vol_sorted.reserve(vol_history.capacity() + 1);
}

outlook_engine::outlook_engine(const outlook_config& config, std::uint32_t instruments)
    : config_(config) {
  if (config_.fast_period == 0)
    config_.fast_period = 1;
  if (config_.slow_period <= config_.fast_period)
    config_.slow_period = config_.fast_period + 1;
  if (config_.emit_interval_ns <= 0)
    config_.emit_interval_ns = 60'000'000'000;
  // Merge the blackout calendar into disjoint sorted windows (O(1) amortised lookups).
  std::vector<blackout_window> windows;
  for (const auto& w : config_.blackouts)
    if (w.end > w.start)
      windows.push_back(w);
  std::sort(windows.begin(), windows.end(),
            [](const blackout_window& a, const blackout_window& b) { return a.start < b.start; });
  for (const auto& w : windows) {
    if (!merged_.empty() && w.start <= merged_.back().end)
      merged_.back().end = std::max(merged_.back().end, w.end);
    else
      merged_.push_back(blackout_window{w.start, w.end, {}});
  }
  states_.reserve(instruments);
  for (std::uint32_t i = 0; i < instruments; ++i) {
    states_.emplace_back(config_);
    outlook& o = states_.back().current;
    o.instrument = i;
    o.no_trade = no_trade_warming_up;
  }
  unknown_.no_trade = no_trade_warming_up;
}

const outlook& outlook_engine::current(instrument_id instrument) const {
  return instrument < states_.size() ? states_[instrument].current : unknown_;
}

const trigger_stats& outlook_engine::trigger(instrument_id instrument, unsigned bit) const {
  if (instrument >= states_.size() || bit >= no_trade_trigger_count)
    return no_stats_;
  return states_[instrument].triggers[bit].stats;
}

void outlook_engine::step_trigger(trigger_state& t, level l, timestamp_ns ts) const noexcept {
  trigger_stats& s = t.stats;
  if (l == level::raise) {
    t.calm_events = 0;
    if (!s.active) {
      s.active = true;
      ++s.raised;
      s.last_raised = ts;
    }
    return;
  }
  if (!s.active)
    return;
  if (l == level::hold) {
    t.calm_events = 0;
    return;
  }
  if (t.calm_events == 0)
    t.calm_since = ts;
  ++t.calm_events;
  if (t.calm_events >= config_.clear_after_events && ts - t.calm_since >= config_.clear_after_ns) {
    s.active = false;
    s.last_cleared = ts;
    s.active_ns += ts - s.last_raised;
    t.calm_events = 0;
  }
}

bool outlook_engine::in_blackout(instrument_state& s, timestamp_ns ts) const noexcept {
  if (merged_.empty())
    return false;
  if (ts < s.last_ts)
    s.blackout_cursor = 0;  // time went backwards (flagged out of order): search again
  while (s.blackout_cursor < merged_.size() && merged_[s.blackout_cursor].end <= ts)
    ++s.blackout_cursor;
  return s.blackout_cursor < merged_.size() && merged_[s.blackout_cursor].start <= ts;
}

void outlook_engine::update_price(instrument_state& s, double price, timestamp_ns ts) noexcept {
  const bool had_price = s.last_price > 0.0;
  s.fast.update(price);
  s.slow.update(price);
  s.short_vol.update(price);
  s.last_price = price;
  if (!had_price)
    return;
  const double r = s.short_vol.last_return();
  const double base_sd = std::sqrt(s.base_var);
  const bool base_warm = s.base_count >= config_.slow_period;
  // Volatility spike: short volatility against the baseline from before this return.
  if (base_warm && s.short_vol.ready()) {
    const double ratio = base_sd > 0.0 ? s.short_vol.value() / base_sd : 0.0;
    const level l = ratio >= config_.volatility_spike_ratio                           ? level::raise
                    : ratio < config_.volatility_spike_ratio * config_.clear_fraction ? level::calm
                                                                                      : level::hold;
    step_trigger(s.triggers[bit_volatility], l, ts);
  }
  // Baseline variance: clipped so a spike does not inflate its own yardstick.
  double r2 = r * r;
  if (base_warm && s.base_var > 0.0) {  // (a flat warm-up has nothing to clip against)
    const double cap = config_.volatility_spike_ratio * config_.volatility_spike_ratio * s.base_var;
    r2 = std::min(r2, cap);
  }
  const double base_period = 5.0 * static_cast<double>(config_.slow_period);
  if (static_cast<double>(s.base_count) < base_period)
    s.base_var += (r2 - s.base_var) / static_cast<double>(s.base_count + 1);
  else
    s.base_var += (r2 - s.base_var) / base_period;
  ++s.base_count;
  if (s.short_vol.ready() && ++s.since_sample >= config_.fast_period) {
    s.since_sample = 0;
    const double v = s.short_vol.value();
    const bool full = s.vol_history.full();
    const double evicted = s.vol_history.push(v);
    if (full)  // drop the evicted sample from the sorted copy (within capacity: no allocation)
      s.vol_sorted.erase(std::lower_bound(s.vol_sorted.begin(), s.vol_sorted.end(), evicted));
    s.vol_sorted.insert(std::upper_bound(s.vol_sorted.begin(), s.vol_sorted.end(), v), v);
  }
}

double outlook_engine::volatility_percentile(const instrument_state& s) const noexcept {
  const std::size_t n = s.vol_sorted.size();
  if (n == 0 || !s.short_vol.ready())
    return 0.0;
  // Mid-rank of the current short volatility among the recent samples: O(log n).
  const auto range =
      std::equal_range(s.vol_sorted.begin(), s.vol_sorted.end(), s.short_vol.value());
  const auto below = static_cast<double>(range.first - s.vol_sorted.begin());
  const auto equal = static_cast<double>(range.second - range.first);
  return std::clamp((below + 0.5 * equal) / static_cast<double>(n), 0.0, 1.0);
}

bool outlook_engine::on_event(const market_event& event, outlook& out) noexcept {
  if (event.instrument >= states_.size())
    return false;
  instrument_state& s = states_[event.instrument];
  const timestamp_ns ts = event.ts_event;

  // Data quality: any flagged fault raises; clean events count towards clearing.
  step_trigger(s.triggers[bit_quality],
               (event.quality & config_.quality_mask) != 0 ? level::raise : level::calm, ts);

  // Spread spike (quotes only): spread against the typical spread before this quote.
  if (event.kind == event_kind::quote && event.bid.raw > 0 && event.ask.raw > 0 &&
      (event.quality & unusable_price) == 0) {
    const double spread =
        std::max(0.0, fixed::to_double(event.ask.raw) - fixed::to_double(event.bid.raw));
    if (s.spreads.ready()) {
      const double typical = s.spreads.typical();
      const double ratio = typical > 0.0 ? spread / typical : 0.0;
      const level l = ratio >= config_.spread_spike_ratio                           ? level::raise
                      : ratio < config_.spread_spike_ratio * config_.clear_fraction ? level::calm
                                                                                    : level::hold;
      step_trigger(s.triggers[bit_spread], l, ts);
      // The typical spread is learnt only while no spread spike is active, so a lasting
      // widening cannot talk itself out of NO-TRADE (fail closed).
      if (!s.triggers[bit_spread].stats.active)
        s.spreads.update(spread);
    } else {
      s.spreads.update(spread);
    }
  }

  // Prices feed the trend and volatility indicators.
  const double price = (event.quality & unusable_price) == 0 ? event_price(event) : 0.0;
  if (price > 0.0)
    update_price(s, price, ts);

  // Scheduled news blackout: no hysteresis, the calendar is the rule.
  {
    trigger_stats& b = s.triggers[bit_blackout].stats;
    const bool now = in_blackout(s, ts);
    if (now && !b.active) {
      b.active = true;
      ++b.raised;
      b.last_raised = ts;
    } else if (!now && b.active) {
      b.active = false;
      b.last_cleared = ts;
      b.active_ns += ts - b.last_raised;
    }
  }
  if (ts > s.last_ts)
    s.last_ts = ts;

  // Warm-up until the slow trend, the short volatility and the baseline are all ready.
  {
    const bool warm = s.slow.ready() && s.short_vol.ready() && s.base_count >= config_.slow_period;
    trigger_stats& w = s.triggers[bit_warming].stats;
    if (!warm && !w.active && w.raised == 0) {
      w.active = true;
      w.raised = 1;
      w.last_raised = ts;
    } else if (warm && w.active) {
      w.active = false;
      w.last_cleared = ts;
      w.active_ns += ts - w.last_raised;
    }
  }

  // Regime with hysteresis on the normalised trend slope.
  const bool warm = !s.triggers[bit_warming].stats.active;
  if (warm) {
    const double base_sd = std::sqrt(s.base_var);
    const double scale =
        s.slow.value() * base_sd * std::sqrt(static_cast<double>(config_.slow_period));
    s.trend = scale > 0.0 ? (s.fast.value() - s.slow.value()) / scale : 0.0;
    const double z = s.trend;
    switch (s.state) {
      case regime::neutral:
        s.state = z >= config_.regime_enter    ? regime::bull
                  : z <= -config_.regime_enter ? regime::bear
                                               : regime::neutral;
        break;
      case regime::bull:
        s.state = z <= -config_.regime_enter ? regime::bear
                  : z < config_.regime_exit  ? regime::neutral
                                             : regime::bull;
        break;
      case regime::bear:
        s.state = z >= config_.regime_enter  ? regime::bull
                  : z > -config_.regime_exit ? regime::neutral
                                             : regime::bear;
        break;
    }
  }

  std::uint32_t bits = 0;
  for (std::size_t b = 0; b < no_trade_trigger_count; ++b)
    if (s.triggers[b].stats.active)
      bits |= 1u << b;

  const bool changed = !s.has_emitted || s.state != s.emitted.state || bits != s.emitted.no_trade;
  const bool scheduled = s.has_emitted && ts - s.emitted.ts_event >= config_.emit_interval_ns;
  if (!changed && !scheduled)
    return false;

  outlook& o = s.current;
  o.instrument = event.instrument;
  o.ts_event = ts;
  o.state = s.state;
  o.no_trade = bits;
  o.trend_slope = warm ? s.trend : 0.0;
  o.volatility_percentile = volatility_percentile(s);
  if (!warm || (bits & no_trade_volatility_spike) != 0) {
    o.uncertainty = 1.0;
  } else {
    const double denom = 2.0 * config_.regime_enter;
    o.uncertainty = denom > 0.0 ? std::clamp(1.0 - std::fabs(s.trend) / denom, 0.0, 1.0) : 0.0;
  }
  s.emitted = o;
  s.has_emitted = true;
  out = o;
  return true;
}

}  // namespace peak::strategy
