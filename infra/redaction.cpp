#include "infra/redaction.hpp"

#include <array>
#include <cctype>
#include <vector>

namespace peak::infra {
namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_ident_char(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '.';
}
bool is_token_char(char c) {
  return is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-';
}

/// Lowercase words of a key: snake, kebab, dotted and camelCase boundaries.
std::vector<std::string> key_words(std::string_view key) {
  std::vector<std::string> words;
  std::string current;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (!is_alnum(c)) {
      if (!current.empty())
        words.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (is_upper(c) && !current.empty() && i > 0 && is_lower(key[i - 1])) {
      words.push_back(std::move(current));
      current.clear();
    }
    current += lower(c);
  }
  if (!current.empty())
    words.push_back(std::move(current));
  return words;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

redaction_result scan_lines(std::string_view text);
std::string redact_inline(std::string_view text, std::size_t& count);

struct scanner {
  std::string_view line;
  std::string& out;
  std::size_t& count;

  void emit_redacted(std::string_view original) {
    if (original == redaction_marker) {
      out += original;
      return;
    }
    out += redaction_marker;
    ++count;
  }

  /// Applies the rules to one value; `key` is the key it belongs to (may be empty).
  void emit_value(std::string_view key, std::string_view value) {
    if (!key.empty() && (is_hash_key_name(key) || is_id_key_name(key))) {
      out += value;
      return;
    }
    if (!key.empty() && is_secret_key_name(key) && !value.empty()) {
      emit_redacted(value);
      return;
    }
    emit_free_text(value);
  }

  /// A quoted value is free text that may itself hold `password=...`: both rules apply.
  void emit_quoted_value(std::string_view key, std::string_view value) {
    if (key.empty() || !(is_hash_key_name(key) || is_id_key_name(key))) {
      if (is_secret_key_name(key) && !value.empty()) {
        emit_redacted(value);
        return;
      }
      scanner inner{value, out, count};
      inner.run();
      return;
    }
    out += value;
  }

  /// Rule 2 over free text (which may hold several tokens).
  void emit_free_text(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (!is_token_char(text[i])) {
        out += text[i++];
        continue;
      }
      std::size_t j = i;
      while (j < text.size() && is_token_char(text[j]))
        ++j;
      const std::string_view token = text.substr(i, j - i);
      // Scheme + credential: "Bearer abc...".
      if ((iequals(token, "bearer") || iequals(token, "basic") || iequals(token, "token")) &&
          j + 1 < text.size() && text[j] == ' ' && is_token_char(text[j + 1])) {
        std::size_t k = j + 1;
        while (k < text.size() && (is_token_char(text[k]) || text[k] == '.'))
          ++k;
        const std::string_view credential = text.substr(j + 1, k - j - 1);
        if (credential.size() >= 8 || iequals(token, "bearer") || credential == redaction_marker) {
          out += token;
          out += ' ';
          emit_redacted(credential);
          i = k;
          continue;
        }
      }
      const bool path =
          token.front() == '/' || (i > 0 && (text[i - 1] == '/' || text[i - 1] == '.'));
      if (!path && looks_like_secret_value(token))
        emit_redacted(token);
      else
        out += token;
      i = j;
    }
  }

  /// Length of a quoted string starting at `i` (including quotes), or 0 if unterminated.
  std::size_t quoted_length(std::size_t i) const {
    const char quote = line[i];
    for (std::size_t j = i + 1; j < line.size(); ++j) {
      if (line[j] == '\\' && quote == '"') {
        ++j;
        continue;
      }
      if (line[j] == quote)
        return j - i + 1;
    }
    return 0;
  }

  /// If a key separator (`:` or `=`, after optional spaces) follows position `j`, returns the
  /// position after it; npos otherwise.
  std::size_t separator_after(std::size_t j) const {
    std::size_t k = j;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t'))
      ++k;
    if (k < line.size() && (line[k] == ':' || line[k] == '=')) {
      if (k + 1 < line.size() && line[k + 1] == '=')  // "==" is not an assignment
        return std::string_view::npos;
      return k + 1;
    }
    return std::string_view::npos;
  }

  void run() {
    std::string_view pending_key;
    std::string_view array_key;  // key of the array we are in, if any
    int depth = 0;
    std::size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (line.substr(i, redaction_marker.size()) == redaction_marker) {  // idempotent
        out += redaction_marker;
        pending_key = {};
        i += redaction_marker.size();
        continue;
      }
      if (c == '"' || c == '\'') {
        const std::size_t len = quoted_length(i);
        if (len == 0) {  // unterminated: treat the rest as free text
          emit_value(pending_key, line.substr(i));
          return;
        }
        const std::string_view inner = line.substr(i + 1, len - 2);
        const std::size_t after = separator_after(i + len);
        if (after != std::string_view::npos) {
          out += line.substr(i, after - i);
          pending_key = inner;
          i = after;
          continue;
        }
        out += c;
        emit_quoted_value(pending_key.empty() ? array_key : pending_key, inner);
        out += c;
        pending_key = {};
        i += len;
        continue;
      }
      if (is_ident_char(c) || c == '/' || c == '+') {
        std::size_t j = i;
        while (j < line.size() && is_ident_char(line[j]))
          ++j;
        const std::size_t after = j > i ? separator_after(j) : std::string_view::npos;
        if (after != std::string_view::npos && pending_key.empty()) {
          out += line.substr(i, after - i);
          pending_key = line.substr(i, j - i);
          i = after;
          continue;
        }
        // A bare value: up to whitespace or a delimiter; "Bearer x" keeps its credential.
        std::size_t k = i;
        while (k < line.size() && line[k] != ' ' && line[k] != '\t' && line[k] != ',' &&
               line[k] != '}' && line[k] != ']' && line[k] != ';' && line[k] != '&' &&
               line[k] != '"' && line[k] != '\'')
          ++k;
        std::string_view value = line.substr(i, k - i);
        const bool scheme =
            iequals(value, "bearer") || iequals(value, "basic") || iequals(value, "token");
        if (scheme && k + 1 < line.size() && line[k] == ' ' && is_token_char(line[k + 1])) {
          std::size_t m = k + 1;
          while (m < line.size() && (is_token_char(line[m]) || line[m] == '.'))
            ++m;
          value = line.substr(i, m - i);
          k = m;
        }
        emit_value(pending_key.empty() ? array_key : pending_key, value);
        pending_key = {};
        i = k;
        continue;
      }
      if (c == '[') {
        if (depth > 0)
          ++depth;
        else if (!pending_key.empty()) {
          array_key = pending_key;
          depth = 1;
        }
      } else if (c == ']' && depth > 0) {
        if (--depth == 0)
          array_key = {};
      }
      if (c != ' ' && c != '\t' && c != '{')
        pending_key = {};
      out += c;
      ++i;
    }
  }
};

}  // namespace

