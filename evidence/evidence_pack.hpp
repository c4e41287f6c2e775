#pragma once
/// The evidence pack a run leaves behind in `runs/<run_id>/`, and its writer.
///
/// Files (names fixed by schema v1; see docs/EVIDENCE.md and schema/evidence_pack.v1.json):
///   run_manifest.json     who/what/when: run id, mode, seed, inputs + SHA-256, config hash,
///                         git commit + dirty flag, tool/library versions, machine, status,
///                         run reason, operator id; wall-clock values only under "wall_clock"
///   config_snapshot.toml  the configuration as loaded, secrets redacted
///   metrics.json          final figures (engine); wall-clock figures under "wall_clock"
///   equity.csv, trades.csv, orders.csv   (engine)
///   audit_log.jsonl       hash-chained decision log (audit_log.hpp)
///   manifest.json         every other file with size and SHA-256, audit head, determinism digest
///
/// Usage (engine / app):
///   evidence_pack_writer pack(request);          // start-up: creates the directory (throws)
///   pack.audit().append("hypothesis", ts, "...") // per decision, cheap
///   ...run...
///   pack_summary s = pack.finalize(outputs);     // end: writes the rest, indexes the run
///
/// Run ids are deterministic: `<mode>-<16 hex>` from SHA-256 over mode, config hash, input
/// hashes and seed (the "run key", recorded as `run_base_id`); if that directory already
/// exists the id gets a suffix `-2`, `-3`, ... (the first free one). Never random.
/// The writer is not thread-safe: one owner appends to audit() and calls finalize().

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/audit_log.hpp"
#include "messages/common.hpp"

