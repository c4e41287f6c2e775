#pragma once
/// A market data file read in bounded chunks, one line at a time, for the feed readers.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace peak::marketdata {

/// Lines of one regular file. The buffer holds one chunk and grows only to the longest line
/// (at most `max_line_bytes`), so memory stays bounded whatever the file's size. Every line
/// handed out is followed by at least `padding` readable bytes (the feed readers' contract).
class line_stream {
public:
  /// What next() found.
  enum class status : std::uint8_t {
    line = 0,        ///< a line (without its newline)
    oversized = 1,   ///< a line longer than max_line_bytes, skipped (its length is given)
    read_error = 2,  ///< the file could not be read further (then end)
    end = 3,         ///< no more lines
  };

  /// Bytes of the file read at open (or all of a smaller file), handed to format detection.
  static constexpr std::size_t head_bytes = 65'536;

  /// Opens `path` and reads its first chunk. Throws replay_error naming the file when it is
  /// missing, not a regular file (directory, FIFO, device), unreadable, empty or binary
  /// (NUL bytes or > 5 % control characters in its first 4 KiB). Never blocks on a FIFO.
  line_stream(std::string path, std::size_t padding, std::size_t max_line_bytes);
  ~line_stream();
  line_stream(const line_stream&) = delete;
  line_stream& operator=(const line_stream&) = delete;

  /// The next line at `data` (`length` bytes); for oversized, `length` is what was skipped.
  status next(const char*& data, std::size_t& length);

  /// The first bytes of the file (up to head_bytes); valid until the first next().
  [[nodiscard]] std::string_view head() const noexcept;
  /// Bytes of buffer held now (the memory bound under test).
  [[nodiscard]] std::size_t buffer_bytes() const noexcept { return capacity_ + padding_; }
  /// Why reading stopped early (read_error), else empty.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  void check_text() const;
  bool fill();
  bool grow();
  status skip_line(std::size_t& length);

  std::string path_;
  int fd_ = -1;
  std::size_t padding_;
  std::size_t max_line_;
  std::unique_ptr<char[]> buffer_;  ///< capacity_ + padding_ bytes
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;    ///< first byte not yet handed out
  std::size_t end_ = 0;      ///< end of the bytes read
  std::size_t scanned_ = 0;  ///< bytes after begin_ known to hold no newline
  bool eof_ = false;
  bool reported_ = false;  ///< read_error handed out
  std::string error_;
};

}  // namespace peak::marketdata
