#pragma once
/// The one wall clock of the project: monotonic nanoseconds (CLOCK_MONOTONIC through
/// std::chrono::steady_clock), for latency measurement only, never for decisions.

#include <chrono>
#include <cstdint>

namespace peak::observability {

[[nodiscard]] inline std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A spin-wait hint to the CPU (x86 `pause`; nothing elsewhere).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace peak::observability
