#pragma once
/// Field access shared by the venue readers: raw keys, exact decimals and integers read in
/// place from the padded line, strings without copies, price levels, and the capture-line
/// prefix. Inline: they run for every field of every message.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "marketdata/decimal.hpp"
#include "messages/market_data.hpp"

namespace peak::marketdata::venues {

namespace ondemand = simdjson::ondemand;

/// A field's key as it is in the text (no unescaping, no copy). Keys with escapes do not
/// match any key the readers look for, which is the right outcome for them.
inline bool key_of(ondemand::field& field, std::string_view& key) noexcept {
  const char* start = field.key().raw();
  const char* end = start;
  while (*end != '"')  // the closing quote exists: stage 1 validated the string
    ++end;
  key = std::string_view(start, static_cast<std::size_t>(end - start));
  return true;
}

/// Whether the raw key at `key` (just after its opening quote, inside the padded line) is
/// `name`: its bytes, then the closing quote. Like key_of, keys with escapes never match.
template <std::size_t N>
inline bool key_is(const char* key, const char (&name)[N]) noexcept {
  return std::memcmp(key, name, N - 1) == 0 && key[N - 1] == '"';
}

/// Decimal text inside the current (padded) line to 1e-8 fixed point.
inline bool fixed_text(std::string_view text, std::int64_t& raw) noexcept {
  return parse_scaled_padded(text.data(), text.size(), 8, raw);
}

/// Epoch seconds inside the current (padded) line to nanoseconds.
inline bool epoch_text(std::string_view text, std::int64_t& ns) noexcept {
  return parse_scaled_padded(text.data(), text.size(), 9, ns);
}

/// A value's raw token without trailing whitespace.
inline std::string_view raw_token(ondemand::value& v) noexcept {
  std::string_view t = v.raw_json_token();
  while (!t.empty() &&
         (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
    t.remove_suffix(1);
  return t;
}

/// A decimal value given as a JSON string or number, to 1e-8 fixed point. Reads the raw
/// token (no unescaping): a string with escapes is not a decimal anyway.
inline bool fixed_value(ondemand::value& v, std::int64_t& raw) noexcept {
  std::string_view text = raw_token(v);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  } else if (text.empty() || text.front() == '"' || text.front() == '{' || text.front() == '[' ||
             text.front() == 't' || text.front() == 'f' || text.front() == 'n') {
    return false;
  }
  return fixed_text(text, raw);
}

/// The text of a JSON string without its quotes, not unescaped (for ASCII tokens such as
/// numbers in strings and side names); false if the value is not a string.
inline bool raw_string(ondemand::value& v, std::string_view& s) noexcept {
  const std::string_view t = raw_token(v);
  if (t.size() < 2 || t.front() != '"' || t.back() != '"')
    return false;
  s = t.substr(1, t.size() - 2);
  return true;
}

/// Whether text inside the padded line holds a backslash (8 bytes at a time).
inline bool has_backslash(std::string_view s) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  for (std::size_t i = 0; i < s.size(); i += 8) {
    const std::uint64_t x = detail::load8(s.data() + i) ^ (ones * '\\');
    std::uint64_t zero = (x - ones) & ~x & (ones * 0x80);  // exact up to the first zero
    if (s.size() - i < 8)
      zero &= (std::uint64_t{1} << (8 * (s.size() - i))) - 1;  // bytes past the end
    if (zero != 0)
      return true;
  }
  return false;
}

/// A JSON string value. Without escapes (all the feeds' names, symbols and times) it is
/// the raw text in the line, not copied (nor consumed); with escapes, simdjson unescapes
/// it. A string followed by ':' (broken JSON that skipping an unconsumed value would read
/// as a key) also goes through get_string, which reports the error where it always did.
inline bool string_value(ondemand::value& v, std::string_view& s) noexcept {
  const std::string_view token = v.raw_json_token();  // up to the next structural character
  if (token.data()[token.size()] != ':' && raw_string(v, s) && !has_backslash(s))
    return true;
  return !v.get_string().get(s);
}

/// An integer given as a JSON number or a string of digits (read from the raw token).
inline bool integer_value(ondemand::value& v, std::int64_t& out) noexcept {
  std::string_view t = raw_token(v);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"')
    t = t.substr(1, t.size() - 2);
  return parse_integer_padded(t.data(), t.size(), out);
}

/// Reads `[[x, y, ...], ...]` into one event per inner array, each starting as `blank`:
/// `item(index, value, event)` reads one element (false rejects the whole value), and an
/// inner array with fewer than `min_items` elements is rejected too.
template <class ItemReader>
inline bool rows(ondemand::value v, const market_event& blank, int min_items,
                 std::vector<market_event>& out, ItemReader&& item) {
  ondemand::array arr;
  if (v.get_array().get(arr))
    return false;
  for (auto element : arr) {
    ondemand::array row;
    if (element.get_array().get(row))
      return false;
    market_event e = blank;
    int index = 0;
    for (auto x : row) {
      ondemand::value iv;
      if (x.get(iv) || !item(index, iv, e))
        return false;
      ++index;
    }
    if (index < min_items)
      return false;
    out.push_back(e);
  }
  return true;
}

/// [[price, size, ...], ...] levels of one side into book events (instrument set later).
/// A third element (Kraken) is the level's own time in epoch seconds.
inline bool levels(ondemand::value v, side book_side, std::vector<market_event>& out) {
  market_event blank;
  blank.kind = event_kind::book;
  blank.book_side = book_side;
  return rows(v, blank, 2, out, [](int index, ondemand::value& iv, market_event& e) {
    std::string_view ts;
    std::int64_t ns = 0;
    if (index == 2 && raw_string(iv, ts) && epoch_text(ts, ns))
      e.ts_event = ns;
    return (index != 0 || fixed_value(iv, e.px.raw)) && (index != 1 || fixed_value(iv, e.qty.raw));
  });
}

/// What a line's capture prefix said.
enum class capture_prefix : std::uint8_t {
  payload = 0,    ///< `line` is now the JSON payload (receive time set if it was prefixed)
  non_data = 1,   ///< `<url> <-> <epoch>` or `<url> <- <epoch>: <json>` (client side)
  malformed = 2,  ///< `why` says what was expected
};

/// Strips capture framing: "<epoch>: <json>" (receive time in float seconds) from a line
/// that does not start with '{' or '['; plain JSON lines pass unchanged.
inline capture_prefix strip_capture_prefix(std::string_view& line, timestamp_ns& receive,
                                           const char*& why) noexcept {
  const char c = line[0];
  if (c == '{' || c == '[')
    return capture_prefix::payload;
  if (c >= '0' && c <= '9') {
    const std::size_t colon = line.find(": ");
    why = "capture line without '<epoch>: '";
    if (colon == std::string_view::npos || colon > 40)
      return capture_prefix::malformed;
    why = "capture line with a bad epoch";
    if (!epoch_text(line.substr(0, colon), receive))
      return capture_prefix::malformed;
    line.remove_prefix(colon + 2);
  } else {
    const std::size_t space = line.find(' ');
    if (space != std::string_view::npos &&
        (line.compare(space, 5, " <-> ") == 0 || line.compare(space, 4, " <- ") == 0))
      return capture_prefix::non_data;  // connection opened / message sent by the client
    why = "not JSON and not a capture line";
    return capture_prefix::malformed;
  }
  why = "capture line without a payload";
  return line.empty() ? capture_prefix::malformed : capture_prefix::payload;
}

}  // namespace peak::marketdata::venues
