#include "marketdata/quality_checker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "messages/fixed_point.hpp"

namespace peak::marketdata {
namespace {

constexpr timestamp_ns t0 = 1'700'000'000'000'000'000;
constexpr timestamp_ns ms = 1'000'000;

market_event trade(timestamp_ns ts, double px, double qty = 1.0, std::uint64_t seq = 0,
                   instrument_id id = 0) {
  market_event e;
  e.kind = event_kind::trade;
  e.ts_event = ts;
  e.instrument = id;
  e.px = fixed::make_price(px);
  e.qty = fixed::make_quantity(qty);
  e.sequence = seq;
  return e;
}

market_event quote(timestamp_ns ts, double bid, double ask, instrument_id id = 0) {
  market_event e;
  e.kind = event_kind::quote;
  e.ts_event = ts;
  e.instrument = id;
  e.bid = fixed::make_price(bid);
  e.ask = fixed::make_price(ask);
  e.bid_qty = fixed::make_quantity(1.0);
  e.ask_qty = fixed::make_quantity(1.0);
  return e;
}

/// Feeds `n` calm trades around 100 so the jump check is warmed up.
void warm(quality_checker& q, timestamp_ns& ts, instrument_id id = 0) {
  for (int i = 0; i < 50; ++i) {
    auto e = trade(ts += 10 * ms, 100.0 + (i % 2 ? 0.01 : -0.01), 1.0, 0, id);
    q.check(e);
    ASSERT_EQ(e.quality, 0u);
  }
}

TEST(QualityChecker, CleanEventsPassUnflagged) {
  quality_checker q(quality_config{}, 1);
  timestamp_ns ts = t0;
  warm(q, ts);
  auto e = quote(ts += ms, 99.99, 100.01);
  q.check(e);
  EXPECT_EQ(e.quality, 0u);
  EXPECT_EQ(q.totals().flagged, 0u);
  EXPECT_EQ(q.totals().events, 51u);
}

TEST(QualityChecker, FlagsFeedGapAndStaleInstrument) {
  quality_config c;
  c.gap_threshold_ns = 5'000 * ms;
  c.stale_after_ns = 30'000 * ms;
  quality_checker q(c, 2);
  auto a = trade(t0, 100.0, 1.0, 0, 0);
  auto b = trade(t0 + 1'000 * ms, 50.0, 1.0, 0, 1);
  q.check(a);
  q.check(b);
  // Instrument 1 keeps trading every 4 s; instrument 0 goes quiet for 40 s.
  for (int i = 1; i <= 10; ++i) {
    auto e = trade(t0 + 1'000 * ms + i * 4'000 * ms, 50.0, 1.0, 0, 1);
    q.check(e);
    EXPECT_EQ(e.quality, 0u);
  }
  auto late = trade(t0 + 42'000 * ms, 100.0, 1.0, 0, 0);
  q.check(late);
  EXPECT_EQ(late.quality, static_cast<std::uint32_t>(quality_stale));
  auto gap = trade(t0 + 50'000 * ms, 100.0, 1.0, 0, 0);
  q.check(gap);
  EXPECT_EQ(gap.quality, static_cast<std::uint32_t>(quality_gap));
  EXPECT_EQ(q.count_flag(quality_stale), 1u);
  EXPECT_EQ(q.count_flag(quality_gap), 1u);
  EXPECT_EQ(q.instrument(0).by_flag[1], 1u);
  EXPECT_EQ(q.instrument(1).flagged, 0u);
}

TEST(QualityChecker, FlagsOutOfOrderPerKind) {
  quality_checker q(quality_config{}, 1);
  auto a = trade(t0 + 10 * ms, 100.0);
  auto b = quote(t0 + 5 * ms, 99.9, 100.1);  // other kind, own clock: fine
  auto c = trade(t0 + 9 * ms, 100.0);        // earlier than the previous trade
  q.check(a);
  q.check(b);
  q.check(c);
  EXPECT_EQ(b.quality, 0u);
  EXPECT_EQ(c.quality, static_cast<std::uint32_t>(quality_out_of_order));
}

TEST(QualityChecker, FlagsTradeSequenceGapDuplicateAndRegression) {
  quality_checker q(quality_config{}, 1);
  auto e1 = trade(t0, 100.0, 1.0, 10);
  auto e2 = trade(t0 + ms, 100.0, 1.0, 11);
  auto dup = trade(t0 + 2 * ms, 100.0, 1.0, 11);
  auto skip = trade(t0 + 3 * ms, 100.0, 1.0, 14);
  auto back = trade(t0 + 4 * ms, 100.0, 1.0, 12);
  for (auto* e : {&e1, &e2, &dup, &skip, &back})
    q.check(*e);
  EXPECT_EQ(e2.quality, 0u);
  EXPECT_EQ(dup.quality, static_cast<std::uint32_t>(quality_duplicate));
  EXPECT_EQ(skip.quality, static_cast<std::uint32_t>(quality_sequence_gap));
  EXPECT_EQ(back.quality, static_cast<std::uint32_t>(quality_out_of_order));
}

market_event book_level(timestamp_ns ts, std::uint64_t last, std::uint64_t previous) {
  market_event e;
  e.kind = event_kind::book;
  e.ts_event = ts;
  e.instrument = 0;
  e.px = fixed::make_price(100.0);
  e.qty = fixed::make_quantity(1.0);
  e.sequence = last;
  e.previous_sequence = previous;
  return e;
}

TEST(QualityChecker, FlagsBookUpdateThatDoesNotFollowOnFromTheLastOne) {
  quality_checker q(quality_config{}, 1);
  auto first = book_level(t0, 105, 100);               // first update: nothing to follow
  auto same = book_level(t0, 105, 100);                // another level of the same update
  auto next = book_level(t0 + ms, 110, 105);           // follows on from 105
  auto gap = book_level(t0 + 2 * ms, 130, 120);        // 111..120 missing
  auto gap_level = book_level(t0 + 2 * ms, 130, 120);  // its second level: not counted again
  auto back = book_level(t0 + 3 * ms, 125, 124);       // older than the last update
  auto no_link = book_level(t0 + 4 * ms, 0, 0);        // feeds without update ids: unchecked
  for (auto* e : {&first, &same, &next, &gap, &gap_level, &back, &no_link})
    q.check(*e);
  EXPECT_EQ(first.quality, 0u);
  EXPECT_EQ(same.quality, 0u);
  EXPECT_EQ(next.quality, 0u);
  EXPECT_EQ(gap.quality, static_cast<std::uint32_t>(quality_sequence_gap));
  EXPECT_EQ(gap_level.quality, 0u);
  EXPECT_EQ(back.quality, static_cast<std::uint32_t>(quality_out_of_order));
  EXPECT_EQ(no_link.quality, 0u);
  EXPECT_EQ(q.count_flag(quality_sequence_gap), 1u);

  quality_config off;
  off.check_book_sequence = false;
  quality_checker unchecked(off, 1);
  auto a = book_level(t0, 105, 100);
  auto b = book_level(t0 + ms, 130, 120);
  unchecked.check(a);
  unchecked.check(b);
  EXPECT_EQ(b.quality, 0u);
}

TEST(QualityChecker, FlagsRepeatedQuoteAsDuplicate) {
  quality_checker q(quality_config{}, 1);
  auto a = quote(t0, 99.0, 101.0);
  a.sequence = 7;
  auto b = a;
  b.ts_event += ms;
  auto c = a;
  c.ts_event += 2 * ms;
  c.sequence = 8;
  q.check(a);
  q.check(b);
  q.check(c);
  EXPECT_EQ(b.quality, static_cast<std::uint32_t>(quality_duplicate));
  EXPECT_EQ(c.quality, 0u);
}

TEST(QualityChecker, FlagsCrossedAndLockedQuotes) {
  quality_checker q(quality_config{}, 1);
  auto crossed = quote(t0, 100.02, 100.01);
  auto locked = quote(t0 + ms, 100.01, 100.01);
  q.check(crossed);
  q.check(locked);
  EXPECT_EQ(crossed.quality, static_cast<std::uint32_t>(quality_crossed));
  EXPECT_EQ(locked.quality, static_cast<std::uint32_t>(quality_locked));
}

TEST(QualityChecker, FlagsBadPricesAndSizesIncludingNanAndAbsurd) {
  quality_checker q(quality_config{}, 1);
  auto zero = trade(t0, 0.0);
  auto negative = trade(t0 + 1, -5.0);
  auto nan = trade(t0 + 2, std::numeric_limits<double>::quiet_NaN());  // NaN maps to raw 0
  auto absurd = trade(t0 + 3, 5e9);
  auto no_size = trade(t0 + 4, 100.0, 0.0);
  auto neg_size = trade(t0 + 5, 100.0, -1.0);
  auto huge_size = trade(t0 + 6, 100.0, 2e9);
  auto nan_size = trade(t0 + 7, 100.0, std::nan(""));
  auto empty_bid = quote(t0 + 8, 0.0, 100.0);
  for (auto* e :
       {&zero, &negative, &nan, &absurd, &no_size, &neg_size, &huge_size, &nan_size, &empty_bid})
    q.check(*e);
  for (auto* e : {&zero, &negative, &nan, &absurd, &empty_bid})
    EXPECT_TRUE(e->quality & quality_bad_price) << e->px.raw;
  for (auto* e : {&no_size, &neg_size, &huge_size, &nan_size})
    EXPECT_EQ(e->quality, static_cast<std::uint32_t>(quality_bad_size));
  market_event bar;
  bar.kind = event_kind::bar;
  bar.ts_event = t0 + 9;
  bar.open = fixed::make_price(10);
  bar.high = fixed::make_price(9);  // high below open
  bar.low = fixed::make_price(8);
  bar.px = fixed::make_price(9);
  q.check(bar);
  EXPECT_TRUE(bar.quality & quality_bad_price);
}

TEST(QualityChecker, FlagsSpikeButNotItsReturn) {
  quality_checker q(quality_config{}, 1);
  timestamp_ns ts = t0;
  warm(q, ts);
  auto spike = trade(ts += ms, 106.0);
  auto back = trade(ts += ms, 100.01);
  q.check(spike);
  q.check(back);
  EXPECT_EQ(spike.quality, static_cast<std::uint32_t>(quality_price_jump));
  EXPECT_EQ(back.quality, 0u);
}

TEST(QualityChecker, AcceptsANewLevelAfterConsecutiveJumps) {
  quality_config c;
  c.jump_accept_after = 3;
  quality_checker q(c, 1);
  timestamp_ns ts = t0;
  warm(q, ts);
  int flagged = 0;
  for (int i = 0; i < 6; ++i) {
    auto e = trade(ts += ms, 120.0);
    q.check(e);
    flagged += (e.quality & quality_price_jump) ? 1 : 0;
  }
  EXPECT_EQ(flagged, 3);
}

TEST(QualityChecker, SmallMovesOnQuietDataAreNotJumps) {
  // Many identical prices make sigma tiny; a one-tick move must still pass (min fraction).
  quality_checker q(quality_config{}, 1);
  timestamp_ns ts = t0;
  for (int i = 0; i < 100; ++i) {
    auto e = trade(ts += ms, 50'000.0);
    q.check(e);
  }
  auto tick = trade(ts += ms, 50'000.01);
  q.check(tick);
  EXPECT_EQ(tick.quality, 0u);
}

TEST(QualityChecker, UnknownInstrumentGetsFeedLevelChecksOnly) {
  quality_checker q(quality_config{}, 1);
  auto e = trade(t0, -1.0, 1.0, 0, 42);
  q.check(e);
  EXPECT_EQ(e.quality, static_cast<std::uint32_t>(quality_bad_price));
  EXPECT_EQ(q.instrument(42).events, 1u);  // totals returned for an unknown id
}

}  // namespace
}  // namespace peak::marketdata
