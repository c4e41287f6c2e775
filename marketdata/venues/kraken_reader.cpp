#include "marketdata/venues/kraken_reader.hpp"

#include <cstring>
#include <utility>

#include "marketdata/venues/field_reader.hpp"

namespace peak::marketdata::venues {
namespace {

/// The message type of a channel name; false for channels that carry no market data.
bool channel_type(std::string_view channel, message_type& mt) noexcept {
  if (channel == "trade")
    mt = message_type::trade;
  else if (channel == "ticker" || channel == "spread")
    mt = message_type::quote;
  else if (channel.substr(0, 4) == "book")
    mt = message_type::book_update;
  else if (channel.substr(0, 4) == "ohlc")
    mt = message_type::bar;
  else
    return false;
  return true;
}

/// Reads element `want` of a JSON array of decimal strings.
bool array_fixed(ondemand::value v, int want, std::int64_t& raw) noexcept {
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

}  // namespace

line_status kraken_reader::parse(ondemand::document& doc, std::string_view json,
                                 std::vector<market_event>& out) {
  ondemand::json_type t;
  if (doc.type().get(t))
    return context_.fail("kraken: invalid JSON");
  if (t == ondemand::json_type::object)
    return line_status::non_data;  // heartbeat, systemStatus, subscriptionStatus
  ondemand::array arr;
  if (t != ondemand::json_type::array || doc.get_array().get(arr))
    return context_.fail("kraken: not an array");
  std::string_view channel;
  std::string_view pair;
  if (const char* why = names(doc, arr, json, channel, pair))
    return context_.fail(why);
  message_type mt;
  if (!channel_type(channel, mt))
    return line_status::non_data;
  const std::size_t from = out.size();
  bool snapshot = false;
  if (const char* why = read_payloads(arr, channel, pair, mt, snapshot, out))
    return context_.fail(why);
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
  const instrument_id id = context_.resolve(pair);
  if (id == no_instrument)
    return venue_context::unknown_symbol(out, from);
  context_.finish(out, from, id, 0);
  return context_.data(mt);
}

/// The names come last: peek at them in the raw text (one pass); if that fails (escapes,
/// odd spacing), read them in a first pass over the array and start it again.
const char* kraken_reader::names(ondemand::document& doc, ondemand::array& arr,
                                 std::string_view json, std::string_view& channel,
                                 std::string_view& pair) {
  if (tail(json, channel, pair))
    return nullptr;
  std::string_view names[2];
  for (auto element : arr) {
    ondemand::value v;
    ondemand::json_type et;
    if (element.get(v) || v.type().get(et))
      return "kraken: invalid JSON";
    std::string_view s;
    if (et == ondemand::json_type::string && !string_value(v, s))
      return "kraken: invalid string";
    if (et == ondemand::json_type::string) {
      names[0] = names[1];
      names[1] = s;
    }
  }
  // The views point into the parser's string buffer, which the restart reuses: copy.
  if (names[0].empty() || names[1].empty() || names[0].size() >= sizeof channel_buf_ ||
      names[1].size() >= sizeof pair_buf_)
    return "kraken: missing channel name or pair";
  std::memcpy(channel_buf_, names[0].data(), names[0].size());
  std::memcpy(pair_buf_, names[1].data(), names[1].size());
  channel = std::string_view(channel_buf_, names[0].size());
  pair = std::string_view(pair_buf_, names[1].size());
  if (!context_.restart(doc) || doc.get_array().get(arr))
    return "kraken: not an array";
  return nullptr;
}

/// The last two strings of `[..., "channelName", "pair"]` in the raw text; false when
/// the text is not in that simple form (the caller then reads them with the parser).
bool kraken_reader::tail(std::string_view line, std::string_view& channel,
                         std::string_view& pair) {
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

/// The elements after the channel id: payloads, then exactly the two names.
const char* kraken_reader::read_payloads(ondemand::array& arr, std::string_view channel,
                                         std::string_view pair, message_type mt,
                                         bool& snapshot, std::vector<market_event>& out) {
  std::size_t index = 0;
  std::size_t strings = 0;
  std::size_t payloads = 0;
  for (auto element : arr) {
    ondemand::value v;
    ondemand::json_type et;
    if (element.get(v) || v.type().get(et))
      return "kraken: invalid JSON";
    if (et == ondemand::json_type::string) {
      std::string_view s;
      if (!string_value(v, s) || strings >= 2 || s != (strings == 0 ? channel : pair))
        return "kraken: channel name or pair do not match";
      ++strings;
    } else if (index > 0) {
      if (strings != 0)
        return "kraken: payload after the channel name";
      if (!payload(v, channel, mt, snapshot, out))
        return "kraken: bad payload";
      ++payloads;
    }
    ++index;
  }
  if (strings != 2 || payloads == 0)
    return "kraken: expected [channelID, payload, channelName, pair]";
  return nullptr;
}

bool kraken_reader::payload(ondemand::value& v, std::string_view channel, message_type mt,
                            bool& snapshot, std::vector<market_event>& out) {
  switch (mt) {
    case message_type::trade:
      return trades(v, out);
    case message_type::quote:
      return channel == "ticker" ? ticker(v, out) : spread(v, out);
    case message_type::book_update:
      return book(v, out, snapshot);
    case message_type::bar:
      return ohlc(v, out);
    case message_type::book_snapshot:
      break;
  }
  return true;
}

/// [[price, volume, time, side, ...], ...]
bool kraken_reader::trades(ondemand::value v, std::vector<market_event>& out) {
  market_event blank;
  blank.kind = event_kind::trade;
  return rows(v, blank, 3, out, [](int index, ondemand::value& iv, market_event& e) {
    std::string_view s;
    if (index <= 3 && !raw_string(iv, s))
      return false;
    if (index == 3)
      e.taker = s == "b" ? aggressor::buyer : (s == "s" ? aggressor::seller : aggressor::unknown);
    return (index != 0 || fixed_text(s, e.px.raw)) && (index != 1 || fixed_text(s, e.qty.raw)) &&
           (index != 2 || epoch_text(s, e.ts_event));
  });
}

/// {"a": [price, whole lot volume, lot volume], "b": [...], ...}
bool kraken_reader::ticker(ondemand::value v, std::vector<market_event>& out) {
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
    if (key == "a" || key == "b") {
      if (!array_fixed(fv, 0, key == "a" ? e.ask.raw : e.bid.raw))
        return false;
      seen |= key == "a" ? 1 : 2;
    }
  }
  if (seen != 3)
    return false;
  out.push_back(e);
  return true;
}

/// [bid, ask, time, bid volume, ask volume]
bool kraken_reader::spread(ondemand::value v, std::vector<market_event>& out) {
  ondemand::array arr;
  if (v.get_array().get(arr))
    return false;
  market_event e;
  e.kind = event_kind::quote;
  std::int64_t* const fields[] = {&e.bid.raw, &e.ask.raw, &e.ts_event, &e.bid_qty.raw,
                                  &e.ask_qty.raw};
  int index = 0;
  for (auto item : arr) {
    ondemand::value iv;
    std::string_view s;
    if (item.get(iv) || !raw_string(iv, s))
      return false;
    if (index < 5 && !(index == 2 ? epoch_text(s, e.ts_event) : fixed_text(s, *fields[index])))
      return false;
    ++index;
  }
  if (index < 3)
    return false;
  out.push_back(e);
  return true;
}

/// {"as"/"bs": snapshot levels} or {"a"/"b": update levels}, one or two objects.
bool kraken_reader::book(ondemand::value v, std::vector<market_event>& out, bool& snapshot) {
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
    const bool ask = key == "a" || key == "as";
    if ((ask || key == "b" || key == "bs") &&
        !levels(field.value(), ask ? side::sell : side::buy, out))
      return false;
  }
  return true;
}

/// [time, etime, open, high, low, close, vwap, volume, count]
bool kraken_reader::ohlc(ondemand::value v, std::vector<market_event>& out) {
  ondemand::array arr;
  if (v.get_array().get(arr))
    return false;
  market_event e;
  e.kind = event_kind::bar;
  std::int64_t* const fields[] = {&e.ts_event, nullptr,   &e.open.raw, &e.high.raw,
                                  &e.low.raw,  &e.px.raw, nullptr,     &e.qty.raw};
  int index = 0;
  for (auto item : arr) {
    ondemand::value iv;
    if (item.get(iv))
      return false;
    std::string_view s;
    if (index <= 7 && !raw_string(iv, s))
      return false;
    if (index <= 7 && fields[index] != nullptr &&
        !(index == 0 ? epoch_text(s, e.ts_event) : fixed_text(s, *fields[index])))
      return false;
    ++index;
  }
  if (index < 8)
    return false;
  out.push_back(e);
  return true;
}

}  // namespace peak::marketdata::venues