bool is_hash_key_name(std::string_view key) {
  std::string k;
  for (const char c : key)
    k += lower(c);
  static constexpr std::array<std::string_view, 9> exact = {
      "sha256", "hash",       "prev_hash", "config_hash",       "head_hash",
      "commit", "git_commit", "digest",    "determinism_digest"};
  for (const auto e : exact) {
    if (k == e)
      return true;
  }
  return ends_with(k, "_sha256") || ends_with(k, "_hash") || ends_with(k, "_digest") ||
         ends_with(k, ".sha256") || ends_with(k, ".hash");
}

bool is_secret_key_name(std::string_view key) {
  if (key.empty() || is_hash_key_name(key))
    return false;
  static constexpr std::array<std::string_view, 22> words = {
      "key",        "keys",        "apikey",    "secret",        "secrets",   "token",
      "tokens",     "password",    "passwords", "passwd",        "pwd",       "passphrase",
      "credential", "credentials", "auth",      "authorization", "signature", "private",
      "privatekey", "cookie",      "secretkey", "apikeys"};
  for (const auto& w : key_words(key)) {
    for (const auto s : words) {
      if (w == s)
        return true;
    }
    // Run-together names: apisecret, accesstoken, dbpassword.
    for (const auto s :
         {std::string_view{"secret"}, std::string_view{"token"}, std::string_view{"password"},
          std::string_view{"passphrase"}, std::string_view{"apikey"}}) {
      if (w.size() > s.size() && w.find(s) != std::string::npos)
        return true;
    }
  }
  return false;
}

