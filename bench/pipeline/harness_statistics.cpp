#include "bench/pipeline/harness_statistics.hpp"

namespace peak::bench {

latency_summary summarise(std::vector<std::int64_t> samples) {
  latency_summary s;
  s.samples = samples.size();
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    rank = std::clamp<std::size_t>(rank, 1, samples.size());
    return samples[rank - 1];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.p999 = at(0.999);
  s.max = samples.back();
  std::int64_t sum = 0;
  for (std::int64_t v : samples)
    sum += v;
  s.mean = sum / static_cast<std::int64_t>(samples.size());
  return s;
}

/// Percentiles read from the graph's own latency histogram: the upper bound of the bucket
/// holding the quantile (-1 when it is the +Inf bucket). The histogram keeps no maximum, so
/// max is the bound of the highest non-empty bucket.
latency_summary summarise(const observability::latency_histogram& h) {
  latency_summary s;
  s.exact = false;
  s.samples = h.count();
  if (s.samples == 0)
    return s;
  s.mean = h.sum_ns() / static_cast<std::int64_t>(s.samples);
  const auto& bounds = observability::latency_histogram::bounds_ns();
  auto bound = [&](std::size_t i) -> std::int64_t { return i < bounds.size() ? bounds[i] : -1; };
  auto at = [&](double q) {
    const auto target = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(s.samples))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      seen += h.bucket(i);
      if (seen >= target)
        return bound(i);
    }
    return std::int64_t{-1};
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.p999 = at(0.999);
  for (std::size_t i = bounds.size() + 1; i-- > 0;) {
    if (h.bucket(i) != 0) {
      s.max = bound(i);
      break;
    }
  }
  return s;
}

hiccup_summary summarise(const hiccup_meter& m) {
  hiccup_summary s;
  if (!m.enabled() || m.gaps().total() == 0)
    return s;
  s.measured = true;
  s.p99 = static_cast<std::int64_t>(m.gaps().quantile(0.99));
  s.p999 = static_cast<std::int64_t>(m.gaps().quantile(0.999));
  s.max = static_cast<std::int64_t>(m.gaps().max());
  const double secs = m.seconds();
  s.gaps_over_1ms_per_second = secs > 0 ? static_cast<double>(m.gaps_over_1ms()) / secs : 0.0;
  s.gaps_over_20us_per_second = secs > 0 ? static_cast<double>(m.gaps_over_20us()) / secs : 0.0;
  return s;
}

}  // namespace peak::bench
