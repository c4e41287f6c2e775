#include "actors/type_ids.hpp"

#include <caf/actor_system_config.hpp>

namespace peak::actors {

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::peak>();
}

}  // namespace peak::actors
