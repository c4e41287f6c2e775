#include "risk/risk_gate.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

#include "risk/approval_issuer.hpp"
#include "risk/risk_names.hpp"
#include "tests/risk/risk_test_support.hpp"

namespace peak::risk {
namespace {

using namespace testing;

constexpr std::int64_t unit = fixed_scale;

/// Limits wide enough that only the check under test can bind.
risk_limits wide_limits() {
  risk_limits l;
  l.max_order_notional = money{1'000'000 * unit};
  l.max_total_exposure = money{10'000'000 * unit};
  l.max_daily_loss = money{1'000'000 * unit};
  l.max_open_positions = 100;
  l.max_orders_per_second = 1000;
  l.max_orders_per_minute = 10000;
  return l;
}

struct gate_fixture {
  explicit gate_fixture(const risk_limits& limits = risk_limits{}, std::size_t n = 4)
      : gate(limits, instruments(n), &halt, 7) {
    for (instrument_id i = 0; i < n; ++i)
      gate.on_market(trade(i, t0, 1 * unit));
  }
  halt_gate halt;
  risk_gate gate;
};

TEST(RiskGate, ApprovesOrderWithinLimitsWithSealedApproval) {
  gate_fixture f;
  const risk_decision d = f.gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit));
  ASSERT_TRUE(d.approved);
  EXPECT_TRUE(d.order.approval.valid());
  EXPECT_TRUE(approval_issuer::verify(d.order));
  EXPECT_EQ(d.order.order.client_order_id, make_client_order_id(7, 1));
  EXPECT_EQ(d.order.order.qty.raw, 10 * unit);
  EXPECT_EQ(f.gate.approvals(), 1u);
  EXPECT_EQ(f.gate.committed_position(0).raw, 10 * unit);
}

TEST(RiskGate, SealFailsWhenTheOrderIsChangedAfterApproval) {
  gate_fixture f;
  risk_decision d = f.gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit));
  ASSERT_TRUE(d.approved);
  d.order.order.qty.raw += 1;
  EXPECT_FALSE(approval_issuer::verify(d.order));
  approved_order forged;
  forged.order = d.order.order;
  EXPECT_FALSE(approval_issuer::verify(forged));  // default approval is invalid
}

TEST(RiskGate, DeniesOrderAboveMaxNotional) {
  gate_fixture f;  // default: 50
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 50 * unit)).approved);
  const risk_decision d = f.gate.check(intent(2, 1, t0, side::buy, unit, 50 * unit + 1));
  ASSERT_FALSE(d.approved);
  EXPECT_EQ(d.denied.reason, deny_reason::max_order_notional);
  EXPECT_EQ(d.denied.observed.raw, 50 * unit + 1);
  EXPECT_EQ(d.denied.limit.raw, 50 * unit);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::max_order_notional)], 1u);
}

TEST(RiskGate, DeniesWhenTotalExposureWouldPassTheLimit) {
  risk_limits l = wide_limits();
  l.max_total_exposure = money{500 * unit};
  gate_fixture f(l);
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 300 * unit)).approved);
  EXPECT_TRUE(f.gate.check(intent(2, 1, t0, side::buy, unit, 200 * unit)).approved);  // == 500
  const risk_decision d = f.gate.check(intent(3, 2, t0, side::buy, unit, 1));
  ASSERT_FALSE(d.approved);
  EXPECT_EQ(d.denied.reason, deny_reason::total_exposure);
  EXPECT_EQ(d.denied.observed.raw, 500 * unit + 1);
  EXPECT_EQ(f.gate.exposure().raw, 500 * unit);
}

TEST(RiskGate, ExposureFollowsTheMark) {
  risk_limits l = wide_limits();
  l.max_total_exposure = money{500 * unit};
  gate_fixture f(l);
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 400 * unit)).approved);
  f.gate.on_market(trade(0, t0 + 1, 2 * unit));  // 400 x 2 = 800
  EXPECT_EQ(f.gate.exposure().raw, 800 * unit);
  const risk_decision d = f.gate.check(intent(2, 1, t0 + 1, side::buy, unit, 1 * unit));
  EXPECT_EQ(d.denied.reason, deny_reason::total_exposure);
  // Reducing orders still pass: they lower exposure.
  EXPECT_TRUE(
      f.gate.check(intent(3, 0, t0 + 1, side::sell, 2 * unit, 100 * unit, intent_kind::exit))
          .approved);
}

