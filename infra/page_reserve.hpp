#pragma once
/// Memory whose pages a background thread has already written to, for the storage that grows
/// on the hot path (infra::chunked_vector: per-order records, fills, the pack's rows).
///
/// Why: on the VMs this runs on, the first write to a fresh 4 KiB page costs ~11 µs (the
/// guest's page fault plus the hypervisor's shadow page table; measured with a throwaway
/// program, docs/PERFORMANCE.md), and MADV_POPULATE_WRITE still leaves ~5 µs per page for
/// the first access. A session that keeps ~700 bytes per order would take one such stall
/// every few orders, inside the event being processed. The reserve moves those faults to its
/// own thread: it keeps `headroom` bytes written ahead of what has been handed out, and the
/// hot path takes from that ready region with one compare-and-swap, without a lock, a system
/// call or a page fault. When the ready region is empty (the session allocates faster than
/// the thread can write pages, or the reserve was never started) `try_allocate` returns
/// null and the caller uses the ordinary allocator: the reserve only ever removes stalls.
///
/// It is a bump allocator over one large range reserved without commitment. Blocks are given
/// back with release(); when every block handed out has been released (a session and its
/// result are gone, as between two drill trials or two tests) the next allocation starts
/// from the beginning again, over pages that are already written. A block is never reused
/// while any other block is live: a session's per-order records live until its pack is
/// written, so within a session memory only grows, as it would with any allocator.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

namespace peak::infra {

class page_reserve {
public:
  struct stats {
    bool running = false;
    std::size_t capacity_bytes = 0;    ///< address range reserved
    std::size_t headroom_bytes = 0;    ///< written ahead of what is handed out (target)
    std::size_t handed_out_bytes = 0;  ///< taken by try_allocate since the range was last empty
    std::size_t live_blocks = 0;       ///< handed out and not released
    std::uint64_t total_handed_out_bytes = 0;  ///< taken by try_allocate, ever
    std::size_t touched_bytes = 0;             ///< written by the background thread
    std::uint64_t misses = 0;                  ///< try_allocate calls that found too little ready
  };

  /// The process's reserve (one per process: the hypervisor's cost is per address space).
  static page_reserve& instance();

  /// Reserves the address range (once) and starts the background thread, or raises the
  /// headroom of a running one. Returns false when the range cannot be mapped; allocations
  /// then keep falling back to the ordinary allocator.
  bool start(std::size_t headroom_bytes);
  /// Waits (sleeping, at most `timeout`) until the headroom is written: a session calls it
  /// before its first event so the first chunks do not race the thread. True when ready.
  bool wait_ready(std::chrono::milliseconds timeout) const;
  /// Stops and joins the background thread; memory handed out stays valid.
  void stop();

  /// `bytes` (rounded up to 64) of ready memory, aligned to 64, or null. Lock-free, no system
  /// call, never blocks; wakes the background thread when the ready region runs low.
  [[nodiscard]] void* try_allocate(std::size_t bytes) noexcept;
  /// Gives back a block of `bytes` (as asked of try_allocate; lock-free). The memory is
  /// reused once every block has been given back.
  void release(void* p, std::size_t bytes) noexcept;
  /// True when `p` came from try_allocate (such memory must not be given to `operator delete`).
  [[nodiscard]] bool owns(const void* p) const noexcept;
  [[nodiscard]] stats snapshot() const noexcept;

  page_reserve(const page_reserve&) = delete;
  page_reserve& operator=(const page_reserve&) = delete;
  ~page_reserve();

  /// Test seam: a reserve of its own, with a smaller range.
  explicit page_reserve(std::size_t capacity_bytes) noexcept : capacity_(capacity_bytes) {}

private:
  void run();
  void wake() noexcept;

  const std::size_t capacity_;
  std::atomic<char*> base_{nullptr};
  /// Bytes handed out since the range was last empty (high 40 bits) and blocks live (low
  /// 24 bits), in one word so that "the last block was released, start again from 0" cannot
  /// race with an allocation.
  std::atomic<std::uint64_t> state_{0};
  std::atomic<std::size_t> touched_{0};
  std::atomic<std::size_t> headroom_{0};
  std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> total_{0};
  std::atomic<bool> wake_requested_{false};
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;  ///< start/stop and the background thread's sleep only
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace peak::infra

namespace peak::broker {
/// Former home, kept until engine/, actors/ and bench/ spell it infra::page_reserve.
using infra::page_reserve;
}  // namespace peak::broker
