#pragma once
/// The state one feed_reader shares with its venue readers: the simdjson parser, counters,
/// the last error, the line's receive time, and symbol resolution with a small cache.

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "marketdata/feed_reader.hpp"
#include "marketdata/symbol_map.hpp"
#include "messages/market_data.hpp"

namespace peak::marketdata::venues {

/// What every venue reader uses to parse a line and stamp, resolve and count its events.
struct venue_context {
  venue_context(symbol_map& s, const reader_options& o) : symbols(&s), options(o) {}

  symbol_map* symbols;
  reader_options options;
  simdjson::ondemand::parser parser;
  reader_counters counters;
  const char* error = "";
  std::string unknown;  ///< last unknown symbol (reused buffer)
  timestamp_ns receive = 0;
  simdjson::padded_string_view view;  ///< the current line's JSON

  /// Records why the line is malformed.
  line_status fail(const char* why) noexcept {
    error = why;
    return line_status::malformed;
  }

  /// Starts the current document again. (Not document::rewind(): after some errors the
  /// on-demand iterator is abandoned and cannot be rewound.)
  bool restart(simdjson::ondemand::document& doc) noexcept {
    return !parser.iterate(view).get(doc);
  }

  /// The instrument of a venue symbol; unknown symbols may be auto-added.
  instrument_id resolve(std::string_view symbol) {
    // Most messages name one of a few symbols: look them up by their raw spelling first,
    // valid while the map has the revision they were found in.
    symbol_slot* slot = nullptr;
    if (!symbol.empty() && symbol.size() <= sizeof(symbol_slot::text)) {
      slot = &recent_symbols_[symbol_slot_index(symbol)];
      if (slot->length == symbol.size() && slot->revision == symbols->revision() &&
          std::memcmp(slot->text, symbol.data(), symbol.size()) == 0)
        return slot->id;
    }
    const instrument_id id = find_or_add(symbol);
    if (slot != nullptr && id != no_instrument) {
      std::memcpy(slot->text, symbol.data(), symbol.size());
      slot->length = symbol.size();
      slot->revision = symbols->revision();
      slot->id = id;
    }
    return id;
  }

  /// Stamps events [from, end) with instrument and times (event time kept when set).
  void finish(std::vector<market_event>& out, std::size_t from, instrument_id id,
              timestamp_ns ts) noexcept {
    for (std::size_t i = from; i < out.size(); ++i) {
      market_event& e = out[i];
      e.instrument = id;
      if (e.ts_event == 0)
        e.ts_event = ts != 0 ? ts : receive;
      e.ts_receive = receive;
      ++counters.events[static_cast<std::size_t>(e.kind) & 3u];
    }
  }

  /// Counts a data message of `type`.
  line_status data(message_type type) noexcept {
    ++counters.messages[static_cast<std::size_t>(type)];
    return line_status::data;
  }

  /// Emits `e` for `symbol`: resolved, stamped and counted (events from `from` on are
  /// dropped when the symbol is not mapped).
  line_status emit(std::string_view symbol, const market_event& e,
                   std::vector<market_event>& out, std::size_t from, timestamp_ns ts,
                   message_type type) {
    const instrument_id id = resolve(symbol);
    if (id == no_instrument)
      return unknown_symbol(out, from);
    out.push_back(e);
    finish(out, from, id, ts);
    return data(type);
  }

  /// A best bid/offer event.
  static market_event quote(std::int64_t bid, std::int64_t ask, std::int64_t bid_qty,
                            std::int64_t ask_qty, std::int64_t sequence) noexcept {
    market_event e;
    e.kind = event_kind::quote;
    e.bid = price{bid};
    e.ask = price{ask};
    e.bid_qty = quantity{bid_qty};
    e.ask_qty = quantity{ask_qty};
    e.sequence = static_cast<std::uint64_t>(sequence);
    return e;
  }

  /// Drops the line's events: its symbol is not mapped.
  static line_status unknown_symbol(std::vector<market_event>& out, std::size_t from) noexcept {
    out.resize(from);
    return line_status::unknown_symbol;
  }

private:
  /// A recently resolved symbol, as it is spelled in the feed (direct-mapped).
  struct symbol_slot {
    char text[16] = {};
    std::size_t length = 0;      ///< 0: empty
    std::uint64_t revision = 0;  ///< of the symbol map the id came from
    instrument_id id = no_instrument;
  };

  static std::size_t symbol_slot_index(std::string_view s) noexcept {
    return (s.size() + static_cast<unsigned char>(s[s.size() - 1]) +
            static_cast<unsigned char>(s[s.size() / 2]) * 3u) &
           7u;
  }

  instrument_id find_or_add(std::string_view symbol);

  std::array<symbol_slot, 8> recent_symbols_;
};

}  // namespace peak::marketdata::venues
