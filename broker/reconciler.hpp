#pragma once
/// Reconciler core: keeps the expected book (orders, fills, positions, cash, fees) from
/// execution reports and compares it with the broker's own snapshot. A breach is a tripwire.
/// Invariants and their tolerances are documented in docs/EXECUTION.md.

#include <cstdint>
#include <string>
#include <vector>

#include "infra/chunked_vector.hpp"
#include "infra/id_index.hpp"
#include "messages/account.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"

namespace peak::broker {

/// Which invariant a reconciliation breached.
enum class invariant : std::uint8_t {
  none = 0,
  position = 1,             ///< position != sum of fills (beyond what open orders explain)
  cash = 2,                 ///< cash != start - fills - fees
  fees = 3,                 ///< fees paid differ
  realised_pnl = 4,         ///< realised PnL differs
  two_terminal_states = 5,  ///< an order reported in two different terminal states
  exposure = 6,             ///< marked exposure above the limit (+ tolerance)
  unknown_order = 7,        ///< the broker has an order execution never sent
  unexplained_fill = 8,     ///< the broker reports fills the local record never saw
};

/// "none", "position", "cash", "fees", "realised_pnl", "two_terminal_states", "exposure",
/// "unknown_order", "unexplained_fill".
[[nodiscard]] const char* to_string(invariant i) noexcept;

/// Outcome of a reconciliation: ok, or the first invariant breached with its values.
struct reconcile_result {
  bool ok = true;
  std::string breach;  ///< which invariant failed, with the differing values
  invariant failed = invariant::none;
  instrument_id instrument = no_instrument;  ///< where it applies
  std::uint64_t client_order_id = 0;         ///< where it applies
  std::int64_t expected_raw = 0;             ///< local value (1e-8 units or a count)
  std::int64_t observed_raw = 0;             ///< broker value (1e-8 units or a count)
};

/// Expected book and invariant checks. Pure, single-threaded, event time only.
class reconciler {
public:
  reconciler(money starting_cash, std::uint32_t instruments);
  /// Books one execution report (every report, as the venue sent it; duplicates and
  /// out-of-order fills are handled here). Anomalies are kept for the next check().
  void on_report(const execution_report& report) noexcept;
  /// Marks for unrealised PnL.
  void on_market(const market_event& event) noexcept;
  /// Compares the expected book with the broker's snapshot.
  reconcile_result check(const account_snapshot& broker) const;
  [[nodiscard]] account_snapshot expected() const;
  [[nodiscard]] money equity() const noexcept;  ///< cash + marked positions
  /// Parts of expected() without building its position list (the hot path asks for these
  /// on every fill and equity sample; expected() allocates).
  [[nodiscard]] money cash() const noexcept { return cash_; }
  [[nodiscard]] money realised_pnl() const noexcept { return realised_; }
  [[nodiscard]] quantity position(instrument_id instrument) const noexcept {
    return quantity{instrument < positions_.size() ? positions_[instrument].qty : 0};
  }
  [[nodiscard]] std::uint32_t open_positions() const noexcept;

