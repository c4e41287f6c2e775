#include "observability/metrics_recorder.hpp"

#include <gtest/gtest.h>

namespace peak::observability {
namespace {

TEST(MetricsRecorder, MarketEventCountsKindAndEachQualityFlag) {
  session_metrics m({"A"}, {});
  record_market_event(m, event_kind::quote, quality_crossed | quality_stale);
  record_market_event(m, event_kind::quote, quality_ok);
  record_market_event(m, event_kind::trade, quality_sequence_gap);
  EXPECT_EQ(m.market_events[static_cast<std::size_t>(event_kind::quote)].value(), 2u);
  EXPECT_EQ(m.market_events[static_cast<std::size_t>(event_kind::trade)].value(), 1u);
  EXPECT_EQ(m.quality_faults[4].value(), 1u);  // crossed
  EXPECT_EQ(m.quality_faults[1].value(), 1u);  // stale
  EXPECT_EQ(m.quality_faults[9].value(), 1u);  // sequence_gap
  EXPECT_EQ(m.quality_faults[0].value(), 0u);
}

TEST(MetricsRecorder, OrdersRisksAndHalts) {
  session_metrics m({}, {});
  record_risk_approved(m);
  record_risk_denied(m, deny_reason::daily_loss);
  record_order_submitted(m, side::sell, 2'500);
  record_order_submitted(m, side::buy);
  record_execution_report(m, report_kind::filled);
  record_stage_latency(m, stage::execution, 800);
  EXPECT_EQ(m.risk_approved.value(), 1u);
  EXPECT_EQ(m.risk_denied[static_cast<std::size_t>(deny_reason::daily_loss)].value(), 1u);
  EXPECT_EQ(m.orders_submitted.value(), 2u);
  EXPECT_EQ(m.orders_by_side[1].value(), 1u);
  EXPECT_EQ(m.orders_by_side[0].value(), 1u);
  EXPECT_EQ(m.tick_to_order.count(), 1u);  // unknown tick time not observed
  EXPECT_EQ(m.order_reports[static_cast<std::size_t>(report_kind::filled)].value(), 1u);
  EXPECT_EQ(m.stage_latency[static_cast<std::size_t>(stage::execution)].count(), 1u);

  record_halt(m, halt_reason::broker_errors);
  EXPECT_EQ(m.kill_switch_engaged.value(), 1.0);
  EXPECT_EQ(m.halts[static_cast<std::size_t>(halt_reason::broker_errors)].value(), 1u);
  record_rearm(m);
  EXPECT_EQ(m.kill_switch_engaged.value(), 0.0);
}

TEST(MetricsRecorder, NoTradeIsActiveWhileAnyInstrumentHasItAndCountsRaises) {
  session_metrics m({"A", "B"}, {});
  outlook_recorder r(2);
  r.record(m, 0, regime::bull, 0.2, no_trade_spread_spike);
  r.record(m, 1, regime::bear, 0.4, no_trade_spread_spike | no_trade_warming_up);
  r.record(m, 0, regime::bull, 0.2, no_trade_spread_spike);  // still on: not raised again
  EXPECT_EQ(m.no_trade_raised[0].value(), 2u);
  EXPECT_EQ(m.no_trade_active[0].value(), 1.0);
  EXPECT_EQ(m.no_trade_active[4].value(), 1.0);
  r.record(m, 0, regime::neutral, 0.9, no_trade_none);
  EXPECT_EQ(m.no_trade_active[0].value(), 1.0);  // B still has it
  r.record(m, 1, regime::bear, 0.4, no_trade_none);
  EXPECT_EQ(m.no_trade_active[0].value(), 0.0);
  EXPECT_EQ(m.no_trade_active[4].value(), 0.0);
  EXPECT_EQ(m.regime[1].value(), 2.0);
  EXPECT_EQ(m.uncertainty[0].value(), 0.9);
  r.record(m, 7, regime::bull, 0.1, no_trade_spread_spike);  // unknown index: ignored
  EXPECT_EQ(m.no_trade_raised[0].value(), 2u);
}

}  // namespace
}  // namespace peak::observability
