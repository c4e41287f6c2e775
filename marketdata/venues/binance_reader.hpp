#pragma once
/// Binance spot, Binance US and USD-M futures messages (combined or single streams):
/// aggTrade/trade, bookTicker, depthUpdate, kline. The three venues share the format; futures
/// add `pu` and `T` on depth updates.

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

/// Reads Binance payloads into events; keeps each instrument's depth-update link.
class binance_reader {
public:
  explicit binance_reader(venue_context& context) : context_(context) {}

  line_status parse(simdjson::ondemand::document& doc, std::vector<market_event>& out);

private:
  /// The fields of one payload that the event types need.
  struct message {
    std::string_view e_type;
    std::string_view symbol;
    std::int64_t event_time = 0;
    std::int64_t trade_time = 0;
    std::int64_t id_a = 0;
    std::int64_t id_t = 0;
    std::int64_t update_id = 0;
    std::int64_t first_update_id = 0;     ///< depthUpdate U
    std::int64_t previous_update_id = 0;  ///< futures depthUpdate pu
    bool have_pu = false;
    bool maker = false;
    bool have_m = false;
    std::int64_t px = 0, qty = 0, bid = 0, bid_qty = 0, ask = 0, ask_qty = 0;
    bool have_p = false, have_q = false, have_b = false, have_a = false;
    market_event bar;
    bool have_k = false;
  };

  /// An update without levels yields no event, so its link (previous sequence -> last
  /// update id) is kept per instrument and handed on to the next update that follows on
  /// from it; the quality checker then still sees an unbroken chain.
  struct depth_link {
    std::uint64_t previous = 0;  ///< previous_sequence of the swallowed update(s)
    std::uint64_t last = 0;      ///< last update id of the swallowed update, 0 = none
  };

  const char* open_payload(simdjson::ondemand::document& doc,
                           simdjson::ondemand::object& payload);
  const char* read_fields(simdjson::ondemand::object& payload, message& m,
                          std::vector<market_event>& out);
  static const char* read_field(char key, simdjson::ondemand::value& v, message& m,
                                std::vector<market_event>& out);
  static const char* read_side(char key, simdjson::ondemand::value& v, message& m,
                               std::vector<market_event>& out);
  static bool kline(simdjson::ondemand::value v, market_event& bar, std::string_view& symbol);
  line_status emit(const message& m, std::vector<market_event>& out, std::size_t from);
  line_status depth(const message& m, std::vector<market_event>& out, std::size_t from,
                    timestamp_ns ts);
  line_status trade(const message& m, std::vector<market_event>& out, std::size_t from,
                    timestamp_ns ts);
  line_status book_ticker(const message& m, std::vector<market_event>& out, std::size_t from,
                          timestamp_ns ts);
  void link_depth(std::vector<market_event>& out, std::size_t from, instrument_id id,
                  std::uint64_t last, std::uint64_t previous);

  venue_context& context_;
  std::vector<depth_link> depth_links_;
};

}  // namespace peak::marketdata::venues
