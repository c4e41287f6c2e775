#pragma once
/// Renders a session result as the evidence files (trades.csv, equity.csv, orders.csv,
/// metrics.json) and as the operator's summary. Deterministic: the same result always
/// renders to the same bytes; wall-clock figures only appear where passed in explicitly.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "config/session_config.hpp"
#include "engine/session_result.hpp"

namespace peak::engine {

/// Wall-clock facts about a run (kept out of determinism comparisons).
struct run_timing {
  double wall_seconds = 0.0;
  double events_per_second = 0.0;
  std::string engine = "graph";  ///< "graph" or "reference"
};

[[nodiscard]] std::string trades_csv(const session_result& result,
                                     const config::session_config& config);
[[nodiscard]] std::string equity_csv(const session_result& result);
/// equity.csv's header line (with its newline).
inline constexpr std::string_view equity_csv_header =
    "ts_event_ns,time_utc,cash,equity,realised_pnl,exposure\n";
/// Appends one equity.csv row (with its newline) to `out`.
void append_equity_row(std::string& out, const equity_row& row);

/// Writes equity.csv while the run goes on, so the curve never has to sit in memory: rows
/// collect in a buffer written out every 64 KiB. The file's bytes equal equity_csv() of a
/// result that kept every row. Used from one thread.
class equity_csv_stream {
public:
  /// Creates (truncates) `path` and writes the header; throws std::runtime_error if it cannot.
  explicit equity_csv_stream(const std::filesystem::path& path);
  ~equity_csv_stream();
  equity_csv_stream(const equity_csv_stream&) = delete;
  equity_csv_stream& operator=(const equity_csv_stream&) = delete;
  /// Appends a row. Never throws; a failed write is remembered and reported by close().
  void append(const equity_row& row) noexcept;
  /// Writes what is buffered and closes the file; the first error, if any. Idempotent.
  std::error_code close() noexcept;
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

private:
  void write_out() noexcept;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::uint64_t rows_ = 0;
  std::error_code error_;
};
[[nodiscard]] std::string orders_csv(const session_result& result,
                                     const config::session_config& config);
/// Final figures. Deterministic members at top level; wall-clock ones under "wall_clock".
[[nodiscard]] std::string metrics_json(const session_result& result,
                                       const config::session_config& config,
                                       const run_timing& timing);
/// A readable multi-line summary for the terminal.
[[nodiscard]] std::string summary_text(const session_result& result,
                                       const config::session_config& config,
                                       const run_timing& timing);

}  // namespace peak::engine
