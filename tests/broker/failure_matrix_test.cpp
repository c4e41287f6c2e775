// Failure matrix: every injected fault and its asserted outcome (retry, settle, deny, trip).

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/broker/broker_test_support.hpp"

namespace peak::broker {
namespace {

using namespace testing;

bool has(const std::vector<execution_report>& v, report_kind k) {
  return std::any_of(v.begin(), v.end(), [k](const execution_report& r) { return r.kind == k; });
}

std::uint64_t last_client_id(const pipeline& p) {
  return p.last_decision.order.order.client_order_id;
}

TEST(FailureMatrix, RejectSettlesAsRejectedWithoutRetryAndReleasesTheGate) {
  pipeline p;
  p.market(quote(0, t0, 99 * unit, 101 * unit));
  p.broker.inject(fault::reject);
  ASSERT_TRUE(p.send(0, side::buy, unit));
  EXPECT_EQ(p.gate.committed_position(0).raw, unit);
  EXPECT_TRUE(has(p.market(quote(0, t0 + 5 * ms, 99 * unit, 101 * unit)), report_kind::rejected));
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::rejected);
  EXPECT_EQ(p.gate.committed_position(0).raw, 0);  // released
  p.tick(t0 + 10 * second);
  EXPECT_EQ(p.broker.orders_received(), 1u);  // a reject is final: never retried
  EXPECT_EQ(p.exec.counters().resends, 0u);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, MissingAckSettlesWhenTheFillArrives) {
  pipeline p;
  p.broker.inject(fault::timeout);
  ASSERT_TRUE(p.send(0, side::buy, unit));
  const auto& r = p.market(quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  EXPECT_FALSE(has(r, report_kind::accepted));
  EXPECT_TRUE(has(r, report_kind::filled));
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::filled);
  EXPECT_EQ(p.exec.counters().illegal_transitions, 0u);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, NoReportAtAllStaysInFlightUntilAStatusQuerySettlesIt) {
  pipeline p;
  p.broker.inject(fault::timeout);
  ASSERT_TRUE(p.send(1, side::buy, unit));  // instrument 1 has no data: it will rest
  p.tick(t0 + second);
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::submitted);  // ambiguous
  p.tick(t0 + 2 * second);
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::accepted);
  EXPECT_EQ(p.exec.counters().settled_by_query, 1u);
  EXPECT_EQ(p.exec.counters().resends, 0u);  // the venue has it: never resent
  EXPECT_EQ(p.broker.orders_received(), 1u);
}

TEST(FailureMatrix, LostSubmitIsResentWithTheSameClientIdAndFillsOnce) {
  pipeline p;
  p.broker.inject(fault::lose_submit);
  ASSERT_TRUE(p.send(0, side::buy, unit));
  EXPECT_EQ(p.broker.orders_received(), 0u);
  p.tick(t0 + 2 * second);  // ack timeout: the venue does not know it -> safe resend
  EXPECT_EQ(p.exec.counters().resends, 1u);
  EXPECT_EQ(p.broker.orders_received(), 1u);
  p.market(quote(0, t0 + 2 * second + 5 * ms, 99 * unit, 101 * unit));
  p.tick(t0 + 10 * second);
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::filled);
  EXPECT_EQ(p.exec.fills().size(), 1u);
  EXPECT_EQ(p.broker.snapshot().positions.at(0).qty.raw, unit);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, VenueThatNeverGetsTheOrderLeavesItUnresolvedNotDuplicated) {
  pipeline p;
  p.broker.inject(fault::lose_submit, 10);
  ASSERT_TRUE(p.send(0, side::buy, unit));
  for (int k = 1; k <= 40; ++k)
    p.tick(t0 + k * second);
  EXPECT_EQ(p.exec.counters().resends, execution_config{}.max_resends);
  EXPECT_EQ(p.exec.counters().unresolved, 1u);
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::submitted);  // still in flight
  EXPECT_EQ(p.broker.orders_received(), 0u);
}

