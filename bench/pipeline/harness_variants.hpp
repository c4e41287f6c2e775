#pragma once
/// The pipeline harness's three variants, each a run of `events` events at `rate` events per
/// second (0 = as fast as possible): (a) the single-threaded reference loop, (b) the same
/// stages over a moodycamel queue between two busy-polling threads, (c) the CAF actor graph.

#include <cstdint>

#include "bench/pipeline/harness_setup.hpp"

namespace peak::bench {

[[nodiscard]] run_result run_reference(const run_context& ctx, std::uint64_t events, double rate);
[[nodiscard]] run_result run_queues(const run_context& ctx, std::uint64_t events, double rate);
[[nodiscard]] run_result run_graph(const run_context& ctx, std::uint64_t events, double rate);

}  // namespace peak::bench
