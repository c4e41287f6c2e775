#include "observability/redaction.hpp"

#include <array>
#include <cstddef>

namespace peak::observability {

namespace {

constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_lower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alnum(char c) noexcept {
  return is_upper(c) || is_lower(c) || is_digit(c);
}
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
/// Characters of a word: identifiers, numbers, base64 / base64url and dotted tokens.
constexpr bool is_word(char c) noexcept {
  return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '+' || c == '/';
}
/// Where an unquoted value ends.
constexpr bool ends_value(char c) noexcept {
  return is_space(c) || c == ',' || c == ';' || c == '&' || c == ')' || c == ']' || c == '}' ||
         c == '"' || c == '\'';
}

bool icontains(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j) {
      match = lower(hay[i + j]) == needle[j];
    }
    if (match) {
      return true;
    }
  }
  return false;
}

bool iequals(std::string_view a, std::string_view lower_b) noexcept {
  if (a.size() != lower_b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) {
      return false;
    }
  }
  return true;
}

bool iends_with(std::string_view a, std::string_view lower_suffix) noexcept {
  return a.size() >= lower_suffix.size() &&
         iequals(a.substr(a.size() - lower_suffix.size()), lower_suffix);
}

/// A token that looks like a secret on its own: long hex, or long mixed-case base64 with digits.
bool looks_like_secret(std::string_view part) noexcept {
  if (part.size() >= 32) {
    bool hex = true;
    for (char c : part) {
      hex = hex && is_hex(c);
    }
    if (hex) {
      return true;
    }
  }
  if (part.size() >= 24) {
    bool up = false;
    bool low = false;
    bool digit = false;
    for (char c : part) {
      up = up || is_upper(c);
      low = low || is_lower(c);
      digit = digit || is_digit(c);
    }
    return up && low && digit;
  }
  return false;
}

/// Appends `word`, replacing each '.'-separated part that looks like a secret (JWTs have
/// three base64url parts).
void append_word(std::string& out, std::string_view word) {
  std::size_t start = 0;
  while (start <= word.size()) {
    std::size_t dot = word.find('.', start);
    if (dot == std::string_view::npos) {
      dot = word.size();
    }
    const std::string_view part = word.substr(start, dot - start);
    if (looks_like_secret(part)) {
      out += redacted_marker;
    } else {
      out += part;
    }
    if (dot < word.size()) {
      out += '.';
    }
    start = dot + 1;
  }
}

/// End of the value starting at `v` (after a closing quote for a quoted value).
std::size_t value_end(std::string_view text, std::size_t v) noexcept {
  const std::size_t n = text.size();
  if (v < n && (text[v] == '"' || text[v] == '\'')) {
    const char q = text[v];
    std::size_t k = v + 1;
    while (k < n && text[k] != q) {
      k += (text[k] == '\\' && k + 1 < n) ? std::size_t{2} : std::size_t{1};
    }
    return k < n ? k + 1 : n;
  }
  std::size_t k = v;
  while (k < n && !ends_value(text[k])) {
    ++k;
  }
  return k;
}

}  // namespace

bool is_sensitive_key(std::string_view key) noexcept {
  constexpr std::array<std::string_view, 11> needles{"key",    "secret",     "token", "password",
                                                     "passwd", "passphrase", "pwd",   "credential",
                                                     "auth",   "signature",  "cookie"};
  for (auto needle : needles) {
    if (icontains(key, needle)) {
      return true;
    }
  }
  return false;
}

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    // URL user info: scheme://user:password@host
    if (c == ':' && text.substr(i, 3) == "://") {
      std::size_t k = i + 3;
      while (k < n && !is_space(text[k]) && text[k] != '/' && text[k] != '@') {
        ++k;
      }
      if (k < n && text[k] == '@') {
        const std::size_t colon = text.substr(i + 3, k - i - 3).find(':');
        if (colon != std::string_view::npos) {
          out += text.substr(i, 3 + colon + 1);
          out += redacted_marker;
          i = k;
          continue;
        }
      }
    }
    if (!is_word(c) || (i > 0 && is_word(text[i - 1]))) {
      out += c;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && is_word(text[j])) {
      ++j;
    }
    const std::string_view word = text.substr(i, j - i);

    // Authorization schemes: "Bearer <token>", "Basic <base64>".
    const bool bearer = iequals(word, "bearer");
    if (bearer || iequals(word, "basic")) {
      std::size_t k = j;
      while (k < n && is_space(text[k])) {
        ++k;
      }
      std::size_t t = k;
      while (t < n && !is_space(text[t]) && text[t] != '"' && text[t] != '\'' && text[t] != ',') {
        ++t;
      }
      if (k > j && t > k && (bearer || t - k >= 8)) {
        out += text.substr(i, k - i);
        out += redacted_marker;
        i = t;
        continue;
      }
    }

    // key=value, key: value, "key": "value"
    std::size_t k = j;
    if (k < n && (text[k] == '"' || text[k] == '\'') && i > 0 && text[i - 1] == text[k]) {
      ++k;  // closing quote of a quoted key
    }
    while (k < n && (text[k] == ' ' || text[k] == '\t')) {
      ++k;
    }
    const bool separator =
        k < n && (text[k] == '=' || (text[k] == ':' && text.substr(k, 3) != "://"));
    if (separator) {
      std::size_t v = k + 1;
      while (v < n && (text[v] == ' ' || text[v] == '\t')) {
        ++v;
      }
      std::size_t e = value_end(text, v);
      if (is_sensitive_key(word)) {
        const std::string_view value = text.substr(v, e - v);
        if (iequals(value, "bearer") || iequals(value, "basic")) {
          // "Authorization: Bearer <token>": the credential is the next token
          while (e < n && is_space(text[e])) {
            ++e;
          }
          e = value_end(text, e);
        }
        out += text.substr(i, v - i);
        if (v < n && (text[v] == '"' || text[v] == '\'')) {
          out += text[v];
          out += redacted_marker;
          out += text[v];
        } else {
          out += redacted_marker;
        }
        i = e;
        continue;
      }
      if (iends_with(word, "hash") || iends_with(word, "digest")) {
        out += text.substr(i, e - i);  // digests are evidence, not credentials
        i = e;
        continue;
      }
    }
    append_word(out, word);
    i = j;
  }
  return out;
}

}  // namespace peak::observability
