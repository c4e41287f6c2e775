#pragma once
/// Session configuration (TOML): instruments, market data, outlook, strategies, risk limits,
/// paper broker, metrics and the live lock. Loaded once at start-up; every problem is reported
/// with the file, the key path, what was expected and what was found.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "broker/paper_broker.hpp"
#include "marketdata/synthetic_feed.hpp"
#include "messages/instrument.hpp"
#include "risk/risk_gate.hpp"
#include "strategy/advisory_engine.hpp"
#include "strategy/outlook_engine.hpp"

namespace peak::config {

/// Session mode. `live` exists only as a lock (see docs/EVIDENCE.md, NO-LIVE).
enum class session_mode : std::uint8_t { paper = 0, shadow = 1, live = 2 };

[[nodiscard]] const char* to_string(session_mode mode) noexcept;

/// Where market data comes from.
struct market_data_settings {
  std::string source = "synthetic";  ///< "synthetic" or "replay"
  std::vector<std::string> files;    ///< replay inputs (relative to the config file)
  std::string speed = "max";         ///< "max" (as fast as possible) or "<N>x"
  marketdata::synthetic_config synthetic;
  std::int64_t gap_threshold_ns = 5'000'000'000;  ///< quality: time gap
  std::int64_t stale_after_ns = 30'000'000'000;   ///< quality: stale feed
  double jump_sigma = 8.0;                        ///< quality: price jump
};

/// Paper broker simulation parameters.
struct broker_settings {
  std::int64_t latency_ns = 5'000'000;
  double slippage_bps = 1.0;
  double fee_bps = 1.0;
  money starting_cash = money{10'000 * fixed_scale};
  bool partial_fills = true;
  /// Faults armed in the paper broker at the start ([broker.faults], by broker::fault name:
  /// drills and tests of the tripwires; none by default).
  std::array<std::uint32_t, broker::fault_count> faults{};
};

/// What the kill switch does on a halt, besides closing the gate and cancelling every open
/// order (which always happens).
struct kill_switch_settings {
  /// Paper sessions: once the cancels have settled, close every position left with reducing
  /// market orders that bypass nothing but the halt (fresh data, order rate and the risk
  /// gate's seal still apply). Shadow sessions send nothing, so have nothing to flatten.
  bool flatten_on_halt = false;
};

struct metrics_settings {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 picks a free port
  bool enabled = true;
};

/// Live mode lock: all of these must hold, and the venue must be loopback.
struct live_settings {
  bool enable = false;
  std::string account;
  std::vector<std::string> allowlist;  ///< "ACCOUNT:SYMBOL" entries
  std::string venue;                   ///< host:port of the (loopback) venue
};

struct session_settings {
  std::string name = "session";
  session_mode mode = session_mode::paper;
  std::uint64_t seed = 1;
  std::string operator_id = "operator";
  std::string run_reason = "manual run";
};

/// The whole session configuration.
struct session_config {
  std::string source_path;  ///< file it was read from ("" for defaults / text)
  session_settings session;
  std::vector<instrument_spec> instruments;
  market_data_settings market_data;
  strategy::outlook_config outlook;
  std::vector<strategy::strategy_spec> strategies;
  risk::risk_limits risk;
  broker_settings broker;
  kill_switch_settings kill_switch;
  metrics_settings metrics;
  live_settings live;
};

/// A configuration that cannot be used. `problems()` has one line per problem, each naming
/// the file, the key path, what was expected and what was found.
class config_error : public std::runtime_error {
public:
  explicit config_error(std::vector<std::string> problems);
  [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

private:
  std::vector<std::string> problems_;
};

/// Reads and validates a config file. Throws config_error (bad content) or config_error with
/// one problem (missing / unreadable file).
[[nodiscard]] session_config load_config(const std::string& path);

/// Parses and validates TOML text; `source_name` is used in messages.
[[nodiscard]] session_config parse_config(const std::string& text, const std::string& source_name);

/// The built-in demo configuration (one synthetic instrument, MA crossover, phase-1 limits).
[[nodiscard]] session_config default_config();

/// Canonical TOML rendering of a config (the evidence pack's config snapshot). Stable: the
/// same config always renders to the same bytes.
[[nodiscard]] std::string to_toml(const session_config& config);

}  // namespace peak::config
