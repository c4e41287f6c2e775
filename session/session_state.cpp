#include "session/session_state.hpp"

namespace peak::session {

const char* to_string(session_state state) noexcept {
  switch (state) {
    case session_state::starting:
      return "starting";
    case session_state::running:
      return "running";
    case session_state::halted:
      return "halted";
    case session_state::stopping:
      return "stopping";
    case session_state::finished:
      return "finished";
    case session_state::failed:
      return "failed";
    case session_state::crashed:
      return "crashed";
  }
  return "unknown";
}

bool parse(std::string_view text, session_state& state) noexcept {
  for (auto s : {session_state::starting, session_state::running, session_state::halted,
                 session_state::stopping, session_state::finished, session_state::failed,
                 session_state::crashed}) {
    if (text == to_string(s)) {
      state = s;
      return true;
    }
  }
  return false;
}

bool is_live(session_state state) noexcept {
  return state == session_state::starting || state == session_state::running ||
         state == session_state::halted || state == session_state::stopping;
}

}  // namespace peak::session
