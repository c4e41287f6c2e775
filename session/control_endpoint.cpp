#include "session/control_endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace peak::session {

/// Listens on 127.0.0.1:0. Returns the socket and fills `port`.
int listen_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

/// Sends one command line to a session's control port; returns the reply line.
bool control_request(std::int64_t port, const std::string& line, std::string& reply,
                     std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    error = std::string("cannot reach control port ") + std::to_string(port) + ": " +
            std::strerror(errno);
    ::close(fd);
    return false;
  }
  const std::string msg = line + "\n";
  if (::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(msg.size())) {
    error = std::strerror(errno);
    ::close(fd);
    return false;
  }
  char buf[4096];
  reply.clear();
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0)
    reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r'))
    reply.pop_back();
  if (reply.empty()) {
    error = "no reply from the session";
    return false;
  }
  return true;
}

int accept_command(int listen_fd, int timeout_ms, std::string& line) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  fd_set set;
  FD_ZERO(&set);
  FD_SET(listen_fd, &set);
  if (::select(listen_fd + 1, &set, nullptr, nullptr, &tv) <= 0)
    return -1;
  const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0)
    return -1;
  timeval rtv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rtv, sizeof(rtv));
  line.clear();
  char c;
  while (line.size() < 4096 && ::recv(fd, &c, 1, 0) == 1 && c != '\n')
    line += c;
  return fd;
}

void send_reply(int fd, const std::string& reply) {
  const std::string msg = reply + "\n";
  (void)::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL);
  ::close(fd);
}

std::string self_executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0)
    return "/proc/self/exe";
  return std::string(buf, static_cast<std::size_t>(n));
}

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace peak::session
