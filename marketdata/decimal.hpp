#pragma once
/// Exact text-to-integer conversions used by the feed readers: decimal strings to 1e-8
/// fixed point, epoch seconds to nanoseconds, ISO-8601 UTC times to nanoseconds. No
/// floating point, no locale, no allocation; every function rejects what it cannot read.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace peak::marketdata {

/// Parses a decimal number (`-12.345`, `1e-5`, `.5`) into an integer count of 10^-scale
/// units, rounding half away from zero beyond `scale` digits. False on anything else
/// (empty, NaN, inf, stray characters) or on overflow of int64.
[[nodiscard]] bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept;

/// parse_scaled for text in a buffer with at least 8 readable bytes after its end (the
/// feed readers' padded lines): same results, reads the digits 8 bytes at a time.
[[nodiscard]] bool parse_scaled_padded(const char* text, std::size_t length, int scale,
                                       std::int64_t& out) noexcept;

/// An integer (`[-+]digits`, no fraction or exponent) in a padded buffer as for
/// parse_scaled_padded; false on anything else or on overflow of int64.
[[nodiscard]] bool parse_integer_padded(const char* text, std::size_t length,
                                        std::int64_t& out) noexcept;

namespace detail {
/// parse_scaled without its fast path (the reference the fast path must agree with).
[[nodiscard]] bool parse_scaled_general(std::string_view text, int scale,
                                        std::int64_t& out) noexcept;
}  // namespace detail

/// Decimal text to 1e-8 fixed point (prices, sizes).
[[nodiscard]] inline bool parse_fixed(std::string_view text, std::int64_t& raw) noexcept {
  return parse_scaled(text, 8, raw);
}

/// Epoch seconds with an optional fraction (`1633998512.0633569`) to nanoseconds.
[[nodiscard]] inline bool parse_epoch_seconds(std::string_view text, std::int64_t& ns) noexcept {
  return parse_scaled(text, 9, ns);
}

/// value * factor without overflow (e.g. epoch milliseconds to nanoseconds); false if the
/// result does not fit in int64.
[[nodiscard]] inline bool scale_checked(std::int64_t value, std::int64_t factor,
                                        std::int64_t& out) noexcept {
  return !__builtin_mul_overflow(value, factor, &out);
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

/// ISO-8601 date-time (`2021-04-17T16:43:37.089723Z`, `2012-02-01 00:00:00+00:00`, no zone
/// = UTC, up to 9 fraction digits) to nanoseconds since the epoch.
[[nodiscard]] bool parse_iso8601(std::string_view text, std::int64_t& ns) noexcept;

/// A CSV timestamp: ISO-8601, or a number of epoch seconds, milliseconds, microseconds or
/// nanoseconds (unit chosen by magnitude: < 1e11 s, < 1e14 ms, < 1e17 us, else ns).
[[nodiscard]] bool parse_timestamp(std::string_view text, std::int64_t& ns) noexcept;

}  // namespace peak::marketdata
