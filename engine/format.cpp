#include "engine/format.hpp"

#include <cstdio>

namespace peak::engine {

void append_fixed(std::string& out, std::int64_t raw) {
  // Work in unsigned to handle INT64_MIN.
  const bool negative = raw < 0;
  const std::uint64_t mag =
      negative ? static_cast<std::uint64_t>(-(raw + 1)) + 1u : static_cast<std::uint64_t>(raw);
  const std::uint64_t whole = mag / 100'000'000u;
  std::uint64_t frac = mag % 100'000'000u;
  if (negative)
    out += '-';
  append_uint(out, whole);
  if (frac != 0) {
    char digits[9];
    for (int i = 7; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int len = 8;
    while (len > 0 && digits[len - 1] == '0')
      --len;
    out += '.';
    out.append(digits, static_cast<std::size_t>(len));
  }
}

std::string format_fixed(std::int64_t raw) {
  std::string out;
  append_fixed(out, raw);
  return out;
}

std::string format_time(timestamp_ns t) {
  std::int64_t secs = t / 1'000'000'000;
  std::int64_t nanos = t % 1'000'000'000;
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
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                static_cast<long long>(nanos));
  return buf;
}

}  // namespace peak::engine
