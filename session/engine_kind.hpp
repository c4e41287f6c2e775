#pragma once
/// Which engine runs a session: the CAF actor graph or the single-threaded reference loop.

#include <cstdint>
#include <string_view>

namespace peak::session {

enum class engine_kind : std::uint8_t { graph, reference };

[[nodiscard]] const char* to_string(engine_kind kind) noexcept;

/// Parses "graph" or "reference"; false (kind untouched) for any other text.
[[nodiscard]] bool parse(std::string_view text, engine_kind& kind) noexcept;

}  // namespace peak::session
