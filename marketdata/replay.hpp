#pragma once
/// Replay of recorded market data: one or more files (exchange captures, plain JSON lines,
/// CSV bars or trades), each read by its format's feed_reader and merged in event-time
/// order. The replay never reads the clock nor sleeps: pacing at a multiple of event time
/// belongs to the drivers (the market-data actor, the apps).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marketdata/event_source.hpp"
#include "marketdata/feed_reader.hpp"
#include "marketdata/replay_error.hpp"
#include "marketdata/symbol_map.hpp"
#include "messages/instrument.hpp"

namespace peak::marketdata {

/// One input file.
struct replay_file {
  replay_file() = default;
  /// A path, optionally with its format and (CSV without a symbol column) its symbol.
  replay_file(std::string file, feed_format file_format = feed_format::unknown,
              std::string file_symbol = {})
      : path(std::move(file)), format(file_format), symbol(std::move(file_symbol)) {}

  std::string path;
  feed_format format = feed_format::unknown;  ///< unknown: detect from content and name
  std::string symbol;  ///< CSV without a symbol column: the rows' instrument symbol
};

/// Replay settings.
struct replay_options {
  reader_options reader;  ///< symbol handling (auto-add is off by default)
  std::size_t malformed_samples = 5;        ///< malformed lines reported with file:line
  std::size_t unknown_symbol_samples = 16;  ///< distinct unknown symbols remembered
  /// Longer lines are skipped and counted malformed; the read buffer never grows beyond.
  std::size_t max_line_bytes = std::size_t{64} << 20;
};

/// A malformed line: where and why.
struct malformed_line {
  std::string file;
  std::uint64_t line = 0;  ///< 1-based
  std::string reason;
};

/// Totals over all files of a replay (the sum of the readers' counters), plus samples.
struct replay_stats {
  std::size_t files = 0;
  reader_counters totals;
  std::uint64_t events_emitted = 0;
  std::vector<malformed_line> first_malformed;  ///< at most options.malformed_samples
  std::vector<std::string> unknown_symbols;     ///< distinct, at most unknown_symbol_samples
};

/// The one parser of replay speeds: "max" gives 0 (as fast as possible); "<k>x" (digits with
/// an optional fraction, then x or X, k > 0) gives k. False on anything else: "", "1", "0x",
/// "-1x", "+2x", "1e3x", "nan", "inf", "fast", spaces. Nothing else means max.
[[nodiscard]] bool parse_speed(std::string_view text, double& speed) noexcept;

/// Merged replay of files, delivered as fast as next() is called. Opening checks each file
/// and reads its first chunk (throws replay_error on a file that cannot be used); files are
/// then streamed line by line with bounded buffers, and reading never throws.
class replay_source final : public event_source {
public:
  replay_source(const std::vector<replay_file>& files, const symbol_map& symbols,
                const replay_options& options = {});
  ~replay_source() override;
  replay_source(const replay_source&) = delete;
  replay_source& operator=(const replay_source&) = delete;

  /// Next event in event-time order across files (ties: file order); false at the end.
  [[nodiscard]] bool next(market_event& out) override;

  /// Counters so far (complete once next() has returned false).
  [[nodiscard]] replay_stats stats() const;
  /// The symbol map in use (grows when auto_add_symbols is on).
  [[nodiscard]] const symbol_map& symbols() const noexcept { return symbols_; }
  /// Detected or given format of file `index`.
  [[nodiscard]] feed_format format(std::size_t index) const noexcept;
  /// Bytes of read buffers held now, all files together (bounded by the longest lines).
  [[nodiscard]] std::size_t buffer_bytes() const noexcept;

private:
  struct file_cursor;
  bool fill(file_cursor& f);
  void note(file_cursor& f, line_status s);

  symbol_map symbols_;
  replay_options options_;
  std::vector<std::unique_ptr<file_cursor>> files_;
  std::vector<malformed_line> malformed_;
  std::vector<std::string> unknown_;
  std::uint64_t emitted_ = 0;
};

/// Convenience: opens `paths` (formats detected) with a symbol map built from the session's
/// instruments. Throws replay_error naming the first file that cannot be used.
[[nodiscard]] std::unique_ptr<replay_source> open_replay(
    const std::vector<std::string>& paths, const std::vector<instrument_spec>& instruments,
    const replay_options& options = {});

}  // namespace peak::marketdata
