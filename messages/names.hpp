#pragma once
/// Stable snake_case names of message enums, for CSVs, audit records and metric labels.

#include <cstdint>

#include "messages/common.hpp"
#include "messages/control.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"
#include "messages/outlook.hpp"
#include "messages/risk_decisions.hpp"

namespace peak {

constexpr const char* name_of(side s) noexcept {
  return s == side::buy ? "buy" : "sell";
}

constexpr const char* name_of(order_type t) noexcept {
  return t == order_type::market ? "market" : "limit";
}

constexpr const char* name_of(event_kind k) noexcept {
  switch (k) {
    case event_kind::trade:
      return "trade";
    case event_kind::quote:
      return "quote";
    case event_kind::bar:
      return "bar";
    case event_kind::book:
      return "book";
  }
  return "unknown";
}

constexpr const char* name_of(regime r) noexcept {
  switch (r) {
    case regime::neutral:
      return "neutral";
    case regime::bull:
      return "bull";
    case regime::bear:
      return "bear";
  }
  return "unknown";
}

constexpr const char* name_of(report_kind k) noexcept {
  switch (k) {
    case report_kind::accepted:
      return "accepted";
    case report_kind::partially_filled:
      return "partially_filled";
    case report_kind::filled:
      return "filled";
    case report_kind::cancelled:
      return "cancelled";
    case report_kind::rejected:
      return "rejected";
    case report_kind::expired:
      return "expired";
  }
  return "unknown";
}

constexpr const char* name_of(deny_reason r) noexcept {
  switch (r) {
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
    case deny_reason::nothing_to_reduce:
      return "nothing_to_reduce";
  }
  return "unknown";
}

/// Unit of an order_denied's observed/limit: "money", "quantity", "count", "bps" or
/// "seconds"; "" where the reason has no value (both are 0: print neither).
constexpr const char* deny_value_unit(deny_reason r) noexcept {
  switch (r) {
    case deny_reason::max_order_notional:
    case deny_reason::total_exposure:
    case deny_reason::daily_loss:
      return "money";
    case deny_reason::max_open_positions:
    case deny_reason::order_rate_second:
    case deny_reason::order_rate_minute:
    case deny_reason::internal_error:
      return "count";
    case deny_reason::price_band:
      return "bps";
    case deny_reason::stale_market_data:
      return "seconds";
    case deny_reason::nothing_to_reduce:
      return "quantity";
    case deny_reason::none:
    case deny_reason::trading_state_reducing:
    case deny_reason::trading_state_halted:
    case deny_reason::kill_switch:
    case deny_reason::unknown_instrument:
    case deny_reason::missing_input:
    case deny_reason::invalid_order:
      return "";
  }
  return "";
}

constexpr const char* name_of(halt_reason r) noexcept {
  switch (r) {
    case halt_reason::operator_command:
      return "operator_command";
    case halt_reason::daily_loss:
      return "daily_loss";
    case halt_reason::reconciler_tripwire:
      return "reconciler_tripwire";
    case halt_reason::broker_errors:
      return "broker_errors";
    case halt_reason::stale_data:
      return "stale_data";
    case halt_reason::risk_breach:
      return "risk_breach";
    case halt_reason::drill:
      return "drill";
  }
  return "unknown";
}

constexpr const char* name_of(stage s) noexcept {
  switch (s) {
    case stage::market_data:
      return "market_data";
    case stage::outlook:
      return "outlook";
    case stage::advisory:
      return "advisory";
    case stage::risk_gate:
      return "risk_gate";
    case stage::execution:
      return "execution";
    case stage::reconciler:
      return "reconciler";
    case stage::kill_switch:
      return "kill_switch";
  }
  return "unknown";
}

/// Name of quality flag bit `bit` (0..9).
constexpr const char* quality_flag_name(unsigned bit) noexcept {
  constexpr const char* names[] = {"gap",        "stale",       "out_of_order", "duplicate",
                                   "crossed",    "locked",      "bad_price",    "bad_size",
                                   "price_jump", "sequence_gap"};
  return bit < 10 ? names[bit] : "unknown";
}

}  // namespace peak