TEST(FailureMatrix, DroppedFillReportTripsTheReconcilerAfterTheSettleWindow) {
  pipeline p;
  ASSERT_TRUE(p.send(0, side::buy, unit));
  p.tick(t0 + 5 * ms);  // accepted, no quote yet
  p.broker.inject(fault::drop_report);
  EXPECT_TRUE(p.market(quote(0, t0 + 6 * ms, 99 * unit, 101 * unit)).empty());
  EXPECT_TRUE(p.reconcile().ok);  // an open order can explain it for now
  p.market(quote(0, t0 + 6 * second, 99 * unit, 101 * unit));
  const reconcile_result r = p.reconcile();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::position);
  EXPECT_EQ(r.expected_raw, 0);
  EXPECT_EQ(r.observed_raw, unit);
  EXPECT_NE(r.breach.find("position"), std::string::npos);
}

TEST(FailureMatrix, DuplicatedFillIsBookedOnceEverywhere) {
  pipeline p;
  p.broker.inject(fault::duplicate_fill);
  ASSERT_TRUE(p.send(0, side::buy, 2 * unit));
  p.market(quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  EXPECT_EQ(p.exec.counters().duplicate_reports, 1u);
  EXPECT_EQ(p.rec.duplicate_reports(), 1u);
  EXPECT_EQ(p.exec.find(last_client_id(p))->filled, 2 * unit);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, LateFillAfterACancelRequestSettlesAsFilled) {
  pipeline p;
  p.broker.inject(fault::late_fill);
  ASSERT_TRUE(p.send(0, side::buy, unit));
  const auto& r = p.market(quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  EXPECT_TRUE(has(r, report_kind::accepted));
  EXPECT_FALSE(has(r, report_kind::filled));
  EXPECT_EQ(p.exec.cancel_all(1, t0 + 10 * ms), 1u);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;  // pending, explained by the order
  p.tick(t0 + 500 * ms);
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::cancel_pending);
  EXPECT_TRUE(has(p.tick(t0 + 5 * ms + second), report_kind::filled));
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::filled);
  EXPECT_EQ(p.gate.committed_position(0).raw, unit);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, DisconnectHoldsOrdersAndReportsUntilReconnect) {
  pipeline p;
  p.broker.disconnect();
  ASSERT_TRUE(p.send(0, side::buy, unit));  // queued: nothing would arrive
  EXPECT_EQ(p.broker.orders_received(), 0u);
  EXPECT_EQ(p.exec.counters().queued, 1u);
  p.tick(t0 + 300 * ms);
  EXPECT_EQ(p.broker.orders_received(), 0u);
  p.broker.reconnect();
  p.tick(t0 + 600 * ms);  // retried after backoff
  EXPECT_EQ(p.broker.orders_received(), 1u);
  p.broker.disconnect();  // now the venue fills while we cannot hear it
  EXPECT_TRUE(p.market(quote(0, t0 + 700 * ms, 99 * unit, 101 * unit)).empty());
  EXPECT_TRUE(p.reconcile().ok);
  p.broker.reconnect();
  EXPECT_TRUE(has(p.tick(t0 + 800 * ms), report_kind::filled));
  EXPECT_EQ(p.exec.find(last_client_id(p))->state, order_state::filled);
  EXPECT_EQ(p.exec.counters().resends, 0u);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, CancelLostToADisconnectIsRepeatedUntilTheVenueConfirms) {
  pipeline p;
  ASSERT_TRUE(p.send(1, side::buy, unit));  // rests: no data for instrument 1 at the venue
  p.tick(t0 + 5 * ms);
  p.broker.disconnect();
  EXPECT_EQ(p.exec.cancel_all(3, t0 + 10 * ms), 1u);  // lost on the wire
  EXPECT_EQ(p.broker.lost_messages(), 1u);
  p.broker.reconnect();
  p.tick(t0 + 3 * second);  // cancel timeout: the venue still has it open -> cancel again
  EXPECT_EQ(p.exec.counters().cancel_resends, 1u);
  EXPECT_TRUE(has(p.tick(t0 + 3 * second + 10 * ms), report_kind::cancelled));
  EXPECT_EQ(p.exec.open_orders(), 0u);
  EXPECT_EQ(p.gate.committed_position(1).raw, 0);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, HaltDeniesNewOrdersAndCancelAllLeavesNothingOpen) {
  pipeline p;
  p.market(quote(0, t0, 99 * unit, 101 * unit));
  ASSERT_TRUE(p.send(1, side::buy, unit));  // rests (no data for instrument 1 at the venue)
  ASSERT_TRUE(p.send(1, side::sell, unit / 2));
  p.tick(t0 + 5 * ms);
  EXPECT_EQ(p.exec.open_orders(), 2u);
  p.halt.close(7);
  p.gate.on_halt(7);  // the risk gate learns of the halt in the stream, as the engine tells it
  EXPECT_FALSE(p.send(0, side::buy, unit));
  EXPECT_EQ(p.last_decision.denied.reason, deny_reason::kill_switch);
  EXPECT_EQ(p.exec.cancel_all(7, t0 + 6 * ms), 2u);
  p.tick(t0 + 20 * ms);
  EXPECT_EQ(p.exec.open_orders(), 0u);
  EXPECT_EQ(p.broker.snapshot().open_orders, 0u);
  EXPECT_EQ(p.gate.committed_position(1).raw, 0);  // both released
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
}

