#pragma once
/// The halt gate: one cache-line-aligned atomic read by the risk gate and execution
/// immediately before any order leaves. Once closed, no order passes until re-armed.
///
/// Sending an order is bracketed by try_enter() / leave(). close() marks the gate closed and
/// then waits for the (at most a few) permits already granted, so when close() returns no
/// order is being sent and none can start: "from the instant it closes, no order is sent",
/// under any interleaving (Dekker-style: both sides use sequentially consistent operations).

#include <atomic>
#include <cstdint>

namespace peak::risk {

class halt_gate {
public:
  /// True while orders may leave (advisory read for checks that send nothing).
  [[nodiscard]] bool open() const noexcept { return state_.load(std::memory_order_seq_cst) == 0; }

  /// Asks to send one order. True: the gate was open and stays open until leave(). False:
  /// closed, send nothing. Every true must be paired with exactly one leave().
  [[nodiscard]] bool try_enter() const noexcept {
    in_flight_.fetch_add(1, std::memory_order_seq_cst);
    if (state_.load(std::memory_order_seq_cst) != 0) {
      in_flight_.fetch_sub(1, std::memory_order_seq_cst);
      return false;
    }
    return true;
  }

  /// Ends a send started by a successful try_enter().
  void leave() const noexcept { in_flight_.fetch_sub(1, std::memory_order_seq_cst); }

  /// Closes the gate and waits until no send is in progress. Returns true if this call closed
  /// it (first trigger wins); false if it was already closed.
  bool close(std::uint64_t halt_id) noexcept {
    const bool first = begin_close(halt_id);
    wait_idle();
    return first;
  }

  /// First half of close(): marks the gate closed (the cut: no try_enter succeeds after it).
  bool begin_close(std::uint64_t halt_id) noexcept {
    std::uint64_t expected = 0;
    return state_.compare_exchange_strong(expected, halt_id == 0 ? 1 : halt_id,
                                          std::memory_order_seq_cst);
  }

  /// Second half of close(): waits for permits granted before the cut.
  void wait_idle() const noexcept {
    while (in_flight_.load(std::memory_order_seq_cst) != 0) {
      // A send that entered before the cut finishes in nanoseconds; spin.
    }
  }

  /// Id of the halt that closed the gate, 0 while open.
  [[nodiscard]] std::uint64_t halt_id() const noexcept {
    return state_.load(std::memory_order_seq_cst);
  }

  /// Re-opens the gate. Only the kill switch's audited re-arm path calls this.
  void rearm() noexcept { state_.store(0, std::memory_order_seq_cst); }

  /// A new halt id (1, 2, ...), for whoever is about to close the gate. Any thread.
  [[nodiscard]] std::uint64_t next_halt_id() noexcept {
    return issued_.fetch_add(1, std::memory_order_relaxed) + 1;
  }

private:
  alignas(64) std::atomic<std::uint64_t> state_{0};
  alignas(64) mutable std::atomic<std::uint32_t> in_flight_{0};
  char pad_[64 - sizeof(std::atomic<std::uint32_t>)] = {};
  std::atomic<std::uint64_t> issued_{0};
};

/// RAII permit around one order send.
class halt_gate_permit {
public:
  explicit halt_gate_permit(const halt_gate* gate) noexcept
      : gate_(gate), granted_(gate == nullptr || gate->try_enter()) {}
  ~halt_gate_permit() {
    if (granted_ && gate_ != nullptr)
      gate_->leave();
  }
  halt_gate_permit(const halt_gate_permit&) = delete;
  halt_gate_permit& operator=(const halt_gate_permit&) = delete;
  [[nodiscard]] bool granted() const noexcept { return granted_; }

private:
  const halt_gate* gate_;
  bool granted_;
};

}  // namespace peak::risk
