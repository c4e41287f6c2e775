#pragma once
/// Broker adapter interface. Implementations: paper_broker (simulated fills in event
/// time), null_broker (shadow mode: records intended orders, sends nothing).

#include <cstddef>
#include <vector>

#include "messages/account.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"

namespace peak::broker {

class broker_adapter {
public:
  virtual ~broker_adapter() = default;
  /// Sends an order. Reports arrive later through poll().
  virtual void submit(const submit_order& order) = 0;
  virtual void cancel(const cancel_order& order) = 0;
  /// Advances the simulated venue with market data (event time): fills, latency, expiry.
  virtual void on_market(const market_event& event) = 0;
  /// Moves reports produced so far into `out` (appends). Returns the number appended.
  virtual std::size_t poll(std::vector<execution_report>& out) = 0;
  /// The broker's own view of the account, for reconciliation.
  [[nodiscard]] virtual account_snapshot snapshot() const = 0;
};

}  // namespace peak::broker
