#pragma once
/// Session logging: one asynchronous spdlog logger whose lines are redacted before any sink
/// sees them, and a helper for one structured `event=... key=value` line per significant event.

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spdlog/common.h"
#include "spdlog/logger.h"

namespace peak::observability {

/// Logging set-up, usually from the session config.
struct log_config {
  std::string name = "peak";      ///< logger name
  std::string level = "info";     ///< trace, debug, info, warn, error, critical, off
  std::string file;               ///< log file (appended); empty: none
  bool console = true;            ///< also log to stderr
  std::size_t queue_size = 8192;  ///< async queue slots; when full the oldest line is dropped
  std::vector<spdlog::sink_ptr> extra_sinks;  ///< e.g. a test's capturing sink
};

/// Parses a level name; returns false (and leaves `out`) on an unknown name.
[[nodiscard]] bool parse_log_level(std::string_view name, spdlog::level::level_enum& out) noexcept;

/// Creates (or replaces) the named asynchronous logger with a redacting formatter on every
/// sink, registers it with spdlog and returns it. Throws std::invalid_argument on an unknown
/// level and spdlog::spdlog_ex when the file cannot be opened (start-up only).
std::shared_ptr<spdlog::logger> setup_logging(const log_config& config);

/// Flushes every logger and stops the logging thread; call once at process exit so the last
/// queued lines reach their sinks. Never throws.
void shutdown_logging() noexcept;

/// Wraps a sink's formatting: the message text is passed through redact() first. Installed by
/// setup_logging(); use it on any sink added later.
[[nodiscard]] std::unique_ptr<spdlog::formatter> make_redacting_formatter(
    std::string pattern = "%Y-%m-%dT%H:%M:%S.%fZ %l %n %v");

/// One field of a structured log line.
struct log_field {
  std::string_view key;
  std::string_view value;
};

/// "event=<event> k1=v1 k2=v2": values with spaces, quotes or '=' are double-quoted with
/// escapes; values of sensitive keys are replaced by `***`.
[[nodiscard]] std::string format_event(std::string_view event,
                                       std::initializer_list<log_field> fields);

/// Logs format_event(...) at `level`. Never throws.
void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<log_field> fields) noexcept;

}  // namespace peak::observability
