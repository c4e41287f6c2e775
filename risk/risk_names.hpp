#pragma once
/// Stable snake_case names for risk enums (metric labels, CSVs, audit records).

#include "messages/risk_decisions.hpp"
#include "risk/risk_gate.hpp"

namespace peak::risk {

/// Full-word snake_case name of a deny reason, e.g. "max_order_notional".
[[nodiscard]] constexpr const char* to_string(deny_reason reason) noexcept {
  switch (reason) {
    case deny_reason::none:
      return "none";
    case deny_reason::max_order_notional:
      return "max_order_notional";
    case deny_reason::total_exposure:
      return "total_exposure";
    case deny_reason::daily_loss:
      return "daily_loss";
    case deny_reason::max_open_positions:
      return "max_open_positions";
    case deny_reason::order_rate_second:
      return "order_rate_second";
    case deny_reason::order_rate_minute:
      return "order_rate_minute";
    case deny_reason::price_band:
      return "price_band";
    case deny_reason::stale_market_data:
      return "stale_market_data";
    case deny_reason::trading_state_reducing:
      return "trading_state_reducing";
    case deny_reason::trading_state_halted:
      return "trading_state_halted";
    case deny_reason::kill_switch:
      return "kill_switch";
    case deny_reason::unknown_instrument:
      return "unknown_instrument";
    case deny_reason::missing_input:
      return "missing_input";
    case deny_reason::invalid_order:
      return "invalid_order";
    case deny_reason::internal_error:
      return "internal_error";
  }
  return "unknown";
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
