#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "bench/pipeline/pipeline_harness.hpp"

namespace peak::apps {

void add_bench_commands(CLI::App& root) {
  CLI::App* bench = root.add_subcommand("bench", "Measure the pipeline (docs/PERFORMANCE.md)");
  bench->require_subcommand(1);
  CLI::App* pipeline = bench->add_subcommand(
      "pipeline",
      "End-to-end harness: reference loop vs two threads on a queue vs the CAF graph "
      "(throughput, paced tick-to-order, per hop, hiccup meter). Options as "
      "bench/pipeline_bench: 'peak bench pipeline --help' lists them");
  // Every argument goes to the harness's own parser (it owns --help too).
  pipeline->set_help_flag();
  pipeline->allow_extras();
  pipeline->prefix_command();
  pipeline->callback([pipeline] {
    const std::vector<std::string> args = pipeline->remaining();
    const int code = bench::pipeline_bench_main(args, std::cout, std::cerr);
    if (code != exit_ok)
      throw CLI::RuntimeError(code == 2 ? exit_bad_input : exit_internal);
  });
}

}  // namespace peak::apps
