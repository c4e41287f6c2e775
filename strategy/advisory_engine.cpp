#include "strategy/advisory_engine.hpp"

#include <cmath>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace peak::strategy {
namespace {

/// One allowed parameter: name, default, bounds (inclusive) and whether it is an integer.
struct param_rule {
  const char* name;
  double fallback;
  double min;
  double max;
  bool integer;
};

constexpr param_rule common_params[] = {
    {"stop_bps", 25.0, 0.01, 5000.0, false},
    {"take_profit_bps", 50.0, 0.01, 100000.0, false},
    {"long_only", 0.0, 0.0, 1.0, true},
    {"regime_filter", 0.0, 0.0, 1.0, true},
};
constexpr param_rule ma_params[] = {
    {"fast", 10.0, 1.0, 100000.0, true},
    {"slow", 30.0, 2.0, 1000000.0, true},
};
constexpr param_rule rsi_params[] = {
    {"period", 14.0, 2.0, 100000.0, true},
    {"oversold", 30.0, 0.01, 99.99, false},
    {"overbought", 70.0, 0.01, 99.99, false},
    {"exit_level", 50.0, 0.01, 99.99, false},
};
constexpr param_rule donchian_params[] = {
    {"period", 20.0, 2.0, 100000.0, true},
    {"exit_period", 10.0, 1.0, 100000.0, true},
};

struct kind_info {
  const char* name;
  strategy_kind kind;
  const param_rule* params;
  std::size_t count;
};

constexpr kind_info kinds[] = {
    {"ma_crossover", strategy_kind::ma_crossover, ma_params, std::size(ma_params)},
    {"rsi_reversion", strategy_kind::rsi_reversion, rsi_params, std::size(rsi_params)},
    {"donchian_breakout", strategy_kind::donchian_breakout, donchian_params,
     std::size(donchian_params)},
};

const kind_info* find_kind(const std::string& name) {
  for (const auto& k : kinds)
    if (name == k.name)
      return &k;
  return nullptr;
}

const param_rule* find_param(const kind_info& k, const std::string& name) {
  for (std::size_t i = 0; i < k.count; ++i)
    if (name == k.params[i].name)
      return &k.params[i];
  for (const auto& p : common_params)
    if (name == p.name)
      return &p;
  return nullptr;
}

double param(const strategy_spec& spec, const kind_info& k, const char* name) {
  const auto it = spec.params.find(name);
  if (it != spec.params.end())
    return it->second;
  const param_rule* p = find_param(k, name);
  return p != nullptr ? p->fallback : 0.0;
}

std::uint32_t period_param(const strategy_spec& spec, const kind_info& k, const char* name) {
  return static_cast<std::uint32_t>(std::llround(param(spec, k, name)));
}

std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

/// Price an event offers to strategies: trade price, quote mid, bar close; 0 if none.
price event_price(const market_event& e) noexcept {
  switch (e.kind) {
    case event_kind::trade:
    case event_kind::bar:
      return e.px;
    case event_kind::quote:
      if (e.bid.raw <= 0 || e.ask.raw <= 0)
        return price{0};
      return price{fixed::saturate((static_cast<fixed::wide>(e.bid.raw) + e.ask.raw) / 2)};
    case event_kind::book:
      return price{0};
  }
  return price{0};
}

constexpr std::uint32_t unusable_price =
    quality_bad_price | quality_out_of_order | quality_duplicate;

/// Rounds `raw` down (or up) to a multiple of `step` (step <= 0: unchanged).
std::int64_t round_to(std::int64_t raw, std::int64_t step, bool up) noexcept {
  if (step <= 0)
    return raw;
  std::int64_t q = raw / step;
  if (up && q * step < raw)
    ++q;
  return q * step;
}

std::int64_t offset(std::int64_t raw, std::int64_t bps_x100) noexcept {
  return fixed::saturate(static_cast<fixed::wide>(raw) * bps_x100 / 1'000'000);
}

}  // namespace

