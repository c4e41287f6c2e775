#include "marketdata/line_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "infra/file_kind.hpp"

#include "marketdata/replay_error.hpp"

namespace peak::marketdata {
namespace {

std::string describe_errno(int e) {
  const char* text = std::strerror(e);
  return text != nullptr ? text : "error";
}

constexpr std::size_t first_chunk = std::size_t{1} << 20;

}  // namespace

line_stream::line_stream(std::string path, std::size_t padding, std::size_t max_line_bytes)
    : path_(std::move(path)), padding_(padding), max_line_(std::max<std::size_t>(max_line_bytes, 1)) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      throw replay_error(path_ + ": market data file not found");
    throw replay_error(path_ + ": cannot open: " + describe_errno(e));
  }
  try {
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
      throw replay_error(path_ + ": cannot read its status: " + describe_errno(errno));
    if (!S_ISREG(st.st_mode))
      throw replay_error(path_ + ": not a regular file (" + infra::file_kind(st.st_mode) +
                         "); expected a market data file");
    if (st.st_size == 0)
      throw replay_error(path_ + ": empty file");
    const int flags = ::fcntl(fd_, F_GETFL);
    if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) != 0)
      throw replay_error(path_ + ": cannot open: " + describe_errno(errno));
    capacity_ = std::max(head_bytes, std::min(first_chunk, max_line_ + 1));
    buffer_ = std::make_unique<char[]>(capacity_ + padding_);
    if (!fill())
      throw replay_error(path_ + ": cannot read: " + error_);
    if (end_ == 0)
      throw replay_error(path_ + ": empty file");
    check_text();
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

line_stream::~line_stream() {
  ::close(fd_);
}

void line_stream::check_text() const {
  // Binary content: NUL bytes or many control characters in the first 4 KiB.
  const std::size_t probe = std::min<std::size_t>(end_, 4096);
  std::size_t control = 0;
  for (std::size_t i = 0; i < probe; ++i) {
    const auto c = static_cast<unsigned char>(buffer_[i]);
    if (c == 0)
      throw replay_error(path_ + ": binary content (NUL bytes), not a text market data file");
    if (c < 32 && c != '\n' && c != '\r' && c != '\t')
      ++control;
  }
  if (control * 20 > probe)
    throw replay_error(path_ + ": binary content, not a text market data file");
}

std::string_view line_stream::head() const noexcept {
  return {buffer_.get(), std::min(end_, head_bytes)};
}

bool line_stream::fill() {
  // Moves the unread bytes to the front, then reads until the buffer is full or the file ends.
  char* base = buffer_.get();
  if (begin_ > 0) {
    std::memmove(base, base + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  bool ok = true;
  while (end_ < capacity_ && !eof_) {
    const ssize_t got = ::read(fd_, base + end_, capacity_ - end_);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      error_ = describe_errno(errno);
      ok = false;
    }
    if (got <= 0)
      eof_ = true;
    else
      end_ += static_cast<std::size_t>(got);
  }
  std::memset(base + end_, 0, padding_);  // the last line is followed by zeros
  return ok;
}

bool line_stream::grow() {
  const std::size_t capacity = std::min(capacity_ * 2, max_line_ + 1);
  auto bigger = std::make_unique<char[]>(capacity + padding_);
  std::memcpy(bigger.get(), buffer_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  buffer_ = std::move(bigger);
  capacity_ = capacity;
  return fill();
}

line_stream::status line_stream::skip_line(std::size_t& length) {
  // Drops the line in chunks up to its newline: the buffer does not grow for it.
  length = end_ - begin_;
  begin_ = end_;
  scanned_ = 0;
  while (!eof_) {
    fill();
    const char* base = buffer_.get();
    const void* nl = std::memchr(base, '\n', end_);
    if (nl != nullptr) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
      length += at;
      begin_ = at + 1;
      return status::oversized;
    }
    length += end_;
    begin_ = end_;
  }
  return status::oversized;
}

line_stream::status line_stream::next(const char*& data, std::size_t& length) {
  for (;;) {
    const char* base = buffer_.get();
    const std::size_t from = begin_ + scanned_;
    const void* nl = from < end_ ? std::memchr(base + from, '\n', end_ - from) : nullptr;
    if (nl != nullptr) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
      data = base + begin_;
      length = at - begin_;
      begin_ = at + 1;
      scanned_ = 0;
      return status::line;
    }
    scanned_ = end_ - begin_;
    if (end_ - begin_ > max_line_)
      return skip_line(length);
    if (eof_ && !error_.empty()) {
      begin_ = end_;
      scanned_ = 0;
      if (reported_)
        return status::end;
      reported_ = true;
      return status::read_error;
    }
    if (eof_) {
      if (begin_ == end_)
        return status::end;
      data = base + begin_;  // the last line, without a newline
      length = end_ - begin_;
      begin_ = end_;
      scanned_ = 0;
      return status::line;
    }
    if (begin_ == 0 && end_ == capacity_)
      grow();  // one line fills the buffer, still within max_line_
    else
      fill();
  }
}

}  // namespace peak::marketdata
