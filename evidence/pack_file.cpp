#include "evidence/pack_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "infra/file_kind.hpp"

namespace peak::evidence {
namespace {

namespace fs = std::filesystem;

/// Closes a descriptor on scope exit.
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

/// Opens a checked pack file; returns -1 with `check` filled in on refusal.
int open_checked(const fs::path& dir, const std::string& name, std::uint64_t max_bytes,
                 pack_file_check& check) {
  const fs::path path = dir / name;
  struct stat link_info {};
  if (::lstat(path.c_str(), &link_info) != 0) {
    check.absent = errno == ENOENT;
    check.reason = name + " cannot be examined: " + std::strerror(errno);
    return -1;
  }
  fs::path target = path;
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (S_ISLNK(link_info.st_mode)) {
    // A symlink is followed only to a file inside the pack directory.
    std::error_code ec;
    const fs::path root = fs::canonical(dir, ec);
    const fs::path resolved = ec ? fs::path() : fs::canonical(path, ec);
    if (ec) {
      check.reason = name + " is a symlink that cannot be resolved";
      return -1;
    }
    const auto rel = resolved.lexically_relative(root);
    if (rel.empty() || *rel.begin() == ".." || rel == ".") {
      check.reason = name + " is a symlink pointing outside the pack (" + resolved.string() + ")";
      return -1;
    }
    target = resolved;
  } else if (!S_ISREG(link_info.st_mode)) {
    check.reason = name + " is " + infra::file_kind(link_info.st_mode) + ", not a regular file";
    return -1;
  }
  flags |= O_NOFOLLOW;
  const int fd = ::open(target.c_str(), flags);
  if (fd < 0) {
    check.reason = name + " cannot be opened: " + std::strerror(errno);
    return -1;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    check.reason = name + " is " + infra::file_kind(info.st_mode) + ", not a regular file";
    ::close(fd);
    return -1;
  }
  check.size = static_cast<std::uint64_t>(info.st_size);
  if (check.size > max_bytes) {
    check.reason = name + " is " + std::to_string(check.size) + " bytes, over the " +
                   std::to_string(max_bytes) + "-byte bound for a pack file";
    ::close(fd);
    return -1;
  }
  // Back to blocking reads on the (regular) file.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  check.ok = true;
  return fd;
}

}  // namespace

pack_file_check check_pack_file(const fs::path& dir, const std::string& name,
                                std::uint64_t max_bytes) {
  pack_file_check check;
  fd_guard guard{open_checked(dir, name, max_bytes, check)};
  return check;
}

bool read_pack_file(const fs::path& dir, const std::string& name, std::string& out,
                    std::string& reason, std::uint64_t max_bytes) {
  pack_file_check check;
  fd_guard guard{open_checked(dir, name, max_bytes, check)};
  if (guard.fd < 0) {
    reason = check.reason;
    return false;
  }
  out.clear();
  out.reserve(static_cast<std::size_t>(check.size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(guard.fd, buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR)
        continue;
      reason = name + " cannot be read: " + std::strerror(errno);
      return false;
    }
    if (got == 0)
      break;
    out.append(buffer, static_cast<std::size_t>(got));
    if (out.size() > max_bytes) {  // grew while being read
      reason = name + " grew past the " + std::to_string(max_bytes) + "-byte bound";
      return false;
    }
  }
  return true;
}

}  // namespace peak::evidence