std::string validate_strategies(const std::vector<strategy_spec>& strategies,
                                std::size_t instrument_count) {
  if (strategies.size() > std::numeric_limits<std::uint16_t>::max())
    return "too many strategies (" + std::to_string(strategies.size()) + ")";
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    const strategy_spec& s = strategies[i];
    const std::string where = "strategies[" + std::to_string(i) + "] (" + s.name + "): ";
    const kind_info* k = find_kind(s.name);
    if (k == nullptr)
      return "strategies[" + std::to_string(i) + "]: unknown strategy \"" + s.name +
             "\" (expected ma_crossover, rsi_reversion or donchian_breakout)";
    if (s.instrument >= instrument_count)
      return where + "instrument " + std::to_string(s.instrument) + " out of range (" +
             std::to_string(instrument_count) + " instruments configured)";
    if (s.order_notional.raw <= 0)
      return where + "order_notional must be positive (got " +
             number(fixed::to_double(s.order_notional.raw)) + ")";
    for (const auto& [name, value] : s.params) {
      const param_rule* p = find_param(*k, name);
      if (p == nullptr) {
        std::string known;
        for (std::size_t j = 0; j < k->count; ++j)
          known += std::string(known.empty() ? "" : ", ") + k->params[j].name;
        for (const auto& c : common_params)
          known += std::string(", ") + c.name;
        std::string message = where;
        message.append("unknown parameter \"").append(name).append("\" (expected one of ");
        return message.append(known).append(")");
      }
      if (!std::isfinite(value) || value < p->min || value > p->max)
        return where + name + " = " + number(value) + " is outside [" + number(p->min) + ", " +
               number(p->max) + "]";
      if (p->integer && value != std::floor(value))
        return where + name + " = " + number(value) + " must be a whole number";
    }
    switch (k->kind) {
      case strategy_kind::ma_crossover: {
        const double fast = param(s, *k, "fast");
        const double slow = param(s, *k, "slow");
        if (fast >= slow)
          return where + "fast (" + number(fast) + ") must be less than slow (" + number(slow) +
                 ")";
        break;
      }
      case strategy_kind::rsi_reversion: {
        const double lo = param(s, *k, "oversold");
        const double mid = param(s, *k, "exit_level");
        const double hi = param(s, *k, "overbought");
        if (!(lo < mid && mid < hi))
          return where + "need oversold (" + number(lo) + ") < exit_level (" + number(mid) +
                 ") < overbought (" + number(hi) + ")";
        break;
      }
      case strategy_kind::donchian_breakout:
        break;
    }
  }
  return "";
}

bool checklist_complete(const trade_intent& intent, quantity lot_size,
                        money order_notional) noexcept {
  const risk_checklist& c = intent.checklist;
  if (c.direction != side::buy && c.direction != side::sell)
    return false;
  if (c.entry_reference.raw <= 0 || c.stop.raw <= 0 || c.take_profit.raw <= 0 || c.size.raw <= 0)
    return false;
  if (lot_size.raw > 0 && c.size.raw % lot_size.raw != 0)
    return false;
  if (c.notional != fixed::abs_notional(c.entry_reference, c.size) || c.notional.raw <= 0)
    return false;
  if (c.rule == 0)
    return false;
  if (intent.kind == intent_kind::entry) {
    if (c.notional.raw > order_notional.raw)
      return false;
    const std::int64_t e = c.entry_reference.raw;
    if (c.direction == side::buy ? !(c.stop.raw < e && e < c.take_profit.raw)
                                 : !(c.take_profit.raw < e && e < c.stop.raw))
      return false;
  }
  return true;
}

advisory_engine::advisory_engine(std::vector<strategy_spec> strategies,
                                 std::vector<instrument_spec> instruments)
    : instruments_(std::move(instruments)) {
  const std::string why = validate_strategies(strategies, instruments_.size());
  if (!why.empty())
    throw std::invalid_argument(why);
  by_instrument_.resize(instruments_.size());
  outlooks_.resize(instruments_.size());
  for (std::size_t i = 0; i < outlooks_.size(); ++i) {
    outlooks_[i].instrument = static_cast<instrument_id>(i);
    outlooks_[i].no_trade = no_trade_warming_up;  // fail closed until L2 speaks
  }
  runtimes_.reserve(strategies.size());
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    const strategy_spec& spec = strategies[i];
    const kind_info& k = *find_kind(spec.name);
    strategy_runtime r;
    r.kind = k.kind;
    r.index = static_cast<std::uint16_t>(i);
    r.instrument = spec.instrument;
    r.order_notional = spec.order_notional;
    r.stop_bps_x100 = std::llround(param(spec, k, "stop_bps") * 100.0);
    r.take_profit_bps_x100 = std::llround(param(spec, k, "take_profit_bps") * 100.0);
    r.long_only = param(spec, k, "long_only") != 0.0;
    r.regime_filter = param(spec, k, "regime_filter") != 0.0;
    switch (k.kind) {
      case strategy_kind::ma_crossover:
        r.fast = sma(period_param(spec, k, "fast"));
        r.slow = sma(period_param(spec, k, "slow"));
        break;
      case strategy_kind::rsi_reversion:
        r.strength = rsi(period_param(spec, k, "period"));
        r.oversold = param(spec, k, "oversold");
        r.overbought = param(spec, k, "overbought");
        r.exit_level = param(spec, k, "exit_level");
        break;
      case strategy_kind::donchian_breakout:
        r.entry_channel = donchian(period_param(spec, k, "period"));
        r.exit_channel = donchian(period_param(spec, k, "exit_period"));
        break;
    }
    runtimes_.push_back(std::move(r));
    by_instrument_[spec.instrument].push_back(i);
  }
}

