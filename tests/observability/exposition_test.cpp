#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "messages/names.hpp"
#include "observability/prometheus_exposition.hpp"
#include "tests/observability/prometheus_harness.hpp"

namespace peak::observability {
namespace {

/// The value of the series whose line starts with `series` (name and labels as rendered).
double sample_of(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) {
    throw std::runtime_error("series not found: " + series);
  }
  return std::stod(text.substr(at + 1 + series.size() + 1));
}

const prometheus::MetricFamily* family(const std::vector<prometheus::MetricFamily>& fs,
                                       const std::string& name) {
  for (const auto& f : fs) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

TEST(Exposition, EveryRequiredFamilyIsExposedWithHelp) {
  const std::set<std::string> required{"peak_market_events_total",
                                       "peak_quality_faults_total",
                                       "peak_outlook_regime",
                                       "peak_no_trade_active",
                                       "peak_no_trade_raised_total",
                                       "peak_hypotheses_total",
                                       "peak_risk_decisions_total",
                                       "peak_risk_denials_total",
                                       "peak_orders_total",
                                       "peak_orders_submitted_total",
                                       "peak_stage_latency_seconds",
                                       "peak_tick_to_order_seconds",
                                       "peak_broker_round_trip_seconds",
                                       "peak_reconcile_checks_total",
                                       "peak_reconcile_mismatches_total",
                                       "peak_kill_switch_engaged",
                                       "peak_halts_total",
                                       "peak_halt_gate_latency_seconds",
                                       "peak_halt_latency_seconds",
                                       "peak_pnl",
                                       "peak_exposure",
                                       "peak_open_positions",
                                       "peak_equity",
                                       "peak_mailbox_depth",
                                       "peak_up"};
  session_metrics m({"BTCUSDT"}, {"momentum#0"});
  const auto families = collect_families(m, session_identity("s1", "paper"));
  for (const auto& name : required) {
    const auto* f = family(families, name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_FALSE(f->help.empty()) << name;
    EXPECT_FALSE(f->metric.empty()) << name;
  }
  const auto names = exposed_family_names();
  for (const auto& name : required) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), name)) << name;
  }
}

TEST(Exposition, EverySeriesCarriesTheSessionIdentity) {
  session_metrics m({"BTCUSDT", "ETHUSDT"}, {"momentum#0"});
  for (const auto& f : collect_families(m, session_identity("s-7", "shadow"))) {
    for (const auto& s : f.metric) {
      ASSERT_GE(s.label.size(), 2u) << f.name;
      EXPECT_EQ(s.label[0].name, "session_id");
      EXPECT_EQ(s.label[0].value, "s-7");
      EXPECT_EQ(s.label[1].name, "mode");
      EXPECT_EQ(s.label[1].value, "shadow");
    }
  }
}

TEST(Exposition, OrderLifecycleAndSideCountersAppearInText) {
  session_metrics m({"BTCUSDT"}, {"momentum#0"});
  m.orders_submitted.inc(5);
  m.orders_by_side[0].inc(3);
  m.orders_by_side[1].inc(2);
  m.order_reports[static_cast<std::size_t>(report_kind::accepted)].inc(5);
  m.order_reports[static_cast<std::size_t>(report_kind::filled)].inc(4);
  m.order_reports[static_cast<std::size_t>(report_kind::rejected)].inc(1);
  const std::string text = render_text(m, session_identity("s1", "paper"));
  const std::string id = "session_id=\"s1\",mode=\"paper\"";
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"submitted\"}"), 5.0);
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"accepted\"}"), 5.0);
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"filled\"}"), 4.0);
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"rejected\"}"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"partially_filled\"}"), 0.0);
  EXPECT_EQ(sample_of(text, "peak_orders_total{" + id + ",state=\"expired\"}"), 0.0);
  EXPECT_EQ(sample_of(text, "peak_orders_submitted_total{" + id + ",side=\"buy\"}"), 3.0);
  EXPECT_EQ(sample_of(text, "peak_orders_submitted_total{" + id + ",side=\"sell\"}"), 2.0);
  EXPECT_NE(text.find("# TYPE peak_orders_total counter"), std::string::npos);
  EXPECT_NE(text.find("# HELP peak_orders_total "), std::string::npos);
}

