#pragma once
/// The pipeline's stages: each handles one item of its input batch and emits into its
/// outputs (the next stage's batch, the kill switch). The per-event routing lives here once;
/// the reference loop, the benchmark's queues and the actors only carry batches between them.
/// See docs/ARCHITECTURE.md ("The stages and their messages").

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "broker/execution_engine.hpp"
#include "broker/paper_broker.hpp"
#include "config/session_config.hpp"
#include "engine/batch.hpp"
#include "engine/session_recorder.hpp"
#include "engine/tripwires.hpp"
#include "marketdata/quality_checker.hpp"
#include "messages/control.hpp"
#include "messages/pipeline_batch.hpp"
#include "observability/metrics_recorder.hpp"
#include "observability/round_trip_tracker.hpp"
#include "risk/halt_gate.hpp"
#include "risk/risk_gate.hpp"
#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"

namespace peak::engine {

/// Events after which execution's feedback (reports, halts) takes effect at the risk gate:
/// what execution produced at event i is applied before the risk gate handles event i + lag.
/// Both engines apply it, so the risk gate's decisions do not depend on thread timing.
inline constexpr std::uint64_t feedback_lag_events = 512;

/// Deterministic 32-bit tag of a session (client order ids are derived from it).
[[nodiscard]] std::uint64_t session_tag(const config::session_config& config) noexcept;

/// Closes `gate` for a new halt (the trigger instant) and describes it; halt_id 0 when the
/// gate was already closed (the first trigger owns the halt). Any thread.
[[nodiscard]] kill_command close_gate(risk::halt_gate& gate, halt_reason reason, std::string detail,
                                      timestamp_ns ts_event, std::int64_t requested_wall_ns = 0);

/// Facts a stage tells the kill switch (an actor in the graph, a ledger in the reference
/// loop), on the stage's own thread.
class control_sink {
public:
  /// Execution's tripwire closed the gate for `k` (sequenced): halt every stage.
  virtual void halt_raised(const kill_command& k) = 0;
  /// Execution applied a halt (its acknowledgement: cancels, orders after the trigger).
  virtual void halt_applied(const halt_acknowledged& ack) = 0;
  virtual void settled(const cancels_settled& c) = 0;
  virtual void flattened(const flatten_done& f) = 0;

protected:
  ~control_sink() = default;
};

/// Where a stage's outputs go. `feedback` is execution's batch for the risk gate.
struct stage_output {
  pipeline_batch* downstream = nullptr;
  control_sink* control = nullptr;
  pipeline_batch* feedback = nullptr;
};

/// Passes an item on unchanged (what a stage does with what does not concern it).
template <class T>
void pass(const T& x, stage_output& out) {
  append(*out.downstream, x);
}

/// Runs every item of `in` through `stage` in order.
template <class Stage>
void run_stage(Stage& stage, const pipeline_batch& in, stage_output& out) {
  for_each_item(in, [&](const auto& x) { stage.handle(x, out); });
}

/// market-data: flags data-quality faults on each event and sends it.
class market_data_stage {
public:
  explicit market_data_stage(const config::session_config& config,
                             observability::session_metrics* metrics = nullptr);
  void handle(market_event& event, stage_output& out) noexcept;
  [[nodiscard]] const marketdata::quality_checker& quality() const noexcept { return quality_; }

private:
  marketdata::quality_checker quality_;
  observability::session_metrics* metrics_;
};

/// L2 outlook: regime and NO-TRADE triggers; an outlook that is due goes before its event.
class outlook_stage {
public:
  explicit outlook_stage(const config::session_config& config,
                         observability::session_metrics* metrics = nullptr);
  void handle(const market_event& event, stage_output& out);
  template <class T>
  void handle(const T& x, stage_output& out) {
    pass(x, out);
  }

private:
  strategy::outlook_engine engine_;
  observability::session_metrics* metrics_;
  observability::outlook_recorder recorder_;
};

/// L3 advisory: strategies -> trade hypotheses; the event goes first, then its intents.
class advisory_stage {
public:
  explicit advisory_stage(const config::session_config& config,
                          observability::session_metrics* metrics = nullptr);
  void handle(const outlook& view, stage_output& out);
  void handle(const market_event& event, stage_output& out);
  template <class T>
  void handle(const T& x, stage_output& out) {
    pass(x, out);
  }

private:
  strategy::advisory_engine engine_;
  observability::session_metrics* metrics_;
  std::vector<trade_intent> intents_;
};

/// L5 risk gate: every intent gets exactly one decision, forwarded behind it. Execution's
/// feedback is applied `feedback_lag_events` after the event it was produced at; halts raised
/// inside the pipeline arrive that way too (from outside, at once). Flatten-on-halt lives here.
class risk_stage {
public:
  risk_stage(const config::session_config& config, const risk::halt_gate* gate,
             observability::session_metrics* metrics = nullptr);
  /// False while the feedback this event needs has not arrived (the graph waits for it).
  [[nodiscard]] bool ready(const market_event& /*event*/) const noexcept {
    return feedback_watermark_ + feedback_lag_events > events_;
  }
  void handle(const market_event& event, stage_output& out);
  void handle(const trade_intent& intent, stage_output& out);
  template <class T>
  void handle(const T& x, stage_output& out) {
    pass(x, out);
  }
  /// Execution's feedback batch (tags and watermark set); kept until its turn comes.
  void on_feedback(const pipeline_batch& feedback);
  /// A halt from the kill switch: applied now unless it is sequenced (then in-band).
  void on_kill(const kill_command& k, stage_output& out);
  void on_rearm();
  [[nodiscard]] risk::risk_gate& core() noexcept { return gate_; }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }

private:
  struct pending {
    std::uint64_t tag = 0;
    std::uint32_t halt = 0;  ///< 0: `report`; else halts_[halt - 1]
    execution_report report;
  };
  void apply_due(std::uint64_t event_index, stage_output& out);
  void apply_halt(const kill_command& k, stage_output& out);
  void try_flatten(stage_output& out);
  void finish_flatten(bool flat, stage_output& out);

