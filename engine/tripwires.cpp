#include "engine/tripwires.hpp"

namespace peak::engine {

tripwires make_tripwires(const config::session_config& config) noexcept {
  tripwires t;
  t.max_daily_loss = config.risk.max_daily_loss;
  t.stale_after_ns = config.market_data.stale_after_ns;
  return t;
}

tripwire_book::tripwire_book(money starting_cash, std::uint32_t instruments, bool shadow)
    : book_(starting_cash, instruments), shadow_(shadow), day_start_equity_(starting_cash) {}

void tripwire_book::on_market(const market_event& event) noexcept {
  book_.on_market(event);
  constexpr std::int64_t day_ns = 86'400'000'000'000;
  const std::int64_t day = event.ts_event / day_ns;
  if (day != day_) {
    day_ = day;
    day_start_equity_ = book_.equity();
  }
}

void tripwire_book::on_approved(const submit_order& order) noexcept {
  if (!shadow_)
    book_.on_submit(order);  // every broker order must be known locally
}

money tripwire_book::daily_drawdown() const noexcept {
  const std::int64_t drop = fixed::add(day_start_equity_.raw, -book_.equity().raw);
  return money{drop > 0 ? drop : 0};
}

}  // namespace peak::engine
