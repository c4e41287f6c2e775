#pragma once
/// Determinism comparison of two evidence packs (`peak evidence compare A B`,
/// `peak run ... --verify-determinism`). Follows the rules in pack_digest.hpp: wall-clock
/// members, run/pack ids, git, tool, machine, run reason and operator are left out; everything
/// else (config snapshot, inputs' hashes, seed, mode, status, session, metrics, equity, trades,
/// orders, audit log, extra files) must be identical.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace peak::evidence {

/// One difference between two packs.
struct pack_difference {
  std::string file;   ///< file inside the packs
  std::string where;  ///< JSON path ("/final_equity") or "line 12"; empty for the whole file
  std::string left;   ///< value/line in A, "(absent)" if missing
  std::string right;  ///< value/line in B
};

/// Result of compare_packs().
struct pack_comparison {
  int exit_code = 2;       ///< 0 same deterministic content, 1 differences, 2 unreadable path
  bool identical = false;  ///< exit_code == 0
  std::vector<pack_difference> details;  ///< deterministic content that differs
  std::vector<std::string> differences;  ///< the same, one readable line each
  std::vector<pack_difference> context;  ///< informational: git, tool, machine, operator...
  std::string digest_left;               ///< recomputed determinism digests
  std::string digest_right;
  std::size_t files_compared = 0;
  std::string error;  ///< why exit_code is 2
};

/// Older name of pack_comparison.
using compare_result = pack_comparison;

/// One readable line for a difference: `trades.csv line 3: "a" vs "b"`.
[[nodiscard]] std::string describe(const pack_difference& d);

/// Compares the deterministic content of two pack directories. At most
/// `max_differences_per_file` differences are listed per file.
[[nodiscard]] pack_comparison compare_packs(const std::filesystem::path& left,
                                            const std::filesystem::path& right,
                                            std::size_t max_differences_per_file = 20);

}  // namespace peak::evidence