bool looks_like_secret_value(std::string_view value) {
  if (value == redaction_marker)
    return false;
  if (value.size() == 20 && value.substr(0, 4) == "AKIA") {
    bool ok = true;
    for (const char c : value)
      ok = ok && (is_upper(c) || is_digit(c));
    if (ok)
      return true;
  }
  if (value.size() < 24)
    return false;
  bool all_hex = true;
  int upper = 0, lower_case = 0, digit = 0;
  for (const char c : value) {
    if (!is_token_char(c))
      return false;
    all_hex = all_hex && is_hex(c);
    upper += is_upper(c) ? 1 : 0;
    lower_case += is_lower(c) ? 1 : 0;
    digit += is_digit(c) ? 1 : 0;
  }
  if (all_hex)
    return value.size() >= 32;
  // Base64/base64url of 24+ characters with at least two of each class (API keys, JWT
  // parts); one capital, as in an id like paper-20261123T210219-1234, is not enough.
  return upper >= 2 && lower_case >= 2 && digit >= 2;
}

redaction_result redact_secrets(std::string_view text) {
  std::size_t first_pass = 0;
  const std::string prepared = redact_inline(text, first_pass);
  redaction_result result = scan_lines(prepared);
  result.redactions += first_pass;
  return result;
}

std::string redact(std::string_view text) {
  return redact_secrets(text).text;
}

