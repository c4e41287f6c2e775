#include "observability/metrics_exposer.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

#include "prometheus/exposer.h"

namespace peak::observability {

struct metrics_exposer::impl {
  prometheus::Exposer exposer;
  impl(const std::string& address, std::size_t threads) : exposer(address, threads) {}
};

namespace {

std::string listen_address(const std::string& host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

metrics_exposer::metrics_exposer(const std::string& host, std::uint16_t port,
                                 const session_metrics& metrics,
                                 std::vector<metric_label> constant_labels, std::size_t threads)
    : host_(host),
      port_(port),
      collectable_(std::make_shared<session_collectable>(metrics, std::move(constant_labels))) {
  start(threads);
}

metrics_exposer::metrics_exposer(const std::string& host, std::uint16_t port,
                                 std::shared_ptr<const session_metrics> metrics,
                                 std::vector<metric_label> constant_labels, std::size_t threads)
    : host_(host),
      port_(port),
      collectable_(
          std::make_shared<session_collectable>(std::move(metrics), std::move(constant_labels))) {
  start(threads);
}

void metrics_exposer::start(std::size_t threads) {
  const std::string address = listen_address(host_, port_);
  try {
    impl_ = std::make_unique<impl>(address, threads == 0 ? 1 : threads);
  } catch (const std::exception& e) {
    throw std::runtime_error("metrics: cannot listen on " + address +
                             " (port taken or address not local?): " + e.what());
  }
  const auto ports = impl_->exposer.GetListeningPorts();
  if (ports.empty() || ports.front() <= 0 || ports.front() > 65535) {
    impl_.reset();
    throw std::runtime_error("metrics: listening on " + address + " but no port reported");
  }
  port_ = static_cast<std::uint16_t>(ports.front());
  impl_->exposer.RegisterCollectable(collectable_);
}

metrics_exposer::~metrics_exposer() = default;

std::string metrics_exposer::url() const {
  return "http://" + listen_address(host_, port_) + "/metrics";
}

bool metrics_exposer::add_collectable(
    const std::weak_ptr<prometheus::Collectable>& collectable) noexcept {
  try {
    impl_->exposer.RegisterCollectable(collectable);
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace peak::observability
