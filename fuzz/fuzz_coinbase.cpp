// libFuzzer harness: coinbase lines through feed_reader and the quality checker.
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return peak::fuzz::run_reader(peak::marketdata::feed_format::coinbase, data, size);
}
