#include "broker/reconciler.hpp"

#include <gtest/gtest.h>

#include "tests/broker/broker_test_support.hpp"

namespace peak::broker {
namespace {

using namespace testing;

execution_report fill(std::uint64_t id, side dir, std::int64_t last, std::int64_t cum,
                      std::int64_t px, std::int64_t fee, bool done) {
  execution_report r;
  r.client_order_id = id;
  r.instrument = 0;
  r.direction = dir;
  r.kind = done ? report_kind::filled : report_kind::partially_filled;
  r.last_qty = quantity{last};
  r.cum_qty = quantity{cum};
  r.last_px = price{px};
  r.fee = money{fee};
  return r;
}

account_snapshot broker_view(std::int64_t cash, std::int64_t fees, std::int64_t pos,
                             std::int64_t realised = 0) {
  account_snapshot s;
  s.cash = money{cash};
  s.fees_paid = money{fees};
  s.realised_pnl = money{realised};
  if (pos != 0)
    s.positions.push_back(position_snapshot{0, quantity{pos}, price{}});
  return s;
}

TEST(Reconciler, CashIsStartMinusFillsMinusFees) {
  reconciler rec(money{1000 * unit}, 1);
  rec.on_report(fill(1, side::buy, 2 * unit, 2 * unit, 100 * unit, unit, true));
  const account_snapshot e = rec.expected();
  EXPECT_EQ(e.cash.raw, 1000 * unit - 200 * unit - unit);
  EXPECT_EQ(e.fees_paid.raw, unit);
  ASSERT_EQ(e.positions.size(), 1u);
  EXPECT_EQ(e.positions[0].qty.raw, 2 * unit);
  EXPECT_EQ(e.positions[0].avg_price.raw, 100 * unit);
  EXPECT_TRUE(rec.check(broker_view(799 * unit, unit, 2 * unit)).ok);
  market_event m = trade(0, t0, 110 * unit);
  rec.on_market(m);
  EXPECT_EQ(rec.equity().raw, 799 * unit + 220 * unit);
}

TEST(Reconciler, CashMismatchTripsWithTheDifferingValues) {
  reconciler rec(money{1000 * unit}, 1);
  rec.on_report(fill(1, side::buy, unit, unit, 100 * unit, 0, true));
  const reconcile_result r = rec.check(broker_view(900 * unit + 1, 0, unit));
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::cash);
  EXPECT_EQ(r.expected_raw, 900 * unit);
  EXPECT_EQ(r.observed_raw, 900 * unit + 1);
  EXPECT_NE(r.breach.find("900.00000001"), std::string::npos);
}

TEST(Reconciler, FeesAndRealisedPnlMustMatch) {
  reconciler rec(money{1000 * unit}, 1);
  rec.set_check_realised(true);
  rec.on_report(fill(1, side::buy, unit, unit, 100 * unit, 0, true));
  rec.on_report(fill(2, side::sell, unit, unit, 110 * unit, 0, true));
  EXPECT_TRUE(rec.check(broker_view(1010 * unit, 0, 0, 10 * unit)).ok);
  EXPECT_EQ(rec.check(broker_view(1010 * unit, 0, 0, 9 * unit)).failed, invariant::realised_pnl);
  EXPECT_EQ(rec.check(broker_view(1010 * unit, 1, 0, 10 * unit)).failed, invariant::fees);
}

TEST(Reconciler, PositionMismatchWithNoOpenOrderTripsAtOnce) {
  reconciler rec(money{1000 * unit}, 1);
  rec.on_report(fill(1, side::buy, unit, unit, 100 * unit, 0, true));
  const reconcile_result r = rec.check(broker_view(900 * unit, 0, 2 * unit));
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::position);
  EXPECT_EQ(r.instrument, 0u);
}

