#include "marketdata/feed_reader.hpp"

#include <simdjson.h>

#include <cstring>
#include <utility>

#include "marketdata/decimal.hpp"

namespace peak::marketdata {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

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

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"'))
    s.remove_suffix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
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

struct feed_reader::impl {
  impl(feed_format f, symbol_map& s, const reader_options& o)
      : format(f), symbols(&s), options(o) {}

  feed_format format;
  symbol_map* symbols;
  reader_options options;
  ondemand::parser parser;
  reader_counters counters;
  const char* error = "";
  std::string unknown;  ///< last unknown symbol (reused buffer)
  timestamp_ns receive = 0;
  iso8601_cache iso_dates;            ///< Coinbase times: the date of the previous message
  simdjson::padded_string_view view;  ///< the current line's JSON

  /// Binance depth: an update without levels yields no event, so its link (previous
  /// sequence -> last update id) is kept per instrument and handed on to the next update
  /// that follows on from it; the quality checker then still sees an unbroken chain.
  struct depth_link {
    std::uint64_t previous = 0;  ///< previous_sequence of the swallowed update(s)
    std::uint64_t last = 0;      ///< last update id of the swallowed update, 0 = none
  };
  std::vector<depth_link> depth_links;

  /// Starts the current document again. (Not document::rewind(): after some errors the
  /// on-demand iterator is abandoned and cannot be rewound.)
  bool restart(ondemand::document& doc) noexcept { return !parser.iterate(view).get(doc); }

  // CSV state.
  bool csv_started = false;
  int col_ts = 0, col_open = -1, col_high = -1, col_low = -1, col_close = -1, col_volume = -1,
      col_price = -1, col_size = -1, col_side = -1, col_symbol = -1;

  line_status fail(const char* why) noexcept {
    error = why;
    return line_status::malformed;
  }

  /// Recently resolved symbols, as they are spelled in the feed (direct-mapped).
  struct symbol_slot {
    char text[16] = {};
    std::size_t length = 0;      ///< 0: empty
    std::uint64_t revision = 0;  ///< of the symbol map the id came from
    instrument_id id = no_instrument;
  };
  std::array<symbol_slot, 8> recent_symbols;

  static std::size_t symbol_slot_index(std::string_view s) noexcept {
    return (s.size() + static_cast<unsigned char>(s[s.size() - 1]) +
            static_cast<unsigned char>(s[s.size() / 2]) * 3u) &
           7u;
  }

  /// The instrument of a venue symbol; unknown symbols may be auto-added.
  instrument_id resolve(std::string_view symbol) {
    // Most messages name one of a few symbols: look them up by their raw spelling first,
    // valid while the map has the revision they were found in.
    symbol_slot* slot = nullptr;
    if (!symbol.empty() && symbol.size() <= sizeof(symbol_slot::text)) {
      slot = &recent_symbols[symbol_slot_index(symbol)];
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

  instrument_id find_or_add(std::string_view symbol) {
    instrument_id id = symbols->find(symbol);
    if (id == no_instrument && options.auto_add_symbols && !symbol.empty()) {
      const instrument_id next = symbols->instrument_count();
      if (symbols->add(symbol, next))
        id = next;
    }
    if (id == no_instrument)
      unknown.assign(symbol.data(), symbol.size());
    return id;
  }

  // ----- JSON helpers -----------------------------------------------------------------

  /// A field's key as it is in the text (no unescaping, no copy). Keys with escapes do not
  /// match any key the readers look for, which is the right outcome for them.
  static bool key_of(ondemand::field& field, std::string_view& key) noexcept {
    const char* start = field.key().raw();
    const char* end = start;
    while (*end != '"')  // the closing quote exists: stage 1 validated the string
      ++end;
    key = std::string_view(start, static_cast<std::size_t>(end - start));
    return true;
  }

  /// Decimal text inside the current (padded) line to 1e-8 fixed point.
  static bool fixed_text(std::string_view text, std::int64_t& raw) noexcept {
    return parse_scaled_padded(text.data(), text.size(), 8, raw);
  }

  /// Epoch seconds inside the current (padded) line to nanoseconds.
  static bool epoch_text(std::string_view text, std::int64_t& ns) noexcept {
    return parse_scaled_padded(text.data(), text.size(), 9, ns);
  }

  /// Whether the raw key at `key` (just after its opening quote, inside the padded line) is
  /// `name`: its bytes, then the closing quote. Like key_of, keys with escapes never match.
  template <std::size_t N>
  static bool key_is(const char* key, const char (&name)[N]) noexcept {
    return std::memcmp(key, name, N - 1) == 0 && key[N - 1] == '"';
  }

  /// A decimal value given as a JSON string or number, to 1e-8 fixed point. Reads the raw
  /// token (no unescaping): a string with escapes is not a decimal anyway.
  static bool fixed_value(ondemand::value& v, std::int64_t& raw) noexcept {
    std::string_view text = v.raw_json_token();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                             text.back() == '\t'))
      text.remove_suffix(1);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
      text = text.substr(1, text.size() - 2);
    } else if (text.empty() || text.front() == '"' || text.front() == '{' || text.front() == '[' ||
               text.front() == 't' || text.front() == 'f' || text.front() == 'n') {
      return false;
    }
    return fixed_text(text, raw);
  }

