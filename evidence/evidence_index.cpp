#include "evidence/evidence_index.hpp"

#include "infra/sqlite.hpp"

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

}  // namespace

bool index_append(const std::filesystem::path& registry, const evidence_index_entry& e,
                  std::string& error) {
  infra::sqlite_database db;
  if (!db.open(registry, infra::sqlite_database::open_mode::read_write_create, error) ||
      !db.exec(schema_sql, error))
    return false;
  infra::sqlite_statement stmt;
  if (!db.prepare("INSERT INTO evidence_runs (run_id, pack_path, mode, status, config_hash, seed, "
                  "git_commit, git_dirty, run_reason, operator_id, started_at_utc, "
                  "finished_at_utc, manifest_sha256, determinism_digest, audit_records) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  stmt, error))
    return false;
  stmt.bind(1, e.run_id);
  stmt.bind(2, e.pack_path);
  stmt.bind(3, e.mode);
  stmt.bind(4, e.status);
  stmt.bind(5, e.config_hash);
  stmt.bind(6, static_cast<std::int64_t>(e.seed));
  stmt.bind(7, e.git_commit);
  stmt.bind(8, std::int64_t{e.git_dirty ? 1 : 0});
  stmt.bind(9, e.run_reason);
  stmt.bind(10, e.operator_id);
  stmt.bind(11, e.started_at_utc);
  stmt.bind(12, e.finished_at_utc);
  stmt.bind(13, e.manifest_sha256);
  stmt.bind(14, e.determinism_digest);
  stmt.bind(15, static_cast<std::int64_t>(e.audit_records));
  if (stmt.step() != infra::sqlite_statement::step_result::done) {
    error = db.last_error();
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
  infra::sqlite_database db;
  if (!db.open(registry, infra::sqlite_database::open_mode::read_only, error))
    return false;
  infra::sqlite_statement stmt;
  if (!db.prepare("SELECT row, run_id, pack_path, mode, status, config_hash, seed, git_commit, "
                  "git_dirty, run_reason, operator_id, started_at_utc, finished_at_utc, "
                  "manifest_sha256, determinism_digest, audit_records FROM evidence_runs "
                  "ORDER BY row",
                  stmt, error)) {
    // A registry without our table simply has no indexed runs yet.
    if (error.find("no such table") != std::string::npos) {
      error.clear();
      return true;
    }
    return false;
  }
  auto rc = infra::sqlite_statement::step_result::done;
  while ((rc = stmt.step()) == infra::sqlite_statement::step_result::row) {
    evidence_index_entry e;
    e.row = stmt.column_int64(0);
    e.run_id = stmt.column_text(1);
    e.pack_path = stmt.column_text(2);
    e.mode = stmt.column_text(3);
    e.status = stmt.column_text(4);
    e.config_hash = stmt.column_text(5);
    e.seed = static_cast<std::uint64_t>(stmt.column_int64(6));
    e.git_commit = stmt.column_text(7);
    e.git_dirty = stmt.column_int64(8) != 0;
    e.run_reason = stmt.column_text(9);
    e.operator_id = stmt.column_text(10);
    e.started_at_utc = stmt.column_text(11);
    e.finished_at_utc = stmt.column_text(12);
    e.manifest_sha256 = stmt.column_text(13);
    e.determinism_digest = stmt.column_text(14);
    e.audit_records = static_cast<std::uint64_t>(stmt.column_int64(15));
    out.push_back(std::move(e));
  }
  if (rc != infra::sqlite_statement::step_result::done) {
    error = db.last_error();
    return false;
  }
  return true;
}

}  // namespace peak::evidence