TEST(RiskGate, DeniesBeyondDailyLossButNotAtIt) {
  risk_limits l = wide_limits();
  l.max_daily_loss = money{100 * unit};
  gate_fixture f(l);
  f.gate.on_market(trade(0, t0, 100 * unit));
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, 100 * unit, 2 * unit)).approved);
  f.gate.on_market(trade(0, t0 + 1, 50 * unit));  // loss exactly 100
  EXPECT_EQ(f.gate.daily_pnl().raw, -100 * unit);
  EXPECT_TRUE(f.gate.check(intent(2, 1, t0 + 1, side::buy, unit, unit)).approved);
  f.gate.on_market(trade(0, t0 + 2, 50 * unit - 1));  // two units of loss more
  const risk_decision d = f.gate.check(intent(3, 1, t0 + 2, side::buy, unit, unit));
  ASSERT_FALSE(d.approved);
  EXPECT_EQ(d.denied.reason, deny_reason::daily_loss);
  EXPECT_EQ(d.denied.observed.raw, 100 * unit + 2);
  // An exit (reducing) still passes.
  EXPECT_TRUE(f.gate.check(intent(4, 0, t0 + 2, side::sell, 50 * unit, 2 * unit, intent_kind::exit))
                  .approved);
}

TEST(RiskGate, DailyLossResetsOnTheNextTradingDay) {
  risk_limits l = wide_limits();
  l.max_daily_loss = money{100 * unit};
  l.trading_day_offset_ns = 0;
  gate_fixture f(l);
  f.gate.on_market(trade(0, t0, 100 * unit));
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, 100 * unit, 10 * unit)).approved);
  f.gate.on_market(trade(0, t0 + 1, 80 * unit));  // loss 200
  EXPECT_EQ(f.gate.check(intent(2, 1, t0 + 1, side::buy, unit, unit)).denied.reason,
            deny_reason::daily_loss);
  const timestamp_ns next_day = (t0 / (86400 * second) + 1) * 86400 * second;
  f.gate.on_market(trade(0, next_day, 80 * unit));
  f.gate.on_market(trade(1, next_day, unit));
  EXPECT_EQ(f.gate.daily_pnl().raw, 0);
  EXPECT_TRUE(f.gate.check(intent(3, 1, next_day, side::buy, unit, unit)).approved);
}

TEST(RiskGate, DeniesFourthOpenPosition) {
  risk_limits l = wide_limits();
  l.max_open_positions = 3;
  gate_fixture f(l);
  for (instrument_id i = 0; i < 3; ++i)
    ASSERT_TRUE(f.gate.check(intent(i + 1, i, t0, side::buy, unit, unit)).approved);
  const risk_decision d = f.gate.check(intent(9, 3, t0, side::buy, unit, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::max_open_positions);
  EXPECT_EQ(d.denied.observed.raw, 3 * unit);
  EXPECT_TRUE(f.gate.check(intent(10, 0, t0, side::buy, unit, unit)).approved);  // adds to one
}

TEST(RiskGate, DeniesSixthOrderInOneSecondAndAllowsItAfter) {
  risk_limits l = wide_limits();
  l.max_orders_per_second = 5;
  gate_fixture f(l);
  for (std::uint64_t k = 0; k < 5; ++k)
    ASSERT_TRUE(f.gate.check(intent(k + 1, 0, t0, side::buy, unit, unit)).approved);
  const risk_decision d = f.gate.check(intent(6, 0, t0 + second - 1, side::buy, unit, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::order_rate_second);
  EXPECT_EQ(d.denied.observed.raw, 5 * unit);  // approvals in the window (a count)
  EXPECT_EQ(d.denied.limit.raw, 5 * unit);
  f.gate.on_market(trade(0, t0 + second, unit));
  EXPECT_TRUE(f.gate.check(intent(7, 0, t0 + second, side::buy, unit, unit)).approved);
}

TEST(RiskGate, DeniesOrdersBeyondPerMinuteRate) {
  risk_limits l = wide_limits();
  l.max_orders_per_second = 100;
  l.max_orders_per_minute = 10;
  gate_fixture f(l);
  for (std::uint64_t k = 0; k < 10; ++k) {
    f.gate.on_market(trade(0, t0 + static_cast<std::int64_t>(k) * second, unit));
    ASSERT_TRUE(f.gate
                    .check(intent(k + 1, 0, t0 + static_cast<std::int64_t>(k) * second, side::buy,
                                  unit, unit))
                    .approved);
  }
  f.gate.on_market(trade(0, t0 + 59 * second, unit));
  EXPECT_EQ(f.gate.check(intent(11, 0, t0 + 59 * second, side::buy, unit, unit)).denied.reason,
            deny_reason::order_rate_minute);
  f.gate.on_market(trade(0, t0 + 60 * second, unit));  // the first approval leaves the window
  EXPECT_TRUE(f.gate.check(intent(12, 0, t0 + 60 * second, side::buy, unit, unit)).approved);
}

TEST(RiskGate, PriceBandAtExactlyTheLimitPassesOneUnitOverDenies) {
  risk_limits l = wide_limits();
  l.price_band_bps = 500;
  gate_fixture f(l);
  f.gate.on_market(trade(0, t0, 100 * unit));
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, 105 * unit, unit)).approved);
  const risk_decision d = f.gate.check(intent(2, 0, t0, side::buy, 105 * unit + 1, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::price_band);
  EXPECT_EQ(d.denied.limit.raw, 500 * unit);
  EXPECT_TRUE(f.gate.check(intent(3, 0, t0, side::sell, 95 * unit, unit)).approved);
  EXPECT_EQ(f.gate.check(intent(4, 0, t0, side::sell, 95 * unit - 1, unit)).denied.reason,
            deny_reason::price_band);
}

