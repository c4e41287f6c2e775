#pragma once
/// The session process (`peak session serve`, started detached by `peak session start`): runs
/// one registered session to its end while its control endpoint and signal thread serve
/// operators, and records every state change in the registry.

#include <iosfwd>
#include <string>

#include "session/run_request_builder.hpp"

namespace peak::session {

struct serve_request {
  std::string id;        ///< the registered session
  std::string registry;  ///< registry file
  std::string log_level = "info";
  run_overrides overrides;
  std::string command_line;  ///< recorded in the evidence manifest
};

/// Runs the session; problems go to `err` and the registry. Returns exit_ok, or
/// exit_bad_input when the session cannot start or fails (unknown id, config, logging).
[[nodiscard]] int serve_session(const serve_request& request, std::ostream& err);

}  // namespace peak::session
