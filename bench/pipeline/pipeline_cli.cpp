/// Command-line front end of the pipeline harness, shared by bench/pipeline_bench and
/// `peak bench pipeline`.

#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "bench/pipeline/pipeline_harness.hpp"

namespace peak::bench {
namespace {

void usage(std::ostream& out) {
  out << "usage: pipeline_bench [--quick] [--json] [--events N] [--seconds S]\n"
         "                      [--rates R1,R2,...] [--threads N] [--batch N] [--sleep]\n"
         "                      [--max-throughput N] [--no-hiccup] [--only a,b,c]\n"
         "                      [--seed N] [--ma F,S] [--capture P] [--prefault-mb N]\n"
         "       (the same options: peak-bench ..., peak bench pipeline ...)\n"
         "  --quick      a few seconds in total (CI smoke test)\n"
         "  --json       JSON instead of the table\n"
         "  --events N   events per as-fast-as-possible run (default 500000)\n"
         "  --seconds S  wall seconds of each paced latency run (default 3)\n"
         "  --rates      paced rates in events/s (default 10000,100000)\n"
         "  --threads N  CAF scheduler threads for the graph (default 0 = auto: 1 paced,\n"
         "               2 as fast as possible)\n"
         "  --batch N    graph replay batch: at most N events per message (default 256)\n"
         "  --sleep      graph: idle CAF workers sleep (CAF's default) and a pacer thread\n"
         "               wakes market-data; default: they busy-poll, and a paced\n"
         "               market-data polls the clock on its worker (no pacer thread)\n"
         "  --spin       the default (busy-polling workers); kept for older commands\n"
         "  --max-throughput N  graph: messages per actor turn (default: CAF's; a paced run\n"
         "               on spinning workers always uses 1)\n"
         "  --no-hiccup  no hiccup meter thread beside the latency runs\n"
         "  --prefault-mb N  MiB of per-order storage a background thread keeps\n"
         "               written ahead (broker::page_reserve; default 8, 0 = off)\n"
         "  --ma F,S     MA crossover periods (default 3,8: an order every ~2.5 events)\n"
         "  --capture P  replay capture file P (looped) instead of the synthetic feed;\n"
         "               'default' = the shared COINBASE capture; skipped if absent\n"
         "  --only       variants to run: a reference, b queues, c graph\n"
         "Exit codes: 0 ok, 2 bad arguments, 3 internal error.\n";
}

bool parse_u64(const std::string& s, std::uint64_t& out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || s.front() == '-')
    return false;
  out = v;
  return true;
}

bool parse_double(const std::string& s, double& out) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v > 0.0))
    return false;
  out = v;
  return true;
}

}  // namespace

int pipeline_bench_main(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
  harness_options options;
  bool json = false;
  for (const std::string& arg : args)
    if (arg == "--quick")
      options = quick_options();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool takes_value = arg == "--max-throughput" || arg == "--events" || arg == "--seed" ||
                             arg == "--threads" || arg == "--batch" || arg == "--seconds" ||
                             arg == "--rates" || arg == "--capture" || arg == "--ma" ||
                             arg == "--prefault-mb" || arg == "--only";
    if (takes_value && i + 1 >= args.size()) {
      err << "pipeline_bench: " << arg << " needs a value\n";
      return 2;
    }
    const std::string value = takes_value ? args[++i] : std::string();
    std::uint64_t n = 0;
    if (arg == "--quick") {
      continue;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--help" || arg == "-h") {
      usage(out);
      return 0;
    } else if (arg == "--spin") {
      options.spin_workers = true;
    } else if (arg == "--sleep") {
      options.spin_workers = false;
    } else if (arg == "--max-throughput" && parse_u64(value, n) && n > 0) {
      options.max_throughput = n;
    } else if (arg == "--prefault-mb" && parse_u64(value, n) && n <= 4096) {
      options.prefault_headroom_bytes = static_cast<std::size_t>(n) << 20;
    } else if (arg == "--no-hiccup") {
      options.hiccup_meter = false;
    } else if (arg == "--events" && parse_u64(value, n) && n > 0) {
      options.throughput_events = n;
    } else if (arg == "--seed" && parse_u64(value, n)) {
      options.seed = n;
    } else if (arg == "--threads" && parse_u64(value, n) && n <= 64) {
      options.scheduler_threads = n;
    } else if (arg == "--batch" && parse_u64(value, n) && n > 0) {
      options.replay_batch = n;
    } else if (arg == "--seconds" && parse_double(value, options.latency_seconds)) {
      continue;
    } else if (arg == "--rates") {
      options.rates.clear();
      std::stringstream list(value);
      std::string item;
      while (std::getline(list, item, ',')) {
        double r = 0;
        if (!parse_double(item, r)) {
          err << "pipeline_bench: --rates: expected positive numbers, got '" << item << "'\n";
          return 2;
        }
        options.rates.push_back(r);
      }
    } else if (arg == "--capture") {
      options.capture_file = value == "default" ? default_capture_file() : value;
    } else if (arg == "--ma") {
      const auto comma = value.find(',');
      if (comma == std::string::npos || !parse_double(value.substr(0, comma), options.ma_fast) ||
          !parse_double(value.substr(comma + 1), options.ma_slow)) {
        err << "pipeline_bench: --ma: expected FAST,SLOW, got '" << value << "'\n";
        return 2;
      }
    } else if (arg == "--only") {
      options.run_reference = value.find('a') != std::string::npos;
      options.run_queues = value.find('b') != std::string::npos;
      options.run_graph = value.find('c') != std::string::npos;
    } else {
      err << "pipeline_bench: unknown or invalid argument '" << arg
          << (takes_value ? " " + value : std::string()) << "' (see --help)\n";
      return 2;
    }
  }
  out << run_pipeline_harness(options, json);
  return 0;
}

}  // namespace peak::bench
