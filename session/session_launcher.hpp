#pragma once
/// `peak session start`: registers a session and starts its process (`peak session serve`)
/// detached, then waits (bounded) until it runs.

#include <iosfwd>
#include <string>

#include "session/run_request_builder.hpp"
#include "session/session_registry.hpp"

namespace peak::session {

struct start_request {
  std::string registry = "runs/registry.sqlite";
  std::string log_level = "info";
  run_overrides overrides;  ///< mode must be set (shadow or paper)
};

struct start_result {
  int exit_code = 0;    ///< exit_ok, exit_bad_input (config, data, directory), exit_internal
  session_entry entry;  ///< as registered once running (exit_ok only)
};

/// Validates the request as the session will (config, live refusal, data files), then starts
/// the session process. Problems go to `err`.
[[nodiscard]] start_result start_session(const start_request& request, std::ostream& err);

}  // namespace peak::session
