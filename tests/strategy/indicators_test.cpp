#include "strategy/indicators.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

TEST(Indicators, SmaIsTheMeanOfTheWindow) {
  sma s(3);
  s.update(1.0);
  s.update(2.0);
  EXPECT_FALSE(s.ready());
  EXPECT_DOUBLE_EQ(s.update(3.0), 2.0);
  EXPECT_TRUE(s.ready());
  EXPECT_DOUBLE_EQ(s.update(7.0), 4.0);
}

TEST(Indicators, EmaIsSmaSeeded) {
  ema e(3);
  e.update(1.0);
  e.update(2.0);
  EXPECT_FALSE(e.ready());
  EXPECT_DOUBLE_EQ(e.update(3.0), 2.0);
  EXPECT_DOUBLE_EQ(e.update(6.0), 6.0 * 0.5 + 2.0 * 0.5);
  ema w(4, true);
  for (double x : {1.0, 2.0, 3.0, 4.0})
    w.update(x);
  EXPECT_DOUBLE_EQ(w.value(), 2.5);
  EXPECT_DOUBLE_EQ(w.update(6.5), 6.5 * 0.25 + 2.5 * 0.75);
}

TEST(Indicators, RsiWilder) {
  rsi r(2);
  r.update(10.0);
  r.update(11.0);  // +1
  EXPECT_FALSE(r.ready());
  r.update(10.5);  // -0.5: seeds up 0.5, down 0.25
  ASSERT_TRUE(r.ready());
  EXPECT_DOUBLE_EQ(r.value(), 100.0 * 0.5 / 0.75);
  r.update(11.5);  // +1: up 0.75, down 0.125
  EXPECT_DOUBLE_EQ(r.value(), 100.0 * 0.75 / 0.875);
}

TEST(Indicators, AtrWilderUsesPreviousClose) {
  atr a(2);
  a.update(10.0, 9.0, 9.5);  // no previous close: no true range yet
  EXPECT_FALSE(a.ready());
  a.update(10.2, 9.8, 10.0);  // TR = 10.2 - 9.5 = 0.7
  EXPECT_NEAR(a.true_range(), 0.7, 1e-12);
  a.update(10.1, 9.0, 9.2);  // TR = 10.1 - 9.0 = 1.1
  ASSERT_TRUE(a.ready());
  EXPECT_NEAR(a.value(), 0.9, 1e-12);
}

TEST(Indicators, DonchianMatchesBruteForce) {
  test::splitmix rng(11);
  donchian d(7);
  std::vector<double> hi;
  std::vector<double> lo;
  for (int i = 0; i < 2000; ++i) {
    const double mid = 100.0 + 5.0 * std::sin(i * 0.05) + rng.normal();
    hi.push_back(mid + 0.5);
    lo.push_back(mid - 0.5);
    d.update(hi.back(), lo.back());
    if (i >= 6) {
      ASSERT_TRUE(d.ready());
      const auto b = static_cast<std::ptrdiff_t>(i - 6);
      EXPECT_EQ(d.upper(), *std::max_element(hi.begin() + b, hi.end()));
      EXPECT_EQ(d.lower(), *std::min_element(lo.begin() + b, lo.end()));
    } else {
      EXPECT_FALSE(d.ready());
    }
  }
}

TEST(Indicators, RollingVolatilityMatchesTwoPass) {
  test::splitmix rng(12);
  rolling_volatility v(10);
  std::vector<double> r;
  double lp = std::log(1.5);
  v.update(std::exp(lp));
  for (int i = 0; i < 3000; ++i) {
    const double prev = lp;
    lp += 1e-4 * rng.normal() * (i % 500 < 50 ? 10.0 : 1.0);
    v.update(std::exp(lp));
    r.push_back(std::log(std::exp(lp)) - std::log(std::exp(prev)));
    if (r.size() >= 10) {
      double mean = 0;
      for (std::size_t k = r.size() - 10; k < r.size(); ++k)
        mean += r[k] / 10.0;
      double ss = 0;
      for (std::size_t k = r.size() - 10; k < r.size(); ++k)
        ss += (r[k] - mean) * (r[k] - mean);
      const double sd = std::sqrt(ss / 9.0);
      ASSERT_NEAR(v.value(), sd, 1e-9 * sd) << i;
    }
  }
}

TEST(Indicators, SpreadStats) {
  spread_stats s(3, 4);
  for (double x : {1.0, 2.0, 3.0, 2.0})
    s.update(x);
  EXPECT_DOUBLE_EQ(s.mean(), 7.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.typical(), 2.0);
  EXPECT_TRUE(s.ready());
  EXPECT_EQ(s.max(), 3.0);
  EXPECT_EQ(s.last(), 2.0);
  EXPECT_EQ(s.count(), 4u);
}

}  // namespace
}  // namespace peak::strategy
