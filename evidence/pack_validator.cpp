#include "evidence/pack_validator.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "evidence/audit_log.hpp"
#include "evidence/evidence_index.hpp"
#include "evidence/evidence_pack.hpp"
#include "evidence/pack_digest.hpp"
#include "evidence/pack_file.hpp"
#include "evidence/sha256.hpp"

namespace peak::evidence {
namespace fs = std::filesystem;

std::string_view to_string(pack_problem_kind kind) noexcept {
  switch (kind) {
    case pack_problem_kind::unreadable:
      return "unreadable";
    case pack_problem_kind::missing_file:
      return "missing_file";
    case pack_problem_kind::unlisted_file:
      return "unlisted_file";
    case pack_problem_kind::unsafe_file:
      return "unsafe_file";
    case pack_problem_kind::size_mismatch:
      return "size_mismatch";
    case pack_problem_kind::hash_mismatch:
      return "hash_mismatch";
    case pack_problem_kind::schema_violation:
      return "schema_violation";
    case pack_problem_kind::missing_field:
      return "missing_field";
    case pack_problem_kind::audit_chain:
      return "audit_chain";
    case pack_problem_kind::audit_mismatch:
      return "audit_mismatch";
    case pack_problem_kind::index_mismatch:
      return "index_mismatch";
  }
  return "unknown";
}

const std::vector<std::string>& run_manifest_required_fields() {
  static const std::vector<std::string> fields = {"/schema",
                                                  "/schema_version",
                                                  "/pack_id",
                                                  "/run_id",
                                                  "/mode",
                                                  "/status",
                                                  "/seed",
                                                  "/config_hash",
                                                  "/inputs",
                                                  "/audit/records",
                                                  "/audit/head_hash",
                                                  "/run_reason",
                                                  "/operator_id",
                                                  "/git/commit",
                                                  "/git/dirty",
                                                  "/tool/name",
                                                  "/tool/version",
                                                  "/libraries",
                                                  "/machine",
                                                  "/wall_clock/started_at_utc",
                                                  "/wall_clock/finished_at_utc"};
  return fields;
}

const std::vector<std::string>& manifest_required_fields() {
  static const std::vector<std::string> fields = {
      "/schema",        "/schema_version",  "/pack_id",           "/files",
      "/audit/records", "/audit/head_hash", "/determinism_digest"};
  return fields;
}

namespace {

struct checker {
  fs::path dir;
  pack_validation& result;

  void add(pack_problem_kind kind, std::string file, std::string detail) {
    result.problems.push_back({kind, std::move(file), std::move(detail)});
  }

  /// Reads a pack file through read_pack_file() (regular, inside the pack, bounded).
  bool read(const std::string& name, std::string& out) {
    std::string reason;
    return read_pack_file(dir, name, out, reason);
  }

  /// Checks required pointers exist and are not empty strings / nulls.
  void require_fields(simdjson::dom::element root, const std::vector<std::string>& pointers,
                      const std::string& file) {
    for (const auto& p : pointers) {
      simdjson::dom::element v;
      if (root.at_pointer(p).get(v) != simdjson::SUCCESS || v.is_null()) {
        add(pack_problem_kind::missing_field, file, "required field " + p + " is missing");
        continue;
      }
      std::string_view s;
      if (v.get_string().get(s) == simdjson::SUCCESS && s.empty())
        add(pack_problem_kind::missing_field, file, "required field " + p + " is empty");
    }
  }

  std::string string_at(simdjson::dom::element root, const char* pointer) {
    std::string_view s;
    if (root.at_pointer(pointer).get_string().get(s) != simdjson::SUCCESS)
      return {};
    return std::string(s);
  }

  void check_schema_header(simdjson::dom::element root, const std::string& file,
                           std::string_view expected_schema) {
    std::string_view schema;
    if (root["schema"].get_string().get(schema) == simdjson::SUCCESS && schema != expected_schema)
      add(pack_problem_kind::schema_violation, file,
          "schema is '" + std::string(schema) + "', expected '" + std::string(expected_schema) +
              "'");
    std::int64_t version = 0;
    simdjson::dom::element v;
    if (root["schema_version"].get(v) == simdjson::SUCCESS) {
      if (v.get_int64().get(version) != simdjson::SUCCESS)
        add(pack_problem_kind::schema_violation, file, "schema_version is not an integer");
      else if (version != pack_schema_version)
        add(pack_problem_kind::schema_violation, file,
            "schema_version " + std::to_string(version) + " is not supported (expected " +
                std::to_string(pack_schema_version) + ")");
    }
  }

