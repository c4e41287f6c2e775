#pragma once
/// Several pipeline messages in one: the unit the actor graph moves between stages, so the
/// cost of a message (mailbox, scheduling) is paid once per batch instead of once per event.

#include <cstdint>
#include <vector>

#include "messages/account.hpp"
#include "messages/control.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/outlook.hpp"
#include "messages/risk_decisions.hpp"

namespace peak {

/// Which payload vector the next item of a batch comes from.
enum class batch_item : std::uint8_t {
  market_event = 0,
  outlook = 1,
  trade_intent = 2,
  approved_order = 3,
  order_denied = 4,
  execution_report = 5,
  account_snapshot = 6,
  halt = 7,  ///< a halt, in the stream where execution applied it (kill_command)
};

/// A run of pipeline messages in arrival order: `items[i]` names the payload vector its
/// i-th message is taken from (the k-th item of a kind is that vector's k-th element). A stage
/// handles the items in order exactly as it would handle them one message at a time.
struct pipeline_batch {
  std::vector<batch_item> items;
  std::vector<market_event> events;
  std::vector<outlook> outlooks;
  std::vector<trade_intent> intents;
  std::vector<approved_order> approved;
  std::vector<order_denied> denied;
  std::vector<execution_report> reports;
  std::vector<account_snapshot> snapshots;
  std::vector<kill_command> halts;
  /// Feedback batches (execution -> risk gate) only: the execution event index each item was
  /// produced at, and how many events execution has finished (engine/stages.hpp).
  std::vector<std::uint64_t> tags;
  std::uint64_t watermark = 0;
  bool feedback = false;  ///< execution's feedback to the risk gate, not the main stream
  std::int64_t sent_wall_ns = 0;  ///< steady clock when sent (latency probes only; 0 = not
                                  ///< stamped; never used for decisions or evidence)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pipeline_batch& x) {
  return f(x.items, x.events, x.outlooks, x.intents, x.approved, x.denied, x.reports, x.snapshots,
           x.halts, x.tags, x.watermark, x.feedback, x.sent_wall_ns);
}

}  // namespace peak