TEST(FailureMatrix, RestartWithOpenOrdersRebuildsFromTheBrokerSnapshot) {
  pipeline p;
  p.gate.on_market(trade(1, t0, 100 * unit));
  p.market(quote(0, t0, 99 * unit, 101 * unit));
  ASSERT_TRUE(p.send(0, side::buy, unit));
  p.market(quote(0, t0 + 5 * ms, 99 * unit, 101 * unit));
  ASSERT_TRUE(p.send(1, side::buy, unit));  // will rest
  p.tick(t0 + 10 * ms);
  // The session restarts: only the broker and the report journal survive.
  std::vector<execution_report> open;
  p.broker.open_orders(open);
  ASSERT_EQ(open.size(), 1u);
  reconciler rec(p.broker.config().starting_cash, 2);
  const reconcile_result r = rec.restart(p.broker.snapshot(), open, p.journal);
  EXPECT_TRUE(r.ok) << r.breach;
  EXPECT_EQ(rec.open_orders(), 1u);
  execution_engine exec(p.broker, &p.halt);
  EXPECT_EQ(exec.restore(open), 1u);
  EXPECT_EQ(exec.cancel_all(1, t0 + 20 * ms), 1u);
  std::vector<execution_report> out;
  exec.on_time(t0 + 40 * ms, out);
  ASSERT_TRUE(has(out, report_kind::cancelled));
  for (const auto& rep : out)
    rec.on_report(rep);
  EXPECT_EQ(exec.open_orders(), 0u);
  EXPECT_TRUE(rec.check(p.broker.snapshot()).ok);
}

TEST(FailureMatrix, RestartTripsOnWhatTheJournalCannotExplain) {
  pipeline p;
  p.gate.on_market(trade(1, t0, 100 * unit));
  p.market(quote(0, t0, 99 * unit, 101 * unit));
  ASSERT_TRUE(p.send(1, side::buy, unit));  // rests
  p.tick(t0 + 10 * ms);
  std::vector<execution_report> open;
  p.broker.open_orders(open);
  std::vector<execution_report> journal;  // lost: the journal never saw this order
  reconciler rec(p.broker.config().starting_cash, 2);
  const reconcile_result r = rec.restart(p.broker.snapshot(), open, journal);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::unknown_order);
  EXPECT_EQ(r.client_order_id, last_client_id(p));
}

TEST(FailureMatrix, RestartTripsOnFillsTheJournalNeverSaw) {
  pipeline p;
  ASSERT_TRUE(p.send(0, side::buy, unit));
  p.tick(t0 + 5 * ms);
  const std::vector<execution_report> journal = p.journal;  // accepted only
  p.market(quote(0, t0 + 6 * ms, 99 * unit, 101 * unit));
  reconciler rec(p.broker.config().starting_cash, 2);
  std::vector<execution_report> open;
  p.broker.open_orders(open);
  const reconcile_result r = rec.restart(p.broker.snapshot(), open, journal);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.failed, invariant::position);
  EXPECT_EQ(r.observed_raw, unit);
}

