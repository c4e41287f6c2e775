#include "broker/null_broker.hpp"

namespace peak::broker {

null_broker::null_broker(money starting_cash, std::size_t expected_orders)
    : cash_(starting_cash), index_(expected_orders) {
  intended_.reserve(expected_orders);
  cancels_.reserve(expected_orders);
}

void null_broker::submit(const submit_order& order) {
  if (index_.find(order.client_order_id) >= 0)
    return;
  index_.insert(order.client_order_id, static_cast<std::uint32_t>(intended_.size()));
  intended_.push_back(order);
}

void null_broker::cancel(const cancel_order& order) {
  cancels_.push_back(order);
}

void null_broker::on_market(const market_event& event) {
  if (event.ts_event > now_)
    now_ = event.ts_event;
}

std::size_t null_broker::poll(std::vector<execution_report>& out) {
  (void)out;
  return 0;
}

account_snapshot null_broker::snapshot() const {
  account_snapshot s;
  s.ts_event = now_;
  s.cash = cash_;
  return s;
}

}  // namespace peak::broker
