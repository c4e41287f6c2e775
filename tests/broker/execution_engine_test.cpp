#include "broker/execution_engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>

#include "broker/null_broker.hpp"
#include "risk/approval_issuer.hpp"
#include "tests/broker/broker_test_support.hpp"

namespace peak::broker {
namespace {

using namespace testing;

/// Hand-written stub venue: records what it was sent, emits the reports a test queues.
class stub_broker final : public broker_adapter {
public:
  void submit(const submit_order& o) override { sent.push_back(o); }
  void cancel(const cancel_order& c) override { cancels.push_back(c); }
  void on_market(const market_event&) override {}
  std::size_t poll(std::vector<execution_report>& out) override {
    const std::size_t n = queued.size();
    out.insert(out.end(), queued.begin(), queued.end());
    queued.clear();
    return n;
  }
  account_snapshot snapshot() const override { return {}; }
  bool connected() const noexcept override { return up; }

  std::vector<submit_order> sent;
  std::vector<cancel_order> cancels;
  std::vector<execution_report> queued;
  bool up = true;
};

/// An approved order from a real risk gate with wide limits.
struct approvals {
  approvals() : gate(wide_limits(), instruments(2), &halt, 9) {
    gate.on_market(trade(0, t0, 100 * unit));
    gate.on_market(trade(1, t0, 100 * unit));
  }
  approved_order next(side dir = side::buy, std::int64_t qty = unit, timestamp_ns ts = t0) {
    trade_intent i;
    i.intent_id = ++id;
    i.instrument = 0;
    i.ts_event = ts;
    i.checklist.direction = dir;
    i.checklist.entry_reference = price{100 * unit};
    i.checklist.size = quantity{qty};
    const risk::risk_decision d = gate.check(i);
    EXPECT_TRUE(d.approved);
    return d.order;
  }
  risk::halt_gate halt;
  risk::risk_gate gate;
  std::uint64_t id = 0;
};

execution_report report(const submit_order& o, report_kind kind, std::int64_t cum = 0,
                        std::int64_t last = 0, std::int64_t px = 0, timestamp_ns ts = t0) {
  static std::uint64_t next_id = 1;
  execution_report r;
  r.client_order_id = o.client_order_id;
  r.broker_order_id = 77;
  r.report_id = next_id++;
  r.instrument = o.instrument;
  r.direction = o.direction;
  r.kind = kind;
  r.ts_event = ts;
  r.last_qty = quantity{last};
  r.last_px = price{px};
  r.cum_qty = quantity{cum};
  r.leaves_qty = quantity{o.qty.raw - cum};
  return r;
}

TEST(ExecutionEngine, SendsAnApprovedOrderAndTracksItsLifecycle) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next(side::buy, 2 * unit);
  ASSERT_TRUE(e.on_approved(o));
  ASSERT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(e.orders_sent(), 1u);
  EXPECT_EQ(e.open_orders(), 1u);
  std::vector<execution_report> out;
  b.queued.push_back(report(o.order, report_kind::accepted, 0, 0, 0, t0 + 5 * ms));
  b.queued.push_back(
      report(o.order, report_kind::partially_filled, unit, unit, 100 * unit, t0 + 6 * ms));
  b.queued.push_back(report(o.order, report_kind::filled, 2 * unit, unit, 102 * unit, t0 + 7 * ms));
  e.on_market(trade(0, t0 + 7 * ms, 100 * unit), out);
  EXPECT_EQ(out.size(), 3u);
  const order_record* r = e.find(o.order.client_order_id);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->state, order_state::filled);
  EXPECT_EQ(r->filled, 2 * unit);
  EXPECT_EQ(r->average_price(), 101 * unit);
  EXPECT_EQ(r->entered[static_cast<std::size_t>(order_state::accepted)], t0 + 5 * ms);
  EXPECT_EQ(r->entered[static_cast<std::size_t>(order_state::filled)], t0 + 7 * ms);
  EXPECT_EQ(e.open_orders(), 0u);
  EXPECT_EQ(e.fills().size(), 2u);
  std::ostringstream csv;
  e.write_orders_csv(csv);
  EXPECT_NE(csv.str().find("new>submitted>accepted>partially_filled>filled"), std::string::npos);
  EXPECT_NE(csv.str().find(",101.00000000,"), std::string::npos);
  std::ostringstream trades;
  e.write_trades_csv(trades);
  EXPECT_NE(trades.str().find(",102.00000000,"), std::string::npos);
}

