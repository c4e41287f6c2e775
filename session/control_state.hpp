#pragma once
/// The control plane of a session process: the state shared by its runner, its control
/// endpoint thread and its signal thread, and the commands they carry out.
///
/// Control from another process: a line protocol on a loopback TCP port (recorded in the
/// registry): `kill <requested_steady_ns> <detail>`, `stop`, `rearm <operator> <note>`,
/// `ping`; and signals: SIGUSR1 pulls the kill switch, SIGTERM/SIGINT stop gracefully.
/// Halt latencies are appended to <run_dir>/halts.jsonl with absolute CLOCK_MONOTONIC
/// instants, so a caller in another process can measure from its own trigger instant.

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "actors/session_graph.hpp"
#include "observability/logging.hpp"
#include "session/session_registry.hpp"

namespace peak::session {

/// Shared between the runner (main thread), the control thread and the signal thread.
struct control_state {
  std::mutex mutex;
  std::condition_variable graph_changed;
  actors::session_graph* graph = nullptr;
  bool ended = false;
  std::filesystem::path run_dir;
  std::size_t halts_written = 0;
  bool stop_requested = false;    ///< graceful stop asked (control `stop`, SIGTERM, SIGINT)
  std::size_t rearmed_halts = 0;  ///< halts so far that an operator re-armed
  /// session.log: asynchronous spdlog, one structured line per significant event, every
  /// line redacted before it is written (observability/logging.hpp). Null until set up.
  std::shared_ptr<spdlog::logger> log;

  void logline(spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<observability::log_field> fields) noexcept {
    if (log)
      observability::log_event(*log, level, event, fields);
  }

  /// True once the graph runs. A command that arrives while the session is still building
  /// its graph waits for it (bounded) instead of failing. Caller holds `lock` on `mutex`.
  bool wait_for_graph(std::unique_lock<std::mutex>& lock);

  /// Appends halts not yet written to halts.jsonl. Caller holds the mutex.
  void write_halts_locked();
};

/// Pulls the kill switch and waits (bounded) for every stage's acknowledgement.
[[nodiscard]] std::string do_kill(control_state& st, std::int64_t requested_ns,
                                  const std::string& detail);

/// Carries out one control line; returns the reply line ("ok ..." or "error ...").
[[nodiscard]] std::string handle_command(control_state& st, const std::string& line,
                                         session_registry& reg, const std::string& id);

/// Serves control lines on `listen_fd` until `done`.
void control_loop(int listen_fd, control_state& st, const std::filesystem::path& registry_path,
                  std::string id, std::atomic<bool>& done);

/// Handles SIGUSR1 (kill switch) and SIGTERM/SIGINT (graceful stop) until `done`. The
/// signals must be blocked in every thread (block_control_signals) before threads start.
void signal_loop(control_state& st, const std::filesystem::path& registry_path, std::string id,
                 std::atomic<bool>& done);

/// Blocks SIGUSR1, SIGTERM and SIGINT in the calling thread (and the threads it starts).
void block_control_signals();

}  // namespace peak::session
