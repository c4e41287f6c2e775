#pragma once
/// Execution core: accepts only risk-approved orders, checks the halt gate immediately
/// before sending, tracks each order through its state machine, rate-limits toward the
/// broker, and can cancel everything open. See docs/EXECUTION.md.

#include <array>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "infra/chunked_vector.hpp"
#include "infra/id_index.hpp"
#include "broker/order_state.hpp"
#include "messages/order_events.hpp"
#include "messages/risk_decisions.hpp"
#include "risk/halt_gate.hpp"

namespace peak::broker {

/// Report codes of execution's local rejections (messages/order_events.hpp: local_reject).
inline constexpr std::uint16_t reject_code_halted = code_of(local_reject::halted);
inline constexpr std::uint16_t reject_code_invalid_approval = code_of(local_reject::invalid_approval);
inline constexpr std::uint16_t reject_code_flatten_refused = code_of(local_reject::flatten_refused);

/// "halt_gate_closed", "invalid_approval", "flatten_refused", "broker_rejected" (any other
/// non-zero code), "".
[[nodiscard]] const char* reject_reason_name(std::uint16_t reject_code) noexcept;

/// Execution settings (event time throughout).
struct execution_config {
  std::uint32_t bucket_capacity = 10;           ///< token bucket: burst size
  std::uint32_t refill_per_second = 10;         ///< token bucket: tokens added per second
  std::int64_t ack_timeout_ns = 2'000'000'000;  ///< submitted with no report: ask the venue
  std::uint32_t max_resends = 3;                ///< resends of an order the venue never got
  std::int64_t backoff_ns = 250'000'000;        ///< first backoff; doubles per attempt
  std::uint32_t expected_orders = 4096;         ///< reserved up front
};

/// One order's lifecycle, for orders.csv.
struct order_record {
  submit_order order;
  order_state state = order_state::new_order;
  std::array<timestamp_ns, order_state_count> entered{};  ///< first event time per state
  std::uint16_t entered_mask = 0;                         ///< bit per state entered
  std::array<order_state, 12> path{};                     ///< states in order (repeats folded)
  std::uint8_t path_len = 0;
  std::uint64_t broker_order_id = 0;
  std::int64_t filled = 0;    ///< raw quantity booked from fill reports
  std::int64_t cum_seen = 0;  ///< highest cum_qty reported (fills and terminal reports)
  std::int64_t notional = 0;  ///< raw money, sum of fill qty x price
  money fees;
  std::uint16_t reject_code = 0;
  std::uint32_t sends = 0;         ///< times handed to the broker (1 + resends)
  std::uint32_t reports = 0;       ///< broker reports applied
  std::uint32_t refused = 0;       ///< illegal or duplicate reports for this order
  timestamp_ns deadline = -1;      ///< next timer: send retry or ack timeout; -1 none
  std::uint32_t cancel_sends = 0;  ///< cancels sent for this order (1 + resends)
  bool entered_state(order_state s) const noexcept {
    return (entered_mask & (1u << static_cast<unsigned>(s))) != 0;
  }
  /// Average fill price (raw), 0 if nothing filled.
  [[nodiscard]] std::int64_t average_price() const noexcept;
};

/// One fill, for trades.csv.
struct fill_record {
  timestamp_ns ts_event = 0;
  std::uint64_t client_order_id = 0;
  std::uint64_t intent_id = 0;
  std::uint64_t broker_order_id = 0;
  std::uint64_t report_id = 0;
  instrument_id instrument = no_instrument;
  side direction = side::buy;
  quantity qty;
  price px;
  money fee;
};

/// Execution counters (metrics).
struct execution_counters {
  std::uint64_t orders_sent = 0;        ///< distinct orders handed to the broker
  std::uint64_t resends = 0;            ///< safe resends of the same client id
  std::uint64_t queued = 0;             ///< orders that waited for a token / connection
  std::uint64_t invalid_approvals = 0;  ///< refused: seal missing or not for this order
  std::uint64_t duplicate_orders = 0;   ///< refused: client id already known
  std::uint64_t halted_rejects = 0;     ///< refused locally: halt gate closed
  std::uint64_t flatten_sent = 0;       ///< flatten-on-halt orders handed to the broker
  std::uint64_t flatten_refused = 0;    ///< flatten orders refused locally (see reject code)
  std::uint64_t illegal_transitions = 0;
  std::uint64_t duplicate_reports = 0;  ///< replayed fills / acks, ignored
  std::uint64_t unknown_reports = 0;    ///< reports for an order execution never sent
  std::uint64_t fill_gaps = 0;   ///< cum_qty != booked + this fill (out of order or lost report)
  std::uint64_t late_fills = 0;  ///< fills booked after the report that ended the order
  std::uint64_t timeouts = 0;    ///< ack timeouts (venue asked for the order's status)
  std::uint64_t settled_by_query = 0;  ///< orders whose state a status query settled
  std::uint64_t unresolved = 0;        ///< orders the venue never got after every resend
  std::uint64_t cancels_sent = 0;
  std::uint64_t cancel_resends = 0;  ///< cancels repeated because the venue still had it open
  std::array<std::uint64_t, order_state_count * order_event_count> illegal_by_pair{};
};

/// Order path after the risk gate: state machine, rate limit, safe retries, cancel-all.
class execution_engine {
public:
  execution_engine(broker_adapter& broker, const risk::halt_gate* gate);
  execution_engine(broker_adapter& broker, const risk::halt_gate* gate,
                   const execution_config& config);
  /// Sends an approved order. False (and nothing sent) if the approval is invalid (no
  /// valid seal for exactly this order: risk::approval_issuer::verify), the gate is closed
  /// (a flatten-on-halt order: its halt no longer holds the gate, or it reduces nothing),
  /// or the client order id was already seen (idempotent). An order that must wait for a
  /// token or the connection is queued (true). This overload produces no report for an
  /// immediate refusal: the caller records it.
  bool on_approved(const approved_order& order) noexcept;
  /// Same, but an immediate refusal appends a local `rejected` report to `out`
  /// (reject_code_halted / reject_code_invalid_approval; none for a duplicate id), which
  /// the caller routes to the risk gate (it releases what it committed) and reconciler.
  bool on_approved(const approved_order& order, std::vector<execution_report>& out) noexcept;
  /// Feeds market data to the broker, applies the reports it produced to the order
  /// state machine and appends them to `out`.
  std::size_t on_market(const market_event& event, std::vector<execution_report>& out);
  /// Advances event time without market data (timers, broker latency); appends reports.
  std::size_t on_time(timestamp_ns now, std::vector<execution_report>& out);
  /// Appends pending local reports and whatever the broker has ready, without new time.
  std::size_t drain(std::vector<execution_report>& out);
  /// Cancels every open order; returns how many cancels were sent (unsent orders are
  /// cancelled locally and counted too).
  std::size_t cancel_all(std::uint64_t causation_id, timestamp_ns now);
  /// Cancels one open order; false if unknown or already terminal / cancelling.
  bool cancel(std::uint64_t client_order_id, std::uint64_t causation_id, timestamp_ns now);
  /// Restart: adopts the broker's open orders (status reports) so they can be tracked and
  /// cancelled. Returns how many were adopted (ids already known are skipped).
  std::size_t restore(const std::vector<execution_report>& broker_open_orders);

