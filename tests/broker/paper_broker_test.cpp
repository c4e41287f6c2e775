#include "broker/paper_broker.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "broker/null_broker.hpp"
#include "tests/broker/broker_test_support.hpp"

namespace peak::broker {
namespace {

using namespace testing;

submit_order order(std::uint64_t id, side dir, std::int64_t qty, timestamp_ns ts,
                   order_type type = order_type::market, std::int64_t limit = 0) {
  submit_order o;
  o.client_order_id = id;
  o.intent_id = id;
  o.instrument = 0;
  o.direction = dir;
  o.type = type;
  o.qty = quantity{qty};
  o.limit = price{limit};
  o.ts_event = ts;
  return o;
}

std::vector<execution_report> step(paper_broker& b, const market_event& e) {
  b.on_market(e);
  std::vector<execution_report> out;
  b.poll(out);
  return out;
}

TEST(PaperBroker, MarketBuyFillsAtNextAskPlusSlippageAfterLatency) {
  paper_broker b(paper_broker_config{}, 1);
  step(b, quote(0, t0, 99 * unit, 101 * unit));
  b.submit(order(1, side::buy, 2 * unit, t0));
  EXPECT_TRUE(step(b, quote(0, t0 + 4 * ms, 99 * unit, 101 * unit)).empty());  // not live yet
  const auto r = step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].kind, report_kind::accepted);
  EXPECT_EQ(r[0].ts_event, t0 + 5 * ms);
  EXPECT_EQ(r[1].kind, report_kind::filled);
  const std::int64_t px = 101 * unit + 101 * unit / 10'000;  // + 1 bp
  EXPECT_EQ(r[1].last_px.raw, px);
  EXPECT_EQ(r[1].last_qty.raw, 2 * unit);
  const std::int64_t notional = 2 * px;
  EXPECT_EQ(r[1].fee.raw, notional / 10'000);
  const account_snapshot s = b.snapshot();
  EXPECT_EQ(s.cash.raw, 10'000 * unit - notional - notional / 10'000);
  EXPECT_EQ(s.fees_paid.raw, notional / 10'000);
  ASSERT_EQ(s.positions.size(), 1u);
  EXPECT_EQ(s.positions[0].qty.raw, 2 * unit);
  EXPECT_EQ(s.open_orders, 0u);
}

TEST(PaperBroker, MarketSellFillsAtBidMinusSlippage) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::sell, unit, t0));
  const auto r = step(b, quote(0, t0 + 10 * ms, 100 * unit, 102 * unit));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].last_px.raw, 100 * unit - 100 * unit / 10'000);
  EXPECT_EQ(b.snapshot().positions[0].qty.raw, -unit);
}

TEST(PaperBroker, MarketOrderFillsAtTradePriceWhenNoQuoteWasSeen) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, unit, t0));
  const auto r = step(b, trade(0, t0 + 6 * ms, 50 * unit));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].last_px.raw, 50 * unit + 50 * unit / 10'000);
}

TEST(PaperBroker, MarketOrderWaitsForAQuoteOnceQuotesExist) {
  paper_broker b(paper_broker_config{}, 1);
  step(b, quote(0, t0, 99 * unit, 101 * unit));
  b.submit(order(1, side::buy, unit, t0));
  const auto r1 = step(b, trade(0, t0 + 6 * ms, 50 * unit));
  ASSERT_EQ(r1.size(), 1u);  // accepted only
  const auto r2 = step(b, quote(0, t0 + 7 * ms, 99 * unit, 101 * unit));
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(r2[0].kind, report_kind::filled);
}

TEST(PaperBroker, PartialFillsAreLimitedByDisplayedSize) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, 5 * unit, t0));
  const auto r1 = step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit, unit, 2 * unit));
  ASSERT_EQ(r1.size(), 2u);
  EXPECT_EQ(r1[1].kind, report_kind::partially_filled);
  EXPECT_EQ(r1[1].last_qty.raw, 2 * unit);
  EXPECT_EQ(r1[1].leaves_qty.raw, 3 * unit);
  const auto r2 = step(b, quote(0, t0 + 6 * ms, 99 * unit, 102 * unit, unit, 10 * unit));
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(r2[0].kind, report_kind::filled);
  EXPECT_EQ(r2[0].last_qty.raw, 3 * unit);
  EXPECT_EQ(r2[0].cum_qty.raw, 5 * unit);
}

TEST(PaperBroker, TwoOrdersShareOneDisplayedSizeInArrivalOrder) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, 2 * unit, t0));
  b.submit(order(2, side::buy, 2 * unit, t0));
  const auto r = step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit, unit, 3 * unit));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[2].client_order_id, 1u);
  EXPECT_EQ(r[2].last_qty.raw, 2 * unit);
  EXPECT_EQ(r[3].client_order_id, 2u);
  EXPECT_EQ(r[3].last_qty.raw, unit);
}

