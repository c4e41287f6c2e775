#pragma once
/// Broker adapter interface. Implementations: paper_broker (simulated fills in event
/// time), null_broker (shadow mode: records intended orders, sends nothing).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "messages/account.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"

namespace peak::broker {

/// What execution needs from a venue. Implementations are single-threaded and event-timed.
class broker_adapter {
public:
  virtual ~broker_adapter() = default;
  /// Sends an order. Reports arrive later through poll(). A venue must treat a repeated
  /// client_order_id as the same order (idempotent), so a resend is always safe.
  virtual void submit(const submit_order& order) = 0;
  virtual void cancel(const cancel_order& order) = 0;
  /// Advances the simulated venue with market data (event time): fills, latency, expiry.
  virtual void on_market(const market_event& event) = 0;
  /// Moves reports produced so far into `out` (appends). Returns the number appended.
  virtual std::size_t poll(std::vector<execution_report>& out) = 0;
  /// The broker's own view of the account, for reconciliation.
  [[nodiscard]] virtual account_snapshot snapshot() const = 0;

  /// Same as snapshot(), reusing `out`'s storage (no allocation once warm).
  virtual void snapshot_into(account_snapshot& out) const { out = snapshot(); }
  /// False while the session to the venue is down: nothing submitted then would arrive.
  [[nodiscard]] virtual bool connected() const noexcept { return true; }
  /// Order status request: the venue's latest view of one order as a report (kind = its
  /// current state, cum/leaves quantities). False if the venue does not know the order.
  [[nodiscard]] virtual bool query_order(std::uint64_t client_order_id,
                                         execution_report& out) const {
    (void)client_order_id;
    (void)out;
    return false;
  }
  /// The venue's open orders (one status report each), appended to `out`: used to rebuild
  /// state after a restart. Returns the number appended.
  virtual std::size_t open_orders(std::vector<execution_report>& out) const {
    (void)out;
    return 0;
  }
};

}  // namespace peak::broker