TEST(Exposition, RiskDecisionsSumDenialsAndDenialsUseReasonNames) {
  session_metrics m({}, {});
  m.risk_approved.inc(7);
  m.risk_denied[static_cast<std::size_t>(deny_reason::max_order_notional)].inc(2);
  m.risk_denied[static_cast<std::size_t>(deny_reason::kill_switch)].inc(3);
  const std::string text = render_text(m);
  EXPECT_EQ(sample_of(text, "peak_risk_decisions_total{decision=\"approved\"}"), 7.0);
  EXPECT_EQ(sample_of(text, "peak_risk_decisions_total{decision=\"denied\"}"), 5.0);
  EXPECT_EQ(sample_of(text, "peak_risk_denials_total{reason=\"max_order_notional\"}"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_risk_denials_total{reason=\"kill_switch\"}"), 3.0);
  EXPECT_EQ(text.find("reason=\"none\""), std::string::npos);
  EXPECT_EQ(sample_of(text, "peak_risk_denials_total{reason=\"nothing_to_reduce\"}"), 0.0);
}

TEST(Exposition, RegimeAsNumberAndAsStateSet) {
  session_metrics m({"BTCUSDT", "ETHUSDT"}, {});
  m.regime[0].set(static_cast<double>(regime::bear));
  m.regime[1].set(static_cast<double>(regime::bull));
  const std::string text = render_text(m);
  EXPECT_EQ(sample_of(text, "peak_outlook_regime{instrument=\"BTCUSDT\"}"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_outlook_regime{instrument=\"ETHUSDT\"}"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_outlook_regime_state{instrument=\"BTCUSDT\",regime=\"bear\"}"),
            1.0);
  EXPECT_EQ(sample_of(text, "peak_outlook_regime_state{instrument=\"BTCUSDT\",regime=\"neutral\"}"),
            0.0);
  EXPECT_EQ(sample_of(text, "peak_outlook_regime_state{instrument=\"ETHUSDT\",regime=\"bull\"}"),
            1.0);
}

TEST(Exposition, LabelValuesComeFromMessageNames) {
  session_metrics m({}, {"momentum#0"});
  m.market_events[static_cast<std::size_t>(event_kind::quote)].inc(9);
  m.quality_faults[8].inc(2);  // price_jump
  m.halts[static_cast<std::size_t>(halt_reason::daily_loss)].inc();
  m.no_trade_active[1].set(1.0);
  m.hypotheses[0].inc(4);
  m.mailbox_depth[static_cast<std::size_t>(stage::risk_gate)].set(12);
  const std::string text = render_text(m);
  EXPECT_EQ(sample_of(text, "peak_market_events_total{type=\"quote\"}"), 9.0);
  EXPECT_EQ(sample_of(text, "peak_quality_faults_total{kind=\"price_jump\"}"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_halts_total{reason=\"daily_loss\"}"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_no_trade_active{trigger=\"volatility_spike\"}"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_hypotheses_total{strategy=\"momentum#0\"}"), 4.0);
  EXPECT_EQ(sample_of(text, "peak_mailbox_depth{stage=\"risk_gate\"}"), 12.0);
}

TEST(Exposition, HistogramIsCumulativeInSeconds) {
  session_metrics m({}, {});
  m.tick_to_order.observe_ns(150);             // le 2e-07
  m.tick_to_order.observe_ns(3'000);           // le 5e-06
  m.tick_to_order.observe_ns(20'000'000'000);  // +Inf
  const std::string text = render_text(m);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_bucket{le=\"1e-07\"}"), 0.0);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_bucket{le=\"2e-07\"}"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_bucket{le=\"5e-06\"}"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_bucket{le=\"10\"}"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_bucket{le=\"+Inf\"}"), 3.0);
  EXPECT_EQ(sample_of(text, "peak_tick_to_order_seconds_count"), 3.0);
  EXPECT_DOUBLE_EQ(sample_of(text, "peak_tick_to_order_seconds_sum"), 20.000003150);
}

TEST(Exposition, GaugesCarryAccountValues) {
  session_metrics m({}, {});
  m.pnl.set(-42.25);
  m.equity.set(957.75);
  m.exposure.set(120.0);
  m.open_positions.set(2);
  m.kill_switch_engaged.set(1);
  m.up.set(1);
  const std::string text = render_text(m);
  EXPECT_EQ(sample_of(text, "peak_pnl"), -42.25);
  EXPECT_EQ(sample_of(text, "peak_equity"), 957.75);
  EXPECT_EQ(sample_of(text, "peak_exposure"), 120.0);
  EXPECT_EQ(sample_of(text, "peak_open_positions"), 2.0);
  EXPECT_EQ(sample_of(text, "peak_kill_switch_engaged"), 1.0);
  EXPECT_EQ(sample_of(text, "peak_up"), 1.0);
}

TEST(Exposition, RejectsBadOrClashingConstantLabels) {
  session_metrics m({}, {});
  EXPECT_THROW(session_collectable(m, {{"bad-name", "x"}}), std::invalid_argument);
  EXPECT_THROW(session_collectable(m, {{"__reserved", "x"}}), std::invalid_argument);
  EXPECT_THROW(session_collectable(m, {{"state", "x"}}), std::invalid_argument);
  EXPECT_THROW(session_collectable(m, {{"a", "x"}, {"a", "y"}}), std::invalid_argument);
  EXPECT_NO_THROW(session_collectable(m, session_identity("s", "paper")));
  EXPECT_THROW(session_collectable(std::shared_ptr<const session_metrics>{}, {}),
               std::invalid_argument);
}

TEST(Exposition, CollectableCollectsTheSameFamilies) {
  auto m = std::make_shared<session_metrics>(std::vector<std::string>{"BTCUSDT"},
                                             std::vector<std::string>{"momentum#0"});
  m->orders_submitted.inc(3);
  session_collectable c(m, session_identity("s", "paper"));
  const auto families = c.Collect();
  EXPECT_EQ(families.size(), exposed_family_names().size());
  const auto* orders = family(families, "peak_orders_total");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->metric.at(0).counter.value, 3.0);
}

TEST(Exposition, PromtoolCheckMetricsReportsNoProblems) {
  const std::string promtool = test::find_program("promtool");
  if (promtool.empty()) {
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  }
  session_metrics m({"BTCUSDT", "ETHUSDT"}, {"momentum#0", "breakout#1"});
  m.orders_submitted.inc(2);
  m.stage_latency[0].observe_ns(1200);
  m.pnl.set(-3.5);
  char path[] = "/tmp/peak-exposition-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  {
    std::ofstream out(path);
    out << render_text(m, session_identity("s-1", "paper"));
  }
  const auto r = test::run_program({promtool, "check", "metrics"}, path);
  std::remove(path);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "") << r.output;
}

}  // namespace
}  // namespace peak::observability
