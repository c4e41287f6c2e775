/// The actor graph equals the reference loop at full replay speed with full batches, on runs
/// with rejects, cancels, expiries, tripwire halts and flatten-on-halt: same outputs, same
/// audit log, same halt records (wall-clock fields aside), over many seeds and fault profiles.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../engine/pipeline_fixtures.hpp"
#include "actors/session_graph.hpp"
#include "broker/paper_broker.hpp"
#include "engine/outputs.hpp"
#include "engine/reference_loop.hpp"
#include "engine/session_source.hpp"
#include "messages/names.hpp"

namespace peak::actors {
namespace {

/// A session and the broker faults armed at its start.
struct profile {
  std::string name;
  std::vector<std::pair<broker::fault, std::uint32_t>> faults;
  std::int64_t max_daily_loss_units = 0;  ///< 0: the config's default
  bool flatten = false;
  bool partial_fills = false;
};

struct run_output {
  engine::session_result result;
  testing::memory_sink audit;
  std::vector<engine::halt_record> halts;
};

config::session_config session_for(const profile& p, std::uint64_t seed) {
  config::session_config cfg = testing::small_session(40'000, seed, config::session_mode::paper);
  if (p.max_daily_loss_units > 0)
    cfg.risk.max_daily_loss = money{p.max_daily_loss_units * fixed_scale};
  cfg.kill_switch.flatten_on_halt = p.flatten;
  cfg.broker.partial_fills = p.partial_fills;
  return cfg;
}

void arm(const profile& p, broker::paper_broker& paper) {
  for (const auto& [f, count] : p.faults)
    paper.inject(f, count);
}

run_output run_reference(const config::session_config& cfg, const profile& p) {
  run_output out;
  risk::halt_gate gate;
  engine::reference_pipeline pipeline(cfg, &out.audit, &gate);
  arm(p, *pipeline.execution().paper());
  auto source = engine::open_source(cfg);
  market_event e;
  while (source->next(e))
    pipeline.on_event(e);
  out.result = pipeline.finish();
  out.halts = pipeline.halts();
  return out;
}

run_output run_graph(const config::session_config& cfg, const profile& p) {
  run_output out;
  risk::halt_gate gate;
  graph_options options;  // as fast as possible, two workers, batches of 256
  options.broker_faults = [&p](broker::paper_broker& paper) { arm(p, paper); };
  auto source = engine::open_source(cfg);
  session_graph graph(cfg, *source, &out.audit, &gate, options);
  graph.start();
  out.result = graph.wait();
  out.halts = graph.halts();
  return out;
}

void expect_equal(const run_output& g, const run_output& ref, const config::session_config& cfg,
                  const std::string& what) {
  EXPECT_EQ(engine::trades_csv(g.result, cfg), engine::trades_csv(ref.result, cfg)) << what;
  EXPECT_EQ(engine::orders_csv(g.result, cfg), engine::orders_csv(ref.result, cfg)) << what;
  EXPECT_EQ(engine::equity_csv(g.result), engine::equity_csv(ref.result)) << what;
  EXPECT_EQ(g.result.tripwire, ref.result.tripwire) << what;
  ASSERT_EQ(g.audit.records.size(), ref.audit.records.size()) << what;
  for (std::size_t i = 0; i < g.audit.records.size(); ++i) {
    ASSERT_EQ(g.audit.records[i].type, ref.audit.records[i].type) << what << " record " << i;
    ASSERT_EQ(g.audit.records[i].ts, ref.audit.records[i].ts) << what << " record " << i;
    ASSERT_EQ(g.audit.records[i].fields, ref.audit.records[i].fields) << what << " record " << i;
  }
  ASSERT_EQ(g.halts.size(), ref.halts.size()) << what;
  for (std::size_t i = 0; i < g.halts.size(); ++i) {
    EXPECT_TRUE(engine::same_outcome(g.halts[i], ref.halts[i]))
        << what << " halt " << i << ": graph " << name_of(g.halts[i].reason) << " "
        << g.halts[i].detail << " cancelled " << g.halts[i].orders_cancelled << " settled "
        << g.halts[i].halt_to_cancels_settled_event_ns << " flat "
        << g.halts[i].halt_to_flat_event_ns << " / reference " << name_of(ref.halts[i].reason)
        << " " << ref.halts[i].detail << " cancelled " << ref.halts[i].orders_cancelled
        << " settled " << ref.halts[i].halt_to_cancels_settled_event_ns << " flat "
        << ref.halts[i].halt_to_flat_event_ns;
    EXPECT_EQ(g.halts[i].orders_after_trigger, 0u) << what;
  }
}

/// Runs `p` on several seeds in both engines; returns the reference loop's halts.
std::vector<engine::halt_record> expect_profile_equal(const profile& p,
                                                      std::initializer_list<std::uint64_t> seeds) {
  std::vector<engine::halt_record> halts;
  for (std::uint64_t seed : seeds) {
    const config::session_config cfg = session_for(p, seed);
    const run_output ref = run_reference(cfg, p);
    const run_output g = run_graph(cfg, p);
    expect_equal(g, ref, cfg, p.name + " seed " + std::to_string(seed));
    halts.insert(halts.end(), ref.halts.begin(), ref.halts.end());
  }
  return halts;
}

std::size_t count(const std::vector<engine::halt_record>& halts, halt_reason reason) {
  std::size_t n = 0;
  for (const engine::halt_record& h : halts)
    n += h.reason == reason ? 1u : 0u;
  return n;
}

TEST(GraphEqualsReference, PlainSessions) {
  EXPECT_TRUE(expect_profile_equal({"plain", {}, 0, false, false}, {1, 2, 3, 7}).empty());
}

TEST(GraphEqualsReference, PartialFillsAndBrokerFaultsWithoutAHalt) {
  const profile p{"faults",
                  {{broker::fault::timeout, 2},
                   {broker::fault::duplicate_fill, 2},
                   {broker::fault::late_fill, 2},
                   {broker::fault::reject, 2}},
                  0,
                  false,
                  true};
  EXPECT_TRUE(expect_profile_equal(p, {4, 5, 6}).empty());
}

TEST(GraphEqualsReference, DailyLossBreachHaltsAtTheSameEvent) {
  const profile p{"daily loss", {}, 1, false, false};
  EXPECT_EQ(count(expect_profile_equal(p, {7, 8, 9, 10}), halt_reason::daily_loss), 4u)
      << "every run breaches its limit";
}

TEST(GraphEqualsReference, DailyLossBreachWithFlattenOnHalt) {
  const profile p{"flatten", {}, 1, true, true};
  const auto halts = expect_profile_equal(p, {7, 11, 12});
  ASSERT_EQ(count(halts, halt_reason::daily_loss), 3u);
  std::uint32_t flatten_orders = 0;
  for (const engine::halt_record& h : halts)
    flatten_orders += h.flatten_orders;
  EXPECT_GT(flatten_orders, 0u) << "positions were open at the halts";
}

TEST(GraphEqualsReference, BrokerRejectBurstHalts) {
  const profile p{"reject burst", {{broker::fault::reject, 5}}, 0, false, false};
  EXPECT_EQ(count(expect_profile_equal(p, {7, 13, 14}), halt_reason::broker_errors), 3u);
}

TEST(GraphEqualsReference, ReconcilerTripwireOnLostReports) {
  const profile p{"lost reports",
                  {{broker::fault::drop_report, 3}, {broker::fault::lose_submit, 1}},
                  0,
                  true,
                  false};
  EXPECT_GE(count(expect_profile_equal(p, {7, 15, 16}), halt_reason::reconciler_tripwire), 1u);
}

}  // namespace
}  // namespace peak::actors
