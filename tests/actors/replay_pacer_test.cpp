#include "actors/replay_pacer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "observability/steady_clock.hpp"

namespace peak::actors {
namespace {

using observability::steady_now_ns;

/// Waits (bounded, generously: this is no timing test) until `count` reaches `n`.
bool wait_for(const std::atomic<int>& count, int n) {
  const std::int64_t give_up = steady_now_ns() + 10'000'000'000;
  while (count.load() < n && steady_now_ns() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return count.load() >= n;
}

TEST(ReplayPacer, WakesOnceAndNeverBeforeTheAskedInstant) {
  std::atomic<int> wakes{0};
  std::atomic<std::int64_t> woke_at{0};
  replay_pacer pacer([&] {
    woke_at.store(steady_now_ns());
    wakes.fetch_add(1);
  });
  const std::int64_t due = steady_now_ns() + 3'000'000;
  pacer.wake_at(due);
  ASSERT_TRUE(wait_for(wakes, 1));
  EXPECT_GE(woke_at.load(), due);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(wakes.load(), 1) << "one wake per request";
}

TEST(ReplayPacer, WakesAfterALongIdlePeriod) {
  std::atomic<int> wakes{0};
  replay_pacer pacer([&] { wakes.fetch_add(1); });
  // Long enough for the thread to leave light polling and block on its condition variable.
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  pacer.wake_at(steady_now_ns());
  EXPECT_TRUE(wait_for(wakes, 1));
}

TEST(ReplayPacer, ALaterRequestReplacesAnEarlierOne) {
  std::atomic<int> wakes{0};
  std::atomic<std::int64_t> woke_at{0};
  replay_pacer pacer([&] {
    woke_at.store(steady_now_ns());
    wakes.fetch_add(1);
  });
  const std::int64_t later = steady_now_ns() + 30'000'000;
  pacer.wake_at(steady_now_ns() + 20'000'000);
  pacer.wake_at(later);
  ASSERT_TRUE(wait_for(wakes, 1));
  EXPECT_GE(woke_at.load(), later);
  EXPECT_EQ(wakes.load(), 1);
}

TEST(ReplayPacer, NoWakeAfterStopAndStopIsIdempotent) {
  std::atomic<int> wakes{0};
  replay_pacer pacer([&] { wakes.fetch_add(1); });
  pacer.wake_at(steady_now_ns() + 50'000'000);
  pacer.stop();
  pacer.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_EQ(wakes.load(), 0);
}

}  // namespace
}  // namespace peak::actors
