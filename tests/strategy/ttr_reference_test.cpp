// Indicators against an independent implementation: R's TTR on the shared GBP/USD minute
// bars. scripts/reference/ttr_reference.R writes the reference values into a temp dir at
// test time (they derive from shared data and are never committed). Skips cleanly when the
// data, Rscript or TTR is absent.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "strategy/indicators.hpp"
#include "tests/strategy/test_support.hpp"

namespace peak::strategy {
namespace {

namespace fs = std::filesystem;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct reference_row {
  double sma = nan, ema = nan, wema = nan, rsi = nan, atr = nan, dc_high = nan, dc_low = nan,
         vol = nan, spread = nan;
};

double parse(const std::string& s) {
  return s == "NA" ? nan : std::stod(s);
}

/// Runs the R script once per test binary; empty when it cannot (reason in `why`).
const std::vector<reference_row>& reference(std::string& why) {
  static std::vector<reference_row> rows;
  static std::string reason;
  static bool done = false;
  if (!done) {
    done = true;
    const std::string bid = test::shared_data("bars/gbpusd-m1-bid-2012.csv");
    const std::string ask = test::shared_data("bars/gbpusd-m1-ask-2012.csv");
    if (!fs::exists(bid) || !fs::exists(ask)) {
      reason = "shared GBP/USD bars absent";
    } else if (std::system("Rscript -e 'suppressPackageStartupMessages(library(TTR))' "
                           ">/dev/null 2>&1") != 0) {
      reason = "Rscript or r-cran-ttr absent";
    } else {
      const fs::path dir =
          fs::temp_directory_path() / ("peak_strategy_ttr_" + std::to_string(::getpid()));
      fs::create_directories(dir);
      const fs::path out = dir / "ttr_reference.csv";
      const std::string cmd = std::string("Rscript '") + PEAK_SOURCE_DIR +
                              "/scripts/reference/ttr_reference.R' '" + bid + "' '" + ask + "' '" +
                              out.string() + "' >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) {
        reason = "ttr_reference.R failed";
      } else {
        std::ifstream in(out);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
          std::vector<std::string> f;
          std::stringstream ss(line);
          std::string cell;
          while (std::getline(ss, cell, ','))
            f.push_back(cell);
          if (f.size() != 10)
            continue;
          reference_row r;
          r.sma = parse(f[1]);
          r.ema = parse(f[2]);
          r.wema = parse(f[3]);
          r.rsi = parse(f[4]);
          r.atr = parse(f[5]);
          r.dc_high = parse(f[6]);
          r.dc_low = parse(f[7]);
          r.vol = parse(f[8]);
          r.spread = parse(f[9]);
          rows.push_back(r);
        }
      }
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  why = reason;
  return rows;
}

/// Compares one indicator series: NA in the reference exactly where ours is not ready,
/// else equal to 1e-9 relative.
class series_check {
public:
  explicit series_check(const char* name) : name_(name) {}
  void check(std::size_t row, double expected, bool ready, double actual) {
    if (std::isnan(expected)) {
      EXPECT_FALSE(ready) << name_ << " row " << row << ": reference NA, ours ready";
      return;
    }
    ASSERT_TRUE(ready) << name_ << " row " << row << ": reference has a value, ours not ready";
    const double scale = std::max(std::fabs(expected), std::fabs(actual));
    const double err = std::fabs(actual - expected);
    if (scale > 0.0)
      max_rel_ = std::max(max_rel_, err / scale);
    ASSERT_LE(err, 1e-9 * scale) << name_ << " row " << row << ": expected " << expected << ", got "
                                 << actual;
    ++compared_;
  }
  ~series_check() {
    EXPECT_GT(compared_, 20000u) << name_;
    std::printf("  %-16s %zu values, max relative error %.3g\n", name_, compared_, max_rel_);
  }

private:
  const char* name_;
  std::size_t compared_ = 0;
  double max_rel_ = 0.0;
};

TEST(TtrReference, IndicatorsMatchTtrOnGbpUsdMinuteBars) {
  std::string why;
  const auto& ref = reference(why);
  if (!why.empty())
    GTEST_SKIP() << why;
  const auto bid = test::read_bars(test::shared_data("bars/gbpusd-m1-bid-2012.csv"));
  const auto ask = test::read_bars(test::shared_data("bars/gbpusd-m1-ask-2012.csv"));
  ASSERT_EQ(ref.size(), bid.size());
  ASSERT_EQ(ask.size(), bid.size());

  sma s20(20);
  ema e20(20);
  ema w14(14, true);
  rsi r14(14);
  atr a14(14);
  donchian d20(20);
  rolling_volatility v20(20);
  spread_stats sp(30, 100);
  series_check c_sma("SMA(20)"), c_ema("EMA(20)"), c_wema("EMA(14,wilder)"), c_rsi("RSI(14)"),
      c_atr("ATR(14)"), c_dch("Donchian(20).hi"), c_dcl("Donchian(20).lo"), c_vol("volatility(20)"),
      c_spread("spread mean(30)");
  for (std::size_t i = 0; i < bid.size(); ++i) {
    const auto& b = bid[i];
    ASSERT_EQ(b.ts, ask[i].ts);
    s20.update(b.close);
    e20.update(b.close);
    w14.update(b.close);
    r14.update(b.close);
    a14.update(b.high, b.low, b.close);
    d20.update(b.high, b.low);
    v20.update(b.close);
    sp.update(ask[i].close - b.close);
    const reference_row& r = ref[i];
    c_sma.check(i, r.sma, s20.ready(), s20.value());
    c_ema.check(i, r.ema, e20.ready(), e20.value());
    c_wema.check(i, r.wema, w14.ready(), w14.value());
    c_rsi.check(i, r.rsi, r14.ready(), r14.value());
    c_atr.check(i, r.atr, a14.ready(), a14.value());
    c_dch.check(i, r.dc_high, d20.ready(), d20.upper());
    c_dcl.check(i, r.dc_low, d20.ready(), d20.lower());
    c_vol.check(i, r.vol, v20.ready(), v20.value());
    c_spread.check(i, r.spread, sp.count() >= 30, sp.mean());
    if (HasFatalFailure())
      return;
  }
}

}  // namespace
}  // namespace peak::strategy
