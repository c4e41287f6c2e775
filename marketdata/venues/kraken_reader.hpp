#pragma once
/// Kraken websocket v1 arrays `[channelID, payload..., channelName, pair]`: trade, ticker,
/// spread, book-* and ohlc-*; object messages (heartbeat, status) are non-data.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

/// Reads Kraken arrays into events.
class kraken_reader {
public:
  explicit kraken_reader(venue_context& context) : context_(context) {}

  line_status parse(simdjson::ondemand::document& doc, std::string_view json,
                    std::vector<market_event>& out);

private:
  const char* names(simdjson::ondemand::document& doc, simdjson::ondemand::array& arr,
                    std::string_view json, std::string_view& channel, std::string_view& pair);
  static bool tail(std::string_view line, std::string_view& channel, std::string_view& pair);
  static const char* read_payloads(simdjson::ondemand::array& arr, std::string_view channel,
                                   std::string_view pair, message_type mt, bool& snapshot,
                                   std::vector<market_event>& out);
  static bool payload(simdjson::ondemand::value& v, std::string_view channel, message_type mt,
                      bool& snapshot, std::vector<market_event>& out);
  static bool trades(simdjson::ondemand::value v, std::vector<market_event>& out);
  static bool ticker(simdjson::ondemand::value v, std::vector<market_event>& out);
  static bool spread(simdjson::ondemand::value v, std::vector<market_event>& out);
  static bool book(simdjson::ondemand::value v, std::vector<market_event>& out, bool& snapshot);
  static bool ohlc(simdjson::ondemand::value v, std::vector<market_event>& out);

  venue_context& context_;
  char channel_buf_[32] = {};  ///< names copied out of the parser's string buffer
  char pair_buf_[32] = {};
};

}  // namespace peak::marketdata::venues
