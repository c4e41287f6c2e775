#include "evidence/evidence_index.hpp"

#include <sqlite3.h>

#include <memory>

namespace peak::evidence {
namespace {

constexpr const char* schema_sql = R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS evidence_runs (
  row INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  pack_path TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  seed INTEGER NOT NULL,
  git_commit TEXT NOT NULL,
  git_dirty INTEGER NOT NULL,
  run_reason TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  started_at_utc TEXT NOT NULL,
  finished_at_utc TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  determinism_digest TEXT NOT NULL,
  audit_records INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS evidence_runs_no_update BEFORE UPDATE ON evidence_runs
BEGIN SELECT RAISE(ABORT, 'evidence_runs is append-only'); END;
CREATE TRIGGER IF NOT EXISTS evidence_runs_no_delete BEFORE DELETE ON evidence_runs
BEGIN SELECT RAISE(ABORT, 'evidence_runs is append-only'); END;
)sql";

struct db_closer {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct stmt_finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

bool open_db(const std::filesystem::path& path, int flags, db_ptr& db, std::string& error) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db.reset(raw);
  if (rc != SQLITE_OK) {
    error = path.string() + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    return false;
  }
  sqlite3_busy_timeout(db.get(), 5000);
  return true;
}

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t != nullptr ? std::string(reinterpret_cast<const char*>(t)) : std::string();
}

}  // namespace

bool index_append(const std::filesystem::path& registry, const evidence_index_entry& e,
                  std::string& error) {
  db_ptr db;
  if (!open_db(registry, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, db, error))
    return false;
  char* message = nullptr;
  if (sqlite3_exec(db.get(), schema_sql, nullptr, nullptr, &message) != SQLITE_OK) {
    error = registry.string() + ": " + (message != nullptr ? message : "schema failed");
    sqlite3_free(message);
    return false;
  }
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "INSERT INTO evidence_runs (run_id, pack_path, mode, status, config_hash, seed, "
      "git_commit, git_dirty, run_reason, operator_id, started_at_utc, finished_at_utc, "
      "manifest_sha256, determinism_digest, audit_records) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
    error = registry.string() + ": " + sqlite3_errmsg(db.get());
    return false;
  }
  stmt_ptr stmt(raw);
  bind_text(raw, 1, e.run_id);
  bind_text(raw, 2, e.pack_path);
  bind_text(raw, 3, e.mode);
  bind_text(raw, 4, e.status);
  bind_text(raw, 5, e.config_hash);
  sqlite3_bind_int64(raw, 6, static_cast<sqlite3_int64>(e.seed));
  bind_text(raw, 7, e.git_commit);
  sqlite3_bind_int(raw, 8, e.git_dirty ? 1 : 0);
  bind_text(raw, 9, e.run_reason);
  bind_text(raw, 10, e.operator_id);
  bind_text(raw, 11, e.started_at_utc);
  bind_text(raw, 12, e.finished_at_utc);
  bind_text(raw, 13, e.manifest_sha256);
  bind_text(raw, 14, e.determinism_digest);
  sqlite3_bind_int64(raw, 15, static_cast<sqlite3_int64>(e.audit_records));
  if (sqlite3_step(raw) != SQLITE_DONE) {
    error = registry.string() + ": " + sqlite3_errmsg(db.get());
    return false;
  }
  return true;
}

bool index_list(const std::filesystem::path& registry, std::vector<evidence_index_entry>& out,
                std::string& error) {
  out.clear();
  std::error_code ec;
  if (!std::filesystem::exists(registry, ec)) {
    error = registry.string() + ": no such registry file";
    return false;
  }
  db_ptr db;
  if (!open_db(registry, SQLITE_OPEN_READONLY, db, error))
    return false;
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "SELECT row, run_id, pack_path, mode, status, config_hash, seed, git_commit, git_dirty, "
      "run_reason, operator_id, started_at_utc, finished_at_utc, manifest_sha256, "
      "determinism_digest, audit_records FROM evidence_runs ORDER BY row";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
    const std::string msg = sqlite3_errmsg(db.get());
    // A registry without our table simply has no indexed runs yet.
    if (msg.find("no such table") != std::string::npos)
      return true;
    error = registry.string() + ": " + msg;
    return false;
  }
  stmt_ptr stmt(raw);
  int rc = 0;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    evidence_index_entry e;
    e.row = sqlite3_column_int64(raw, 0);
    e.run_id = column_text(raw, 1);
    e.pack_path = column_text(raw, 2);
    e.mode = column_text(raw, 3);
    e.status = column_text(raw, 4);
    e.config_hash = column_text(raw, 5);
    e.seed = static_cast<std::uint64_t>(sqlite3_column_int64(raw, 6));
    e.git_commit = column_text(raw, 7);
    e.git_dirty = sqlite3_column_int(raw, 8) != 0;
    e.run_reason = column_text(raw, 9);
    e.operator_id = column_text(raw, 10);
    e.started_at_utc = column_text(raw, 11);
    e.finished_at_utc = column_text(raw, 12);
    e.manifest_sha256 = column_text(raw, 13);
    e.determinism_digest = column_text(raw, 14);
    e.audit_records = static_cast<std::uint64_t>(sqlite3_column_int64(raw, 15));
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) {
    error = registry.string() + ": " + sqlite3_errmsg(db.get());
    return false;
  }
  return true;
}

}  // namespace peak::evidence
