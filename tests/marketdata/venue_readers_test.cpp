#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marketdata/feed_reader.hpp"

namespace peak::marketdata {
namespace {

// Per-venue cases the FeedReader tests leave out: each venue reader's less common messages
// and the slow paths taken when a fast raw-text peek does not apply. Values are invented.

struct venue {
  symbol_map symbols;
  feed_reader reader;
  std::vector<market_event> out;

  venue(feed_format f, const std::vector<std::string>& syms) : reader(f, symbols) {
    for (std::size_t i = 0; i < syms.size(); ++i)
      symbols.add(syms[i], static_cast<instrument_id>(i));
  }

  line_status parse(const std::string& line) {
    out.clear();
    std::string padded = line + std::string(feed_reader::padding, '\0');
    return reader.parse_line(padded.data(), line.size(), out);
  }
  std::uint64_t messages(message_type t) const {
    return reader.counters().messages[static_cast<std::size_t>(t)];
  }
};

TEST(BinanceReader, SingleStreamTradeUsesTradeIdAndTradeTime) {
  venue v(feed_format::binance, {"BTCUSD"});  // Binance US spells pairs like this
  ASSERT_EQ(
      v.parse(
          R"({"e":"trade","E":1700000000500,"s":"BTCUSD","t":77,"p":"35000.01","q":"0.002","T":1700000000499,"m":false})"),
      line_status::data);
  ASSERT_EQ(v.out.size(), 1u);
  EXPECT_EQ(v.out[0].sequence, 77u);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'000'499'000'000);
  EXPECT_EQ(v.out[0].ts_receive, 0);
  EXPECT_EQ(v.out[0].taker, aggressor::buyer);
  EXPECT_EQ(v.out[0].px.raw, 3'500'001'000'000);
  EXPECT_EQ(v.parse(R"({"e":"markPriceUpdate","E":1700000000500,"s":"BTCUSD","p":"1"})"),
            line_status::non_data);
  EXPECT_EQ(v.parse(R"({"e":"trade","s":"BTCUSD","t":1,"p":"1"})"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "binance: trade without p or q");
  EXPECT_EQ(v.parse(R"({"e":"trade","s":"ETHUSD","t":1,"p":"1","q":"1","T":1})"),
            line_status::unknown_symbol);
  EXPECT_EQ(v.reader.last_unknown_symbol(), "ETHUSD");
}

TEST(BinanceReader, FuturesDepthFollowsOnFromPu) {
  venue v(feed_format::binance, {"BTCUSDT"});
  ASSERT_EQ(
      v.parse(
          R"({"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1700000000100,"T":1700000000099,"s":"BTCUSDT","U":10,"u":12,"pu":9,"b":[["100.0","1.5"]],"a":[]}})"),
      line_status::data);
  ASSERT_EQ(v.out.size(), 1u);
  EXPECT_EQ(v.out[0].previous_sequence, 9u);  // pu, not U - 1
  EXPECT_EQ(v.out[0].sequence, 12u);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'000'099'000'000);
  EXPECT_EQ(v.parse(R"({"stream":"x","data":[1]})"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "binance: data is not an object");
}

TEST(CoinbaseReader, LastMatchTickerWithoutBookAndOtherTypes) {
  venue v(feed_format::coinbase, {"BTC-USD"});
  ASSERT_EQ(
      v.parse(
          R"({"type":"last_match","trade_id":9,"side":"buy","size":"0.1","price":"30000.5","product_id":"BTC-USD","sequence":5,"time":"2023-11-14T22:13:20.000001Z"})"),
      line_status::data);
  ASSERT_EQ(v.out.size(), 1u);
  EXPECT_EQ(v.out[0].taker, aggressor::seller);  // the maker bought
  EXPECT_EQ(v.out[0].sequence, 9u);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'000'000'001'000);
  EXPECT_EQ(v.parse(R"({"type":"ticker","product_id":"BTC-USD","price":"1","time":"2023-11-14T22:13:20Z"})"),
            line_status::non_data);  // no best bid/ask: nothing to quote
  EXPECT_EQ(v.parse(R"({"type":"heartbeat","product_id":"BTC-USD","sequence":1})"),
            line_status::non_data);
  EXPECT_EQ(v.parse(R"({"type":"match","product_id":"BTC-USD","price":"1","size":"1","time":"x"})"),
            line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "coinbase: bad time");
  EXPECT_EQ(v.parse(R"({"type":"l2update","product_id":"BTC-USD","changes":[["hold","1","1"]]})"),
            line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "coinbase: bad l2update changes");
}

