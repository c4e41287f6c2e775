#include "engine/session_recorder.hpp"

#include <gtest/gtest.h>

#include "pipeline_fixtures.hpp"

namespace peak::engine {
namespace {

outlook view_of(instrument_id instrument, timestamp_ns ts, std::uint32_t no_trade) {
  outlook o;
  o.instrument = instrument;
  o.ts_event = ts;
  o.no_trade = no_trade;
  return o;
}

TEST(SessionRecorder, RecordsEachNoTradeTriggerRaisedAndCleared) {
  testing::memory_sink log;
  session_recorder rec(fixed::make_money(10'000.0), 2, &log, false);
  rec.on_outlook(view_of(0, 100, no_trade_warming_up));
  rec.on_outlook(view_of(0, 200, no_trade_warming_up));  // unchanged: no record
  rec.on_outlook(view_of(0, 300, no_trade_spread_spike | no_trade_volatility_spike));
  rec.on_outlook(view_of(1, 400, no_trade_none));  // nothing was active on instrument 1
  rec.on_outlook(view_of(0, 500, no_trade_none));
  ASSERT_EQ(log.records.size(), 6u);
  for (const auto& r : log.records)
    EXPECT_EQ(r.type, "trigger");
  EXPECT_EQ(log.records[0].ts, 100);
  EXPECT_EQ(log.records[0].fields,
            "\"instrument\":0,\"trigger\":\"warming_up\",\"change\":\"raised\",\"no_trade\":16");
  // Lowest bit first within one outlook.
  EXPECT_EQ(log.records[1].fields,
            "\"instrument\":0,\"trigger\":\"spread_spike\",\"change\":\"raised\",\"no_trade\":3");
  EXPECT_EQ(log.records[2].fields,
            "\"instrument\":0,\"trigger\":\"volatility_spike\",\"change\":\"raised\","
            "\"no_trade\":3");
  EXPECT_EQ(log.records[3].fields,
            "\"instrument\":0,\"trigger\":\"warming_up\",\"change\":\"cleared\",\"no_trade\":3");
  EXPECT_EQ(log.records[3].ts, 300);
  EXPECT_EQ(log.records[4].fields,
            "\"instrument\":0,\"trigger\":\"spread_spike\",\"change\":\"cleared\",\"no_trade\":0");
  EXPECT_EQ(log.records[5].fields,
            "\"instrument\":0,\"trigger\":\"volatility_spike\",\"change\":\"cleared\","
            "\"no_trade\":0");
  EXPECT_EQ(log.records[5].ts, 500);
  EXPECT_EQ(rec.counters().outlooks, 5u);
}

TEST(SessionRecorder, TracksTriggersPerInstrument) {
  testing::memory_sink log;
  session_recorder rec(fixed::make_money(10'000.0), 1, &log, true);
  rec.on_outlook(view_of(0, 1, no_trade_data_quality));
  rec.on_outlook(view_of(3, 2, no_trade_data_quality));  // beyond the declared count: still kept
  rec.on_outlook(view_of(3, 3, no_trade_data_quality));
  rec.on_outlook(view_of(no_instrument, 4, no_trade_news_blackout));  // no instrument: ignored
  ASSERT_EQ(log.records.size(), 2u);
  EXPECT_EQ(log.records[1].fields,
            "\"instrument\":3,\"trigger\":\"data_quality\",\"change\":\"raised\",\"no_trade\":4");
}

}  // namespace
}  // namespace peak::engine
