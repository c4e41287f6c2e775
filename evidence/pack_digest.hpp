#pragma once
/// The determinism rules of an evidence pack, in one place (writer, validator, compare):
/// - manifest.json is not compared (it holds hashes of files that carry wall-clock values);
/// - files whose name contains "wall_clock" are not compared;
/// - JSON files are compared after dropping every "wall_clock" member at any depth;
///   run_manifest.json additionally drops run_manifest_context_keys() (run id, pack id,
///   git, tool, libraries, machine, run reason, operator, paths);
/// - every other file is compared byte for byte (SHA-256).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace peak::evidence {

/// True if a pack file takes part in the determinism comparison.
[[nodiscard]] bool is_deterministic_file(std::string_view name);

/// Keys dropped from a JSON file of this name before comparing.
[[nodiscard]] std::vector<std::string> dropped_keys_for(std::string_view name);

/// The deterministic content of one file: canonical JSON text for .json files, raw bytes
/// otherwise. False with `error` set if it cannot be read or parsed.
[[nodiscard]] bool deterministic_content(const std::filesystem::path& dir, std::string_view name,
                                         std::string& content, std::string& error);

/// SHA-256 over `name\n<sha256 of deterministic content>\n` for every deterministic file in
/// `names` (sorted by the caller). Two packs with equal digests have equal deterministic content.
[[nodiscard]] bool determinism_digest(const std::filesystem::path& dir,
                                      const std::vector<std::string>& names, std::string& digest,
                                      std::string& error);

}  // namespace peak::evidence
