#include "marketdata/venues/bitstamp_reader.hpp"

#include <cstring>
#include <utility>

#include "marketdata/venues/field_reader.hpp"

namespace peak::marketdata::venues {
namespace {

using simdjson::error_code;

/// The string value of the last `"key":"..."` in the raw text (top-level keys that follow
/// the data object); false if absent or escaped.
bool peek_string(std::string_view line, std::string_view key_colon_quote,
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

/// The message type and pair of a market data event/channel; false for anything else.
bool classify(std::string_view event_name, std::string_view channel, message_type& mt,
              std::string_view& symbol) noexcept {
  constexpr std::string_view trades_prefix = "live_trades_";
  constexpr std::string_view diff_prefix = "diff_order_book_";
  constexpr std::string_view book_prefix = "order_book_";
  std::string_view prefix;
  if (event_name == "trade" && channel.substr(0, trades_prefix.size()) == trades_prefix) {
    mt = message_type::trade, prefix = trades_prefix;
  } else if (event_name == "data" && channel.substr(0, diff_prefix.size()) == diff_prefix) {
    mt = message_type::book_update, prefix = diff_prefix;
  } else if (event_name == "data" && channel.substr(0, book_prefix.size()) == book_prefix) {
    mt = message_type::book_snapshot, prefix = book_prefix;
  } else {
    return false;  // detail order book, orders, ...
  }
  symbol = channel.substr(prefix.size());
  return true;
}

}  // namespace

line_status bitstamp_reader::parse(ondemand::document& doc, std::string_view json,
                                   std::vector<market_event>& out) {
  ondemand::object top;
  if (doc.get_object().get(top))
    return context_.fail("bitstamp: not a JSON object");
  std::string_view event_name;
  std::string_view channel;
  bool too_long = false;
  if (const char* why = names(doc, top, json, event_name, channel, too_long))
    return context_.fail(why);
  if (too_long || (event_name != "trade" && event_name != "data"))
    return line_status::non_data;  // bts:subscribe, bts:subscription_succeeded, ...
  message_type mt;
  std::string_view symbol;
  if (!classify(event_name, channel, mt, symbol))
    return line_status::non_data;
  const std::size_t from = out.size();
  const line_status s = read_top(top, event_name, channel, mt, out);
  if (s != line_status::data)
    return s;
  const instrument_id id = context_.resolve(symbol);
  if (id == no_instrument)
    return venue_context::unknown_symbol(out, from);
  context_.finish(out, from, id, data_ts_);
  return context_.data(mt);
}

/// The type comes after the data: peek at event and channel in the raw text (verified by
/// read_top against the parsed fields), else look them up and start the object again.
const char* bitstamp_reader::names(ondemand::document& doc, ondemand::object& top,
                                   std::string_view json, std::string_view& event_name,
                                   std::string_view& channel, bool& too_long) {
  if (peek_string(json, "\"event\":\"", event_name) &&
      peek_string(json, "\"channel\":\"", channel))
    return nullptr;
  if (top.find_field_unordered("event").get_string().get(event_name))
    return "bitstamp: no event";
  too_long = event_name.size() >= sizeof event_buf_;
  if (too_long)
    return nullptr;
  if (!event_name.empty())
    std::memcpy(event_buf_, event_name.data(), event_name.size());
  event_name = std::string_view(event_buf_, event_name.size());
  const error_code channel_error = top.find_field_unordered("channel").get_string().get(channel);
  if (channel_error == simdjson::NO_SUCH_FIELD)
    channel = {};
  else if (channel_error)
    return "bitstamp: bad channel";
  if (channel.size() >= sizeof channel_buf_)
    return "bitstamp: channel name too long";
  if (!channel.empty())
    std::memcpy(channel_buf_, channel.data(), channel.size());
  channel = std::string_view(channel_buf_, channel.size());
  if (!context_.restart(doc) || doc.get_object().get(top))
    return "bitstamp: not a JSON object";
  return nullptr;
}

/// Reads the data object and checks event and channel against the names used.
line_status bitstamp_reader::read_top(ondemand::object& top, std::string_view event_name,
                                      std::string_view channel, message_type mt,
                                      std::vector<market_event>& out) {
  bool have_data = false;
  int verified = 0;
  for (auto field_result : top) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || !key_of(field, key))
      return context_.fail("bitstamp: invalid JSON");
    if (key == "data") {
      ondemand::object data_obj;
      if (field.value().get_object().get(data_obj))
        return context_.fail("bitstamp: no data object");
      const line_status s = read_data(data_obj, mt, out);
      if (s != line_status::data)
        return s;
      have_data = true;
    } else if (key == "event" || key == "channel") {
      std::string_view v;
      if (field.value().get_string().get(v) || v != (key == "event" ? event_name : channel))
        return context_.fail("bitstamp: event or channel do not match");
      ++verified;
    }
  }
  if (!have_data || verified != 2)
    return context_.fail("bitstamp: expected data, channel and event");
  return line_status::data;
}

line_status bitstamp_reader::read_data(ondemand::object& data_obj, message_type mt,
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
      return context_.fail("bitstamp: invalid JSON");
    ondemand::value v = field.value();
    const char* why = nullptr;
    if (key == "microtimestamp") {
      why = integer_value(v, micros) ? nullptr : "bitstamp: bad microtimestamp";
    } else if (key == "timestamp") {
      why = integer_value(v, seconds) ? nullptr : "bitstamp: bad timestamp";
    } else if (mt != message_type::trade) {
      if ((key == "bids" || key == "asks") &&
          !levels(v, key == "bids" ? side::buy : side::sell, out))
        why = "bitstamp: bad levels";
    } else if (key == "price_str" || (key == "price" && !have_price)) {
      have_price = true;
      why = fixed_value(v, trade.px.raw) ? nullptr : "bitstamp: bad price";
    } else if (key == "amount_str" || (key == "amount" && !have_amount)) {
      have_amount = true;
      why = fixed_value(v, trade.qty.raw) ? nullptr : "bitstamp: bad amount";
    } else if (key == "type") {
      std::int64_t code = -1;
      why = integer_value(v, code) ? nullptr : "bitstamp: bad type";
      trade.taker = code == 0 ? aggressor::buyer : code == 1 ? aggressor::seller : aggressor::unknown;
    }
    if (why != nullptr)
      return context_.fail(why);
  }
  if (mt == message_type::trade) {
    if (!have_price || !have_amount)
      return context_.fail("bitstamp: trade without price or amount");
    out.push_back(trade);  // ids are venue-wide, not per pair: no sequence
  }
  if (!(micros != 0 ? scale_checked(micros, 1000, data_ts_)
                    : scale_checked(seconds, 1'000'000'000, data_ts_)))
    return context_.fail("bitstamp: time out of range");
  return line_status::data;
}

}  // namespace peak::marketdata::venues