  /// Registers an order actually sent. Once any is registered, a report or a broker order
  /// for an unregistered client id is an unknown_order breach.
  void on_submit(const submit_order& order) noexcept;
  /// Enables the exposure invariant: marked exposure must stay within
  /// limit x (1 + tolerance_bps / 10,000). 0 disables (default).
  void set_exposure_limit(money limit, std::int64_t tolerance_bps = 1000) noexcept;
  /// How long (event time, broker snapshot clock) the broker's positions may lead the
  /// expected book by what open orders explain before it is a breach (a report that was
  /// lost rather than late). Default 5 s.
  void set_settle_window(std::int64_t ns) noexcept { settle_window_ns_ = ns; }
  /// Also compare realised PnL (off by default: average-cost realised PnL depends on the
  /// order fills are booked in, so a fill report delivered late legitimately changes it;
  /// cash, fees and positions do not depend on that order).
  void set_check_realised(bool on) noexcept { check_realised_ = on; }
  /// True when a scheduled check is due (at most once per `interval_ns` of event time);
  /// marks it done.
  [[nodiscard]] bool check_due(timestamp_ns now, std::int64_t interval_ns = 1'000'000'000) noexcept;
  /// Restart with open orders: rebuilds the expected book from the previous run's report
  /// journal, adopts the broker's open orders, and returns the first thing the journal
  /// cannot explain (unknown order, fills never seen, book mismatch), or ok.
  reconcile_result restart(const account_snapshot& broker,
                           const std::vector<execution_report>& broker_open_orders,
                           const std::vector<execution_report>& journal);
  /// Takes the broker's snapshot as the new baseline (operator-approved recovery).
  void adopt(const account_snapshot& broker);

  [[nodiscard]] std::uint64_t duplicate_reports() const noexcept { return duplicates_; }
  [[nodiscard]] std::uint64_t fill_gaps() const noexcept { return gaps_; }
  [[nodiscard]] std::uint64_t anomalies() const noexcept { return anomaly_count_; }
  /// Non-terminal orders in the expected book.
  [[nodiscard]] std::uint32_t open_orders() const noexcept;
  /// Marked exposure of the expected book.
  [[nodiscard]] money exposure() const noexcept;

private:
  struct order_entry {
    std::uint64_t client_order_id = 0;
    instrument_id instrument = no_instrument;
    side direction = side::buy;
    std::int64_t qty = 0;     ///< 0 = not known yet
    std::int64_t cum = 0;     ///< highest cum_qty reported (fills and the ending report)
    std::int64_t booked = 0;  ///< sum of the fills booked
    bool terminal = false;
    std::uint32_t open_slot = 0;  ///< position in open_ while open
    report_kind terminal_kind = report_kind::accepted;
  };
  struct position_entry {
    std::int64_t qty = 0;
    std::int64_t avg_px = 0;
    std::int64_t mark = 0;
  };
  struct anomaly {
    invariant failed = invariant::none;
    instrument_id instrument = no_instrument;
    std::uint64_t client_order_id = 0;
    std::int64_t expected = 0;
    std::int64_t observed = 0;
  };

  order_entry& entry_for(std::uint64_t client_order_id, instrument_id instrument, side direction);
  void book_fill(instrument_id instrument, side direction, std::int64_t qty, std::int64_t px,
                 std::int64_t fee) noexcept;
  void flag(invariant what, instrument_id instrument, std::uint64_t client_order_id,
            std::int64_t expected, std::int64_t observed) noexcept;
  static reconcile_result breach(invariant what, instrument_id instrument,
                                 std::uint64_t client_order_id, std::int64_t expected,
                                 std::int64_t observed);
  void reset();
  void close_order(std::uint32_t idx) noexcept;
  void settle(std::uint32_t idx) noexcept;

  money starting_cash_;
  money cash_;
  money fees_;
  money realised_;
  std::vector<position_entry> positions_;
  chunked_vector<order_entry> orders_;
  std::vector<std::uint32_t> open_;  ///< orders not over, or over with fills still to book
  id_index index_;
  id_index fill_ids_;  ///< report ids of fills already booked
  anomaly first_anomaly_;
  std::uint64_t anomaly_count_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t gaps_ = 0;
  bool tracking_submits_ = false;
  bool check_realised_ = false;
  money exposure_limit_;
  std::int64_t exposure_tolerance_bps_ = 1000;
  std::int64_t settle_window_ns_ = 5'000'000'000;
  mutable timestamp_ns mismatch_since_ = -1;
  mutable std::vector<std::int64_t> theirs_;  ///< scratch: broker position per instrument  ///<
                                              ///< first check where positions differed
  timestamp_ns last_check_ = 0;
  bool checked_once_ = false;
};

}  // namespace peak::broker
