#include "marketdata/feed_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marketdata/decimal.hpp"
#include "messages/fixed_point.hpp"

namespace peak::marketdata {
namespace {

// Hand-written messages in each venue's schema (values invented for the tests).

struct harness {
  symbol_map symbols;
  feed_reader reader;
  std::vector<market_event> out;

  harness(feed_format f, std::vector<std::string> syms, reader_options o = {})
      : symbols(make(syms)), reader(f, symbols, o) {}

  static symbol_map make(const std::vector<std::string>& syms) {
    symbol_map m;
    for (std::size_t i = 0; i < syms.size(); ++i)
      m.add(syms[i], static_cast<instrument_id>(i));
    return m;
  }

  line_status parse(const std::string& line) {
    out.clear();
    std::string padded = line + std::string(feed_reader::padding, '\0');
    return reader.parse_line(padded.data(), line.size(), out);
  }
};

TEST(FeedReader, BinanceAggTradeCombinedStreamWithCaptureEpoch) {
  harness h(feed_format::binance, {"ABCUSDT"});
  const auto s = h.parse(
      R"(1700000000.25: {"stream":"abcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000123,"s":"ABCUSDT","a":42,"p":"1.23450000","q":"10.5","f":1,"l":2,"T":1700000000120,"m":true,"M":true}})");
  ASSERT_EQ(s, line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  const market_event& e = h.out[0];
  EXPECT_EQ(e.kind, event_kind::trade);
  EXPECT_EQ(e.instrument, 0u);
  EXPECT_EQ(e.px.raw, 123'450'000);
  EXPECT_EQ(e.qty.raw, 1'050'000'000);
  EXPECT_EQ(e.sequence, 42u);
  EXPECT_EQ(e.taker, aggressor::seller);  // buyer is maker
  EXPECT_EQ(e.ts_event, 1'700'000'000'120'000'000);
  EXPECT_EQ(e.ts_receive, 1'700'000'000'250'000'000);
  EXPECT_EQ(h.reader.counters().messages[0], 1u);
}

TEST(FeedReader, BinanceBookTickerDepthAndKline) {
  harness h(feed_format::binance, {"ABCUSDT"});
  // Spot bookTicker: no event type, no time -> receive time.
  ASSERT_EQ(
      h.parse(
          R"(1700000001.5: {"stream":"abcusdt@bookTicker","data":{"u":7,"s":"ABCUSDT","b":"1.1","B":"3","a":"1.2","A":"4"}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].kind, event_kind::quote);
  EXPECT_EQ(h.out[0].bid.raw, 110'000'000);
  EXPECT_EQ(h.out[0].ask.raw, 120'000'000);
  EXPECT_EQ(h.out[0].bid_qty.raw, 300'000'000);
  EXPECT_EQ(h.out[0].ask_qty.raw, 400'000'000);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'001'500'000'000);
  // Futures bookTicker with e/T.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@bookTicker","data":{"e":"bookTicker","u":8,"s":"ABCUSDT","b":"1.1","B":"3","a":"1.2","A":"4","T":1700000002000,"E":1700000002001}})"),
      line_status::data);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'002'000'000'000);
  // Depth update: bids then asks, size 0 deletes.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000003000,"s":"ABCUSDT","U":1,"u":2,"b":[["1.10","5"],["1.09","0"]],"a":[["1.21","7"]]}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 3u);
  EXPECT_EQ(h.out[0].kind, event_kind::book);
  EXPECT_EQ(h.out[0].book_side, side::buy);
  EXPECT_EQ(h.out[1].qty.raw, 0);
  EXPECT_EQ(h.out[2].book_side, side::sell);
  EXPECT_EQ(h.out[2].px.raw, 121'000'000);
  EXPECT_EQ(h.out[2].ts_event, 1'700'000'003'000'000'000);
  // Kline.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@kline_1m","data":{"e":"kline","E":1700000004000,"s":"ABCUSDT","k":{"t":1,"T":2,"s":"ABCUSDT","i":"1m","o":"1.0","c":"1.5","h":"2.0","l":"0.5","v":"100","x":false}}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].kind, event_kind::bar);
  EXPECT_EQ(h.out[0].open.raw, 100'000'000);
  EXPECT_EQ(h.out[0].high.raw, 200'000'000);
  EXPECT_EQ(h.out[0].low.raw, 50'000'000);
  EXPECT_EQ(h.out[0].px.raw, 150'000'000);
  EXPECT_EQ(h.out[0].qty.raw, 10'000'000'000);
  // Plain single-stream trade payload.
  ASSERT_EQ(h.parse(R"({"e":"trade","E":1,"s":"ABCUSDT","t":99,"p":"2","q":"3","T":5,"m":false})"),
            line_status::data);
  EXPECT_EQ(h.out[0].sequence, 99u);
  EXPECT_EQ(h.out[0].taker, aggressor::buyer);
}

TEST(FeedReader, BinanceDepthUpdatesCarryTheirUpdateIds) {
  harness h(feed_format::binance, {"ABCUSDT"});
  // Spot: U..u; every level carries u and follows on from U - 1.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000003000,"s":"ABCUSDT","U":101,"u":105,"b":[["1.10","5"]],"a":[["1.21","7"]]}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 2u);
  for (const market_event& e : h.out) {
    EXPECT_EQ(e.sequence, 105u);
    EXPECT_EQ(e.previous_sequence, 100u);
  }
  // Futures: pu is the previous update's u.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000003100,"T":1700000003090,"s":"ABCUSDT","U":200,"u":210,"pu":195,"b":[["1.10","6"]],"a":[]}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].sequence, 210u);
  EXPECT_EQ(h.out[0].previous_sequence, 195u);
  // An update without levels yields no event; the next one takes over its link, so the
  // chain 210 -> (211..215, empty) -> 216.. stays unbroken for the quality checker.
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000003200,"T":1700000003190,"s":"ABCUSDT","U":211,"u":215,"pu":210,"b":[],"a":[]}})"),
      line_status::data);
  EXPECT_TRUE(h.out.empty());
  ASSERT_EQ(
      h.parse(
          R"({"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000003300,"T":1700000003290,"s":"ABCUSDT","U":216,"u":220,"pu":215,"b":[],"a":[["1.22","1"]]}})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].sequence, 220u);
  EXPECT_EQ(h.out[0].previous_sequence, 210u);
  EXPECT_EQ(
      h.parse(
          R"({"stream":"x","data":{"e":"depthUpdate","s":"ABCUSDT","E":1,"U":1,"u":2,"pu":"x","b":[],"a":[]}})"),
      line_status::malformed);
}

