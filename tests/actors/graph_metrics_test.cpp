#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../engine/pipeline_fixtures.hpp"
#include "actors/session_graph.hpp"
#include "engine/session_source.hpp"
#include "messages/names.hpp"
#include "observability/metrics_exposer.hpp"
#include "observability/session_metrics.hpp"

namespace peak::actors {
namespace {

observability::session_metrics metrics_for(const config::session_config& cfg) {
  std::vector<std::string> instruments;
  for (const auto& i : cfg.instruments)
    instruments.push_back(i.symbol);
  return observability::session_metrics(instruments, {});
}

/// A graph run of `cfg` that updates `metrics`.
engine::session_result run_with_metrics(const config::session_config& cfg,
                                        observability::session_metrics& metrics) {
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  graph_options options;
  options.metrics = &metrics;
  return run_graph(cfg, *source, nullptr, &gate, options);
}

std::uint64_t orders_with_a_report(const engine::session_result& r) {
  std::uint64_t n = 0;
  for (const engine::order_row& o : r.orders)
    if (o.reports > 0)
      ++n;
  return n;
}

TEST(SessionGraphMetrics, BrokerRoundTripCountsEveryOrderThatGotAReport) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  auto metrics = metrics_for(cfg);
  const engine::session_result r = run_with_metrics(cfg, metrics);

  const std::uint64_t reported = orders_with_a_report(r);
  ASSERT_GT(reported, 0u) << "the run must trade for the test to mean anything";
  EXPECT_EQ(metrics.orders_submitted.value(), r.counters.orders_sent);
  EXPECT_EQ(metrics.broker_round_trip.count(), reported);
  EXPECT_GT(metrics.broker_round_trip.sum_ns(), 0) << "wall-clock, never all zero";
}

TEST(SessionGraphMetrics, ShadowModeHasNoBrokerRoundTrip) {
  const auto cfg = testing::small_session(20'000, 7, config::session_mode::shadow);
  auto metrics = metrics_for(cfg);
  const engine::session_result r = run_with_metrics(cfg, metrics);
  EXPECT_GT(r.counters.approvals, 0u);
  EXPECT_EQ(metrics.broker_round_trip.count(), 0u) << "nothing is handed to a broker";
}

TEST(SessionGraphMetrics, EveryStageSamplesItsMailboxAndTheExpositionShowsIt) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  auto metrics = metrics_for(cfg);
  (void)run_with_metrics(cfg, metrics);

  const std::string text =
      observability::render_text(metrics, observability::session_identity("s1", "paper"));
  for (std::uint8_t i = 0; i < stage_count; ++i) {
    const auto st = static_cast<stage>(i);
    const std::string name(name_of(st));
    EXPECT_GE(metrics.mailbox_samples[i].value(), 1u) << name << " never sampled its mailbox";
    if (st != stage::kill_switch) {  // the kill switch is idle without a halt
      EXPECT_GT(metrics.mailbox_samples[i].value(), 1u) << name << ": once per batch";
    }
    const double depth = metrics.mailbox_depth[i].value();
    EXPECT_TRUE(std::isfinite(depth) && depth >= 0.0) << name;
    EXPECT_NE(
        text.find("peak_mailbox_depth{session_id=\"s1\",mode=\"paper\",stage=\"" + name + "\"}"),
        std::string::npos)
        << name;
  }
}

TEST(SessionGraphMetrics, KillSwitchSamplesItsMailboxOnAHalt) {
  const auto cfg = testing::small_session(100'000, 7, config::session_mode::paper);
  auto metrics = metrics_for(cfg);
  auto source = engine::open_source(cfg);
  risk::halt_gate gate;
  graph_options options;
  options.metrics = &metrics;
  session_graph graph(cfg, *source, nullptr, &gate, options);
  graph.start();
  const auto kill_switch = static_cast<std::size_t>(stage::kill_switch);
  const std::uint64_t at_start = metrics.mailbox_samples[kill_switch].value();
  ASSERT_NE(graph.kill(halt_reason::operator_command, "test"), 0u);
  ASSERT_TRUE(graph.wait_halts(1, 10'000'000'000));
  (void)graph.wait();
  EXPECT_GT(metrics.mailbox_samples[kill_switch].value(), at_start)
      << "the halt and its acknowledgements are handled by the kill switch";
}

}  // namespace
}  // namespace peak::actors
