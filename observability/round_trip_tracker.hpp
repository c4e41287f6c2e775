#pragma once
/// Broker round trip on the wall clock: the instant execution hands an order to the broker
/// adapter -> the instant execution processes the first report for that order. A fixed table
/// of slots keyed by client order id: no allocation, O(1) per order and per report.

#include <array>
#include <cstddef>
#include <cstdint>

#include "observability/session_metrics.hpp"

namespace peak::observability {

/// Pending hand-offs of one execution stage (single-threaded: the execution actor's state).
/// Client order ids are dense and increasing, so `id % slot_count` spreads the orders in
/// flight; an order whose slot is taken by another still-unanswered order replaces it (that
/// older sample is lost and counted in dropped()). Never blocks, never allocates.
class round_trip_tracker {
public:
  static constexpr std::size_t slot_count = 4096;  ///< orders in flight tracked exactly

  /// The order `client_order_id` was handed to the broker at `now_ns` (steady clock). A
  /// resend of an order still waiting for its first report keeps the first instant.
  void on_handed_off(std::uint64_t client_order_id, std::int64_t now_ns) noexcept {
    if (client_order_id == 0)
      return;
    slot& s = slots_[client_order_id % slot_count];
    if (s.client_order_id == client_order_id)
      return;
    if (s.client_order_id != 0)
      ++dropped_;  // replaces an older order still waiting
    else
      ++pending_;
    s.client_order_id = client_order_id;
    s.handed_off_ns = now_ns;
  }

  /// A report for `client_order_id` reached execution at `now_ns`: if it is the order's first
  /// report, observes the round trip into `histogram` and returns true.
  bool on_report(std::uint64_t client_order_id, std::int64_t now_ns,
                 latency_histogram& histogram) noexcept {
    if (client_order_id == 0)
      return false;
    slot& s = slots_[client_order_id % slot_count];
    if (s.client_order_id != client_order_id)
      return false;  // not handed off (a local report), or its first report was seen
    histogram.observe_ns(now_ns - s.handed_off_ns);
    s.client_order_id = 0;
    --pending_;
    return true;
  }

  /// Orders handed off and still waiting for their first report.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_; }
  /// Samples lost because more than slot_count orders (modulo collisions) were in flight.
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }

private:
  struct slot {
    std::uint64_t client_order_id = 0;  ///< 0: free
    std::int64_t handed_off_ns = 0;
  };
  std::array<slot, slot_count> slots_{};
  std::size_t pending_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace peak::observability
