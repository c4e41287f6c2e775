#pragma once
/// The one place a command line becomes a run request: `peak run`, `peak session start` and
/// the session process all build theirs here, so an override means the same everywhere.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/session_config.hpp"
#include "session/engine_kind.hpp"
#include "session/session_runner.hpp"

namespace peak::session {

/// What a command line may change in a session's config; unset or empty keeps the config's.
struct run_overrides {
  std::string config_path;  ///< "" = the built-in defaults
  std::optional<config::session_mode> mode;
  std::uint64_t synthetic_events = 0;  ///< > 0: the seeded synthetic feed with N events
  std::optional<std::uint64_t> seed;
  std::vector<std::string> data;  ///< replay files, relative to the working directory
  std::string speed;              ///< validated by marketdata::parse_speed
  std::string operator_id;
  std::string reason;
  std::string out = "runs";
  engine_kind engine = engine_kind::graph;
  std::size_t threads = 0;  ///< CAF scheduler workers (0 = auto)
  bool spin = false;        ///< graph_options::idle = spin
};

/// The accepted forms of a replay speed, for error messages.
inline constexpr const char* speed_forms =
    "max, or a positive multiple of event time such as 1x, 10x, 0.5x";

/// Loads the config (or the defaults), applies `overrides` and fills the run request. Throws
/// config::config_error naming every problem (bad config file, bad --speed): bad input.
[[nodiscard]] run_request build_run_request(const run_overrides& overrides,
                                            const std::string& command_line);

}  // namespace peak::session