TEST(RiskGate, PriceBandUsesMidOfTheLatestQuote) {
  gate_fixture f(wide_limits());
  f.gate.on_market(quote(0, t0 + 1, 99 * unit, 101 * unit));  // mid 100
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0 + 1, side::buy, 100 * unit, unit)).approved);
  EXPECT_EQ(f.gate.check(intent(2, 0, t0 + 1, side::buy, 106 * unit, unit)).denied.reason,
            deny_reason::price_band);
}

TEST(RiskGate, StaleMarketDataDeniesOneNanosecondPastTheLimit) {
  risk_limits l = wide_limits();
  l.stale_after_ns = 5 * second;
  gate_fixture f(l);
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0 + 5 * second, side::buy, unit, unit)).approved);
  const risk_decision d = f.gate.check(intent(2, 0, t0 + 5 * second + 1, side::buy, unit, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::stale_market_data);
}

TEST(RiskGate, StalenessUsesTheLatestEventTimeOfAnyInstrument) {
  risk_limits l = wide_limits();
  l.stale_after_ns = 5 * second;
  gate_fixture f(l);
  f.gate.on_market(trade(1, t0 + 10 * second, unit));  // the clock moves on
  EXPECT_EQ(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::stale_market_data);
}

TEST(RiskGate, FutureDatedMarketDataFailsClosed) {
  risk_limits l = wide_limits();
  l.stale_after_ns = 5 * second;
  gate_fixture f(l);
  f.gate.on_market(trade(0, t0 + 3600 * second, unit));  // a bad timestamp, an hour ahead
  f.gate.on_market(trade(0, t0 + second, unit));         // normal data is now out of order
  const risk_decision d = f.gate.check(intent(1, 0, t0 + second, side::buy, unit, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::stale_market_data);
}

TEST(RiskGate, ReducingStateOnlyLetsPositionReducingOrdersPass) {
  gate_fixture f(wide_limits());
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit)).approved);
  f.gate.set_trading_state(trading_state::reducing);
  EXPECT_EQ(f.gate.check(intent(2, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::trading_state_reducing);
  EXPECT_EQ(f.gate.check(intent(3, 1, t0, side::sell, unit, unit)).denied.reason,
            deny_reason::trading_state_reducing);
  // A sell bigger than the position would flip it: not reducing.
  EXPECT_EQ(f.gate.check(intent(4, 0, t0, side::sell, unit, 11 * unit)).denied.reason,
            deny_reason::trading_state_reducing);
  EXPECT_TRUE(f.gate.check(intent(5, 0, t0, side::sell, unit, 4 * unit)).approved);
  EXPECT_TRUE(
      f.gate.check(intent(6, 0, t0, side::sell, unit, 100 * unit, intent_kind::exit)).approved);
  EXPECT_EQ(f.gate.committed_position(0).raw, 0);
}

TEST(RiskGate, HaltedStateDeniesEverything) {
  gate_fixture f(wide_limits());
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).approved);
  f.gate.set_trading_state(trading_state::halted);
  EXPECT_EQ(f.gate.state(), trading_state::halted);
  EXPECT_EQ(f.gate.check(intent(2, 0, t0, side::sell, unit, unit, intent_kind::exit)).denied.reason,
            deny_reason::trading_state_halted);
}

