/// `peak evidence validate|compare|list` and `peak audit verify`: the reviewer's tools.
/// Exit codes: 0 ok (valid / identical / chain intact), 1 problem found, 2 missing or
/// unreadable input. Human-readable by default, `--json` for scripts.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "evidence/audit_log.hpp"
#include "evidence/evidence_index.hpp"
#include "evidence/json.hpp"
#include "evidence/pack_compare.hpp"
#include "evidence/pack_validator.hpp"

namespace peak::apps {
namespace {

namespace ev = peak::evidence;

void finish(int code) {
  if (code != exit_ok)
    throw CLI::RuntimeError(code);
}

int validate_command(const std::string& dir, const std::string& registry, bool json) {
  const ev::pack_validation v =
      registry.empty() ? ev::validate_pack(dir) : ev::validate_pack(dir, registry);
  if (json) {
    ev::json_writer w(true);
    w.begin_object();
    w.member("path", dir);
    w.member("valid", v.valid());
    w.member("exit_code", v.exit_code);
    w.member("pack_id", v.pack_id);
    w.member("manifest_sha256", v.manifest_sha256);
    w.member("files_checked", v.files_checked);
    w.member("audit_records", v.audit_records);
    w.key("problems").begin_array();
    for (const auto& p : v.problems) {
      w.begin_object();
      w.member("kind", std::string(ev::to_string(p.kind)));
      w.member("file", p.file);
      w.member("detail", p.detail);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    std::cout << w.finish();
    return v.exit_code;
  }
  if (v.exit_code == 2) {
    std::cerr << "peak evidence validate: cannot read "
              << visible(v.problems.empty() ? dir : v.problems.back().detail) << "\n";
    return v.exit_code;
  }
  if (v.valid()) {
    std::cout << "VALID  " << visible(dir) << "\n"
              << "  pack id          " << visible(v.pack_id) << "\n"
              << "  files checked    " << v.files_checked << " (sizes and SHA-256 match)\n"
              << "  audit records    " << v.audit_records << " (hash chain intact)\n"
              << "  manifest sha256  " << visible(v.manifest_sha256) << "\n";
    return v.exit_code;
  }
  std::cout << "INVALID  " << visible(dir) << ": " << v.problems.size() << " problem(s)\n";
  for (const auto& p : v.problems) {
    std::cout << "  [" << ev::to_string(p.kind) << "] "
              << (p.file.empty() ? "(pack)" : visible(p.file)) << ": " << visible(p.detail) << "\n";
  }
  return v.exit_code;
}

int compare_command(const std::string& a, const std::string& b, bool json) {
  const ev::pack_comparison c = ev::compare_packs(a, b);
  if (json) {
    ev::json_writer w(true);
    w.begin_object();
    w.member("left", a);
    w.member("right", b);
    w.member("identical", c.identical);
    w.member("exit_code", c.exit_code);
    if (!c.error.empty())
      w.member("error", c.error);
    w.member("files_compared", static_cast<std::uint64_t>(c.files_compared));
    w.member("digest_left", c.digest_left);
    w.member("digest_right", c.digest_right);
    for (const auto* list : {&c.details, &c.context}) {
      w.key(list == &c.details ? "differences" : "context").begin_array();
      for (const auto& d : *list) {
        w.begin_object();
        w.member("file", d.file);
        w.member("where", d.where);
        w.member("left", d.left);
        w.member("right", d.right);
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
    std::cout << w.finish();
    return c.exit_code;
  }
  if (c.exit_code == 2) {
    std::cerr << "peak evidence compare: " << visible(c.error) << "\n";
    return c.exit_code;
  }
  if (c.identical) {
    std::cout << "IDENTICAL deterministic content (" << c.files_compared << " files compared)\n"
              << "  determinism digest  " << visible(c.digest_left) << "\n";
  } else {
    std::cout << "DIFFERENT deterministic content: " << c.details.size() << " difference(s)\n"
              << "  A  " << visible(a) << "\n  B  " << visible(b) << "\n";
    for (const auto& d : c.differences)
      std::cout << "  - " << visible(d) << "\n";
    std::cout << "  determinism digest A  " << visible(c.digest_left) << "\n"
              << "  determinism digest B  " << visible(c.digest_right) << "\n";
  }
  if (!c.context.empty()) {
    std::cout << "  context (not compared: ids, git, tool, machine, operator):\n";
    for (const auto& d : c.context)
      std::cout << "    " << visible(d.where) << ": " << visible(d.left) << "  vs  "
                << visible(d.right) << "\n";
  }
  return c.exit_code;
}

int list_command(const std::string& registry, bool json) {
  std::vector<ev::evidence_index_entry> rows;
  std::string error;
  if (!ev::index_list(registry, rows, error)) {
    std::cerr << "peak evidence list: " << visible(error) << "\n";
    return exit_bad_input;
  }
  if (json) {
    ev::json_writer w(true);
    w.begin_array();
    for (const auto& e : rows) {
      w.begin_object();
      w.member("row", e.row);
      w.member("run_id", e.run_id);
      w.member("pack_path", e.pack_path);
      w.member("mode", e.mode);
      w.member("status", e.status);
      w.member("seed", e.seed);
      w.member("config_hash", e.config_hash);
      w.member("git_commit", e.git_commit);
      w.member("git_dirty", e.git_dirty);
      w.member("run_reason", e.run_reason);
      w.member("operator_id", e.operator_id);
      w.member("audit_records", e.audit_records);
      w.member("manifest_sha256", e.manifest_sha256);
      w.member("determinism_digest", e.determinism_digest);
      w.key("wall_clock").begin_object();
      w.member("started_at_utc", e.started_at_utc);
      w.member("finished_at_utc", e.finished_at_utc);
      w.end_object();
      w.end_object();
    }
    w.end_array();
    std::cout << w.finish();
    return exit_ok;
  }
  if (rows.empty()) {
    std::cout << "no runs indexed in " << visible(registry) << "\n";
    return exit_ok;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-4s %-30s %-7s %-10s %8s %8s %-9s %-20s %-12s %s\n", "#",
                "RUN ID", "MODE", "STATUS", "SEED", "AUDIT", "GIT", "FINISHED (UTC)", "OPERATOR",
                "REASON");
  std::cout << line;
  for (const auto& e : rows) {
    const std::string git =
        visible(e.git_commit.size() >= 8 ? e.git_commit.substr(0, 8) : e.git_commit) +
        (e.git_dirty ? "*" : "");
    const std::string finished = visible(e.finished_at_utc.substr(0, 19));
    const std::string run_id = visible(e.run_id), mode = visible(e.mode),
                      status = visible(e.status), op = visible(e.operator_id),
                      reason = visible(e.run_reason);
    std::snprintf(line, sizeof line, "%-4lld %-30s %-7s %-10s %8llu %8llu %-9s %-20s %-12s %s\n",
                  static_cast<long long>(e.row), run_id.c_str(), mode.c_str(), status.c_str(),
                  static_cast<unsigned long long>(e.seed),
                  static_cast<unsigned long long>(e.audit_records), git.c_str(), finished.c_str(),
                  op.c_str(), reason.c_str());
    std::cout << line;
  }
  std::cout << rows.size() << " run(s) in " << visible(registry)
            << "  (* = uncommitted changes in the source tree)\n";
  return exit_ok;
}

int audit_verify_command(const std::string& file, bool json, bool allow_open) {
  if (std::error_code ec; std::filesystem::is_directory(file, ec)) {
    std::cerr << "peak audit verify: " << visible(file)
              << " is a directory, expected an audit log file (audit_log.jsonl)\n";
    return exit_bad_input;
  }
  const ev::audit_verify_result r = ev::verify_audit_log(file, !allow_open);
  const int code =
      r.ok ? exit_ok : (r.problem == ev::audit_problem::unreadable ? exit_bad_input : exit_problem);
  if (json) {
    ev::json_writer w(true);
    w.begin_object();
    w.member("file", file);
    w.member("ok", r.ok);
    w.member("exit_code", code);
    w.member("records", r.records);
    w.member("has_end", r.has_end);
    w.member("head_hash", r.head_hash);
    w.member("last_ts_event", static_cast<std::int64_t>(r.last_ts_event));
    if (!r.ok) {
      w.key("first_bad_record").begin_object();
      w.member("line", r.line);
      w.member("seq", r.seq);
      w.member("problem", std::string(ev::to_string(r.problem)));
      w.member("reason", r.reason);
      w.end_object();
    }
    w.end_object();
    std::cout << w.finish();
    return code;
  }
  if (r.ok) {
    std::cout << "OK  " << visible(file) << ": " << r.records << " record(s), hash chain intact"
              << (r.has_end ? ", closed by log_end" : ", still open (no log_end)") << "\n"
              << "  head hash  " << visible(r.head_hash) << "\n";
  } else if (code == exit_bad_input) {
    std::cerr << "peak audit verify: " << visible(r.reason) << "\n";
  } else {
    std::cout << "BROKEN  " << visible(file) << "\n"
              << "  first bad record  line " << r.line << ", seq " << r.seq << " ["
              << ev::to_string(r.problem) << "]\n"
              << "  why               " << visible(r.reason) << "\n"
              << "  good records      " << r.records << " before it\n";
  }
  return code;
}

}  // namespace

void add_evidence_commands(CLI::App& root) {
  CLI::App* evidence =
      root.add_subcommand("evidence", "Check, compare and list evidence packs (runs/<run_id>/)");
  evidence->require_subcommand(1);

  struct validate_args {
    std::string dir;
    std::string registry;
    bool json = false;
  };
  auto va = std::make_shared<validate_args>();
  CLI::App* validate = evidence->add_subcommand(
      "validate",
      "Validate an evidence pack: files, sizes, SHA-256, schema, required fields, audit chain.\n"
      "Exit 0 valid, 1 invalid (every problem listed), 2 missing or unreadable path.");
  validate->add_option("dir", va->dir, "Pack directory (runs/<run_id>)")->required();
  validate->add_option("--registry", va->registry,
                       "Also check the pack against this evidence index (e.g. "
                       "runs/registry.sqlite): indexed, manifest hash unchanged");
  validate->add_flag("--json", va->json, "Machine-readable output");
  validate->callback([va] { finish(validate_command(va->dir, va->registry, va->json)); });

  struct compare_args {
    std::string a;
    std::string b;
    bool json = false;
  };
  auto ca = std::make_shared<compare_args>();
  CLI::App* compare = evidence->add_subcommand(
      "compare",
      "Compare the deterministic content of two packs (wall clock, ids, git, machine left out).\n"
      "Exit 0 identical, 1 different, 2 missing or unreadable path.");
  compare->add_option("a", ca->a, "First pack directory")->required();
  compare->add_option("b", ca->b, "Second pack directory")->required();
  compare->add_flag("--json", ca->json, "Machine-readable output");
  compare->callback([ca] { finish(compare_command(ca->a, ca->b, ca->json)); });

  struct list_args {
    std::string registry = "runs/registry.sqlite";
    bool json = false;
  };
  auto la = std::make_shared<list_args>();
  CLI::App* list = evidence->add_subcommand(
      "list", "List indexed runs (append-only evidence index). Exit 2 if the registry is missing.");
  list->add_option("--registry", la->registry, "Registry file (default: runs/registry.sqlite)");
  list->add_flag("--json", la->json, "Machine-readable output");
  list->callback([la] { finish(list_command(la->registry, la->json)); });

  CLI::App* audit = root.add_subcommand("audit", "Tamper-evident audit log tools");
  audit->require_subcommand(1);
  struct verify_args {
    std::string file;
    bool json = false;
    bool allow_open = false;
  };
  auto aa = std::make_shared<verify_args>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Verify an audit log's hash chain; names the first bad record (line, seq, why).\n"
      "Exit 0 intact, 1 broken (changed, removed, inserted, reordered or truncated), 2 "
      "unreadable.");
  verify->add_option("file", aa->file, "audit_log.jsonl")->required();
  verify->add_flag("--json", aa->json, "Machine-readable output");
  verify->add_flag("--allow-open", aa->allow_open,
                   "Accept a log without its closing log_end record (run still going)");
  verify->callback([aa] { finish(audit_verify_command(aa->file, aa->json, aa->allow_open)); });
}

}  // namespace peak::apps
