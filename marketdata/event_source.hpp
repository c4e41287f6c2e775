#pragma once
/// A pull-based source of normalised market events (replay file, merged files, synthetic).

#include "messages/market_data.hpp"

namespace peak::marketdata {

class event_source {
public:
  virtual ~event_source() = default;
  /// Writes the next event into `out`; false at the end of the stream.
  [[nodiscard]] virtual bool next(market_event& out) = 0;
};

}  // namespace peak::marketdata
