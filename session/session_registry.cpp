#include "session/session_registry.hpp"

#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "engine/format.hpp"

namespace peak::session {
namespace {

const char* const schema =
    "CREATE TABLE IF NOT EXISTS sessions ("
    " id TEXT PRIMARY KEY, pid INTEGER, mode TEXT, config_path TEXT, config_hash TEXT,"
    " state TEXT, started_at TEXT, ended_at TEXT, metrics_port INTEGER, control_port INTEGER,"
    " evidence_path TEXT, run_dir TEXT, detail TEXT);";

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string("session registry: ") + what + ": " +
                             (db ? sqlite3_errmsg(db) : "unknown error"));
}

struct statement {
  sqlite3_stmt* stmt = nullptr;
  statement(sqlite3* db, const char* sql) {
    check(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), db, "prepare");
  }
  ~statement() { sqlite3_finalize(stmt); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  void text(int i, const std::string& v) {
    sqlite3_bind_text(stmt, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(stmt, i, v); }
  std::string column_text(int i) {
    const unsigned char* t = sqlite3_column_text(stmt, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
};

void bind_entry(statement& s, const session_entry& e) {
  s.text(1, e.id);
  s.integer(2, e.pid);
  s.text(3, e.mode);
  s.text(4, e.config_path);
  s.text(5, e.config_hash);
  s.text(6, to_string(e.state));
  s.text(7, e.started_at);
  s.text(8, e.ended_at);
  s.integer(9, e.metrics_port);
  s.integer(10, e.control_port);
  s.text(11, e.evidence_path);
  s.text(12, e.run_dir);
  s.text(13, e.detail);
}

session_entry read_entry(statement& s) {
  session_entry e;
  e.id = s.column_text(0);
  e.pid = sqlite3_column_int64(s.stmt, 1);
  e.mode = s.column_text(2);
  e.config_path = s.column_text(3);
  e.config_hash = s.column_text(4);
  if (!parse(s.column_text(5), e.state))
    e.state = session_state::failed;  // a state this build does not know
  e.started_at = s.column_text(6);
  e.ended_at = s.column_text(7);
  e.metrics_port = sqlite3_column_int64(s.stmt, 8);
  e.control_port = sqlite3_column_int64(s.stmt, 9);
  e.evidence_path = s.column_text(10);
  e.run_dir = s.column_text(11);
  e.detail = s.column_text(12);
  return e;
}

const char* const columns =
    "id, pid, mode, config_path, config_hash, state, started_at, ended_at, metrics_port,"
    " control_port, evidence_path, run_dir, detail";

}  // namespace

session_registry::session_registry(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open(path.string().c_str(), &db_) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "cannot open";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("session registry " + path.string() + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);  // several processes write: wait, never fail on a lock
  check(sqlite3_exec(db_, "PRAGMA journal_mode=WAL;", nullptr, nullptr, nullptr), db_, "wal");
  check(sqlite3_exec(db_, schema, nullptr, nullptr, nullptr), db_, "schema");
}

session_registry::~session_registry() {
  sqlite3_close(db_);
}

void session_registry::insert(const session_entry& entry) {
  statement s(db_,
              "INSERT INTO sessions (id, pid, mode, config_path, config_hash, state, started_at,"
              " ended_at, metrics_port, control_port, evidence_path, run_dir, detail)"
              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  bind_entry(s, entry);
  check(sqlite3_step(s.stmt), db_, "insert");
}

void session_registry::update(const session_entry& entry) {
  statement s(db_,
              "UPDATE sessions SET id=?1, pid=?2, mode=?3, config_path=?4, config_hash=?5,"
              " state=?6, started_at=?7, ended_at=?8, metrics_port=?9, control_port=?10,"
              " evidence_path=?11, run_dir=?12, detail=?13 WHERE id=?1");
  bind_entry(s, entry);
  check(sqlite3_step(s.stmt), db_, "update");
}

void session_registry::set_state(const std::string& id, session_state state,
                                 const std::string& detail) {
  // Once the session recorded its end (ended_at), a late runtime transition (a kill or stop
  // racing the end of the data) must not overwrite the final state.
  statement s(db_, detail.empty() ? "UPDATE sessions SET state=?2 WHERE id=?1"
                                    " AND (ended_at IS NULL OR ended_at='')"
                                  : "UPDATE sessions SET state=?2, detail=?3 WHERE id=?1"
                                    " AND (ended_at IS NULL OR ended_at='')");
  s.text(1, id);
  s.text(2, to_string(state));
  if (!detail.empty())
    s.text(3, detail);
  check(sqlite3_step(s.stmt), db_, "set state");
}

std::optional<session_entry> session_registry::find(const std::string& id) {
  statement s(db_, (std::string("SELECT ") + columns + " FROM sessions WHERE id=?1").c_str());
  s.text(1, id);
  if (sqlite3_step(s.stmt) == SQLITE_ROW)
    return read_entry(s);
  return std::nullopt;
}

std::vector<session_entry> session_registry::list() {
  statement s(
      db_, (std::string("SELECT ") + columns + " FROM sessions ORDER BY started_at, id").c_str());
  std::vector<session_entry> out;
  while (sqlite3_step(s.stmt) == SQLITE_ROW)
    out.push_back(read_entry(s));
  return out;
}

bool process_alive(std::int64_t pid) {
  if (pid <= 0)
    return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
    return false;
  // A reused pid running something else is not our session.
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  if (name.empty())
    return true;  // no /proc: trust kill(0)
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
    return false;  // zombie: exited, not yet reaped
  return name.rfind("peak", 0) == 0;
}

session_state effective_state(const session_entry& e) {
  // A session that recorded its end (ended_at, evidence) ended properly, even in `halted`;
  // only a process that disappeared without recording an end is a crash.
  if (is_live(e.state) && e.ended_at.empty() && !process_alive(e.pid))
    return session_state::crashed;
  return e.state;
}

std::string utc_now() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return engine::format_time(ns);
}

}  // namespace peak::session
