#pragma once
/// Kill-switch tripwires evaluated inside the pipeline, in event time, at execution: the
/// first stage that sees every event, fill and broker snapshot, so a halt lands at the same
/// event in the reference loop and the actor graph.

#include <cstdint>

#include "broker/reconciler.hpp"
#include "config/session_config.hpp"
#include "messages/account.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"

namespace peak::engine {

/// Tripwire limits, from the config.
struct tripwires {
  std::uint32_t broker_reject_burst = 3;  ///< broker rejections in a row that halt
  money max_daily_loss;                   ///< equity drop from the day's start that halts
  std::int64_t stale_after_ns = 0;        ///< event-time gap in the feed that halts (0 = off)
};

/// The tripwires a session config implies.
[[nodiscard]] tripwires make_tripwires(const config::session_config& config) noexcept;

/// The expected book the tripwires judge (the reconciler core fed exactly what the recorder
/// is fed, in the same order), plus the equity at the start of each UTC trading day.
class tripwire_book {
public:
  tripwire_book(money starting_cash, std::uint32_t instruments, bool shadow);
  void on_market(const market_event& event) noexcept;
  void on_approved(const submit_order& order) noexcept;
  void on_report(const execution_report& report) noexcept { book_.on_report(report); }
  [[nodiscard]] broker::reconcile_result check(const account_snapshot& broker) const {
    return book_.check(broker);
  }
  /// Equity lost since the first event of the current UTC day (event time), >= 0.
  [[nodiscard]] money daily_drawdown() const noexcept;
  [[nodiscard]] const broker::reconciler& book() const noexcept { return book_; }

private:
  broker::reconciler book_;
  bool shadow_;
  std::int64_t day_ = -1;
  money day_start_equity_;
};

}  // namespace peak::engine
