#pragma once
/// Reconciler core: keeps the expected book (orders, fills, positions, cash, fees) from
/// execution reports and compares it with the broker's own snapshot. A breach is a tripwire.

#include <cstdint>
#include <string>
#include <vector>

#include "messages/account.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"

namespace peak::broker {

struct reconcile_result {
  bool ok = true;
  std::string breach;  ///< which invariant failed, with the differing values
};

class reconciler {
public:
  reconciler(money starting_cash, std::uint32_t instruments);
  void on_report(const execution_report& report) noexcept;
  /// Marks for unrealised PnL.
  void on_market(const market_event& event) noexcept;
  /// Compares the expected book with the broker's snapshot.
  reconcile_result check(const account_snapshot& broker) const;
  [[nodiscard]] account_snapshot expected() const;
  [[nodiscard]] money equity() const noexcept;  ///< cash + marked positions
};

}  // namespace peak::broker