namespace peak::evidence {

/// Schema version of the pack layout (run_manifest.json, manifest.json).
inline constexpr int pack_schema_version = 1;

/// File names inside a pack.
namespace pack_file {
inline constexpr std::string_view run_manifest = "run_manifest.json";
inline constexpr std::string_view config_snapshot = "config_snapshot.toml";
inline constexpr std::string_view metrics = "metrics.json";
inline constexpr std::string_view equity = "equity.csv";
inline constexpr std::string_view trades = "trades.csv";
inline constexpr std::string_view orders = "orders.csv";
inline constexpr std::string_view audit_log = "audit_log.jsonl";
inline constexpr std::string_view manifest = "manifest.json";
}  // namespace pack_file

/// Files every valid pack holds besides manifest.json.
[[nodiscard]] const std::vector<std::string_view>& required_pack_files();

/// Members of run_manifest.json that the determinism comparison leaves out (at any depth):
/// identity of this copy, wall clock, and context that may differ between two honest reruns.
[[nodiscard]] const std::vector<std::string>& run_manifest_context_keys();

/// Members left out of every JSON file in the determinism comparison ("wall_clock").
[[nodiscard]] const std::vector<std::string>& wall_clock_keys();

/// One input file of the run (hashed when the writer opens).
struct pack_input {
  std::string role;            ///< e.g. "market_data", "instruments"
  std::filesystem::path path;  ///< file to hash; its path is recorded as given
};

/// A library/tool version to record (the writer adds simdjson, SQLite and the compiler).
struct library_version {
  std::string name;
  std::string version;
};

/// Git state of the source tree.
struct git_info {
  std::string commit = "unknown";  ///< full commit hash, "unknown" if git is unavailable
  bool dirty = false;              ///< tracked files modified (untracked files not counted)
  bool available = false;          ///< git ran and the directory is a repository
};

/// Runs `git rev-parse HEAD` and `git status --porcelain --untracked-files=no` in `dir`.
[[nodiscard]] git_info probe_git(const std::filesystem::path& dir);

/// The source directory this library was built from (default for probe_git).
[[nodiscard]] std::filesystem::path build_source_dir();

/// What the caller knows at start-up.
struct pack_request {
  std::filesystem::path runs_root = "runs";  ///< parent of the run directory
  std::string mode;                          ///< shadow | paper | live
  std::uint64_t seed = 0;
  std::string config_text;  ///< configuration as loaded; redacted, then hashed and stored
  std::string config_path;  ///< where it came from (recorded, informational)
  std::vector<pack_input> inputs;
  std::string run_reason;                  ///< required, e.g. "nightly regression", "drill"
  std::string operator_id;                 ///< required, who started the run
  std::vector<library_version> libraries;  ///< e.g. {"caf", "0.17.6"}
  /// Optional deterministic JSON members (no braces) recorded under "session": {...},
  /// e.g. `"instruments":["BTCUSDT"],"strategy":"mean_reversion"`.
  std::string session_json;
  timestamp_ns wall_clock_start_ns = 0;  ///< wall clock, read by the caller
  std::filesystem::path source_dir;      ///< git probe; empty: build_source_dir()
  std::optional<git_info> git;           ///< set to skip probing (tests)
  /// Evidence index; empty: `runs_root/registry.sqlite`. Set index_run=false to skip.
  std::filesystem::path registry_path;
  bool index_run = true;
  std::size_t audit_buffer_bytes = std::size_t{1} << 16;
};

/// What the run produced. A file whose content is std::nullopt must already have been written
/// into directory() by the caller.
struct pack_outputs {
  std::optional<std::string> metrics_json;  ///< a JSON object
  std::optional<std::string> equity_csv;
  std::optional<std::string> trades_csv;
  std::optional<std::string> orders_csv;
  std::string status = "completed";  ///< completed | halted | failed
  timestamp_ns wall_clock_end_ns = 0;
  /// Optional wall-clock JSON members (no braces) added under run_manifest "wall_clock",
  /// e.g. `"tick_to_order_p99_ns":1234`.
  std::string wall_clock_json;
};

/// Result of finalize().
struct pack_summary {
  std::string run_id;
  std::filesystem::path directory;
  std::string manifest_sha256;     ///< SHA-256 of manifest.json (also in the index)
  std::string determinism_digest;  ///< equal for two runs with the same deterministic content
  std::uint64_t audit_records = 0;
  std::string index_error;  ///< empty when the run was indexed (or indexing was off)
};

/// Deterministic run key `<mode>-<16 hex>` (no collision suffix; `run_base_id` in the manifest).
[[nodiscard]] std::string make_run_key(std::string_view mode, std::string_view config_hash,
                                       const std::vector<std::string>& input_sha256,
                                       std::uint64_t seed);

/// ISO 8601 UTC text (`2026-11-23T20:44:22.123456789Z`) of a ns timestamp.
[[nodiscard]] std::string format_utc(timestamp_ns ts);

/// Writes one evidence pack. Start-up and finalize() throw std::runtime_error with the file
/// name and cause; the audit log's hot path returns error codes.
class evidence_pack_writer {
public:
  explicit evidence_pack_writer(pack_request request);

  [[nodiscard]] const std::string& run_id() const noexcept { return run_id_; }
  [[nodiscard]] const std::string& run_key() const noexcept { return run_key_; }
  [[nodiscard]] const std::filesystem::path& directory() const noexcept { return dir_; }
  /// SHA-256 of the redacted config snapshot (what the pack stores).
  [[nodiscard]] const std::string& config_hash() const noexcept { return config_hash_; }
  /// The decision log of this run (audit_log.jsonl in the pack).
  [[nodiscard]] audit_log_writer& audit() noexcept { return audit_; }

  /// Writes an extra file into the pack (listed in the manifest, compared for determinism
  /// unless its name contains "wall_clock"). `name` must be a plain file name.
  void add_file(std::string_view name, std::string_view contents);

  /// Writes the outputs, closes the audit log, writes run_manifest.json and manifest.json,
  /// and appends the run to the evidence index. Call once.
  pack_summary finalize(const pack_outputs& outputs);

private:
  struct hashed_input {
    std::string role;
    std::string path;
    std::string sha256;
    std::uint64_t size = 0;
  };

  pack_request request_;
  std::vector<hashed_input> inputs_;
  git_info git_;
  std::string config_hash_;
  std::size_t config_redactions_ = 0;
  std::string run_key_;
  std::string run_id_;
  std::filesystem::path dir_;
  audit_log_writer audit_;
  bool finalized_ = false;
};

}  // namespace peak::evidence
