#pragma once
/// The halt gate: one cache-line-aligned atomic read by the risk gate and execution
/// immediately before any order leaves. Once closed, no order passes until re-armed.

#include <atomic>
#include <cstdint>

namespace peak::risk {

class halt_gate {
public:
  /// True while orders may leave. Acquire pairs with the release in close().
  [[nodiscard]] bool open() const noexcept {
    return state_.load(std::memory_order_acquire) == 0;
  }

  /// Closes the gate; returns true if this call closed it (first trigger wins).
  bool close(std::uint64_t halt_id) noexcept {
    std::uint64_t expected = 0;
    return state_.compare_exchange_strong(expected, halt_id == 0 ? 1 : halt_id,
                                          std::memory_order_acq_rel);
  }

  /// Id of the halt that closed the gate, 0 while open.
  [[nodiscard]] std::uint64_t halt_id() const noexcept {
    return state_.load(std::memory_order_acquire);
  }

  /// Re-opens the gate. Only the kill switch's audited re-arm path calls this.
  void rearm() noexcept { state_.store(0, std::memory_order_release); }

private:
  alignas(64) std::atomic<std::uint64_t> state_{0};
  char pad_[64 - sizeof(std::atomic<std::uint64_t>)] = {};
};

}  // namespace peak::risk
