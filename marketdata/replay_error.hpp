#pragma once
/// The start-up error of a replay: a market data file that cannot be used.

#include <stdexcept>

namespace peak::marketdata {

/// A file cannot be replayed (missing, not a regular file, unreadable, empty, binary, unknown
/// format). The message names the file. Thrown only while opening; the CLI maps it to exit 2.
class replay_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace peak::marketdata
