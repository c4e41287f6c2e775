// End to end: a real `peak session start --mode paper` process, scraped by a real Prometheus
// (Debian's `prometheus`) on loopback. The test waits for the first scrape, sees orders flow,
// pulls the kill switch so the order lifecycle settles, stops the session and checks that the
// series Prometheus holds agree with the session's own summary.txt. Skips without prometheus.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/observability/prometheus_harness.hpp"

namespace peak::observability {
namespace {

using clock_type = std::chrono::steady_clock;

/// `"key":value` or `"key":"value"` from a one-line JSON object (the CLI's --json output).
std::string json_field(const std::string& json, const std::string& key) {
  const std::regex re("\"" + key + "\":(\"([^\"]*)\"|([-0-9]+))");
  std::smatch m;
  if (!std::regex_search(json, m, re))
    return {};
  return m[2].matched ? m[2].str() : m[3].str();
}

/// The `orders` line of summary.txt: "orders  N sent, filled F, partially filled P, cancelled
/// C, rejected R".
std::optional<std::map<std::string, double>> summary_orders(const std::string& summary) {
  const std::regex re(
      R"(orders\s+(\d+) sent, filled (\d+), partially filled (\d+), cancelled (\d+), rejected (\d+))");
  std::smatch m;
  if (!std::regex_search(summary, m, re))
    return std::nullopt;
  return std::map<std::string, double>{{"submitted", std::stod(m[1].str())},
                                       {"filled", std::stod(m[2].str())},
                                       {"partially_filled", std::stod(m[3].str())},
                                       {"cancelled", std::stod(m[4].str())},
                                       {"rejected", std::stod(m[5].str())}};
}

/// Stops the session process this test started, whatever happens (graceful stop, then
/// SIGKILL of its pid).
struct session_guard {
  std::string peak, registry, id;
  ~session_guard() {
    if (id.empty())
      return;
    (void)test::run_program({peak, "session", "--registry", registry, "stop", id});
    for (int i = 0; i < 50; ++i) {
      const auto st =
          test::run_program({peak, "session", "--registry", registry, "status", id, "--json"});
      if (!json_field(st.output, "ended_at").empty())
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const auto st =
        test::run_program({peak, "session", "--registry", registry, "status", id, "--json"});
    const std::string pid = json_field(st.output, "pid");
    if (!pid.empty() && std::stol(pid) > 1)
      ::kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
  }
};

TEST(PrometheusIntegration, RealPrometheusScrapesARunningPaperSession) {
  if (test::find_program("prometheus").empty()) {
    GTEST_SKIP() << "prometheus not installed (Debian package prometheus)";
  }
  const auto deadline = clock_type::now() + std::chrono::seconds(25);
  const std::string peak = PEAK_CLI;
  char dir_template[] = "/tmp/peak-session-prom-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::filesystem::path dir(dir_template);
  const std::string registry = (dir / "registry.sqlite").string();

  // A paced paper session (metrics on 127.0.0.1, port 0: the chosen one is in the registry).
  const auto started =
      test::run_program({peak, "session", "--registry", registry, "start", "--mode", "paper",
                         "--config", std::string(PEAK_SOURCE_DIR) + "/config/paper_demo.toml",
                         "--speed", "1000x", "--out", (dir / "out").string()});
  ASSERT_EQ(started.exit_code, 0) << started.output;
  session_guard guard{peak, registry, {}};
  std::string id = started.output;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r'))
    id.pop_back();
  guard.id = id;

  std::string status;
  std::string port;
  while (clock_type::now() < deadline) {
    status =
        test::run_program({peak, "session", "--registry", registry, "status", id, "--json"}).output;
    port = json_field(status, "metrics_port");
    if (json_field(status, "state") == "running" && !port.empty() && port != "0" && port != "-1")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(json_field(status, "state"), "running") << status;
  const std::string target = "127.0.0.1:" + port;

  std::string error;
  auto prom = test::prometheus_server::start({{target}, "peak", 1, {}}, &error);
  ASSERT_NE(prom, nullptr) << error;
  ASSERT_TRUE(prom->wait_ready(deadline)) << "prometheus not ready:\n" << prom->log();
  ASSERT_TRUE(prom->wait_for_scrape(deadline)) << "no successful scrape:\n" << prom->log();

  const std::string sel = "session_id=\"" + id + "\",mode=\"paper\",job=\"peak\"";
  const auto orders = [&](const std::string& state) {
    return prom->query_scalar("peak_orders_total{" + sel + ",state=\"" + state + "\"}");
  };
  // Orders are flowing in Prometheus's view of the live session.
  std::optional<double> submitted;
  while (clock_type::now() < deadline) {
    submitted = orders("submitted");
    if (submitted && *submitted > 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(submitted && *submitted > 0) << "no order in Prometheus:\n" << prom->log();
  EXPECT_EQ(prom->query_scalar("peak_up{" + sel + "}"), 1.0);
  const auto round_trips = prom->query_scalar("peak_broker_round_trip_seconds_count{" + sel + "}");
  ASSERT_TRUE(round_trips.has_value());
  EXPECT_GT(*round_trips, 0.0) << "the broker round trip is written";
  const auto mailboxes = prom->query("peak_mailbox_depth{" + sel + "}");
  ASSERT_TRUE(mailboxes.has_value());
  EXPECT_EQ(mailboxes->size(), 7u) << "one mailbox series per stage";

  // Kill switch: no order leaves after it, open orders are cancelled in event time, so the
  // lifecycle settles while the session (and its /metrics) is still up.
  const auto killed = test::run_program({peak, "session", "--registry", registry, "kill", id});
  ASSERT_EQ(killed.exit_code, 0) << killed.output;
  std::map<std::string, double> seen;
  std::map<std::string, double> previous;
  auto previous_at = clock_type::now();
  bool settled = false;
  while (!settled && clock_type::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    // One scrape holds all series of the target: the latest samples are consistent.
    if (prom->query_scalar("peak_kill_switch_engaged{" + sel + "}") != std::optional<double>(1.0))
      continue;
    bool all = true;
    for (const char* state : {"submitted", "accepted", "partially_filled", "filled", "cancelled",
                              "rejected", "expired"}) {
      const auto v = orders(state);
      all = all && v.has_value();
      seen[state] = v.value_or(-1);
    }
    // Every order reached a terminal state (a local reject of an order caught in flight by
    // the halt is a report without a submit: >=), and nothing moved over a whole scrape.
    const bool terminal = all && seen["submitted"] > 0 &&
                          seen["filled"] + seen["cancelled"] + seen["rejected"] + seen["expired"] >=
                              seen["submitted"];
    const auto now = clock_type::now();
    if (terminal && previous == seen && now - previous_at >= std::chrono::milliseconds(1100)) {
      settled = true;
    } else if (previous != seen || !terminal) {
      previous = seen;
      previous_at = now;
    }
  }
  ASSERT_TRUE(settled) << "the order lifecycle did not settle after the kill:\n" << prom->log();
  EXPECT_GE(prom->query_scalar("peak_broker_round_trip_seconds_count{" + sel + "}").value_or(0),
            seen["submitted"] - seen["rejected"])
      << "every order with a broker report has a round trip";

  // Graceful stop: the session writes its summary; its counts equal what Prometheus scraped.
  const auto stopped = test::run_program({peak, "session", "--registry", registry, "stop", id});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output;
  const std::filesystem::path run_dir = json_field(status, "run_dir");
  std::string summary;
  while (clock_type::now() < deadline) {
    status =
        test::run_program({peak, "session", "--registry", registry, "status", id, "--json"}).output;
    if (!json_field(status, "ended_at").empty()) {
      std::ifstream in(run_dir / "summary.txt");
      std::ostringstream text;
      text << in.rdbuf();
      summary = text.str();
      if (!summary.empty())
        break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto expected = summary_orders(summary);
  ASSERT_TRUE(expected.has_value()) << "no orders line in " << run_dir / "summary.txt"
                                    << ":\n"
                                    << summary;
  for (const auto& [state, count] : *expected)
    EXPECT_EQ(seen[state], count) << "peak_orders_total{state=\"" << state
                                  << "\"} vs summary.txt:\n"
                                  << summary;
  EXPECT_GT(expected->at("filled"), 0.0) << "the session filled orders";
  prom->stop();
  EXPECT_LT(clock_type::now(), deadline + std::chrono::seconds(5));
  guard.id.clear();  // ended on its own
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace peak::observability
