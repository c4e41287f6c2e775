#pragma once
/// The order state machine: states, events and the transition table. An event that has no
/// entry for the current state is illegal: execution refuses it, counts it and never applies
/// it. Documented in docs/EXECUTION.md.

#include <array>
#include <cstdint>

#include "messages/names.hpp"
#include "messages/order_events.hpp"

namespace peak::broker {

/// Lifecycle state of one order.
enum class order_state : std::uint8_t {
  new_order = 0,         ///< approved, not yet sent (rate limit, disconnected)
  submitted = 1,         ///< sent to the broker, no report yet
  accepted = 2,          ///< acknowledged by the broker
  partially_filled = 3,  ///< some quantity filled, rest open
  filled = 4,            ///< terminal
  cancel_pending = 5,    ///< cancel sent, not yet confirmed
  cancelled = 6,         ///< terminal
  rejected = 7,          ///< terminal
  expired = 8,           ///< terminal
};

inline constexpr std::size_t order_state_count = 9;

/// What happened to an order (a broker report or a local action).
enum class order_event : std::uint8_t {
  send = 0,            ///< handed to the broker
  accept = 1,          ///< report: accepted
  partial_fill = 2,    ///< report: partially_filled
  fill = 3,            ///< report: filled
  cancel_request = 4,  ///< local: cancel asked for
  cancel = 5,          ///< report: cancelled (or local cancel of an unsent order)
  reject = 6,          ///< report: rejected (or local reject of an unsent order)
  expire = 7,          ///< report: expired
};

inline constexpr std::size_t order_event_count = 8;

/// True for filled, cancelled, rejected and expired.
[[nodiscard]] constexpr bool is_terminal(order_state s) noexcept {
  return s == order_state::filled || s == order_state::cancelled || s == order_state::rejected ||
         s == order_state::expired;
}

/// True while the order may still trade or still needs a broker answer.
[[nodiscard]] constexpr bool is_open(order_state s) noexcept {
  return !is_terminal(s);
}

/// The report kind's event.
[[nodiscard]] constexpr order_event event_of(report_kind k) noexcept {
  switch (k) {
    case report_kind::accepted:
      return order_event::accept;
    case report_kind::partially_filled:
      return order_event::partial_fill;
    case report_kind::filled:
      return order_event::fill;
    case report_kind::cancelled:
      return order_event::cancel;
    case report_kind::rejected:
      return order_event::reject;
    case report_kind::expired:
      return order_event::expire;
  }
  return order_event::reject;
}

namespace detail {
inline constexpr std::uint8_t illegal = 0xFF;
constexpr std::uint8_t s(order_state x) {
  return static_cast<std::uint8_t>(x);
}
using row = std::array<std::uint8_t, order_event_count>;
constexpr std::uint8_t x_ = illegal;
// Columns: send, accept, partial_fill, fill, cancel_request, cancel, reject, expire.
inline constexpr std::array<row, order_state_count> transitions{{
    /* new_order        */ {s(order_state::submitted), x_, x_, x_, s(order_state::cancelled),
                            s(order_state::cancelled), s(order_state::rejected), x_},
    /* submitted        */
    {x_, s(order_state::accepted), s(order_state::partially_filled), s(order_state::filled),
     s(order_state::cancel_pending), s(order_state::cancelled), s(order_state::rejected),
     s(order_state::expired)},
    /* accepted         */
    {x_, x_, s(order_state::partially_filled), s(order_state::filled),
     s(order_state::cancel_pending), s(order_state::cancelled), x_, s(order_state::expired)},
    /* partially_filled */
    {x_, x_, s(order_state::partially_filled), s(order_state::filled),
     s(order_state::cancel_pending), s(order_state::cancelled), x_, s(order_state::expired)},
    /* filled           */ {x_, x_, x_, x_, x_, x_, x_, x_},
    /* cancel_pending   */
    {x_, s(order_state::cancel_pending), s(order_state::cancel_pending), s(order_state::filled), x_,
     s(order_state::cancelled), s(order_state::rejected), s(order_state::expired)},
    /* cancelled        */ {x_, x_, x_, x_, x_, x_, x_, x_},
    /* rejected         */ {x_, x_, x_, x_, x_, x_, x_, x_},
    /* expired          */ {x_, x_, x_, x_, x_, x_, x_, x_},
}};
}  // namespace detail

/// Next state for `e` in state `s`; false (and `next` untouched) if the transition is illegal.
[[nodiscard]] constexpr bool transition(order_state s, order_event e, order_state& next) noexcept {
  const auto si = static_cast<std::size_t>(s);
  const auto ei = static_cast<std::size_t>(e);
  if (si >= order_state_count || ei >= order_event_count)
    return false;
  const std::uint8_t n = detail::transitions[si][ei];
  if (n == detail::illegal)
    return false;
  next = static_cast<order_state>(n);
  return true;
}

/// "new", "submitted", "accepted", "partially_filled", "filled", "cancel_pending",
/// "cancelled", "rejected", "expired".
[[nodiscard]] constexpr const char* to_string(order_state s) noexcept {
  switch (s) {
    case order_state::new_order:
      return "new";
    case order_state::submitted:
      return "submitted";
    case order_state::accepted:
      return "accepted";
    case order_state::partially_filled:
      return "partially_filled";
    case order_state::filled:
      return "filled";
    case order_state::cancel_pending:
      return "cancel_pending";
    case order_state::cancelled:
      return "cancelled";
    case order_state::rejected:
      return "rejected";
    case order_state::expired:
      return "expired";
  }
  return "unknown";
}

/// Snake_case name of an order event.
[[nodiscard]] constexpr const char* to_string(order_event e) noexcept {
  switch (e) {
    case order_event::send:
      return "send";
    case order_event::accept:
      return "accept";
    case order_event::partial_fill:
      return "partial_fill";
    case order_event::fill:
      return "fill";
    case order_event::cancel_request:
      return "cancel_request";
    case order_event::cancel:
      return "cancel";
    case order_event::reject:
      return "reject";
    case order_event::expire:
      return "expire";
  }
  return "unknown";
}

/// "accepted", "partially_filled", "filled", "cancelled", "rejected", "expired".
[[nodiscard]] constexpr const char* to_string(report_kind k) noexcept {
  return name_of(k);
}

}  // namespace peak::broker
