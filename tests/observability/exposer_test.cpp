#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "observability/metrics_exposer.hpp"
#include "tests/observability/prometheus_harness.hpp"

namespace peak::observability {
namespace {

/// One exposer shared by the serving tests.
class MetricsExposerServing : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    metrics_ = std::make_shared<session_metrics>(std::vector<std::string>{"BTCUSDT"},
                                                 std::vector<std::string>{"momentum#0"});
    metrics_->orders_submitted.inc(3);
    metrics_->up.set(1);
    exposer_ = std::make_unique<metrics_exposer>("127.0.0.1", 0, metrics_,
                                                 session_identity("s-http", "paper"));
  }
  static void TearDownTestSuite() {
    exposer_.reset();
    metrics_.reset();
  }
  static std::shared_ptr<session_metrics> metrics_;
  static std::unique_ptr<metrics_exposer> exposer_;
};

std::shared_ptr<session_metrics> MetricsExposerServing::metrics_;
std::unique_ptr<metrics_exposer> MetricsExposerServing::exposer_;

TEST_F(MetricsExposerServing, PortZeroPicksAFreePortAndServesMetrics) {
  ASSERT_NE(exposer_->port(), 0);
  EXPECT_EQ(exposer_->url(), "http://127.0.0.1:" + std::to_string(exposer_->port()) + "/metrics");
  const auto r = test::http_get(exposer_->port(), "/metrics");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->headers.find("text/plain"), std::string::npos);
  EXPECT_NE(
      r->body.find("peak_orders_total{session_id=\"s-http\",mode=\"paper\",state=\"submitted\"} 3"),
      std::string::npos);
  EXPECT_NE(r->body.find("peak_up{session_id=\"s-http\",mode=\"paper\"} 1"), std::string::npos);
}

TEST_F(MetricsExposerServing, ScrapeSeesLaterUpdates) {
  metrics_->reconcile_mismatches.inc(2);
  const auto r = test::http_get(exposer_->port(), "/metrics");
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(
      r->body.find("peak_reconcile_mismatches_total{session_id=\"s-http\",mode=\"paper\"} 2\n"),
      std::string::npos);
}

TEST_F(MetricsExposerServing, UnknownPathIsNotFound) {
  const auto r = test::http_get(exposer_->port(), "/nothing-here");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
}

TEST_F(MetricsExposerServing, ExtraCollectableIsServedOnTheSameEndpoint) {
  auto extra =
      std::make_shared<session_collectable>(*metrics_, session_identity("s-extra", "shadow"));
  EXPECT_TRUE(exposer_->add_collectable(extra));
  const auto r = test::http_get(exposer_->port(), "/metrics");
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->body.find("peak_up{session_id=\"s-extra\",mode=\"shadow\"} 1"), std::string::npos);
}

TEST(MetricsExposer, TakenPortFailsAtConstructionWithAClearError) {
  session_metrics m({}, {});
  metrics_exposer first("127.0.0.1", 0, m, {});
  try {
    metrics_exposer second("127.0.0.1", first.port(), m, {});
    FAIL() << "second exposer on port " << first.port() << " should not start";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos)
        << e.what();
  }
}

TEST(MetricsExposer, BadConstantLabelFailsAtConstruction) {
  session_metrics m({}, {});
  EXPECT_THROW(metrics_exposer("127.0.0.1", 0, m, {{"stage", "x"}}), std::invalid_argument);
}

/// Value of the first line starting with `prefix` (series name and labels), or -1.
double scraped_value(const std::string& body, const std::string& prefix) {
  const auto at = body.find("\n" + prefix + " ");
  return at == std::string::npos ? -1.0 : std::stod(body.substr(at + prefix.size() + 2));
}

TEST(MetricsExposer, ScrapesDuringUpdatesSeeMonotonicConsistentValues) {
  session_metrics m({}, {});
  metrics_exposer exposer("127.0.0.1", 0, m, {});
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::int64_t ns = 100;
    while (!stop.load(std::memory_order_relaxed)) {
      m.orders_submitted.inc();
      m.tick_to_order.observe_ns(ns);
      ns = ns < 1'000'000'000 ? ns * 3 : 100;
    }
  });
  double last_orders = -1.0;
  double last_count = -1.0;
  for (int i = 0; i < 20; ++i) {
    const auto r = test::http_get(exposer.port(), "/metrics");
    ASSERT_TRUE(r.has_value());
    const double orders = scraped_value(r->body, "peak_orders_total{state=\"submitted\"}");
    const double count = scraped_value(r->body, "peak_tick_to_order_seconds_count");
    const double inf = scraped_value(r->body, "peak_tick_to_order_seconds_bucket{le=\"+Inf\"}");
    EXPECT_GE(orders, last_orders);
    EXPECT_GE(count, last_count);
    EXPECT_EQ(count, inf);  // a histogram is self-consistent within one scrape
    last_orders = orders;
    last_count = count;
  }
  stop = true;
  writer.join();
  EXPECT_GT(last_orders, 0.0);
}

TEST(MetricsExposer, StopsQuicklyAfterServing) {
  session_metrics m({}, {});
  auto exposer = std::make_unique<metrics_exposer>("127.0.0.1", 0, m, std::vector<metric_label>{});
  const auto r = test::http_get(exposer->port(), "/metrics");
  ASSERT_TRUE(r.has_value());
  const auto start = std::chrono::steady_clock::now();
  exposer.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace peak::observability
