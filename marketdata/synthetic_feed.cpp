#include "marketdata/synthetic_feed.hpp"

#include <cmath>

#include "messages/fixed_point.hpp"

namespace peak::marketdata {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}

constexpr double two_pow_minus_32 = 1.0 / 4294967296.0;
constexpr double two_pow_minus_53 = 1.0 / 9007199254740992.0;
constexpr double sqrt3 = 1.7320508075688772;

// Shape of the price path, as shares of config.volatility (see docs/MARKET_DATA.md). The
// level moves smoothly (trend drift, slow flow) under small fast noise, so moving averages
// see trends: a 20/80 crossover crosses about a thousand times in 1M events, mostly in the
// volatile and ranging stretches, rarely within a trend.
constexpr double trend_share = 0.04;          ///< trend drift per event (x 0.5..1.5)
constexpr double walk_share = 0.01;           ///< random-walk step per event
constexpr double noise_share = 0.05;          ///< quoted-mid noise, calm regimes
constexpr double volatile_noise_share = 0.2;  ///< quoted-mid noise, volatile regime
constexpr double volatile_factor = 2.5;       ///< random-walk step multiplier, volatile
constexpr double flow_tau = 3000.0;           ///< events: memory of the wandering flow
constexpr double flow_keep = 1.0 - 1.0 / flow_tau;
constexpr double flow_share = 0.04 * 0.025819888974716113;  ///< 0.04 * sqrt(2 / flow_tau)
/// Mean-reversion strength toward the anchor (per event, relative).
constexpr double range_reversion = 0.0005;
/// Fixed capture latency: receive time = event time + 1 ms.
constexpr std::int64_t receive_latency_ns = 1'000'000;
/// Per-event easing of volatility toward the regime's target (no step changes).
constexpr double vol_easing = 0.01;

}  // namespace

synthetic_feed::synthetic_feed(const synthetic_config& config, std::uint64_t seed)
    : config_(config) {
  if (config_.instruments == 0)
    config_.instruments = 1;
  if (config_.mean_interval_ns < 0)
    config_.mean_interval_ns = 0;
  if (!(config_.start_price > 0.0))
    config_.start_price = 100.0;
  if (!(config_.volatility >= 0.0))
    config_.volatility = 0.0004;
  if (!(config_.spread_ticks >= 1.0))
    config_.spread_ticks = 1.0;
  if (config_.regime_length == 0)
    config_.regime_length = 1;
  std::uint64_t sm = seed;
  for (auto& word : rng_)
    word = splitmix64(sm);
  tick_raw_ = fixed::from_double(config_.tick_size);
  if (tick_raw_ <= 0)
    tick_raw_ = 1;
  lot_raw_ = fixed::from_double(config_.lot_size);
  if (lot_raw_ <= 0)
    lot_raw_ = 1;
  now_ = config_.start_time;
  states_.resize(config_.instruments);
  const double tick = fixed::to_double(tick_raw_);
  for (std::uint32_t i = 0; i < config_.instruments; ++i) {
    instrument_state& s = states_[i];
    // Instruments start at different levels so they are not copies of each other.
    s.mid = config_.start_price * (1.0 + 0.1 * static_cast<double>(i));
    if (s.mid < 100.0 * tick)
      s.mid = 100.0 * tick;
    s.anchor = s.mid;
    s.spread = static_cast<std::int64_t>(config_.spread_ticks + 0.5);
    start_regime(s);
    s.vol = s.target_vol;
  }
  stats_.regime_switches = 0;
}

std::uint64_t synthetic_feed::next_u64() noexcept {
  // xoshiro256** (Blackman & Vigna).
  const std::uint64_t result = rotl(rng_[1] * 5, 7) * 9;
  const std::uint64_t t = rng_[1] << 17;
  rng_[2] ^= rng_[0];
  rng_[3] ^= rng_[1];
  rng_[1] ^= rng_[2];
  rng_[0] ^= rng_[3];
  rng_[2] ^= t;
  rng_[3] = rotl(rng_[3], 45);
  return result;
}

