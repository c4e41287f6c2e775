#pragma once
/// Shadow-mode adapter: records the orders that would have been sent and sends nothing.
/// Produces no reports; the account never changes.

#include <cstdint>
#include <vector>

#include "broker/broker_adapter.hpp"
#include "infra/id_index.hpp"

namespace peak::broker {

class null_broker final : public broker_adapter {
public:
  explicit null_broker(money starting_cash = money{10'000 * fixed_scale},
                       std::size_t expected_orders = 4096);

  /// Records the order once per client order id (a resend is not recorded again).
  void submit(const submit_order& order) override;
  void cancel(const cancel_order& order) override;
  void on_market(const market_event& event) override;
  std::size_t poll(std::vector<execution_report>& out) override;
  [[nodiscard]] account_snapshot snapshot() const override;
  /// A recorded order reads as accepted (it "rests" forever); unknown ids are unknown.
  [[nodiscard]] bool query_order(std::uint64_t client_order_id,
                                 execution_report& out) const override;

  /// Orders that would have been sent, in order.
  [[nodiscard]] const std::vector<submit_order>& intended() const noexcept { return intended_; }
  /// Cancels that would have been sent, in order.
  [[nodiscard]] const std::vector<cancel_order>& cancels() const noexcept { return cancels_; }

private:
  money cash_;
  timestamp_ns now_ = 0;
  std::vector<submit_order> intended_;
  std::vector<cancel_order> cancels_;
  id_index index_;
};

}  // namespace peak::broker
