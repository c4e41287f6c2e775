#pragma once
/// Stable snake_case names for risk enums (metric labels, CSVs, audit records).

#include "messages/names.hpp"
#include "messages/risk_decisions.hpp"
#include "risk/risk_gate.hpp"

namespace peak::risk {

/// Full-word snake_case name of a deny reason, e.g. "max_order_notional".
[[nodiscard]] constexpr const char* to_string(deny_reason reason) noexcept {
  return name_of(reason);
}

/// "active", "reducing" or "halted".
[[nodiscard]] constexpr const char* to_string(trading_state state) noexcept {
  switch (state) {
    case trading_state::active:
      return "active";
    case trading_state::reducing:
      return "reducing";
    case trading_state::halted:
      return "halted";
  }
  return "unknown";
}

}  // namespace peak::risk