  risk::risk_gate gate_;
  observability::session_metrics* metrics_;
  std::uint64_t events_ = 0;
  std::uint64_t feedback_watermark_ = 0;
  std::vector<pending> pending_;  ///< feedback not yet due, in order
  std::size_t pending_head_ = 0;
  std::vector<kill_command> halts_;  ///< halts among pending_
  timestamp_ns last_ts_ = 0;
  std::uint64_t applied_halt_ = 0;  ///< last halt applied (0 after a re-arm)
  // Flatten-on-halt (kill_switch.flatten_on_halt, paper sessions).
  bool flatten_on_halt_ = false;
  std::uint64_t flatten_halt_ = 0;  ///< halt whose positions are being flattened; 0 = none
  timestamp_ns flatten_since_ = 0;
  std::uint32_t flatten_orders_ = 0;
  std::uint32_t flatten_rounds_ = 0;
  bool flatten_skip_ = false;
  std::uint32_t instruments_ = 0;
  /// Rounds after which flattening gives up (each ends only when its orders have all ended).
  static constexpr std::uint32_t max_flatten_rounds = 5;
};

/// Reports that release reserved exposure at the risk gate. Every report must reach the gate
/// (fills retire its open-order entries); this names the subset that changes its book.
[[nodiscard]] constexpr bool is_release_report(const execution_report& r) noexcept {
  return r.kind == report_kind::cancelled || r.kind == report_kind::rejected ||
         r.kind == report_kind::expired;
}

/// Told each time execution hands an order to the broker adapter (first send and resends),
/// e.g. to time the broker round trip on the wall clock. Called on execution's thread.
class handoff_listener {
public:
  virtual void on_handed_off(const submit_order& order) noexcept = 0;

protected:
  ~handoff_listener() = default;
};

/// execution: the broker adapter (paper, or null in shadow mode) behind the execution core;
/// evaluates the tripwires and applies every halt at its place in the stream.
class execution_stage {
public:
  execution_stage(const config::session_config& config, risk::halt_gate* gate,
                  observability::session_metrics* metrics = nullptr);
  ~execution_stage();
  execution_stage(const execution_stage&) = delete;
  execution_stage& operator=(const execution_stage&) = delete;

