#pragma once
/// L5 risk gate core: hard pre-trade limits, fail-closed. Every intent gets exactly one
/// decision: an approved_order (sealed by approval_issuer) or an order_denied with a reason.

#include <array>
#include <cstdint>
#include <vector>

#include "messages/instrument.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/risk_decisions.hpp"
#include "risk/halt_gate.hpp"

namespace peak::risk {

/// Trading state: active, reducing (only position-reducing orders pass) or halted.
enum class trading_state : std::uint8_t { active = 0, reducing = 1, halted = 2 };

/// Limits fixed at session start (bounded-live phase-1 defaults). There is no setter:
/// enforce_limits is always true and allow_override always false.
struct risk_limits {
  money max_order_notional = money{50 * fixed_scale};
  money max_total_exposure = money{500 * fixed_scale};
  money max_daily_loss = money{100 * fixed_scale};
  std::uint32_t max_open_positions = 3;
  std::uint32_t max_orders_per_second = 5;
  std::uint32_t max_orders_per_minute = 60;
  std::int64_t price_band_bps = 500;            ///< max distance of entry ref from last/mid
  std::int64_t stale_after_ns = 5'000'000'000;  ///< market data older than this denies
  std::int64_t trading_day_offset_ns = 0;       ///< trading day boundary vs UTC midnight
};

/// Result of one check: exactly one of `order` (approved) or `denied` is meaningful.
struct risk_decision {
  bool approved = false;
  approved_order order;
  order_denied denied;
};

class risk_gate {
public:
  risk_gate(const risk_limits& limits, std::vector<instrument_spec> instruments,
            const halt_gate* gate, std::uint64_t session_tag);
  /// Marks, staleness and price-band references from market data (event time).
  void on_market(const market_event& event) noexcept;
  /// Decides one intent. Never throws; any missing input or internal error denies.
  risk_decision check(const trade_intent& intent) noexcept;
  /// Learns of fills / cancels / rejects (releases reserved exposure on terminal reports).
  void on_report(const execution_report& report) noexcept;
  void set_trading_state(trading_state state) noexcept;
  [[nodiscard]] trading_state state() const noexcept;
  /// Denials so far, indexed by deny_reason.
  [[nodiscard]] const std::array<std::uint64_t, deny_reason_count>& denials() const noexcept;
  [[nodiscard]] std::uint64_t approvals() const noexcept;
};

}  // namespace peak::risk
