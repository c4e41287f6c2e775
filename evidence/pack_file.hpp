#pragma once
/// Reading one file of an evidence pack without trusting it: regular files only, no symlink
/// leaving the pack, never blocking on a FIFO or device, and bounded in size.

#include <cstdint>
#include <filesystem>
#include <string>

namespace peak::evidence {

/// Largest pack file the validator reads or hashes (1 GiB); larger files are invalid.
inline constexpr std::uint64_t max_pack_file_bytes = std::uint64_t{1} << 30;

/// Result of opening a pack file.
struct pack_file_check {
  bool ok = false;     ///< a regular file inside the pack, within the size bound
  bool absent = false; ///< the name does not exist at all
  std::string reason;  ///< why it was refused (one sentence), empty when ok
  std::uint64_t size = 0;
};

/// Checks `dir/name` without following a symlink out of `dir` and without opening anything
/// but a regular file (lstat first, then open with O_NONBLOCK and fstat).
[[nodiscard]] pack_file_check check_pack_file(const std::filesystem::path& dir,
                                              const std::string& name,
                                              std::uint64_t max_bytes = max_pack_file_bytes);

/// Reads `dir/name` into `out` after the same checks; false with `reason` set otherwise.
[[nodiscard]] bool read_pack_file(const std::filesystem::path& dir, const std::string& name,
                                  std::string& out, std::string& reason,
                                  std::uint64_t max_bytes = max_pack_file_bytes);

}  // namespace peak::evidence
