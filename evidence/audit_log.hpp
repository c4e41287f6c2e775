#pragma once
/// Tamper-evident audit log: append-only JSON lines, one per decision, hash-chained.
///
/// Record format (one line, compact JSON, members in this order):
///
///   {"seq":1,"type":"risk_denied","ts_event":1700000000000000000,"fields":{...},
///    "prev_hash":"<64 hex>","hash":"<64 hex>"}
///
/// - `seq` counts from 1 without gaps; `ts_event` is event time in ns (never wall clock), so a
///   rerun on the same input writes a byte-identical log.
/// - `hash` = SHA-256 of the record's bytes from the opening `{` up to (not including) the
///   `,"hash":` that ends it, i.e. it covers seq, type, time, fields and prev_hash.
/// - `prev_hash` is the previous record's `hash`; the first record's is 64 zeros.
/// - close() appends a final record of type `log_end` with fields `{"records":N}` (N = records
///   before it), so truncation at a line boundary is detectable too.
///
/// Changing, removing, inserting or reordering any record breaks the chain at (or right after)
/// that record; verify_audit_log() names the first bad record.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "messages/common.hpp"

namespace peak::evidence {

/// Schema version of the audit record format above.
inline constexpr int audit_log_schema_version = 1;

/// Type of the closing record written by audit_log_writer::close().
inline constexpr std::string_view audit_end_type = "log_end";

/// prev_hash of the first record.
inline constexpr std::string_view audit_genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Error codes of the writer's hot path (std::error_code compatible via make_error_code).
enum class audit_errc {
  ok = 0,
  not_open,      ///< append/flush on a writer with no file, or after close()
  write_failed,  ///< the OS refused the write (disk full, I/O error)
  bad_type,      ///< empty record type, or the reserved type log_end
};

/// Category for audit_errc.
const std::error_category& audit_category() noexcept;
/// Makes a std::error_code from an audit_errc.
std::error_code make_error_code(audit_errc e) noexcept;

/// Buffered appender of hash-chained records. Not thread-safe: one owner (the recorder).
/// append() costs one SHA-256 over the record and a memcpy; nothing is fsync'ed per record.
/// The buffer is written out when it fills, on flush() (call on halt) and on close().
class audit_log_writer {
public:
  /// A writer with no file: append() returns audit_errc::not_open.
  audit_log_writer() = default;
  /// Creates (truncates) `path`. Throws std::system_error when it cannot (start-up only).
  explicit audit_log_writer(const std::filesystem::path& path,
                            std::size_t buffer_bytes = std::size_t{1} << 16);
  ~audit_log_writer();
  audit_log_writer(audit_log_writer&& other) noexcept;
  audit_log_writer& operator=(audit_log_writer&& other) noexcept;
  audit_log_writer(const audit_log_writer&) = delete;
  audit_log_writer& operator=(const audit_log_writer&) = delete;

  /// Appends one record. `type`: hypothesis, risk_approved, risk_denied, order_event, trigger,
  /// tripwire, halt, rearm, ... (any non-empty name but log_end). `fields_json`: the record's
  /// fields as JSON members without the enclosing braces (`"intent_id":1,"side":"buy"`), or
  /// empty; written verbatim (the caller guarantees well-formed JSON).
  [[nodiscard]] std::error_code append(std::string_view type, timestamp_ns ts_event,
                                       std::string_view fields_json) noexcept;

  /// Writes buffered records to the OS (no fsync). Call at halt and end of run.
  [[nodiscard]] std::error_code flush() noexcept;

  /// Appends the log_end record, flushes, fsyncs and closes. Idempotent.
  [[nodiscard]] std::error_code close() noexcept;

  /// Records appended so far (not counting log_end).
  [[nodiscard]] std::uint64_t records() const noexcept { return next_seq_ - 1; }
  /// Hash of the last record written (the genesis hash before the first).
  [[nodiscard]] std::string_view head_hash() const noexcept { return {head_hash_, 64}; }
  /// Event time of the last record.
  [[nodiscard]] timestamp_ns last_ts_event() const noexcept { return last_ts_; }
  [[nodiscard]] bool is_open() const noexcept { return file_ != nullptr; }
  [[nodiscard]] bool is_closed() const noexcept { return closed_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
  std::error_code write_record(std::string_view type, timestamp_ns ts_event,
                               std::string_view fields_json) noexcept;
  std::error_code drain() noexcept;

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::size_t buffer_limit_ = 0;
  std::uint64_t next_seq_ = 1;
  timestamp_ns last_ts_ = 0;
  char head_hash_[64] = {};
  bool closed_ = false;
  bool failed_ = false;
};

/// What went wrong with the first bad record.
enum class audit_problem {
  none = 0,
  unreadable,      ///< the file cannot be opened or read
  empty,           ///< no records at all
  malformed,       ///< not a record line (not JSON, missing members, bad hash text)
  hash_mismatch,   ///< the record's bytes do not hash to its `hash` (record changed)
  sequence_gap,    ///< `seq` is not the previous seq + 1 (removed, inserted or reordered)
  chain_broken,    ///< `prev_hash` is not the previous record's hash
  truncated_line,  ///< last line has no newline (file cut mid-record)
  missing_end,     ///< no log_end record (file truncated at a line boundary, or still open)
  after_end,       ///< records after log_end
  end_count,       ///< log_end's record count does not match
};

/// Stable name of a problem (for --json output).
[[nodiscard]] std::string_view to_string(audit_problem p) noexcept;

/// Result of verify_audit_log(): ok, or the first bad record and why.
struct audit_verify_result {
  bool ok = false;
  std::uint64_t records = 0;  ///< good records read before the first problem (or all)
  std::string head_hash;      ///< hash of the last good record
  timestamp_ns last_ts_event = 0;
  bool has_end = false;  ///< a valid log_end record was found
  audit_problem problem = audit_problem::none;
  std::uint64_t line = 0;  ///< 1-based line number of the first bad record (0 if none)
  std::uint64_t seq = 0;   ///< its seq when it could be read, 0 otherwise
  std::string reason;      ///< one sentence for an operator
};

/// Verifies the chain of a log file. `require_end`: a missing log_end is a problem (default);
/// pass false to check a log that is still being written.
[[nodiscard]] audit_verify_result verify_audit_log(const std::filesystem::path& path,
                                                   bool require_end = true);

/// Verifies log text already in memory (same rules).
[[nodiscard]] audit_verify_result verify_audit_log_text(std::string_view text,
                                                        bool require_end = true);

}  // namespace peak::evidence

namespace std {
template <>
struct is_error_code_enum<peak::evidence::audit_errc> : true_type {};
}  // namespace std
