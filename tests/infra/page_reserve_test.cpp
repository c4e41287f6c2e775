#include "infra/page_reserve.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

#include "infra/chunked_vector.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PEAK_SANITIZED 1  // the sanitizers' shadow memory takes page faults of its own
#else
#define PEAK_SANITIZED 0
#endif

namespace peak::infra {
namespace {

constexpr std::size_t k_mib = std::size_t{1} << 20;

long thread_minor_faults() {
  rusage u{};
  ::getrusage(RUSAGE_THREAD, &u);
  return u.ru_minflt;
}

TEST(PageReserve, HandsOutNothingUntilStarted) {
  page_reserve r(64 * k_mib);
  EXPECT_EQ(r.try_allocate(4096), nullptr);
  int local = 0;
  EXPECT_FALSE(r.owns(&local));
  EXPECT_FALSE(r.snapshot().running);
  EXPECT_FALSE(r.wait_ready(std::chrono::milliseconds(5)));
  r.stop();  // stopping a reserve that never started is harmless
}

TEST(PageReserve, WaitReadyReturnsOnceTheHeadroomIsWritten) {
  page_reserve r(64 * k_mib);
  ASSERT_TRUE(r.start(4 * k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  const auto s = r.snapshot();
  EXPECT_GE(s.touched_bytes - s.handed_out_bytes, 4 * k_mib);
}

TEST(PageReserve, HandsOutAlignedDisjointMemoryAlreadyWritten) {
  page_reserve r(64 * k_mib);
  ASSERT_TRUE(r.start(2 * k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  EXPECT_TRUE(r.snapshot().running);

  std::vector<std::pair<char*, std::size_t>> blocks;
  for (std::size_t bytes :
       {std::size_t{1}, std::size_t{100}, std::size_t{64}, 3 * std::size_t{4096}}) {
    auto* p = static_cast<char*>(r.try_allocate(bytes));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 64, 0u);
    EXPECT_TRUE(r.owns(p));
    EXPECT_TRUE(r.owns(p + bytes - 1));
    blocks.emplace_back(p, bytes);
  }
  for (std::size_t i = 0; i < blocks.size(); ++i)
    std::memset(blocks[i].first, static_cast<int>('a' + i), blocks[i].second);
  for (std::size_t i = 0; i < blocks.size(); ++i)
    for (std::size_t b = 0; b < blocks[i].second; ++b)
      ASSERT_EQ(blocks[i].first[b], static_cast<char>('a' + i)) << "blocks overlap";
  EXPECT_GE(r.snapshot().handed_out_bytes, 64 + 128 + 64 + 3 * 4096u);
  EXPECT_EQ(r.snapshot().total_handed_out_bytes, r.snapshot().handed_out_bytes);

  const long before = thread_minor_faults();
  auto* big = static_cast<char*>(r.try_allocate(k_mib));
  ASSERT_NE(big, nullptr);
  std::memset(big, 1, k_mib);
  const long faults = thread_minor_faults() - before;
  if (!PEAK_SANITIZED) {
    EXPECT_LE(faults, 2) << "the pages were written by the reserve's thread, not this one";
  }
  int local = 0;
  EXPECT_FALSE(r.owns(&local));
  r.stop();
  EXPECT_FALSE(r.snapshot().running);
  EXPECT_EQ(big[k_mib - 1], 1) << "memory stays valid after stop()";
}

TEST(PageReserve, FallsBackWhenNothingIsReadyAndRefills) {
  page_reserve r(64 * k_mib);
  ASSERT_TRUE(r.start(k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  EXPECT_EQ(r.try_allocate(32 * k_mib), nullptr) << "more than is ready: the caller falls back";
  EXPECT_EQ(r.snapshot().misses, 1u);
  // Draining below the low-water mark wakes the thread, which writes the headroom again.
  while (r.try_allocate(64 * 1024) != nullptr) {
  }
  EXPECT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  EXPECT_NE(r.try_allocate(64 * 1024), nullptr);
}

TEST(PageReserve, ReusesTheRangeOnceEveryBlockIsReleased) {
  page_reserve r(64 * k_mib);
  ASSERT_TRUE(r.start(2 * k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  void* first = r.try_allocate(4096);
  void* second = r.try_allocate(4096);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(r.snapshot().live_blocks, 2u);
  r.release(first, 4096);
  void* third = r.try_allocate(4096);
  EXPECT_NE(third, first) << "a block is not reused while another is live";
  EXPECT_NE(third, second);
  r.release(second, 4096);
  r.release(third, 4096);
  EXPECT_EQ(r.snapshot().live_blocks, 0u);
  EXPECT_EQ(r.snapshot().handed_out_bytes, 0u);
  EXPECT_EQ(r.snapshot().total_handed_out_bytes, 3 * 4096u) << "the running total keeps counting";
  EXPECT_EQ(r.try_allocate(4096), first) << "all released: the range starts again";
  r.release(first, 4096);
  r.release(first, 4096);  // a second release of the same block is ignored
  EXPECT_EQ(r.snapshot().live_blocks, 0u);
  int local = 0;
  r.release(&local, sizeof local);  // not ours: ignored
  EXPECT_EQ(r.snapshot().live_blocks, 0u);
}

#if defined(__SANITIZE_ADDRESS__)
TEST(PageReserve, UnderAddressSanitizerOnlyWhatIsHandedOutIsAddressable) {
  page_reserve r(64 * k_mib);
  ASSERT_TRUE(r.start(k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  auto* p = static_cast<char*>(r.try_allocate(100));
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(__asan_address_is_poisoned(p));
  EXPECT_FALSE(__asan_address_is_poisoned(p + 99));
  EXPECT_TRUE(__asan_address_is_poisoned(p + 100)) << "the rounding pad is not the caller's";
  EXPECT_TRUE(__asan_address_is_poisoned(p + 4096)) << "nor is memory not yet handed out";
  r.release(p, 100);
  EXPECT_TRUE(__asan_address_is_poisoned(p)) << "nor a block given back";
}
#endif

TEST(PageReserve, StopsAtItsCapacity) {
  page_reserve r(k_mib);
  ASSERT_TRUE(r.start(8 * k_mib));  // more headroom than the range holds
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  std::size_t got = 0;
  while (r.try_allocate(4096) != nullptr)
    got += 4096;
  EXPECT_EQ(got, k_mib);
  EXPECT_EQ(r.snapshot().touched_bytes, k_mib);
  EXPECT_EQ(r.try_allocate(1), nullptr);
}

TEST(PageReserve, ConcurrentCallersGetDisjointBlocks) {
  page_reserve r(256 * k_mib);
  ASSERT_TRUE(r.start(16 * k_mib));
  ASSERT_TRUE(r.wait_ready(std::chrono::seconds(10)));
  std::vector<std::uintptr_t> a;
  std::vector<std::uintptr_t> b;
  auto take = [&r](std::vector<std::uintptr_t>& out) {
    for (int i = 0; i < 2000; ++i) {
      if (void* p = r.try_allocate(1000))
        out.push_back(reinterpret_cast<std::uintptr_t>(p));
    }
  };
  std::thread t1(take, std::ref(a));
  std::thread t2(take, std::ref(b));
  t1.join();
  t2.join();
  std::vector<std::uintptr_t> all(a);
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  ASSERT_GT(all.size(), 1000u);
  for (std::size_t i = 1; i < all.size(); ++i)
    ASSERT_GE(all[i] - all[i - 1], 1024u) << "two callers got overlapping blocks";
}

TEST(PageReserve, ChunkedVectorTakesItsChunksFromTheProcessReserve) {
  page_reserve& process = page_reserve::instance();
  ASSERT_TRUE(process.start(4 * k_mib));
  ASSERT_TRUE(process.wait_ready(std::chrono::seconds(10)));
  const std::size_t live_before = process.snapshot().live_blocks;
  {
    chunked_vector<std::uint64_t, 1024> v;
    for (std::uint64_t i = 0; i < 5000; ++i)
      v.push_back(i);
    EXPECT_TRUE(process.owns(&v[0]));
    EXPECT_TRUE(process.owns(&v[4999]));
    EXPECT_EQ(v[4321], 4321u);
    EXPECT_EQ(process.snapshot().live_blocks, live_before + 5);
  }  // its chunks go back to the reserve, not to operator delete (ASan would report that)
  EXPECT_EQ(process.snapshot().live_blocks, live_before);
}

}  // namespace
}  // namespace peak::infra
