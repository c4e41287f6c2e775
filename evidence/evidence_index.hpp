#pragma once
/// The evidence index: an append-only table `evidence_runs` in the SQLite registry
/// (`runs/registry.sqlite` by default, WAL mode). One row per finalised pack. Triggers refuse
/// UPDATE and DELETE, so the index only grows. Other tables in the same file (e.g. the
/// operator's `sessions`) are not touched.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace peak::evidence {

/// One row of `evidence_runs`.
struct evidence_index_entry {
  std::int64_t row = 0;  ///< assigned by SQLite on insert (order of indexing)
  std::string run_id;
  std::string pack_path;  ///< directory of the pack as written
  std::string mode;
  std::string status;
  std::string config_hash;
  std::uint64_t seed = 0;
  std::string git_commit;
  bool git_dirty = false;
  std::string run_reason;
  std::string operator_id;
  std::string started_at_utc;   ///< wall clock
  std::string finished_at_utc;  ///< wall clock
  std::string manifest_sha256;
  std::string determinism_digest;
  std::uint64_t audit_records = 0;
};

/// Appends a row (creating the file and table if needed). Returns false with `error` set.
[[nodiscard]] bool index_append(const std::filesystem::path& registry,
                                const evidence_index_entry& entry, std::string& error);

/// Reads every row in insertion order. A missing file is an error ("no such registry").
[[nodiscard]] bool index_list(const std::filesystem::path& registry,
                              std::vector<evidence_index_entry>& out, std::string& error);

}  // namespace peak::evidence
