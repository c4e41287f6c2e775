#include "evidence/pack_validator.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>

#include "evidence/json.hpp"
#include "evidence/pack_file.hpp"
#include "pack_test_util.hpp"

namespace {

namespace fs = std::filesystem;
using namespace peak::evidence;
using namespace peak::evidence::testing;

bool has_problem(const pack_validation& v, pack_problem_kind kind, const std::string& file,
                 const std::string& detail_part = "") {
  return std::any_of(v.problems.begin(), v.problems.end(), [&](const pack_problem& p) {
    return p.kind == kind && p.file == file && p.detail.find(detail_part) != std::string::npos;
  });
}

std::string dump(const pack_validation& v) {
  std::string s;
  for (const auto& p : v.problems)
    s += std::string(to_string(p.kind)) + " " + p.file + ": " + p.detail + "\n";
  return s;
}

fs::path fresh_pack(const std::string& name) {
  return write_sample_pack(sample_request(scratch_dir(name)));
}

void replace_in_file(const fs::path& p, const std::string& from, const std::string& to) {
  std::string text = read_file(p);
  const auto pos = text.find(from);
  ASSERT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  write_file(p, text);
}

TEST(PackValidator, AcceptsAFreshPack) {
  const auto v = validate_pack(fresh_pack("valid"));
  EXPECT_EQ(v.exit_code, 0) << dump(v);
  EXPECT_TRUE(v.problems.empty());
  EXPECT_EQ(v.files_checked, 7u);
  EXPECT_EQ(v.audit_records, 5u);
  EXPECT_FALSE(v.pack_id.empty());
}

TEST(PackValidator, ExitsTwoForMissingOrUnreadablePath) {
  const auto root = scratch_dir("missing_path");
  EXPECT_EQ(validate_pack(root / "nope").exit_code, 2);
  write_file(root / "plain.txt", "x");
  EXPECT_EQ(validate_pack(root / "plain.txt").exit_code, 2);
}

TEST(PackValidator, ReportsMissingFile) {
  const auto dir = fresh_pack("missing_file");
  fs::remove(dir / "trades.csv");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::missing_file, "trades.csv")) << dump(v);
}

TEST(PackValidator, ReportsFlippedByteAsHashMismatch) {
  const auto dir = fresh_pack("flip");
  replace_in_file(dir / "trades.csv", "buy", "bux");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::hash_mismatch, "trades.csv")) << dump(v);
  EXPECT_FALSE(has_problem(v, pack_problem_kind::size_mismatch, "trades.csv"));
}

TEST(PackValidator, ReportsSizeMismatch) {
  const auto dir = fresh_pack("size");
  replace_in_file(dir / "equity.csv", "1004,1000.5\n", "1004,1000.5\n1005,1001\n");
  const auto v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::size_mismatch, "equity.csv")) << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::hash_mismatch, "equity.csv"));
}

TEST(PackValidator, ReportsUnlistedFile) {
  const auto dir = fresh_pack("unlisted");
  write_file(dir / "notes.txt", "added later");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unlisted_file, "notes.txt")) << dump(v);
}

TEST(PackValidator, ReportsEveryMissingRequiredField) {
  const auto dir = fresh_pack("fields");
  const auto p = dir / "run_manifest.json";
  replace_in_file(p, "\"schema_version\": 1,", "");
  replace_in_file(p, "\"run_reason\": \"unit test\",", "");
  replace_in_file(p, "\"operator_id\": \"tester\",", "\"operator_id\": \"\",");
  replace_in_file(p, "\"commit\": \"0123456789abcdef0123456789abcdef01234567\",", "");
  std::string text = read_file(p);
  const auto pos = text.find("\"pack_id\"");
  text.erase(pos, text.find('\n', pos) - pos + 1);
  write_file(p, text);
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  for (const char* field :
       {"/pack_id", "/schema_version", "/git/commit", "/run_reason", "/operator_id"})
    EXPECT_TRUE(has_problem(v, pack_problem_kind::missing_field, "run_manifest.json", field))
        << field << "\n"
        << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::hash_mismatch, "run_manifest.json"));
}

