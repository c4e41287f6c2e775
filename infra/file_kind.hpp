#pragma once
/// What a file system entry is, in words, for errors about files that are not regular files.

#include <sys/stat.h>

namespace peak::infra {

/// "a directory", "a FIFO", "a character device", "a block device", "a socket", or
/// "a special file", from a `stat` mode.
[[nodiscard]] inline const char* file_kind(mode_t mode) noexcept {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "a special file";
}

}  // namespace peak::infra
