#include "marketdata/json_pass.hpp"

#include <simdjson.h>

#include <string_view>
#include <utility>

#include "marketdata/feed_reader.hpp"

namespace peak::marketdata {
namespace {

namespace ondemand = simdjson::ondemand;

/// Plain simdjson on-demand pass: parse the payload and touch every value once.
std::uint64_t walk(ondemand::value v) noexcept {
  ondemand::json_type t;
  if (v.type().get(t))
    return 0;
  std::uint64_t n = 1;
  switch (t) {
    case ondemand::json_type::object: {
      ondemand::object o;
      if (v.get_object().get(o))
        return n;
      for (auto f : o) {
        ondemand::field field;
        if (std::move(f).get(field))
          return n;
        std::string_view key;
        if (field.unescaped_key().get(key))
          return n;
        n += walk(field.value());
      }
      break;
    }
    case ondemand::json_type::array: {
      ondemand::array a;
      if (v.get_array().get(a))
        return n;
      for (auto e : a) {
        ondemand::value ev;
        if (e.get(ev))
          return n;
        n += walk(ev);
      }
      break;
    }
    case ondemand::json_type::string: {
      std::string_view s;
      if (!v.get_string().get(s))
        n += s.size();
      break;
    }
    case ondemand::json_type::number: {
      double d = 0;
      if (!v.get_double().get(d))
        n += d > 0 ? 1u : 0u;
      break;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      if (!v.get_bool().get(b))
        n += b ? 1u : 0u;
      break;
    }
    case ondemand::json_type::null:
      break;
  }
  return n;
}

std::uint64_t walk_document(ondemand::parser& parser, std::string_view line) noexcept {
  // Strip the capture prefix "<epoch>: " as the reader does.
  if (!line.empty() && line[0] != '{' && line[0] != '[') {
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos)
      return 0;
    line.remove_prefix(colon + 2);
  }
  ondemand::document doc;
  if (parser
          .iterate(simdjson::padded_string_view(line.data(), line.size(),
                                                line.size() + feed_reader::padding))
          .get(doc))
    return 0;
  ondemand::json_type t;
  if (doc.type().get(t))
    return 0;
  std::uint64_t n = 0;
  if (t == ondemand::json_type::object) {
    ondemand::object o;
    if (doc.get_object().get(o))
      return 0;
    for (auto f : o) {
      ondemand::field field;
      if (std::move(f).get(field))
        return n;
      std::string_view key;
      if (field.unescaped_key().get(key))
        return n;
      n += walk(field.value());
    }
  } else if (t == ondemand::json_type::array) {
    ondemand::array a;
    if (doc.get_array().get(a))
      return 0;
    for (auto e : a) {
      ondemand::value ev;
      if (e.get(ev))
        return n;
      n += walk(ev);
    }
  }
  return n;
}

}  // namespace

struct json_pass::impl {
  ondemand::parser parser;
};

json_pass::json_pass() : impl_(std::make_unique<impl>()) {}
json_pass::~json_pass() = default;

std::uint64_t json_pass::walk_line(const char* data, std::size_t length) {
  return walk_document(impl_->parser, std::string_view(data, length));
}

const char* json_pass::implementation() noexcept {
#define PEAK_STRINGIFY2(x) #x
#define PEAK_STRINGIFY(x) PEAK_STRINGIFY2(x)
  return PEAK_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);
#undef PEAK_STRINGIFY
#undef PEAK_STRINGIFY2
}

}  // namespace peak::marketdata
