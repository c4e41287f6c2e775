/// peak-bench: the end-to-end pipeline harness as its own executable, installed beside `peak`
/// (`peak bench pipeline ARGS` runs `peak-bench ARGS`). Exit codes: 0 ok, 2 bad arguments,
/// 3 internal error.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bench/pipeline/pipeline_harness.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return peak::bench::pipeline_bench_main(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "peak-bench: internal error: " << e.what() << "\n";
    return 3;
  }
}