TEST(RiskGate, AHaltDeniesWithKillSwitchUntilReArmed) {
  gate_fixture f(wide_limits());
  f.halt.close(42);
  f.gate.on_halt(42);
  EXPECT_EQ(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::kill_switch);
  f.halt.rearm();
  f.gate.set_trading_state(trading_state::active);
  EXPECT_TRUE(f.gate.check(intent(2, 0, t0, side::buy, unit, unit)).approved);
}

TEST(RiskGate, DecisionsDoNotReadTheHaltGate) {
  // Another thread closing the gate changes no decision: the halt reaches the risk gate in
  // the event stream (on_halt), and execution refuses to send while the gate is closed.
  gate_fixture f(wide_limits());
  f.halt.close(7);
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).approved);
}

TEST(RiskGate, NullHaltGateFailsClosed) {
  risk_gate g(wide_limits(), instruments(1), nullptr, 1);
  g.on_market(trade(0, t0, unit));
  EXPECT_EQ(g.check(intent(1, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::kill_switch);
}

TEST(RiskGate, UnknownInstrumentAndMissingInputDeny) {
  halt_gate halt;
  risk_gate g(wide_limits(), instruments(2), &halt, 1);
  g.on_market(trade(0, t0, unit));
  EXPECT_EQ(g.check(intent(1, 2, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::unknown_instrument);
  EXPECT_EQ(g.check(intent(2, no_instrument, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::unknown_instrument);
  EXPECT_EQ(g.check(intent(3, 1, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::missing_input);
}

TEST(RiskGate, BadMarketDataIsNeverAReference) {
  halt_gate halt;
  risk_gate g(wide_limits(), instruments(1), &halt, 1);
  market_event bad = trade(0, t0, unit);
  bad.quality = quality_bad_price;
  g.on_market(bad);
  g.on_market(quote(0, t0, 2 * unit, unit));  // crossed
  g.on_market(trade(0, t0, 0));
  g.on_market(trade(0, t0, -unit));
  EXPECT_EQ(g.check(intent(1, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::missing_input);
}

TEST(RiskGate, InvalidOrdersDeny) {
  gate_fixture f(wide_limits());
  const auto reason = [&](trade_intent i) { return f.gate.check(i).denied.reason; };
  EXPECT_EQ(reason(intent(1, 0, t0, side::buy, unit, 0)), deny_reason::invalid_order);
  EXPECT_EQ(reason(intent(2, 0, t0, side::buy, unit, -unit)), deny_reason::invalid_order);
  EXPECT_EQ(reason(intent(3, 0, t0, side::buy, 0, unit)), deny_reason::invalid_order);
  EXPECT_EQ(reason(intent(4, 0, t0, side::buy, -unit, unit)), deny_reason::invalid_order);
  trade_intent bad_side = intent(5, 0, t0, side::buy, unit, unit);
  bad_side.checklist.direction = static_cast<side>(7);
  EXPECT_EQ(reason(bad_side), deny_reason::invalid_order);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::invalid_order)], 5u);
  // No value applies: observed and limit stay 0.
  const risk_decision d = f.gate.check(intent(6, 0, t0, side::buy, unit, 0));
  EXPECT_EQ(d.denied.observed.raw, 0);
  EXPECT_EQ(d.denied.limit.raw, 0);
  EXPECT_STREQ(deny_value_unit(deny_reason::invalid_order), "");
}

TEST(RiskGate, ExitWithNoPositionHasNothingToReduce) {
  gate_fixture f(wide_limits());
  const risk_decision d = f.gate.check(intent(1, 0, t0, side::sell, unit, unit, intent_kind::exit));
  ASSERT_FALSE(d.approved);
  EXPECT_EQ(d.denied.reason, deny_reason::nothing_to_reduce);
  EXPECT_EQ(d.denied.observed.raw, 0);  // position held
  EXPECT_EQ(d.denied.limit.raw, 0);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::nothing_to_reduce)], 1u);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::invalid_order)], 0u);
  EXPECT_EQ(f.gate.committed_position(0).raw, 0);
  EXPECT_STREQ(to_string(deny_reason::nothing_to_reduce), "nothing_to_reduce");
  EXPECT_STREQ(deny_value_unit(deny_reason::nothing_to_reduce), "quantity");
}

TEST(RiskGate, ExitOnTheSideOfThePositionHasNothingToReduce) {
  gate_fixture f(wide_limits());
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 3 * unit)).approved);
  ASSERT_TRUE(f.gate.check(intent(2, 1, t0, side::sell, unit, 2 * unit)).approved);
  // A buy exit on a long and a sell exit on a short would add, not reduce.
  const risk_decision buy =
      f.gate.check(intent(3, 0, t0, side::buy, unit, unit, intent_kind::exit));
  EXPECT_EQ(buy.denied.reason, deny_reason::nothing_to_reduce);
  EXPECT_EQ(buy.denied.observed.raw, 3 * unit);
  EXPECT_EQ(buy.denied.limit.raw, 0);
  const risk_decision sell =
      f.gate.check(intent(4, 1, t0, side::sell, unit, unit, intent_kind::exit));
  EXPECT_EQ(sell.denied.reason, deny_reason::nothing_to_reduce);
  EXPECT_EQ(sell.denied.observed.raw, -2 * unit);
  EXPECT_EQ(f.gate.committed_position(0).raw, 3 * unit);
  EXPECT_EQ(f.gate.committed_position(1).raw, -2 * unit);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::nothing_to_reduce)], 2u);
}

