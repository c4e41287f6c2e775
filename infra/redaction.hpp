#pragma once
/// The one redactor, for evidence (config snapshots, manifests) and log lines alike; one
/// marker, `[REDACTED]`. Two passes:
///
/// 1. Inline, over running text: `scheme://user:PASSWORD@host`; `key=value`, `key: value`,
///    `"key": "value"` anywhere (query strings, log fields) when the key names a secret;
///    `Bearer <credential>` and `Basic <8+ chars>`; standalone tokens (split at dots, JWT
///    parts) that look like secrets.
/// 2. Line by line, structure-aware: the same key rule for TOML/JSON, arrays under a secret
///    key, quoted values scanned as free text (`reason = "... password=x"`), `Token <cred>`,
///    AWS-style ids (`AKIA` + 16).
/// Secret keys: whole words key(s), apikey, secret(s), token(s), password(s), passwd, pwd,
/// passphrase, credential(s), auth, authorization, signature, private, cookie of snake,
/// kebab, dotted or camelCase names, and run-together forms (apisecret, accesstoken).
/// Secret-looking values: hex of 32+ characters; base64(url) of 24+ characters with at least
/// two capitals, two lower-case letters and two digits. Never redacted: values of hash keys
/// (`sha256`, `hash`, `commit`, `*_hash`, `*_digest`...) and of id keys (`id`, `*_id`,
/// `sessionId`, `uuid`): ids are not secrets. Paths are left alone. Idempotent.

#include <cstddef>
#include <string>
#include <string_view>

namespace peak::infra {

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

/// True if a key/field name names an identifier (`id`, `run_id`, `sessionId`, `uuid`) whose
/// value stays visible.
[[nodiscard]] bool is_id_key_name(std::string_view key);

/// Redacted text only (log lines).
[[nodiscard]] std::string redact(std::string_view text);

/// True if a bare value looks like a credential (rule 2).
[[nodiscard]] bool looks_like_secret_value(std::string_view value);

}  // namespace peak::infra
