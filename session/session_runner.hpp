#pragma once
/// Runs one session end to end and writes its evidence pack: the shared core of `peak run`,
/// `peak session start` and the drills.

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/session_graph.hpp"
#include "config/session_config.hpp"
#include "engine/outputs.hpp"
#include "engine/session_result.hpp"
#include "session/engine_kind.hpp"

namespace peak::session {

struct run_request {
  config::session_config config;
  std::string config_path;     ///< "" when the built-in defaults are used
  std::string base_dir = ".";  ///< relative data paths resolve here
  std::filesystem::path out_root = "runs";
  engine_kind engine = engine_kind::graph;
  std::string command_line;  ///< recorded in the manifest
  actors::graph_options graph;
  /// Called with the running graph right after it started, and with nullptr once it has
  /// ended (graph engine only): operated sessions route control commands through it.
  std::function<void(actors::session_graph*)> on_graph;
};

struct run_outcome {
  std::filesystem::path dir;  ///< the evidence pack
  engine::session_result result;
  engine::run_timing timing;
  std::vector<actors::halt_record> halts;
  std::string audit_error;  ///< "" unless the audit log could not be written
  std::string run_id;
  std::string index_error;  ///< "" unless the run could not be added to the evidence index
};

/// A start-up problem with the run's input or output (bad input, exit 2): an --out that
/// cannot hold evidence packs.
class start_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Runs the session and writes its evidence pack under request.out_root. Throws
/// engine::source_error, start_error or std::system_error on start-up problems (bad input).
[[nodiscard]] run_outcome run_session(const run_request& request);

}  // namespace peak::session
