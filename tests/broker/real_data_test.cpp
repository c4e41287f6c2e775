// The whole order path on real prices: a month of FXCM GBP/USD one-minute bid/ask bars
// (shared data, never copied here) as quotes through risk gate -> execution -> paper broker ->
// reconciler. Skips when the shared data is absent.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/broker/broker_test_support.hpp"

namespace peak::broker {
namespace {

using namespace testing;

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3u : 9u)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// "2012-02-01 00:01:00+00:00,o,h,l,c" -> (event time, close raw). False on a bad line.
bool parse_bar(const std::string& line, timestamp_ns& ts, std::int64_t& close) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(line.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6)
    return false;
  const auto comma = line.rfind(',');
  if (comma == std::string::npos)
    return false;
  close = fixed::from_double(std::stod(line.substr(comma + 1)));
  ts = (days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
        mi * 60 + s) *
       second;
  return true;
}

struct run_result {
  std::string trades;
  std::string orders;
  std::uint64_t fills = 0;
  std::uint64_t checks = 0;
};

run_result run_month(const std::string& dir) {
  std::ifstream bid(dir + "/gbpusd-m1-bid-2012.csv");
  std::ifstream ask(dir + "/gbpusd-m1-ask-2012.csv");
  paper_broker_config cfg;
  cfg.seed = 42;
  cfg.latency_jitter_ns = 2 * ms;
  pipeline p(cfg, execution_config{}, 1, false);
  run_result out;
  std::string lb, la;
  std::getline(bid, lb);
  std::getline(ask, la);
  int n = 0;
  while (std::getline(bid, lb) && std::getline(ask, la)) {
    timestamp_ns tb = 0, ta = 0;
    std::int64_t b = 0, a = 0;
    if (!parse_bar(lb, tb, b) || !parse_bar(la, ta, a) || tb != ta || b <= 0 || a < b)
      continue;
    const auto& reports = p.market(quote(0, tb, b, a, 0, 0));
    for (const auto& r : reports)
      if (r.kind == report_kind::partially_filled || r.kind == report_kind::filled) {
        ++out.fills;
        ++out.checks;
        const reconcile_result res = p.reconcile();
        EXPECT_TRUE(res.ok) << res.breach;
        if (!res.ok)
          return out;
      }
    // A deterministic stand-in strategy: every 15 minutes buy 10 units, exit 7 minutes later.
    if (++n % 15 == 0)
      p.send(0, side::buy, 10 * unit, (a + b) / 2);
    else if (n % 15 == 7 && p.gate.committed_position(0).raw > 0) {
      const approved_order o = p.approve(0, side::sell, 10 * unit, (a + b) / 2, intent_kind::exit);
      if (p.last_decision.approved && p.exec.on_approved(o, p.reports))
        p.rec.on_submit(o.order);
    }
  }
  p.tick(p.now + 10 * second);
  const reconcile_result res = p.reconcile();
  EXPECT_TRUE(res.ok) << res.breach;
  EXPECT_EQ(p.exec.open_orders(), 0u);
  const account_snapshot s = p.broker.snapshot();
  EXPECT_EQ(p.gate.committed_position(0).raw, s.positions.empty() ? 0 : s.positions[0].qty.raw);
  std::ostringstream t, o;
  p.exec.write_trades_csv(t);
  p.exec.write_orders_csv(o);
  out.trades = t.str();
  out.orders = o.str();
  return out;
}

TEST(RealData, MonthOfGbpUsdQuotesReconcilesOnEveryFillAndIsDeterministic) {
  const std::string dir = std::string(PEAK_SHARED_DATA_DIR) + "/bars";
  if (!std::ifstream(dir + "/gbpusd-m1-bid-2012.csv").good())
    GTEST_SKIP() << "shared data not present: " << dir;
  const run_result a = run_month(dir);
  EXPECT_GT(a.fills, 1000u);
  const run_result b = run_month(dir);
  EXPECT_EQ(a.trades, b.trades);
  EXPECT_EQ(a.orders, b.orders);
}

}  // namespace
}  // namespace peak::broker
