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

std::string format_time(timestamp_ns t) {
  return text::utc_text(t);
}

}  // namespace peak::engine
