#pragma once
/// Redaction of log lines: the one redactor lives in infra/redaction.hpp (same rules and
/// marker as the evidence pack); these names keep observability:: callers compiling.

#include <string_view>

#include "infra/redaction.hpp"

namespace peak::observability {

/// Replacement text for a redacted value.
inline constexpr std::string_view redacted_marker = infra::redaction_marker;

/// True when a key names a credential (infra::is_secret_key_name).
[[nodiscard]] inline bool is_sensitive_key(std::string_view key) {
  return infra::is_secret_key_name(key);
}

using infra::redact;

}  // namespace peak::observability
