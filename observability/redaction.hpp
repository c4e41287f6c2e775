#pragma once
/// Redaction of credential-like text before it reaches a log. Over-redacting is acceptable;
/// leaking is not.

#include <string>
#include <string_view>

namespace peak::observability {

/// Replacement text for a redacted value.
inline constexpr std::string_view redacted_marker = "***";

/// True when a key names a credential: contains (case-insensitive) key, secret, token,
/// password, passwd, passphrase, credential, auth, signature, cookie or session_key.
[[nodiscard]] bool is_sensitive_key(std::string_view key) noexcept;

/// Returns `text` with credential-like values replaced by `***`:
///  - the value of `key=value`, `key: value`, `"key": "value"` when is_sensitive_key(key);
///  - the token after `Bearer ` / `Basic ` (any case);
///  - standalone long tokens: hex runs of 32+ characters, and base64 / base64url runs of 24+
///    characters mixing upper case, lower case and digits (JWT parts, API keys).
/// Values of keys ending in `hash` or `digest` (e.g. config_hash=<sha256>) are kept: digests
/// are evidence, not credentials.
[[nodiscard]] std::string redact(std::string_view text);

}  // namespace peak::observability
