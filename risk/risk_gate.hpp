#pragma once
/// L5 risk gate core: hard pre-trade limits, fail-closed. Every intent gets exactly one
/// decision: an approved_order (sealed by approval_issuer) or an order_denied with a reason.
///
/// The gate keeps a *committed* book: every order it approves is assumed filled at its entry
/// reference the moment it is approved; a terminal report (cancelled / rejected / expired)
/// releases the unfilled part. Decisions therefore do not depend on when fills arrive, and
/// the same sequence of calls gives the same decisions. See docs/RISK.md.

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
  /// Orders approved and not yet terminal that the gate can track (fixed at start; a full
  /// table denies with internal_error rather than allocate).
  std::uint32_t max_tracked_orders = 1024;
};

/// Result of one check: exactly one of `order` (approved) or `denied` is meaningful.
struct risk_decision {
  bool approved = false;
  approved_order order;
  order_denied denied;
};

/// Intent ids (and client-order-id sequences) of flatten-on-halt orders start here: the top
/// 1/256 of the 40-bit sequence space, which strategies' intent counters never reach.
inline constexpr std::uint64_t flatten_intent_base = 0xFF'0000'0000ull;

/// Largest quantity / price (raw) the gate accepts; anything larger is an invalid order.
inline constexpr std::int64_t max_sane_raw = 1'000'000'000 * fixed_scale;  // 1e9 units

/// The L5 gate: pure, single-threaded, allocation-free after construction.
class risk_gate {
public:
  /// `gate` may be null: then every check denies with kill_switch (fail-closed).
  risk_gate(const risk_limits& limits, std::vector<instrument_spec> instruments,
            const halt_gate* gate, std::uint64_t session_tag);
  /// Marks, staleness and price-band references from market data (event time).
  void on_market(const market_event& event) noexcept;
  /// Decides one intent. Never throws; any missing input or internal error denies.
  risk_decision check(const trade_intent& intent) noexcept;
  /// Flatten-on-halt: a market order that takes the committed position of `instrument` to
  /// zero, approved only while the halt gate is closed by `halt_id` and the state is halted.
  /// It bypasses nothing but the halt: the instrument needs fresh market data, no order of
  /// its own still open, room in the order rate limits and in the table (a reducing order
  /// has no size, exposure, position-count or daily-loss check, as in check()). A refusal
  /// is not counted as a denial: the caller tries again on later events. The order carries
  /// `flatten_halt_id` (sealed), so execution sends it past the closed gate of that halt only.
  risk_decision check_flatten(instrument_id instrument, std::uint64_t halt_id,
                              timestamp_ns ts_event) noexcept;
  /// Flatten-on-halt orders approved so far.
  [[nodiscard]] std::uint64_t flatten_approvals() const noexcept { return flatten_approvals_; }
  /// Learns of fills / cancels / rejects (releases reserved exposure on terminal reports).
  void on_report(const execution_report& report) noexcept;
  /// Active, reducing or halted (the engine sets it; it never changes by itself). Leaving
  /// `halted` also ends a halt told by on_halt().
  void set_trading_state(trading_state state) noexcept;
  /// The kill switch halted the session (halt `halt_id`): every check denies with kill_switch
  /// until re-armed. The gate learns of a halt only this way, at its place in the event stream,
  /// so its decisions never depend on when another thread closed the halt gate.
  void on_halt(std::uint64_t halt_id) noexcept;
  [[nodiscard]] trading_state state() const noexcept;
  /// Denials so far, indexed by deny_reason.
  [[nodiscard]] const std::array<std::uint64_t, deny_reason_count>& denials() const noexcept;
  [[nodiscard]] std::uint64_t approvals() const noexcept;

  /// The limits in force (a copy taken at construction; never changes).
  [[nodiscard]] const risk_limits& limits() const noexcept { return limits_; }
  /// Committed (approved, assumed filled) signed position of an instrument; 0 if unknown.
  [[nodiscard]] quantity committed_position(instrument_id instrument) const noexcept;
  /// Sum over instruments of |committed position| x mark.
  [[nodiscard]] money exposure() const noexcept;
  /// Realised + unrealised PnL of the committed book since the start of the trading day.
  [[nodiscard]] money daily_pnl() const noexcept;
  /// Instruments with a non-zero committed position.
  [[nodiscard]] std::uint32_t open_positions() const noexcept;
  /// Approved orders not yet terminal.
  [[nodiscard]] std::size_t tracked_orders() const noexcept { return tracked_.size(); }
  /// Latest event time seen (market data or intents).
  [[nodiscard]] timestamp_ns now() const noexcept { return now_; }

private:
  struct instrument_state {
    price last_trade;
    price bid;
    price ask;
    price mark;  ///< latest of last trade / mid; 0 = none yet
    timestamp_ns last_update = 0;
    bool has_data = false;
    std::int64_t position = 0;  ///< committed, signed, raw quantity
  };
  struct tracked_order {
    std::uint64_t client_order_id = 0;
    instrument_id instrument = no_instrument;
    std::int64_t signed_qty = 0;  ///< + buy, - sell
    std::int64_t ref_px = 0;
    std::int64_t cum_qty = 0;  ///< filled so far (from reports)
  };

  void advance(timestamp_ns ts) noexcept;
  [[nodiscard]] std::int64_t book_value() const noexcept;
  [[nodiscard]] std::int64_t exposure_with(instrument_id instrument,
                                           std::int64_t new_position) const noexcept;
  risk_decision deny(risk_decision& d, deny_reason reason, std::int64_t observed,
                     std::int64_t limit) noexcept;
  [[nodiscard]] bool rate_exceeded(std::uint32_t limit, std::int64_t window_ns) const noexcept;
  /// Commits an approved order and seals it (the last step of check / check_flatten).
  void commit(risk_decision& d, instrument_state& b, std::int64_t signed_qty,
              std::int64_t ref) noexcept;

  risk_limits limits_;
  std::vector<instrument_spec> instruments_;
  std::vector<instrument_state> books_;
  const halt_gate* gate_;
  std::uint64_t session_tag_;
  trading_state state_ = trading_state::active;
  std::uint64_t halt_id_ = 0;  ///< the halt told by on_halt(), 0 when none
  std::array<std::uint64_t, deny_reason_count> denials_{};
  std::uint64_t approvals_ = 0;
  std::uint64_t flatten_approvals_ = 0;
  timestamp_ns now_ = 0;
  std::int64_t day_ = 0;
  bool day_known_ = false;
  std::int64_t next_day_at_ = 0;     ///< shifted event time where the next trading day starts
  std::int64_t committed_cash_ = 0;  ///< cash flows of the committed book (raw money)
  std::int64_t day_start_value_ = 0;
  std::vector<tracked_order> tracked_;
  std::vector<timestamp_ns> approval_times_;  ///< ring of the latest approval event times
  std::size_t approval_head_ = 0;             ///< next slot to write
  std::uint64_t approval_count_ = 0;
};

}  // namespace peak::risk
