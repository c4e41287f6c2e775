#include "marketdata/decimal.hpp"

#include <cstring>
#include <limits>

namespace peak::marketdata {
namespace {

__extension__ typedef __int128 wide;

constexpr wide wide_limit = static_cast<wide>(std::numeric_limits<std::int64_t>::max());

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// Reads `count` digits at `p` into `out`; false if any is not a digit.
bool read_digits(const char* p, std::size_t count, unsigned& out) noexcept {
  unsigned v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_digit(p[i]))
      return false;
    v = v * 10 + static_cast<unsigned>(p[i] - '0');
  }
  out = v;
  return true;
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the word-at-a-time paths assume little endian");

constexpr std::size_t fast_max_length = 20;  // sign, 18 digits, point

constexpr std::int64_t pow10[] = {1,
                                  10,
                                  100,
                                  1'000,
                                  10'000,
                                  100'000,
                                  1'000'000,
                                  10'000'000,
                                  100'000'000,
                                  1'000'000'000,
                                  10'000'000'000,
                                  100'000'000'000,
                                  1'000'000'000'000,
                                  10'000'000'000'000,
                                  100'000'000'000'000,
                                  1'000'000'000'000'000,
                                  10'000'000'000'000'000,
                                  100'000'000'000'000'000,
                                  1'000'000'000'000'000'000};

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Non-zero high nibble in every byte of `x` that is not an ASCII digit. A byte >= 0xFA
/// carries into the next one up, which only ever follows a flagged byte.
std::uint64_t non_digits(std::uint64_t x) noexcept {
  constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0u;
  constexpr std::uint64_t zeros = 0x3030303030303030u;
  return ((x & high) ^ zeros) | (((x + 0x0606060606060606u) & high) ^ zeros);
}

/// Value of 8 ASCII digits, first digit in the lowest byte (simdjson's
/// parse_eight_digits_unrolled); zero bytes count as leading zeros.
std::uint64_t eight_digits(std::uint64_t x) noexcept {
  x = ((x & 0x0F0F0F0F0F0F0F0Fu) * 2561) >> 8;
  x = ((x & 0x00FF00FF00FF00FFu) * 6553601) >> 16;
  return ((x & 0x0000FFFF0000FFFFu) * 42949672960001u) >> 32;
}

/// Length of the run of digits at `p` and its value (exact while the run is at most 19
/// digits). Looks at the run only while it is shorter than `limit`, so it reads at most
/// limit + 7 bytes; the run may go on past `limit` (the caller checks where it ends).
std::size_t digit_run(const char* p, std::size_t limit, std::uint64_t& value) noexcept {
  std::uint64_t v = 0;
  std::size_t k = 0;
  while (k < limit) {
    const std::uint64_t x = load8(p + k);
    const std::uint64_t flagged = non_digits(x);
    const unsigned run = flagged == 0 ? 8u : static_cast<unsigned>(__builtin_ctzll(flagged)) / 8;
    if (run != 0)  // the run's digits moved to the top bytes, zeros below them
      v = v * static_cast<std::uint64_t>(pow10[run]) + eight_digits(x << (64 - 8 * run));
    k += run;
    if (run < 8)
      break;
  }
  value = v;
  return k;
}

}  // namespace

bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept {
  // Short text (every price, size and time of the supported feeds) goes through the
  // word-at-a-time path from a padded copy; longer text straight to the general path.
  if (text.size() <= fast_max_length) {
    char buffer[fast_max_length + 8] = {};
    std::memcpy(buffer, text.data(), text.size());
    return parse_scaled_padded(buffer, text.size(), scale, out);
  }
  return detail::parse_scaled_general(text, scale, out);
}

bool parse_scaled_padded(const char* p, std::size_t n, int scale, std::int64_t& out) noexcept {
  // Fast path: plain `[-]digits[.digits]` with at most 18 digits and no more decimals than
  // `scale`, read 8 bytes at a time. Anything else: the general path.
  if (n != 0 && n <= fast_max_length && scale >= 0 && scale <= 18) {
    const bool negative = p[0] == '-';
    std::size_t i = negative ? 1 : 0;
    std::uint64_t whole = 0;
    std::uint64_t fraction = 0;
    const std::size_t int_digits = digit_run(p + i, n - i, whole);
    i += int_digits;
    std::size_t decimals = 0;
    if (i < n && p[i] == '.') {
      ++i;
      decimals = digit_run(p + i, n - i, fraction);
      i += decimals;
    }
    const std::size_t digits = int_digits + decimals;
    if (i == n && digits != 0 && digits <= 18 && decimals <= static_cast<std::size_t>(scale)) {
      const auto v =
          static_cast<std::int64_t>(whole * static_cast<std::uint64_t>(pow10[decimals]) + fraction);
      std::int64_t r = 0;
      if (!__builtin_mul_overflow(v, pow10[static_cast<std::size_t>(scale) - decimals], &r)) {
        out = negative ? -r : r;
        return true;
      }
    }
  }
  return detail::parse_scaled_general(std::string_view(p, n), scale, out);
}

bool parse_integer_padded(const char* p, std::size_t n, std::int64_t& out) noexcept {
  if (n != 0 && n <= fast_max_length) {
    const bool negative = p[0] == '-';
    const std::size_t sign = negative ? 1 : 0;
    std::uint64_t v = 0;
    const std::size_t digits = digit_run(p + sign, n - sign, v);
    if (digits != 0 && digits <= 18 && sign + digits == n) {
      out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
      return true;
    }
  }
  const std::string_view text(p, n);
  if (text.find_first_of(".eE") != std::string_view::npos)
    return false;  // integers only (no fraction or exponent)
  return detail::parse_scaled_general(text, 0, out);
}

