#pragma once
/// Opens a session's market-data source from its config: the seeded synthetic feed, or a
/// replay of recorded files merged in event-time order.

#include <memory>
#include <stdexcept>
#include <string>

#include "config/session_config.hpp"
#include "engine/session_result.hpp"
#include "marketdata/event_source.hpp"

namespace peak::engine {

/// Market data that cannot be opened (missing, unreadable, empty or unknown format). The
/// message names the file. Start-up only.
class source_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Opens the configured source. Relative replay paths resolve against `base_dir`.
[[nodiscard]] std::unique_ptr<marketdata::event_source> open_source(
    const config::session_config& config, const std::string& base_dir = ".");

/// The input counters of a source opened by open_source: lines read, skipped, malformed
/// (with the first few as file:line:reason) for a replay; `replayed == false` otherwise.
/// Complete once the source has been read to its end.
[[nodiscard]] input_counters input_counters_of(const marketdata::event_source& source);

}  // namespace peak::engine
