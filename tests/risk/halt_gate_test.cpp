#include "risk/halt_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace peak::risk {
namespace {

TEST(HaltGate, ClosedGateRefusesUntilRearmed) {
  halt_gate gate;
  EXPECT_TRUE(gate.open());
  {
    halt_gate_permit p(&gate);
    EXPECT_TRUE(p.granted());
  }
  EXPECT_TRUE(gate.close(7));
  EXPECT_FALSE(gate.close(8)) << "the first trigger owns the halt";
  EXPECT_EQ(gate.halt_id(), 7u);
  halt_gate_permit refused(&gate);
  EXPECT_FALSE(refused.granted());
  gate.rearm();
  halt_gate_permit again(&gate);
  EXPECT_TRUE(again.granted());
}

/// Under concurrent senders, once close() has returned no send is in progress and none
/// starts: a send that observes the "closed" mark (set after close() returned) is a
/// violation, and the send count must not move after close() returned. Many trials, each
/// closing after a different number of sends. Also run in the TSan build.
TEST(HaltGate, NoSendStartsAfterCloseReturnsUnderConcurrentSenders) {
  constexpr int trials = 100;
  constexpr int senders = 2;
  halt_gate gate;
  std::uint64_t violations = 0;
  std::uint64_t sends_total = 0;
  for (int trial = 0; trial < trials; ++trial) {
    std::atomic<bool> closed_returned{false};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> bad{0};
    std::atomic<std::uint64_t> sends{0};
    std::atomic<std::uint64_t> attempts{0};
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s)
      threads.emplace_back([&] {
        while (!stop.load(std::memory_order_relaxed)) {
          attempts.fetch_add(1, std::memory_order_relaxed);
          halt_gate_permit permit(&gate);
          if (!permit.granted())
            continue;
          // "Sending": the closer must not have finished closing while this permit is held.
          if (closed_returned.load())
            bad.fetch_add(1);
          sends.fetch_add(1, std::memory_order_relaxed);
        }
      });
    const auto target = static_cast<std::uint64_t>(trial) * 7;
    while (sends.load() < target)
      std::this_thread::yield();  // close after a different number of sends in every trial
    EXPECT_TRUE(gate.close(static_cast<std::uint64_t>(trial) + 1));
    closed_returned.store(true);
    const std::uint64_t at_close = sends.load();
    const std::uint64_t tries = attempts.load();
    while (attempts.load() < tries + 2'000)
      std::this_thread::yield();  // the senders keep trying against the closed gate
    stop.store(true);
    for (auto& t : threads)
      t.join();
    EXPECT_EQ(sends.load(), at_close) << "trial " << trial << ": a send after close()";
    violations += bad.load();
    sends_total += sends.load();
    gate.rearm();
  }
  EXPECT_EQ(violations, 0u);
  EXPECT_GT(sends_total, 0u) << "the senders did send while the gate was open";
}

}  // namespace
}  // namespace peak::risk
