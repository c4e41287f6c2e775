#pragma once
/// L5 risk gate output: approved_order (only risk/ can make a valid one) or order_denied.

#include <cstdint>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"
#include "messages/orders.hpp"

namespace peak {
namespace risk {
class approval_issuer;
}  // namespace risk

/// Why the risk gate refused an intent. Documented in docs/RISK.md; stable numbers.
enum class deny_reason : std::uint16_t {
  none = 0,
  max_order_notional = 1,
  total_exposure = 2,
  daily_loss = 3,
  max_open_positions = 4,
  order_rate_second = 5,
  order_rate_minute = 6,
  price_band = 7,
  stale_market_data = 8,
  trading_state_reducing = 9,
  trading_state_halted = 10,
  kill_switch = 11,
  unknown_instrument = 12,
  missing_input = 13,
  invalid_order = 14,
  internal_error = 15,
  nothing_to_reduce = 16,  ///< an exit (reduce if held) with no position on the other side
};

inline constexpr std::uint16_t deny_reason_count = 17;

/// The seal of the risk gate. A default-constructed approval is invalid; a valid one can
/// only be made by peak::risk::approval_issuer, so execution can accept nothing else.
class risk_approval {
public:
  risk_approval() = default;
  [[nodiscard]] bool valid() const { return decision_id_ != 0; }
  [[nodiscard]] std::uint64_t decision_id() const { return decision_id_; }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, risk_approval& x) {
    return f(x.decision_id_);
  }

private:
  friend class risk::approval_issuer;
  explicit risk_approval(std::uint64_t decision_id) : decision_id_(decision_id) {}
  std::uint64_t decision_id_ = 0;
};

/// An order the risk gate approved. Execution refuses one whose approval is invalid.
struct approved_order {
  submit_order order;
  risk_approval approval;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, approved_order& x) {
  return f(x.order, x.approval);
}

/// The risk gate refused an intent (event).
struct order_denied {
  std::uint64_t intent_id = 0;
  instrument_id instrument = no_instrument;
  timestamp_ns ts_event = 0;
  deny_reason reason = deny_reason::none;
  /// The value that breached and its limit, 1e-8 units of the reason's unit
  /// (deny_value_unit in messages/names.hpp); both 0 where it has none.
  money observed;
  money limit;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_denied& x) {
  return f(x.intent_id, x.instrument, x.ts_event, x.reason, x.observed, x.limit);
}

}  // namespace peak
