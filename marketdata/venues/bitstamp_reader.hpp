#pragma once
/// Bitstamp websocket v2 objects `{"data":{...},"channel":"...","event":"..."}`: trades on
/// live_trades_<pair>, book levels on diff_order_book_<pair> / order_book_<pair>.

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

/// Reads Bitstamp objects into events.
class bitstamp_reader {
public:
  explicit bitstamp_reader(venue_context& context) : context_(context) {}

  line_status parse(simdjson::ondemand::document& doc, std::string_view json,
                    std::vector<market_event>& out);

private:
  const char* names(simdjson::ondemand::document& doc, simdjson::ondemand::object& top,
                    std::string_view json, std::string_view& event_name,
                    std::string_view& channel, bool& too_long);
  line_status read_top(simdjson::ondemand::object& top, std::string_view event_name,
                       std::string_view channel, message_type mt,
                       std::vector<market_event>& out);
  line_status read_data(simdjson::ondemand::object& data_obj, message_type mt,
                        std::vector<market_event>& out);

  venue_context& context_;
  timestamp_ns data_ts_ = 0;  ///< event time found by read_data
  char event_buf_[32] = {};   ///< names copied out of the parser's string buffer
  char channel_buf_[64] = {};
};

}  // namespace peak::marketdata::venues
