#pragma once
/// Where the pipeline's decisions are recorded: the hash-chained audit log in a real run,
/// a vector in tests. Records carry event time only, so reruns are byte-identical.

#include <string_view>

#include "messages/common.hpp"

namespace peak::engine {

struct equity_row;

class decision_sink {
public:
  virtual ~decision_sink() = default;
  /// One decision. `type`: hypothesis, risk_approved, risk_denied, order_event, trigger,
  /// tripwire, halt, rearm. `fields_json`: the record's fields as JSON members in a fixed order,
  /// without the enclosing braces (e.g. `"intent_id":1,"side":"buy"`).
  virtual void record(std::string_view type, timestamp_ns ts_event,
                      std::string_view fields_json) = 0;
  /// Makes everything recorded so far durable (end of run, halt).
  virtual void flush() {}
  /// Offers one row of the equity curve as it is sampled. True: the sink has written it
  /// (e.g. straight into the pack's equity.csv), so the recorder keeps no copy and memory
  /// stays flat however long the run; false (the default): the recorder keeps it in
  /// session_result::equity.
  virtual bool stream_equity(const equity_row& /*row*/) { return false; }
};

}  // namespace peak::engine
