/// End-to-end pipeline harness (issue 9): reference loop vs two threads on a moodycamel
/// queue vs the CAF actor graph; throughput and paced tick-to-order latency with a hiccup
/// meter. No Google Benchmark: see bench/pipeline/pipeline_harness.hpp.
///
/// Usage: pipeline_bench [--quick] [--json] [--events N] [--seconds S] [--rates R1,R2]
///                       [--threads N] [--batch N] [--spin] [--max-throughput N] [--no-hiccup]
///                       [--only a|b|c[,..]] [--seed N] [--ma F,S] [--capture P]
/// Exit codes: 0 ok, 2 bad arguments.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "bench/pipeline/pipeline_harness.hpp"

namespace {

void usage() {
  std::cout << "usage: pipeline_bench [--quick] [--json] [--events N] [--seconds S]\n"
               "                      [--rates R1,R2,...] [--threads N] [--batch N] [--spin]\n"
               "                      [--max-throughput N] [--no-hiccup] [--only a,b,c]\n"
               "                      [--seed N] [--ma F,S] [--capture P]\n"
               "  --quick      a few seconds in total (CI smoke test)\n"
               "  --json       JSON instead of the table\n"
               "  --events N   events per as-fast-as-possible run (default 500000)\n"
               "  --seconds S  wall seconds of each paced latency run (default 3)\n"
               "  --rates      paced rates in events/s (default 10000,100000)\n"
               "  --threads N  CAF scheduler threads for the graph (default 2)\n"
               "  --batch N    graph replay batch: at most N events per message (default 256)\n"
               "  --spin       graph: idle CAF workers busy-poll instead of sleeping\n"
               "  --max-throughput N  graph: messages per actor turn (default: CAF's)\n"
               "  --no-hiccup  no hiccup meter thread beside the latency runs\n"
               "  --ma F,S     MA crossover periods (default 3,8: an order every ~2.5 events)\n"
               "  --capture P  replay capture file P (looped) instead of the synthetic feed;\n"
               "               'default' = the shared COINBASE capture; skipped if absent\n"
               "  --only       variants to run: a reference, b queues, c graph\n";
}

bool parse_u64(const char* s, std::uint64_t& out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (end == s || *end != '\0')
    return false;
  out = v;
  return true;
}

bool parse_double(const char* s, double& out) {
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || v <= 0.0)
    return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  peak::bench::harness_options options;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick")
      options = peak::bench::quick_options();
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "pipeline_bench: " << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    std::uint64_t n = 0;
    if (arg == "--quick") {
      continue;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    } else if (arg == "--spin") {
      options.spin_workers = true;
    } else if (arg == "--max-throughput" && parse_u64(value(), n) && n > 0) {
      options.max_throughput = n;
    } else if (arg == "--no-hiccup") {
      options.hiccup_meter = false;
    } else if (arg == "--events" && parse_u64(value(), n) && n > 0) {
      options.throughput_events = n;
    } else if (arg == "--seed" && parse_u64(value(), n)) {
      options.seed = n;
    } else if (arg == "--threads" && parse_u64(value(), n) && n > 0) {
      options.scheduler_threads = n;
    } else if (arg == "--batch" && parse_u64(value(), n) && n > 0) {
      options.replay_batch = n;
    } else if (arg == "--seconds" && parse_double(value(), options.latency_seconds)) {
      continue;
    } else if (arg == "--rates") {
      options.rates.clear();
      std::stringstream list(value());
      std::string item;
      while (std::getline(list, item, ',')) {
        double r = 0;
        if (!parse_double(item.c_str(), r)) {
          std::cerr << "pipeline_bench: --rates: expected positive numbers, got '" << item << "'\n";
          return 2;
        }
        options.rates.push_back(r);
      }
    } else if (arg == "--capture") {
      const std::string path = value();
      options.capture_file = path == "default" ? peak::bench::default_capture_file() : path;
    } else if (arg == "--ma") {
      const std::string pair = value();
      const auto comma = pair.find(',');
      if (comma == std::string::npos ||
          !parse_double(pair.substr(0, comma).c_str(), options.ma_fast) ||
          !parse_double(pair.substr(comma + 1).c_str(), options.ma_slow)) {
        std::cerr << "pipeline_bench: --ma: expected FAST,SLOW, got '" << pair << "'\n";
        return 2;
      }
    } else if (arg == "--only") {
      const std::string list = value();
      options.run_reference = list.find('a') != std::string::npos;
      options.run_queues = list.find('b') != std::string::npos;
      options.run_graph = list.find('c') != std::string::npos;
    } else {
      std::cerr << "pipeline_bench: unknown or invalid argument '" << arg << "' (see --help)\n";
      return 2;
    }
  }
  std::cout << peak::bench::run_pipeline_harness(options, json);
  return 0;
}
