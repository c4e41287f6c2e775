#pragma once
/// The session registry: a `sessions` table in the SQLite registry file (WAL, safe with
/// several processes; no daemon). Written by session processes, read by the operator CLI.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "session/session_state.hpp"

struct sqlite3;

namespace peak::session {

/// One session as registered (any state but `crashed`). A session that ends (graceful stop or
/// end of data) records ended_at, its evidence path and `finished` (`halted` only if its data
/// ended while trading was halted); list/status show `crashed` for a live entry whose process
/// is gone without an end.
struct session_entry {
  std::string id;
  std::int64_t pid = 0;
  std::string mode;
  std::string config_path;
  std::string config_hash;  ///< SHA-256 of the redacted config snapshot (as in the pack)
  session_state state = session_state::starting;
  std::string started_at;  ///< wall clock, UTC
  std::string ended_at;
  std::int64_t metrics_port = 0;
  std::int64_t control_port = 0;
  std::string evidence_path;
  std::string run_dir;  ///< session working directory (log, tail file)
  std::string detail;   ///< last error / halt reason
};

class session_registry {
public:
  /// Opens (creating if needed) the registry at `path`. Throws std::runtime_error.
  explicit session_registry(const std::filesystem::path& path);
  ~session_registry();
  session_registry(const session_registry&) = delete;
  session_registry& operator=(const session_registry&) = delete;

  void insert(const session_entry& entry);
  /// Updates every column of the entry with this id.
  void update(const session_entry& entry);
  /// Sets state (and detail when non-empty) of an entry; does nothing once the entry has
  /// recorded its end (ended_at), so the final state is never overwritten.
  void set_state(const std::string& id, session_state state, const std::string& detail = "");
  [[nodiscard]] std::optional<session_entry> find(const std::string& id);
  [[nodiscard]] std::vector<session_entry> list();

private:
  ::sqlite3* db_ = nullptr;
};

/// True if process `pid` exists and runs a `peak` executable.
[[nodiscard]] bool process_alive(std::int64_t pid);

/// The state to show: `crashed` if the entry claims to run, recorded no end (ended_at) and
/// its process is gone; otherwise the registered state.
[[nodiscard]] session_state effective_state(const session_entry& entry);

/// Current wall-clock time as RFC 3339 UTC (for registry timestamps only).
[[nodiscard]] std::string utc_now();

}  // namespace peak::session
