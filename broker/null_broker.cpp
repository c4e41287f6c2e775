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

bool null_broker::query_order(std::uint64_t client_order_id, execution_report& out) const {
  const std::int64_t idx = index_.find(client_order_id);
  if (idx < 0)
    return false;
  const submit_order& o = intended_[static_cast<std::size_t>(idx)];
  out = execution_report{};
  out.client_order_id = o.client_order_id;
  out.instrument = o.instrument;
  out.direction = o.direction;
  out.kind = report_kind::accepted;
  out.ts_event = now_;
  out.leaves_qty = o.qty;
  return true;
}

}  // namespace peak::broker
