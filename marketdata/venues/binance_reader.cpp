#include "marketdata/venues/binance_reader.hpp"

#include <utility>

#include "marketdata/venues/field_reader.hpp"

namespace peak::marketdata::venues {

using simdjson::error_code;

line_status binance_reader::parse(ondemand::document& doc, std::vector<market_event>& out) {
  ondemand::object payload;
  if (const char* why = open_payload(doc, payload))
    return context_.fail(why);
  const std::size_t from = out.size();
  message m;
  if (const char* why = read_fields(payload, m, out))
    return context_.fail(why);
  return emit(m, out, from);
}

/// Combined stream {"stream":..., "data":{...}} or a single-stream payload {"e":...}.
const char* binance_reader::open_payload(ondemand::document& doc, ondemand::object& payload) {
  ondemand::object top;
  if (doc.get_object().get(top))
    return "binance: not a JSON object";
  ondemand::value data_value;
  const error_code data_error = top.find_field_unordered("data").get(data_value);
  if (data_error == simdjson::SUCCESS)
    return data_value.get_object().get(payload) ? "binance: data is not an object" : nullptr;
  if (data_error == simdjson::NO_SUCH_FIELD)
    return !context_.restart(doc) || doc.get_object().get(payload) ? "binance: not a JSON object"
                                                                    : nullptr;
  return "binance: invalid JSON";
}

const char* binance_reader::read_fields(ondemand::object& payload, message& m,
                                        std::vector<market_event>& out) {
  for (auto field_result : payload) {
    if (field_result.error())
      return "binance: invalid JSON";
    ondemand::field& field = field_result.value_unsafe();  // no copy of the field
    // The raw key, read in place: one character then the closing quote, or "pu".
    const char* key = field.key().raw();
    ondemand::value& v = field.value();
    if (key_is(key, "pu")) {
      if (!integer_value(v, m.previous_update_id))
        return "binance: bad pu";
      m.have_pu = true;
      continue;
    }
    if (key[0] == '"' || key[1] != '"')
      continue;  // other long keys are not needed
    if (const char* why = read_field(key[0], v, m, out))
      return why;
  }
  return nullptr;
}

const char* binance_reader::read_field(char key, ondemand::value& v, message& m,
                                       std::vector<market_event>& out) {
  switch (key) {
    case 'a':
    case 'b':
      return read_side(key, v, m, out);
    case 'e':
      return string_value(v, m.e_type) ? nullptr : "binance: e is not a string";
    case 's':
      return string_value(v, m.symbol) ? nullptr : "binance: s is not a string";
    case 'E':
      return integer_value(v, m.event_time) ? nullptr : "binance: bad E";
    case 'T':
      return integer_value(v, m.trade_time) ? nullptr : "binance: bad T";
    case 't':
      return integer_value(v, m.id_t) ? nullptr : "binance: bad t";
    case 'u':
      return integer_value(v, m.update_id) ? nullptr : "binance: bad u";
    case 'U':
      return integer_value(v, m.first_update_id) ? nullptr : "binance: bad U";
    case 'm':
      m.have_m = true;
      return v.get_bool().get(m.maker) ? "binance: m is not a bool" : nullptr;
    case 'p':
      m.have_p = true;
      return fixed_value(v, m.px) ? nullptr : "binance: bad price";
    case 'q':
      m.have_q = true;
      return fixed_value(v, m.qty) ? nullptr : "binance: bad quantity";
    case 'B':
      return fixed_value(v, m.bid_qty) ? nullptr : "binance: bad bid size";
    case 'A':
      return fixed_value(v, m.ask_qty) ? nullptr : "binance: bad ask size";
    case 'k':
      m.have_k = true;
      return kline(v, m.bar, m.symbol) ? nullptr : "binance: bad kline";
    default:
      return nullptr;
  }
}

/// `a` and `b`: an aggregate trade id (number), a best price (string) or levels (array).
const char* binance_reader::read_side(char key, ondemand::value& v, message& m,
                                      std::vector<market_event>& out) {
  ondemand::json_type t = ondemand::json_type::null;
  if (v.type().get(t))
    return "binance: invalid JSON";
  const bool ask = key == 'a';
  if (t == ondemand::json_type::number && ask)
    return integer_value(v, m.id_a) ? nullptr : "binance: bad aggregate trade id";
  if (t == ondemand::json_type::string) {
    (ask ? m.have_a : m.have_b) = true;
    if (!fixed_value(v, ask ? m.ask : m.bid))
      return ask ? "binance: bad ask" : "binance: bad bid";
  } else if (t == ondemand::json_type::array) {
    if (!levels(v, ask ? side::sell : side::buy, out))
      return ask ? "binance: bad ask levels" : "binance: bad bid levels";
  }
  return nullptr;
}

bool binance_reader::kline(ondemand::value v, market_event& bar, std::string_view& symbol) {
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
    std::int64_t* target = nullptr;
    int bit = 0;
    switch (key[0]) {
      case 'o':
        target = &bar.open.raw, bit = 1;
        break;
      case 'h':
        target = &bar.high.raw, bit = 2;
        break;
      case 'l':
        target = &bar.low.raw, bit = 4;
        break;
      case 'c':
        target = &bar.px.raw, bit = 8;
        break;
      case 'v':
        target = &bar.qty.raw;
        break;
      case 's':
        if (symbol.empty() && !string_value(fv, symbol))
          return false;
        break;
      default:
        break;
    }
    if (target != nullptr && !fixed_value(fv, *target))
      return false;
    seen |= bit;
  }
  return seen == 15;
}

