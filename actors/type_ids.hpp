#pragma once
/// Every CAF message type and atom of Peak Trade, registered in one place. A CAF upgrade
/// changes this file (and actors/), nothing else.

#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include "messages/account.hpp"
#include "messages/control.hpp"
#include "messages/intents.hpp"
#include "messages/market_data.hpp"
#include "messages/order_events.hpp"
#include "messages/orders.hpp"
#include "messages/outlook.hpp"
#include "messages/pipeline_batch.hpp"
#include "messages/risk_decisions.hpp"

namespace caf {
class actor_system_config;
}  // namespace caf

CAF_BEGIN_TYPE_ID_BLOCK(peak, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(peak, (peak::market_event))
CAF_ADD_TYPE_ID(peak, (peak::outlook))
CAF_ADD_TYPE_ID(peak, (peak::trade_intent))
CAF_ADD_TYPE_ID(peak, (peak::submit_order))
CAF_ADD_TYPE_ID(peak, (peak::cancel_order))
CAF_ADD_TYPE_ID(peak, (peak::approved_order))
CAF_ADD_TYPE_ID(peak, (peak::order_denied))
CAF_ADD_TYPE_ID(peak, (peak::execution_report))
CAF_ADD_TYPE_ID(peak, (peak::account_snapshot))
CAF_ADD_TYPE_ID(peak, (peak::kill_command))
CAF_ADD_TYPE_ID(peak, (peak::halt_acknowledged))
CAF_ADD_TYPE_ID(peak, (peak::cancels_settled))
CAF_ADD_TYPE_ID(peak, (peak::flatten_done))
CAF_ADD_TYPE_ID(peak, (peak::rearm_command))
CAF_ADD_TYPE_ID(peak, (peak::end_of_stream))
CAF_ADD_TYPE_ID(peak, (peak::pipeline_batch))
CAF_ADD_ATOM(peak, peak::actors, start_atom, "start")
CAF_ADD_ATOM(peak, peak::actors, continue_atom, "continue")
CAF_ADD_ATOM(peak, peak::actors, stop_atom, "stop")
CAF_ADD_ATOM(peak, peak::actors, progress_atom, "progress")
CAF_END_TYPE_ID_BLOCK(peak)

namespace peak::actors {

/// Registers all Peak Trade message types with an actor system config.
void register_types(caf::actor_system_config& cfg);

}  // namespace peak::actors
