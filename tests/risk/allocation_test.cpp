// The hot path allocates nothing after construction: check, on_market and on_report run with
// a counting global operator new armed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "risk/risk_gate.hpp"
#include "risk/risk_names.hpp"
#include "tests/risk/risk_test_support.hpp"

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

namespace peak::risk {
namespace {

using namespace testing;

TEST(RiskGateHotPath, AllocatesNothingAfterConstruction) {
  halt_gate halt;
  risk_limits limits;
  limits.max_order_notional = money{1000 * fixed_scale};
  limits.max_total_exposure = money{100'000 * fixed_scale};
  risk_gate gate(limits, instruments(4), &halt, 1);
  timestamp_ns ts = t0;
  allocations = 0;
  counting = true;
  std::uint64_t approved = 0;
  for (std::uint64_t k = 1; k <= 2000; ++k) {
    ts += 2 * second;
    const auto inst = static_cast<instrument_id>(k % 4);
    gate.on_market(trade(inst, ts, 100 * fixed_scale));
    gate.on_market(quote(inst, ts, 99 * fixed_scale, 101 * fixed_scale));
    const risk_decision d =
        gate.check(intent(k, inst, ts, side::buy, 100 * fixed_scale, fixed_scale / 10));
    if (d.approved) {
      ++approved;
      execution_report r;
      r.client_order_id = d.order.order.client_order_id;
      r.kind = k % 2 ? report_kind::filled : report_kind::cancelled;
      gate.on_report(r);
    }
  }
  counting = false;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(approved, 1000u);
}

/// Fills arriving early, late or never change no decision: only terminal reports do.
TEST(RiskGate, DecisionsDoNotDependOnWhenFillsArrive) {
  const auto run = [](int fill_mode) {
    halt_gate halt;
    risk_gate g(risk_limits{}, instruments(2), &halt, 5);
    std::string log;
    timestamp_ns ts = t0;
    std::vector<execution_report> held;
    for (std::uint64_t k = 1; k <= 400; ++k) {
      ts += 700'000'000;
      const auto inst = static_cast<instrument_id>(k % 2);
      const std::int64_t px = (100 + static_cast<std::int64_t>(k % 5)) * fixed_scale;
      g.on_market(trade(inst, ts, px));
      const risk_decision d =
          g.check(intent(k, inst, ts, k % 3 ? side::buy : side::sell, px, fixed_scale / 10,
                         k % 4 == 0 ? intent_kind::exit : intent_kind::entry));
      log += d.approved ? "A" : to_string(d.denied.reason);
      log += ',';
      if (!d.approved)
        continue;
      execution_report f;
      f.client_order_id = d.order.order.client_order_id;
      f.kind = report_kind::partially_filled;
      f.cum_qty = quantity{d.order.order.qty.raw / 2};
      f.last_qty = f.cum_qty;
      if (fill_mode == 0)
        g.on_report(f);  // at once
      else if (fill_mode == 1)
        held.push_back(f);  // much later
      // fill_mode 2: never
      if (held.size() > 20) {
        for (const auto& r : held)
          g.on_report(r);
        held.clear();
      }
    }
    return log;
  };
  const std::string now = run(0);
  EXPECT_EQ(now, run(1));
  EXPECT_EQ(now, run(2));
  EXPECT_NE(now.find('A'), std::string::npos);
}

}  // namespace
}  // namespace peak::risk