TEST(RiskGate, OverflowSizedValuesDenyWithoutWrapping) {
  gate_fixture f(wide_limits());
  constexpr std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(f.gate.check(intent(1, 0, t0, side::buy, unit, big)).denied.reason,
            deny_reason::invalid_order);
  EXPECT_EQ(f.gate.check(intent(2, 0, t0, side::buy, big, unit)).denied.reason,
            deny_reason::invalid_order);
  EXPECT_EQ(f.gate.check(intent(3, 0, t0, side::buy, unit, max_sane_raw + 1)).denied.reason,
            deny_reason::invalid_order);
  // The largest sane size is a normal order: denied by notional, not by arithmetic.
  EXPECT_EQ(f.gate.check(intent(4, 0, t0, side::buy, unit, max_sane_raw)).denied.reason,
            deny_reason::max_order_notional);
  // Saturated limits still compare correctly.
  risk_limits huge;
  huge.max_order_notional = money{big};
  huge.max_total_exposure = money{big};
  huge.max_daily_loss = money{big};
  huge.max_orders_per_second = 1000;
  huge.max_orders_per_minute = 1000;
  gate_fixture g(huge);
  g.gate.on_market(trade(0, t0, max_sane_raw));
  EXPECT_TRUE(g.gate.check(intent(5, 0, t0, side::buy, max_sane_raw, max_sane_raw)).approved);
  EXPECT_GT(g.gate.exposure().raw, 0);
}

TEST(RiskGate, ExitIsReduceOnlyAndClampedToTheCommittedPosition) {
  gate_fixture f(wide_limits());
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, 3 * unit)).approved);
  const risk_decision d =
      f.gate.check(intent(2, 0, t0, side::sell, unit, 10 * unit, intent_kind::exit));
  ASSERT_TRUE(d.approved);
  EXPECT_TRUE(d.order.order.reduce_only);
  EXPECT_EQ(d.order.order.qty.raw, 3 * unit);
  EXPECT_EQ(f.gate.committed_position(0).raw, 0);
  // A second exit now reduces nothing.
  EXPECT_EQ(f.gate.check(intent(3, 0, t0, side::sell, unit, unit, intent_kind::exit)).denied.reason,
            deny_reason::nothing_to_reduce);
}

