/// `peak bench pipeline`: runs the pipeline harness, a separate executable (peak-bench)
/// installed beside `peak`, so the CLI does not link the benchmark.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "apps/terminal_text.hpp"
#include "session/control_endpoint.hpp"

namespace peak::apps {
namespace {

/// Replaces this process with `peak-bench ARGS` from the directory of the running `peak`: its
/// output and exit code (0 ok, 2 bad arguments) are the command's. A missing or unrunnable
/// peak-bench is a broken installation, not bad input: exit 3.
int exec_peak_bench(const std::vector<std::string>& args) {
  const std::filesystem::path exe =
      std::filesystem::path(session::self_executable()).parent_path() / "peak-bench";
  std::vector<std::string> argv_text{exe.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_text)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::fflush(stdout);
  ::execv(exe.c_str(), argv.data());
  std::cerr << "peak bench: cannot run " << visible(exe.string()) << ": " << std::strerror(errno)
            << " (peak-bench is installed beside peak; build it with the `peak-bench` target)\n";
  return exit_internal;
}

}  // namespace

void add_bench_commands(CLI::App& root) {
  CLI::App* bench = root.add_subcommand("bench", "Measure the pipeline (docs/PERFORMANCE.md)");
  bench->require_subcommand(1);
  CLI::App* pipeline = bench->add_subcommand(
      "pipeline",
      "End-to-end harness: reference loop vs two threads on a queue vs the CAF graph "
      "(throughput, paced tick-to-order, per hop, hiccup meter). Runs peak-bench (installed "
      "beside peak) with the same options: 'peak bench pipeline --help' lists them");
  // Every argument goes to peak-bench's own parser (it owns --help too).
  pipeline->set_help_flag();
  pipeline->allow_extras();
  pipeline->prefix_command();
  pipeline->callback([pipeline] { throw CLI::RuntimeError(exec_peak_bench(pipeline->remaining())); });
}

}  // namespace peak::apps
