#pragma once
/// The one home for deterministic text of fixed-point values and UTC instants (no locale, no
/// double): 1e-8 raw values print exactly; instants print as RFC 3339 UTC. Header-only.

#include <charconv>
#include <cstdint>
#include <string>

#include "messages/fixed_point.hpp"

namespace peak::text {

/// How many fraction digits a fixed-point value gets.
enum class fraction_digits {
  trimmed,  ///< trailing zeros dropped, no '.' for whole values: "12.5", "3"
  all,      ///< always eight digits: "12.50000000", "3.00000000"
};

/// Appends the decimal digits of `v` (what std::to_string writes) without a temporary.
inline void append_uint(std::string& out, std::uint64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, r.ptr);
}

/// Signed twin of append_uint().
inline void append_int(std::string& out, std::int64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, r.ptr);
}

/// Appends the exact decimal text of a 1e-8 fixed-point raw value (INT64_MIN included).
inline void append_fixed(std::string& out, std::int64_t raw,
                         fraction_digits digits = fraction_digits::trimmed) {
  const bool negative = raw < 0;
  const std::uint64_t mag = negative ? 0u - static_cast<std::uint64_t>(raw)
                                     : static_cast<std::uint64_t>(raw);
  constexpr auto scale = static_cast<std::uint64_t>(fixed_scale);
  std::uint64_t frac = mag % scale;
  if (negative)
    out += '-';
  append_uint(out, mag / scale);
  if (frac == 0 && digits == fraction_digits::trimmed)
    return;
  char buf[fixed_decimals];
  for (int i = fixed_decimals - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int len = fixed_decimals;
  while (digits == fraction_digits::trimmed && len > 0 && buf[len - 1] == '0')
    --len;
  out += '.';
  out.append(buf, static_cast<std::size_t>(len));
}

/// append_fixed() into a new string.
[[nodiscard]] inline std::string fixed_text(std::int64_t raw,
                                            fraction_digits digits = fraction_digits::trimmed) {
  std::string out;
  append_fixed(out, raw, digits);
  return out;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m,
                                                     unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// A calendar date.
struct civil_date {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// The date of a day count since 1970-01-01 (the inverse of days_from_civil).
[[nodiscard]] constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

/// How many fraction digits a UTC instant gets.
enum class utc_fraction {
  nanoseconds,          ///< always ".123456789"
  nanoseconds_if_any,   ///< ".123456789" only when non-zero
};

namespace detail {
inline void append_padded(std::string& out, std::uint64_t v, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}
}  // namespace detail

/// Appends RFC 3339 UTC text of nanoseconds since the epoch: 2023-11-14T22:13:20.000000000Z.
inline void append_utc(std::string& out, std::int64_t ns,
                       utc_fraction fraction = utc_fraction::nanoseconds) {
  std::int64_t secs = ns / 1'000'000'000;
  std::int64_t nanos = ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const civil_date date = civil_from_days(days);
  if (date.year < 0) {
    out += '-';
    append_uint(out, static_cast<std::uint64_t>(-date.year));
  } else if (date.year < 10000) {
    detail::append_padded(out, static_cast<std::uint64_t>(date.year), 4);
  } else {
    append_uint(out, static_cast<std::uint64_t>(date.year));
  }
  out += '-';
  detail::append_padded(out, date.month, 2);
  out += '-';
  detail::append_padded(out, date.day, 2);
  out += 'T';
  detail::append_padded(out, static_cast<std::uint64_t>(rem / 3600), 2);
  out += ':';
  detail::append_padded(out, static_cast<std::uint64_t>(rem / 60 % 60), 2);
  out += ':';
  detail::append_padded(out, static_cast<std::uint64_t>(rem % 60), 2);
  if (fraction == utc_fraction::nanoseconds || nanos != 0) {
    out += '.';
    detail::append_padded(out, static_cast<std::uint64_t>(nanos), 9);
  }
  out += 'Z';
}

/// append_utc() into a new string.
[[nodiscard]] inline std::string utc_text(std::int64_t ns,
                                          utc_fraction fraction = utc_fraction::nanoseconds) {
  std::string out;
  out.reserve(32);
  append_utc(out, ns, fraction);
  return out;
}

}  // namespace peak::text
