#include "marketdata/venues/coinbase_reader.hpp"

#include "marketdata/venues/field_reader.hpp"

namespace peak::marketdata::venues {

line_status coinbase_reader::parse(ondemand::document& doc, std::vector<market_event>& out) {
  ondemand::object top;
  if (doc.get_object().get(top))
    return context_.fail("coinbase: not a JSON object");
  const std::size_t from = out.size();
  message m;
  for (auto field_result : top) {
    if (field_result.error())
      return context_.fail("coinbase: invalid JSON");
    ondemand::field& field = field_result.value_unsafe();  // no copy of the field
    // The raw key, read in place and dispatched on its first character.
    const char* key = field.key().raw();
    ondemand::value& v = field.value();
    const char* why = key[0] == 'b' || key[0] == 'a' || key[0] == 'c'
                          ? read_book_field(key, v, m, out)
                          : read_field(key, v, m);
    if (why != nullptr)
      return context_.fail(why);
  }
  return emit(m, out, from);
}

/// type, time, trade_id, product_id, price, size, side, sequence, last_size.
const char* coinbase_reader::read_field(const char* key, ondemand::value& v, message& m) {
  switch (key[0]) {
    case 't':
      if (key_is(key, "type"))
        return string_value(v, m.type) ? nullptr : "coinbase: type is not a string";
      if (key_is(key, "time"))
        return string_value(v, m.time_text) ? nullptr : "coinbase: time is not a string";
      if (key_is(key, "trade_id"))
        return integer_value(v, m.trade_id) ? nullptr : "coinbase: bad trade_id";
      return nullptr;
    case 'p':
      if (key_is(key, "product_id"))
        return string_value(v, m.product) ? nullptr : "coinbase: product_id is not a string";
      if (key_is(key, "price")) {
        m.have_p = true;
        return fixed_value(v, m.px) ? nullptr : "coinbase: bad price";
      }
      return nullptr;
    case 's':
      if (key_is(key, "size")) {
        m.have_q = true;
        return fixed_value(v, m.qty) ? nullptr : "coinbase: bad size";
      }
      if (key_is(key, "side"))
        return string_value(v, m.side_text) ? nullptr : "coinbase: side is not a string";
      if (key_is(key, "sequence"))
        return integer_value(v, m.sequence) ? nullptr : "coinbase: bad sequence";
      return nullptr;
    case 'l':
      if (key_is(key, "last_size")) {
        m.have_q = true;
        return fixed_value(v, m.qty) ? nullptr : "coinbase: bad size";
      }
      return nullptr;
    default:
      return nullptr;
  }
}

/// best_bid/ask(_size), and the levels of a snapshot (bids, asks) or an l2update (changes).
const char* coinbase_reader::read_book_field(const char* key, ondemand::value& v, message& m,
                                             std::vector<market_event>& out) {
  if (key_is(key, "best_bid")) {
    m.have_bid = true;
    return fixed_value(v, m.bid) ? nullptr : "coinbase: bad best_bid";
  }
  if (key_is(key, "best_ask")) {
    m.have_ask = true;
    return fixed_value(v, m.ask) ? nullptr : "coinbase: bad best_ask";
  }
  if (key_is(key, "best_bid_size"))
    return fixed_value(v, m.bid_qty) ? nullptr : "coinbase: bad best_bid_size";
  if (key_is(key, "best_ask_size"))
    return fixed_value(v, m.ask_qty) ? nullptr : "coinbase: bad best_ask_size";
  if (m.type == "snapshot" && (key_is(key, "bids") || key_is(key, "asks")))
    return levels(v, key[0] == 'b' ? side::buy : side::sell, out)
               ? nullptr
               : "coinbase: bad snapshot levels";
  if (m.type == "l2update" && key_is(key, "changes"))
    return changes(v, out) ? nullptr : "coinbase: bad l2update changes";
  return nullptr;
}

/// l2update changes: [["buy"|"sell", price, size], ...].
bool coinbase_reader::changes(ondemand::value v, std::vector<market_event>& out) {
  market_event blank;
  blank.kind = event_kind::book;
  return rows(v, blank, 3, out, [](int index, ondemand::value& iv, market_event& e) {
    std::string_view s;
    if (index == 0 && (!raw_string(iv, s) || (s != "buy" && s != "sell")))
      return false;
    if (index == 0)
      e.book_side = s == "buy" ? side::buy : side::sell;
    return (index != 1 || fixed_value(iv, e.px.raw)) && (index != 2 || fixed_value(iv, e.qty.raw));
  });
}

line_status coinbase_reader::emit(const message& m, std::vector<market_event>& out,
                                  std::size_t from) {
  timestamp_ns ts = 0;
  if (!m.time_text.empty() && !parse_iso8601(m.time_text, ts, iso_dates_))
    return context_.fail("coinbase: bad time");
  message_type mt;
  if (m.type == "match" || m.type == "last_match") {
    if (!m.have_p || !m.have_q)
      return context_.fail("coinbase: match without price or size");
    market_event e;
    e.kind = event_kind::trade;
    e.px = price{m.px};
    e.qty = quantity{m.qty};
    e.sequence = static_cast<std::uint64_t>(m.trade_id);
    // "side" is the maker's side: a sell maker means a buying taker.
    e.taker = m.side_text == "sell"  ? aggressor::buyer
              : m.side_text == "buy" ? aggressor::seller
                                     : aggressor::unknown;
    out.resize(from);
    out.push_back(e);
    mt = message_type::trade;
  } else if (m.type == "ticker") {
    out.resize(from);
    if (!m.have_bid || !m.have_ask)
      return line_status::non_data;  // a ticker without a book side: nothing to quote
    out.push_back(venue_context::quote(m.bid, m.ask, m.bid_qty, m.ask_qty, m.sequence));
    mt = message_type::quote;
  } else if (m.type == "l2update" || m.type == "snapshot") {
    mt = m.type == "snapshot" ? message_type::book_snapshot : message_type::book_update;
  } else {
    out.resize(from);
    return line_status::non_data;  // subscriptions, heartbeat, status, error, full channel
  }
  const instrument_id id = context_.resolve(m.product);
  if (id == no_instrument)
    return venue_context::unknown_symbol(out, from);
  context_.finish(out, from, id, ts);
  return context_.data(mt);
}

}  // namespace peak::marketdata::venues
