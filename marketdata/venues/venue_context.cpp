#include "marketdata/venues/venue_context.hpp"

namespace peak::marketdata::venues {

instrument_id venue_context::find_or_add(std::string_view symbol) {
  instrument_id id = symbols->find(symbol);
  if (id == no_instrument && options.auto_add_symbols && !symbol.empty()) {
    const instrument_id next = symbols->instrument_count();
    if (symbols->add(symbol, next))
      id = next;
  }
  if (id == no_instrument)
    unknown.assign(symbol.data(), symbol.size());
  return id;
}

}  // namespace peak::marketdata::venues
