#include "engine/reference_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/outputs.hpp"
#include "engine/session_source.hpp"
#include "pipeline_fixtures.hpp"

namespace peak::engine {
namespace {

session_result run(const config::session_config& cfg, decision_sink* sink = nullptr) {
  auto source = open_source(cfg);
  risk::halt_gate gate;
  return run_reference(cfg, *source, sink, &gate);
}

TEST(ReferenceLoop, PaperSessionConservesOrdersPositionsAndCash) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  const session_result r = run(cfg);
  EXPECT_EQ(r.counters.events, 60'000u);
  EXPECT_GT(r.counters.intents, 0u) << "the synthetic feed must make the strategy trade";
  EXPECT_GT(r.trades.size(), 0u);
  testing::expect_conservation(r, false);
}

TEST(ReferenceLoop, ShadowSessionSendsNothing) {
  const auto cfg = testing::small_session(60'000, 7, config::session_mode::shadow);
  const session_result r = run(cfg);
  EXPECT_GT(r.counters.approvals, 0u);
  testing::expect_conservation(r, true);
}

TEST(ReferenceLoop, SameSeedGivesByteIdenticalOutputs) {
  const auto cfg = testing::small_session(40'000, 11, config::session_mode::paper);
  testing::memory_sink a_log;
  testing::memory_sink b_log;
  const session_result a = run(cfg, &a_log);
  const session_result b = run(cfg, &b_log);
  EXPECT_EQ(trades_csv(a, cfg), trades_csv(b, cfg));
  EXPECT_EQ(equity_csv(a), equity_csv(b));
  EXPECT_EQ(orders_csv(a, cfg), orders_csv(b, cfg));
  ASSERT_EQ(a_log.records.size(), b_log.records.size());
  for (std::size_t i = 0; i < a_log.records.size(); ++i)
    ASSERT_EQ(a_log.records[i].fields, b_log.records[i].fields) << "record " << i;
}

TEST(ReferenceLoop, DifferentSeedsGiveDifferentTrades) {
  const auto a = testing::small_session(40'000, 1, config::session_mode::paper);
  const auto b = testing::small_session(40'000, 2, config::session_mode::paper);
  EXPECT_NE(trades_csv(run(a), a), trades_csv(run(b), b));
}

TEST(ReferenceLoop, EveryDecisionIsRecorded) {
  const auto cfg = testing::small_session(40'000, 3, config::session_mode::paper);
  testing::memory_sink log;
  const session_result r = run(cfg, &log);
  std::uint64_t hypotheses = 0, approved = 0, denied = 0;
  for (const auto& rec : log.records) {
    hypotheses += rec.type == "hypothesis";
    approved += rec.type == "risk_approved";
    denied += rec.type == "risk_denied";
  }
  EXPECT_EQ(hypotheses, r.counters.intents);
  EXPECT_EQ(approved, r.counters.approvals);
  EXPECT_EQ(denied, r.counters.denials);
}

TEST(ReferenceLoop, NoTradeTriggerChangesAreRecorded) {
  // Low spike ratios, so spread and volatility spikes come and go (the same config as
  // SessionGraph.TriggerRecordsEqualTheReferenceLoop).
  auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  cfg.outlook.spread_spike_ratio = 1.5;
  cfg.outlook.volatility_spike_ratio = 1.5;
  testing::memory_sink log;
  (void)run(cfg, &log);
  std::map<std::string, std::int64_t> balance;   // raised minus cleared, per instrument:trigger
  std::map<std::string, std::uint64_t> cleared;  // per trigger name
  timestamp_ns last = 0;
  for (const auto& rec : log.records) {
    if (rec.type != "trigger")
      continue;
    EXPECT_GE(rec.ts, last) << "event time never goes back";
    last = rec.ts;
    const std::size_t change = rec.fields.find(",\"change\":");
    ASSERT_NE(change, std::string::npos) << rec.fields;
    const std::string key = rec.fields.substr(0, change);
    const bool raised = rec.fields.find("\"change\":\"raised\"") != std::string::npos;
    balance[key] += raised ? 1 : -1;
    EXPECT_TRUE(balance[key] == 0 || balance[key] == 1)
        << "raised twice or cleared unraised: " << key;
    if (!raised)
      ++cleared[key.substr(key.find("\"trigger\":"))];
  }
  // Both instruments warm up (raised, then cleared); spikes are raised and cleared too.
  EXPECT_EQ(balance["\"instrument\":0,\"trigger\":\"warming_up\""], 0);
  EXPECT_EQ(balance["\"instrument\":1,\"trigger\":\"warming_up\""], 0);
  EXPECT_EQ(cleared["\"trigger\":\"warming_up\""], 2u);
  EXPECT_GT(cleared["\"trigger\":\"spread_spike\""] + cleared["\"trigger\":\"volatility_spike\""],
            0u);
}

TEST(ReferenceLoop, ClosedHaltGateLetsNoOrderLeave) {
  const auto cfg = testing::small_session(40'000, 7, config::session_mode::paper);
  auto source = open_source(cfg);
  risk::halt_gate gate;
  ASSERT_TRUE(gate.close(1));
  const session_result r = run_reference(cfg, *source, nullptr, &gate);
  EXPECT_GT(r.counters.intents, 0u);
  EXPECT_EQ(r.counters.orders_sent, 0u);
  EXPECT_TRUE(r.trades.empty());
}

/// Streams the equity curve into a file, as a real run's pack does.
class streaming_sink final : public decision_sink {
public:
  explicit streaming_sink(equity_csv_stream& stream) : stream_(stream) {}
  void record(std::string_view, timestamp_ns, std::string_view) override {}
  bool stream_equity(const equity_row& row) override {
    stream_.append(row);
    return true;
  }

private:
  equity_csv_stream& stream_;
};

TEST(ReferenceLoop, StreamedEquityCurveIsByteIdenticalAndKeptOutOfMemory) {
  // 300,000 events: well over one 64 KiB chunk of rows, so the stream writes more than once.
  const auto cfg = testing::small_session(300'000, 7, config::session_mode::paper);
  const session_result kept = run(cfg);
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("peak_equity_stream_" + std::to_string(::getpid()) + ".csv");
  session_result streamed;
  {
    equity_csv_stream stream(path);
    streaming_sink sink(stream);
    streamed = run(cfg, &sink);
    EXPECT_FALSE(stream.close());
    EXPECT_FALSE(stream.close()) << "close is idempotent";
    EXPECT_EQ(stream.rows(), kept.equity.size());
  }
  EXPECT_TRUE(streamed.equity.empty()) << "a streamed curve is not kept in memory";
  EXPECT_EQ(streamed.equity_rows, kept.equity.size());
  EXPECT_EQ(kept.equity_rows, kept.equity.size());
  const std::string expected = equity_csv(kept);
  ASSERT_GT(expected.size(), std::size_t{64} << 10);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string written = bytes.str();
  EXPECT_EQ(written, expected);
  std::filesystem::remove(path);
}

TEST(ReferenceLoop, EquityStreamToAnUncreatableFileIsAClearError) {
  try {
    equity_csv_stream stream("/nonexistent-dir/equity.csv");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/equity.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace peak::engine
