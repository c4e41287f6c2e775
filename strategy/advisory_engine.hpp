#pragma once
/// L3 advisory core: runs the configured strategies and emits trade hypotheses, each with
/// a complete risk checklist. Never talks to execution: everything goes to L5.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "messages/instrument.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/outlook.hpp"

namespace peak::strategy {

/// One strategy instance from config: name ("ma_crossover", "rsi_reversion",
/// "donchian_breakout"), the instrument it trades and its numeric parameters.
struct strategy_spec {
  std::string name;
  instrument_id instrument = 0;
  std::map<std::string, double> params;  ///< e.g. fast=10, slow=30
  money order_notional;                  ///< target notional per entry (<= risk limit)
};

class advisory_engine {
public:
  advisory_engine(std::vector<strategy_spec> strategies, std::vector<instrument_spec> instruments);
  /// Records the latest outlook for its instrument (regime, NO-TRADE triggers).
  void on_outlook(const outlook& view) noexcept;
  /// Feeds one market event; appends hypotheses to `out` (caller clears it and keeps its
  /// capacity so this does not allocate). Returns the number appended.
  std::size_t on_event(const market_event& event, std::vector<trade_intent>& out);
};

/// Checks a strategy list before a session starts; empty string if valid, else the reason.
std::string validate_strategies(const std::vector<strategy_spec>& strategies,
                                std::size_t instrument_count);

}  // namespace peak::strategy
