#pragma once
/// Shared body of the feed-reader fuzzers: the input is a file; every line goes through a
/// feed_reader (symbols auto-added so the symbol map is exercised too) and every event
/// through the quality checker. Any crash, sanitizer report or hang is a bug.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "marketdata/feed_reader.hpp"
#include "marketdata/quality_checker.hpp"

namespace peak::fuzz {

inline int run_reader(marketdata::feed_format format, const std::uint8_t* data, std::size_t size) {
  // One padded copy, as the replay does: lines are parsed in place.
  std::vector<char> buffer(size + marketdata::feed_reader::padding, '\0');
  if (size != 0)
    std::memcpy(buffer.data(), data, size);
  marketdata::symbol_map symbols;
  symbols.add("BTCUSDT", 0);
  marketdata::reader_options options;
  options.auto_add_symbols = (size & 1u) != 0;  // both behaviours
  options.default_instrument = 0;
  marketdata::feed_reader reader(format, symbols, options);
  std::vector<market_event> events;
  std::size_t start = 0;
  while (start < size) {
    const void* nl = std::memchr(buffer.data() + start, '\n', size - start);
    const std::size_t end =
        nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data())
                      : size;
    reader.parse_line(buffer.data() + start, end - start, events);
    start = end + 1;
  }
  marketdata::quality_checker checker(marketdata::quality_config{}, 64);
  for (market_event& e : events)
    checker.check(e);
  const marketdata::reader_counters& c = reader.counters();
  if (c.malformed + c.non_data + c.unknown_symbol + c.empty + c.messages[0] + c.messages[1] +
          c.messages[2] + c.messages[3] + c.messages[4] !=
      c.lines)
    __builtin_trap();  // every line is accounted for exactly once
  return 0;
}

}  // namespace peak::fuzz
