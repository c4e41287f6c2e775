#pragma once
/// Identifiers and time shared by every message family.

#include <cstdint>

namespace peak {

/// Nanoseconds since the Unix epoch, UTC. Event time unless a field says wall-clock.
using timestamp_ns = std::int64_t;

/// Index of an instrument in the session's instrument table (config order).
using instrument_id = std::uint32_t;

inline constexpr instrument_id no_instrument = 0xFFFF'FFFFu;

/// Order side.
enum class side : std::uint8_t { buy = 0, sell = 1 };

/// Aggressor side of a trade, when the feed tells it.
enum class aggressor : std::uint8_t { unknown = 0, buyer = 1, seller = 2 };

}  // namespace peak
