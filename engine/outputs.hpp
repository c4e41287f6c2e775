#pragma once
/// Renders a session result as the evidence files (trades.csv, equity.csv, orders.csv,
/// metrics.json) and as the operator's summary. Deterministic: the same result always
/// renders to the same bytes; wall-clock figures only appear where passed in explicitly.

#include <cstdint>
#include <string>

#include "config/session_config.hpp"
#include "engine/session_result.hpp"

namespace peak::engine {

/// Wall-clock facts about a run (kept out of determinism comparisons).
struct run_timing {
  double wall_seconds = 0.0;
  double events_per_second = 0.0;
  std::string engine = "graph";  ///< "graph" or "reference"
};

[[nodiscard]] std::string trades_csv(const session_result& result,
                                     const config::session_config& config);
[[nodiscard]] std::string equity_csv(const session_result& result);
[[nodiscard]] std::string orders_csv(const session_result& result,
                                     const config::session_config& config);
/// Final figures. Deterministic members at top level; wall-clock ones under "wall_clock".
[[nodiscard]] std::string metrics_json(const session_result& result,
                                       const config::session_config& config,
                                       const run_timing& timing);
/// A readable multi-line summary for the terminal.
[[nodiscard]] std::string summary_text(const session_result& result,
                                       const config::session_config& config,
                                       const run_timing& timing);

}  // namespace peak::engine
