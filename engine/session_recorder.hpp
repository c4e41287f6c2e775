#pragma once
/// The end of the pipeline: keeps the reconciler's expected book, counts everything that
/// flowed through, records every decision to the decision sink (audit log), and builds the
/// trades, equity curve and order lifecycles. Pure C++; the reconciler actor wraps it.

#include <cstdint>
#include <vector>

#include "infra/id_index.hpp"
#include "broker/reconciler.hpp"
#include "engine/decision_sink.hpp"
#include "engine/session_result.hpp"
#include "messages/account.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/outlook.hpp"
#include "messages/risk_decisions.hpp"

namespace peak::engine {

class session_recorder {
public:
  /// `sink` may be null (no audit). `shadow`: approved orders are recorded, never sent.
  session_recorder(money starting_cash, std::uint32_t instruments, decision_sink* sink,
                   bool shadow);

  void on_market(const market_event& event);
  /// Counts the outlook and records a `trigger` decision for each NO-TRADE trigger it raised
  /// or cleared (compared with the instrument's previous outlook; none is active before it).
  void on_outlook(const outlook& view);
  void on_intent(const trade_intent& intent);
  void on_approved(const approved_order& order);
  void on_denied(const order_denied& denied);
  void on_report(const execution_report& report);
  /// Compares the expected book with the broker's snapshot; a breach is returned and
  /// recorded as a tripwire decision (execution's tripwire halts on the same check).
  broker::reconcile_result on_broker_snapshot(const account_snapshot& snapshot);
  /// Records a halt or re-arm decision (from the kill switch).
  void on_control(std::string_view type, timestamp_ns ts_event, std::string_view fields_json);

  /// Closes the books (final equity point) and returns the result. Call once.
  [[nodiscard]] session_result finish();

  [[nodiscard]] const session_counters& counters() const noexcept { return result_.counters; }
  [[nodiscard]] const broker::reconciler& book() const noexcept { return reconciler_; }

private:
  void sample_equity(timestamp_ns ts);
  void audit(std::string_view type, timestamp_ns ts);

  broker::reconciler reconciler_;
  decision_sink* sink_;
  bool shadow_;
  session_result result_;
  /// client order id -> row in result_.orders; intent id -> strategy (open addressing: no
  /// allocation per order, unlike a node-based map).
  broker::id_index order_index_{4096};
  broker::id_index intent_strategy_{4096};
  std::vector<std::uint32_t> no_trade_;  ///< NO-TRADE bits of each instrument's last outlook
  std::int64_t last_sample_minute_ = -1;
  timestamp_ns last_ts_ = 0;
  std::uint64_t trade_seq_ = 0;
  std::uint64_t local_rejects_ = 0;
  std::string fields_;  ///< reused buffer for audit fields
};

}  // namespace peak::engine
