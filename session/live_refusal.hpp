#pragma once
/// The NO-LIVE refusal shared by every command that starts a session (`peak run`,
/// `peak session start`): a live session is always refused, naming each failed lock condition.

#include <iosfwd>
#include <string>
#include <string_view>

#include "config/session_config.hpp"

namespace peak::session {

/// If `cfg` asks for live mode, writes "<command>: live mode refused:" and one line per failed
/// NO-LIVE lock condition (evidence/live_lock.hpp) to `err` and returns true: the caller exits
/// with exit_bad_input (2). Even when every lock condition holds the session is refused, since
/// this build ships no live broker adapter. Returns false, writing nothing, for shadow and paper.
[[nodiscard]] bool refuse_live_mode(const config::session_config& cfg, std::string_view command,
                                    std::ostream& err);

/// Loads `config_path` as written (before any command-line override of the mode) and applies
/// refuse_live_mode to it. An empty path (built-in defaults, never live) or a config that does
/// not load is not refused here: the caller's own load reports the config's problems.
[[nodiscard]] bool refuse_live_config(const std::string& config_path, std::string_view command,
                                      std::ostream& err);

}  // namespace peak::session
