#include "evidence/audit_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using peak::evidence::audit_log_writer;
using peak::evidence::audit_problem;
using peak::evidence::verify_audit_log;
using peak::evidence::verify_audit_log_text;

fs::path temp_file(const std::string& name) {
  const auto dir = fs::temp_directory_path() / "peak_evidence_audit_test";
  fs::create_directories(dir);
  return dir / name;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Writes a log of `n` decisions and returns its text.
std::string make_log(const fs::path& path, int n) {
  audit_log_writer w(path, 128);  // small buffer: exercises the drain path
  for (int i = 0; i < n; ++i) {
    const std::string fields = "\"intent_id\":" + std::to_string(i) + ",\"side\":\"buy\"";
    EXPECT_FALSE(w.append(i % 2 == 0 ? "hypothesis" : "risk_denied", 1'000 + i, fields));
  }
  EXPECT_FALSE(w.close());
  return read_all(path);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    lines.push_back(l + "\n");
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines)
    s += l;
  return s;
}

TEST(AuditLog, WritesAVerifiableChain) {
  const auto path = temp_file("good.jsonl");
  const std::string text = make_log(path, 10);
  EXPECT_EQ(split_lines(text).size(), 11u);  // 10 decisions + log_end
  const auto r = verify_audit_log(path);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.records, 10u);
  EXPECT_TRUE(r.has_end);
  EXPECT_EQ(r.last_ts_event, 1'009);
}

TEST(AuditLog, IsByteIdenticalAcrossReruns) {
  const auto a = make_log(temp_file("rerun_a.jsonl"), 25);
  const auto b = make_log(temp_file("rerun_b.jsonl"), 25);
  EXPECT_EQ(a, b);
}

TEST(AuditLog, HeadHashMatchesLastRecord) {
  const auto path = temp_file("head.jsonl");
  audit_log_writer w(path);
  ASSERT_FALSE(w.append("halt", 5, "\"reason\":\"operator\""));
  const std::string head(w.head_hash());
  ASSERT_FALSE(w.close());
  const auto lines = split_lines(read_all(path));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(head), std::string::npos);
  EXPECT_EQ(w.records(), 1u);
}

TEST(AuditLog, DetectsFlippedByte) {
  const auto text = make_log(temp_file("flip.jsonl"), 6);
  auto lines = split_lines(text);
  const auto pos = lines[3].find("buy");
  ASSERT_NE(pos, std::string::npos);
  lines[3][pos] = 'c';  // "cuy"
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::hash_mismatch);
  EXPECT_EQ(r.line, 4u);
  EXPECT_EQ(r.seq, 4u);
}

TEST(AuditLog, DetectsEveryFlippedByteSomewhere) {
  const auto text = make_log(temp_file("flip_all.jsonl"), 3);
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string t = text;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    EXPECT_FALSE(verify_audit_log_text(t).ok) << "flip at byte " << i << " went unnoticed";
  }
}

TEST(AuditLog, DetectsDroppedLine) {
  auto lines = split_lines(make_log(temp_file("drop.jsonl"), 6));
  lines.erase(lines.begin() + 2);
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::sequence_gap);
  EXPECT_EQ(r.line, 3u);
  EXPECT_EQ(r.seq, 4u);
}

TEST(AuditLog, DetectsSwappedLines) {
  auto lines = split_lines(make_log(temp_file("swap.jsonl"), 6));
  std::swap(lines[1], lines[2]);
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::sequence_gap);
  EXPECT_EQ(r.line, 2u);
}

TEST(AuditLog, DetectsInsertedLine) {
  auto lines = split_lines(make_log(temp_file("insert.jsonl"), 6));
  lines.insert(lines.begin() + 3, lines[2]);  // a replayed copy of record 3
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::sequence_gap);
  EXPECT_EQ(r.line, 4u);
}

