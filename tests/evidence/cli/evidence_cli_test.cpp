/// Drives `peak evidence ...` and `peak audit verify` in-process and checks exit codes.

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>
#include <iostream>
#include <sstream>

#include "../pack_test_util.hpp"
#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
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

/// Runs the CLI with `args` (no program name); returns the exit code and fills `printed` with
/// what it wrote to stdout and stderr.
int run_cli_capture(std::vector<std::string> args, std::string& printed) {
  CLI::App app{"peak", "peak"};
  app.require_subcommand(1);
  peak::apps::add_evidence_commands(app);
  std::ostringstream sink;
  auto* old_out = std::cout.rdbuf(sink.rdbuf());
  auto* old_err = std::cerr.rdbuf(sink.rdbuf());
  int code = 0;
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector last argument first
  try {
    app.parse(args);
  } catch (const CLI::RuntimeError& e) {
    code = e.get_exit_code();
  } catch (const CLI::ParseError&) {
    code = peak::apps::exit_bad_input;
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  printed = sink.str();
  return code;
}

TEST(TerminalText, EscapesControlsAndKeepsText) {
  using peak::apps::visible;
  EXPECT_EQ(visible("runs/abc-1"), "runs/abc-1");
  EXPECT_EQ(visible("a\x1b[2Kb"), "a\\x1b[2Kb");
  EXPECT_EQ(visible("x\ny\tz\x7f"), "x\\x0ay\\x09z\\x7f");
  EXPECT_EQ(visible("\xc2\x9b" "31m"), "\\u009b31m");  // C1 CSI in UTF-8
  EXPECT_EQ(visible("\x9b" "31m"), "\\x9b31m");          // a stray 8-bit CSI byte
  EXPECT_EQ(visible("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");  // UTF-8 kept
  EXPECT_EQ(peak::apps::visible_lines("a\x1b\nb\n"), "a\\x1b\nb\n");
}

TEST(EvidenceCli, EscapeCodesInAPathNeverReachTheOutputRaw) {
  const auto root = scratch_dir("cli_escape");
  const auto dir = write_sample_pack(sample_request(root));
  const auto evil = root / "pack\x1b[2K\rVALID\x07";
  fs::rename(dir, evil);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"evidence", "validate", evil.string()},
        std::vector<std::string>{"evidence", "validate", (root / "gone\x1b]0;x\x07").string()},
        std::vector<std::string>{"audit", "verify", (evil / "audit_log.jsonl").string()},
        std::vector<std::string>{"evidence", "compare", evil.string(),
                                 (root / "gone\x1b[1A").string()}}) {
    std::string printed;
    (void)run_cli_capture(args, printed);
    EXPECT_EQ(printed.find('\x1b'), std::string::npos) << printed;
    EXPECT_EQ(printed.find('\x07'), std::string::npos) << printed;
    EXPECT_NE(printed.find("\\x1b"), std::string::npos) << printed;
  }
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
