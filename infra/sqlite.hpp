#pragma once
/// RAII handles for SQLite: a database opened with explicit flags and a prepared statement,
/// both finalised on scope exit; every error message starts with the database's path.
/// <sqlite3.h> stays out of this header.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace peak::infra {

class sqlite_statement;

/// One open database connection.
class sqlite_database {
public:
  /// How to open the file.
  enum class open_mode {
    read_only,           ///< the file must exist
    read_write_create,   ///< created when absent
  };

  sqlite_database() = default;

  /// Opens `path`; false with `error` = "<path>: <reason>". Waits up to `busy_timeout_ms` on
  /// a locked database.
  [[nodiscard]] bool open(const std::filesystem::path& path, open_mode mode, std::string& error,
                          int busy_timeout_ms = 5000);

  /// Runs one or more SQL statements without results (schema, pragmas).
  [[nodiscard]] bool exec(const char* sql, std::string& error);

  /// Prepares one statement into `out`.
  [[nodiscard]] bool prepare(std::string_view sql, sqlite_statement& out, std::string& error);

  /// "<path>: <sqlite's last message>".
  [[nodiscard]] std::string last_error() const;

  [[nodiscard]] bool is_open() const noexcept { return db_ != nullptr; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
  struct closer {
    void operator()(sqlite3* db) const noexcept;
  };
  std::unique_ptr<sqlite3, closer> db_;
  std::filesystem::path path_;
};

/// A prepared statement of a sqlite_database (which must outlive it).
class sqlite_statement {
public:
  /// Outcome of step().
  enum class step_result { row, done, error };

  sqlite_statement() = default;

  /// Binds parameter `index` (1-based); text is copied.
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  /// Runs the statement one step.
  [[nodiscard]] step_result step();
  /// Column `index` (0-based) of the current row; text is "" for NULL.
  [[nodiscard]] std::int64_t column_int64(int index) const;
  [[nodiscard]] std::string column_text(int index) const;

private:
  friend class sqlite_database;
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

}  // namespace peak::infra