TEST(RiskGate, SameIntentTwiceIsNeverApprovedTwice) {
  gate_fixture f(wide_limits());
  ASSERT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).approved);
  EXPECT_EQ(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::invalid_order);
  EXPECT_EQ(f.gate.committed_position(0).raw, unit);
}

TEST(RiskGate, TerminalReportReleasesTheUnfilledPart) {
  risk_limits l = wide_limits();
  l.max_open_positions = 1;
  gate_fixture f(l);
  const risk_decision d = f.gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit));
  ASSERT_TRUE(d.approved);
  execution_report r;
  r.client_order_id = d.order.order.client_order_id;
  r.instrument = 0;
  r.kind = report_kind::partially_filled;
  r.last_qty = quantity{4 * unit};
  r.cum_qty = quantity{4 * unit};
  f.gate.on_report(r);
  EXPECT_EQ(f.gate.committed_position(0).raw, 10 * unit);  // fills change nothing
  r.kind = report_kind::cancelled;
  f.gate.on_report(r);
  EXPECT_EQ(f.gate.committed_position(0).raw, 4 * unit);
  EXPECT_EQ(f.gate.tracked_orders(), 0u);
  f.gate.on_report(r);  // a duplicate terminal report changes nothing
  EXPECT_EQ(f.gate.committed_position(0).raw, 4 * unit);
}

TEST(RiskGate, RejectedOrderFreesItsPositionSlotAndExposure) {
  risk_limits l = wide_limits();
  l.max_open_positions = 1;
  gate_fixture f(l);
  const risk_decision d = f.gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit));
  ASSERT_TRUE(d.approved);
  EXPECT_EQ(f.gate.check(intent(2, 1, t0, side::buy, unit, unit)).denied.reason,
            deny_reason::max_open_positions);
  execution_report r;
  r.client_order_id = d.order.order.client_order_id;
  r.kind = report_kind::rejected;
  f.gate.on_report(r);
  EXPECT_EQ(f.gate.exposure().raw, 0);
  EXPECT_EQ(f.gate.daily_pnl().raw, 0);
  EXPECT_TRUE(f.gate.check(intent(3, 1, t0, side::buy, unit, unit)).approved);
}

TEST(RiskGate, FullOrderTableFailsClosed) {
  risk_limits l = wide_limits();
  l.max_tracked_orders = 2;
  gate_fixture f(l);
  EXPECT_TRUE(f.gate.check(intent(1, 0, t0, side::buy, unit, unit)).approved);
  EXPECT_TRUE(f.gate.check(intent(2, 0, t0, side::buy, unit, unit)).approved);
  const risk_decision d = f.gate.check(intent(3, 0, t0, side::buy, unit, unit));
  EXPECT_EQ(d.denied.reason, deny_reason::internal_error);
  EXPECT_EQ(d.denied.observed.raw, 2 * unit);  // orders tracked / the table's size
  EXPECT_EQ(d.denied.limit.raw, 2 * unit);
  EXPECT_STREQ(deny_value_unit(deny_reason::internal_error), "count");
}

TEST(RiskGate, SameCallsGiveTheSameDecisions) {
  const auto run = [] {
    halt_gate halt;
    risk_gate g(risk_limits{}, instruments(3), &halt, 3);
    std::uint64_t s = 12345;
    const auto next = [&s] {
      std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    };
    std::string log;
    timestamp_ns ts = t0;
    for (std::uint64_t k = 1; k < 3000; ++k) {
      ts += static_cast<std::int64_t>(next() % (300'000'000));
      const auto inst = static_cast<instrument_id>(next() % 3);
      const std::int64_t px = 90 * unit + static_cast<std::int64_t>(next() % (20 * unit));
      g.on_market(trade(inst, ts, px));
      const bool buy = next() % 2 == 0;
      const intent_kind kind = next() % 3 == 0 ? intent_kind::exit : intent_kind::entry;
      const risk_decision d =
          g.check(intent(k, inst, ts, buy ? side::buy : side::sell, px,
                         static_cast<std::int64_t>(next() % (unit / 2)) + 1, kind));
      log += d.approved ? "A" + std::to_string(d.order.approval.decision_id())
                        : std::string(to_string(d.denied.reason));
      log += ',';
      if (d.approved && next() % 4 == 0) {
        execution_report r;
        r.client_order_id = d.order.order.client_order_id;
        r.kind = report_kind::cancelled;
        g.on_report(r);
      }
    }
    return log;
  };
  const std::string a = run();
  EXPECT_EQ(a, run());
  EXPECT_NE(a.find('A'), std::string::npos);
}

