#include "actors/replay_pacer.hpp"

#include <algorithm>
#include <chrono>

#include "observability/steady_clock.hpp"

namespace peak::actors {
namespace {

constexpr std::int64_t max_sleep_ns = 1'000'000;  ///< re-check at least every 1 ms
constexpr auto idle_poll = std::chrono::microseconds(20);
constexpr int idle_polls_before_blocking = 1'000;  ///< ~20 ms of light polling when idle

}  // namespace

replay_pacer::replay_pacer(std::function<void()> wake)
    : wake_(std::move(wake)), thread_([this] { run(); }) {}

replay_pacer::~replay_pacer() {
  stop();
}

void replay_pacer::wake_at(std::int64_t steady_ns) noexcept {
  due_.store(std::max<std::int64_t>(steady_ns, 1));
  if (sleeping_.load()) {
    std::lock_guard<std::mutex> lock(mutex_);
    cv_.notify_one();
  }
}

void replay_pacer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  cv_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void replay_pacer::run() {
  int idle = 0;
  while (!stop_.load()) {
    std::int64_t due = due_.load();
    if (due == 0) {
      if (idle < idle_polls_before_blocking) {
        ++idle;
        std::this_thread::sleep_for(idle_poll);
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      sleeping_.store(true);
      cv_.wait_for(lock, std::chrono::milliseconds(10),
                   [this] { return due_.load() != 0 || stop_.load(); });
      sleeping_.store(false);
      continue;
    }
    idle = 0;
    const std::int64_t now = observability::steady_now_ns();
    if (due > now) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(due - now, max_sleep_ns)));
      continue;
    }
    if (due_.compare_exchange_strong(due, 0))
      wake_();
  }
}

}  // namespace peak::actors
