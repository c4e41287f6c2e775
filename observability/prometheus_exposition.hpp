#pragma once
/// Prometheus view of a session_metrics: a prometheus-cpp Collectable that builds the metric
/// families on each scrape (off the hot path), and the text exposition for dumps and tests.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "observability/session_metrics.hpp"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace peak::observability {

/// One constant label (name, value), e.g. {"session_id", "s-42"}.
using metric_label = std::pair<std::string, std::string>;

/// The identity labels put on every series of a session: session_id and mode.
[[nodiscard]] std::vector<metric_label> session_identity(std::string session_id, std::string mode);

/// Metric family names the collectable exposes (sorted). Histograms appear by their base
/// name; their series are `<name>_bucket`, `<name>_sum` and `<name>_count`.
[[nodiscard]] std::vector<std::string> exposed_family_names();

/// Builds every metric family from a consistent-enough snapshot of `metrics` (each value is a
/// relaxed atomic read; histograms are made self-consistent: count = sum of buckets).
/// `constant_labels` are added to every series.
[[nodiscard]] std::vector<prometheus::MetricFamily> collect_families(
    const session_metrics& metrics, const std::vector<metric_label>& constant_labels);

/// Prometheus text exposition (format 0.0.4) of collect_families().
[[nodiscard]] std::string render_text(const session_metrics& metrics,
                                      const std::vector<metric_label>& constant_labels = {});

/// prometheus-cpp Collectable over a session's metrics; register it with an Exposer or use
/// metrics_exposer. The metrics must outlive it (it holds a reference, or shares ownership
/// when built from a shared_ptr). Collect() never throws: on failure it returns no families.
class session_collectable final : public prometheus::Collectable {
public:
  /// Throws std::invalid_argument when a constant label name is not a valid Prometheus label
  /// name or clashes with a metric's own label.
  session_collectable(const session_metrics& metrics, std::vector<metric_label> constant_labels);
  session_collectable(std::shared_ptr<const session_metrics> metrics,
                      std::vector<metric_label> constant_labels);

  std::vector<prometheus::MetricFamily> Collect() const override;

  [[nodiscard]] const std::vector<metric_label>& constant_labels() const noexcept {
    return labels_;
  }

private:
  std::shared_ptr<const session_metrics> owner_;  ///< empty when built from a reference
  const session_metrics* metrics_;
  std::vector<metric_label> labels_;
};

}  // namespace peak::observability
