#include "evidence/json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "messages/fixed_text.hpp"

namespace peak::evidence {

void json_escape_to(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 0x0F];
        } else {
          out += c;
        }
    }
  }
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  json_escape_to(out, text);
  out += '"';
  return out;
}

void append_int(std::string& out, std::int64_t v) {
  text::append_int(out, v);
}

void append_uint(std::string& out, std::uint64_t v) {
  text::append_uint(out, v);
}

void append_fixed(std::string& out, std::int64_t raw, int decimals) {
  if (decimals == fixed_decimals) {  // the project's scale: the one fixed-point text
    text::append_fixed(out, raw, text::fraction_digits::all);
    return;
  }
  if (decimals <= 0) {
    append_int(out, raw);
    return;
  }
  // Work on the magnitude as unsigned so INT64_MIN is exact.
  const bool negative = raw < 0;
  const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(raw)
                                           : static_cast<std::uint64_t>(raw);
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, magnitude);
  std::string_view d(digits, static_cast<std::size_t>(r.ptr - digits));
  const auto places = static_cast<std::size_t>(decimals);
  if (negative)
    out += '-';
  if (d.size() <= places) {
    out += "0.";
    out.append(places - d.size(), '0');
    out += d;
  } else {
    out += d.substr(0, d.size() - places);
    out += '.';
    out += d.substr(d.size() - places);
  }
}

void json_writer::newline_indent() {
  out_ += '\n';
  out_.append(first_.size() * 2, ' ');
}

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back())
      out_ += ',';
    first_.back() = false;
    if (pretty_)
      newline_indent();
  }
}

json_writer& json_writer::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_object() {
  const bool empty = first_.back();
  first_.pop_back();
  if (pretty_ && !empty)
    newline_indent();
  out_ += '}';
  return *this;
}

json_writer& json_writer::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

json_writer& json_writer::end_array() {
  const bool empty = first_.back();
  first_.pop_back();
  if (pretty_ && !empty)
    newline_indent();
  out_ += ']';
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  before_value();
  out_ += '"';
  json_escape_to(out_, name);
  out_ += pretty_ ? "\": " : "\":";
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view text) {
  before_value();
  out_ += '"';
  json_escape_to(out_, text);
  out_ += '"';
  return *this;
}

json_writer& json_writer::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
  return *this;
}

json_writer& json_writer::value(std::int64_t number) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, number);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(std::uint64_t number) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, number);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(double number) {
  before_value();
  if (!std::isfinite(number)) {
    out_ += "null";
    return *this;
  }
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, number);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value_fixed(std::int64_t raw, int decimals) {
  before_value();
  append_fixed(out_, raw, decimals);
  return *this;
}

