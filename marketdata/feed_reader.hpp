#pragma once
/// Line-by-line readers of recorded exchange feeds and CSV files into normalised market
/// events. JSON is parsed with simdjson's on-demand API (error codes only). Supported
/// formats and the mapping of each message: docs/MARKET_DATA.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marketdata/symbol_map.hpp"
#include "messages/market_data.hpp"

namespace peak::marketdata {

/// Input formats. `unknown` asks the replay to detect the format from the content.
enum class feed_format : std::uint8_t {
  unknown = 0,
  binance = 1,     ///< Binance spot / USD-M futures (combined or single streams)
  coinbase = 2,    ///< Coinbase (Pro) websocket feed
  kraken = 3,      ///< Kraken websocket v1 arrays
  bitstamp = 4,    ///< Bitstamp websocket v2
  csv_bars = 5,    ///< timestamp,open,high,low,close[,volume]
  csv_trades = 6,  ///< timestamp,price,size[,side] (header optional)
};

/// Name of a format ("binance", "csv_bars", ...; "auto" for unknown).
[[nodiscard]] const char* to_string(feed_format format) noexcept;
/// Parses a format name (as printed by to_string); "auto" gives unknown. False if unknown name.
[[nodiscard]] bool parse_feed_format(std::string_view name, feed_format& out) noexcept;
/// Guesses the format from the first bytes of a file and its path; unknown if unsure.
[[nodiscard]] feed_format detect_format(std::string_view head, std::string_view path) noexcept;

/// What one line turned out to be.
enum class line_status : std::uint8_t {
  data = 0,            ///< market data: events appended
  non_data = 1,        ///< connection, subscription, heartbeat, status, header, unsupported
  malformed = 2,       ///< not valid for the format (see last_error())
  unknown_symbol = 3,  ///< valid market data for a symbol that is not mapped
  empty = 4,           ///< blank line
};

/// Market-data message types counted by the readers.
enum class message_type : std::uint8_t {
  trade = 0,          ///< one trade message (may carry several trades: Kraken)
  quote = 1,          ///< best bid/offer (bookTicker, ticker, spread)
  bar = 2,            ///< kline / ohlc / CSV bar
  book_update = 3,    ///< incremental book update (depthUpdate, l2update, diff book)
  book_snapshot = 4,  ///< full book snapshot
};
inline constexpr std::size_t message_type_count = 5;
/// Name of a message type ("trade", "quote", "bar", "book_update", "book_snapshot").
[[nodiscard]] const char* to_string(message_type type) noexcept;

/// Counters of one reader.
struct reader_counters {
  std::uint64_t lines = 0;  ///< lines seen (including blank ones)
  std::uint64_t bytes = 0;  ///< bytes of those lines (without newlines)
  std::array<std::uint64_t, message_type_count> messages{};  ///< data messages by type
  std::uint64_t non_data = 0;                                ///< non-data lines skipped
  std::uint64_t malformed = 0;                               ///< malformed lines skipped
  std::uint64_t unknown_symbol = 0;       ///< data lines skipped for an unmapped symbol
  std::uint64_t empty = 0;                ///< blank lines
  std::array<std::uint64_t, 4> events{};  ///< events produced, by event_kind
};

/// Reader behaviour.
struct reader_options {
  /// Unmapped symbols get the next free instrument id instead of being skipped (for
  /// inspection tools; a session keeps this off so ids match its instrument table).
  bool auto_add_symbols = false;
  /// CSV files without a symbol column: the instrument of every row (no_instrument: the
  /// only instrument of the map, if it has exactly one).
  instrument_id default_instrument = no_instrument;
};

/// Reads lines of one format. Keeps one simdjson parser (and its buffers) for all lines;
/// after warm-up a line allocates nothing unless it yields more events than ever before.
class feed_reader {
public:
  /// Bytes that must be readable after the end of every line passed to parse_line.
  static constexpr std::size_t padding = 64;

  feed_reader(feed_format format, symbol_map& symbols, const reader_options& options = {});
  ~feed_reader();
  feed_reader(feed_reader&&) noexcept;
  feed_reader& operator=(feed_reader&&) noexcept;
  feed_reader(const feed_reader&) = delete;
  feed_reader& operator=(const feed_reader&) = delete;

  /// Parses one line (`length` bytes at `data`, without its newline; at least `padding`
  /// more bytes must be readable after it). Appends the line's events to `out`.
  line_status parse_line(const char* data, std::size_t length, std::vector<market_event>& out);

  /// Why the last malformed line was rejected (static text).
  [[nodiscard]] const char* last_error() const noexcept;
  /// The symbol of the last unknown_symbol line.
  [[nodiscard]] std::string_view last_unknown_symbol() const noexcept;
  [[nodiscard]] const reader_counters& counters() const noexcept;
  [[nodiscard]] feed_format format() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace peak::marketdata