  [[nodiscard]] std::uint64_t orders_sent() const noexcept;
  [[nodiscard]] std::size_t open_orders() const noexcept;
  [[nodiscard]] const execution_counters& counters() const noexcept { return counters_; }
  /// Every order execution has seen, in arrival order (chunked: never moves, never copied).
  [[nodiscard]] const chunked_vector<order_record>& orders() const noexcept { return records_; }
  /// The record of one order, or null.
  [[nodiscard]] const order_record* find(std::uint64_t client_order_id) const noexcept;
  /// Every fill booked, in report order.
  [[nodiscard]] const chunked_vector<fill_record>& fills() const noexcept { return fills_; }
  /// Writes orders.csv (header + one row per order). Not for the hot path.
  void write_orders_csv(std::ostream& out) const;
  /// Writes trades.csv (header + one row per fill). Not for the hot path.
  void write_trades_csv(std::ostream& out) const;

private:
  [[nodiscard]] bool gate_allows() const noexcept;  ///< advisory: gate open (no permit)
  /// A flatten order may leave: its halt still holds the gate closed and, with the fills
  /// booked and the other flatten orders still open, it reduces the position without
  /// flipping it.
  [[nodiscard]] bool flatten_allowed(const order_record& r) const noexcept;
  /// Hands one order to the broker: a normal order under a halt-gate permit (false, nothing
  /// sent, if the gate is closed), a flatten order only if flatten_allowed.
  bool submit_checked(order_record& r) noexcept;
  /// Rejects an order the gate (or its flatten check) refused: counts it, records the
  /// reject code and queues its local `rejected` report.
  void refuse_at_gate(order_record& r);
  bool accept(const approved_order& order, std::vector<execution_report>* out) noexcept;
  void move_local(std::vector<execution_report>& out);
  void advance(timestamp_ns ts) noexcept;
  bool try_send(std::uint32_t idx);
  void enter(order_record& r, order_state s, timestamp_ns ts) noexcept;
  bool apply_event(order_record& r, order_event e, timestamp_ns ts) noexcept;
  void apply(const execution_report& report);
  void book(order_record& r, const execution_report& report);
  void local_report(const order_record& r, report_kind kind, std::uint16_t code);
  /// Runs the timers that are due (send retries, ack timeouts); O(1) while none is.
  void run_timers();
  void run_timer(std::uint32_t idx);
  /// Sets a record's timer and keeps earliest_deadline_ a lower bound of all timers.
  void set_deadline(order_record& r, timestamp_ns deadline) noexcept {
    r.deadline = deadline;
    if (deadline >= 0 && deadline < earliest_deadline_)
      earliest_deadline_ = deadline;
  }
  void prune_open();
  std::size_t collect(std::vector<execution_report>& out);

  broker_adapter& broker_;
  const risk::halt_gate* gate_;
  execution_config config_;
  chunked_vector<order_record> records_;
  id_index index_;
  id_index fill_ids_;                ///< report ids of fills already booked
  std::vector<std::uint32_t> open_;  ///< indices of non-terminal records, arrival order
  chunked_vector<fill_record> fills_;
  std::vector<execution_report> local_;  ///< local reports not yet handed out
  std::vector<execution_report> inbox_;  ///< reuse buffer for broker polls
  execution_counters counters_;
  timestamp_ns now_ = 0;
  static constexpr timestamp_ns no_deadline = std::numeric_limits<timestamp_ns>::max();
  /// No open order's timer is earlier than this (run_timers skips its scan before it).
  timestamp_ns earliest_deadline_ = no_deadline;
  std::int64_t tokens_ = 0;  ///< tokens x 1e9
  timestamp_ns refill_at_ = 0;
  bool refill_known_ = false;
  std::uint64_t local_report_id_ = 0;
};

}  // namespace peak::broker
