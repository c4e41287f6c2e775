/// Drives `peak evidence ...` and `peak audit verify` in-process and checks exit codes.

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "../pack_test_util.hpp"
#include "apps/commands.hpp"
#include "evidence/evidence_pack.hpp"

namespace {

namespace fs = std::filesystem;
using namespace peak::evidence::testing;

/// Runs the CLI with `args` (no program name); returns the exit code, output discarded.
int run_cli(const std::string& args) {
  CLI::App app{"peak", "peak"};
  app.require_subcommand(1);
  peak::apps::add_evidence_commands(app);
  std::ostringstream sink;
  auto* old_out = std::cout.rdbuf(sink.rdbuf());
  auto* old_err = std::cerr.rdbuf(sink.rdbuf());
  int code = 0;
  try {
    app.parse(args, false);
  } catch (const CLI::RuntimeError& e) {
    code = e.get_exit_code();
  } catch (const CLI::ParseError&) {
    code = peak::apps::exit_bad_input;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return code;
}

TEST(EvidenceCli, ValidateExitCodes) {
  const auto root = scratch_dir("cli_validate");
  const auto dir = write_sample_pack(sample_request(root));
  EXPECT_EQ(run_cli("evidence validate " + dir.string()), 0);
  EXPECT_EQ(run_cli("evidence validate --json " + dir.string()), 0);
  EXPECT_EQ(run_cli("evidence validate " + (root / "nope").string()), 2);
  write_file(dir / "trades.csv", "tampered\n");
  EXPECT_EQ(run_cli("evidence validate " + dir.string()), 1);
  EXPECT_EQ(run_cli("evidence validate --json " + dir.string()), 1);
}

TEST(EvidenceCli, CompareExitCodes) {
  const auto root = scratch_dir("cli_compare");
  const auto a = write_sample_pack(sample_request(root), 3);
  const auto b = write_sample_pack(sample_request(root), 9);
  EXPECT_EQ(run_cli("evidence compare " + a.string() + " " + b.string()), 0);
  write_file(b / "orders.csv", "client_order_id,state\n1,filled\n");
  EXPECT_EQ(run_cli("evidence compare " + a.string() + " " + b.string()), 1);
  EXPECT_EQ(run_cli("evidence compare --json " + a.string() + " " + b.string()), 1);
  EXPECT_EQ(run_cli("evidence compare " + a.string() + " " + (root / "nope").string()), 2);
}

TEST(EvidenceCli, AuditVerifyExitCodes) {
  const auto root = scratch_dir("cli_audit");
  const auto dir = write_sample_pack(sample_request(root));
  const auto log = dir / "audit_log.jsonl";
  EXPECT_EQ(run_cli("audit verify " + log.string()), 0);
  EXPECT_EQ(run_cli("audit verify " + (root / "missing.jsonl").string()), 2);
  std::string text = read_file(log);
  text.erase(0, text.find('\n') + 1);  // drop the first record
  write_file(log, text);
  EXPECT_EQ(run_cli("audit verify " + log.string()), 1);
  EXPECT_EQ(run_cli("audit verify --json " + log.string()), 1);
}

TEST(EvidenceCli, ListExitCodes) {
  const auto root = scratch_dir("cli_list");
  auto r = sample_request(root);
  r.index_run = true;
  write_sample_pack(r);
  const auto registry = root / "runs" / "registry.sqlite";
  EXPECT_EQ(run_cli("evidence list --registry " + registry.string()), 0);
  EXPECT_EQ(run_cli("evidence list --json --registry " + registry.string()), 0);
  EXPECT_EQ(run_cli("evidence list --registry " + (root / "none.sqlite").string()), 2);
}

TEST(EvidenceCli, UsageErrorsAreBadInput) {
  EXPECT_EQ(run_cli("evidence validate"), 2);
  EXPECT_EQ(run_cli("audit verify"), 2);
}

}  // namespace
