#include <gtest/gtest.h>

#include "../engine/pipeline_fixtures.hpp"
#include "actors/session_graph.hpp"
#include "engine/reference_loop.hpp"
#include "engine/session_source.hpp"

namespace peak::actors {
namespace {

/// NO-TRADE trigger records (raised, cleared) of the graph equal the reference loop's, in the
/// same place of the audit log. Low spike ratios make spikes come and go.
TEST(SessionGraph, TriggerRecordsEqualTheReferenceLoop) {
  auto cfg = testing::small_session(60'000, 7, config::session_mode::paper);
  cfg.outlook.spread_spike_ratio = 1.5;
  cfg.outlook.volatility_spike_ratio = 1.5;
  testing::memory_sink graph_log;
  testing::memory_sink reference_log;
  {
    auto source = engine::open_source(cfg);
    risk::halt_gate gate;
    (void)run_graph(cfg, *source, &graph_log, &gate, graph_options{});
  }
  {
    auto source = engine::open_source(cfg);
    risk::halt_gate gate;
    (void)engine::run_reference(cfg, *source, &reference_log, &gate);
  }
  std::uint64_t triggers = 0;
  ASSERT_EQ(graph_log.records.size(), reference_log.records.size());
  for (std::size_t i = 0; i < graph_log.records.size(); ++i) {
    ASSERT_EQ(graph_log.records[i].type, reference_log.records[i].type) << i;
    ASSERT_EQ(graph_log.records[i].ts, reference_log.records[i].ts) << i;
    ASSERT_EQ(graph_log.records[i].fields, reference_log.records[i].fields) << i;
    triggers += graph_log.records[i].type == "trigger";
  }
  EXPECT_GT(triggers, 4u) << "spikes besides the two warm-ups";
}

}  // namespace
}  // namespace peak::actors