line_status binance_reader::emit(const message& m, std::vector<market_event>& out,
                                 std::size_t from) {
  const timestamp_ns ms = 1'000'000;
  timestamp_ns exchange_ns = 0;  // T (trade/transaction time) if given, else E
  if (!scale_checked(m.trade_time != 0 ? m.trade_time : m.event_time, ms, exchange_ns))
    return context_.fail("binance: time out of range");
  if (m.e_type == "depthUpdate")
    return depth(m, out, from, exchange_ns);
  out.resize(from);  // only depth updates carry levels
  if (m.e_type == "aggTrade" || m.e_type == "trade")
    return trade(m, out, from, exchange_ns);
  if (m.e_type == "bookTicker" || (m.e_type.empty() && m.have_b && m.have_a && m.update_id != 0))
    return book_ticker(m, out, from, exchange_ns);
  if (m.e_type == "kline" && m.have_k) {
    const instrument_id id = context_.resolve(m.symbol);
    if (id == no_instrument)
      return venue_context::unknown_symbol(out, from);
    timestamp_ns bar_ns = 0;
    if (!scale_checked(m.event_time, ms, bar_ns))
      return context_.fail("binance: time out of range");
    out.push_back(m.bar);
    context_.finish(out, from, id, bar_ns);
    return context_.data(message_type::bar);
  }
  // {"result":null,"id":1}, other event types (markPriceUpdate, 24hrTicker, ...)
  return line_status::non_data;
}

line_status binance_reader::depth(const message& m, std::vector<market_event>& out,
                                  std::size_t from, timestamp_ns ts) {
  const instrument_id id = context_.resolve(m.symbol);
  if (id == no_instrument)
    return venue_context::unknown_symbol(out, from);
  link_depth(out, from, id, static_cast<std::uint64_t>(m.update_id),
             m.have_pu               ? static_cast<std::uint64_t>(m.previous_update_id)
             : m.first_update_id > 0 ? static_cast<std::uint64_t>(m.first_update_id) - 1u
                                     : 0u);
  context_.finish(out, from, id, ts);
  return context_.data(message_type::book_update);
}

line_status binance_reader::trade(const message& m, std::vector<market_event>& out,
                                  std::size_t from, timestamp_ns ts) {
  if (!m.have_p || !m.have_q)
    return context_.fail("binance: trade without p or q");
  market_event e;
  e.kind = event_kind::trade;
  e.px = price{m.px};
  e.qty = quantity{m.qty};
  e.sequence = static_cast<std::uint64_t>(m.e_type == "aggTrade" ? m.id_a : m.id_t);
  e.taker = !m.have_m ? aggressor::unknown : (m.maker ? aggressor::seller : aggressor::buyer);
  return context_.emit(m.symbol, e, out, from, ts, message_type::trade);
}

/// Spot bookTicker has no "e" and no time: receive time stands in.
line_status binance_reader::book_ticker(const message& m, std::vector<market_event>& out,
                                        std::size_t from, timestamp_ns ts) {
  if (!m.have_b || !m.have_a)
    return context_.fail("binance: bookTicker without b or a");
  return context_.emit(m.symbol,
                       venue_context::quote(m.bid, m.ask, m.bid_qty, m.ask_qty, m.update_id), out,
                       from, ts, message_type::quote);
}

/// Stamps the levels [from, end) of one depth update with its last update id and the id
/// it follows on from (spot U - 1, futures pu), bridging updates that had no levels.
void binance_reader::link_depth(std::vector<market_event>& out, std::size_t from,
                                instrument_id id, std::uint64_t last, std::uint64_t previous) {
  if (id >= depth_links_.size())
    depth_links_.resize(static_cast<std::size_t>(id) + 1);
  depth_link& link = depth_links_[id];
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

}  // namespace peak::marketdata::venues
