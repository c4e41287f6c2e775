#pragma once
/// Exact text-to-integer conversions used by the feed readers: decimal strings to 1e-8
/// fixed point, epoch seconds to nanoseconds, ISO-8601 UTC times to nanoseconds. No
/// floating point, no locale, no allocation; every function rejects what it cannot read.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "messages/fixed_text.hpp"

namespace peak::marketdata {

/// Parses a decimal number (`-12.345`, `1e-5`, `.5`) into an integer count of 10^-scale
/// units, rounding half away from zero beyond `scale` digits. False on anything else
/// (empty, NaN, inf, stray characters) or on overflow of int64.
[[nodiscard]] bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept;

namespace detail {

/// parse_scaled without its fast path (the reference the fast path must agree with).
[[nodiscard]] bool parse_scaled_general(std::string_view text, int scale,
                                        std::int64_t& out) noexcept;
/// parse_integer_padded without its fast path.
[[nodiscard]] bool parse_integer_general(std::string_view text, std::int64_t& out) noexcept;

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the word-at-a-time paths assume little endian");

inline constexpr std::size_t fast_max_length = 20;  ///< sign, 18 digits, point

inline constexpr std::uint64_t pow10[] = {1u,
                                          10u,
                                          100u,
                                          1'000u,
                                          10'000u,
                                          100'000u,
                                          1'000'000u,
                                          10'000'000u,
                                          100'000'000u,
                                          1'000'000'000u,
                                          10'000'000'000u,
                                          100'000'000'000u,
                                          1'000'000'000'000u,
                                          10'000'000'000'000u,
                                          100'000'000'000'000u,
                                          1'000'000'000'000'000u,
                                          10'000'000'000'000'000u,
                                          100'000'000'000'000'000u,
                                          1'000'000'000'000'000'000u};

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Non-zero high nibble in every byte of `x` that is not an ASCII digit. A byte >= 0xFA
/// carries into the next one up, which only ever follows a flagged byte.
inline std::uint64_t non_digits(std::uint64_t x) noexcept {
  constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0u;
  constexpr std::uint64_t zeros = 0x3030303030303030u;
  return ((x & high) ^ zeros) | (((x + 0x0606060606060606u) & high) ^ zeros);
}

/// Value of 8 ASCII digits, first digit in the lowest byte (simdjson's
/// parse_eight_digits_unrolled); zero bytes count as leading zeros.
inline std::uint64_t eight_digits(std::uint64_t x) noexcept {
  x = ((x & 0x0F0F0F0F0F0F0F0Fu) * 2561) >> 8;
  x = ((x & 0x00FF00FF00FF00FFu) * 6553601) >> 16;
  return ((x & 0x0000FFFF0000FFFFu) * 42949672960001u) >> 32;
}

/// Length of the run of digits at `p` and its value (exact while the run is at most 19
/// digits). Looks at the run only while it is shorter than `limit`, so it reads at most
/// limit + 7 bytes; the run may go on past `limit` (the caller checks where it ends).
inline std::size_t digit_run(const char* p, std::size_t limit, std::uint64_t& value) noexcept {
  std::uint64_t v = 0;
  std::size_t k = 0;
  while (k < limit) {
    const std::uint64_t x = load8(p + k);
    const std::uint64_t flagged = non_digits(x);
    const unsigned run = flagged == 0 ? 8u : static_cast<unsigned>(__builtin_ctzll(flagged)) / 8;
    if (run != 0)  // the run's digits moved to the top bytes, zeros below them
      v = v * pow10[run] + eight_digits(x << (64 - 8 * run));
    k += run;
    if (run < 8)
      break;
  }
  value = v;
  return k;
}

}  // namespace detail

/// parse_scaled for text in a buffer with at least 8 readable bytes after its end (the
/// feed readers' padded lines): same results; plain `[-]digits[.digits]` (at most 18
/// digits, at most `scale` decimals) is read 8 bytes at a time, inline.
[[nodiscard]] inline bool parse_scaled_padded(const char* p, std::size_t n, int scale,
                                              std::int64_t& out) noexcept {
  if (n != 0 && n <= detail::fast_max_length && scale >= 0 && scale <= 18) {
    const bool negative = p[0] == '-';
    std::size_t i = negative ? 1 : 0;
    std::uint64_t whole = 0;
    std::uint64_t fraction = 0;
    const std::size_t int_digits = detail::digit_run(p + i, n - i, whole);
    i += int_digits;
    std::size_t decimals = 0;
    if (i < n && p[i] == '.') {
      ++i;
      decimals = detail::digit_run(p + i, n - i, fraction);
      i += decimals;
    }
    const std::size_t digits = int_digits + decimals;
    if (i == n && digits != 0 && digits <= 18 && decimals <= static_cast<std::size_t>(scale)) {
      const auto v = static_cast<std::int64_t>(whole * detail::pow10[decimals] + fraction);
      const auto factor =
          static_cast<std::int64_t>(detail::pow10[static_cast<std::size_t>(scale) - decimals]);
      std::int64_t r = 0;
      if (!__builtin_mul_overflow(v, factor, &r)) {
        out = negative ? -r : r;
        return true;
      }
    }
  }
  return detail::parse_scaled_general(std::string_view(p, n), scale, out);
}

/// An integer (`[-+]digits`, no fraction or exponent) in a padded buffer as for
/// parse_scaled_padded; false on anything else or on overflow of int64.
[[nodiscard]] inline bool parse_integer_padded(const char* p, std::size_t n,
                                               std::int64_t& out) noexcept {
  if (n != 0 && n <= detail::fast_max_length) {
    const bool negative = p[0] == '-';
    const std::size_t sign = negative ? 1 : 0;
    std::uint64_t v = 0;
    const std::size_t digits = detail::digit_run(p + sign, n - sign, v);
    if (digits != 0 && digits <= 18 && sign + digits == n) {
      out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
      return true;
    }
  }
  return detail::parse_integer_general(std::string_view(p, n), out);
}

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

/// Days since 1970-01-01 of a proleptic Gregorian date (one home: messages/fixed_text.hpp).
using text::days_from_civil;

/// ISO-8601 date-time (`2021-04-17T16:43:37.089723Z`, `2012-02-01 00:00:00+00:00`, no zone
/// = UTC, up to 9 fraction digits) to nanoseconds since the epoch.
[[nodiscard]] bool parse_iso8601(std::string_view text, std::int64_t& ns) noexcept;

/// The last date parse_iso8601 read through it, so a run of times from one day parses the
/// date once (one per reader; results are the same as without it).
struct iso8601_cache {
  char date[10] = {};  ///< `YYYY-MM-DD` as in the text
  bool valid = false;
  std::int64_t days = 0;  ///< days since the epoch of `date`
};

/// parse_iso8601 that reuses the date of the previous call when the text has the same one.
[[nodiscard]] bool parse_iso8601(std::string_view text, std::int64_t& ns,
                                 iso8601_cache& cache) noexcept;

/// A CSV timestamp: ISO-8601, or a number of epoch seconds, milliseconds, microseconds or
/// nanoseconds (unit chosen by magnitude: < 1e11 s, < 1e14 ms, < 1e17 us, else ns).
[[nodiscard]] bool parse_timestamp(std::string_view text, std::int64_t& ns) noexcept;

}  // namespace peak::marketdata