  void check_hex(simdjson::dom::element root, const char* pointer, const std::string& file) {
    simdjson::dom::element v;
    if (root.at_pointer(pointer).get(v) != simdjson::SUCCESS)
      return;  // reported as missing elsewhere
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS || !is_sha256_hex(s))
      add(pack_problem_kind::schema_violation, file,
          std::string(pointer) + " is not a SHA-256 (64 lowercase hex characters)");
  }

  void check_csv(const std::string& name) {
    std::string text;
    if (!read(name, text))
      return;  // reported as missing
    if (text.empty()) {
      add(pack_problem_kind::schema_violation, name, "file is empty (a header row is required)");
      return;
    }
    if (text.back() != '\n')
      add(pack_problem_kind::schema_violation, name, "last line has no newline (truncated?)");
    // RFC 4180 records: a quoted field may hold commas, doubled quotes, CR and LF.
    std::size_t expected = 0;
    std::size_t record = 0;
    std::size_t columns = 1;
    bool quoted = false;
    bool empty_record = true;
    std::size_t line = 1;         // physical line, counting newlines inside quotes
    std::size_t record_line = 1;  // line where the current record starts
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n' && quoted)
        ++line;
      if (c == '\0') {
        add(pack_problem_kind::schema_violation, name,
            "NUL byte at offset " + std::to_string(i) + " (line " + std::to_string(line) + ")");
        return;
      }
      if (quoted) {
        if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
          ++i;  // an escaped quote
        else if (c == '"')
          quoted = false;
        continue;
      }
      if (c == '"') {
        quoted = true;
        empty_record = false;
      } else if (c == ',') {
        ++columns;
        empty_record = false;
      } else if (c == '\n') {
        ++record;
        if (record == 1) {
          expected = columns;
          if (empty_record)
            add(pack_problem_kind::schema_violation, name, "header row is empty");
        } else if (columns != expected) {
          add(pack_problem_kind::schema_violation, name,
              "line " + std::to_string(record_line) + " has " + std::to_string(columns) +
                  " columns, the header has " + std::to_string(expected));
          return;  // one is enough per file
        }
        columns = 1;
        empty_record = true;
        record_line = ++line;
      } else {
        empty_record = false;
      }
    }
    if (quoted)
      add(pack_problem_kind::schema_violation, name, "a quoted field is never closed");
    else if (!empty_record && record > 0 && columns != expected)
      add(pack_problem_kind::schema_violation, name,
          "last record has " + std::to_string(columns) + " columns, the header has " +
              std::to_string(expected));
  }
};

bool plain_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\\') == std::string_view::npos;
}

}  // namespace

