#pragma once
/// The pipeline harness's report: a human-readable table or one JSON object.

#include <string>
#include <vector>

#include "bench/pipeline/harness_setup.hpp"
#include "infra/page_reserve.hpp"

namespace peak::bench {

/// Everything a report shows: the runs and the conditions they ran in.
struct harness_results {
  std::string data_name = "synthetic";
  std::string load_before;  ///< /proc/loadavg before and after the runs
  std::string load_after;
  unsigned cores = 0;
  broker::page_reserve::stats reserve{};
  std::vector<run_result> runs;
};

/// The 1, 5 and 15 minute load averages ("unknown" without /proc).
[[nodiscard]] std::string read_loadavg();

[[nodiscard]] std::string json_report(const harness_options& o, const harness_results& h);
[[nodiscard]] std::string text_report(const harness_options& o, const harness_results& h);

}  // namespace peak::bench
