// A real Prometheus (Debian's `prometheus`) scrapes a metrics_exposer on loopback; the test
// queries its HTTP API and checks the order-lifecycle series equal what the test counted, and
// that the shipped alert rules load and fire on live series.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "messages/names.hpp"
#include "observability/metrics_exposer.hpp"
#include "tests/observability/prometheus_harness.hpp"

namespace peak::observability {
namespace {

/// What the fake order flow did, as the session's own summary would say it.
struct flow_summary {
  std::map<std::string, std::uint64_t> by_state;  ///< peak_orders_total{state}
  std::uint64_t buys = 0;
  std::uint64_t sells = 0;
  std::uint64_t approved = 0;
  std::uint64_t denied = 0;
};

/// A small deterministic order flow: intents pass or fail the risk gate, approved ones are
/// submitted, acknowledged or rejected, then filled (sometimes in parts), cancelled or expired.
flow_summary drive_fake_order_flow(session_metrics& m, std::uint32_t seed, int intents) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> die(0, 99);
  flow_summary s;
  const auto report = [&](report_kind k) {
    m.order_reports[static_cast<std::size_t>(k)].inc();
    ++s.by_state[name_of(k)];
  };
  for (int i = 0; i < intents; ++i) {
    m.market_events[static_cast<std::size_t>(event_kind::trade)].inc();
    if (die(rng) < 20) {
      m.risk_denied[static_cast<std::size_t>(deny_reason::max_order_notional)].inc();
      ++s.denied;
      continue;
    }
    m.risk_approved.inc();
    ++s.approved;
    const side sd = die(rng) < 50 ? side::buy : side::sell;
    m.orders_submitted.inc();
    m.orders_by_side[static_cast<std::size_t>(sd)].inc();
    ++s.by_state["submitted"];
    ++(sd == side::buy ? s.buys : s.sells);
    m.tick_to_order.observe_ns(2'000 + die(rng) * 100);
    if (die(rng) < 10) {
      report(report_kind::rejected);
      continue;
    }
    report(report_kind::accepted);
    const int outcome = die(rng);
    if (outcome < 60) {
      if (outcome < 15) {
        report(report_kind::partially_filled);
      }
      report(report_kind::filled);
    } else if (outcome < 85) {
      report(report_kind::cancelled);
    } else {
      report(report_kind::expired);
    }
  }
  for (const char* state : {"submitted", "accepted", "partially_filled", "filled", "cancelled",
                            "rejected", "expired"}) {
    s.by_state.emplace(state, 0);  // every state present, zero when unused
  }
  return s;
}

TEST(PrometheusIntegration, RealPrometheusScrapesTheOrderLifecycle) {
  if (test::find_program("prometheus").empty()) {
    GTEST_SKIP() << "prometheus not installed (Debian package prometheus)";
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(25);

  session_metrics m({"BTCUSDT"}, {"momentum#0"});
  m.up.set(1);
  const flow_summary expected = drive_fake_order_flow(m, 7, 200);
  ASSERT_GT(expected.by_state.at("filled"), 0u);
  m.pnl.set(-12.5);
  m.kill_switch_engaged.set(1);  // so the shipped alert rules have something to fire on

  metrics_exposer exposer("127.0.0.1", 0, m, session_identity("itest-1", "paper"));
  std::string error;
  auto prom = test::prometheus_server::start(
      {{"127.0.0.1:" + std::to_string(exposer.port())},
       "peak",
       1,
       {std::string(PEAK_SOURCE_DIR) + "/observability/alerts/peak_alerts.yml"}},
      &error);
  ASSERT_NE(prom, nullptr) << error;
  ASSERT_TRUE(prom->wait_ready(deadline)) << "prometheus not ready:\n" << prom->log();
  ASSERT_TRUE(prom->wait_for_scrape(deadline)) << "no successful scrape:\n" << prom->log();

  const std::string sel = "session_id=\"itest-1\",mode=\"paper\",job=\"peak\"";
  for (const auto& [state, count] : expected.by_state) {
    const auto v = prom->query_scalar("peak_orders_total{" + sel + ",state=\"" + state + "\"}");
    ASSERT_TRUE(v.has_value()) << "missing series for state " << state;
    EXPECT_EQ(*v, static_cast<double>(count)) << state;
  }
  EXPECT_EQ(prom->query_scalar("peak_orders_submitted_total{" + sel + ",side=\"buy\"}"),
            static_cast<double>(expected.buys));
  EXPECT_EQ(prom->query_scalar("peak_orders_submitted_total{" + sel + ",side=\"sell\"}"),
            static_cast<double>(expected.sells));
  EXPECT_EQ(prom->query_scalar("peak_risk_decisions_total{" + sel + ",decision=\"denied\"}"),
            static_cast<double>(expected.denied));
  EXPECT_EQ(prom->query_scalar("peak_tick_to_order_seconds_count{" + sel + "}"),
            static_cast<double>(expected.by_state.at("submitted")));
  EXPECT_EQ(prom->query_scalar("peak_pnl{" + sel + "}"), -12.5);
  EXPECT_EQ(prom->query_scalar("peak_up{" + sel + "}"), 1.0);

  // every state series exists exactly once for this session
  const auto all = prom->query("peak_orders_total{" + sel + "}");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), expected.by_state.size());

  // the shipped rules are loaded and evaluated against the live series
  bool fired = false;
  while (!fired && std::chrono::steady_clock::now() < deadline) {
    const auto alerts = prom->query(
        "ALERTS{alertname=\"PeakKillSwitchEngaged\",alertstate=\"firing\",session_id=\"itest-1\"}");
    fired = alerts && alerts->size() == 1;
    if (!fired) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  EXPECT_TRUE(fired) << "PeakKillSwitchEngaged did not fire:\n" << prom->log();
  prom->stop();
  EXPECT_LT(std::chrono::steady_clock::now(), deadline + std::chrono::seconds(5));
}

}  // namespace
}  // namespace peak::observability
