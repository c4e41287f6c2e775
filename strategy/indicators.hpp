#pragma once
/// Incremental technical indicators: O(1) per update (Donchian: amortised O(1)), no
/// allocation after construction. Conventions follow R's TTR 0.24 so that the values match
/// it to 1e-9 relative (see docs/STRATEGY.md, "Indicator conventions"):
///  - SMA(n): plain mean of the last n inputs; first value after n inputs (TTR runMean/SMA).
///  - EMA(n): seeded with the SMA of the first n inputs, then x*k + prev*(1-k) with
///    k = 2/(n+1) (or k = 1/n for Wilder smoothing) (TTR EMA, TA-Lib EMA).
///  - RSI(n): Wilder; up/down moves of consecutive inputs, each smoothed by a Wilder EMA
///    seeded with the mean of the first n moves; first value after n+1 inputs (TTR RSI).
///  - ATR(n): true range needs the previous close (the first bar has none), Wilder EMA
///    seeded with the mean of the first n true ranges; first value on bar n+1 (TTR ATR).
///  - Donchian(n): highest high / lowest low of the last n bars, current bar included
///    (TTR DonchianChannel, include.lag = FALSE).
///  - rolling volatility(n): sample standard deviation (n-1 denominator) of the last n log
///    returns; equals TTR volatility(x, n = n+1, calc = "close", N = 1).

#include <cmath>
#include <cstdint>
#include <vector>