pack_validation validate_pack(const fs::path& dir) {
  pack_validation result;
  checker c{dir, result};
  std::error_code ec;
  if (!fs::exists(dir, ec) || ec) {
    c.add(pack_problem_kind::unreadable, "", dir.string() + " does not exist");
    result.exit_code = 2;
    return result;
  }
  if (!fs::is_directory(dir, ec)) {
    c.add(pack_problem_kind::unreadable, "", dir.string() + " is not a directory");
    result.exit_code = 2;
    return result;
  }
  std::set<std::string> on_disk;
  std::set<std::string> refused;  // FIFOs, devices, directories, symlinks leaving the pack
  {
    fs::directory_iterator it(dir, ec);
    if (ec) {
      c.add(pack_problem_kind::unreadable, "", "cannot list " + dir.string() + ": " + ec.message());
      result.exit_code = 2;
      return result;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec)
        break;
      const std::string name = it->path().filename().string();
      const pack_file_check check = check_pack_file(dir, name);
      if (check.ok) {
        on_disk.insert(name);
      } else {
        refused.insert(name);
        c.add(pack_problem_kind::unsafe_file, name, check.reason);
      }
    }
  }

  const std::string manifest_name(pack_file::manifest);
  const std::string run_manifest_name(pack_file::run_manifest);

  // manifest.json
  simdjson::dom::parser manifest_parser;
  simdjson::dom::element manifest;
  bool have_manifest = false;
  std::set<std::string> listed;
  std::string manifest_text;
  if (refused.count(manifest_name) != 0) {
    // reported as unsafe above
  } else if (on_disk.count(manifest_name) == 0) {
    c.add(pack_problem_kind::missing_file, manifest_name, "manifest.json is missing");
  } else if (!c.read(manifest_name, manifest_text)) {
    c.add(pack_problem_kind::unreadable, manifest_name, "manifest.json cannot be read");
  } else if (manifest_parser.parse(manifest_text).get(manifest) != simdjson::SUCCESS ||
             !manifest.is_object()) {
    c.add(pack_problem_kind::schema_violation, manifest_name, "manifest.json is not a JSON object");
  } else {
    have_manifest = true;
    result.manifest_sha256 = sha256::hash_hex(manifest_text);
    c.require_fields(manifest, manifest_required_fields(), manifest_name);
    c.check_schema_header(manifest, manifest_name, "peak.evidence_pack.manifest");
    result.pack_id = c.string_at(manifest, "/pack_id");
    c.check_hex(manifest, "/audit/head_hash", manifest_name);
    c.check_hex(manifest, "/determinism_digest", manifest_name);
    simdjson::dom::array files;
    if (manifest["files"].get_array().get(files) == simdjson::SUCCESS) {
      std::size_t index = 0;
      for (const auto entry : files) {
        const std::string where = "files[" + std::to_string(index++) + "]";
        std::string_view path;
        std::uint64_t size = 0;
        std::string_view hash;
        if (entry["path"].get_string().get(path) != simdjson::SUCCESS || !plain_name(path)) {
          c.add(pack_problem_kind::schema_violation, manifest_name,
                where + ".path is missing or not a plain file name");
          continue;
        }
        const std::string name(path);
        if (!listed.insert(name).second) {
          c.add(pack_problem_kind::schema_violation, manifest_name, name + " is listed twice");
          continue;
        }
        const bool size_ok = entry["size"].get_uint64().get(size) == simdjson::SUCCESS;
        const bool hash_ok =
            entry["sha256"].get_string().get(hash) == simdjson::SUCCESS && is_sha256_hex(hash);
        if (!size_ok || !hash_ok)
          c.add(pack_problem_kind::schema_violation, manifest_name,
                where + " (" + name + ") needs an integer size and a 64-hex sha256");
        if (refused.count(name) != 0)
          continue;  // reported as unsafe, never opened
        if (on_disk.count(name) == 0) {
          c.add(pack_problem_kind::missing_file, name,
                name + " is listed in manifest.json but absent");
          continue;
        }
        std::error_code hec;
        const file_hash actual = hash_file(dir / name, hec);
        ++result.files_checked;
        if (hec) {
          c.add(pack_problem_kind::unreadable, name, name + " cannot be read: " + hec.message());
          continue;
        }
        if (size_ok && actual.size != size)
          c.add(pack_problem_kind::size_mismatch, name,
                name + " is " + std::to_string(actual.size) + " bytes, manifest says " +
                    std::to_string(size));
        if (hash_ok && actual.sha256_hex != hash)
          c.add(pack_problem_kind::hash_mismatch, name,
                name + " SHA-256 " + actual.sha256_hex + " differs from manifest " +
                    std::string(hash) + " (file changed after the run)");
      }
    } else if (manifest["files"].error() != simdjson::NO_SUCH_FIELD) {
      c.add(pack_problem_kind::schema_violation, manifest_name, "files is not an array");
    }
    for (const auto& name : on_disk) {
      if (name != manifest_name && listed.count(name) == 0)
        c.add(pack_problem_kind::unlisted_file, name,
              name + " is in the pack but not listed in manifest.json (added after the run?)");
    }
  }

  // Required files.
  for (const auto required : required_pack_files()) {
    const std::string name(required);
    if (on_disk.count(name) == 0) {
      if (refused.count(name) == 0 && (!have_manifest || listed.count(name) == 0))  // else already reported as listed+absent
        c.add(pack_problem_kind::missing_file, name, name + " is required and absent");
    } else if (have_manifest && listed.count(name) == 0) {
      // reported as unlisted above
    }
  }

  // run_manifest.json
  simdjson::dom::parser run_parser;
  simdjson::dom::element run;
  std::string run_text;
  if (on_disk.count(run_manifest_name) != 0 && c.read(run_manifest_name, run_text)) {
    if (run_parser.parse(run_text).get(run) != simdjson::SUCCESS || !run.is_object()) {
      c.add(pack_problem_kind::schema_violation, run_manifest_name,
            "run_manifest.json is not a JSON object");
    } else {
      c.require_fields(run, run_manifest_required_fields(), run_manifest_name);
      c.check_schema_header(run, run_manifest_name, "peak.evidence_pack.run_manifest");
      c.check_hex(run, "/config_hash", run_manifest_name);
      c.check_hex(run, "/audit/head_hash", run_manifest_name);
      const std::string mode = c.string_at(run, "/mode");
      if (!mode.empty() && mode != "shadow" && mode != "paper" && mode != "live")
        c.add(pack_problem_kind::schema_violation, run_manifest_name,
              "mode '" + mode + "' is not shadow, paper or live");
      const std::string status = c.string_at(run, "/status");
      if (!status.empty() && status != "completed" && status != "halted" && status != "failed")
        c.add(pack_problem_kind::schema_violation, run_manifest_name,
              "status '" + status + "' is not completed, halted or failed");
      simdjson::dom::element v;
      if (run.at_pointer("/seed").get(v) == simdjson::SUCCESS && !v.is_uint64() && !v.is_int64())
        c.add(pack_problem_kind::schema_violation, run_manifest_name, "seed is not an integer");
      if (run.at_pointer("/git/dirty").get(v) == simdjson::SUCCESS && !v.is_bool())
        c.add(pack_problem_kind::schema_violation, run_manifest_name, "git.dirty is not a boolean");
      simdjson::dom::array inputs;
      if (run["inputs"].get_array().get(inputs) == simdjson::SUCCESS) {
        std::size_t i = 0;
        for (const auto in : inputs) {
          std::string_view hash;
          std::string_view role;
          if (in["role"].get_string().get(role) != simdjson::SUCCESS || role.empty() ||
              in["sha256"].get_string().get(hash) != simdjson::SUCCESS || !is_sha256_hex(hash))
            c.add(pack_problem_kind::schema_violation, run_manifest_name,
                  "inputs[" + std::to_string(i) + "] needs a role and a 64-hex sha256");
          ++i;
        }
      } else if (run.at_pointer("/inputs").get(v) == simdjson::SUCCESS) {
        c.add(pack_problem_kind::schema_violation, run_manifest_name, "inputs is not an array");
      }
      const std::string run_pack_id = c.string_at(run, "/pack_id");
      if (have_manifest && !run_pack_id.empty() && !result.pack_id.empty() &&
          run_pack_id != result.pack_id)
        c.add(
            pack_problem_kind::schema_violation, run_manifest_name,
            "pack_id '" + run_pack_id + "' differs from manifest.json's '" + result.pack_id + "'");
      const std::string config_hash = c.string_at(run, "/config_hash");
      std::error_code hec;
      const std::string snapshot_name(pack_file::config_snapshot);
      if (!config_hash.empty() && on_disk.count(snapshot_name) != 0) {
        const file_hash h = hash_file(dir / snapshot_name, hec);
        if (!hec && h.sha256_hex != config_hash)
          c.add(pack_problem_kind::hash_mismatch, snapshot_name,
                "config_snapshot.toml hashes to " + h.sha256_hex +
                    ", run_manifest.json config_hash is " + config_hash);
      }
    }
  }

  // Audit log.
  const std::string audit_name(pack_file::audit_log);
  if (on_disk.count(audit_name) != 0) {
    const audit_verify_result audit = verify_audit_log(dir / audit_name);
    result.audit_records = audit.records;
    if (!audit.ok) {
      c.add(pack_problem_kind::audit_chain, audit_name,
            std::string(to_string(audit.problem)) + ": " + audit.reason);
    } else {
      for (const auto* doc :
           {have_manifest ? &manifest : nullptr, run_text.empty() ? nullptr : &run}) {
        if (doc == nullptr)
          continue;
        const std::string file = doc == &manifest ? manifest_name : run_manifest_name;
        std::uint64_t records = 0;
        if (doc->at_pointer("/audit/records").get_uint64().get(records) == simdjson::SUCCESS &&
            records != audit.records)
          c.add(pack_problem_kind::audit_mismatch, file,
                "audit.records is " + std::to_string(records) + " but the log holds " +
                    std::to_string(audit.records));
        std::string_view head;
        if (doc->at_pointer("/audit/head_hash").get_string().get(head) == simdjson::SUCCESS &&
            is_sha256_hex(head) && head != audit.head_hash)
          c.add(pack_problem_kind::audit_mismatch, file,
                "audit.head_hash " + std::string(head) + " is not the log's last hash " +
                    audit.head_hash + " (log replaced or re-chained)");
      }
    }
  }

  // metrics.json and CSV shape.
  {
    const std::string metrics_name(pack_file::metrics);
    std::string text;
    if (on_disk.count(metrics_name) != 0 && c.read(metrics_name, text)) {
      simdjson::dom::parser p;
      simdjson::dom::element e;
      if (p.parse(text).get(e) != simdjson::SUCCESS || !e.is_object())
        c.add(pack_problem_kind::schema_violation, metrics_name,
              "metrics.json is not a JSON object");
    }
    for (const auto name : {pack_file::equity, pack_file::trades, pack_file::orders}) {
      if (on_disk.count(std::string(name)) != 0)
        c.check_csv(std::string(name));
    }
  }

  // Determinism digest (only meaningful when the files match the manifest).
  if (have_manifest && result.problems.empty()) {
    std::vector<std::string> names(listed.begin(), listed.end());
    std::string digest;
    std::string error;
    const std::string recorded = c.string_at(manifest, "/determinism_digest");
    if (!determinism_digest(dir, names, digest, error))
      c.add(pack_problem_kind::schema_violation, "", error);
    else if (digest != recorded)
      c.add(pack_problem_kind::hash_mismatch, manifest_name,
            "determinism_digest " + recorded + " does not match the content (" + digest + ")");
  }

  result.exit_code = result.problems.empty() ? 0 : 1;
  return result;
}