namespace detail {

bool parse_scaled_general(std::string_view text, int scale, std::int64_t& out) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  wide mantissa = 0;
  int exponent = 0;  // value = mantissa * 10^exponent
  int significant = 0;
  bool any_digit = false;
  bool round_up = false;  // first dropped digit >= 5
  bool dropped = false;   // digits beyond what the mantissa keeps
  constexpr int max_significant = 36;
  for (; i < n && is_digit(text[i]); ++i) {
    any_digit = true;
    if (significant < max_significant) {
      mantissa = mantissa * 10 + (text[i] - '0');
      if (mantissa != 0)
        ++significant;
    } else {
      ++exponent;  // integer digits beyond the mantissa: scale up
      if (exponent > 40)
        return false;
    }
  }
  if (i < n && text[i] == '.') {
    ++i;
    for (; i < n && is_digit(text[i]); ++i) {
      any_digit = true;
      if (significant < max_significant) {
        mantissa = mantissa * 10 + (text[i] - '0');
        if (mantissa != 0)
          ++significant;
        --exponent;
      } else if (!dropped) {
        dropped = true;
        round_up = text[i] >= '5';
      }
    }
  }
  if (!any_digit)
    return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i >= n || !is_digit(text[i]))
      return false;
    int e = 0;
    for (; i < n && is_digit(text[i]); ++i) {
      if (e < 10'000)
        e = e * 10 + (text[i] - '0');
    }
    exponent += exp_negative ? -e : e;
  }
  if (i != n)
    return false;
  if (round_up && dropped && exponent + scale >= 0)
    ++mantissa;  // only matters when the kept digits already fill the target scale
  // Rescale mantissa * 10^exponent to 10^-scale units.
  int shift = exponent + scale;
  if (mantissa == 0) {
    out = 0;
    return true;
  }
  if (shift > 0) {
    for (; shift > 0; --shift) {
      mantissa *= 10;
      if (mantissa > wide_limit)
        return false;
    }
  } else if (shift < 0) {
    if (shift < -37) {  // mantissa < 10^36 rounds to 0 against 10^38 or more
      out = 0;
      return true;
    }
    wide divisor = 1;
    for (; shift < 0; ++shift)
      divisor *= 10;
    const wide q = mantissa / divisor;
    const wide r = mantissa % divisor;
    mantissa = q + ((r * 2 >= divisor) ? 1 : 0);
  }
  if (mantissa > wide_limit)
    return false;
  out = static_cast<std::int64_t>(negative ? -mantissa : mantissa);
  return true;
}

}  // namespace detail

bool parse_iso8601(std::string_view t, std::int64_t& ns) noexcept {
  // YYYY-MM-DD[T| ]hh:mm:ss[.fffffffff][Z|+hh:mm|-hh:mm|+hhmm]
  if (t.size() < 19)
    return false;
  const char* p = t.data();
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  if (!read_digits(p, 4, year) || p[4] != '-' || !read_digits(p + 5, 2, month) || p[7] != '-' ||
      !read_digits(p + 8, 2, day) || (p[10] != 'T' && p[10] != ' ') ||
      !read_digits(p + 11, 2, hour) || p[13] != ':' || !read_digits(p + 14, 2, minute) ||
      p[16] != ':' || !read_digits(p + 17, 2, second))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return false;
  std::size_t i = 19;
  std::int64_t fraction = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    int digits = 0;
    const std::size_t start = i;
    for (; i < t.size() && is_digit(t[i]); ++i) {
      if (digits < 9) {
        fraction = fraction * 10 + (t[i] - '0');
        ++digits;
      }
    }
    if (i == start)
      return false;
    for (; digits < 9; ++digits)
      fraction *= 10;
  }
  std::int64_t offset_s = 0;
  if (i < t.size()) {
    if (t[i] == 'Z' || t[i] == 'z') {
      ++i;
    } else if (t[i] == '+' || t[i] == '-') {
      const bool minus = t[i] == '-';
      ++i;
      unsigned oh = 0;
      unsigned om = 0;
      if (t.size() - i < 2 || !read_digits(p + i, 2, oh))
        return false;
      i += 2;
      if (i < t.size() && t[i] == ':')
        ++i;
      if (t.size() - i >= 2 && read_digits(p + i, 2, om))
        i += 2;
      offset_s = static_cast<std::int64_t>(oh) * 3600 + static_cast<std::int64_t>(om) * 60;
      if (minus)
        offset_s = -offset_s;
    }
  }
  if (i != t.size())
    return false;
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t secs = days * 86'400 + static_cast<std::int64_t>(hour) * 3600 +
                            static_cast<std::int64_t>(minute) * 60 + second - offset_s;
  // Nanoseconds since the epoch fit in int64 for the years 1678..2261 only.
  std::int64_t whole = 0;
  return scale_checked(secs, 1'000'000'000, whole) && !__builtin_add_overflow(whole, fraction, &ns);
}

bool parse_timestamp(std::string_view text, std::int64_t& ns) noexcept {
  if (text.size() >= 19 && text[4] == '-')
    return parse_iso8601(text, ns);
  std::int64_t whole = 0;
  if (!parse_scaled(text, 0, whole) || whole < 0)
    return false;
  if (whole < 100'000'000'000LL)  // seconds (with optional fraction)
    return parse_scaled(text, 9, ns);
  if (whole < 100'000'000'000'000LL)  // milliseconds
    return parse_scaled(text, 6, ns);
  if (whole < 100'000'000'000'000'000LL)  // microseconds
    return parse_scaled(text, 3, ns);
  return parse_scaled(text, 0, ns);
}

}  // namespace peak::marketdata
