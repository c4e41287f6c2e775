#include "infra/page_reserve.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Under AddressSanitizer the reserve keeps what it has not handed out poisoned, so a use of a
// block beyond its size (into the rounding pad or the next block) or after the range was
// reused is reported as it would be for operator new.
#define PEAK_RESERVE_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define PEAK_RESERVE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define PEAK_RESERVE_POISON(p, n) static_cast<void>(sizeof(p) + (n))
#define PEAK_RESERVE_UNPOISON(p, n) static_cast<void>(sizeof(p) + (n))
#endif

namespace peak::infra {
namespace {

constexpr std::size_t k_align = 64;
constexpr std::size_t k_step = 64 * 1024;  ///< written per round (16 pages, ~0.2 ms here)
/// Address range of the process reserve: reserved without commitment (MAP_NORESERVE), so it
/// costs nothing until written; beyond it allocations fall back to the ordinary allocator.
constexpr std::size_t k_process_capacity = std::size_t{16} << 30;
constexpr unsigned k_count_bits = 24;
constexpr std::uint64_t k_count_mask = (std::uint64_t{1} << k_count_bits) - 1;
constexpr std::size_t used_of(std::uint64_t state) noexcept {
  return static_cast<std::size_t>(state >> k_count_bits);
}
constexpr std::uint64_t live_of(std::uint64_t state) noexcept {
  return state & k_count_mask;
}
constexpr std::uint64_t make_state(std::size_t used, std::uint64_t live) noexcept {
  return (static_cast<std::uint64_t>(used) << k_count_bits) | live;
}
static_assert(k_process_capacity < (std::size_t{1} << (64 - k_count_bits)), "offset must fit");

std::size_t page_size() noexcept {
  const long p = ::sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<std::size_t>(p) : 4096;
}

}  // namespace

page_reserve& page_reserve::instance() {
  static page_reserve reserve(k_process_capacity);
  return reserve;
}

page_reserve::~page_reserve() {
  stop();
  // The range stays mapped: memory handed out may still be referenced by objects destroyed
  // later in the process's exit, and the kernel releases it with the process.
}

bool page_reserve::start(std::size_t headroom_bytes) {
  const std::lock_guard<std::mutex> lock(mutex_);
  headroom_.store(std::max(headroom_.load(std::memory_order_relaxed), headroom_bytes),
                  std::memory_order_relaxed);
  if (base_.load(std::memory_order_relaxed) == nullptr) {
    void* p = ::mmap(nullptr, capacity_, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      return false;
    base_.store(static_cast<char*>(p), std::memory_order_release);
  }
  if (!thread_.joinable()) {
    stopping_.store(false, std::memory_order_relaxed);
    thread_ = std::thread([this] { run(); });
  }
  cv_.notify_one();
  return true;
}

bool page_reserve::wait_ready(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t touched = touched_.load(std::memory_order_acquire);
    const std::size_t used = used_of(state_.load(std::memory_order_relaxed));
    const std::size_t want = std::min(headroom_.load(std::memory_order_relaxed), capacity_ - used);
    if (base_.load(std::memory_order_acquire) != nullptr && touched - used >= want)
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

void page_reserve::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable())
      return;
    stopping_.store(true, std::memory_order_relaxed);
  }
  cv_.notify_one();
  thread_.join();
}

void page_reserve::wake() noexcept {
  // notify without the mutex: a wake-up lost in the window before the thread waits costs at
  // most one timed wait (below), never a stall here.
  if (!wake_requested_.exchange(true, std::memory_order_relaxed))
    cv_.notify_one();
}

void* page_reserve::try_allocate(std::size_t bytes) noexcept {
  char* const base = base_.load(std::memory_order_acquire);
  if (base == nullptr || bytes == 0 || bytes > capacity_)
    return nullptr;
  const std::size_t need = (bytes + k_align - 1) & ~(k_align - 1);
  std::uint64_t state = state_.load(std::memory_order_relaxed);
  std::size_t ready = 0;
  do {
    ready = touched_.load(std::memory_order_acquire);
    if (need > ready - used_of(state) || live_of(state) == k_count_mask) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      wake();
      return nullptr;
    }
  } while (!state_.compare_exchange_weak(state,
                                         make_state(used_of(state) + need, live_of(state) + 1),
                                         std::memory_order_acquire, std::memory_order_relaxed));
  const std::size_t used = used_of(state);
  total_.fetch_add(need, std::memory_order_relaxed);
  PEAK_RESERVE_UNPOISON(base + used, bytes);
  if (ready - (used + need) < headroom_.load(std::memory_order_relaxed) / 2)
    wake();
  return base + used;
}

void page_reserve::release(void* p, std::size_t bytes) noexcept {
  if (!owns(p))
    return;
  PEAK_RESERVE_POISON(p, bytes);  // still ours until the count below drops
  std::uint64_t state = state_.load(std::memory_order_relaxed);
  std::uint64_t next = 0;
  do {
    if (live_of(state) == 0)
      return;  // not handed out (a double release): ignore rather than corrupt the count
    const std::uint64_t live = live_of(state) - 1;
    // The last live block: everything handed out is free, start again from the beginning
    // (those pages stay written, so the next session's chunks cost no fault either).
    next = make_state(live == 0 ? 0 : used_of(state), live);
  } while (!state_.compare_exchange_weak(state, next, std::memory_order_release,
                                         std::memory_order_relaxed));
}

bool page_reserve::owns(const void* p) const noexcept {
  const char* const base = base_.load(std::memory_order_acquire);
  const auto* c = static_cast<const char*>(p);
  return base != nullptr && c >= base && c < base + capacity_;
}

page_reserve::stats page_reserve::snapshot() const noexcept {
  stats s;
  s.capacity_bytes = base_.load(std::memory_order_acquire) != nullptr ? capacity_ : 0;
  s.headroom_bytes = headroom_.load(std::memory_order_relaxed);
  const std::uint64_t state = state_.load(std::memory_order_relaxed);
  s.handed_out_bytes = used_of(state);
  s.live_blocks = static_cast<std::size_t>(live_of(state));
  s.touched_bytes = touched_.load(std::memory_order_relaxed);
  s.misses = misses_.load(std::memory_order_relaxed);
  s.total_handed_out_bytes = total_.load(std::memory_order_relaxed);
  s.running = !stopping_.load(std::memory_order_relaxed) && s.capacity_bytes > 0;
  return s;
}

void page_reserve::run() {
  const std::size_t page = page_size();
  volatile char* const base = base_.load(std::memory_order_acquire);
  while (!stopping_.load(std::memory_order_relaxed)) {
    const std::size_t touched = touched_.load(std::memory_order_relaxed);
    const std::size_t used = used_of(state_.load(std::memory_order_relaxed));
    if (touched - used < headroom_.load(std::memory_order_relaxed) && touched < capacity_) {
      // Pages at or beyond `touched` have never been handed out: this thread is the only
      // one that touches them until the release store below publishes them.
      const std::size_t end = std::min(capacity_, touched + k_step);
      for (std::size_t off = touched; off < end; off += page)
        base[off] = 0;
      PEAK_RESERVE_POISON(const_cast<char*>(base) + touched, end - touched);
      touched_.store(end, std::memory_order_release);
      continue;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(50), [this] {
      return stopping_.load(std::memory_order_relaxed) ||
             wake_requested_.load(std::memory_order_relaxed);
    });
    wake_requested_.store(false, std::memory_order_relaxed);
  }
}

}  // namespace peak::infra
