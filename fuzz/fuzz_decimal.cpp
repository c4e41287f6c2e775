// libFuzzer harness: the exact decimal and time parsers. Checks round trips where the
// result is defined: an accepted decimal re-printed with 8 decimals parses to itself.
#include <cstdint>
#include <cstdio>
#include <string_view>

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
  return 0;
}