namespace peak::strategy {

/// Fixed-capacity ring of the last `capacity` doubles.
class ring_buffer {
public:
  explicit ring_buffer(std::uint32_t capacity) : data_(capacity == 0 ? 1 : capacity, 0.0) {}
  /// Appends `x`; returns the value it evicted (0 while not yet full).
  double push(double x) noexcept {
    const double old = data_[head_];
    data_[head_] = x;
    head_ = head_ + 1 == data_.size() ? 0 : head_ + 1;
    if (size_ < data_.size()) {
      ++size_;
      return 0.0;
    }
    return old;
  }
  [[nodiscard]] bool full() const noexcept { return size_ == data_.size(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return data_.size(); }
  /// i-th most recent value (0 = newest); i < size().
  [[nodiscard]] double back(std::size_t i) const noexcept {
    const std::size_t n = data_.size();
    const std::size_t j = head_ + n - 1 - i;  // in [0, 2n)
    return data_[j >= n ? j - n : j];
  }
  void clear() noexcept {
    head_ = 0;
    size_ = 0;
  }

private:
  std::vector<double> data_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

/// Simple moving average over the last `period` inputs (TTR SMA / runMean).
class sma {
public:
  explicit sma(std::uint32_t period) : window_(period), period_(period == 0 ? 1 : period) {}
  /// Adds one input; returns the current value (meaningful once ready()).
  double update(double x) noexcept {
    const bool was_full = window_.full();
    const double old = window_.push(x);
    sum_ = was_full ? sum_ + x - old : sum_ + x;
    value_ = sum_ / static_cast<double>(period_);
    return value_;
  }
  [[nodiscard]] bool ready() const noexcept { return window_.full(); }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] std::uint32_t period() const noexcept { return period_; }

private:
  ring_buffer window_;
  std::uint32_t period_;
  double sum_ = 0.0;
  double value_ = 0.0;
};

/// Exponential moving average, SMA-seeded (TTR EMA; wilder = true gives k = 1/n).
class ema {
public:
  explicit ema(std::uint32_t period, bool wilder = false)
      : period_(period == 0 ? 1 : period),
        k_(wilder ? 1.0 / static_cast<double>(period_) : 2.0 / static_cast<double>(period_ + 1)) {}
  double update(double x) noexcept {
    if (count_ < period_) {
      seed_sum_ += x;
      ++count_;
      if (count_ == period_)
        value_ = seed_sum_ / static_cast<double>(period_);
      return value_;
    }
    value_ = x * k_ + value_ * (1.0 - k_);
    return value_;
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= period_; }
  [[nodiscard]] double value() const noexcept { return value_; }
  [[nodiscard]] std::uint32_t period() const noexcept { return period_; }

private:
  std::uint32_t period_;
  double k_;
  std::uint32_t count_ = 0;
  double seed_sum_ = 0.0;
  double value_ = 0.0;
};

/// Relative strength index with Wilder smoothing (TTR RSI defaults), in [0, 100].
class rsi {
public:
  explicit rsi(std::uint32_t period) : up_(period, true), down_(period, true) {}
  double update(double x) noexcept {
    if (has_prev_) {
      const double change = x - prev_;
      up_.update(change > 0.0 ? change : 0.0);
      down_.update(change < 0.0 ? -change : 0.0);
      if (up_.ready()) {
        const double total = up_.value() + down_.value();
        value_ = total > 0.0 ? 100.0 * up_.value() / total : 50.0;
      }
    }
    prev_ = x;
    has_prev_ = true;
    return value_;
  }
  [[nodiscard]] bool ready() const noexcept { return up_.ready(); }
  [[nodiscard]] double value() const noexcept { return value_; }

private:
  ema up_;
  ema down_;
  double prev_ = 0.0;
  bool has_prev_ = false;
  double value_ = 50.0;
};

/// Average true range with Wilder smoothing (TTR ATR defaults).
class atr {
public:
  explicit atr(std::uint32_t period) : avg_(period, true) {}
  /// Adds one bar (high, low, close).
  double update(double high, double low, double close) noexcept {
    if (has_prev_) {
      const double true_high = high > prev_close_ ? high : prev_close_;
      const double true_low = low < prev_close_ ? low : prev_close_;
      true_range_ = true_high - true_low;
      avg_.update(true_range_);
    }
    prev_close_ = close;
    has_prev_ = true;
    return avg_.value();
  }
  [[nodiscard]] bool ready() const noexcept { return avg_.ready(); }
  [[nodiscard]] double value() const noexcept { return avg_.value(); }
  /// True range of the latest bar (0 for the first bar).
  [[nodiscard]] double true_range() const noexcept { return true_range_; }

private:
  ema avg_;
  double prev_close_ = 0.0;
  bool has_prev_ = false;
  double true_range_ = 0.0;
};

/// Running maximum (or minimum) of the last `period` inputs: a monotonic queue stored in
/// fixed rings, amortised O(1) per update.
class rolling_extreme {
public:
  rolling_extreme(std::uint32_t period, bool maximum)
      : period_(period == 0 ? 1 : period),
        values_(period_, 0.0),
        index_(period_, 0),
        maximum_(maximum) {}
  double update(double x) noexcept {
    ++count_;  // 1-based index of this input; the window holds indexes > count_ - period_
    while (size_ > 0 && index_[head_] + period_ <= count_) {
      head_ = head_ + 1 == period_ ? 0 : head_ + 1;
      --size_;
    }
    while (size_ > 0) {  // drop values the new one dominates
      const double last = values_[slot(size_ - 1)];
      if (maximum_ ? last <= x : last >= x)
        --size_;
      else
        break;
    }
    values_[slot(size_)] = x;
    index_[slot(size_)] = count_;
    ++size_;
    return values_[head_];
  }
  [[nodiscard]] bool ready() const noexcept { return count_ >= period_; }
  [[nodiscard]] double value() const noexcept { return values_[head_]; }

private:
  /// Ring slot of the i-th queued value (i <= size_ < period_ + 1: one wrap at most).
  [[nodiscard]] std::size_t slot(std::size_t i) const noexcept {
    const std::size_t j = head_ + i;
    return j >= period_ ? j - period_ : j;
  }
  std::uint32_t period_;
  std::vector<double> values_;
  std::vector<std::uint64_t> index_;
  bool maximum_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::uint64_t count_ = 0;
};

/// Donchian channel: highest high and lowest low of the last n bars (TTR DonchianChannel).
class donchian {
public:
  explicit donchian(std::uint32_t period) : high_(period, true), low_(period, false) {}
  void update(double high, double low) noexcept {
    high_.update(high);
    low_.update(low);
  }
  [[nodiscard]] bool ready() const noexcept { return high_.ready(); }
  [[nodiscard]] double upper() const noexcept { return high_.value(); }
  [[nodiscard]] double lower() const noexcept { return low_.value(); }
  [[nodiscard]] double middle() const noexcept { return (high_.value() + low_.value()) / 2.0; }

private:
  rolling_extreme high_;
  rolling_extreme low_;
};

/// Sample standard deviation of the last n values (running sums around a fixed shift so
/// the add/remove updates stay accurate).
class rolling_stddev {
public:
  explicit rolling_stddev(std::uint32_t period) : window_(period < 2 ? 2 : period) {}
  double update(double x) noexcept {
    if (!has_shift_) {
      shift_ = x;
      has_shift_ = true;
    }
    const double d = x - shift_;
    const bool was_full = window_.full();
    const double old = window_.push(d);
    if (was_full) {
      sum_ += d - old;
      sum_sq_ += d * d - old * old;
    } else {
      sum_ += d;
      sum_sq_ += d * d;
    }
    const double n = static_cast<double>(window_.size());
    if (window_.size() >= 2) {
      const double var = (sum_sq_ - sum_ * sum_ / n) / (n - 1.0);
      value_ = var > 0.0 ? std::sqrt(var) : 0.0;
    }
    return value_;
  }
  [[nodiscard]] bool ready() const noexcept { return window_.full(); }
  [[nodiscard]] double value() const noexcept { return value_; }

private:
  ring_buffer window_;
  double shift_ = 0.0;
  bool has_shift_ = false;
  double sum_ = 0.0;
  double sum_sq_ = 0.0;
  double value_ = 0.0;
};

/// Rolling volatility: sample standard deviation of the last n log returns of a price
/// series (TTR volatility(x, n + 1, calc = "close", N = 1)); not annualised.
class rolling_volatility {
public:
  explicit rolling_volatility(std::uint32_t returns) : sd_(returns) {}
  /// Adds one price (> 0; others are ignored).
  double update(double price) noexcept {
    if (!(price > 0.0))
      return sd_.value();
    const double log_price = std::log(price);
    if (has_prev_) {
      last_return_ = log_price - prev_log_;  // TTR ROC(type = "continuous"): diff(log(x))
      sd_.update(last_return_);
    }
    prev_log_ = log_price;
    has_prev_ = true;
    return sd_.value();
  }
  [[nodiscard]] bool ready() const noexcept { return sd_.ready(); }
  [[nodiscard]] double value() const noexcept { return sd_.value(); }
  [[nodiscard]] double last_return() const noexcept { return last_return_; }

private:
  rolling_stddev sd_;
  double prev_log_ = 0.0;
  bool has_prev_ = false;
  double last_return_ = 0.0;
};

/// Spread statistics of a quote stream: latest spread, rolling mean over `window` quotes
/// (TTR runMean) and a slow EMA baseline ("typical spread") for spike detection.
class spread_stats {
public:
  spread_stats(std::uint32_t window, std::uint32_t baseline_period)
      : mean_(window), baseline_(baseline_period) {}
  /// Adds one spread (ask - bid, price units).
  void update(double spread) noexcept {
    last_ = spread;
    mean_.update(spread);
    baseline_.update(spread);
    if (spread > max_)
      max_ = spread;
    ++count_;
  }
  [[nodiscard]] double last() const noexcept { return last_; }
  [[nodiscard]] double mean() const noexcept { return mean_.value(); }
  [[nodiscard]] bool ready() const noexcept { return baseline_.ready(); }
  /// Typical spread: SMA-seeded EMA of the spreads.
  [[nodiscard]] double typical() const noexcept { return baseline_.value(); }
  [[nodiscard]] double max() const noexcept { return max_; }
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }

private:
  sma mean_;
  ema baseline_;
  double last_ = 0.0;
  double max_ = 0.0;
  std::uint64_t count_ = 0;
};

}  // namespace peak::strategy