  void handle(const market_event& event, stage_output& out);
  void handle(const approved_order& order, stage_output& out);
  template <class T>
  void handle(const T& x, stage_output& out) {
    pass(x, out);
  }
  /// A halt from the kill switch: applied now unless this stage applied it already.
  void on_kill(const kill_command& k, stage_output& out);
  /// A re-arm before the cancels settled leaves that halt's settling unknown (-1).
  void on_rearm() noexcept { settling_halt_ = 0; }
  /// Stamps `feedback` with how many events this stage has finished (end of a turn).
  void seal_feedback(pipeline_batch& feedback) const noexcept { feedback.watermark = events_; }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }

  /// Orders handed to the broker so far (not flatten orders; tick-to-order probes).
  [[nodiscard]] std::uint64_t orders_sent() const noexcept { return sends_; }
  [[nodiscard]] std::size_t open_orders() const noexcept { return engine_->open_orders(); }
  [[nodiscard]] bool shadow() const noexcept { return shadow_; }
  /// The paper broker (nullptr in shadow mode), for fault injection in drills and tests.
  [[nodiscard]] broker::paper_broker* paper() noexcept { return paper_; }
  /// Sets (or clears, with nullptr) who is told of every hand-off to the broker adapter.
  void set_handoff_listener(handoff_listener* listener) noexcept;

private:
  class observed_broker;
  void emit_report(const execution_report& r, stage_output& out, std::int64_t now);
  void emit_reports(const std::vector<execution_report>& reports, stage_output& out);
  void feed_back(stage_output& out);
  void check_tripwires(const market_event& event, bool filled, stage_output& out);
  void trigger(halt_reason reason, std::string detail, timestamp_ns ts, stage_output& out);
  void apply_halt(const kill_command& k, stage_output& out);
  void report_settled_if_done(stage_output& out);

  bool shadow_;
  broker::paper_broker* paper_ = nullptr;
  std::unique_ptr<broker::broker_adapter> broker_;
  std::unique_ptr<observed_broker> observed_;  ///< broker_ as the engine sees it
  std::unique_ptr<broker::execution_engine> engine_;
  risk::halt_gate* gate_;
  observability::session_metrics* metrics_;
  std::vector<execution_report> reports_;
  std::vector<execution_report> local_;
  tripwires limits_;
  tripwire_book book_;
  std::uint64_t events_ = 0;
  timestamp_ns last_ts_ = 0;
  timestamp_ns previous_ts_ = 0;
  std::int64_t tick_wall_ns_ = 0;  ///< when market-data emitted the event being handled
  std::int64_t last_loss_second_ = -1;
  std::uint32_t rejects_in_row_ = 0;
  bool stale_tripped_ = false, loss_tripped_ = false, book_tripped_ = false,
       rejects_tripped_ = false;
  // The halt applied last, and its acknowledgement.
  std::uint64_t applied_halt_ = 0;
  // A halt whose cancels have not all settled at the broker yet (0 = none pending).
  std::uint64_t settling_halt_ = 0;
  timestamp_ns settling_since_ = 0;
  std::uint32_t settling_orders_ = 0;
  /// Steady clock before each of the latest sends (a ring: a halt counts the sends at or
  /// after its cut, which can only be the latest ones).
  std::array<std::int64_t, 1024> send_started_ns_{};
  std::uint64_t sends_ = 0;
  struct round_trip_clock;
  std::unique_ptr<round_trip_clock> round_trip_;  ///< null without metrics or in shadow mode
};

/// reconciler: the session recorder (expected book, audit log, outputs) in the stream.
class reconcile_stage {
public:
  reconcile_stage(const config::session_config& config, decision_sink* sink,
                  observability::session_metrics* metrics = nullptr);
  void handle(const market_event& x, stage_output& out);
  void handle(const outlook& x, stage_output& /*out*/) { recorder_.on_outlook(x); }
  void handle(const trade_intent& x, stage_output& /*out*/) { recorder_.on_intent(x); }
  void handle(const approved_order& x, stage_output& /*out*/) { recorder_.on_approved(x); }
  void handle(const order_denied& x, stage_output& /*out*/) { recorder_.on_denied(x); }
  void handle(const execution_report& x, stage_output& /*out*/) { recorder_.on_report(x); }
  void handle(const account_snapshot& x, stage_output& out);
  void handle(const kill_command& k, stage_output& out);
  /// An operator re-armed the session (audited).
  void on_rearm(const rearm_command& r);
  [[nodiscard]] session_result finish() { return recorder_.finish(); }
  [[nodiscard]] const session_recorder& recorder() const noexcept { return recorder_; }

private:
  void publish_account();

  session_recorder recorder_;
  observability::session_metrics* metrics_;
  money starting_cash_;
  timestamp_ns last_ts_ = 0;
  std::int64_t last_second_ = -1;
};

}  // namespace peak::engine
