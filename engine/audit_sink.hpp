#pragma once
/// decision_sink that writes the hash-chained audit log (evidence/audit_log.hpp).

#include <filesystem>
#include <string>

#include "engine/decision_sink.hpp"
#include "evidence/audit_log.hpp"

namespace peak::engine {

class audit_sink final : public decision_sink {
public:
  /// Creates (truncates) the audit log at `path`. Throws std::system_error at start-up.
  explicit audit_sink(const std::filesystem::path& path) : writer_(path) {}
  void record(std::string_view type, timestamp_ns ts_event,
              std::string_view fields_json) override {
    if (writer_.append(type, ts_event, fields_json) && first_error_.empty())
      first_error_ = "audit log append failed";
  }
  void flush() override {
    if (writer_.flush() && first_error_.empty())
      first_error_ = "audit log flush failed";
  }
  /// Appends the end record and closes; returns "" or the first error seen.
  std::string close() {
    if (writer_.close() && first_error_.empty())
      first_error_ = "audit log close failed";
    return first_error_;
  }
  [[nodiscard]] std::uint64_t records() const noexcept { return writer_.records(); }

private:
  evidence::audit_log_writer writer_;
  std::string first_error_;
};

}  // namespace peak::engine