json_writer& json_writer::null() {
  before_value();
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw_value(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

json_writer& json_writer::raw_members(std::string_view members) {
  if (members.empty())
    return *this;
  before_value();
  out_ += members;
  return *this;
}

std::string json_writer::finish() {
  if (pretty_)
    out_ += '\n';
  return std::move(out_);
}

namespace {

bool is_dropped(std::string_view key, const std::vector<std::string>& drop_keys) {
  return std::find(drop_keys.begin(), drop_keys.end(), key) != drop_keys.end();
}

void write_element(json_writer& w, simdjson::dom::element e, const std::vector<std::string>& drop) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      w.begin_object();
      for (const auto field : simdjson::dom::object(e)) {
        if (is_dropped(field.key, drop))
          continue;
        w.key(field.key);
        write_element(w, field.value, drop);
      }
      w.end_object();
      break;
    }
    case element_type::ARRAY:
      w.begin_array();
      for (const auto item : simdjson::dom::array(e))
        write_element(w, item, drop);
      w.end_array();
      break;
    case element_type::STRING:
      w.value(std::string_view(e.get_string().value_unsafe()));
      break;
    case element_type::INT64:
      w.value(e.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      w.value(e.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      w.value(e.get_double().value_unsafe());
      break;
    case element_type::BOOL:
      w.value(e.get_bool().value_unsafe());
      break;
    case element_type::NULL_VALUE:
      w.null();
      break;
  }
}

std::string compact(simdjson::dom::element e, const std::vector<std::string>& drop) {
  json_writer w;
  write_element(w, e, drop);
  return w.finish();
}

void diff_element(const std::string& path, simdjson::dom::element a, simdjson::dom::element b,
                  const std::vector<std::string>& drop, std::vector<json_difference>& out,
                  std::size_t limit) {
  using simdjson::dom::element_type;
  if (out.size() >= limit)
    return;
  if (a.type() == element_type::OBJECT && b.type() == element_type::OBJECT) {
    const simdjson::dom::object oa(a), ob(b);
    for (const auto field : oa) {
      if (is_dropped(field.key, drop))
        continue;
      const std::string sub = path + "/" + std::string(field.key);
      simdjson::dom::element other;
      if (ob.at_key(field.key).get(other) != simdjson::SUCCESS) {
        if (out.size() < limit)
          out.push_back({sub, compact(field.value, drop), "(absent)"});
        continue;
      }
      diff_element(sub, field.value, other, drop, out, limit);
    }
    for (const auto field : ob) {
      if (is_dropped(field.key, drop))
        continue;
      simdjson::dom::element other;
      if (oa.at_key(field.key).get(other) != simdjson::SUCCESS && out.size() < limit)
        out.push_back(
            {path + "/" + std::string(field.key), "(absent)", compact(field.value, drop)});
    }
    return;
  }
  if (a.type() == element_type::ARRAY && b.type() == element_type::ARRAY) {
    const simdjson::dom::array aa(a), ab(b);
    std::size_t i = 0;
    auto ia = aa.begin();
    auto ib = ab.begin();
    for (; ia != aa.end() && ib != ab.end(); ++ia, ++ib, ++i)
      diff_element(path + "/" + std::to_string(i), *ia, *ib, drop, out, limit);
    for (; ia != aa.end() && out.size() < limit; ++ia, ++i)
      out.push_back({path + "/" + std::to_string(i), compact(*ia, drop), "(absent)"});
    for (; ib != ab.end() && out.size() < limit; ++ib, ++i)
      out.push_back({path + "/" + std::to_string(i), "(absent)", compact(*ib, drop)});
    return;
  }
  std::string left = compact(a, drop);
  std::string right = compact(b, drop);
  if (left != right)
    out.push_back({path.empty() ? "/" : path, std::move(left), std::move(right)});
}

}  // namespace

bool json_is_valid(std::string_view text, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto ec = parser.parse(text.data(), text.size(), true).get(root);
  if (ec != simdjson::SUCCESS) {
    if (error != nullptr)
      *error = simdjson::error_message(ec);
    return false;
  }
  return true;
}

bool json_canonical(std::string_view text, const std::vector<std::string>& drop_keys,
                    std::string& out, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto ec = parser.parse(text.data(), text.size(), true).get(root);
  if (ec != simdjson::SUCCESS) {
    if (error != nullptr)
      *error = simdjson::error_message(ec);
    return false;
  }
  out = compact(root, drop_keys);
  return true;
}

bool json_diff(std::string_view left, std::string_view right,
               const std::vector<std::string>& drop_keys, std::vector<json_difference>& out,
               std::size_t limit, std::string* error) {
  simdjson::dom::parser pa;
  simdjson::dom::parser pb;
  simdjson::dom::element a;
  simdjson::dom::element b;
  auto ec = pa.parse(left.data(), left.size(), true).get(a);
  if (ec == simdjson::SUCCESS)
    ec = pb.parse(right.data(), right.size(), true).get(b);
  if (ec != simdjson::SUCCESS) {
    if (error != nullptr)
      *error = simdjson::error_message(ec);
    return false;
  }
  diff_element("", a, b, drop_keys, out, limit);
  return true;
}

}  // namespace peak::evidence
