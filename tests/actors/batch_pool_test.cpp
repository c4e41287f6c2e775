#include "actors/batch_pool.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "actors/batch.hpp"

namespace peak::actors {
namespace {

pipeline_batch batch_with(std::size_t events) {
  pipeline_batch b;
  for (std::size_t i = 0; i < events; ++i) {
    market_event e;
    e.sequence = i + 1;
    append(b, e);
  }
  return b;
}

TEST(BatchPool, GivesBackAnEmptiedBatchWithItsStorage) {
  batch_pool pool(64);
  pipeline_batch b = batch_with(100);
  b.sent_wall_ns = 42;
  const auto* storage = b.events.data();
  pool.put(std::move(b));
  EXPECT_EQ(pool.size_approx(), 1u);
  pipeline_batch out;
  ASSERT_TRUE(pool.take(out));
  EXPECT_TRUE(out.items.empty());
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(out.sent_wall_ns, 0);
  EXPECT_GE(out.events.capacity(), 100u);
  EXPECT_EQ(out.events.data(), storage) << "the same buffer, not a copy";
  EXPECT_FALSE(pool.take(out)) << "empty pool";
}

TEST(BatchPool, KeepsNothingWithoutStorageAndNoMoreThanItsCapacity) {
  batch_pool pool(32);
  pool.put(pipeline_batch{});  // nothing worth keeping
  EXPECT_EQ(pool.size_approx(), 0u);
  for (int i = 0; i < 200; ++i)
    pool.put(batch_with(1));
  EXPECT_GE(pool.size_approx(), 1u);
  EXPECT_LE(pool.size_approx(), 200u);
  std::size_t taken = 0;
  pipeline_batch out;
  while (pool.take(out))
    ++taken;
  EXPECT_EQ(pool.size_approx(), 0u) << "drained";
  EXPECT_LT(taken, 200u) << "bounded: batches beyond the reserved blocks are freed, not kept";
}

TEST(BatchPool, ProducersOnOtherThreadsAndOneConsumer) {
  batch_pool pool(256);
  constexpr int per_thread = 2000;
  auto produce = [&pool] {
    for (int i = 0; i < per_thread; ++i)
      pool.put(batch_with(2));
  };
  std::size_t taken = 0;
  std::thread a(produce);
  std::thread b(produce);
  pipeline_batch out;
  for (int spins = 0; spins < 200'000; ++spins)
    if (pool.take(out)) {
      ++taken;
      ASSERT_TRUE(out.items.empty());
      append(out, market_event{});  // the consumer uses it, as market-data does
    }
  a.join();
  b.join();
  while (pool.take(out))
    ++taken;
  EXPECT_GT(taken, 0u);
  EXPECT_LE(taken, 2u * per_thread);
}

}  // namespace
}  // namespace peak::actors
