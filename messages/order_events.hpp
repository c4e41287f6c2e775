#pragma once
/// Execution reports from the broker (events, past tense).

#include <cstdint>

#include "messages/common.hpp"
#include "messages/fixed_point.hpp"

namespace peak {

enum class report_kind : std::uint8_t {
  accepted = 0,
  partially_filled = 1,
  filled = 2,
  cancelled = 3,
  rejected = 4,
  expired = 5,
};

/// One execution report for one order.
struct execution_report {
  std::uint64_t client_order_id = 0;
  std::uint64_t broker_order_id = 0;
  std::uint64_t report_id = 0;  ///< broker's unique id for this report (dedupes replays)
  instrument_id instrument = no_instrument;
  side direction = side::buy;
  report_kind kind = report_kind::accepted;
  std::uint16_t reject_code = 0;  ///< broker reason when rejected
  timestamp_ns ts_event = 0;      ///< broker event time
  quantity last_qty;              ///< this fill
  price last_px;                  ///< this fill
  quantity cum_qty;               ///< filled so far
  quantity leaves_qty;            ///< still open
  money fee;                      ///< fee of this fill
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, execution_report& x) {
  return f(x.client_order_id, x.broker_order_id, x.report_id, x.instrument, x.direction, x.kind,
           x.reject_code, x.ts_event, x.last_qty, x.last_px, x.cum_qty, x.leaves_qty, x.fee);
}

/// Why execution refused an approved order before it left: the `reject_code` of its local
/// `rejected` report (venue codes are below 1000).
enum class local_reject : std::uint16_t {
  halted = 1001,            ///< the halt gate was closed when the order would leave
  invalid_approval = 1002,  ///< the approval's seal does not match the order
  flatten_refused = 1003,   ///< a flatten-on-halt order outside its halt, or not reducing
};

/// The report code of a local rejection.
[[nodiscard]] constexpr std::uint16_t code_of(local_reject r) noexcept {
  return static_cast<std::uint16_t>(r);
}

/// True when `reject_code` is a local rejection: the order never reached the broker.
[[nodiscard]] constexpr bool is_local_reject(std::uint16_t reject_code) noexcept {
  return reject_code >= code_of(local_reject::halted) &&
         reject_code <= code_of(local_reject::flatten_refused);
}

}  // namespace peak
