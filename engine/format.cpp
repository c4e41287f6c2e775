#include "engine/format.hpp"

#include "messages/fixed_text.hpp"

namespace peak::engine {

void append_fixed(std::string& out, std::int64_t raw) {
  text::append_fixed(out, raw);
}

std::string format_fixed(std::int64_t raw) {
  std::string out;
  append_fixed(out, raw);
  return out;
}

namespace {

/// A plain decimal number: optional sign, digits, at most one '.', digits (no exponent).
bool is_plain_number(std::string_view text) noexcept {
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  bool digits = false;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9')
      digits = true;
    else if (c == '.' && !dot)
      dot = true;
    else
      return false;
  }
  return digits;
}

}  // namespace

void append_csv_field(std::string& out, std::string_view text) {
  std::string clean;
  clean.reserve(text.size() + 1);
  bool needs_quotes = false;
  for (const char c : text) {
    if (c == '\0')
      continue;
    needs_quotes = needs_quotes || c == ',' || c == '"' || c == '\r' || c == '\n';
    clean += c;
  }
  const char first = clean.empty() ? '\0' : clean.front();
  if ((first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
       first == '\r') &&
      !is_plain_number(clean))
    clean.insert(clean.begin(), '\'');
  if (!needs_quotes) {
    out += clean;
    return;
  }
  out += '"';
  for (const char c : clean) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_field(std::string_view text) {
  std::string out;
  append_csv_field(out, text);
  return out;
}

std::string format_time(timestamp_ns t) {
  return text::utc_text(t);
}

}  // namespace peak::engine