void advisory_engine::on_outlook(const outlook& view) noexcept {
  if (view.instrument < outlooks_.size())
    outlooks_[view.instrument] = view;
}

const advisory_stats& advisory_engine::stats(std::size_t index) const {
  return runtimes_.at(index).stats;
}

int advisory_engine::position(std::size_t index) const {
  return runtimes_.at(index).position;
}

std::size_t advisory_engine::on_event(const market_event& event, std::vector<trade_intent>& out) {
  if (event.instrument >= by_instrument_.size() || (event.quality & unusable_price) != 0)
    return 0;
  const price px = event_price(event);
  if (px.raw <= 0)
    return 0;
  const std::size_t before = out.size();
  for (const std::size_t i : by_instrument_[event.instrument])
    run(runtimes_[i], event, px, out);
  return out.size() - before;
}

bool advisory_engine::emit_entry(strategy_runtime& s, const market_event& event, price px,
                                 side direction, std::uint16_t rule,
                                 std::vector<trade_intent>& out) {
  const outlook& view = outlooks_[s.instrument];
  if (view.no_trade != 0) {
    ++s.stats.blocked_no_trade;
    return false;
  }
  if (s.regime_filter && ((direction == side::buy && view.state == regime::bear) ||
                          (direction == side::sell && view.state == regime::bull))) {
    ++s.stats.blocked_regime;
    return false;
  }
  const instrument_spec& ins = instruments_[s.instrument];
  const std::int64_t lot = ins.lot_size.raw > 0 ? ins.lot_size.raw : 1;
  const std::int64_t tick = ins.tick_size.raw;
  const std::int64_t e = px.raw;
  std::int64_t size =
      fixed::saturate(static_cast<fixed::wide>(s.order_notional.raw) * fixed_scale / e);
  size -= size % lot;
  const bool buy = direction == side::buy;
  const std::int64_t stop_off = offset(e, s.stop_bps_x100);
  const std::int64_t take_off = offset(e, s.take_profit_bps_x100);
  trade_intent t;
  t.instrument = s.instrument;
  t.ts_event = event.ts_event;
  t.strategy = s.index;
  t.kind = intent_kind::entry;
  risk_checklist& c = t.checklist;
  c.direction = direction;
  c.entry_reference = px;
  // Stops round away from the entry, take-profits too (never tighter than asked).
  c.stop = price{buy ? round_to(e - stop_off, tick, false) : round_to(e + stop_off, tick, true)};
  c.take_profit =
      price{buy ? round_to(e + take_off, tick, true) : round_to(e - take_off, tick, false)};
  c.size = quantity{size};
  c.notional = fixed::abs_notional(px, c.size);
  c.assumed = view.state;
  c.rule = rule;
  if (!checklist_complete(t, ins.lot_size, s.order_notional)) {
    ++s.stats.incomplete;
    return false;
  }
  t.intent_id = next_id_++;
  out.push_back(t);
  ++s.stats.entries;
  s.position = buy ? 1 : -1;
  s.size = c.size;
  s.stop = c.stop;
  s.take_profit = c.take_profit;
  return true;
}

