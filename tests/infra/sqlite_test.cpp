#include "infra/sqlite.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace peak::infra {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / "peak_infra_tests";
  fs::create_directories(dir);
  const auto path = dir / name;
  fs::remove(path);
  return path;
}

TEST(Sqlite, CreatesBindsStepsAndReadsBack) {
  const auto path = scratch("roundtrip.sqlite");
  sqlite_database db;
  std::string error;
  ASSERT_TRUE(db.open(path, sqlite_database::open_mode::read_write_create, error)) << error;
  ASSERT_TRUE(db.exec("CREATE TABLE t (name TEXT, n INTEGER);", error)) << error;
  sqlite_statement insert;
  ASSERT_TRUE(db.prepare("INSERT INTO t VALUES (?, ?)", insert, error)) << error;
  insert.bind(1, std::string_view("with 'quote' and \0 after", 24));
  insert.bind(2, std::int64_t{-9'000'000'000});
  EXPECT_EQ(insert.step(), sqlite_statement::step_result::done);

  sqlite_database reader;
  ASSERT_TRUE(reader.open(path, sqlite_database::open_mode::read_only, error)) << error;
  sqlite_statement select;
  ASSERT_TRUE(reader.prepare("SELECT name, n FROM t", select, error)) << error;
  ASSERT_EQ(select.step(), sqlite_statement::step_result::row);
  EXPECT_EQ(select.column_text(0), "with 'quote' and ");  // text ends at the NUL when read
  EXPECT_EQ(select.column_int64(1), -9'000'000'000);
  EXPECT_EQ(select.step(), sqlite_statement::step_result::done);
}

TEST(Sqlite, ErrorsNameTheFile) {
  const auto missing = scratch("missing.sqlite");
  sqlite_database db;
  std::string error;
  EXPECT_FALSE(db.open(missing, sqlite_database::open_mode::read_only, error));
  EXPECT_EQ(error.rfind(missing.string() + ": ", 0), 0u) << error;
  EXPECT_FALSE(db.is_open());

  const auto path = scratch("errors.sqlite");
  ASSERT_TRUE(db.open(path, sqlite_database::open_mode::read_write_create, error)) << error;
  sqlite_statement stmt;
  EXPECT_FALSE(db.prepare("SELECT * FROM no_table", stmt, error));
  EXPECT_EQ(error.rfind(path.string() + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("no such table"), std::string::npos) << error;
  EXPECT_FALSE(db.exec("NOT SQL", error));
  EXPECT_EQ(error.rfind(path.string() + ": ", 0), 0u) << error;
}

TEST(Sqlite, StepReportsConstraintFailures) {
  const auto path = scratch("constraint.sqlite");
  sqlite_database db;
  std::string error;
  ASSERT_TRUE(db.open(path, sqlite_database::open_mode::read_write_create, error)) << error;
  ASSERT_TRUE(db.exec("CREATE TABLE t (n INTEGER NOT NULL);", error)) << error;
  sqlite_statement insert;
  ASSERT_TRUE(db.prepare("INSERT INTO t VALUES (?)", insert, error)) << error;
  EXPECT_EQ(insert.step(), sqlite_statement::step_result::error);  // unbound = NULL
  EXPECT_NE(db.last_error().find("NOT NULL"), std::string::npos) << db.last_error();
}

}  // namespace
}  // namespace peak::infra