TEST(PackValidator, ReportsSchemaViolations) {
  const auto dir = fresh_pack("schema");
  replace_in_file(dir / "run_manifest.json", "\"mode\": \"paper\"", "\"mode\": \"yolo\"");
  replace_in_file(dir / "run_manifest.json", "\"seed\": 7", "\"seed\": \"seven\"");
  replace_in_file(dir / "orders.csv", "2,filled\n", "2,filled,extra\n");
  const auto v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "run_manifest.json", "yolo"))
      << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "run_manifest.json", "seed"));
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "orders.csv", "line 3"));
}

TEST(PackValidator, ReportsUnparseableManifest) {
  const auto dir = fresh_pack("bad_manifest");
  write_file(dir / "manifest.json", "{\"schema\": ");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "manifest.json")) << dump(v);
}

TEST(PackValidator, ReportsBrokenAuditChain) {
  const auto dir = fresh_pack("audit");
  std::string log = read_file(dir / "audit_log.jsonl");
  const auto first_end = log.find('\n');
  const auto second_end = log.find('\n', first_end + 1);
  const std::string l1 = log.substr(0, first_end + 1);
  const std::string l2 = log.substr(first_end + 1, second_end - first_end);
  write_file(dir / "audit_log.jsonl", l2 + l1 + log.substr(second_end + 1));
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::audit_chain, "audit_log.jsonl", "line 1"))
      << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::hash_mismatch, "audit_log.jsonl"));
}

TEST(PackValidator, ReportsTruncatedAuditLog) {
  const auto dir = fresh_pack("audit_trunc");
  const std::string log = read_file(dir / "audit_log.jsonl");
  write_file(dir / "audit_log.jsonl", log.substr(0, log.size() / 2));
  const auto v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::audit_chain, "audit_log.jsonl")) << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::size_mismatch, "audit_log.jsonl"));
}

TEST(PackValidator, ListsEveryProblemAtOnce) {
  const auto dir = fresh_pack("many");
  fs::remove(dir / "orders.csv");
  replace_in_file(dir / "trades.csv", "sell", "selL");
  write_file(dir / "extra.bin", "x");
  const auto v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::missing_file, "orders.csv")) << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::hash_mismatch, "trades.csv"));
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unlisted_file, "extra.bin"));
}

TEST(PackValidator, SchemaFileListsTheRequiredFields) {
  const std::string schema =
      read_file(fs::path(PEAK_SOURCE_DIR) / "evidence/schema/evidence_pack.v1.json");
  ASSERT_FALSE(schema.empty());
  std::string error;
  ASSERT_TRUE(json_is_valid(schema, &error)) << error;
  // Every required pointer's last segment is named in the schema.
  for (const auto& pointer : run_manifest_required_fields()) {
    const std::string leaf = pointer.substr(pointer.rfind('/') + 1);
    EXPECT_NE(schema.find("\"" + leaf + "\""), std::string::npos) << pointer;
  }
  for (const auto& pointer : manifest_required_fields()) {
    const std::string leaf = pointer.substr(pointer.rfind('/') + 1);
    EXPECT_NE(schema.find("\"" + leaf + "\""), std::string::npos) << pointer;
  }
}

}  // namespace

namespace {

TEST(PackValidator, ChecksThePackAgainstTheIndex) {
  using namespace peak::evidence;
  using namespace peak::evidence::testing;
  const auto root = scratch_dir("index_check");
  auto r = sample_request(root);
  r.index_run = true;
  const auto dir = write_sample_pack(r);
  const auto registry = root / "runs" / "registry.sqlite";
  EXPECT_EQ(validate_pack(dir, registry).exit_code, 0);
  EXPECT_EQ(validate_pack(dir, root / "none.sqlite").exit_code, 2);
  // A pack rewritten wholesale (manifest regenerated) is still internally valid...
  std::string manifest = read_file(dir / "manifest.json");
  manifest.insert(manifest.size() - 2, " ");
  write_file(dir / "manifest.json", manifest);
  EXPECT_EQ(validate_pack(dir).exit_code, 0);
  // ...but no longer matches what the index recorded when the run ended.
  const auto v = validate_pack(dir, registry);
  EXPECT_EQ(v.exit_code, 1);
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].kind, pack_problem_kind::index_mismatch);
  // A pack that was never indexed.
  const auto other = write_sample_pack(sample_request(scratch_dir("index_check_other")));
  EXPECT_EQ(validate_pack(other, registry).exit_code, 1);
}

