#pragma once
/// Hot-path helpers that turn pipeline events into session_metrics updates, so every stage
/// counts the same way. Each is a few relaxed atomic adds: no locks, no allocation.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "messages/common.hpp"
#include "messages/control.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/outlook.hpp"
#include "messages/risk_decisions.hpp"
#include "observability/session_metrics.hpp"

namespace peak::observability {

/// Market-data stage: one event of `kind`, counting each quality flag bit it carries.
inline void record_market_event(session_metrics& m, event_kind kind,
                                std::uint32_t quality) noexcept {
  const auto k = static_cast<std::size_t>(kind);
  if (k < m.market_events.size()) {
    m.market_events[k].inc();
  }
  for (std::size_t bit = 0; quality != 0 && bit < m.quality_faults.size(); ++bit) {
    if ((quality & (1u << bit)) != 0) {
      m.quality_faults[bit].inc();
      quality &= ~(1u << bit);
    }
  }
}

/// Risk gate: an intent approved.
inline void record_risk_approved(session_metrics& m) noexcept {
  m.risk_approved.inc();
}

/// Risk gate: an intent denied for `reason`.
inline void record_risk_denied(session_metrics& m, deny_reason reason) noexcept {
  const auto r = static_cast<std::size_t>(reason);
  if (r < m.risk_denied.size()) {
    m.risk_denied[r].inc();
  }
}

/// Execution: an order sent to the broker. `tick_to_order_ns` < 0 when unknown.
inline void record_order_submitted(session_metrics& m, side s,
                                   std::int64_t tick_to_order_ns = -1) noexcept {
  m.orders_submitted.inc();
  m.orders_by_side[s == side::buy ? 0 : 1].inc();
  if (tick_to_order_ns >= 0) {
    m.tick_to_order.observe_ns(tick_to_order_ns);
  }
}

/// Execution: an execution report received (accepted, fills, cancel, reject, expiry).
inline void record_execution_report(session_metrics& m, report_kind kind) noexcept {
  const auto k = static_cast<std::size_t>(kind);
  if (k < m.order_reports.size()) {
    m.order_reports[k].inc();
  }
}

/// Any stage actor: `depth` messages were waiting in its mailbox when it sampled it.
inline void record_mailbox_depth(session_metrics& m, stage s, std::size_t depth) noexcept {
  const auto i = static_cast<std::size_t>(s);
  if (i < m.mailbox_depth.size()) {
    m.mailbox_depth[i].set(static_cast<double>(depth));
    m.mailbox_samples[i].inc();
  }
}

/// Any stage: wall-clock time one message took in `s`.
inline void record_stage_latency(session_metrics& m, stage s, std::int64_t ns) noexcept {
  const auto i = static_cast<std::size_t>(s);
  if (i < m.stage_latency.size()) {
    m.stage_latency[i].observe_ns(ns);
  }
}

/// Kill switch: the session halted for `reason` (gauge to 1, halt counted).
inline void record_halt(session_metrics& m, halt_reason reason) noexcept {
  const auto r = static_cast<std::size_t>(reason);
  if (r < m.halts.size()) {
    m.halts[r].inc();
  }
  m.kill_switch_engaged.set(1.0);
}

/// Kill switch: an operator re-armed the session (gauge back to 0).
inline void record_rearm(session_metrics& m) noexcept {
  m.kill_switch_engaged.set(0.0);
}

/// L2 outlook stage: keeps each instrument's NO-TRADE bits so `peak_no_trade_active{trigger}`
/// means "active for any instrument" and `peak_no_trade_raised_total` counts each off-to-on
/// transition per instrument. One writer (the outlook stage); sized at start-up.
class outlook_recorder {
public:
  explicit outlook_recorder(std::size_t instruments) : bits_(instruments, 0u) {}

  /// Records the outlook of instrument index `instrument` (its position in instrument_names).
  void record(session_metrics& m, instrument_id instrument, regime state, double uncertainty,
              std::uint32_t no_trade_bits) noexcept {
    const auto i = static_cast<std::size_t>(instrument);
    if (i >= bits_.size() || i >= m.regime.size()) {
      return;
    }
    m.regime[i].set(static_cast<double>(static_cast<std::uint8_t>(state)));
    m.uncertainty[i].set(uncertainty);
    const std::uint32_t before = bits_[i];
    bits_[i] = no_trade_bits;
    for (std::size_t t = 0; t < m.no_trade_active.size(); ++t) {
      const std::uint32_t mask = 1u << t;
      const bool was = (before & mask) != 0;
      const bool now = (no_trade_bits & mask) != 0;
      if (was == now) {
        continue;
      }
      if (now) {
        m.no_trade_raised[t].inc();
        ++active_[t];
      } else {
        --active_[t];
      }
      m.no_trade_active[t].set(active_[t] > 0 ? 1.0 : 0.0);
    }
  }

private:
  std::vector<std::uint32_t> bits_;            ///< per instrument
  std::uint32_t active_[5] = {0, 0, 0, 0, 0};  ///< instruments with each trigger on
};

}  // namespace peak::observability
