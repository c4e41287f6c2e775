#pragma once
/// Life-cycle state of a session process, as registered and as shown to the operator.

#include <cstdint>
#include <string_view>

namespace peak::session {

/// `crashed` is never registered: it is what list/status show for a live entry whose process
/// is gone without recording an end.
enum class session_state : std::uint8_t {
  starting,
  running,
  halted,
  stopping,
  finished,
  failed,
  crashed,
};

[[nodiscard]] const char* to_string(session_state state) noexcept;

/// Parses a name written by to_string; false (state untouched) for any other text.
[[nodiscard]] bool parse(std::string_view text, session_state& state) noexcept;

/// True for the states of a session whose process should still be running.
[[nodiscard]] bool is_live(session_state state) noexcept;

}  // namespace peak::session
