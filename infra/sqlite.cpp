#include "infra/sqlite.hpp"

#include <sqlite3.h>

namespace peak::infra {

void sqlite_database::closer::operator()(sqlite3* db) const noexcept {
  sqlite3_close(db);
}

void sqlite_statement::finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

bool sqlite_database::open(const std::filesystem::path& path, open_mode mode, std::string& error,
                           int busy_timeout_ms) {
  path_ = path;
  const int flags = mode == open_mode::read_only ? SQLITE_OPEN_READONLY
                                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    error = path.string() + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    db_.reset();
    return false;
  }
  sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
  return true;
}

bool sqlite_database::exec(const char* sql, std::string& error) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) == SQLITE_OK)
    return true;
  error = path_.string() + ": " + (message != nullptr ? message : sqlite3_errmsg(db_.get()));
  sqlite3_free(message);
  return false;
}

bool sqlite_database::prepare(std::string_view sql, sqlite_statement& out, std::string& error) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(raw);
    error = last_error();
    return false;
  }
  out.stmt_.reset(raw);
  return true;
}

std::string sqlite_database::last_error() const {
  return path_.string() + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "database not open");
}

void sqlite_statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

void sqlite_statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, static_cast<sqlite3_int64>(value));
}

sqlite_statement::step_result sqlite_statement::step() {
  switch (sqlite3_step(stmt_.get())) {
    case SQLITE_ROW:
      return step_result::row;
    case SQLITE_DONE:
      return step_result::done;
    default:
      return step_result::error;
  }
}

std::int64_t sqlite_statement::column_int64(int index) const {
  return sqlite3_column_int64(stmt_.get(), index);
}

std::string sqlite_statement::column_text(int index) const {
  const unsigned char* t = sqlite3_column_text(stmt_.get(), index);
  return t != nullptr ? std::string(reinterpret_cast<const char*>(t)) : std::string();
}

}  // namespace peak::infra
