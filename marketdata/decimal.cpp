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

}  // namespace

bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept {
  // Short text (every price, size and time of the supported feeds) goes through the
  // word-at-a-time path from a padded copy; longer text straight to the general path.
  if (text.size() <= detail::fast_max_length) {
    char buffer[detail::fast_max_length + 8] = {};
    if (!text.empty())  // an empty view may have no data pointer at all
      std::memcpy(buffer, text.data(), text.size());
    return parse_scaled_padded(buffer, text.size(), scale, out);
  }
  return detail::parse_scaled_general(text, scale, out);
}

namespace detail {

bool parse_integer_general(std::string_view text, std::int64_t& out) noexcept {
  if (text.find_first_of(".eE") != std::string_view::npos)
    return false;  // integers only (no fraction or exponent)
  return parse_scaled_general(text, 0, out);
}

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

namespace {

/// `YYYY-MM-DD` at `p` to days since the epoch; false if not a valid date.
bool iso8601_date(const char* p, std::int64_t& days) noexcept {
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (!read_digits(p, 4, year) || p[4] != '-' || !read_digits(p + 5, 2, month) || p[7] != '-' ||
      !read_digits(p + 8, 2, day))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return false;
  days = days_from_civil(year, month, day);
  return true;
}

/// The rest of an ISO-8601 time (from the date-time separator on) whose date is `days`.
bool iso8601_rest(std::string_view t, std::int64_t days, std::int64_t& ns) noexcept;

}  // namespace

bool parse_iso8601(std::string_view t, std::int64_t& ns) noexcept {
  // YYYY-MM-DD[T| ]hh:mm:ss[.fffffffff][Z|+hh:mm|-hh:mm|+hhmm]
  std::int64_t days = 0;
  return t.size() >= 19 && iso8601_date(t.data(), days) && iso8601_rest(t, days, ns);
}

bool parse_iso8601(std::string_view t, std::int64_t& ns, iso8601_cache& cache) noexcept {
  if (t.size() < 19)
    return false;
  if (!cache.valid || std::memcmp(t.data(), cache.date, sizeof cache.date) != 0) {
    cache.valid = false;
    if (!iso8601_date(t.data(), cache.days))
      return false;
    std::memcpy(cache.date, t.data(), sizeof cache.date);
    cache.valid = true;
  }
  return iso8601_rest(t, cache.days, ns);
}

namespace {

bool iso8601_rest(std::string_view t, std::int64_t days, std::int64_t& ns) noexcept {
  const char* p = t.data();
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  if ((p[10] != 'T' && p[10] != ' ') || !read_digits(p + 11, 2, hour) || p[13] != ':' ||
      !read_digits(p + 14, 2, minute) || p[16] != ':' || !read_digits(p + 17, 2, second))
    return false;
  if (hour > 23 || minute > 59 || second > 60)
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
  const std::int64_t secs = days * 86'400 + static_cast<std::int64_t>(hour) * 3600 +
                            static_cast<std::int64_t>(minute) * 60 + second - offset_s;
  // Nanoseconds since the epoch fit in int64 for the years 1678..2261 only.
  std::int64_t whole = 0;
  return scale_checked(secs, 1'000'000'000, whole) && !__builtin_add_overflow(whole, fraction, &ns);
}

}  // namespace

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
