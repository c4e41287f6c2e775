#pragma once
/// Validator of an evidence pack directory (`peak evidence validate DIR`).
///
/// Checks, and reports every problem found (not just the first):
/// - every entry is a regular file (or a symlink to one inside the pack) of at most
///   max_pack_file_bytes; FIFOs, devices and outward symlinks are refused, never opened;
/// - manifest.json: present, valid JSON, schema + schema_version 1, pack_id, a file list with
///   plain names, sizes and SHA-256; every listed file exists with that size and hash; no file
///   in the directory is unlisted; every required file is present and listed;
/// - run_manifest.json: valid JSON with every required field (run_manifest_required_fields():
///   pack id, schema version, git ref, run reason, operator id, ...), known mode, same pack id
///   as manifest.json, config_hash = SHA-256 of config_snapshot.toml;
/// - audit_log.jsonl: hash chain intact and complete; record count and head hash equal to
///   the manifests';
/// - metrics.json: a JSON object; CSV files: a header and the same column count on every row;
/// - the determinism digest in manifest.json matches the content.
///
/// Exit codes: 0 valid, 1 invalid (problems listed), 2 path missing or unreadable.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace peak::evidence {

/// Kind of a validation problem.
enum class pack_problem_kind {
  unreadable,        ///< the path is missing, not a directory or cannot be read
  missing_file,      ///< a required or listed file is absent
  unlisted_file,     ///< a file in the pack is not in manifest.json
  unsafe_file,       ///< not a regular file, a symlink out of the pack, or over the size bound
  size_mismatch,     ///< a file's size differs from manifest.json
  hash_mismatch,     ///< a file's SHA-256 (or a recorded hash) differs
  schema_violation,  ///< invalid JSON/CSV or a field of the wrong type or value
  missing_field,     ///< a required field is absent or empty
  audit_chain,       ///< audit_log.jsonl fails verification
  audit_mismatch,    ///< audit record count / head hash differ from the manifests
  index_mismatch,    ///< not in the evidence index, or its manifest hash differs
};

/// Stable name of a problem kind (for --json).
[[nodiscard]] std::string_view to_string(pack_problem_kind kind) noexcept;

/// One problem: which file, what is wrong.
struct pack_problem {
  pack_problem_kind kind = pack_problem_kind::schema_violation;
  std::string file;    ///< file inside the pack ("" for the pack itself)
  std::string detail;  ///< one sentence for an operator
};

/// Result of validate_pack().
struct pack_validation {
  int exit_code = 2;  ///< 0 valid, 1 invalid, 2 missing/unreadable path
  std::vector<pack_problem> problems;
  std::string pack_id;          ///< from manifest.json when readable
  std::string manifest_sha256;  ///< SHA-256 of manifest.json (compare with the index)
  std::uint64_t files_checked = 0;
  std::uint64_t audit_records = 0;
  [[nodiscard]] bool valid() const noexcept { return exit_code == 0; }
};

/// Required fields of run_manifest.json as JSON pointers ("/git/commit"); the schema file
/// evidence/schema/evidence_pack.v1.json lists the same.
[[nodiscard]] const std::vector<std::string>& run_manifest_required_fields();

/// Required fields of manifest.json as JSON pointers.
[[nodiscard]] const std::vector<std::string>& manifest_required_fields();

/// Validates the pack in `dir`.
[[nodiscard]] pack_validation validate_pack(const std::filesystem::path& dir);

/// Validates the pack and also checks it against the evidence index: the run must be indexed
/// and manifest.json must hash to the `manifest_sha256` recorded when the run ended (catches a
/// pack rewritten wholesale). An unreadable registry gives exit code 2.
[[nodiscard]] pack_validation validate_pack(const std::filesystem::path& dir,
                                            const std::filesystem::path& registry);

}  // namespace peak::evidence