TEST(RiskGate, EveryReasonHasAUniqueSnakeCaseName) {
  std::set<std::string> names;
  for (std::uint16_t r = 0; r < deny_reason_count; ++r) {
    const std::string n = to_string(static_cast<deny_reason>(r));
    EXPECT_NE(n, "unknown");
    EXPECT_EQ(n.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos);
    const std::set<std::string> units{"", "money", "quantity", "count", "bps", "seconds"};
    EXPECT_EQ(units.count(deny_value_unit(static_cast<deny_reason>(r))), 1u) << n;
    names.insert(n);
  }
  EXPECT_EQ(names.size(), deny_reason_count);
  EXPECT_STREQ(to_string(trading_state::reducing), "reducing");
}

TEST(ClientOrderId, IsDeterministicAndNeverZero) {
  EXPECT_EQ(make_client_order_id(5, 9), make_client_order_id(5, 9));
  EXPECT_NE(make_client_order_id(5, 9), make_client_order_id(5, 10));
  EXPECT_NE(make_client_order_id(5, 9), make_client_order_id(6, 9));
  EXPECT_NE(make_client_order_id(0, 0), 0u);
}

// --- flatten-on-halt -------------------------------------------------------------------

/// The broker's report that an approved order filled completely.
execution_report filled_report(const risk_decision& d) {
  execution_report r;
  r.client_order_id = d.order.order.client_order_id;
  r.kind = report_kind::filled;
  r.cum_qty = d.order.order.qty;
  return r;
}

/// A gate holding a filled long of 10 on instrument 0 and a filled short of 4 on 1.
struct flatten_fixture : gate_fixture {
  flatten_fixture() : gate_fixture(wide_limits()) {
    fill(gate.check(intent(1, 0, t0, side::buy, unit, 10 * unit)));
    fill(gate.check(intent(2, 1, t0, side::sell, unit, 4 * unit)));
  }
  void fill(const risk_decision& d) {
    ASSERT_TRUE(d.approved);
    gate.on_report(filled_report(d));
  }
  void halt_now(std::uint64_t id) {
    ASSERT_TRUE(halt.close(id));
    gate.on_halt(id);
  }
};

TEST(RiskGateFlatten, RefusedUnlessItsOwnHaltHoldsTheGate) {
  flatten_fixture f;
  // Not halted: a flatten order is never made while trading.
  EXPECT_FALSE(f.gate.check_flatten(0, 5, t0).approved);
  f.gate.set_trading_state(trading_state::halted);
  EXPECT_FALSE(f.gate.check_flatten(0, 5, t0).approved);  // gate still open
  ASSERT_TRUE(f.halt.close(5));
  EXPECT_FALSE(f.gate.check_flatten(0, 6, t0).approved);  // another halt's id
  EXPECT_FALSE(f.gate.check_flatten(0, 0, t0).approved);
  EXPECT_EQ(f.gate.check_flatten(0, 6, t0).denied.reason, deny_reason::kill_switch);
  f.halt.rearm();
  EXPECT_FALSE(f.gate.check_flatten(0, 5, t0).approved);  // re-armed: over
  EXPECT_EQ(f.gate.flatten_approvals(), 0u);
}

