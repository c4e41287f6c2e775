#pragma once
/// The pipeline's stages as plain C++ objects, one per actor. Each owns its pure core and
/// does exactly the per-event work its actor does, so the single-threaded reference loop and
/// the actor graph run the same code in the same order.

#include <cstdint>
#include <memory>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "broker/execution_engine.hpp"
#include "broker/paper_broker.hpp"
#include "config/session_config.hpp"
#include "engine/session_recorder.hpp"
#include "marketdata/quality_checker.hpp"
#include "messages/account.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/outlook.hpp"
#include "messages/risk_decisions.hpp"
#include "risk/halt_gate.hpp"
#include "risk/risk_gate.hpp"
#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"

namespace peak::engine {

/// Deterministic 32-bit tag of a session (client order ids are derived from it).
[[nodiscard]] std::uint64_t session_tag(const config::session_config& config) noexcept;

/// market-data: flags data-quality faults on each event (flag and pass on).
class market_data_stage {
public:
  explicit market_data_stage(const config::session_config& config);
  void on_event(market_event& event) noexcept { quality_.check(event); }
  [[nodiscard]] const marketdata::quality_checker& quality() const noexcept { return quality_; }

private:
  marketdata::quality_checker quality_;
};

/// L2 outlook: regime and NO-TRADE triggers.
class outlook_stage {
public:
  explicit outlook_stage(const config::session_config& config);
  /// True (and `out` filled) when an outlook is due.
  bool on_event(const market_event& event, outlook& out) noexcept {
    return engine_.on_event(event, out);
  }

private:
  strategy::outlook_engine engine_;
};

/// L3 advisory: strategies -> trade hypotheses with risk checklists.
class advisory_stage {
public:
  explicit advisory_stage(const config::session_config& config);
  void on_outlook(const outlook& view) noexcept { engine_.on_outlook(view); }
  /// Hypotheses caused by this event; valid until the next call.
  const std::vector<trade_intent>& on_event(const market_event& event);

private:
  strategy::advisory_engine engine_;
  std::vector<trade_intent> out_;
};

/// L5 risk gate.
class risk_stage {
public:
  risk_stage(const config::session_config& config, const risk::halt_gate* gate);
  void on_market(const market_event& event) noexcept { gate_.on_market(event); }
  risk::risk_decision decide(const trade_intent& intent) noexcept { return gate_.check(intent); }
  void on_report(const execution_report& report) noexcept { gate_.on_report(report); }
  [[nodiscard]] risk::risk_gate& core() noexcept { return gate_; }

private:
  risk::risk_gate gate_;
};

/// Reports that release reserved exposure at the risk gate. Every report must reach the gate
/// (fills retire its open-order entries); this names the subset that changes its book.
[[nodiscard]] constexpr bool is_release_report(const execution_report& r) noexcept {
  return r.kind == report_kind::cancelled || r.kind == report_kind::rejected ||
         r.kind == report_kind::expired;
}

/// What execution did with an approved order.
struct approval_outcome {
  bool sent = false;  ///< handed to the broker (paper) or recorded as intended (shadow)
  /// `report` is a local rejection (gate closed, invalid seal): record it and feed it to the
  /// risk gate, which releases what it committed.
  bool local_reject = false;
  /// Shadow mode: `report` is a synthetic fill for the risk gate only, so its table of open
  /// orders does not fill up with orders that are never sent. Not recorded.
  bool gate_release = false;
  execution_report report;
};

/// Told each time execution hands an order to the broker adapter (first send and resends),
/// e.g. to time the broker round trip on the wall clock. Called on execution's thread.
class handoff_listener {
public:
  virtual void on_handed_off(const submit_order& order) noexcept = 0;

protected:
  ~handoff_listener() = default;
};

/// execution: broker adapter (paper, or null in shadow mode) behind the execution core.
class execution_stage {
public:
  execution_stage(const config::session_config& config, const risk::halt_gate* gate);
  ~execution_stage();
  execution_stage(const execution_stage&) = delete;
  execution_stage& operator=(const execution_stage&) = delete;

  /// Feeds market data to the broker; returns the reports it produced (valid until next call).
  const std::vector<execution_report>& on_market(const market_event& event);
  /// Sends an approved order through the halt gate (paper) or records it (shadow).
  approval_outcome on_approved(const approved_order& order) noexcept;
  /// Whether the broker's snapshot should be reconciled after the last on_market call.
  [[nodiscard]] bool snapshot_due() const noexcept { return snapshot_due_; }
  [[nodiscard]] account_snapshot snapshot() const { return broker_->snapshot(); }
  /// Cancels every open order (kill switch). The cancels take effect at the venue in event
  /// time; their reports arrive through later on_market calls. Returns reports produced now.
  const std::vector<execution_report>& cancel_all(std::uint64_t halt_id, timestamp_ns now);
  [[nodiscard]] std::size_t open_orders() const noexcept { return engine_->open_orders(); }
  [[nodiscard]] bool shadow() const noexcept { return shadow_; }
  /// The paper broker (nullptr in shadow mode), for fault injection in drills and tests.
  [[nodiscard]] broker::paper_broker* paper() noexcept { return paper_; }
  /// Broker rejections in a row (reset by any accepted or filled report).
  [[nodiscard]] std::uint32_t consecutive_rejects() const noexcept { return rejects_in_row_; }
  /// Sets (or clears, with nullptr) who is told of every hand-off to the broker adapter.
  void set_handoff_listener(handoff_listener* listener) noexcept;

private:
  bool shadow_;
  broker::paper_broker* paper_ = nullptr;
  std::uint32_t rejects_in_row_ = 0;
  std::unique_ptr<broker::broker_adapter> broker_;
  class observed_broker;
  std::unique_ptr<observed_broker> observed_;  ///< broker_ as the engine sees it
  std::unique_ptr<broker::execution_engine> engine_;
  std::vector<execution_report> reports_;
  std::vector<execution_report> local_;
  const risk::halt_gate* gate_ = nullptr;
  bool snapshot_due_ = false;
  timestamp_ns last_ts_ = 0;
};

/// reconciler: expected book vs broker, plus the session recorder (audit, outputs).
using reconcile_stage = session_recorder;

/// Kill-switch tripwires evaluated inside the pipeline (event time), from the config.
struct tripwires {
  std::uint32_t broker_reject_burst = 3;  ///< broker rejections in a row that halt
  money max_daily_loss;                   ///< equity drop from the day's start that halts
  std::int64_t stale_after_ns = 0;        ///< event-time gap in the feed that halts (0 = off)
};

/// The tripwires a session config implies.
[[nodiscard]] tripwires make_tripwires(const config::session_config& config) noexcept;

/// Makes the reconcile stage of a session.
[[nodiscard]] std::unique_ptr<reconcile_stage> make_reconcile_stage(
    const config::session_config& config, decision_sink* sink);

}  // namespace peak::engine
