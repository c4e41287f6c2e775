#pragma once
/// Deterministic text formatting for CSV outputs and summaries (no locale, no doubles on
/// the money path): fixed-point values print exactly, times print as RFC 3339 UTC.

#include <cstdint>
#include <string>
#include <string_view>

#include "evidence/json.hpp"
#include "messages/common.hpp"

namespace peak::engine {

/// Exact decimal rendering of a 1e-8 fixed-point raw value, trailing zeros trimmed
/// ("12.5", "-0.00000001", "3").
[[nodiscard]] std::string format_fixed(std::int64_t raw);

/// Appends format_fixed(raw) to `out` without a temporary.
void append_fixed(std::string& out, std::int64_t raw);

/// Decimal integers without a temporary (evidence/json.hpp): std::to_string allocates for
/// 16+ digits, which order ids have.
using evidence::append_int;
using evidence::append_uint;

/// RFC 3339 UTC with nanoseconds: 2023-11-14T22:13:20.000000000Z.
[[nodiscard]] std::string format_time(timestamp_ns t);

/// Appends one CSV field: NUL bytes dropped, non-numeric text starting with = + - @ TAB CR
/// gets a leading apostrophe (no spreadsheet formula), quoted per RFC 4180 when it holds a
/// comma, quote, CR or LF (quotes doubled). Numbers such as -1.5 stay as they are.
void append_csv_field(std::string& out, std::string_view text);

/// append_csv_field() into a new string.
[[nodiscard]] std::string csv_field(std::string_view text);

}  // namespace peak::engine