TEST(ExecutionEngine, RefusesAnOrderWhoseApprovalIsNotItsOwn) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  approved_order forged = a.next();
  forged.order.qty.raw *= 100;  // changed after approval
  std::vector<execution_report> out;
  EXPECT_FALSE(e.on_approved(forged, out));
  approved_order blank;
  blank.order = forged.order;
  blank.order.client_order_id += 1;
  EXPECT_FALSE(e.on_approved(blank, out));
  EXPECT_TRUE(b.sent.empty());
  EXPECT_EQ(e.counters().invalid_approvals, 2u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, report_kind::rejected);
  EXPECT_EQ(out[0].reject_code, reject_code_invalid_approval);
}

TEST(ExecutionEngine, SameClientOrderIdIsNeverSentTwice) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next();
  EXPECT_TRUE(e.on_approved(o));
  EXPECT_FALSE(e.on_approved(o));
  EXPECT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(e.counters().duplicate_orders, 1u);
}

TEST(ExecutionEngine, ClosedGateRejectsLocallyAndTheRiskGateReleases) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next(side::buy, 3 * unit);
  EXPECT_EQ(a.gate.committed_position(0).raw, 3 * unit);
  a.halt.close(5);
  std::vector<execution_report> out;
  EXPECT_FALSE(e.on_approved(o, out));
  EXPECT_TRUE(b.sent.empty());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reject_code, reject_code_halted);
  a.gate.on_report(out[0]);
  EXPECT_EQ(a.gate.committed_position(0).raw, 0);
  EXPECT_EQ(e.find(o.order.client_order_id)->state, order_state::rejected);
}

TEST(ExecutionEngine, RefusalWithoutAnOutputVectorLeavesTheReportToTheCaller) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next();
  a.halt.close(5);
  EXPECT_FALSE(e.on_approved(o));
  std::vector<execution_report> out;
  e.on_market(trade(0, t0 + ms, 100 * unit), out);
  EXPECT_TRUE(out.empty());  // no second rejected report later
  EXPECT_EQ(e.counters().halted_rejects, 1u);
}

TEST(ExecutionEngine, NullGateFailsClosed) {
  approvals a;
  stub_broker b;
  execution_engine e(b, nullptr);
  EXPECT_FALSE(e.on_approved(a.next()));
  EXPECT_TRUE(b.sent.empty());
}

TEST(ExecutionEngine, TokenBucketQueuesAndSendsWhenATokenArrives) {
  approvals a;
  stub_broker b;
  execution_config cfg;
  cfg.bucket_capacity = 2;
  cfg.refill_per_second = 1;
  execution_engine e(b, &a.halt, cfg);
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(e.on_approved(a.next()));
  EXPECT_EQ(b.sent.size(), 2u);
  EXPECT_EQ(e.counters().queued, 1u);
  std::vector<execution_report> out;
  e.on_time(t0 + second - 1, out);
  EXPECT_EQ(b.sent.size(), 2u);
  e.on_time(t0 + second, out);
  EXPECT_EQ(b.sent.size(), 3u);
}

TEST(ExecutionEngine, QueuedOrderIsRejectedLocallyIfTheGateClosesBeforeItLeaves) {
  approvals a;
  stub_broker b;
  execution_config cfg;
  cfg.bucket_capacity = 1;
  cfg.refill_per_second = 1;
  execution_engine e(b, &a.halt, cfg);
  EXPECT_TRUE(e.on_approved(a.next()));
  const approved_order queued = a.next();
  EXPECT_TRUE(e.on_approved(queued));
  a.halt.close(1);
  std::vector<execution_report> out;
  e.on_time(t0 + 2 * second, out);
  EXPECT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(e.find(queued.order.client_order_id)->state, order_state::rejected);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reject_code, reject_code_halted);
}

