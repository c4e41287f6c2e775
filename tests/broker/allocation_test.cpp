// The order path allocates nothing once warm: approvals, market data, reports through
// execution, the paper broker and the reconciler, with a counting operator new armed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "tests/broker/broker_test_support.hpp"

namespace {
bool counting = false;
std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (counting)
    ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n))
    return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace peak::broker {
namespace {

using namespace testing;

TEST(OrderPathHotPath, AllocatesNothingOnceWarm) {
  risk::halt_gate halt;
  risk::risk_gate gate(wide_limits(), instruments(1), &halt, 1);
  paper_broker venue(paper_broker_config{}, 1);
  execution_engine exec(venue, &halt);
  reconciler rec(money{10'000 * unit}, 1);
  std::vector<execution_report> out;
  out.reserve(64);
  account_snapshot snap;
  snap.positions.reserve(4);
  timestamp_ns ts = t0;
  std::uint64_t fills = 0;
  const auto step = [&](std::uint64_t k) {
    ts += 200 * ms;
    const market_event q = quote(0, ts, 99 * unit, 101 * unit, unit, unit);
    gate.on_market(q);
    rec.on_market(q);
    out.clear();
    exec.on_market(q, out);
    for (const auto& r : out) {
      gate.on_report(r);
      rec.on_report(r);
      if (r.kind == report_kind::filled) {
        ++fills;
        venue.snapshot_into(snap);
        EXPECT_TRUE(rec.check(snap).ok);
      }
    }
    trade_intent i;
    i.intent_id = k;
    i.instrument = 0;
    i.ts_event = ts;
    i.checklist.direction = k % 2 ? side::buy : side::sell;
    i.checklist.entry_reference = price{100 * unit};
    i.checklist.size = quantity{unit / 2};
    const risk::risk_decision d = gate.check(i);
    if (d.approved) {
      exec.on_approved(d.order, out);
      rec.on_submit(d.order.order);
    }
  };
  for (std::uint64_t k = 1; k <= 20; ++k)  // warm-up
    step(k);
  allocations = 0;
  counting = true;
  for (std::uint64_t k = 21; k <= 1000; ++k)
    step(k);
  counting = false;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(fills, 500u);
}

}  // namespace
}  // namespace peak::broker