TEST(FeedReader, CountsAndSkipsNonDataLines) {
  harness h(feed_format::binance, {"ABCUSDT"});
  EXPECT_EQ(h.parse("wss://example.invalid/stream?streams=a@b <-> 1700000000.1"),
            line_status::non_data);
  EXPECT_EQ(h.parse(R"(wss://example.invalid/ <- 1700000000.2: {"method":"SUBSCRIBE"})"),
            line_status::non_data);
  EXPECT_EQ(h.parse(R"({"result":null,"id":1})"), line_status::non_data);
  EXPECT_EQ(h.parse(R"({"stream":"x","data":{"e":"markPriceUpdate","s":"ABCUSDT"}})"),
            line_status::non_data);
  EXPECT_EQ(h.parse(""), line_status::empty);
  EXPECT_EQ(h.parse("   \r"), line_status::empty);
  EXPECT_EQ(h.reader.counters().non_data, 4u);
  EXPECT_EQ(h.reader.counters().empty, 2u);
  EXPECT_TRUE(h.out.empty());
}

TEST(FeedReader, RejectsMalformedLines) {
  harness h(feed_format::binance, {"ABCUSDT"});
  for (const char* bad :
       {"garbage", "17000: ", "1700000000.1 no colon", R"({"stream":"x","data":{"e":"aggTrade")",
        R"({"stream":"x","data":{"e":"aggTrade","s":"ABCUSDT","p":"NaN","q":"1","a":1}})",
        R"({"stream":"x","data":{"e":"aggTrade","s":"ABCUSDT","p":"1","a":1}})",
        R"({"stream":"x","data":{"e":"depthUpdate","s":"ABCUSDT","b":[["1"]],"a":[]}})",
        R"({"stream":"x","data":[1,2]})", "\x01\x02\x03", R"(1700000000.1: [)"}) {
    EXPECT_EQ(h.parse(bad), line_status::malformed) << bad;
    EXPECT_TRUE(h.out.empty()) << bad;
    EXPECT_STRNE(h.reader.last_error(), "");
  }
}

