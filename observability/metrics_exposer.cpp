#include "observability/metrics_exposer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>
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

namespace {

/// Opens and closes a loopback connection to `port`, waking civetweb's accept loop.
void poke(std::uint16_t port) noexcept {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  ::close(fd);
}

}  // namespace

metrics_exposer::~metrics_exposer() {
  // civetweb's accept loop notices the stop flag only when its poll (2 s quantum) returns, so a
  // plain stop takes up to 2 s once the server has served a request. A helper thread pokes the
  // listening port until the stop completes: ~tens of ms instead. Best effort: the helper only
  // connects to loopback, and only when the exposer listens there or on all addresses.
  const bool loopback_reachable =
      host_ == "127.0.0.1" || host_ == "0.0.0.0" || host_ == "localhost" || host_.empty();
  std::atomic<bool> stopped{false};
  std::thread waker;
  if (loopback_reachable && impl_) {
    try {
      waker = std::thread([&stopped, port = port_] {
        while (!stopped.load(std::memory_order_acquire)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          poke(port);
        }
      });
    } catch (...) {
      // no thread: stop the slow way
    }
  }
  impl_.reset();
  stopped.store(true, std::memory_order_release);
  if (waker.joinable()) {
    waker.join();
  }
}

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