TEST(PaperBroker, LimitOrderRestsUntilTouchedAndNeverFillsWorseThanItsLimit) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, unit, t0, order_type::limit, 100 * unit));
  EXPECT_EQ(step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit)).size(), 1u);  // accepted
  EXPECT_TRUE(step(b, quote(0, t0 + 6 * ms, 99 * unit, 100 * unit + 1)).empty());
  const auto r = step(b, quote(0, t0 + 7 * ms, 99 * unit, 100 * unit));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, report_kind::filled);
  EXPECT_EQ(r[0].last_px.raw, 100 * unit);  // slippage capped at the limit
}

TEST(PaperBroker, LimitOrderFillsAtItsLimitWhenATradeTouchesIt) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::sell, unit, t0, order_type::limit, 100 * unit));
  step(b, trade(0, t0 + 5 * ms, 99 * unit));
  const auto r = step(b, trade(0, t0 + 6 * ms, 100 * unit));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].last_px.raw, 100 * unit);
}

TEST(PaperBroker, CancelTakesEffectAfterLatency) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, unit, t0, order_type::limit, 90 * unit));
  step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  cancel_order c;
  c.client_order_id = 1;
  c.ts_event = t0 + 5 * ms;
  b.cancel(c);
  EXPECT_TRUE(step(b, quote(0, t0 + 9 * ms, 99 * unit, 101 * unit)).empty());
  const auto r = step(b, quote(0, t0 + 10 * ms, 99 * unit, 101 * unit));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, report_kind::cancelled);
  EXPECT_EQ(b.snapshot().open_orders, 0u);
}

TEST(PaperBroker, LimitOrderExpiresAfterItsTimeToLive) {
  paper_broker_config cfg;
  cfg.limit_ttl_ns = second;
  paper_broker b(cfg, 1);
  b.submit(order(1, side::buy, unit, t0, order_type::limit, 90 * unit));
  step(b, quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  const auto r = step(b, quote(0, t0 + 2 * second, 99 * unit, 101 * unit));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, report_kind::expired);
}

TEST(PaperBroker, RepeatedClientIdIsTheSameOrder) {
  paper_broker b(paper_broker_config{}, 1);
  b.submit(order(1, side::buy, unit, t0));
  b.submit(order(1, side::buy, unit, t0));
  EXPECT_EQ(b.orders_received(), 1u);
  EXPECT_EQ(b.duplicate_submits(), 1u);
}

TEST(PaperBroker, SameSeedSameReportsWithJitter) {
  const auto run = [](std::uint64_t seed) {
    paper_broker_config cfg;
    cfg.latency_jitter_ns = 3 * ms;
    cfg.seed = seed;
    paper_broker b(cfg, 1);
    std::vector<execution_report> all;
    for (int k = 0; k < 50; ++k) {
      const timestamp_ns ts = t0 + k * ms;
      b.submit(order(static_cast<std::uint64_t>(k + 1), k % 2 ? side::buy : side::sell, unit, ts));
      b.on_market(quote(0, ts, (99 + k % 3) * unit, (101 + k % 3) * unit, unit, unit));
      b.poll(all);
    }
    std::vector<timestamp_ns> times;
    for (const auto& r : all)
      times.push_back(r.ts_event + r.last_px.raw);
    return times;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(PaperBroker, RealisedPnlOnRoundTrip) {
  paper_broker_config cfg;
  cfg.slippage_bps_x100 = 0;
  cfg.fee_bps_x100 = 0;
  paper_broker b(cfg, 1);
  b.submit(order(1, side::buy, 2 * unit, t0));
  step(b, quote(0, t0 + 5 * ms, 99 * unit, 100 * unit));
  b.submit(order(2, side::sell, 2 * unit, t0 + 5 * ms));
  step(b, quote(0, t0 + 10 * ms, 110 * unit, 111 * unit));
  const account_snapshot s = b.snapshot();
  EXPECT_EQ(s.realised_pnl.raw, 20 * unit);
  EXPECT_EQ(s.cash.raw, 10'020 * unit);
  EXPECT_TRUE(s.positions.empty());
}

TEST(NullBroker, RecordsIntendedOrdersAndProducesNoReports) {
  null_broker b;
  b.submit(order(1, side::buy, unit, t0));
  b.submit(order(1, side::buy, unit, t0));  // a resend is not recorded twice
  b.on_market(quote(0, t0 + second, 99 * unit, 101 * unit));
  std::vector<execution_report> out;
  EXPECT_EQ(b.poll(out), 0u);
  EXPECT_EQ(b.intended().size(), 1u);
  EXPECT_EQ(b.snapshot().cash.raw, 10'000 * unit);
  EXPECT_TRUE(b.snapshot().positions.empty());
}

}  // namespace
}  // namespace peak::broker