TEST(KrakenReader, OhlcBarAndNamesReadByTheParserWhenEscaped) {
  venue v(feed_format::kraken, {"XBT/USD"});
  ASSERT_EQ(
      v.parse(
          R"([42,["1700000000.100000","1700000060.000000","100.1","101.0","99.5","100.7","100.3","12.5",42],"ohlc-1","XBT/USD"])"),
      line_status::data);
  ASSERT_EQ(v.out.size(), 1u);
  EXPECT_EQ(v.out[0].kind, event_kind::bar);
  EXPECT_EQ(v.out[0].open.raw, 10'010'000'000);
  EXPECT_EQ(v.out[0].high.raw, 10'100'000'000);
  EXPECT_EQ(v.out[0].low.raw, 9'950'000'000);
  EXPECT_EQ(v.out[0].px.raw, 10'070'000'000);
  EXPECT_EQ(v.out[0].qty.raw, 1'250'000'000);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'000'100'000'000);
  EXPECT_EQ(v.messages(message_type::bar), 1u);
  // An escaped pair defeats the raw-text peek: the names come from a first parser pass.
  ASSERT_EQ(v.parse(R"([13,["100.4","100.6","1700000001.000000"],"spread","XBT\/USD"])"),
            line_status::data);
  EXPECT_EQ(v.out[0].instrument, 0u);
  EXPECT_EQ(v.out[0].ask.raw, 10'060'000'000);
  EXPECT_EQ(v.parse(R"([13,["1","2","3"],"ownTrades","XBT/USD"])"), line_status::non_data);
  EXPECT_EQ(v.parse(R"([13,"spread","XBT/USD"])"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "kraken: expected [channelID, payload, channelName, pair]");
  EXPECT_EQ(v.parse(R"([13,["1","2","3"],"spread","ETH/USD"])"), line_status::unknown_symbol);
}

TEST(BitstampReader, SnapshotAndNamesBeforeTheData) {
  venue v(feed_format::bitstamp, {"btcusd"});
  // Event and channel first, the channel escaped: the raw-text peek fails, the parser reads.
  ASSERT_EQ(
      v.parse(
          R"({"event":"data","channel":"order_book_btc\u0075sd","data":{"timestamp":"1700000002","bids":[["10.0","1"],["9.9","2"]],"asks":[["10.1","3"]]}})"),
      line_status::data);
  ASSERT_EQ(v.out.size(), 3u);
  EXPECT_EQ(v.out[2].book_side, side::sell);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'002'000'000'000);  // seconds without microtimestamp
  EXPECT_EQ(v.messages(message_type::book_snapshot), 1u);
  EXPECT_EQ(
      v.parse(
          R"({"data":{"microtimestamp":"1"},"channel":"live_orders_btcusd","event":"order_created"})"),
      line_status::non_data);
  EXPECT_EQ(
      v.parse(
          R"({"data":{"price_str":"1","amount_str":"1"},"channel":"live_trades_btcusd","event":"trade","channel":"live_trades_ethusd"})"),
      line_status::malformed);  // the peeked (last) names must match every parsed one
  EXPECT_STREQ(v.reader.last_error(), "bitstamp: event or channel do not match");
  EXPECT_EQ(v.parse(R"({"channel":"live_trades_btcusd","data":{}})"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "bitstamp: no event");
}

TEST(CaptureLines, PrefixesAreStrippedOrCountedAsNonData) {
  venue v(feed_format::binance, {"BTCUSDT"});
  EXPECT_EQ(v.parse("wss://stream.binance.com:9443/stream <-> 1700000000.5"),
            line_status::non_data);
  EXPECT_EQ(v.parse(R"(wss://stream.binance.com:9443/stream <- 1700000000.5: {"method":"SUBSCRIBE"})"),
            line_status::non_data);
  EXPECT_EQ(v.parse("1700000000.5: "), line_status::malformed);  // trailing blanks trimmed
  EXPECT_STREQ(v.reader.last_error(), "capture line without '<epoch>: '");
  EXPECT_EQ(v.parse(R"(17000x0000.5: {"e":"trade"})"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "capture line with a bad epoch");
  EXPECT_EQ(v.parse("hello world"), line_status::malformed);
  EXPECT_STREQ(v.reader.last_error(), "not JSON and not a capture line");
  ASSERT_EQ(
      v.parse(
          R"(1700000000.25: {"u":5,"s":"BTCUSDT","b":"1.0","B":"2","a":"1.1","A":"3"})"),
      line_status::data);
  EXPECT_EQ(v.out[0].ts_event, 1'700'000'000'250'000'000);  // spot bookTicker: receive time
  EXPECT_EQ(v.out[0].ts_receive, 1'700'000'000'250'000'000);
  EXPECT_EQ(v.reader.counters().non_data, 2u);
  EXPECT_EQ(v.reader.counters().malformed, 3u);
}

}  // namespace
}  // namespace peak::marketdata