  /// The text of a JSON string without its quotes, not unescaped (for ASCII tokens such as
  /// numbers in strings and side names); false if the value is not a string.
  static bool raw_string(ondemand::value& v, std::string_view& s) noexcept {
    std::string_view t = v.raw_json_token();
    while (!t.empty() &&
           (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
      t.remove_suffix(1);
    if (t.size() < 2 || t.front() != '"' || t.back() != '"')
      return false;
    s = t.substr(1, t.size() - 2);
    return true;
  }

  /// Whether text inside the padded line holds a backslash (8 bytes at a time).
  static bool has_backslash(std::string_view s) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u;
    for (std::size_t i = 0; i < s.size(); i += 8) {
      const std::uint64_t x = detail::load8(s.data() + i) ^ (ones * '\\');
      std::uint64_t zero = (x - ones) & ~x & (ones * 0x80);  // exact up to the first zero
      if (s.size() - i < 8)
        zero &= (std::uint64_t{1} << (8 * (s.size() - i))) - 1;  // bytes past the end
      if (zero != 0)
        return true;
    }
    return false;
  }

  /// A JSON string value. Without escapes (all the feeds' names, symbols and times) it is
  /// the raw text in the line, not copied (nor consumed); with escapes, simdjson unescapes
  /// it. A string followed by ':' (broken JSON that skipping an unconsumed value would read
  /// as a key) also goes through get_string, which reports the error where it always did.
  static bool string_value(ondemand::value& v, std::string_view& s) noexcept {
    const std::string_view token = v.raw_json_token();  // up to the next structural character
    if (token.data()[token.size()] != ':' && raw_string(v, s) && !has_backslash(s))
      return true;
    return !v.get_string().get(s);
  }

  /// An integer given as a JSON number or a string of digits (read from the raw token).
  static bool integer_value(ondemand::value& v, std::int64_t& out) noexcept {
    std::string_view t = v.raw_json_token();
    while (!t.empty() &&
           (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
      t.remove_suffix(1);
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"')
      t = t.substr(1, t.size() - 2);
    return parse_integer_padded(t.data(), t.size(), out);
  }

  /// [[price, size, ...], ...] levels of one side into book events (instrument set later).
  static bool levels(ondemand::value v, side book_side, std::vector<market_event>& out) {
    ondemand::array arr;
    if (v.get_array().get(arr))
      return false;
    for (auto element : arr) {
      ondemand::array level;
      if (element.get_array().get(level))
        return false;
      market_event e;
      e.kind = event_kind::book;
      e.book_side = book_side;
      int index = 0;
      for (auto item : level) {
        ondemand::value iv;
        if (item.get(iv))
          return false;
        if (index == 0 && !fixed_value(iv, e.px.raw))
          return false;
        if (index == 1 && !fixed_value(iv, e.qty.raw))
          return false;
        if (index == 2) {  // Kraken: the level's own time in epoch seconds
          std::string_view ts;
          std::int64_t ns = 0;
          if (raw_string(iv, ts) && epoch_text(ts, ns))
            e.ts_event = ns;
        }
        ++index;
      }
      if (index < 2)
        return false;
      out.push_back(e);
    }
    return true;
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

  /// Stamps the levels [from, end) of one depth update with its last update id and the id
  /// it follows on from (spot U - 1, futures pu), bridging updates that had no levels.
  void link_depth(std::vector<market_event>& out, std::size_t from, instrument_id id,
                  std::uint64_t last, std::uint64_t previous) {
    if (id >= depth_links.size())
      depth_links.resize(static_cast<std::size_t>(id) + 1);
    depth_link& link = depth_links[id];
    if (link.last != 0 && previous == link.last)
      previous = link.previous;  // follows on from a swallowed update: take over its link
    if (out.size() == from) {    // no levels: no event carries this update's link
      link = depth_link{previous, last};
      return;
    }
    link = depth_link{};
    for (std::size_t i = from; i < out.size(); ++i) {
      out[i].sequence = last;
      out[i].previous_sequence = previous;
    }
  }

  line_status data(message_type type) noexcept {
    ++counters.messages[static_cast<std::size_t>(type)];
    return line_status::data;
  }

  line_status unknown_symbol(std::vector<market_event>& out, std::size_t from) noexcept {
    out.resize(from);
    return line_status::unknown_symbol;
  }

  // ----- Binance ----------------------------------------------------------------------

  line_status binance(ondemand::document& doc, std::vector<market_event>& out) {
    ondemand::object top;
    if (doc.get_object().get(top))
      return fail("binance: not a JSON object");
    // Combined stream {"stream":..., "data":{...}} or a single-stream payload {"e":...}.
    ondemand::object payload;
    ondemand::value data_value;
    const error_code data_error = top.find_field_unordered("data").get(data_value);
    if (data_error == simdjson::SUCCESS) {
      if (data_value.get_object().get(payload))
        return fail("binance: data is not an object");
    } else if (data_error == simdjson::NO_SUCH_FIELD) {
      if (!restart(doc) || doc.get_object().get(payload))
        return fail("binance: not a JSON object");
    } else {
      return fail("binance: invalid JSON");
    }
    const std::size_t from = out.size();
    std::string_view e_type;
    std::string_view symbol;
    std::int64_t event_time = 0;
    std::int64_t trade_time = 0;
    std::int64_t id_a = 0;
    std::int64_t id_t = 0;
    std::int64_t update_id = 0;
    std::int64_t first_update_id = 0;     // depthUpdate U
    std::int64_t previous_update_id = 0;  // futures depthUpdate pu
    bool have_pu = false;
    bool maker = false;
    bool have_m = false;
    std::int64_t px = 0, qty = 0, bid = 0, bid_qty = 0, ask = 0, ask_qty = 0;
    bool have_p = false, have_q = false, have_b = false, have_a = false;
    market_event bar;
    bool have_k = false;
    for (auto field_result : payload) {
      if (field_result.error())
        return fail("binance: invalid JSON");
      ondemand::field& field = field_result.value_unsafe();  // no copy of the field
      // The raw key, read in place: one character then the closing quote, or "pu".
      const char* key = field.key().raw();
      ondemand::value& v = field.value();
      if (key_is(key, "pu")) {
        if (!integer_value(v, previous_update_id))
          return fail("binance: bad pu");
        have_pu = true;
        continue;
      }
      if (key[0] == '"' || key[1] != '"')
        continue;  // other long keys are not needed
      ondemand::json_type t = ondemand::json_type::null;
      if ((key[0] == 'a' || key[0] == 'b') && v.type().get(t))
        return fail("binance: invalid JSON");
      switch (key[0]) {
        case 'e':
          if (!string_value(v, e_type))
            return fail("binance: e is not a string");
          break;
        case 'E':
          if (!integer_value(v, event_time))
            return fail("binance: bad E");
          break;
        case 'T':
          if (!integer_value(v, trade_time))
            return fail("binance: bad T");
          break;
        case 's':
          if (!string_value(v, symbol))
            return fail("binance: s is not a string");
          break;
        case 't':
          if (!integer_value(v, id_t))
            return fail("binance: bad t");
          break;
        case 'u':
          if (!integer_value(v, update_id))
            return fail("binance: bad u");
          break;
        case 'U':
          if (!integer_value(v, first_update_id))
            return fail("binance: bad U");
          break;
        case 'm':
          if (v.get_bool().get(maker))
            return fail("binance: m is not a bool");
          have_m = true;
          break;
        case 'p':
          if (!fixed_value(v, px))
            return fail("binance: bad price");
          have_p = true;
          break;
        case 'q':
          if (!fixed_value(v, qty))
            return fail("binance: bad quantity");
          have_q = true;
          break;
        case 'B':
          if (!fixed_value(v, bid_qty))
            return fail("binance: bad bid size");
          break;
        case 'A':
          if (!fixed_value(v, ask_qty))
            return fail("binance: bad ask size");
          break;
        case 'a':
          if (t == ondemand::json_type::number) {
            if (!integer_value(v, id_a))
              return fail("binance: bad aggregate trade id");
          } else if (t == ondemand::json_type::string) {
            if (!fixed_value(v, ask))
              return fail("binance: bad ask");
            have_a = true;
          } else if (t == ondemand::json_type::array) {
            if (!levels(v, side::sell, out))
              return fail("binance: bad ask levels");
          }
          break;
        case 'b':
          if (t == ondemand::json_type::string) {
            if (!fixed_value(v, bid))
              return fail("binance: bad bid");
            have_b = true;
          } else if (t == ondemand::json_type::array) {
            if (!levels(v, side::buy, out))
              return fail("binance: bad bid levels");
          }
          break;
        case 'k':
          if (!kline(v, bar, symbol))
            return fail("binance: bad kline");
          have_k = true;
          break;
        default:
          break;
      }
    }
    const timestamp_ns ms = 1'000'000;
    timestamp_ns exchange_ns = 0;  // T (trade/transaction time) if given, else E
    if (!scale_checked(trade_time != 0 ? trade_time : event_time, ms, exchange_ns))
      return fail("binance: time out of range");
    if (e_type == "depthUpdate") {
      const instrument_id id = resolve(symbol);
      if (id == no_instrument)
        return unknown_symbol(out, from);
      link_depth(out, from, id, static_cast<std::uint64_t>(update_id),
                 have_pu               ? static_cast<std::uint64_t>(previous_update_id)
                 : first_update_id > 0 ? static_cast<std::uint64_t>(first_update_id) - 1u
                                       : 0u);
      finish(out, from, id, exchange_ns);
      return data(message_type::book_update);
    }
    out.resize(from);  // only depth updates carry levels
    if (e_type == "aggTrade" || e_type == "trade") {
      if (!have_p || !have_q)
        return fail("binance: trade without p or q");
      const instrument_id id = resolve(symbol);
      if (id == no_instrument)
        return unknown_symbol(out, from);
      market_event e;
      e.kind = event_kind::trade;
      e.px = price{px};
      e.qty = quantity{qty};
      e.sequence = static_cast<std::uint64_t>(e_type == "aggTrade" ? id_a : id_t);
      e.taker = !have_m ? aggressor::unknown : (maker ? aggressor::seller : aggressor::buyer);
      out.push_back(e);
      finish(out, from, id, exchange_ns);
      return data(message_type::trade);
    }
    if (e_type == "bookTicker" || (e_type.empty() && have_b && have_a && update_id != 0)) {
      // Spot bookTicker has no "e" and no time: receive time stands in.
      if (!have_b || !have_a)
        return fail("binance: bookTicker without b or a");
      const instrument_id id = resolve(symbol);
      if (id == no_instrument)
        return unknown_symbol(out, from);
      market_event e;
      e.kind = event_kind::quote;
      e.bid = price{bid};
      e.ask = price{ask};
      e.bid_qty = quantity{bid_qty};
      e.ask_qty = quantity{ask_qty};
      e.sequence = static_cast<std::uint64_t>(update_id);
      out.push_back(e);
      finish(out, from, id, exchange_ns);
      return data(message_type::quote);
    }
    if (e_type == "kline" && have_k) {
      const instrument_id id = resolve(symbol);
      if (id == no_instrument)
        return unknown_symbol(out, from);
      timestamp_ns bar_ns = 0;
      if (!scale_checked(event_time, ms, bar_ns))
        return fail("binance: time out of range");
      out.push_back(bar);
      finish(out, from, id, bar_ns);
      return data(message_type::bar);
    }
    if (e_type.empty() && !have_p)
      return line_status::non_data;  // {"result":null,"id":1} and the like
    return line_status::non_data;    // other event types (markPriceUpdate, 24hrTicker, ...)
  }

  static bool kline(ondemand::value v, market_event& bar, std::string_view& symbol) noexcept {
    ondemand::object k;
    if (v.get_object().get(k))
      return false;
    bar = market_event{};
    bar.kind = event_kind::bar;
    int seen = 0;
    for (auto field_result : k) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || !key_of(field, key))
        return false;
      if (key.size() != 1)
        continue;
      ondemand::value fv = field.value();
      switch (key[0]) {
        case 'o':
          if (!fixed_value(fv, bar.open.raw))
            return false;
          seen |= 1;
          break;
        case 'h':
          if (!fixed_value(fv, bar.high.raw))
            return false;
          seen |= 2;
          break;
        case 'l':
          if (!fixed_value(fv, bar.low.raw))
            return false;
          seen |= 4;
          break;
        case 'c':
          if (!fixed_value(fv, bar.px.raw))
            return false;
          seen |= 8;
          break;
        case 'v':
          if (!fixed_value(fv, bar.qty.raw))
            return false;
          break;
        case 's':
          if (symbol.empty() && !string_value(fv, symbol))
            return false;
          break;
        default:
          break;
      }
    }
    return seen == 15;
  }

  // ----- Coinbase ---------------------------------------------------------------------

  line_status coinbase(ondemand::document& doc, std::vector<market_event>& out) {
    ondemand::object top;
    if (doc.get_object().get(top))
      return fail("coinbase: not a JSON object");
    const std::size_t from = out.size();
    std::string_view type, product, side_text, time_text;
    std::int64_t px = 0, qty = 0, bid = 0, ask = 0, bid_qty = 0, ask_qty = 0;
    std::int64_t trade_id = 0, sequence = 0;
    bool have_p = false, have_q = false, have_bid = false, have_ask = false;
    for (auto field_result : top) {
      if (field_result.error())
        return fail("coinbase: invalid JSON");
      ondemand::field& field = field_result.value_unsafe();  // no copy of the field
      // The raw key, read in place and dispatched on its first character.
      const char* key = field.key().raw();
      ondemand::value& v = field.value();
      switch (key[0]) {
        case 't':
          if (key_is(key, "type")) {
            if (!string_value(v, type))
              return fail("coinbase: type is not a string");
          } else if (key_is(key, "time")) {
            if (!string_value(v, time_text))
              return fail("coinbase: time is not a string");
          } else if (key_is(key, "trade_id")) {
            if (!integer_value(v, trade_id))
              return fail("coinbase: bad trade_id");
          }
          break;
        case 'p':
          if (key_is(key, "product_id")) {
            if (!string_value(v, product))
              return fail("coinbase: product_id is not a string");
          } else if (key_is(key, "price")) {
            if (!fixed_value(v, px))
              return fail("coinbase: bad price");
            have_p = true;
          }
          break;
        case 's':
          if (key_is(key, "size")) {
            if (!fixed_value(v, qty))
              return fail("coinbase: bad size");
            have_q = true;
          } else if (key_is(key, "side")) {
            if (!string_value(v, side_text))
              return fail("coinbase: side is not a string");
          } else if (key_is(key, "sequence")) {
            if (!integer_value(v, sequence))
              return fail("coinbase: bad sequence");
          }
          break;
        case 'l':
          if (key_is(key, "last_size")) {
            if (!fixed_value(v, qty))
              return fail("coinbase: bad size");
            have_q = true;
          }
          break;
        case 'b':
          if (key_is(key, "best_bid")) {
            if (!fixed_value(v, bid))
              return fail("coinbase: bad best_bid");
            have_bid = true;
          } else if (key_is(key, "best_ask")) {
            if (!fixed_value(v, ask))
              return fail("coinbase: bad best_ask");
            have_ask = true;
          } else if (key_is(key, "best_bid_size")) {
            if (!fixed_value(v, bid_qty))
              return fail("coinbase: bad best_bid_size");
          } else if (key_is(key, "best_ask_size")) {
            if (!fixed_value(v, ask_qty))
              return fail("coinbase: bad best_ask_size");
          } else if (key_is(key, "bids") && type == "snapshot") {
            if (!levels(v, side::buy, out))
              return fail("coinbase: bad snapshot levels");
          }
          break;
        case 'a':
          if (key_is(key, "asks") && type == "snapshot") {
            if (!levels(v, side::sell, out))
              return fail("coinbase: bad snapshot levels");
          }
          break;
        case 'c':
          if (key_is(key, "changes") && type == "l2update") {
            if (!changes(v, out))
              return fail("coinbase: bad l2update changes");
          }
          break;
        default:
          break;
      }
    }
    timestamp_ns ts = 0;
    if (!time_text.empty() && !parse_iso8601(time_text, ts, iso_dates))
      return fail("coinbase: bad time");
    message_type mt;
    if (type == "match" || type == "last_match") {
      if (!have_p || !have_q)
        return fail("coinbase: match without price or size");
      market_event e;
      e.kind = event_kind::trade;
      e.px = price{px};
      e.qty = quantity{qty};
      e.sequence = static_cast<std::uint64_t>(trade_id);
      // "side" is the maker's side: a sell maker means a buying taker.
      e.taker = side_text == "sell"  ? aggressor::buyer
                : side_text == "buy" ? aggressor::seller
                                     : aggressor::unknown;
      out.resize(from);
      out.push_back(e);
      mt = message_type::trade;
    } else if (type == "ticker") {
      out.resize(from);
      if (!have_bid || !have_ask)
        return line_status::non_data;  // a ticker without a book side: nothing to quote
      market_event e;
      e.kind = event_kind::quote;
      e.bid = price{bid};
      e.ask = price{ask};
      e.bid_qty = quantity{bid_qty};
      e.ask_qty = quantity{ask_qty};
      e.sequence = static_cast<std::uint64_t>(sequence);
      out.push_back(e);
      mt = message_type::quote;
    } else if (type == "l2update") {
      mt = message_type::book_update;
    } else if (type == "snapshot") {
      mt = message_type::book_snapshot;
    } else {
      out.resize(from);
      return line_status::non_data;  // subscriptions, heartbeat, status, error, full channel
    }
    const instrument_id id = resolve(product);
    if (id == no_instrument)
      return unknown_symbol(out, from);
    finish(out, from, id, ts);
    return data(mt);
  }

  static bool changes(ondemand::value v, std::vector<market_event>& out) {
    ondemand::array arr;
    if (v.get_array().get(arr))
      return false;
    for (auto element : arr) {
      ondemand::array change;
      if (element.get_array().get(change))
        return false;
      market_event e;
      e.kind = event_kind::book;
      int index = 0;
      for (auto item : change) {
        ondemand::value iv;
        if (item.get(iv))
          return false;
        if (index == 0) {
          std::string_view s;
          if (!raw_string(iv, s) || (s != "buy" && s != "sell"))
            return false;
          e.book_side = s == "buy" ? side::buy : side::sell;
        } else if (index == 1) {
          if (!fixed_value(iv, e.px.raw))
            return false;
        } else if (index == 2) {
          if (!fixed_value(iv, e.qty.raw))
            return false;
        }
        ++index;
      }
      if (index < 3)
        return false;
      out.push_back(e);
    }
    return true;
  }

  // ----- Kraken -----------------------------------------------------------------------

  line_status kraken(ondemand::document& doc, std::string_view json,
                     std::vector<market_event>& out) {
    ondemand::json_type t;
    if (doc.type().get(t))
      return fail("kraken: invalid JSON");
    if (t == ondemand::json_type::object)
      return line_status::non_data;  // heartbeat, systemStatus, subscriptionStatus
    ondemand::array arr;
    if (t != ondemand::json_type::array || doc.get_array().get(arr))
      return fail("kraken: not an array");
    // [channelID, payload..., channelName, pair]: the names come last. Peek at them in the
    // raw text (one pass); if that fails (escapes, odd spacing), read them in a first pass.
    std::string_view channel;
    std::string_view pair;
    char channel_buf[32];
    char pair_buf[32];
    if (!kraken_tail(json, channel, pair)) {
      std::string_view names[2];
      for (auto element : arr) {
        ondemand::value v;
        if (element.get(v))
          return fail("kraken: invalid JSON");
        ondemand::json_type et;
        if (v.type().get(et))
          return fail("kraken: invalid JSON");
        if (et == ondemand::json_type::string) {
          std::string_view s;
          if (!string_value(v, s))
            return fail("kraken: invalid string");
          names[0] = names[1];
          names[1] = s;
        }
      }
      // The views point into the parser's string buffer, which the rewind reuses: copy.
      if (names[0].empty() || names[1].empty() || names[0].size() >= sizeof channel_buf ||
          names[1].size() >= sizeof pair_buf)
        return fail("kraken: missing channel name or pair");
      std::memcpy(channel_buf, names[0].data(), names[0].size());
      std::memcpy(pair_buf, names[1].data(), names[1].size());
      channel = std::string_view(channel_buf, names[0].size());
      pair = std::string_view(pair_buf, names[1].size());
      if (!restart(doc) || doc.get_array().get(arr))
        return fail("kraken: not an array");
    }

    message_type mt;
    if (channel == "trade")
      mt = message_type::trade;
    else if (channel == "ticker" || channel == "spread")
      mt = message_type::quote;
    else if (channel.substr(0, 4) == "book")
      mt = message_type::book_update;
    else if (channel.substr(0, 4) == "ohlc")
      mt = message_type::bar;
    else
      return line_status::non_data;

    const std::size_t from = out.size();
    std::size_t index = 0;
    std::size_t strings = 0;
    std::size_t payloads = 0;
    bool snapshot = false;
    for (auto element : arr) {
      ondemand::value v;
      if (element.get(v))
        return fail("kraken: invalid JSON");
      ondemand::json_type et;
      if (v.type().get(et))
        return fail("kraken: invalid JSON");
      if (et == ondemand::json_type::string) {
        std::string_view s;
        if (!string_value(v, s) || strings >= 2 || s != (strings == 0 ? channel : pair))
          return fail("kraken: channel name or pair do not match");
        ++strings;
      } else if (index > 0) {
        if (strings != 0)
          return fail("kraken: payload after the channel name");
        bool ok = true;
        switch (mt) {
          case message_type::trade:
            ok = kraken_trades(v, out);
            break;
          case message_type::quote:
            ok = channel == "ticker" ? kraken_ticker(v, out) : kraken_spread(v, out);
            break;
          case message_type::book_update:
            ok = kraken_book(v, out, snapshot);
            break;
          case message_type::bar:
            ok = kraken_ohlc(v, out);
            break;
          case message_type::book_snapshot:
            break;
        }
        if (!ok)
          return fail("kraken: bad payload");
        ++payloads;
      }
      ++index;
    }
    if (strings != 2 || payloads == 0)
      return fail("kraken: expected [channelID, payload, channelName, pair]");
    if (snapshot)
      mt = message_type::book_snapshot;
    if (mt == message_type::book_update || mt == message_type::book_snapshot) {
      // Levels carry the time each level last changed (hours old in a snapshot): the
      // message's event time is the newest of them.
      timestamp_ns newest = 0;
      for (std::size_t i = from; i < out.size(); ++i)
        newest = out[i].ts_event > newest ? out[i].ts_event : newest;
      for (std::size_t i = from; i < out.size(); ++i)
        out[i].ts_event = newest;
    }
    const instrument_id id = resolve(pair);
    if (id == no_instrument)
      return unknown_symbol(out, from);
    finish(out, from, id, 0);
    return data(mt);
  }

  /// The last two strings of `[..., "channelName", "pair"]` in the raw text; false when
  /// the text is not in that simple form (the caller then reads them with the parser).
  static bool kraken_tail(std::string_view line, std::string_view& channel,
                          std::string_view& pair) noexcept {
    std::size_t end = line.size();
    auto skip_ws = [&] {
      while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
        --end;
    };
    auto quoted = [&](std::string_view& out) {
      skip_ws();
      if (end == 0 || line[end - 1] != '"')
        return false;
      const std::size_t close = end - 1;
      const std::size_t open = line.rfind('"', close - (close > 0 ? 1 : 0));
      if (close == 0 || open == std::string_view::npos || open >= close)
        return false;
      out = line.substr(open + 1, close - open - 1);
      if (out.find('\\') != std::string_view::npos || out.empty())
        return false;
      end = open;
      return true;
    };
    skip_ws();
    if (end == 0 || line[end - 1] != ']')
      return false;
    --end;
    if (!quoted(pair))
      return false;
    skip_ws();
    if (end == 0 || line[end - 1] != ',')
      return false;
    --end;
    return quoted(channel) && channel.size() < 32 && pair.size() < 32;
  }

  static bool kraken_trades(ondemand::value v, std::vector<market_event>& out) {
    ondemand::array trades;
    if (v.get_array().get(trades))
      return false;
    for (auto element : trades) {
      ondemand::array trade;
      if (element.get_array().get(trade))
        return false;
      market_event e;
      e.kind = event_kind::trade;
      int index = 0;
      for (auto item : trade) {
        ondemand::value iv;
        if (item.get(iv))
          return false;
        std::string_view s;
        if (index <= 3 && !raw_string(iv, s))
          return false;
        if (index == 0 && !fixed_text(s, e.px.raw))
          return false;
        if (index == 1 && !fixed_text(s, e.qty.raw))
          return false;
        if (index == 2 && !epoch_text(s, e.ts_event))
          return false;
        if (index == 3)
          e.taker =
              s == "b" ? aggressor::buyer : (s == "s" ? aggressor::seller : aggressor::unknown);
        ++index;
      }
      if (index < 3)
        return false;
      out.push_back(e);
    }
    return true;
  }

  /// Reads element `want` of a JSON array of decimal strings.
  static bool array_fixed(ondemand::value v, int want, std::int64_t& raw) noexcept {
    ondemand::array arr;
    if (v.get_array().get(arr))
      return false;
    int index = 0;
    for (auto item : arr) {
      ondemand::value iv;
      if (item.get(iv))
        return false;
      if (index == want)
        return fixed_value(iv, raw);
      ++index;
    }
    return false;
  }

  static bool kraken_ticker(ondemand::value v, std::vector<market_event>& out) {
    ondemand::object obj;
    if (v.get_object().get(obj))
      return false;
    market_event e;
    e.kind = event_kind::quote;
    int seen = 0;
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || !key_of(field, key))
        return false;
      ondemand::value fv = field.value();
      // [price, whole lot volume, lot volume]
      if (key == "a") {
        if (!array_fixed(fv, 0, e.ask.raw))
          return false;
        seen |= 1;
      } else if (key == "b") {
        if (!array_fixed(fv, 0, e.bid.raw))
          return false;
        seen |= 2;
      }
    }
    if (seen != 3)
      return false;
    out.push_back(e);
    return true;
  }

