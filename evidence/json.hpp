#pragma once
/// A small deterministic JSON writer and a validating reader (simdjson, error-code API).
///
/// The writer emits members in the order they are written (callers write them in a fixed
/// order, so output is byte-stable), integers exactly, fixed-point values with all their
/// decimals, doubles as the shortest text that round-trips, and strings escaped per RFC 8259
/// (control characters as \u00XX, no other escaping: UTF-8 passes through).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace peak::evidence {

/// Appends `text` escaped as the inside of a JSON string (no surrounding quotes).
void json_escape_to(std::string& out, std::string_view text);

/// `text` as a quoted JSON string.
[[nodiscard]] std::string json_quote(std::string_view text);

/// Appends a fixed-point raw value with `decimals` decimals (`-1234, 2` -> `-12.34`).
void append_fixed(std::string& out, std::int64_t raw, int decimals);

/// Appends the decimal digits of `v` (what std::to_string writes) without a temporary:
/// std::to_string allocates for numbers of 16+ digits, such as order ids.
void append_int(std::string& out, std::int64_t v);
void append_uint(std::string& out, std::uint64_t v);

/// Streaming JSON writer. Commas are inserted automatically; `pretty` indents by two spaces
/// and puts each member on its own line (manifests), compact otherwise (audit records).
class json_writer {
public:
  explicit json_writer(bool pretty = false) : pretty_(pretty) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  /// Writes a member name; the next call writes its value.
  json_writer& key(std::string_view name);

  json_writer& value(std::string_view text);
  json_writer& value(const char* text) { return value(std::string_view{text}); }
  json_writer& value(const std::string& text) { return value(std::string_view{text}); }
  json_writer& value(bool flag);
  json_writer& value(std::int64_t number);
  json_writer& value(std::uint64_t number);
  json_writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
  json_writer& value(unsigned number) { return value(static_cast<std::uint64_t>(number)); }
  /// Shortest round-trip text; NaN and infinities are written as null.
  json_writer& value(double number);
  /// A fixed-point number (raw integer scaled by 10^-decimals), written as a JSON number.
  json_writer& value_fixed(std::int64_t raw, int decimals);
  json_writer& null();
  /// Inserts already-serialised JSON as the next value (trusted: not checked).
  json_writer& raw_value(std::string_view json);

  /// Inserts already-serialised members (`"a":1,"b":2`, no braces) into the open object;
  /// empty text is a no-op (trusted: not checked).
  json_writer& raw_members(std::string_view members);

  /// key(name).value(v) in one call.
  template <class T>
  json_writer& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// The text written so far (a trailing newline is added by finish()).
  [[nodiscard]] const std::string& str() const noexcept { return out_; }
  /// Returns the document, with a final newline when pretty.
  [[nodiscard]] std::string finish();

private:
  void before_value();
  void newline_indent();

  std::string out_;
  std::vector<bool> first_;  ///< per open container: no member written yet
  bool pretty_;
  bool after_key_ = false;
};

/// Parses `text`; returns true if it is one well-formed JSON document. On failure `error`
/// (if not null) receives simdjson's message.
[[nodiscard]] bool json_is_valid(std::string_view text, std::string* error = nullptr);

/// Re-serialises a JSON document compactly, dropping every object member whose name is in
/// `drop_keys` (at any depth), keeping member order. Used to compare the deterministic part
/// of two documents (e.g. dropping "wall_clock"). Returns false on a parse error.
[[nodiscard]] bool json_canonical(std::string_view text, const std::vector<std::string>& drop_keys,
                                  std::string& out, std::string* error = nullptr);

/// One difference between two JSON documents: a JSON pointer-like path and both values.
struct json_difference {
  std::string path;  ///< e.g. "/metrics/final_equity"
  std::string left;  ///< compact JSON or "(absent)"
  std::string right;
};

/// Lists differences between two documents (after dropping `drop_keys`), at most `limit`.
/// Returns false on a parse error of either document.
[[nodiscard]] bool json_diff(std::string_view left, std::string_view right,
                             const std::vector<std::string>& drop_keys,
                             std::vector<json_difference>& out, std::size_t limit = 50,
                             std::string* error = nullptr);

}  // namespace peak::evidence