bool is_id_key_name(std::string_view key) {
  if (key.empty() || is_secret_key_name(key))
    return false;
  const std::vector<std::string> words = key_words(key);
  return !words.empty() && (words.back() == "id" || words.back() == "ids" || words.back() == "uuid");
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
/// Characters of a word in the inline pass: identifiers, numbers, base64(url), dotted tokens.
bool is_word(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '+' || c == '/';
}
/// Where an unquoted value ends in the inline pass.
bool ends_value(char c) {
  return is_space(c) || c == ',' || c == ';' || c == '&' || c == ')' || c == ']' || c == '}' ||
         c == '"' || c == '\'';
}

/// Appends `marker`, counting it unless the original already was the marker.
void put_marker(std::string& out, std::string_view original, std::size_t& count) {
  out += redaction_marker;
  if (original != redaction_marker)
    ++count;
}

/// Appends `word`, replacing each '.'-separated part that looks like a secret (JWT parts).
void append_word(std::string& out, std::string_view word, std::size_t& count) {
  std::size_t start = 0;
  while (start <= word.size()) {
    std::size_t dot = word.find('.', start);
    if (dot == std::string_view::npos)
      dot = word.size();
    const std::string_view part = word.substr(start, dot - start);
    if (part.find('/') == std::string_view::npos && looks_like_secret_value(part))
      put_marker(out, part, count);
    else
      out += part;
    if (dot < word.size())
      out += '.';
    start = dot + 1;
  }
}

/// End of the value starting at `v` (after a closing quote for a quoted value).
std::size_t value_end(std::string_view text, std::size_t v) {
  const std::size_t n = text.size();
  if (v < n && (text[v] == '"' || text[v] == '\'')) {
    const char q = text[v];
    std::size_t k = v + 1;
    while (k < n && text[k] != q)
      k += (text[k] == '\\' && k + 1 < n) ? std::size_t{2} : std::size_t{1};
    return k < n ? k + 1 : n;
  }
  if (text.substr(v, redaction_marker.size()) == redaction_marker)
    return v + redaction_marker.size();
  std::size_t k = v;
  while (k < n && !ends_value(text[k]))
    ++k;
  return k;
}

/// The inline pass: URL user info, `key=value` pairs anywhere in running text (query strings,
/// log fields), `Bearer|Basic <credential>` and standalone tokens split at dots.
std::string redact_inline(std::string_view text, std::size_t& count) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (text.substr(i, redaction_marker.size()) == redaction_marker) {
      out += redaction_marker;
      i += redaction_marker.size();
      continue;
    }
    if (c == ':' && text.substr(i, 3) == "://") {  // scheme://user:password@host
      std::size_t k = i + 3;
      while (k < n && !is_space(text[k]) && text[k] != '/' && text[k] != '@')
        ++k;
      if (k < n && text[k] == '@') {
        const std::size_t colon = text.substr(i + 3, k - i - 3).find(':');
        if (colon != std::string_view::npos) {
          out += text.substr(i, 3 + colon + 1);
          put_marker(out, text.substr(i + 3 + colon + 1, k - (i + 3 + colon + 1)), count);
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
    while (j < n && is_word(text[j]))
      ++j;
    const std::string_view word = text.substr(i, j - i);
    const bool bearer = iequals(word, "bearer");
    if (bearer || iequals(word, "basic")) {
      std::size_t k = j;
      while (k < n && (text[k] == ' ' || text[k] == '\t'))
        ++k;
      std::size_t t = k;
      while (t < n && !is_space(text[t]) && text[t] != '"' && text[t] != '\'' && text[t] != ',')
        ++t;
      if (k > j && t > k && (bearer || t - k >= 8)) {
        out += text.substr(i, k - i);
        put_marker(out, text.substr(k, t - k), count);
        i = t;
        continue;
      }
    }
    std::size_t k = j;
    if (k < n && (text[k] == '"' || text[k] == '\'') && i > 0 && text[i - 1] == text[k])
      ++k;  // closing quote of a quoted key
    while (k < n && (text[k] == ' ' || text[k] == '\t'))
      ++k;
    const bool separator =
        k < n && (text[k] == '=' || (text[k] == ':' && text.substr(k, 3) != "://")) &&
        !(k + 1 < n && text[k + 1] == '=');
    if (separator) {
      std::size_t v = k + 1;
      while (v < n && (text[v] == ' ' || text[v] == '\t'))
        ++v;
      const bool structured = v < n && (text[v] == '[' || text[v] == '{');  // line scan's job
      std::size_t e = value_end(text, v);
      if (!structured && is_secret_key_name(word) && e > v) {
        const std::string_view value = text.substr(v, e - v);
        if (iequals(value, "bearer") || iequals(value, "basic")) {
          while (e < n && (text[e] == ' ' || text[e] == '\t'))
            ++e;
          e = value_end(text, e);
        }
        out += text.substr(i, v - i);
        if (text[v] == '"' || text[v] == '\'') {
          const std::string_view inner = text.substr(v + 1, e > v + 1 ? e - v - 2 : 0);
          out += text[v];
          put_marker(out, inner, count);
          out += text[v];
        } else {
          put_marker(out, text.substr(v, e - v), count);
        }
        i = e;
        continue;
      }
      if (!structured && (is_hash_key_name(word) || is_id_key_name(word) ||
                          ends_with(word, "hash") || ends_with(word, "digest"))) {
        out += text.substr(i, e - i);  // digests and ids are evidence, not credentials
        i = e;
        continue;
      }
    }
    append_word(out, word, count);
    i = j;
  }
  return out;
}

redaction_result scan_lines(std::string_view text) {
  redaction_result result;
  result.text.reserve(text.size());
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    scanner s{line, result.text, result.redactions};
    s.run();
    if (nl == std::string_view::npos)
      break;
    result.text += '\n';
    pos = nl + 1;
  }
  return result;
}

}  // namespace

}  // namespace peak::infra
