#pragma once
/// decision_sink that appends to the hash-chained audit log (evidence/audit_log.hpp).

#include <string>

#include "engine/decision_sink.hpp"
#include "evidence/audit_log.hpp"

namespace peak::engine {

class audit_sink final : public decision_sink {
public:
  /// Appends to `writer` (owned by the evidence pack; must outlive this sink).
  explicit audit_sink(evidence::audit_log_writer& writer) : writer_(writer) {}
  void record(std::string_view type, timestamp_ns ts_event, std::string_view fields_json) override {
    if (writer_.append(type, ts_event, fields_json) && first_error_.empty())
      first_error_ = "audit log append failed (" + writer_.path().string() + ")";
  }
  void flush() override {
    if (writer_.flush() && first_error_.empty())
      first_error_ = "audit log flush failed (" + writer_.path().string() + ")";
  }
  /// "" or the first error seen.
  [[nodiscard]] const std::string& error() const noexcept { return first_error_; }

private:
  evidence::audit_log_writer& writer_;
  std::string first_error_;
};

}  // namespace peak::engine
