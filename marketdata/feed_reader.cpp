#include "marketdata/feed_reader.hpp"

#include <simdjson.h>

#include <string>

#include "marketdata/venues/ascii.hpp"
#include "marketdata/venues/binance_reader.hpp"
#include "marketdata/venues/bitstamp_reader.hpp"
#include "marketdata/venues/coinbase_reader.hpp"
#include "marketdata/venues/csv_reader.hpp"
#include "marketdata/venues/field_reader.hpp"
#include "marketdata/venues/kraken_reader.hpp"
#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata {

namespace ondemand = simdjson::ondemand;
using venues::lower;

static_assert(feed_reader::padding >= simdjson::SIMDJSON_PADDING, "padding too small");

const char* to_string(feed_format format) noexcept {
  switch (format) {
    case feed_format::unknown:
      return "auto";
    case feed_format::binance:
      return "binance";
    case feed_format::coinbase:
      return "coinbase";
    case feed_format::kraken:
      return "kraken";
    case feed_format::bitstamp:
      return "bitstamp";
    case feed_format::csv_bars:
      return "csv_bars";
    case feed_format::csv_trades:
      return "csv_trades";
  }
  return "auto";
}

bool parse_feed_format(std::string_view name, feed_format& out) noexcept {
  for (auto f :
       {feed_format::unknown, feed_format::binance, feed_format::coinbase, feed_format::kraken,
        feed_format::bitstamp, feed_format::csv_bars, feed_format::csv_trades}) {
    if (name == to_string(f)) {
      out = f;
      return true;
    }
  }
  return false;
}

const char* to_string(message_type type) noexcept {
  switch (type) {
    case message_type::trade:
      return "trade";
    case message_type::quote:
      return "quote";
    case message_type::bar:
      return "bar";
    case message_type::book_update:
      return "book_update";
    case message_type::book_snapshot:
      return "book_snapshot";
  }
  return "unknown";
}