TEST(ExecutionEngine, CancelAllCancelsEveryOpenOrder) {
  approvals a;
  stub_broker b;
  execution_config cfg;
  cfg.bucket_capacity = 2;
  cfg.refill_per_second = 1;
  execution_engine e(b, &a.halt, cfg);
  const approved_order o1 = a.next();
  const approved_order o2 = a.next();
  const approved_order o3 = a.next();  // queued, never sent
  e.on_approved(o1);
  e.on_approved(o2);
  e.on_approved(o3);
  std::vector<execution_report> out;
  b.queued.push_back(report(o1.order, report_kind::accepted));
  e.drain(out);
  EXPECT_EQ(e.cancel_all(99, t0 + ms), 3u);
  EXPECT_EQ(b.cancels.size(), 2u);
  EXPECT_EQ(b.cancels[0].causation_id, 99u);
  EXPECT_EQ(e.find(o1.order.client_order_id)->state, order_state::cancel_pending);
  EXPECT_EQ(e.find(o3.order.client_order_id)->state, order_state::cancelled);
  b.queued.push_back(report(o1.order, report_kind::cancelled));
  b.queued.push_back(report(o2.order, report_kind::cancelled));
  out.clear();
  e.drain(out);
  EXPECT_EQ(e.open_orders(), 0u);
  EXPECT_EQ(e.cancel_all(99, t0 + 2 * ms), 0u);
}

TEST(ExecutionEngine, IllegalTransitionIsRefusedCountedAndNotApplied) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next();
  e.on_approved(o);
  std::vector<execution_report> out;
  b.queued.push_back(report(o.order, report_kind::cancelled));
  b.queued.push_back(report(o.order, report_kind::filled, unit, unit, 100 * unit));
  b.queued.push_back(report(o.order, report_kind::expired));
  e.drain(out);
  const order_record* r = e.find(o.order.client_order_id);
  EXPECT_EQ(r->state, order_state::cancelled);
  EXPECT_EQ(r->filled, 0);
  EXPECT_EQ(e.counters().illegal_transitions, 2u);
  EXPECT_EQ(out.size(), 3u);  // passed through: the reconciler must see the venue's story
}

TEST(ExecutionEngine, ReplayedFillIsBookedOnce) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next(side::buy, 2 * unit);
  e.on_approved(o);
  const execution_report f = report(o.order, report_kind::partially_filled, unit, unit, 100 * unit);
  b.queued = {f, f};
  std::vector<execution_report> out;
  e.drain(out);
  EXPECT_EQ(e.find(o.order.client_order_id)->filled, unit);
  EXPECT_EQ(e.fills().size(), 1u);
  EXPECT_EQ(e.counters().duplicate_reports, 1u);
}

TEST(ExecutionEngine, ReportForUnknownOrderIsCounted) {
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  submit_order ghost;
  ghost.client_order_id = 12345;
  ghost.qty = quantity{unit};
  b.queued.push_back(report(ghost, report_kind::accepted));
  std::vector<execution_report> out;
  e.drain(out);
  EXPECT_EQ(e.counters().unknown_reports, 1u);
}

TEST(ExecutionEngine, DisconnectedBrokerHoldsTheOrderAndRetriesWithBackoff) {
  approvals a;
  stub_broker b;
  b.up = false;
  execution_config cfg;
  cfg.backoff_ns = 100 * ms;
  execution_engine e(b, &a.halt, cfg);
  const approved_order o = a.next();
  EXPECT_TRUE(e.on_approved(o));
  EXPECT_TRUE(b.sent.empty());
  std::vector<execution_report> out;
  e.on_time(t0 + 50 * ms, out);
  EXPECT_TRUE(b.sent.empty());
  b.up = true;
  e.on_time(t0 + 100 * ms, out);
  EXPECT_EQ(b.sent.size(), 1u);
  EXPECT_EQ(e.find(o.order.client_order_id)->state, order_state::submitted);
}