pack_validation validate_pack(const fs::path& dir, const fs::path& registry) {
  pack_validation result = validate_pack(dir);
  if (result.exit_code == 2)
    return result;
  std::vector<evidence_index_entry> rows;
  std::string error;
  if (!index_list(registry, rows, error)) {
    result.problems.push_back({pack_problem_kind::unreadable, "", error});
    result.exit_code = 2;
    return result;
  }
  const std::string manifest_name(pack_file::manifest);
  if (result.pack_id.empty() || result.manifest_sha256.empty()) {
    result.problems.push_back({pack_problem_kind::index_mismatch, manifest_name,
                               "no readable pack id / manifest to look up in the index"});
  } else {
    const auto it = std::find_if(rows.rbegin(), rows.rend(), [&](const evidence_index_entry& e) {
      return e.run_id == result.pack_id;
    });
    if (it == rows.rend())
      result.problems.push_back(
          {pack_problem_kind::index_mismatch, manifest_name,
           "run " + result.pack_id + " is not in the evidence index " + registry.string()});
    else if (it->manifest_sha256 != result.manifest_sha256)
      result.problems.push_back({pack_problem_kind::index_mismatch, manifest_name,
                                 "manifest.json hashes to " + result.manifest_sha256 +
                                     " but the index recorded " + it->manifest_sha256 +
                                     " when the run ended (pack rewritten?)"});
  }
  result.exit_code = result.problems.empty() ? 0 : 1;
  return result;
}

}  // namespace peak::evidence