TEST(FailureMatrix, CleanSessionReconcilesOnEveryFill) {
  paper_broker_config cfg;
  cfg.latency_jitter_ns = 2 * ms;
  cfg.seed = 11;
  pipeline p(cfg);
  std::uint64_t fills = 0;
  for (int k = 0; k < 200; ++k) {
    const timestamp_ns ts = t0 + k * 50 * ms;
    const std::int64_t mid = (100 + (k % 7) - 3) * unit;
    const auto& r = p.market(quote(0, ts, mid - unit / 2, mid + unit / 2, unit, unit / 3));
    const bool fill = has(r, report_kind::partially_filled) || has(r, report_kind::filled);
    if (fill) {
      ++fills;
      const reconcile_result res = p.reconcile();
      ASSERT_TRUE(res.ok) << res.breach;
    }
    if (k % 5 == 0)
      p.send(0, k % 10 == 0 ? side::buy : side::sell, unit / 2, mid);
  }
  p.tick(t0 + 20 * second);
  EXPECT_GT(fills, 20u);
  EXPECT_EQ(p.exec.open_orders(), 0u);
  EXPECT_TRUE(p.reconcile().ok) << p.reconcile().breach;
  const account_snapshot s = p.broker.snapshot();
  const account_snapshot e = p.rec.expected();
  EXPECT_EQ(s.cash, e.cash);
  EXPECT_EQ(s.fees_paid, e.fees_paid);
  EXPECT_EQ(p.gate.committed_position(0).raw, s.positions.empty() ? 0 : s.positions[0].qty.raw);
}

}  // namespace
}  // namespace peak::broker

namespace peak::broker {
namespace {

using namespace testing;

std::uint64_t mix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Seeded chaos: random orders, recoverable faults (no dropped reports), disconnects and
/// cancel_all. The books must agree on every fill and settle exactly at the end, with no
/// illegal transition and the gate's committed book equal to the broker's positions.
TEST(FailureMatrix, SeededChaosWithRecoverableFaultsAlwaysSettlesAndReconciles) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    std::uint64_t s = seed;
    paper_broker_config cfg;
    cfg.seed = seed;
    cfg.latency_jitter_ns = 3 * ms;
    pipeline p(cfg);
    timestamp_ns ts = t0;
    int down_for = 0;
    const auto quotes = [&](int steps) {
      for (int k = 0; k < steps; ++k) {
        ts += 20 * ms;
        const std::int64_t mid = 100 * unit + static_cast<std::int64_t>(mix(s) % (2 * unit)) - unit;
        const std::int64_t size = unit / 4 + static_cast<std::int64_t>(mix(s) % (2 * unit));
        const auto& r = p.market(quote(0, ts, mid - unit / 100, mid + unit / 100, size, size));
        for (const auto& rep : r)
          if (rep.kind == report_kind::partially_filled || rep.kind == report_kind::filled) {
            const reconcile_result res = p.reconcile();
            ASSERT_TRUE(res.ok) << res.breach;
            break;
          }
      }
    };
    for (int step = 0; step < 400; ++step) {
      quotes(1);
      const std::uint64_t roll = mix(s) % 100;
      if (roll < 20) {
        p.send(0, mix(s) % 2 ? side::buy : side::sell,
               unit / 2 + static_cast<std::int64_t>(mix(s) % unit), 100 * unit);
      } else if (roll < 26) {
        const fault faults[] = {fault::reject, fault::timeout, fault::duplicate_fill,
                                fault::late_fill, fault::lose_submit};
        p.broker.inject(faults[mix(s) % 5]);
      } else if (roll < 28 && down_for == 0) {
        p.broker.disconnect();
        down_for = 1 + static_cast<int>(mix(s) % 10);
      } else if (roll < 29) {
        p.exec.cancel_all(static_cast<std::uint64_t>(step), ts);
      }
      if (down_for > 0 && --down_for == 0)
        p.broker.reconnect();
    }
    p.broker.reconnect();
    quotes(1500);  // 30 s of quotes: timers, resends and late reports all settle
    EXPECT_EQ(p.exec.open_orders(), 0u);
    EXPECT_EQ(p.exec.counters().illegal_transitions, 0u);
    EXPECT_EQ(p.exec.counters().unresolved, 0u);
    const reconcile_result res = p.reconcile();
    EXPECT_TRUE(res.ok) << res.breach;
    const account_snapshot b = p.broker.snapshot();
    EXPECT_EQ(p.gate.committed_position(0).raw, b.positions.empty() ? 0 : b.positions[0].qty.raw);
    EXPECT_GT(p.exec.fills().size(), 10u);
  }
}

}  // namespace
}  // namespace peak::broker
