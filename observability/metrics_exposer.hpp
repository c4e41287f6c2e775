#pragma once
/// HTTP exposition of a session's metrics for a Prometheus server (prometheus-cpp pull,
/// civetweb underneath). CAF-free; runs its own small HTTP thread pool off the hot path.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "observability/prometheus_exposition.hpp"
#include "observability/session_metrics.hpp"

namespace peak::observability {

/// Serves `GET /metrics` (text format 0.0.4) on `bind_address:port`. Port 0 picks a free port;
/// port() reports the one chosen. The session_metrics must outlive the exposer.
/// Only the constructors throw; everything else is noexcept.
class metrics_exposer {
public:
  /// Listens on `host:port` (e.g. "127.0.0.1", 0). Throws std::runtime_error naming the
  /// address when it cannot listen (port taken, bad address), std::invalid_argument for a bad
  /// constant label.
  metrics_exposer(const std::string& host, std::uint16_t port, const session_metrics& metrics,
                  std::vector<metric_label> constant_labels, std::size_t threads = 1);
  /// Same, sharing ownership of the metrics.
  metrics_exposer(const std::string& host, std::uint16_t port,
                  std::shared_ptr<const session_metrics> metrics,
                  std::vector<metric_label> constant_labels, std::size_t threads = 1);
  ~metrics_exposer();

  metrics_exposer(const metrics_exposer&) = delete;
  metrics_exposer& operator=(const metrics_exposer&) = delete;
  metrics_exposer(metrics_exposer&&) = delete;
  metrics_exposer& operator=(metrics_exposer&&) = delete;

  /// The port actually listened on (the chosen one when constructed with port 0).
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  /// The bind host given at construction.
  [[nodiscard]] const std::string& host() const noexcept { return host_; }
  /// "http://host:port/metrics", for the registry and the operator.
  [[nodiscard]] std::string url() const;
  /// Serves another collectable (e.g. a prometheus::Registry) on the same endpoint; it is held
  /// weakly, the caller keeps it alive. Returns false if registration failed.
  bool add_collectable(const std::weak_ptr<prometheus::Collectable>& collectable) noexcept;

private:
  struct impl;
  void start(std::size_t threads);

  std::string host_;
  std::uint16_t port_ = 0;
  std::shared_ptr<session_collectable> collectable_;
  std::unique_ptr<impl> impl_;
};

}  // namespace peak::observability
