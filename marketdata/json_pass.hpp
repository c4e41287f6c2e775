#pragma once
/// A plain simdjson on-demand pass over a feed line: parse the payload and touch every
/// value once, nothing else. Benchmarks run it next to the feed readers as the practical
/// limit of a reader (same simdjson build, same bytes).

#include <cstddef>
#include <cstdint>
#include <memory>

namespace peak::marketdata {

class json_pass {
public:
  json_pass();
  ~json_pass();
  json_pass(const json_pass&) = delete;
  json_pass& operator=(const json_pass&) = delete;

  /// Walks one line (a `<epoch>: ` capture prefix is skipped); feed_reader::padding bytes
  /// must be readable after it. Returns a checksum of what it touched (0 on error).
  std::uint64_t walk_line(const char* data, std::size_t length);
  /// Name of the simdjson implementation in use by the on-demand parser ("haswell", ...).
  [[nodiscard]] static const char* implementation() noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace peak::marketdata