TEST(FeedReader, UnknownSymbolsSkippedOrAutoAdded) {
  const std::string line =
      R"({"stream":"x","data":{"e":"aggTrade","s":"ZZZUSDT","a":1,"p":"1","q":"1","T":1,"m":false}})";
  harness skip(feed_format::binance, {"ABCUSDT"});
  EXPECT_EQ(skip.parse(line), line_status::unknown_symbol);
  EXPECT_EQ(skip.reader.last_unknown_symbol(), "ZZZUSDT");
  EXPECT_EQ(skip.reader.counters().unknown_symbol, 1u);
  reader_options o;
  o.auto_add_symbols = true;
  harness add(feed_format::binance, {"ABCUSDT"}, o);
  EXPECT_EQ(add.parse(line), line_status::data);
  EXPECT_EQ(add.out[0].instrument, 1u);
  EXPECT_EQ(add.symbols.find("ZZZ-USDT"), 1u);
}

TEST(FeedReader, SymbolMapNormalisesVenueSpellings) {
  symbol_map m;
  ASSERT_TRUE(m.add("BTC-USD", 0));
  ASSERT_TRUE(m.add("ethusdt", 1));
  EXPECT_FALSE(m.add("BTCUSD", 5));  // same key
  EXPECT_EQ(m.find("BTCUSD"), 0u);
  EXPECT_EQ(m.find("btc/usd"), 0u);
  EXPECT_EQ(m.find("XBT/USD"), 0u);  // Kraken
  EXPECT_EQ(m.find("ETH-USDT"), 1u);
  EXPECT_EQ(m.find("DOGEUSD"), no_instrument);
  EXPECT_EQ(m.find(""), no_instrument);
  EXPECT_EQ(m.find(std::string(100, 'A')), no_instrument);
  EXPECT_EQ(m.instrument_count(), 2u);
}

TEST(FeedReader, RecentSymbolsFollowChangesOfTheSymbolMap) {
  harness h(feed_format::coinbase, {"ABC-USD", "XYZ-USD"});
  const std::string trade =
      R"({"type":"match","trade_id":1,"side":"sell","size":"1","price":"2","product_id":"ABC-USD"})";
  ASSERT_EQ(h.parse(trade), line_status::data);
  EXPECT_EQ(h.out[0].instrument, 0u);
  ASSERT_EQ(h.parse(trade), line_status::data);  // from the reader's recent symbols
  EXPECT_EQ(h.out[0].instrument, 0u);
  // The map the reader uses is replaced: same size, other ids.
  symbol_map other;
  ASSERT_TRUE(other.add("XYZ-USD", 0));
  ASSERT_TRUE(other.add("ABC-USD", 1));
  const std::uint64_t before = h.symbols.revision();
  h.symbols = other;
  EXPECT_NE(h.symbols.revision(), before);
  EXPECT_EQ(h.symbols.revision(), other.revision());  // a copy maps alike
  ASSERT_EQ(h.parse(trade), line_status::data);
  EXPECT_EQ(h.out[0].instrument, 1u);
  // Moved away: the map is empty, the symbol unknown.
  symbol_map taken = std::move(h.symbols);
  EXPECT_EQ(taken.find("ABC-USD"), 1u);
  EXPECT_EQ(h.parse(trade), line_status::unknown_symbol);
  EXPECT_EQ(h.reader.last_unknown_symbol(), "ABC-USD");
  // Moved back in, then a new symbol added next to it.
  h.symbols = std::move(taken);
  ASSERT_EQ(h.parse(trade), line_status::data);
  EXPECT_EQ(h.out[0].instrument, 1u);
  const std::uint64_t with_two = h.symbols.revision();
  ASSERT_TRUE(h.symbols.add("DEF-USD", 2));
  EXPECT_NE(h.symbols.revision(), with_two);
  ASSERT_EQ(h.parse(trade), line_status::data);
  EXPECT_EQ(h.out[0].instrument, 1u);
  // Many symbols sharing cache slots, long symbols beyond the cache's 16 characters.
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(
        h.symbols.add("S" + std::to_string(i) + "-USD", static_cast<instrument_id>(10 + i)));
  ASSERT_TRUE(h.symbols.add("LONGNAMETOKEN1234-USD", 99));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40; ++i) {
      const std::string line =
          R"({"type":"match","trade_id":1,"side":"sell","size":"1","price":"2","product_id":"S)" +
          std::to_string(i) + R"(-USD"})";
      ASSERT_EQ(h.parse(line), line_status::data);
      EXPECT_EQ(h.out[0].instrument, static_cast<instrument_id>(10 + i));
    }
    ASSERT_EQ(
        h.parse(
            R"({"type":"match","trade_id":1,"side":"sell","size":"1","price":"2","product_id":"LONGNAMETOKEN1234-USD"})"),
        line_status::data);
    EXPECT_EQ(h.out[0].instrument, 99u);
  }
}

