#include "bench/pipeline/pipeline_harness.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "bench/pipeline/harness_report.hpp"
#include "bench/pipeline/harness_variants.hpp"
#include "infra/page_reserve.hpp"

namespace peak::bench {
namespace {

/// Loads the capture named by the options into `capture` (and names the data in `results`);
/// false with `why` when it cannot be read.
bool prepare_data(const harness_options& o, capture_data& capture, run_context& ctx,
                  harness_results& results, std::string& why) {
  if (o.capture_file.empty())
    return true;
  if (!load_capture(o.capture_file, capture, why))
    return false;
  ctx.capture = &capture;
  results.data_name = capture.name + " (" + std::to_string(capture.events.size()) + " events, " +
                      std::to_string(capture.instruments) + " symbols, looped)";
  return true;
}

/// Process-wide, like a session's: started before the first variant so all three get it.
void start_page_reserve(const harness_options& o) {
  if (o.prefault_headroom_bytes > 0 &&
      broker::page_reserve::instance().start(o.prefault_headroom_bytes))
    broker::page_reserve::instance().wait_ready(std::chrono::seconds(2));
}

/// Each enabled variant: one run as fast as possible, then one per paced rate.
std::vector<run_result> run_variants(const harness_options& o, const run_context& ctx) {
  std::vector<run_result> runs;
  using runner = run_result (*)(const run_context&, std::uint64_t, double);
  std::vector<std::pair<bool, runner>> variants{
      {o.run_reference, &run_reference}, {o.run_queues, &run_queues}, {o.run_graph, &run_graph}};
  for (const auto& [enabled, run] : variants) {
    if (!enabled)
      continue;
    runs.push_back(run(ctx, o.throughput_events, 0.0));
    for (double rate : o.rates) {
      const auto n = static_cast<std::uint64_t>(std::max(1.0, rate * o.latency_seconds));
      runs.push_back(run(ctx, n, rate));
    }
  }
  return runs;
}

}  // namespace

std::string default_capture_file() {
#ifdef PEAK_SHARED_DATA_DIR
  return std::string(PEAK_SHARED_DATA_DIR) + "/exchange-captures/COINBASE.ws.28.0";
#else
  return {};
#endif
}

harness_options quick_options() {
  harness_options o;
  o.throughput_events = 50'000;
  o.latency_seconds = 0.25;
  return o;
}

std::string run_pipeline_harness(const harness_options& o, bool json) {
  harness_results results;
  results.load_before = read_loadavg();
  capture_data capture;
  run_context ctx{o, nullptr};
  if (std::string why; !prepare_data(o, capture, ctx, results, why)) {
    if (json)
      return "{\"harness\":\"pipeline\",\"skipped\":\"capture not available\",\"runs\":[]}\n";
    return "pipeline harness: capture skipped (" + why + ")\n";
  }
  start_page_reserve(o);
  results.runs = run_variants(o, ctx);
  results.load_after = read_loadavg();
  results.reserve = broker::page_reserve::instance().snapshot();
  results.cores = std::thread::hardware_concurrency();
  return json ? json_report(o, results) : text_report(o, results);
}

}  // namespace peak::bench
