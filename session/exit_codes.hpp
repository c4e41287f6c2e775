#pragma once
/// Exit codes of every `peak` command (and what the session library returns for them).

namespace peak::session {

inline constexpr int exit_ok = 0;
inline constexpr int exit_problem = 1;    ///< the run or check found a problem
inline constexpr int exit_bad_input = 2;  ///< usage, config, missing or unreadable file
inline constexpr int exit_internal = 3;   ///< a bug or a broken installation

}  // namespace peak::session
