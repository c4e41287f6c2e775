#pragma once
/// L3 advisory core: runs the configured strategies and emits trade hypotheses, each with
/// a complete risk checklist. Never talks to execution: everything goes to L5.
/// Strategies, rules and parameters: docs/STRATEGY.md.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/instrument.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/outlook.hpp"
#include "strategy/indicators.hpp"

namespace peak::strategy {

/// One strategy instance from config: name ("ma_crossover", "rsi_reversion",
/// "donchian_breakout"), the instrument it trades and its numeric parameters.
struct strategy_spec {
  std::string name;
  instrument_id instrument = 0;
  std::map<std::string, double> params;  ///< e.g. fast=10, slow=30
  money order_notional;                  ///< target notional per entry (<= risk limit)
};

/// The strategies L3 knows.
enum class strategy_kind : std::uint8_t {
  ma_crossover = 0,
  rsi_reversion = 1,
  donchian_breakout = 2
};

/// Rule ids carried in risk_checklist::rule (stable numbers, docs/STRATEGY.md).
enum strategy_rule : std::uint16_t {
  rule_ma_cross_up_long = 101,      ///< fast SMA crosses above slow: enter long
  rule_ma_cross_down_short = 102,   ///< fast SMA crosses below slow: enter short
  rule_ma_cross_down_exit = 103,    ///< fast crosses below slow: exit long
  rule_ma_cross_up_exit = 104,      ///< fast crosses above slow: exit short
  rule_rsi_oversold_long = 201,     ///< RSI crosses up through oversold: enter long
  rule_rsi_overbought_short = 202,  ///< RSI crosses down through overbought: enter short
  rule_rsi_exit_long = 203,         ///< RSI reaches exit_level: exit long
  rule_rsi_exit_short = 204,        ///< RSI falls to exit_level: exit short
  rule_donchian_up_long = 301,      ///< price above the previous `period` high: enter long
  rule_donchian_down_short = 302,   ///< price below the previous `period` low: enter short
  rule_donchian_exit_long = 303,    ///< price below the previous `exit_period` low: exit long
  rule_donchian_exit_short = 304,   ///< price above the previous `exit_period` high: exit short
  rule_stop_hit = 901,              ///< price at or through the stop: exit
  rule_take_profit_hit = 902,       ///< price at or through the take-profit: exit
};

/// Stable snake_case name of a rule id (for decision logs and CSVs); "unknown" otherwise.
constexpr const char* strategy_rule_name(std::uint16_t rule) noexcept {
  switch (rule) {
    case rule_ma_cross_up_long:
      return "ma_cross_up_long";
    case rule_ma_cross_down_short:
      return "ma_cross_down_short";
    case rule_ma_cross_down_exit:
      return "ma_cross_down_exit";
    case rule_ma_cross_up_exit:
      return "ma_cross_up_exit";
    case rule_rsi_oversold_long:
      return "rsi_oversold_long";
    case rule_rsi_overbought_short:
      return "rsi_overbought_short";
    case rule_rsi_exit_long:
      return "rsi_exit_long";
    case rule_rsi_exit_short:
      return "rsi_exit_short";
    case rule_donchian_up_long:
      return "donchian_up_long";
    case rule_donchian_down_short:
      return "donchian_down_short";
    case rule_donchian_exit_long:
      return "donchian_exit_long";
    case rule_donchian_exit_short:
      return "donchian_exit_short";
    case rule_stop_hit:
      return "stop_hit";
    case rule_take_profit_hit:
      return "take_profit_hit";
    default:
      return "unknown";
  }
}

/// Why hypotheses were or were not raised, per strategy (visible to operators).
struct advisory_stats {
  std::uint64_t entries = 0;           ///< entry hypotheses emitted
  std::uint64_t exits = 0;             ///< exit hypotheses emitted
  std::uint64_t blocked_no_trade = 0;  ///< entry signals suppressed by a NO-TRADE trigger
  std::uint64_t blocked_regime = 0;    ///< entry signals suppressed by regime_filter
  std::uint64_t incomplete = 0;        ///< signals dropped: checklist incomplete (e.g. size 0)
};

/// Per-strategy runtime state (indicators, assumed position). Internal to the engine.
struct strategy_runtime {
  strategy_kind kind = strategy_kind::ma_crossover;
  std::uint16_t index = 0;
  instrument_id instrument = 0;
  money order_notional;
  std::int64_t stop_bps_x100 = 0;         ///< hundredths of a basis point
  std::int64_t take_profit_bps_x100 = 0;  ///< hundredths of a basis point
  bool long_only = false;
  bool regime_filter = false;
  double oversold = 30.0;
  double overbought = 70.0;
  double exit_level = 50.0;
  sma fast{1};
  sma slow{2};
  rsi strength{2};
  donchian entry_channel{1};
  donchian exit_channel{1};
  bool has_prev = false;
  double prev = 0.0;  ///< previous fast-slow difference or RSI
  // Assumed position: 0 flat, +1 long, -1 short.
  int position = 0;
  quantity size;
  price stop;
  price take_profit;
  advisory_stats stats;
};

class advisory_engine {
public:
  /// Throws std::invalid_argument when validate_strategies() rejects the list (start-up).
  advisory_engine(std::vector<strategy_spec> strategies, std::vector<instrument_spec> instruments);
  /// Records the latest outlook for its instrument (regime, NO-TRADE triggers). Until the
  /// first outlook of an instrument arrives, it counts as warming up (no entries).
  void on_outlook(const outlook& view) noexcept;
  /// Feeds one market event; appends hypotheses to `out` (caller clears it and keeps its
  /// capacity so this does not allocate). Returns the number appended.
  std::size_t on_event(const market_event& event, std::vector<trade_intent>& out);
  /// Counters of strategy `index` (config order).
  [[nodiscard]] const advisory_stats& stats(std::size_t index) const;
  [[nodiscard]] std::size_t strategies() const noexcept { return runtimes_.size(); }
  /// Assumed position of strategy `index`: +1 long, -1 short, 0 flat.
  [[nodiscard]] int position(std::size_t index) const;
  /// Id of the last hypothesis emitted (0 before the first); ids run 1, 2, 3 ...
  [[nodiscard]] std::uint64_t last_intent_id() const noexcept { return next_id_ - 1; }

private:
  void run(strategy_runtime& s, const market_event& event, price px,
           std::vector<trade_intent>& out);
  bool emit_entry(strategy_runtime& s, const market_event& event, price px, side direction,
                  std::uint16_t rule, std::vector<trade_intent>& out);
  bool emit_exit(strategy_runtime& s, const market_event& event, price px, std::uint16_t rule,
                 std::vector<trade_intent>& out);

  std::vector<strategy_runtime> runtimes_;
  std::vector<instrument_spec> instruments_;
  std::vector<std::vector<std::size_t>> by_instrument_;
  std::vector<outlook> outlooks_;
  std::uint64_t next_id_ = 1;
};

/// Checks a strategy list before a session starts; empty string if valid, else the reason.
std::string validate_strategies(const std::vector<strategy_spec>& strategies,
                                std::size_t instrument_count);

/// Whether a hypothesis carries a complete risk checklist: side, positive entry/stop/
/// take-profit on the right sides of the entry (entries), size > 0 on the lot grid,
/// notional == |entry × size| and, for entries, notional <= `order_notional`.
[[nodiscard]] bool checklist_complete(const trade_intent& intent, quantity lot_size,
                                      money order_notional) noexcept;

}  // namespace peak::strategy
