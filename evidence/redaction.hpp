#pragma once
/// Redaction of secrets from text that ends up in evidence: config snapshots, manifests, log
/// lines. Two rules, applied line by line:
///
/// 1. By key: the value of any `key = value`, `"key": value`, `key=value` or `key: value`
///    whose key names a secret (words key, apikey, secret, token, password, passwd, pwd,
///    passphrase, credential(s), auth, authorization, signature, private, cookie; matched as
///    whole words of snake_case, kebab-case, dotted or camelCase names) is replaced by
///    `[REDACTED]` (quotes kept). Known hash keys (`sha256`, `hash`, `prev_hash`,
///    `config_hash`, `commit`, anything ending in `_sha256`, `_hash`, `_digest`) are never
///    redacted by either rule.
/// 2. By value: anywhere else, `Bearer|Basic|Token <credential>`, AWS-style access key ids
///    (`AKIA` + 16), hex strings of 32+ characters and base64/base64url strings of 32+
///    characters mixing upper case, lower case and digits are replaced. File paths (starting
///    with `/`) are left alone.
///
/// Redaction is idempotent; it never changes text that holds nothing secret.

#include <cstddef>
#include <string>
#include <string_view>

namespace peak::evidence {

/// The text that replaces a secret.
inline constexpr std::string_view redaction_marker = "[REDACTED]";

/// Redacted text and how many values were replaced.
struct redaction_result {
  std::string text;
  std::size_t redactions = 0;
};

/// Redacts secrets from (multi-line) text; see the rules above.
[[nodiscard]] redaction_result redact_secrets(std::string_view text);

/// True if a key/field name names a secret (rule 1) and is not a known hash key.
[[nodiscard]] bool is_secret_key_name(std::string_view key);

/// True if a key/field name is a known hash field whose value must stay visible.
[[nodiscard]] bool is_hash_key_name(std::string_view key);

/// True if a bare value looks like a credential (rule 2).
[[nodiscard]] bool looks_like_secret_value(std::string_view value);

}  // namespace peak::evidence