TEST(PackValidator, RefusesAFifoWithoutHanging) {
  const auto dir = fresh_pack("fifo");
  fs::remove(dir / "trades.csv");
  ASSERT_EQ(::mkfifo((dir / "trades.csv").c_str(), 0600), 0);
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unsafe_file, "trades.csv", "FIFO")) << dump(v);
  EXPECT_FALSE(has_problem(v, pack_problem_kind::missing_file, "trades.csv")) << dump(v);
}

TEST(PackValidator, RefusesSymlinksToDevicesAndOutsideThePack) {
  const auto dir = fresh_pack("symlinks");
  fs::remove(dir / "metrics.json");
  fs::create_symlink("/dev/zero", dir / "metrics.json");
  const auto outside = scratch_dir("symlinks_outside") / "trades.csv";
  fs::copy_file(dir / "trades.csv", outside);
  fs::remove(dir / "trades.csv");
  fs::create_symlink(outside, dir / "trades.csv");
  fs::create_directory(dir / "extra");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unsafe_file, "metrics.json", "outside"))
      << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unsafe_file, "trades.csv", "outside")) << dump(v);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unsafe_file, "extra", "directory")) << dump(v);
}

TEST(PackValidator, FollowsASymlinkThatStaysInsideThePack) {
  const auto dir = fresh_pack("inner_symlink");
  fs::create_symlink("trades.csv", dir / "alias.csv");
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::unlisted_file, "alias.csv")) << dump(v);
  EXPECT_FALSE(has_problem(v, pack_problem_kind::unsafe_file, "alias.csv")) << dump(v);
}

TEST(PackFile, ReadsRegularFilesWithinTheBoundOnly) {
  const auto dir = scratch_dir("pack_file_bound");
  write_file(dir / "a.txt", "0123456789");
  std::string text;
  std::string reason;
  ASSERT_TRUE(read_pack_file(dir, "a.txt", text, reason)) << reason;
  EXPECT_EQ(text, "0123456789");
  EXPECT_FALSE(read_pack_file(dir, "a.txt", text, reason, 9));
  EXPECT_NE(reason.find("bound"), std::string::npos) << reason;
  EXPECT_TRUE(check_pack_file(dir, "absent.txt").absent);
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_FALSE(read_pack_file(dir, "pipe", text, reason));
}

TEST(PackValidator, AcceptsRfc4180FieldsAsTheWriterWritesThem) {
  auto request = sample_request(scratch_dir("rfc4180"));
  evidence_pack_writer pack(request);
  pack_outputs out;
  out.metrics_json = "{}";
  out.equity_csv = "ts_event,equity\n1000,-1.5\n";
  // What engine::csv_field() writes for "a,b", "two\nlines", say "hi" and =HYPERLINK("x").
  out.trades_csv =
      "seq,strategy,side\n1,\"a,b\",buy\n2,\"two\nlines\",sell\n"
      "3,\"say \"\"hi\"\"\",buy\n4,\"'=HYPERLINK(\"\"x\"\")\",sell\n";
  out.orders_csv = "client_order_id,state\n1,filled\n";
  out.wall_clock_end_ns = request.wall_clock_start_ns + 1;
  const auto dir = pack.finalize(out).directory;
  const auto v = validate_pack(dir);
  EXPECT_EQ(v.exit_code, 0) << dump(v);
}

TEST(PackValidator, ReportsBrokenCsvRecords) {
  const auto dir = fresh_pack("csv_broken");
  auto text = read_file(dir / "orders.csv");
  write_file(dir / "orders.csv", text + "3,\"never closed\n");
  auto v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "orders.csv", "never closed"))
      << dump(v);
  write_file(dir / "orders.csv", text + std::string("3,fi\0lled\n", 11));
  v = validate_pack(dir);
  EXPECT_TRUE(has_problem(v, pack_problem_kind::schema_violation, "orders.csv", "NUL")) << dump(v);
}

}  // namespace
