#pragma once
/// ASCII case folding for format detection and CSV headers (no locale).

#include <string>
#include <string_view>

namespace peak::marketdata::venues {

/// `s` with A-Z lowered; other bytes unchanged.
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace peak::marketdata::venues