bool advisory_engine::emit_exit(strategy_runtime& s, const market_event& event, price px,
                                std::uint16_t rule, std::vector<trade_intent>& out) {
  const outlook& view = outlooks_[s.instrument];
  trade_intent t;
  t.instrument = s.instrument;
  t.ts_event = event.ts_event;
  t.strategy = s.index;
  t.kind = intent_kind::exit;
  risk_checklist& c = t.checklist;
  c.direction = s.position > 0 ? side::sell : side::buy;
  c.entry_reference = px;
  c.stop = s.stop;
  c.take_profit = s.take_profit;
  c.size = s.size;
  c.notional = fixed::abs_notional(px, s.size);
  c.assumed = view.state;
  c.rule = rule;
  // The position is closed in the strategy's own book either way: a stuck position would
  // only keep asking.
  s.position = 0;
  if (!checklist_complete(t, instruments_[s.instrument].lot_size, s.order_notional)) {
    ++s.stats.incomplete;
    return false;
  }
  t.intent_id = next_id_++;
  out.push_back(t);
  ++s.stats.exits;
  return true;
}

void advisory_engine::run(strategy_runtime& s, const market_event& event, price px,
                          std::vector<trade_intent>& out) {
  const double p = fixed::to_double(px.raw);

  // Protective exits first: stop and take-profit on the strategy's assumed position.
  if (s.position > 0) {
    if (px.raw <= s.stop.raw)
      emit_exit(s, event, px, rule_stop_hit, out);
    else if (px.raw >= s.take_profit.raw)
      emit_exit(s, event, px, rule_take_profit_hit, out);
  } else if (s.position < 0) {
    if (px.raw >= s.stop.raw)
      emit_exit(s, event, px, rule_stop_hit, out);
    else if (px.raw <= s.take_profit.raw)
      emit_exit(s, event, px, rule_take_profit_hit, out);
  }

  switch (s.kind) {
    case strategy_kind::ma_crossover: {
      s.fast.update(p);
      s.slow.update(p);
      if (!s.slow.ready() || !s.fast.ready())
        break;
      const double diff = s.fast.value() - s.slow.value();
      if (s.has_prev) {
        const bool up = s.prev <= 0.0 && diff > 0.0;
        const bool down = s.prev >= 0.0 && diff < 0.0;
        if (up) {
          if (s.position < 0)
            emit_exit(s, event, px, rule_ma_cross_up_exit, out);
          if (s.position == 0)
            emit_entry(s, event, px, side::buy, rule_ma_cross_up_long, out);
        } else if (down) {
          if (s.position > 0)
            emit_exit(s, event, px, rule_ma_cross_down_exit, out);
          if (s.position == 0 && !s.long_only)
            emit_entry(s, event, px, side::sell, rule_ma_cross_down_short, out);
        }
      }
      s.prev = diff;
      s.has_prev = true;
      break;
    }
    case strategy_kind::rsi_reversion: {
      s.strength.update(p);
      if (!s.strength.ready())
        break;
      const double r = s.strength.value();
      if (s.position > 0 && r >= s.exit_level)
        emit_exit(s, event, px, rule_rsi_exit_long, out);
      else if (s.position < 0 && r <= s.exit_level)
        emit_exit(s, event, px, rule_rsi_exit_short, out);
      if (s.has_prev && s.position == 0) {
        if (s.prev < s.oversold && r >= s.oversold)
          emit_entry(s, event, px, side::buy, rule_rsi_oversold_long, out);
        else if (s.prev > s.overbought && r <= s.overbought && !s.long_only)
          emit_entry(s, event, px, side::sell, rule_rsi_overbought_short, out);
      }
      s.prev = r;
      s.has_prev = true;
      break;
    }
    case strategy_kind::donchian_breakout: {
      // Channels of the previous prices: evaluate first, then add this price.
      if (s.position > 0 && s.exit_channel.ready() && p < s.exit_channel.lower())
        emit_exit(s, event, px, rule_donchian_exit_long, out);
      else if (s.position < 0 && s.exit_channel.ready() && p > s.exit_channel.upper())
        emit_exit(s, event, px, rule_donchian_exit_short, out);
      if (s.position == 0 && s.entry_channel.ready()) {
        if (p > s.entry_channel.upper())
          emit_entry(s, event, px, side::buy, rule_donchian_up_long, out);
        else if (p < s.entry_channel.lower() && !s.long_only)
          emit_entry(s, event, px, side::sell, rule_donchian_down_short, out);
      }
      s.entry_channel.update(p, p);
      s.exit_channel.update(p, p);
      break;
    }
  }
}

}  // namespace peak::strategy