TEST(AuditLog, DetectsRecomputedHashOfAlteredRecordAtTheNextLink) {
  // An attacker who edits record 2 and recomputes its hash still breaks record 3's prev_hash.
  const auto path = temp_file("forge.jsonl");
  make_log(path, 4);
  auto lines = split_lines(read_all(path));
  // Forge record 2 with the writer itself: same seq and prev_hash, other content.
  const auto forged_path = temp_file("forge_src.jsonl");
  {
    audit_log_writer w(forged_path);
    ASSERT_FALSE(w.append("hypothesis", 1'000, "\"intent_id\":0,\"side\":\"buy\""));
    ASSERT_FALSE(w.append("risk_denied", 1'001, "\"intent_id\":1,\"side\":\"sell\""));
    ASSERT_FALSE(w.close());
  }
  lines[1] = split_lines(read_all(forged_path))[1];
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::chain_broken);
  EXPECT_EQ(r.line, 3u);
}

TEST(AuditLog, DetectsTruncationMidLine) {
  const auto text = make_log(temp_file("trunc.jsonl"), 6);
  const auto r = verify_audit_log_text(text.substr(0, text.size() - 20));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::truncated_line);
}

TEST(AuditLog, DetectsTruncationAtLineBoundary) {
  auto lines = split_lines(make_log(temp_file("trunc_line.jsonl"), 6));
  lines.pop_back();  // log_end gone
  auto r = verify_audit_log_text(join(lines));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, audit_problem::missing_end);
  lines.pop_back();
  r = verify_audit_log_text(join(lines));
  EXPECT_EQ(r.problem, audit_problem::missing_end);
  // A log still being written may be checked without the end record.
  EXPECT_TRUE(verify_audit_log_text(join(lines), false).ok);
}

TEST(AuditLog, DetectsRecordsAfterEnd) {
  auto lines = split_lines(make_log(temp_file("after.jsonl"), 3));
  lines.push_back(lines[0]);
  const auto r = verify_audit_log_text(join(lines));
  EXPECT_EQ(r.problem, audit_problem::after_end);
  EXPECT_EQ(r.line, 5u);
}

TEST(AuditLog, ReportsEmptyAndMissingFiles) {
  EXPECT_EQ(verify_audit_log_text("").problem, audit_problem::empty);
  EXPECT_EQ(verify_audit_log(temp_file("does_not_exist.jsonl")).problem, audit_problem::unreadable);
  EXPECT_EQ(verify_audit_log_text("hello\n").problem, audit_problem::malformed);
}

TEST(AuditLog, RefusesReservedTypeAndAppendAfterClose) {
  audit_log_writer w(temp_file("refuse.jsonl"));
  EXPECT_EQ(w.append("log_end", 1, ""), peak::evidence::audit_errc::bad_type);
  EXPECT_EQ(w.append("", 1, ""), peak::evidence::audit_errc::bad_type);
  ASSERT_FALSE(w.close());
  EXPECT_EQ(w.append("halt", 1, ""), peak::evidence::audit_errc::not_open);
  audit_log_writer none;
  EXPECT_EQ(none.append("halt", 1, ""), peak::evidence::audit_errc::not_open);
}

TEST(AuditLog, ThrowsWhenTheFileCannotBeCreated) {
  EXPECT_THROW(audit_log_writer(fs::path("/nonexistent-dir/x/audit.jsonl")), std::system_error);
}

}  // namespace

namespace {

TEST(AuditLog, FlushMakesAVerifiablePrefixWhileOpen) {
  const auto path = temp_file("flush_open.jsonl");
  audit_log_writer w(path);
  ASSERT_FALSE(w.append("trigger", 10, "\"source\":\"operator\""));
  ASSERT_FALSE(w.append("halt", 11, "\"reason\":\"operator\""));
  ASSERT_FALSE(w.flush());
  const auto open = verify_audit_log(path, false);
  EXPECT_TRUE(open.ok) << open.reason;
  EXPECT_EQ(open.records, 2u);
  EXPECT_FALSE(open.has_end);
  EXPECT_EQ(verify_audit_log(path).problem, audit_problem::missing_end);
  ASSERT_FALSE(w.append("rearm", 20, "\"operator\":\"alice\""));
  ASSERT_FALSE(w.close());
  const auto closed = verify_audit_log(path);
  EXPECT_TRUE(closed.ok) << closed.reason;
  EXPECT_EQ(closed.records, 3u);
  EXPECT_EQ(closed.head_hash, std::string(w.head_hash()));
}

}  // namespace