double synthetic_feed::uniform() noexcept {
  return static_cast<double>(next_u64() >> 11) * two_pow_minus_53;
}

double synthetic_feed::normal() noexcept {
  const std::uint64_t a = next_u64();
  const std::uint64_t b = next_u64();
  const double sum = static_cast<double>(a & 0xFFFF'FFFFull) * two_pow_minus_32 +
                     static_cast<double>(a >> 32) * two_pow_minus_32 +
                     static_cast<double>(b & 0xFFFF'FFFFull) * two_pow_minus_32 +
                     static_cast<double>(b >> 32) * two_pow_minus_32;
  return (sum - 2.0) * sqrt3;
}

void synthetic_feed::start_regime(instrument_state& s) noexcept {
  // A different regime from the current one, chosen uniformly among the other three.
  const auto current = static_cast<std::uint32_t>(s.regime);
  const auto step = static_cast<std::uint32_t>(1 + next_u64() % 3);
  s.regime = static_cast<synthetic_regime>((current + step) % 4);
  const double base = config_.volatility;
  switch (s.regime) {
    case synthetic_regime::trend_up:
    case synthetic_regime::trend_down: {
      const double magnitude = base * trend_share * (0.5 + uniform());
      s.drift = s.regime == synthetic_regime::trend_up ? magnitude : -magnitude;
      s.target_vol = base;
      s.noise = base * noise_share;
      break;
    }
    case synthetic_regime::ranging:
      s.drift = 0.0;
      s.anchor = s.mid;
      s.target_vol = base;
      s.noise = base * noise_share;
      break;
    case synthetic_regime::volatile_:
      s.drift = 0.0;
      s.anchor = s.mid;
      s.target_vol = base * volatile_factor;
      s.noise = base * volatile_noise_share;
      break;
  }
  const std::uint64_t len = config_.regime_length;
  s.remaining = len / 2 + next_u64() % (len + 1);
  ++stats_.regime_switches;
}

bool synthetic_feed::next(market_event& out) {
  if (stats_.events >= config_.events)
    return false;

  // Time: a random interval in [0, 2 * mean]; fault gaps add a jump.
  const auto span = static_cast<std::uint64_t>(config_.mean_interval_ns) * 2 + 1;
  now_ += static_cast<std::int64_t>(next_u64() % span) + pending_delay_ns_;
  pending_delay_ns_ = 0;
  if (config_.fault_gap > 0.0 && uniform() < config_.fault_gap) {
    now_ += gap_fault_ns;
    ++stats_.faults_gap;
  }

  const instrument_id id = next_instrument_;
  next_instrument_ = next_instrument_ + 1 == config_.instruments ? 0 : next_instrument_ + 1;
  instrument_state& s = states_[id];
  const double observed = step_level(s);
  std::int64_t bid_ticks = 0;
  std::int64_t ask_ticks = 0;
  quote_ticks(s, observed, bid_ticks, ask_ticks);

  out = market_event{};
  out.ts_event = now_;
  out.ts_receive = now_ + receive_latency_ns;
  out.instrument = id;
  const std::uint64_t draw = next_u64();
  if (uniform() < config_.trade_probability)
    make_trade(out, s, bid_ticks, ask_ticks, draw);
  else
    make_quote(out, s, bid_ticks, ask_ticks, draw);

  if (config_.fault_stale > 0.0 && uniform() < config_.fault_stale) {
    // The feed goes quiet for a while: the next event (any instrument) comes late, so
    // every instrument is stale when it resumes.
    pending_delay_ns_ = stale_fault_ns;
    ++stats_.faults_stale;
  }
  ++stats_.events;
  return true;
}

/// Regime bookkeeping and the price step; returns the observed (noisy) mid.
double synthetic_feed::step_level(instrument_state& s) noexcept {
  if (s.remaining == 0)
    start_regime(s);
  --s.remaining;
  s.vol += (s.target_vol - s.vol) * vol_easing;
  // The level: a trend drift, a slow wandering flow (ranging/volatile) with mean reversion
  // toward the anchor, and a small random walk. The quoted mid adds fast noise on top.
  double r = s.drift + s.vol * walk_share * normal();
  if (s.regime == synthetic_regime::ranging || s.regime == synthetic_regime::volatile_) {
    s.flow = s.flow * flow_keep + config_.volatility * flow_share * normal();
    r += s.flow - range_reversion * (s.mid - s.anchor) / s.anchor;
  }
  s.mid *= 1.0 + r;
  const double tick = fixed::to_double(tick_raw_);
  if (s.mid < 100.0 * tick) {  // keep well above the tick: reflect off the floor
    s.mid = 100.0 * tick;
    if (s.drift < 0.0)
      s.drift = -s.drift;
    s.flow = 0.0;
  }
  return s.mid * (1.0 + s.noise * normal());
}

/// Spread: mostly the typical value, sometimes wider (more often when volatile).
void synthetic_feed::quote_ticks(instrument_state& s, double observed, std::int64_t& bid_ticks,
                                 std::int64_t& ask_ticks) noexcept {
  const auto typical = static_cast<std::int64_t>(config_.spread_ticks + 0.5);
  if ((next_u64() & 7u) == 0) {
    const std::uint64_t widen = s.regime == synthetic_regime::volatile_ ? 3 : 2;
    s.spread =
        1 + static_cast<std::int64_t>(next_u64() % (static_cast<std::uint64_t>(typical) * widen));
  }
  const double mid_ticks = observed / fixed::to_double(tick_raw_);
  bid_ticks =
      static_cast<std::int64_t>(std::floor(mid_ticks - static_cast<double>(s.spread) / 2.0));
  ask_ticks = bid_ticks + s.spread;
}

/// A trade at the ask (buyer) or the bid (seller), possibly a spike fault.
void synthetic_feed::make_trade(market_event& out, instrument_state& s, std::int64_t bid_ticks,
                                std::int64_t ask_ticks, std::uint64_t draw) noexcept {
  out.kind = event_kind::trade;
  out.sequence = ++s.trade_id;
  const bool buyer = (draw & 1u) != 0;
  out.taker = buyer ? aggressor::buyer : aggressor::seller;
  std::int64_t px_ticks = buyer ? ask_ticks : bid_ticks;
  if (config_.fault_spike > 0.0 && uniform() < config_.fault_spike) {
    const double away = (draw & 2u) != 0 ? 1.0 + spike_fraction : 1.0 - spike_fraction;
    px_ticks = static_cast<std::int64_t>(std::floor(static_cast<double>(px_ticks) * away));
    ++stats_.faults_spike;
  }
  out.px = price{px_ticks * tick_raw_};
  out.qty = quantity{static_cast<std::int64_t>(1 + ((draw >> 8) % 20)) * lot_raw_};
  ++stats_.trades;
}

/// A quote on the tick grid, possibly a crossed fault.
void synthetic_feed::make_quote(market_event& out, instrument_state& s, std::int64_t bid_ticks,
                                std::int64_t ask_ticks, std::uint64_t draw) noexcept {
  out.kind = event_kind::quote;
  out.sequence = ++s.update_id;
  std::int64_t b = bid_ticks;
  if (config_.fault_crossed > 0.0 && uniform() < config_.fault_crossed) {
    b = ask_ticks + 1;
    ++stats_.faults_crossed;
  }
  out.bid = price{b * tick_raw_};
  out.ask = price{ask_ticks * tick_raw_};
  out.bid_qty = quantity{static_cast<std::int64_t>(1 + ((draw >> 8) % 100)) * lot_raw_};
  out.ask_qty = quantity{static_cast<std::int64_t>(1 + ((draw >> 24) % 100)) * lot_raw_};
  ++stats_.quotes;
}

}  // namespace peak::marketdata
