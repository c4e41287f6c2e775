#pragma once
/// Wakes the market-data actor at the wall-clock instants a paced replay asks for, on a
/// thread of its own instead of CAF's clock. Asking costs the actor one atomic store, so the
/// bookkeeping for the next event never delays the batch it has just sent downstream (with
/// CAF's `delayed_send`, the clock's lock and wake-up ran between the send and the next
/// stage's turn on the same worker). CAF-free; the wake callback does the sending.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace peak::actors {

class replay_pacer {
public:
  /// `wake` runs on the pacer's thread once per wake_at() whose instant has come.
  explicit replay_pacer(std::function<void()> wake);
  ~replay_pacer();
  replay_pacer(const replay_pacer&) = delete;
  replay_pacer& operator=(const replay_pacer&) = delete;

  /// Asks for one wake at `steady_ns` (steady clock). A later call replaces an earlier one.
  void wake_at(std::int64_t steady_ns) noexcept;
  /// Stops the thread (idempotent); no wake runs after it returns.
  void stop();

private:
  void run();

  std::function<void()> wake_;
  std::atomic<std::int64_t> due_{0};  ///< 0 = nothing asked
  std::atomic<bool> stop_{false};
  std::atomic<bool> sleeping_{false};  ///< the thread waits on cv_ (idle for a while)
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace peak::actors
