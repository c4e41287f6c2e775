#pragma once
/// Paper broker: a simulated venue that fills against the replayed quotes and trades in
/// event time. Deterministic for a given seed; fault injection for tests. Fill rules are in
/// docs/EXECUTION.md.

#include <array>
#include <cstdint>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "infra/chunked_vector.hpp"
#include "infra/id_index.hpp"

namespace peak::broker {

/// Faults the paper broker can inject (each applies to the next matching occasion).
enum class fault : std::uint8_t {
  reject = 0,          ///< next order is rejected when it reaches the venue
  timeout = 1,         ///< next order's ack is never sent (fills still are)
  drop_report = 2,     ///< next report of any kind is lost
  duplicate_fill = 3,  ///< next fill report is delivered twice
  late_fill = 4,       ///< next fill report is delivered late_fill_delay_ns after the fill
  lose_submit = 5,     ///< next submit never reaches the venue
};

inline constexpr std::size_t fault_count = 6;

/// "reject", "timeout", "drop_report", "duplicate_fill", "late_fill", "lose_submit".
[[nodiscard]] constexpr const char* to_string(fault f) noexcept {
  switch (f) {
    case fault::reject:
      return "reject";
    case fault::timeout:
      return "timeout";
    case fault::drop_report:
      return "drop_report";
    case fault::duplicate_fill:
      return "duplicate_fill";
    case fault::late_fill:
      return "late_fill";
    case fault::lose_submit:
      return "lose_submit";
  }
  return "unknown";
}

/// Reject codes the paper broker uses.
enum paper_reject_code : std::uint16_t {
  paper_reject_injected = 1,    ///< fault::reject
  paper_reject_invalid = 2,     ///< non-positive quantity, bad limit
  paper_reject_instrument = 3,  ///< unknown instrument
};

/// Paper broker settings (defaults: latency 5 ms, slippage 1 bp, fee 1 bp, cash 10,000).
struct paper_broker_config {
  std::int64_t latency_ns = 5'000'000;   ///< submit/cancel -> live at the venue
  std::int64_t latency_jitter_ns = 0;    ///< extra latency, uniform in [0, jitter] (seeded)
  std::int64_t slippage_bps_x100 = 100;  ///< hundredths of a bp on market fills (100 = 1 bp)
  std::int64_t fee_bps_x100 = 100;       ///< hundredths of a bp of fill notional
  money starting_cash = money{10'000 * fixed_scale};
  bool partial_fills = true;                        ///< limit each fill to the displayed size
  std::int64_t limit_ttl_ns = 0;                    ///< limit orders expire after this; 0 = never
  std::int64_t late_fill_delay_ns = 1'000'000'000;  ///< delay for fault::late_fill
  std::uint64_t seed = 1;
  std::uint32_t expected_orders = 4096;  ///< reserved up front (no allocation when warm)
};

/// Simulated venue: orders, fills, cash and positions in event time (see docs/EXECUTION.md).
class paper_broker final : public broker_adapter {
public:
  paper_broker(const paper_broker_config& config, std::uint32_t instruments);

  void submit(const submit_order& order) override;
  void cancel(const cancel_order& order) override;
  void on_market(const market_event& event) override;
  std::size_t poll(std::vector<execution_report>& out) override;
  [[nodiscard]] account_snapshot snapshot() const override;
  void snapshot_into(account_snapshot& out) const override;
  [[nodiscard]] bool connected() const noexcept override { return connected_; }
  [[nodiscard]] bool query_order(std::uint64_t client_order_id,
                                 execution_report& out) const override;
  std::size_t open_orders(std::vector<execution_report>& out) const override;

  /// Arms `count` occurrences of a fault.
  void inject(fault f, std::uint32_t count = 1) noexcept;
  /// Drops the session: submits and cancels are lost, reports are held until reconnect().
  void disconnect() noexcept { connected_ = false; }
  void reconnect() noexcept { connected_ = true; }

  /// Orders the venue has received (duplicates of a known client id are not counted).
  [[nodiscard]] std::uint64_t orders_received() const noexcept { return orders_.size(); }
  /// Submits recognised as a resend of a known client order id (ignored, idempotent).
  [[nodiscard]] std::uint64_t duplicate_submits() const noexcept { return duplicate_submits_; }
  /// Submits / cancels lost to a disconnect or fault::lose_submit.
  [[nodiscard]] std::uint64_t lost_messages() const noexcept { return lost_; }
  [[nodiscard]] const paper_broker_config& config() const noexcept { return config_; }

private:
  enum class venue_state : std::uint8_t { in_transit, live, done };
  struct venue_order {
    submit_order order;
    std::uint64_t broker_id = 0;
    timestamp_ns live_at = 0;
    timestamp_ns cancel_at = -1;
    timestamp_ns expire_at = -1;
    std::int64_t filled = 0;
    venue_state state = venue_state::in_transit;
    report_kind last = report_kind::accepted;
    bool reject_on_arrival = false;
    bool suppress_ack = false;
  };
  struct book_state {
    price bid;
    price ask;
    quantity bid_qty;
    quantity ask_qty;
    bool has_quote = false;
  };
  struct position_state {
    std::int64_t qty = 0;
    std::int64_t avg_px = 0;
  };
  struct pending_report {
    timestamp_ns deliver_at = 0;
    execution_report report;
  };

  void advance(timestamp_ns ts);
  void try_fill(venue_order& o, const market_event& event, std::int64_t& bid_avail,
                std::int64_t& ask_avail, std::int64_t& trade_avail);
  void fill(venue_order& o, std::int64_t qty, std::int64_t px, timestamp_ns ts);
  void emit(const venue_order& o, report_kind kind, timestamp_ns ts, std::int64_t last_qty,
            std::int64_t last_px, std::int64_t fee, std::uint16_t reject_code = 0);
  void finish(venue_order& o) noexcept { o.state = venue_state::done; }
  [[nodiscard]] execution_report status_of(const venue_order& o) const noexcept;
  bool take(fault f) noexcept;
  std::int64_t latency() noexcept;

  paper_broker_config config_;
  chunked_vector<venue_order> orders_;
  id_index index_;
  std::vector<std::uint32_t> open_;  ///< indices of orders not done, in arrival order
  std::vector<book_state> books_;
  std::vector<position_state> positions_;
  std::vector<pending_report> pending_;  ///< sorted by deliver_at (stable)
  std::array<std::uint32_t, fault_count> faults_{};
  money cash_;
  money fees_;
  money realised_;
  timestamp_ns now_ = 0;
  std::uint64_t next_broker_id_ = 1;
  std::uint64_t next_report_id_ = 1;
  std::uint64_t rng_;
  std::uint64_t duplicate_submits_ = 0;
  std::uint64_t lost_ = 0;
  bool connected_ = true;
};

}  // namespace peak::broker