TEST(FeedReader, EscapedStringsAreUnescapedAndEscapedKeysDoNotMatch) {
  harness h(feed_format::coinbase, {"ABC-USD"});
  // Values with escapes take simdjson's unescaping path; the raw fast path gives the same.
  ASSERT_EQ(
      h.parse(
          R"({"type":"m\u0061tch","trade_id":77,"side":"s\u0065ll","size":"0.5","price":"12.34","product_id":"ABC\u002dUSD","time":"2023-11-14\u005422:13:20.123456Z"})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].kind, event_kind::trade);
  EXPECT_EQ(h.out[0].instrument, 0u);
  EXPECT_EQ(h.out[0].taker, aggressor::buyer);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'000'123'456'000);
  // A key is matched on its raw text: escaped spellings, prefixes and extensions of a
  // known key are other keys.
  EXPECT_EQ(
      h.parse(
          R"({"typ\u0065":"match","trade_id":77,"side":"sell","size":"0.5","price":"12.34","product_id":"ABC-USD"})"),
      line_status::non_data);
  EXPECT_EQ(
      h.parse(
          R"({"types":"match","typ":"match","trade_id":77,"side":"sell","size":"0.5","price":"12.34","product_id":"ABC-USD"})"),
      line_status::non_data);
  ASSERT_EQ(
      h.parse(
          R"({"type":"ticker","sequence":6,"product_id":"ABC-USD","best_bid":"12.30","best_bid_sizes":"x","best_ask":"12.40","best_ask_siz":"y","best_bid_size":"2","best_ask_size":"3"})"),
      line_status::data);
  EXPECT_EQ(h.out[0].bid_qty.raw, 200'000'000);
  EXPECT_EQ(h.out[0].ask_qty.raw, 300'000'000);

  harness b(feed_format::binance, {"ABCUSDT"});
  ASSERT_EQ(
      b.parse(
          R"({"e":"aggTr\u0061de","E":1700000000123,"s":"ABC\u0055SDT","a":42,"p":"1.5","q":"2","T":1700000000120,"m":false})"),
      line_status::data);
  EXPECT_EQ(b.out[0].kind, event_kind::trade);
  EXPECT_EQ(b.out[0].taker, aggressor::buyer);
  // "\u0070" is not the key "p": the trade has no price.
  EXPECT_EQ(
      b.parse(
          R"({"e":"aggTrade","E":1700000000123,"s":"ABCUSDT","a":42,"\u0070":"1.5","q":"2","T":1700000000120,"m":false})"),
      line_status::malformed);
  EXPECT_EQ(
      b.parse(
          R"({"e":"aggTrade","E":1700000000123,"s":"ABCUSDT","a":42,"pp":"1","":"2","p":"1.5","q":"2","T":1700000000120})"),
      line_status::data);
  EXPECT_EQ(b.out[0].px.raw, 150'000'000);
  // A string read in place is still consumed: what follows it is checked (mutated captures).
  EXPECT_EQ(
      b.parse(
          R"({"e":"aggTrade","E":1700000000123,"s":"ABCUS":"ABCUSDT","a":42,"p":"1.5","q":"2","T":1700000000120})"),
      line_status::malformed);
  EXPECT_EQ(
      h.parse(
          R"({"type":"match","trade_id":77,"side":"sell","size":"0.5","price":"12.34","product_id":"ABC-USD":"x"})"),
      line_status::malformed);
}

TEST(FeedReader, CoinbaseMatchTickerSnapshotAndL2update) {
  harness h(feed_format::coinbase, {"ABC-USD"});
  ASSERT_EQ(
      h.parse(
          R"(1700000000.5: {"type":"match","trade_id":77,"maker_order_id":"m","taker_order_id":"t","side":"sell","size":"0.5","price":"12.34","product_id":"ABC-USD","sequence":5,"time":"2023-11-14T22:13:20.123456Z"})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].kind, event_kind::trade);
  EXPECT_EQ(h.out[0].px.raw, 1'234'000'000);
  EXPECT_EQ(h.out[0].qty.raw, 50'000'000);
  EXPECT_EQ(h.out[0].sequence, 77u);
  EXPECT_EQ(h.out[0].taker, aggressor::buyer);  // the maker sold
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'000'123'456'000);
  ASSERT_EQ(
      h.parse(
          R"({"type":"ticker","sequence":6,"product_id":"ABC-USD","price":"12.34","best_bid":"12.30","best_ask":"12.40","best_bid_size":"2","best_ask_size":"3","side":"buy","time":"2023-11-14T22:13:21Z","trade_id":78,"last_size":"1"})"),
      line_status::data);
  EXPECT_EQ(h.out[0].kind, event_kind::quote);
  EXPECT_EQ(h.out[0].bid.raw, 1'230'000'000);
  EXPECT_EQ(h.out[0].ask_qty.raw, 300'000'000);
  ASSERT_EQ(
      h.parse(
          R"({"type":"snapshot","product_id":"ABC-USD","asks":[["12.40","3"],["12.50","1"]],"bids":[["12.30","2"]]})"),
      line_status::data);
  EXPECT_EQ(h.out.size(), 3u);
  ASSERT_EQ(
      h.parse(
          R"({"type":"l2update","product_id":"ABC-USD","changes":[["buy","12.31","1.5"],["sell","12.40","0"]],"time":"2023-11-14T22:13:22Z"})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 2u);
  EXPECT_EQ(h.out[0].book_side, side::buy);
  EXPECT_EQ(h.out[0].px.raw, 1'231'000'000);
  EXPECT_EQ(h.out[1].book_side, side::sell);
  EXPECT_EQ(h.out[1].qty.raw, 0);
  EXPECT_EQ(h.parse(R"({"type":"subscriptions","channels":[]})"), line_status::non_data);
  EXPECT_EQ(h.parse(R"({"type":"heartbeat","product_id":"ABC-USD","sequence":1})"),
            line_status::non_data);
  const auto& c = h.reader.counters();
  EXPECT_EQ(c.messages[static_cast<std::size_t>(message_type::trade)], 1u);
  EXPECT_EQ(c.messages[static_cast<std::size_t>(message_type::quote)], 1u);
  EXPECT_EQ(c.messages[static_cast<std::size_t>(message_type::book_snapshot)], 1u);
  EXPECT_EQ(c.messages[static_cast<std::size_t>(message_type::book_update)], 1u);
}

TEST(FeedReader, KrakenTradesTickerSpreadBookAndEvents) {
  harness h(feed_format::kraken, {"XBT/USD"});
  ASSERT_EQ(
      h.parse(
          R"(1700000000.9: [11,[["100.5","0.25","1700000000.100000","b","l",""],["100.4","1.00000000","1700000000.200000","s","m",""]],"trade","XBT/USD"])"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 2u);
  EXPECT_EQ(h.out[0].px.raw, 10'050'000'000);
  EXPECT_EQ(h.out[0].qty.raw, 25'000'000);
  EXPECT_EQ(h.out[0].taker, aggressor::buyer);
  EXPECT_EQ(h.out[1].taker, aggressor::seller);
  EXPECT_EQ(h.out[1].ts_event, 1'700'000'000'200'000'000);
  EXPECT_EQ(h.out[1].instrument, 0u);
  ASSERT_EQ(
      h.parse(
          R"([12,{"a":["100.6",1,"1.5"],"b":["100.4",2,"2.5"],"c":["100.5","0.1"],"v":["1","2"]},"ticker","XBT/USD"])"),
      line_status::data);
  EXPECT_EQ(h.out[0].kind, event_kind::quote);
  EXPECT_EQ(h.out[0].ask.raw, 10'060'000'000);
  EXPECT_EQ(h.out[0].bid.raw, 10'040'000'000);
  ASSERT_EQ(h.parse(R"([13,["100.4","100.6","1700000001.000000","1.5","2.5"],"spread","XBT/USD"])"),
            line_status::data);
  EXPECT_EQ(h.out[0].bid_qty.raw, 150'000'000);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'001'000'000'000);
  ASSERT_EQ(
      h.parse(
          R"([14,{"as":[["100.6","1","1699999000.0"]],"bs":[["100.4","2","1700000002.5"]]},"book-10","XBT/USD"])"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 2u);
  EXPECT_EQ(h.out[0].book_side, side::sell);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'002'500'000'000);  // newest level time
  EXPECT_EQ(h.reader.counters().messages[static_cast<std::size_t>(message_type::book_snapshot)],
            1u);
  ASSERT_EQ(
      h.parse(
          R"([14,{"a":[["100.7","0","1700000003.0"]]},{"b":[["100.3","4","1700000003.1","r"]],"c":"123"},"book-10","XBT/USD"])"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 2u);
  EXPECT_EQ(h.out[1].book_side, side::buy);
  EXPECT_EQ(h.parse(R"({"event":"heartbeat"})"), line_status::non_data);
  EXPECT_EQ(h.parse(R"([1,2])"), line_status::malformed);
  EXPECT_EQ(h.parse(R"([11,[["x","1","1","b","l",""]],"trade","XBT/USD"])"),
            line_status::malformed);
}

TEST(FeedReader, BitstampTradesAndDiffBook) {
  harness h(feed_format::bitstamp, {"ABCUSD"});
  ASSERT_EQ(
      h.parse(
          R"({"data":{"id":5,"timestamp":"1700000000","amount":0.5,"amount_str":"0.50000000","price":10.1,"price_str":"10.10","type":1,"microtimestamp":"1700000000123456"},"channel":"live_trades_abcusd","event":"trade"})"),
      line_status::data);
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_EQ(h.out[0].px.raw, 1'010'000'000);
  EXPECT_EQ(h.out[0].qty.raw, 50'000'000);
  EXPECT_EQ(h.out[0].taker, aggressor::seller);
  EXPECT_EQ(h.out[0].sequence, 0u);
  EXPECT_EQ(h.out[0].ts_event, 1'700'000'000'123'456'000);
  ASSERT_EQ(
      h.parse(
          R"({"data":{"timestamp":"1700000001","microtimestamp":"1700000001000001","bids":[["10.0","1"]],"asks":[["10.2","0.00000000"],["10.3","2"]]},"channel":"diff_order_book_abcusd","event":"data"})"),
      line_status::data);
  EXPECT_EQ(h.out.size(), 3u);
  EXPECT_EQ(
      h.parse(R"({"event":"bts:subscription_succeeded","channel":"live_trades_abcusd","data":{}})"),
      line_status::non_data);
  EXPECT_EQ(h.parse(R"({"event":"trade","channel":"live_trades_abcusd","data":{"price_str":"1"}})"),
            line_status::malformed);
}

TEST(FeedReader, CsvBarsWithHeaderAndTradesWithout) {
  harness bars(feed_format::csv_bars, {"GBPUSD"});
  EXPECT_EQ(bars.parse("timestamp,open,high,low,close"), line_status::non_data);
  ASSERT_EQ(bars.parse("2012-02-01 00:00:00+00:00,1.57597,1.57606,1.57576,1.57576"),
            line_status::data);
  const market_event& b = bars.out[0];
  EXPECT_EQ(b.kind, event_kind::bar);
  EXPECT_EQ(b.instrument, 0u);  // the map's only instrument
  EXPECT_EQ(b.open.raw, 157'597'000);
  EXPECT_EQ(b.px.raw, 157'576'000);
  EXPECT_EQ(b.ts_event, 1'328'054'400'000'000'000);
  EXPECT_EQ(bars.parse("2012-02-01 00:01:00+00:00,1.5,x,1.5,1.5"), line_status::malformed);

  harness trades(feed_format::csv_trades, {"AAA", "BBB"});
  ASSERT_EQ(trades.parse("1700000000.5,10.25,3,buy"),
            line_status::unknown_symbol);  // 2 instruments
  harness sym(feed_format::csv_trades, {"AAA", "BBB"});
  EXPECT_EQ(sym.parse("time,symbol,price,qty,side"), line_status::non_data);
  ASSERT_EQ(sym.parse("1700000000000,BBB,10.25,3,sell"), line_status::data);
  EXPECT_EQ(sym.out[0].instrument, 1u);
  EXPECT_EQ(sym.out[0].px.raw, 1'025'000'000);
  EXPECT_EQ(sym.out[0].taker, aggressor::seller);
  EXPECT_EQ(sym.out[0].ts_event, 1'700'000'000'000'000'000);
  EXPECT_EQ(sym.parse("1700000000001,CCC,1,1,buy"), line_status::unknown_symbol);
}

TEST(FeedReader, DetectsFormatsFromContentAndName) {
  EXPECT_EQ(detect_format(R"(1.0: {"stream":"a@b","data":{}})", "x"), feed_format::binance);
  EXPECT_EQ(detect_format(R"({"type":"match","product_id":"A-B"})", "x"), feed_format::coinbase);
  EXPECT_EQ(detect_format(R"({"event":"heartbeat"})", "x"), feed_format::kraken);
  EXPECT_EQ(detect_format(R"({"event":"bts:subscribe"})", "x"), feed_format::bitstamp);
  EXPECT_EQ(detect_format("timestamp,open,high,low,close\n1,2,3,4,5\n", "x"),
            feed_format::csv_bars);
  EXPECT_EQ(detect_format("ts,price,size\n", "x"), feed_format::csv_trades);
  EXPECT_EQ(detect_format("hello", "data/KRAKEN.ws.1"), feed_format::kraken);
  EXPECT_EQ(detect_format("hello", "x.bin"), feed_format::unknown);
  feed_format f = feed_format::binance;
  EXPECT_TRUE(parse_feed_format("auto", f));
  EXPECT_EQ(f, feed_format::unknown);
  EXPECT_TRUE(parse_feed_format("csv_trades", f));
  EXPECT_EQ(f, feed_format::csv_trades);
  EXPECT_FALSE(parse_feed_format("ftx", f));
}

}  // namespace
}  // namespace peak::marketdata

namespace peak::marketdata {
namespace {

// Inputs the fuzzers found: times that overflow nanoseconds, fields that are missing.
TEST(FeedReader, OutOfRangeTimesAreMalformedNotOverflow) {
  harness h(feed_format::binance, {"ABCUSDT"});
  EXPECT_EQ(
      h.parse(
          R"({"stream":"x","data":{"e":"aggTrade","s":"ABCUSDT","a":1,"p":"1","q":"1","T":9926167256803,"m":true}})"),
      line_status::malformed);
  harness b(feed_format::bitstamp, {"ABCUSD"});
  EXPECT_EQ(
      b.parse(
          R"({"data":{"price_str":"1","amount_str":"1","microtimestamp":"9223372036854775807"},"channel":"live_trades_abcusd","event":"trade"})"),
      line_status::malformed);
  EXPECT_EQ(b.parse(R"({"event":"trade","data":{}})"), line_status::non_data);
  // Corrupt text where the raw peek fails and the parser's lookup hits an error.
  EXPECT_EQ(b.parse(R"({"data":{"timestamp":"1"},"c1: {"event":"bts:x","channel":"a\u00"ata":{}})"),
            line_status::malformed);
  std::int64_t ns = 0;
  EXPECT_FALSE(parse_iso8601("1010-01-01T00:00:00Z", ns));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59Z", ns));
}

}  // namespace
}  // namespace peak::marketdata