TEST(RiskGateFlatten, ClosesEachPositionWithOneSealedReducingOrder) {
  flatten_fixture f;
  f.halt_now(9);
  const std::uint64_t approvals = f.gate.approvals();
  const risk_decision a = f.gate.check_flatten(0, 9, t0 + second / 10);
  ASSERT_TRUE(a.approved);
  const submit_order& o = a.order.order;
  EXPECT_EQ(o.direction, side::sell);
  EXPECT_EQ(o.qty.raw, 10 * unit);
  EXPECT_TRUE(o.reduce_only);
  EXPECT_EQ(o.type, order_type::market);
  EXPECT_EQ(o.flatten_halt_id, 9u);
  EXPECT_GE(o.intent_id, flatten_intent_base);
  EXPECT_TRUE(approval_issuer::verify(a.order));
  // The halt id is sealed: the same order for another halt (or as a normal order) fails.
  approved_order other = a.order;
  other.order.flatten_halt_id = 10;
  EXPECT_FALSE(approval_issuer::verify(other));
  other.order.flatten_halt_id = 0;
  EXPECT_FALSE(approval_issuer::verify(other));
  EXPECT_EQ(f.gate.committed_position(0).raw, 0);

  const risk_decision b = f.gate.check_flatten(1, 9, t0 + second / 10);
  ASSERT_TRUE(b.approved);
  EXPECT_EQ(b.order.order.direction, side::buy);
  EXPECT_EQ(b.order.order.qty.raw, 4 * unit);
  EXPECT_NE(b.order.order.client_order_id, a.order.order.client_order_id);
  EXPECT_EQ(f.gate.committed_position(1).raw, 0);
  EXPECT_EQ(f.gate.flatten_approvals(), 2u);
  EXPECT_EQ(f.gate.approvals(), approvals + 2);
  // Flat now: nothing more to reduce on either instrument, none on an unknown one.
  EXPECT_EQ(f.gate.check_flatten(0, 9, t0 + second / 10).denied.reason,
            deny_reason::nothing_to_reduce);
  EXPECT_EQ(f.gate.check_flatten(99, 9, t0).denied.reason, deny_reason::unknown_instrument);
  // Intents are still denied: the halt holds for everything else.
  EXPECT_EQ(f.gate.check(intent(50, 0, t0, side::sell, unit, unit)).denied.reason,
            deny_reason::kill_switch);
}

TEST(RiskGateFlatten, WaitsForTheInstrumentsOpenOrdersAndFreshData) {
  flatten_fixture f;
  const risk_decision open = f.gate.check(intent(3, 0, t0, side::buy, unit, 2 * unit));
  ASSERT_TRUE(open.approved);
  f.halt_now(4);
  // An order of its own still open (its cancel not settled): the position is not known yet.
  EXPECT_EQ(f.gate.check_flatten(0, 4, t0).denied.reason, deny_reason::invalid_order);
  execution_report cancelled;
  cancelled.client_order_id = open.order.order.client_order_id;
  cancelled.kind = report_kind::cancelled;
  f.gate.on_report(cancelled);  // released: the committed position is the filled 10 again
  EXPECT_EQ(f.gate.committed_position(0).raw, 10 * unit);
  // Stale market data: refused (and not counted as a denial), approved once it is fresh.
  const std::uint64_t denials_before =
      f.gate.denials()[static_cast<std::size_t>(deny_reason::stale_market_data)];
  const timestamp_ns late = t0 + f.gate.limits().stale_after_ns + second;
  EXPECT_EQ(f.gate.check_flatten(0, 4, late).denied.reason, deny_reason::stale_market_data);
  EXPECT_EQ(f.gate.denials()[static_cast<std::size_t>(deny_reason::stale_market_data)],
            denials_before);
  f.gate.on_market(trade(0, late, unit));
  const risk_decision d = f.gate.check_flatten(0, 4, late);
  ASSERT_TRUE(d.approved);
  EXPECT_EQ(d.order.order.qty.raw, 10 * unit);
}

TEST(RiskGateFlatten, RespectsTheOrderRateLimit) {
  risk_limits tight = wide_limits();
  tight.max_orders_per_second = 1;
  gate_fixture g(tight);
  const risk_decision entry = g.gate.check(intent(1, 0, t0, side::buy, unit, 3 * unit));
  ASSERT_TRUE(entry.approved);
  g.gate.on_report(filled_report(entry));
  ASSERT_TRUE(g.halt.close(2));
  g.gate.set_trading_state(trading_state::halted);
  EXPECT_EQ(g.gate.check_flatten(0, 2, t0).denied.reason, deny_reason::order_rate_second);
  g.gate.on_market(trade(0, t0 + 2 * second, unit));
  EXPECT_TRUE(g.gate.check_flatten(0, 2, t0 + 2 * second).approved);
}

}  // namespace
}  // namespace peak::risk