  static bool kraken_spread(ondemand::value v, std::vector<market_event>& out) {
    ondemand::array arr;
    if (v.get_array().get(arr))
      return false;
    market_event e;
    e.kind = event_kind::quote;
    int index = 0;
    for (auto item : arr) {
      ondemand::value iv;
      if (item.get(iv))
        return false;
      std::string_view s;
      if (!raw_string(iv, s))
        return false;
      bool ok = true;
      if (index == 0)
        ok = fixed_text(s, e.bid.raw);
      else if (index == 1)
        ok = fixed_text(s, e.ask.raw);
      else if (index == 2)
        ok = epoch_text(s, e.ts_event);
      else if (index == 3)
        ok = fixed_text(s, e.bid_qty.raw);
      else if (index == 4)
        ok = fixed_text(s, e.ask_qty.raw);
      if (!ok)
        return false;
      ++index;
    }
    if (index < 3)
      return false;
    out.push_back(e);
    return true;
  }

  static bool kraken_book(ondemand::value v, std::vector<market_event>& out, bool& snapshot) {
    ondemand::object obj;
    if (v.get_object().get(obj))
      return false;
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || !key_of(field, key))
        return false;
      if (key == "as" || key == "bs")
        snapshot = true;
      if (key == "a" || key == "as") {
        if (!levels(field.value(), side::sell, out))
          return false;
      } else if (key == "b" || key == "bs") {
        if (!levels(field.value(), side::buy, out))
          return false;
      }
    }
    return true;
  }

  static bool kraken_ohlc(ondemand::value v, std::vector<market_event>& out) {
    // [time, etime, open, high, low, close, vwap, volume, count]
    ondemand::array arr;
    if (v.get_array().get(arr))
      return false;
    market_event e;
    e.kind = event_kind::bar;
    int index = 0;
    for (auto item : arr) {
      ondemand::value iv;
      if (item.get(iv))
        return false;
      std::string_view s;
      if (index <= 7 && !raw_string(iv, s))
        return false;
      bool ok = true;
      if (index == 0)
        ok = epoch_text(s, e.ts_event);
      else if (index == 2)
        ok = fixed_text(s, e.open.raw);
      else if (index == 3)
        ok = fixed_text(s, e.high.raw);
      else if (index == 4)
        ok = fixed_text(s, e.low.raw);
      else if (index == 5)
        ok = fixed_text(s, e.px.raw);
      else if (index == 7)
        ok = fixed_text(s, e.qty.raw);
      if (!ok)
        return false;
      ++index;
    }
    if (index < 8)
      return false;
    out.push_back(e);
    return true;
  }

  // ----- Bitstamp ---------------------------------------------------------------------

  /// The string value of the last `"key":"..."` in the raw text (top-level keys that follow
  /// the data object); false if absent or escaped.
  static bool peek_string(std::string_view line, std::string_view key_colon_quote,
                          std::string_view& out) noexcept {
    const std::size_t at = line.rfind(key_colon_quote);
    if (at == std::string_view::npos)
      return false;
    const std::size_t start = at + key_colon_quote.size();
    const std::size_t close = line.find('"', start);
    if (close == std::string_view::npos)
      return false;
    out = line.substr(start, close - start);
    return out.find('\\') == std::string_view::npos;
  }

  line_status bitstamp(ondemand::document& doc, std::string_view json,
                       std::vector<market_event>& out) {
    ondemand::object top;
    if (doc.get_object().get(top))
      return fail("bitstamp: not a JSON object");
    // {"data":{...},"channel":"...","event":"..."}: the type comes after the data. Peek at
    // it in the raw text (verified below against the parsed fields), else look it up.
    std::string_view event_name;
    std::string_view channel;
    char event_buf[32];
    char channel_buf[64];
    if (!peek_string(json, "\"event\":\"", event_name) ||
        !peek_string(json, "\"channel\":\"", channel)) {
      if (top.find_field_unordered("event").get_string().get(event_name))
        return fail("bitstamp: no event");
      if (event_name.size() >= sizeof event_buf)
        return line_status::non_data;
      if (!event_name.empty())
        std::memcpy(event_buf, event_name.data(), event_name.size());
      event_name = std::string_view(event_buf, event_name.size());
      const error_code channel_error =
          top.find_field_unordered("channel").get_string().get(channel);
      if (channel_error == simdjson::NO_SUCH_FIELD)
        channel = {};
      else if (channel_error)
        return fail("bitstamp: bad channel");
      if (channel.size() >= sizeof channel_buf)
        return fail("bitstamp: channel name too long");
      if (!channel.empty())
        std::memcpy(channel_buf, channel.data(), channel.size());
      channel = std::string_view(channel_buf, channel.size());
      if (!restart(doc) || doc.get_object().get(top))
        return fail("bitstamp: not a JSON object");
    }
    if (event_name != "trade" && event_name != "data")
      return line_status::non_data;  // bts:subscribe, bts:subscription_succeeded, ...
    message_type mt;
    std::string_view symbol;
    constexpr std::string_view trades_prefix = "live_trades_";
    constexpr std::string_view diff_prefix = "diff_order_book_";
    constexpr std::string_view book_prefix = "order_book_";
    if (event_name == "trade" && channel.substr(0, trades_prefix.size()) == trades_prefix) {
      mt = message_type::trade;
      symbol = channel.substr(trades_prefix.size());
    } else if (event_name == "data" && channel.substr(0, diff_prefix.size()) == diff_prefix) {
      mt = message_type::book_update;
      symbol = channel.substr(diff_prefix.size());
    } else if (event_name == "data" && channel.substr(0, book_prefix.size()) == book_prefix) {
      mt = message_type::book_snapshot;
      symbol = channel.substr(book_prefix.size());
    } else {
      return line_status::non_data;  // detail order book, orders, ...
    }
    const std::size_t from = out.size();
    bool have_data = false;
    int verified = 0;
    for (auto field_result : top) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || !key_of(field, key))
        return fail("bitstamp: invalid JSON");
      if (key == "data") {
        ondemand::object data_obj;
        if (field.value().get_object().get(data_obj))
          return fail("bitstamp: no data object");
        const line_status s = bitstamp_data(data_obj, mt, out);
        if (s != line_status::data)
          return s;
        have_data = true;
      } else if (key == "event" || key == "channel") {
        std::string_view v;
        if (field.value().get_string().get(v) || v != (key == "event" ? event_name : channel))
          return fail("bitstamp: event or channel do not match");
        ++verified;
      }
    }
    if (!have_data || verified != 2)
      return fail("bitstamp: expected data, channel and event");
    const instrument_id id = resolve(symbol);
    if (id == no_instrument)
      return unknown_symbol(out, from);
    finish(out, from, id, data_ts);
    return data(mt);
  }

  timestamp_ns data_ts = 0;  ///< event time found by bitstamp_data

  line_status bitstamp_data(ondemand::object& data_obj, message_type mt,
                            std::vector<market_event>& out) {
    market_event trade;
    trade.kind = event_kind::trade;
    std::int64_t micros = 0;
    std::int64_t seconds = 0;
    bool have_price = false, have_amount = false;
    for (auto field_result : data_obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || !key_of(field, key))
        return fail("bitstamp: invalid JSON");
      ondemand::value v = field.value();
      if (key == "microtimestamp") {
        if (!integer_value(v, micros))
          return fail("bitstamp: bad microtimestamp");
      } else if (key == "timestamp") {
        if (!integer_value(v, seconds))
          return fail("bitstamp: bad timestamp");
      } else if (mt == message_type::trade) {
        if (key == "price_str" || (key == "price" && !have_price)) {
          if (!fixed_value(v, trade.px.raw))
            return fail("bitstamp: bad price");
          have_price = true;
        } else if (key == "amount_str" || (key == "amount" && !have_amount)) {
          if (!fixed_value(v, trade.qty.raw))
            return fail("bitstamp: bad amount");
          have_amount = true;
        } else if (key == "type") {
          std::int64_t side_code = -1;
          if (!integer_value(v, side_code))
            return fail("bitstamp: bad type");
          trade.taker = side_code == 0   ? aggressor::buyer
                        : side_code == 1 ? aggressor::seller
                                         : aggressor::unknown;
        }
      } else if (key == "bids" || key == "asks") {
        if (!levels(v, key == "bids" ? side::buy : side::sell, out))
          return fail("bitstamp: bad levels");
      }
    }
    if (mt == message_type::trade) {
      if (!have_price || !have_amount)
        return fail("bitstamp: trade without price or amount");
      out.push_back(trade);  // ids are venue-wide, not per pair: no sequence
    }
    if (!(micros != 0 ? scale_checked(micros, 1000, data_ts)
                      : scale_checked(seconds, 1'000'000'000, data_ts)))
      return fail("bitstamp: time out of range");
    return line_status::data;
  }

  // ----- CSV --------------------------------------------------------------------------

  static std::size_t split(std::string_view line, std::string_view* cells, std::size_t max) {
    std::size_t n = 0;
    while (n < max) {
      const std::size_t comma = line.find(',');
      cells[n++] = trim(line.substr(0, comma));
      if (comma == std::string_view::npos)
        break;
      line.remove_prefix(comma + 1);
    }
    return n;
  }

  bool csv_header(const std::string_view* cells, std::size_t n) {
    col_ts = col_open = col_high = col_low = col_close = col_volume = -1;
    col_price = col_size = col_side = col_symbol = -1;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string name = lower(cells[i]);
      const int c = static_cast<int>(i);
      if (name == "timestamp" || name == "time" || name == "date" || name == "datetime" ||
          name == "ts" || name == "ts_event")
        col_ts = c;
      else if (name == "open" || name == "o")
        col_open = c;
      else if (name == "high" || name == "h")
        col_high = c;
      else if (name == "low" || name == "l")
        col_low = c;
      else if (name == "close" || name == "c")
        col_close = c;
      else if (name == "volume" || name == "v")
        col_volume = c;
      else if (name == "price" || name == "px")
        col_price = c;
      else if (name == "size" || name == "qty" || name == "quantity" || name == "amount")
        col_size = c;
      else if (name == "side" || name == "taker" || name == "aggressor")
        col_side = c;
      else if (name == "symbol" || name == "instrument" || name == "pair" || name == "product")
        col_symbol = c;
    }
    if (format == feed_format::csv_trades && col_size < 0 && col_volume >= 0)
      col_size = col_volume;
    if (col_ts < 0)
      return false;
    return format == feed_format::csv_bars
               ? (col_open >= 0 && col_high >= 0 && col_low >= 0 && col_close >= 0)
               : (col_price >= 0 && col_size >= 0);
  }

  void csv_default_columns() noexcept {
    col_ts = 0;
    col_open = col_high = col_low = col_close = col_volume = -1;
    col_price = col_size = col_side = col_symbol = -1;
    if (format == feed_format::csv_bars) {
      col_open = 1, col_high = 2, col_low = 3, col_close = 4, col_volume = 5;
    } else {
      col_price = 1, col_size = 2, col_side = 3;
    }
  }

  line_status csv(std::string_view line, std::vector<market_event>& out) {
    constexpr std::size_t max_cells = 16;
    std::string_view cells[max_cells];
    const std::size_t n = split(line, cells, max_cells);
    if (!csv_started) {
      csv_started = true;
      std::int64_t probe = 0;
      if (!parse_timestamp(cells[0], probe)) {
        if (!csv_header(cells, n)) {
          csv_started = false;
          return fail("csv: header lacks the required columns");
        }
        return line_status::non_data;
      }
      csv_default_columns();
    }
    auto cell = [&](int c) -> std::string_view {
      return c >= 0 && static_cast<std::size_t>(c) < n ? cells[c] : std::string_view();
    };
    market_event e;
    if (!parse_timestamp(cell(col_ts), e.ts_event))
      return fail("csv: bad timestamp");
    message_type mt;
    if (format == feed_format::csv_bars) {
      e.kind = event_kind::bar;
      if (!parse_fixed(cell(col_open), e.open.raw) || !parse_fixed(cell(col_high), e.high.raw) ||
          !parse_fixed(cell(col_low), e.low.raw) || !parse_fixed(cell(col_close), e.px.raw))
        return fail("csv: bad open/high/low/close");
      const std::string_view vol = cell(col_volume);
      if (!vol.empty() && !parse_fixed(vol, e.qty.raw))
        return fail("csv: bad volume");
      mt = message_type::bar;
    } else {
      e.kind = event_kind::trade;
      if (!parse_fixed(cell(col_price), e.px.raw))
        return fail("csv: bad price");
      if (!parse_fixed(cell(col_size), e.qty.raw))
        return fail("csv: bad size");
      const std::string_view s = cell(col_side);
      if (s == "buy" || s == "b" || s == "B" || s == "BUY" || s == "buyer")
        e.taker = aggressor::buyer;
      else if (s == "sell" || s == "s" || s == "S" || s == "SELL" || s == "seller")
        e.taker = aggressor::seller;
      mt = message_type::trade;
    }
    instrument_id id = options.default_instrument;
    if (col_symbol >= 0) {
      id = resolve(cell(col_symbol));
      if (id == no_instrument)
        return line_status::unknown_symbol;
    } else if (id == no_instrument) {
      id = symbols->only();
      if (id == no_instrument) {
        unknown = "(no symbol column and no default instrument)";
        return line_status::unknown_symbol;
      }
    }
    const std::size_t from = out.size();
    out.push_back(e);
    finish(out, from, id, 0);
    return data(mt);
  }

  // ----- dispatch ---------------------------------------------------------------------

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
    receive = 0;
    if (format == feed_format::csv_bars || format == feed_format::csv_trades)
      return csv(line, out);

    // Capture framing: "<epoch>: <json>", "<url> <-> <epoch>", "<url> <- <epoch>: <json>".
    const char c = line[0];
    if (c != '{' && c != '[') {
      if (c >= '0' && c <= '9') {
        const std::size_t colon = line.find(": ");
        if (colon == std::string_view::npos || colon > 40)
          return fail("capture line without '<epoch>: '");
        if (!epoch_text(line.substr(0, colon), receive))
          return fail("capture line with a bad epoch");
        line.remove_prefix(colon + 2);
      } else {
        const std::size_t space = line.find(' ');
        if (space != std::string_view::npos &&
            (line.compare(space, 5, " <-> ") == 0 || line.compare(space, 4, " <- ") == 0))
          return line_status::non_data;  // connection opened / message sent by the client
        return fail("not JSON and not a capture line");
      }
      if (line.empty())
        return fail("capture line without a payload");
    }
    const std::size_t offset = static_cast<std::size_t>(line.data() - p);
    const std::size_t length = line.size();
    // The caller guarantees `padding` readable bytes after the original line end.
    const std::size_t capacity = readable - offset;
    view = simdjson::padded_string_view(line.data(), length, capacity);
    ondemand::document doc;
    if (parser.iterate(view).get(doc))
      return fail("invalid JSON");
    switch (format) {
      case feed_format::binance:
        return binance(doc, out);
      case feed_format::coinbase:
        return coinbase(doc, out);
      case feed_format::kraken:
        return kraken(doc, line, out);
      case feed_format::bitstamp:
        return bitstamp(doc, line, out);
      default:
        return fail("format not set");
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
  ++m.counters.lines;
  m.counters.bytes += length;
  const std::size_t from = out.size();
  line_status s = m.parse(data, length, out);
  switch (s) {
    case line_status::data:
      break;
    case line_status::non_data:
      ++m.counters.non_data;
      break;
    case line_status::malformed:
      ++m.counters.malformed;
      out.resize(from);
      break;
    case line_status::unknown_symbol:
      ++m.counters.unknown_symbol;
      out.resize(from);
      break;
    case line_status::empty:
      ++m.counters.empty;
      break;
  }
  return s;
}

const char* feed_reader::last_error() const noexcept {
  return impl_->error;
}
std::string_view feed_reader::last_unknown_symbol() const noexcept {
  return impl_->unknown;
}
const reader_counters& feed_reader::counters() const noexcept {
  return impl_->counters;
}
feed_format feed_reader::format() const noexcept {
  return impl_->format;
}

}  // namespace peak::marketdata
