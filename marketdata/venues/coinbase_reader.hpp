#pragma once
/// Coinbase (Pro) websocket messages: match/last_match, ticker, l2update, snapshot.

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "marketdata/decimal.hpp"
#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

/// Reads Coinbase objects into events; keeps the date of the previous ISO-8601 time.
class coinbase_reader {
public:
  explicit coinbase_reader(venue_context& context) : context_(context) {}

  line_status parse(simdjson::ondemand::document& doc, std::vector<market_event>& out);

private:
  /// The fields of one message that the event types need.
  struct message {
    std::string_view type, product, side_text, time_text;
    std::int64_t px = 0, qty = 0, bid = 0, ask = 0, bid_qty = 0, ask_qty = 0;
    std::int64_t trade_id = 0, sequence = 0;
    bool have_p = false, have_q = false, have_bid = false, have_ask = false;
  };

  static const char* read_field(const char* key, simdjson::ondemand::value& v, message& m);
  static const char* read_book_field(const char* key, simdjson::ondemand::value& v, message& m,
                                     std::vector<market_event>& out);
  static bool changes(simdjson::ondemand::value v, std::vector<market_event>& out);
  line_status emit(const message& m, std::vector<market_event>& out, std::size_t from);

  venue_context& context_;
  iso8601_cache iso_dates_;  ///< the date of the previous message
};

}  // namespace peak::marketdata::venues