namespace {

bool contains(std::string_view hay, std::string_view needle) noexcept {
  return hay.find(needle) != std::string_view::npos;
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

feed_format detect_format(std::string_view head, std::string_view path) noexcept {
  // Content first: capture URLs and characteristic keys.
  if (contains(head, "binance.") || contains(head, "\"stream\":") ||
      contains(head, "\"e\":\"aggTrade\"") || contains(head, "\"e\":\"depthUpdate\"") ||
      contains(head, "\"e\":\"bookTicker\"") || contains(head, "\"e\":\"trade\""))
    return feed_format::binance;
  if (contains(head, "coinbase.") || contains(head, "\"product_id\""))
    return feed_format::coinbase;
  if (contains(head, "kraken.") || contains(head, "\"channelName\"") ||
      contains(head, "\"event\":\"heartbeat\"") || contains(head, "\"event\":\"systemStatus\""))
    return feed_format::kraken;
  if (contains(head, "bitstamp.") || contains(head, "\"bts:") || contains(head, "\"live_trades_") ||
      contains(head, "order_book_"))
    return feed_format::bitstamp;
  // CSV: a header naming the columns, or rows of comma-separated numbers.
  const std::string_view first = head.substr(0, head.find('\n'));
  if (contains(first, ",") && !contains(first, "{") && !contains(first, "[")) {
    const std::string l = lower(first);
    if (contains(l, "open") && contains(l, "close"))
      return feed_format::csv_bars;
    if (contains(l, "price"))
      return feed_format::csv_trades;
    std::size_t commas = 0;
    for (char c : first)
      commas += c == ',' ? 1u : 0u;
    if (commas >= 4)
      return feed_format::csv_bars;
    if (commas >= 2)
      return feed_format::csv_trades;
  }
  // Then the file name.
  const std::string p = lower(path);
  const std::size_t slash = p.find_last_of('/');
  const std::string_view name =
      std::string_view(p).substr(slash == std::string::npos ? 0 : slash + 1);
  if (contains(name, "binance"))
    return feed_format::binance;
  if (contains(name, "coinbase"))
    return feed_format::coinbase;
  if (contains(name, "kraken"))
    return feed_format::kraken;
  if (contains(name, "bitstamp"))
    return feed_format::bitstamp;
  if (ends_with(name, ".csv"))
    return contains(name, "trade") || contains(name, "tick") ? feed_format::csv_trades
                                                             : feed_format::csv_bars;
  return feed_format::unknown;
}

// ---------------------------------------------------------------------------------------

/// One reader per venue over a shared context; the line's format picks the reader.
struct feed_reader::impl {
  impl(feed_format f, symbol_map& s, const reader_options& o)
      : format(f),
        context(s, o),
        binance(context),
        coinbase(context),
        kraken(context),
        bitstamp(context),
        csv(context, f) {}

  feed_format format;
  venues::venue_context context;
  venues::binance_reader binance;
  venues::coinbase_reader coinbase;
  venues::kraken_reader kraken;
  venues::bitstamp_reader bitstamp;
  venues::csv_reader csv;

  line_status parse(const char* p, std::size_t n, std::vector<market_event>& out) {
    const std::size_t readable = n + feed_reader::padding;  // guaranteed by the caller
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
      --n;
    std::size_t start = 0;
    while (start < n && (p[start] == ' ' || p[start] == '\t'))
      ++start;
    if (start == n)
      return line_status::empty;
    std::string_view line(p + start, n - start);
    context.receive = 0;
    if (format == feed_format::csv_bars || format == feed_format::csv_trades)
      return csv.parse(line, out);
    // Capture framing: "<epoch>: <json>", "<url> <-> <epoch>", "<url> <- <epoch>: <json>".
    const char* why = "";
    switch (venues::strip_capture_prefix(line, context.receive, why)) {
      case venues::capture_prefix::payload:
        break;
      case venues::capture_prefix::non_data:
        return line_status::non_data;
      case venues::capture_prefix::malformed:
        return context.fail(why);
    }
    // The caller guarantees `padding` readable bytes after the original line end.
    const std::size_t offset = static_cast<std::size_t>(line.data() - p);
    context.view = simdjson::padded_string_view(line.data(), line.size(), readable - offset);
    ondemand::document doc;
    if (context.parser.iterate(context.view).get(doc))
      return context.fail("invalid JSON");
    return dispatch(doc, line, out);
  }

  line_status dispatch(ondemand::document& doc, std::string_view json,
                       std::vector<market_event>& out) {
    switch (format) {
      case feed_format::binance:
        return binance.parse(doc, out);
      case feed_format::coinbase:
        return coinbase.parse(doc, out);
      case feed_format::kraken:
        return kraken.parse(doc, json, out);
      case feed_format::bitstamp:
        return bitstamp.parse(doc, json, out);
      default:
        return context.fail("format not set");
    }
  }
};

feed_reader::feed_reader(feed_format format, symbol_map& symbols, const reader_options& options)
    : impl_(std::make_unique<impl>(format, symbols, options)) {}
feed_reader::~feed_reader() = default;
feed_reader::feed_reader(feed_reader&&) noexcept = default;
feed_reader& feed_reader::operator=(feed_reader&&) noexcept = default;

line_status feed_reader::parse_line(const char* data, std::size_t length,
                                    std::vector<market_event>& out) {
  impl& m = *impl_;
  reader_counters& counters = m.context.counters;
  ++counters.lines;
  counters.bytes += length;
  const std::size_t from = out.size();
  line_status s = m.parse(data, length, out);
  switch (s) {
    case line_status::data:
      break;
    case line_status::non_data:
      ++counters.non_data;
      break;
    case line_status::malformed:
      ++counters.malformed;
      out.resize(from);
      break;
    case line_status::unknown_symbol:
      ++counters.unknown_symbol;
      out.resize(from);
      break;
    case line_status::empty:
      ++counters.empty;
      break;
  }
  return s;
}

const char* feed_reader::last_error() const noexcept {
  return impl_->context.error;
}
std::string_view feed_reader::last_unknown_symbol() const noexcept {
  return impl_->context.unknown;
}
const reader_counters& feed_reader::counters() const noexcept {
  return impl_->context.counters;
}
feed_format feed_reader::format() const noexcept {
  return impl_->format;
}

}  // namespace peak::marketdata
