#pragma once
/// Execution core: accepts only risk-approved orders, checks the halt gate immediately
/// before sending, tracks each order through its state machine, rate-limits toward the
/// broker, and can cancel everything open.

#include <cstdint>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "messages/order_events.hpp"
#include "messages/risk_decisions.hpp"
#include "risk/halt_gate.hpp"

namespace peak::broker {

class execution_engine {
public:
  execution_engine(broker_adapter& broker, const risk::halt_gate* gate);
  /// Sends an approved order. False (and nothing sent) if the approval is invalid, the
  /// gate is closed, or the client order id was already sent (idempotent).
  bool on_approved(const approved_order& order) noexcept;
  /// Feeds market data to the broker, applies the reports it produced to the order
  /// state machine and appends them to `out`.
  std::size_t on_market(const market_event& event, std::vector<execution_report>& out);
  /// Cancels every open order; returns how many cancels were sent.
  std::size_t cancel_all(std::uint64_t causation_id, timestamp_ns now);
  [[nodiscard]] std::uint64_t orders_sent() const noexcept;
  [[nodiscard]] std::size_t open_orders() const noexcept;
};

}  // namespace peak::broker
