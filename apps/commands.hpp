#pragma once
/// Subcommand groups of the `peak` CLI. Each group lives in its own apps/<group>_commands.cpp
/// and reports its exit code by throwing CLI::RuntimeError(code) from its callback.
///
/// Exit codes (all commands): 0 success; 1 the run/check found a problem (invalid pack,
/// determinism mismatch, tripwire); 2 bad input (usage, config, missing or unreadable file);
/// 3 internal error.

#include <string>

#include "session/exit_codes.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace peak::apps {

using session::exit_bad_input;
using session::exit_internal;
using session::exit_ok;
using session::exit_problem;

/// The command line this process was started with (recorded in evidence manifests).
const std::string& command_line();

/// `peak run` (apps/run_command.cpp).
void add_run_command(CLI::App& root);

/// `peak config check FILE` (apps/config_commands.cpp).
void add_config_commands(CLI::App& root);

/// `peak session start|list|status|tail|stop|kill|rearm` (apps/session_commands.cpp).
void add_session_commands(CLI::App& root);

/// `peak drill kill-switch` (apps/drill_commands.cpp).
void add_drill_commands(CLI::App& root);

/// `peak bench pipeline` (apps/bench_commands.cpp): runs the peak-bench executable.
void add_bench_commands(CLI::App& root);

/// `peak evidence validate|compare|list`, `peak audit verify` (apps/evidence_commands.cpp).
void add_evidence_commands(CLI::App& root);

}  // namespace peak::apps
