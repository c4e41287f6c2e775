/// End-to-end pipeline harness (issue 9): reference loop vs two threads on a moodycamel
/// queue vs the CAF actor graph; throughput and paced tick-to-order latency with a hiccup
/// meter. No Google Benchmark: see bench/pipeline/pipeline_harness.hpp. The same options
/// work as `peak bench pipeline ...` (run `pipeline_bench --help`).

#include <iostream>
#include <string>
#include <vector>

#include "bench/pipeline/pipeline_harness.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return peak::bench::pipeline_bench_main(args, std::cout, std::cerr);
}