TEST(Reconciler, OrderInTwoTerminalStatesTrips) {
  reconciler rec(money{1000 * unit}, 1);
  execution_report c;
  c.client_order_id = 5;
  c.kind = report_kind::cancelled;
  rec.on_report(c);
  rec.on_report(fill(5, side::buy, unit, unit, 100 * unit, 0, true));
  const reconcile_result r = rec.check(broker_view(900 * unit, 0, unit));
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::two_terminal_states);
  EXPECT_EQ(r.client_order_id, 5u);
  EXPECT_NE(r.breach.find("cancelled then filled"), std::string::npos);
}

TEST(Reconciler, SameTerminalReportTwiceIsADuplicateNotABreach) {
  reconciler rec(money{1000 * unit}, 1);
  execution_report c;
  c.client_order_id = 5;
  c.kind = report_kind::rejected;
  rec.on_report(c);
  rec.on_report(c);
  EXPECT_TRUE(rec.check(broker_view(1000 * unit, 0, 0)).ok);
  EXPECT_EQ(rec.duplicate_reports(), 1u);
}

TEST(Reconciler, ReportForAnOrderNeverSentTrips) {
  reconciler rec(money{1000 * unit}, 1);
  submit_order o;
  o.client_order_id = 1;
  o.qty = quantity{unit};
  rec.on_submit(o);
  rec.on_report(fill(2, side::buy, unit, unit, 100 * unit, 0, true));
  const reconcile_result r = rec.check(broker_view(900 * unit, 0, unit));
  EXPECT_EQ(r.failed, invariant::unknown_order);
  EXPECT_EQ(r.client_order_id, 2u);
}

TEST(Reconciler, BrokerWithMoreOpenOrdersThanKnownTrips) {
  reconciler rec(money{1000 * unit}, 1);
  submit_order o;
  o.client_order_id = 1;
  o.qty = quantity{unit};
  rec.on_submit(o);
  account_snapshot s = broker_view(1000 * unit, 0, 0);
  s.open_orders = 1;
  EXPECT_TRUE(rec.check(s).ok);
  s.open_orders = 2;
  EXPECT_EQ(rec.check(s).failed, invariant::unknown_order);
}

TEST(Reconciler, ExposureAboveTheLimitTrips) {
  reconciler rec(money{1000 * unit}, 1);
  rec.set_exposure_limit(money{100 * unit}, 0);
  rec.on_report(fill(1, side::buy, unit, unit, 100 * unit, 0, true));
  rec.on_market(trade(0, t0, 100 * unit));
  EXPECT_TRUE(rec.check(broker_view(900 * unit, 0, unit)).ok);  // exactly at the limit
  rec.on_market(trade(0, t0 + 1, 100 * unit + 1));
  const reconcile_result r = rec.check(broker_view(900 * unit, 0, unit));
  EXPECT_EQ(r.failed, invariant::exposure);
  EXPECT_EQ(r.observed_raw, 100 * unit + 1);
}

TEST(Reconciler, ScheduledCheckIsDueOncePerInterval) {
  reconciler rec(money{1000 * unit}, 1);
  EXPECT_TRUE(rec.check_due(t0, second));
  EXPECT_FALSE(rec.check_due(t0 + second - 1, second));
  EXPECT_TRUE(rec.check_due(t0 + second, second));
}

TEST(Reconciler, AdoptTakesTheBrokerAsTheNewBaseline) {
  reconciler rec(money{1000 * unit}, 1);
  const account_snapshot s = broker_view(500 * unit, 2 * unit, 3 * unit, unit);
  EXPECT_FALSE(rec.check(s).ok);
  rec.adopt(s);
  EXPECT_TRUE(rec.check(s).ok);
}

TEST(Reconciler, InvariantNamesAreSnakeCase) {
  EXPECT_STREQ(to_string(invariant::two_terminal_states), "two_terminal_states");
  EXPECT_STREQ(to_string(invariant::unexplained_fill), "unexplained_fill");
}

}  // namespace
}  // namespace peak::broker
