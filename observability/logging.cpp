#include "observability/logging.hpp"

#include <stdexcept>
#include <utility>

#include "observability/redaction.hpp"
#include "spdlog/async.h"
#include "spdlog/async_logger.h"
#include "spdlog/details/log_msg.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/basic_file_sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace peak::observability {

namespace {

/// Redacts the message text, then formats with a UTC pattern.
class redacting_formatter final : public spdlog::formatter {
public:
  explicit redacting_formatter(std::string pattern)
      : pattern_(std::move(pattern)), inner_(pattern_, spdlog::pattern_time_type::utc) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string clean = redact(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(clean.data(), clean.size());
    inner_.format(copy, dest);
  }

  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<redacting_formatter>(pattern_);
  }

private:
  std::string pattern_;
  spdlog::pattern_formatter inner_;
};

bool needs_quotes(std::string_view v) noexcept {
  if (v.empty()) {
    return true;
  }
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
      return true;
    }
  }
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
}

}  // namespace

bool parse_log_level(std::string_view name, spdlog::level::level_enum& out) noexcept {
  constexpr std::pair<std::string_view, spdlog::level::level_enum> levels[] = {
      {"trace", spdlog::level::trace},  {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},    {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"err", spdlog::level::err},      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off}};
  for (const auto& [n, l] : levels) {
    if (n == name) {
      out = l;
      return true;
    }
  }
  return false;
}

std::unique_ptr<spdlog::formatter> make_redacting_formatter(std::string pattern) {
  return std::make_unique<redacting_formatter>(std::move(pattern));
}

std::shared_ptr<spdlog::logger> setup_logging(const log_config& config) {
  spdlog::level::level_enum level = spdlog::level::info;
  if (!parse_log_level(config.level, level)) {
    throw std::invalid_argument("logging: unknown level '" + config.level +
                                "' (expected trace, debug, info, warn, error, critical or off)");
  }
  std::vector<spdlog::sink_ptr> sinks;
  if (config.console) {
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  if (!config.file.empty()) {
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.file));
  }
  sinks.insert(sinks.end(), config.extra_sinks.begin(), config.extra_sinks.end());

  auto pool = spdlog::thread_pool();
  if (!pool) {
    spdlog::init_thread_pool(config.queue_size == 0 ? 1 : config.queue_size, 1);
    pool = spdlog::thread_pool();
  }
  // Never block the caller: a full queue drops the oldest line rather than stall a stage.
  auto logger = std::make_shared<spdlog::async_logger>(
      config.name, sinks.begin(), sinks.end(), pool, spdlog::async_overflow_policy::overrun_oldest);
  logger->set_formatter(make_redacting_formatter());
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::drop(config.name);
  spdlog::register_logger(logger);
  return logger;
}

void shutdown_logging() noexcept {
  try {
    spdlog::shutdown();  // drops the loggers; the async pool drains its queue as it stops
  } catch (...) {
    // nothing left to report to
  }
}

std::string format_event(std::string_view event, std::initializer_list<log_field> fields) {
  std::string out = "event=";
  append_value(out, event);
  for (const auto& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (is_sensitive_key(f.key)) {
      out += redacted_marker;
    } else {
      append_value(out, f.value);
    }
  }
  return out;
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<log_field> fields) noexcept {
  try {
    if (logger.should_log(level)) {
      const std::string line = format_event(event, fields);
      logger.log(level, spdlog::string_view_t(line.data(), line.size()));
    }
  } catch (...) {
    // logging must never take the session down
  }
}

}  // namespace peak::observability
