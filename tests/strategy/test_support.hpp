#pragma once
/// Helpers shared by the strategy tests: event builders and a small bars CSV reader.

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "messages/fixed_point.hpp"
#include "messages/market_data.hpp"

namespace peak::strategy::test {

inline constexpr std::int64_t second_ns = 1'000'000'000;
inline constexpr std::int64_t minute_ns = 60 * second_ns;

/// A trade event at `price` (double) and event time `ts`.
inline market_event trade_at(timestamp_ns ts, double px, instrument_id instrument = 0) {
  market_event e;
  e.ts_event = ts;
  e.instrument = instrument;
  e.kind = event_kind::trade;
  e.px = fixed::make_price(px);
  e.qty = fixed::make_quantity(1.0);
  return e;
}

/// A quote event with bid/ask.
inline market_event quote_at(timestamp_ns ts, double bid, double ask,
                             instrument_id instrument = 0) {
  market_event e;
  e.ts_event = ts;
  e.instrument = instrument;
  e.kind = event_kind::quote;
  e.bid = fixed::make_price(bid);
  e.ask = fixed::make_price(ask);
  e.bid_qty = fixed::make_quantity(1.0);
  e.ask_qty = fixed::make_quantity(1.0);
  return e;
}

/// Deterministic splitmix64 generator and a Box-Muller normal (no <random>).
class splitmix {
public:
  explicit splitmix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in (0, 1).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) / 9007199254740992.0; }
  double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  std::uint64_t state_;
};

/// One OHLC bar of the shared GBP/USD data.
struct bar_row {
  timestamp_ns ts = 0;
  double open = 0, high = 0, low = 0, close = 0;
};

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Reads `timestamp,open,high,low,close` rows ("2012-02-01 00:00:00+00:00,...").
/// Returns an empty vector if the file cannot be opened.
inline std::vector<bar_row> read_bars(const std::string& path) {
  std::vector<bar_row> rows;
  std::ifstream in(path);
  if (!in)
    return rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.size() < 20)
      continue;
    bar_row r;
    const std::int64_t y = std::stoll(line.substr(0, 4));
    const auto mo = static_cast<unsigned>(std::stoul(line.substr(5, 2)));
    const auto d = static_cast<unsigned>(std::stoul(line.substr(8, 2)));
    const std::int64_t hh = std::stoll(line.substr(11, 2));
    const std::int64_t mm = std::stoll(line.substr(14, 2));
    const std::int64_t ss = std::stoll(line.substr(17, 2));
    r.ts = ((days_from_civil(y, mo, d) * 24 + hh) * 60 + mm) * minute_ns + ss * second_ns;
    std::istringstream fields(line.substr(line.find(',') + 1));
    char comma = 0;
    fields >> r.open >> comma >> r.high >> comma >> r.low >> comma >> r.close;
    if (fields)
      rows.push_back(r);
  }
  return rows;
}

/// Path of a file under the shared data directory.
inline std::string shared_data(const std::string& relative) {
  return std::string(PEAK_SHARED_DATA_DIR) + "/" + relative;
}

}  // namespace peak::strategy::test
