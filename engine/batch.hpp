#pragma once
/// Building and walking pipeline batches: the unit every driver (reference loop, actors,
/// benchmark queues) moves between the engine's stages.

#include <array>
#include <cstddef>
#include <cstdint>

#include "messages/pipeline_batch.hpp"

namespace peak::engine {

inline void append(pipeline_batch& b, const market_event& x) {
  b.items.push_back(batch_item::market_event);
  b.events.push_back(x);
}
inline void append(pipeline_batch& b, const outlook& x) {
  b.items.push_back(batch_item::outlook);
  b.outlooks.push_back(x);
}
inline void append(pipeline_batch& b, const trade_intent& x) {
  b.items.push_back(batch_item::trade_intent);
  b.intents.push_back(x);
}
inline void append(pipeline_batch& b, const approved_order& x) {
  b.items.push_back(batch_item::approved_order);
  b.approved.push_back(x);
}
inline void append(pipeline_batch& b, const order_denied& x) {
  b.items.push_back(batch_item::order_denied);
  b.denied.push_back(x);
}
inline void append(pipeline_batch& b, const execution_report& x) {
  b.items.push_back(batch_item::execution_report);
  b.reports.push_back(x);
}
inline void append(pipeline_batch& b, const account_snapshot& x) {
  b.items.push_back(batch_item::account_snapshot);
  b.snapshots.push_back(x);
}
inline void append(pipeline_batch& b, const kill_command& x) {
  b.items.push_back(batch_item::halt);
  b.halts.push_back(x);
}

/// Empties a batch and keeps its capacity (the storage is reused for the next batch).
inline void clear(pipeline_batch& b) noexcept {
  b.items.clear();
  b.events.clear();
  b.outlooks.clear();
  b.intents.clear();
  b.approved.clear();
  b.denied.clear();
  b.reports.clear();
  b.snapshots.clear();
  b.halts.clear();
  b.tags.clear();
  b.watermark = 0;
  b.feedback = false;
  b.sent_wall_ns = 0;
}

/// Where a walk over a batch stands: the next item and the next element of each payload.
struct batch_cursor {
  std::size_t item = 0;
  std::array<std::size_t, 8> next{};
};

/// Calls `f` on the items of `b` from `at` on, in order. `f` returns false to leave the item
/// it was given unconsumed and stop there (the walk resumes at it later). Returns true when
/// the batch is done. An item whose payload is missing (a malformed batch) ends the walk.
template <class F>
bool walk(const pipeline_batch& b, batch_cursor& at, F&& f) {
  auto visit = [&](const auto& payload, std::size_t slot) -> int {
    if (at.next[slot] >= payload.size())
      return -1;
    if (!f(payload[at.next[slot]]))
      return 0;
    ++at.next[slot];
    return 1;
  };
  for (; at.item < b.items.size(); ++at.item) {
    int r = -1;
    switch (b.items[at.item]) {
      case batch_item::market_event: r = visit(b.events, 0); break;
      case batch_item::outlook: r = visit(b.outlooks, 1); break;
      case batch_item::trade_intent: r = visit(b.intents, 2); break;
      case batch_item::approved_order: r = visit(b.approved, 3); break;
      case batch_item::order_denied: r = visit(b.denied, 4); break;
      case batch_item::execution_report: r = visit(b.reports, 5); break;
      case batch_item::account_snapshot: r = visit(b.snapshots, 6); break;
      case batch_item::halt: r = visit(b.halts, 7); break;
    }
    if (r == 0)
      return false;
    if (r < 0) {
      at.item = b.items.size();
      return true;
    }
  }
  return true;
}

/// Calls `f` on every item of `b` in order.
template <class F>
void for_each_item(const pipeline_batch& b, F&& f) {
  batch_cursor at;
  walk(b, at, [&f](const auto& x) {
    f(x);
    return true;
  });
}

}  // namespace peak::engine
