#pragma once
/// Building and walking pipeline batches (actors/ only; the batch itself is a plain message).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "messages/pipeline_batch.hpp"

namespace peak::actors {

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
  b.sent_wall_ns = 0;
}

/// Appends `sample` to `samples` if it fits in the reserved capacity (no allocation);
/// otherwise counts it as dropped.
inline void record_sample(std::vector<std::int64_t>& samples, std::atomic<std::uint64_t>& dropped,
                          std::int64_t sample) noexcept {
  if (samples.size() < samples.capacity())
    samples.push_back(sample);
  else
    dropped.fetch_add(1, std::memory_order_relaxed);
}

/// Calls `f` on every item of `b` in order. An item whose payload is missing (a malformed
/// batch; ours never are) ends the walk instead of reading out of bounds.
template <class F>
void for_each_item(const pipeline_batch& b, F&& f) {
  std::array<std::size_t, 7> next{};
  auto take = [&](const auto& payload, std::size_t slot) -> const auto* {
    return next[slot] < payload.size() ? &payload[next[slot]++] : nullptr;
  };
  for (const batch_item kind : b.items) {
    bool ok = true;
    switch (kind) {
      case batch_item::market_event:
        if (const auto* x = take(b.events, 0); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::outlook:
        if (const auto* x = take(b.outlooks, 1); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::trade_intent:
        if (const auto* x = take(b.intents, 2); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::approved_order:
        if (const auto* x = take(b.approved, 3); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::order_denied:
        if (const auto* x = take(b.denied, 4); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::execution_report:
        if (const auto* x = take(b.reports, 5); (ok = x != nullptr))
          f(*x);
        break;
      case batch_item::account_snapshot:
        if (const auto* x = take(b.snapshots, 6); (ok = x != nullptr))
          f(*x);
        break;
      default:
        ok = false;
    }
    if (!ok)
      return;
  }
}

}  // namespace peak::actors
