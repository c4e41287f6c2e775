#include "session/engine_kind.hpp"

namespace peak::session {

const char* to_string(engine_kind kind) noexcept {
  return kind == engine_kind::reference ? "reference" : "graph";
}

bool parse(std::string_view text, engine_kind& kind) noexcept {
  if (text == "graph")
    kind = engine_kind::graph;
  else if (text == "reference")
    kind = engine_kind::reference;
  else
    return false;
  return true;
}

}  // namespace peak::session
