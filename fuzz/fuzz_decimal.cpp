// libFuzzer harness: the exact decimal and time parsers. Checks round trips where the
// result is defined: an accepted decimal re-printed with 8 decimals parses to itself; the
// fast paths (padded, date cache) agree with the general ones.
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "marketdata/decimal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::int64_t v = 0;
  if (peak::marketdata::parse_fixed(text, v)) {
    char buf[64];
    const std::uint64_t mag =
        v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    const int n = std::snprintf(buf, sizeof buf, "%s%llu.%08llu", v < 0 ? "-" : "",
                                static_cast<unsigned long long>(mag / 100000000u),
                                static_cast<unsigned long long>(mag % 100000000u));
    std::int64_t back = 0;
    if (n <= 0 ||
        !peak::marketdata::parse_fixed(std::string_view(buf, static_cast<std::size_t>(n)), back) ||
        back != v)
      __builtin_trap();
  }
  std::int64_t ns = 0;
  (void)peak::marketdata::parse_epoch_seconds(text, ns);
  (void)peak::marketdata::parse_iso8601(text, ns);
  (void)peak::marketdata::parse_timestamp(text, ns);
  (void)peak::marketdata::parse_scaled(text, static_cast<int>(size % 20), ns);

  // Fast paths against the general ones, with the padding after the text non-zero.
  std::vector<char> padded(size + 8, '7');
  for (std::size_t i = 0; i < size; ++i)
    padded[i] = text[i];
  for (int scale : {0, 8, 9, static_cast<int>(size % 20)}) {
    std::int64_t general = 0;
    std::int64_t fast = 0;
    const bool general_ok = peak::marketdata::detail::parse_scaled_general(text, scale, general);
    if (peak::marketdata::parse_scaled_padded(padded.data(), size, scale, fast) != general_ok ||
        (general_ok && fast != general))
      __builtin_trap();
  }
  {
    std::int64_t general = 0;
    std::int64_t fast = 0;
    const bool general_ok = text.find_first_of(".eE") == std::string_view::npos &&
                            peak::marketdata::detail::parse_scaled_general(text, 0, general);
    if (peak::marketdata::parse_integer_padded(padded.data(), size, fast) != general_ok ||
        (general_ok && fast != general))
      __builtin_trap();
  }
  {
    // The whole input and each half as times through one date cache, each twice (the
    // second time with its own date cached).
    peak::marketdata::iso8601_cache cache;
    for (const std::string_view part : {text, text.substr(0, size / 2), text.substr(size / 2)}) {
      std::int64_t plain = 0;
      const bool ok = peak::marketdata::parse_iso8601(part, plain);
      for (int round = 0; round < 2; ++round) {
        std::int64_t cached = 0;
        if (peak::marketdata::parse_iso8601(part, cached, cache) != ok || (ok && cached != plain))
          __builtin_trap();
      }
    }
  }
  return 0;
}