TEST(ExecutionEngine, ShadowModeRecordsButNeverTrades) {
  approvals a;
  null_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next();
  EXPECT_TRUE(e.on_approved(o));
  std::vector<execution_report> out;
  e.on_market(trade(0, t0 + 10 * second, 100 * unit), out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(b.intended().size(), 1u);
  EXPECT_EQ(e.find(o.order.client_order_id)->state, order_state::accepted);  // settled by status
  EXPECT_EQ(e.counters().resends, 0u);
}

/// A venue whose submit blocks until released (to interleave a halt with a hand-off).
class blocking_broker final : public broker_adapter {
public:
  void submit(const submit_order& /*o*/) override {
    in_submit.store(true);
    while (!release.load())
      std::this_thread::yield();
    ++submitted;
  }
  void cancel(const cancel_order& /*c*/) override {}
  void on_market(const market_event&) override {}
  std::size_t poll(std::vector<execution_report>& /*out*/) override { return 0; }
  account_snapshot snapshot() const override { return {}; }
  bool connected() const noexcept override { return true; }
  std::atomic<bool> in_submit{false};
  std::atomic<bool> release{false};
  std::atomic<int> submitted{0};
};

TEST(ExecutionEngine, HaltGateCloseWaitsForAHandOffInProgress) {
  approvals a;
  blocking_broker b;
  execution_engine e(b, &a.halt);
  const approved_order o = a.next();
  std::thread sender([&] { EXPECT_TRUE(e.on_approved(o)); });
  while (!b.in_submit.load())
    std::this_thread::yield();
  std::atomic<bool> closed{false};
  std::thread killer([&] {
    a.halt.close(1);
    closed.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // The order is being handed over: close() must not return before it is done, so that
  // "closed" really means no order is leaving.
  EXPECT_FALSE(closed.load());
  EXPECT_FALSE(a.halt.open());  // the cut happened: nothing new can start
  b.release.store(true);
  sender.join();
  killer.join();
  EXPECT_TRUE(closed.load());
  EXPECT_EQ(b.submitted.load(), 1);
}

/// A venue that checks, at every hand-off, that the gate's close() has not returned yet.
class watching_broker final : public broker_adapter {
public:
  void submit(const submit_order& /*o*/) override {
    if (closed_returned->load())
      violations.fetch_add(1);
    submitted.fetch_add(1);
  }
  void cancel(const cancel_order& /*c*/) override {}
  void on_market(const market_event&) override {}
  std::size_t poll(std::vector<execution_report>& /*out*/) override { return 0; }
  account_snapshot snapshot() const override { return {}; }
  bool connected() const noexcept override { return true; }
  std::atomic<bool>* closed_returned = nullptr;
  std::atomic<std::uint64_t> violations{0};
  std::atomic<std::uint64_t> submitted{0};
};

/// The execution engine on one thread sending a stream of approved orders, the kill switch
/// closing the gate on another at a different moment each trial: no hand-off ever happens
/// after close() returned, and every order after the cut is refused locally. Also run in
/// the TSan build.
TEST(ExecutionEngine, NoOrderIsHandedOverAfterTheGateClosesUnderConcurrency) {
  constexpr int trials = 40;
  constexpr int orders = 400;
  std::uint64_t handed_total = 0;
  std::uint64_t refused_total = 0;
  for (int trial = 0; trial < trials; ++trial) {
    approvals a;
    std::vector<approved_order> batch;
    batch.reserve(orders);
    for (int i = 0; i <= orders; ++i)  // alternate sides: exposure stays within the limits
      batch.push_back(a.next(i % 2 == 0 ? side::buy : side::sell, unit));
    const approved_order after_join = batch.back();
    batch.pop_back();
    std::atomic<bool> closed_returned{false};
    watching_broker b;
    b.closed_returned = &closed_returned;
    execution_config cfg;
    cfg.bucket_capacity = 1'000'000;  // no token waits: every order goes straight out
    execution_engine e(b, &a.halt, cfg);
    std::atomic<int> sent_so_far{0};
    std::thread sender([&] {
      for (const approved_order& o : batch) {
        (void)e.on_approved(o);
        sent_so_far.fetch_add(1);
      }
    });
    const int target = (trial * 37) % orders;
    while (sent_so_far.load() < target)
      std::this_thread::yield();
    a.halt.close(static_cast<std::uint64_t>(trial) + 1);
    closed_returned.store(true);
    sender.join();
    EXPECT_EQ(b.violations.load(), 0u) << "trial " << trial;
    EXPECT_EQ(b.submitted.load() + e.counters().halted_rejects, static_cast<std::uint64_t>(orders));
    handed_total += b.submitted.load();
    // Whether the cut fell inside the stream depends on the scheduler; after it, always:
    const std::uint64_t refused = e.counters().halted_rejects;
    EXPECT_FALSE(e.on_approved(after_join));
    EXPECT_EQ(e.counters().halted_rejects, refused + 1);
    refused_total += refused;
  }
  EXPECT_GT(handed_total, 0u);
  std::printf("[ info ] %llu orders refused inside the stream over %d trials\n",
              static_cast<unsigned long long>(refused_total), trials);
}

/// A filled long of 5 on instrument 0, then a halt (id 3) that closes the gate.
struct flatten_setup {
  flatten_setup() : e(b, &a.halt) {
    const approved_order o = a.next(side::buy, 5 * unit);
    EXPECT_TRUE(e.on_approved(o));
    std::vector<execution_report> out;
    b.queued.push_back(report(o.order, report_kind::filled, 5 * unit, 5 * unit, 100 * unit));
    e.on_market(trade(0, t0 + ms, 100 * unit), out);
    a.gate.on_report(out.back());
    EXPECT_TRUE(a.halt.close(3));
    a.gate.set_trading_state(risk::trading_state::halted);
  }
  approvals a;
  stub_broker b;
  execution_engine e;
};

TEST(ExecutionEngine, FlattenOrderLeavesPastTheClosedGateOfItsOwnHaltOnly) {
  flatten_setup f;
  std::vector<execution_report> out;
  const risk::risk_decision flat = f.a.gate.check_flatten(0, 3, t0 + ms);
  ASSERT_TRUE(flat.approved);
  ASSERT_TRUE(f.e.on_approved(flat.order, out));
  ASSERT_EQ(f.b.sent.size(), 2u);
  EXPECT_EQ(f.b.sent.back().flatten_halt_id, 3u);
  EXPECT_EQ(f.b.sent.back().direction, side::sell);
  EXPECT_EQ(f.b.sent.back().qty.raw, 5 * unit);
  EXPECT_EQ(f.e.counters().flatten_sent, 1u);
  EXPECT_EQ(f.e.counters().orders_sent, 2u);
  EXPECT_TRUE(out.empty());
}

TEST(ExecutionEngine, FlattenOrderIsRefusedOutsideItsHaltOrWhenItReducesNothing) {
  flatten_setup f;
  const risk::risk_decision flat = f.a.gate.check_flatten(0, 3, t0 + ms);
  ASSERT_TRUE(flat.approved);
  // Re-armed before it arrived: its halt is over, so it never leaves.
  f.a.halt.rearm();
  std::vector<execution_report> out;
  EXPECT_FALSE(f.e.on_approved(flat.order, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, report_kind::rejected);
  EXPECT_EQ(out[0].reject_code, reject_code_flatten_refused);
  EXPECT_STREQ(reject_reason_name(out[0].reject_code), "flatten_refused");
  EXPECT_EQ(f.e.counters().flatten_refused, 1u);
  EXPECT_EQ(f.b.sent.size(), 1u);

  // A second halt: a flatten sealed for the first one is refused too.
  flatten_setup g;
  const risk::risk_decision mine = g.a.gate.check_flatten(0, 3, t0 + ms);
  ASSERT_TRUE(mine.approved);
  g.a.halt.rearm();
  ASSERT_TRUE(g.a.halt.close(4));
  out.clear();
  EXPECT_FALSE(g.e.on_approved(mine.order, out));
  EXPECT_EQ(g.e.counters().flatten_refused, 1u);

  // Execution's own check: with nothing filled, a "flatten" would open a position.
  approvals a;
  stub_broker b;
  execution_engine e(b, &a.halt);
  const approved_order entry = a.next(side::buy, 2 * unit);
  a.gate.on_report(report(entry.order, report_kind::filled, 2 * unit, 2 * unit, 100 * unit));
  ASSERT_TRUE(a.halt.close(8));
  a.gate.set_trading_state(risk::trading_state::halted);
  const risk::risk_decision blind = a.gate.check_flatten(0, 8, t0);
  ASSERT_TRUE(blind.approved);  // the gate believes in a long of 2 execution never saw
  out.clear();
  EXPECT_FALSE(e.on_approved(blind.order, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reject_code, reject_code_flatten_refused);
  EXPECT_TRUE(b.sent.empty());
}

TEST(ExecutionEngine, NormalOrdersStayRefusedWhileAFlattenLeaves) {
  flatten_setup f;
  // An order approved while trading, arriving after the halt: refused as always.
  f.a.halt.rearm();
  f.a.gate.set_trading_state(risk::trading_state::active);
  const approved_order late = f.a.next(side::buy, unit);
  ASSERT_TRUE(f.a.halt.close(3));
  std::vector<execution_report> out;
  EXPECT_FALSE(f.e.on_approved(late, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].reject_code, reject_code_halted);
  EXPECT_EQ(f.e.counters().halted_rejects, 1u);
  EXPECT_EQ(f.b.sent.size(), 1u);
}

TEST(OrderStateMachine, TerminalStatesHaveNoExits) {
  for (std::size_t s = 0; s < order_state_count; ++s)
    for (std::size_t ev = 0; ev < order_event_count; ++ev) {
      order_state next = order_state::new_order;
      const bool ok = transition(static_cast<order_state>(s), static_cast<order_event>(ev), next);
      if (is_terminal(static_cast<order_state>(s))) {
        EXPECT_FALSE(ok);
      }
      if (ok) {
        EXPECT_LT(static_cast<std::size_t>(next), order_state_count);
      }
    }
  order_state n = order_state::new_order;
  EXPECT_FALSE(transition(static_cast<order_state>(42), order_event::send, n));
  EXPECT_STREQ(to_string(order_state::new_order), "new");
  EXPECT_STREQ(to_string(report_kind::partially_filled), "partially_filled");
}

TEST(OrderStateMachine, RandomEventSequencesNeverReachAnIllegalState) {
  std::uint64_t seed = 2024;
  const auto next = [&seed] {
    std::uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  // Pure table: from `new`, any sequence stays within the table's reachable set.
  for (int run = 0; run < 2000; ++run) {
    order_state s = order_state::new_order;
    bool done = false;
    for (int k = 0; k < 20; ++k) {
      const auto ev = static_cast<order_event>(next() % order_event_count);
      order_state n = s;
      if (transition(s, ev, n)) {
        ASSERT_FALSE(done) << "left a terminal state";
        ASSERT_LT(static_cast<std::size_t>(n), order_state_count);
        s = n;
        done = is_terminal(s);
      }
    }
  }
  // Through the engine: random reports for random orders; every record stays legal, a
  // terminal record never changes, fills never exceed cum and never double-book.
  approvals a;
  stub_broker b;
  execution_config cfg;
  cfg.bucket_capacity = 1000;
  execution_engine e(b, &a.halt, cfg);
  std::vector<approved_order> orders;
  for (int k = 0; k < 40; ++k) {
    orders.push_back(a.next(side::buy, 4 * unit));
    e.on_approved(orders.back());
  }
  std::vector<std::int64_t> cum(orders.size(), 0);
  std::vector<execution_report> out;
  std::uint64_t attempts = 0;
  for (int step = 0; step < 4000; ++step) {
    const std::size_t i = next() % orders.size();
    const auto kind = static_cast<report_kind>(next() % 6);
    std::int64_t last = 0;
    if (kind == report_kind::partially_filled)
      last = next() % 2 ? unit : 0;
    if (kind == report_kind::filled)
      last = 4 * unit - cum[i];
    if (next() % 7 == 0)
      e.cancel(orders[i].order.client_order_id, 1, t0);
    const order_state before = e.find(orders[i].order.client_order_id)->state;
    b.queued.push_back(report(orders[i].order, kind, cum[i] + last, last, 100 * unit));
    if (last > 0)
      cum[i] += last;
    ++attempts;
    out.clear();
    e.drain(out);
    const order_record* r = e.find(orders[i].order.client_order_id);
    ASSERT_LT(static_cast<std::size_t>(r->state), order_state_count);
    if (is_terminal(before)) {
      ASSERT_EQ(r->state, before);
    }
    ASSERT_LE(r->filled, 4 * unit);
  }
  EXPECT_GT(e.counters().illegal_transitions + e.counters().duplicate_reports, 0u);
  EXPECT_EQ(attempts, 4000u);
}

}  // namespace
}  // namespace peak::broker
