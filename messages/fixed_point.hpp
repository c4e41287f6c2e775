#pragma once
/// Fixed-point money, price and quantity types. Every value on the order path is an
/// integer count of 1e-8 units (the same scale for prices, quantities and money), so
/// sums are exact and runs are byte-reproducible. Indicators may use double.

#include <cmath>
#include <cstdint>
#include <limits>

namespace peak {

/// Number of raw units per whole unit (1e-8 resolution).
inline constexpr std::int64_t fixed_scale = 100'000'000;
inline constexpr int fixed_decimals = 8;

/// A price in 1e-8 quote-currency units.
struct price {
  std::int64_t raw = 0;
};

/// A quantity in 1e-8 base units; signed where it is a position.
struct quantity {
  std::int64_t raw = 0;
};

/// An amount of money in 1e-8 quote-currency units.
struct money {
  std::int64_t raw = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price& x) {
  return f(x.raw);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quantity& x) {
  return f(x.raw);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, money& x) {
  return f(x.raw);
}

constexpr bool operator==(price a, price b) {
  return a.raw == b.raw;
}
constexpr bool operator!=(price a, price b) {
  return a.raw != b.raw;
}
constexpr bool operator<(price a, price b) {
  return a.raw < b.raw;
}
constexpr bool operator==(quantity a, quantity b) {
  return a.raw == b.raw;
}
constexpr bool operator!=(quantity a, quantity b) {
  return a.raw != b.raw;
}
constexpr bool operator==(money a, money b) {
  return a.raw == b.raw;
}
constexpr bool operator!=(money a, money b) {
  return a.raw != b.raw;
}

namespace fixed {

/// 128-bit intermediate for exact products (a GCC/Clang extension, hence __extension__).
__extension__ typedef __int128 wide;

/// Saturating conversion of a raw 128-bit intermediate to 64 bits.
constexpr std::int64_t saturate(wide v) {
  constexpr auto hi = static_cast<wide>(std::numeric_limits<std::int64_t>::max());
  constexpr auto lo = static_cast<wide>(std::numeric_limits<std::int64_t>::min());
  return v > hi
             ? std::numeric_limits<std::int64_t>::max()
             : (v < lo ? std::numeric_limits<std::int64_t>::min() : static_cast<std::int64_t>(v));
}

/// Rounds a double to the nearest raw unit; NaN maps to 0, out-of-range saturates.
inline std::int64_t from_double(double v) {
  if (std::isnan(v))
    return 0;
  const double scaled = std::nearbyint(v * static_cast<double>(fixed_scale));
  if (scaled >= 9.2e18)
    return std::numeric_limits<std::int64_t>::max();
  if (scaled <= -9.2e18)
    return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(scaled);
}

constexpr double to_double(std::int64_t raw) {
  return static_cast<double>(raw) / static_cast<double>(fixed_scale);
}

inline price make_price(double v) {
  return price{from_double(v)};
}
inline quantity make_quantity(double v) {
  return quantity{from_double(v)};
}
inline money make_money(double v) {
  return money{from_double(v)};
}

/// price × quantity → money, exact to 1e-8 (truncated toward zero), saturating.
constexpr money notional(price p, quantity q) {
  return money{saturate(static_cast<wide>(p.raw) * q.raw / fixed_scale)};
}

/// |price × quantity|.
constexpr money abs_notional(price p, quantity q) {
  const money m = notional(p, q);
  return money{m.raw < 0 ? (m.raw == std::numeric_limits<std::int64_t>::min()
                                ? std::numeric_limits<std::int64_t>::max()
                                : -m.raw)
                         : m.raw};
}

/// Saturating addition of raw values.
constexpr std::int64_t add(std::int64_t a, std::int64_t b) {
  return saturate(static_cast<wide>(a) + b);
}

/// money × basis points (1 bp = 1e-4), truncated toward zero.
constexpr money apply_bps(money m, std::int64_t bps_times_100) {
  // bps_times_100: hundredths of a basis point, so 1.25 bp == 125.
  return money{saturate(static_cast<wide>(m.raw) * bps_times_100 / 1'000'000)};
}

}  // namespace fixed
}  // namespace peak
