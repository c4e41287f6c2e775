#pragma once
/// What a session produced: counters for the summary, trades, equity curve and order
/// lifecycles. Filled by session_recorder at the end of the pipeline, identical for the
/// reference loop and the actor graph on the same input.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "infra/chunked_vector.hpp"
#include "messages/common.hpp"
#include "messages/fixed_point.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"
#include "messages/risk_decisions.hpp"

namespace peak::engine {

/// One fill (trades.csv row).
struct trade_row {
  std::uint64_t seq = 0;
  timestamp_ns ts_event = 0;
  std::uint64_t client_order_id = 0;
  std::uint64_t intent_id = 0;
  std::uint16_t strategy = 0;
  instrument_id instrument = 0;
  side direction = side::buy;
  quantity qty;
  price px;
  money fee;
  quantity position_after;  ///< instrument position after this fill
  money cash_after;
};

/// One point of the equity curve (equity.csv row), sampled once per event-time minute, at
/// every fill and at the end.
struct equity_row {
  timestamp_ns ts_event = 0;
  money cash;
  money equity;        ///< cash + positions marked to the last price
  money realised_pnl;  ///< from the reconciler's expected book
  money exposure;      ///< sum of |position| × mark
};

/// The full lifecycle of one order (orders.csv row).
struct order_row {
  std::uint64_t client_order_id = 0;
  std::uint64_t intent_id = 0;
  std::uint16_t strategy = 0;
  instrument_id instrument = 0;
  side direction = side::buy;
  order_type type = order_type::market;
  bool reduce_only = false;
  quantity qty;
  price limit;
  timestamp_ns ts_approved = 0;
  timestamp_ns ts_accepted = 0;
  timestamp_ns ts_first_fill = 0;
  timestamp_ns ts_done = 0;
  std::string state = "approved";  ///< last state: approved, not_sent (shadow), accepted, ...
  quantity filled;
  money filled_notional;  ///< for the average price
  money fees;
  std::uint16_t reject_code = 0;
  std::uint32_t reports = 0;
};

/// Counters for the summary and metrics.json.
struct session_counters {
  std::uint64_t events = 0;
  std::array<std::uint64_t, 4> events_by_kind{};  ///< trade, quote, bar, book
  std::uint64_t events_flagged = 0;               ///< events with any quality flag
  std::array<std::uint64_t, 10> quality_flags{};  ///< per quality_flag bit
  std::uint64_t outlooks = 0;
  std::uint64_t intents = 0;
  std::uint64_t entries = 0;
  std::uint64_t exits = 0;
  std::uint64_t approvals = 0;
  std::uint64_t denials = 0;
  std::array<std::uint64_t, deny_reason_count> denials_by_reason{};
  std::uint64_t orders_sent = 0;      ///< orders handed to the broker (0 in shadow mode)
  std::uint64_t orders_recorded = 0;  ///< shadow mode: orders that would have been sent
  std::array<std::uint64_t, 6> reports_by_kind{};  ///< by report_kind
  std::uint64_t fills = 0;
  std::uint64_t reconcile_checks = 0;
  std::uint64_t reconcile_mismatches = 0;
  timestamp_ns first_event_ts = 0;
  timestamp_ns last_event_ts = 0;
};

/// A malformed input line: where and why.
struct input_line_problem {
  std::string file;
  std::uint64_t line = 0;  ///< 1-based
  std::string reason;
};

/// What the market-data input was made of (replayed files; all zero for the synthetic feed).
/// Filled from the source after the run (engine::input_counters_of).
struct input_counters {
  bool replayed = false;  ///< market data came from recorded files
  std::uint64_t files = 0;
  std::uint64_t lines = 0;       ///< lines read, including blank ones
  std::uint64_t data_lines = 0;  ///< lines that carried market data
  std::uint64_t non_data = 0;    ///< connection, subscription, heartbeat, header lines
  std::uint64_t blank = 0;
  std::uint64_t malformed = 0;       ///< skipped and counted (first few in first_malformed)
  std::uint64_t unknown_symbol = 0;  ///< data lines of symbols that are not session instruments
  std::uint64_t events = 0;          ///< market events the replay produced
  std::vector<input_line_problem> first_malformed;
  std::vector<std::string> unknown_symbols;  ///< distinct, the first few
};

/// Everything a session run produced.
struct session_result {
  session_counters counters;
  input_counters input;
  /// Fills and order lifecycles in chunked storage: a long session's rows never get copied as
  /// they grow (the recorder runs on the pipeline's worker thread).
  broker::chunked_vector<trade_row> trades;
  /// The equity curve, unless the decision sink streamed it (then empty: see equity_rows).
  std::vector<equity_row> equity;
  std::uint64_t equity_rows = 0;  ///< rows sampled, streamed or kept
  broker::chunked_vector<order_row> orders;
  money starting_cash;
  money final_cash;
  money final_equity;
  money realised_pnl;
  money fees_paid;
  std::string tripwire;  ///< first reconciliation breach, empty if none
};

}  // namespace peak::engine
