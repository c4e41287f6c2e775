#pragma once
/// Loopback control endpoint of a session process: one command line per TCP connection,
/// one reply line. Used by `peak session` and the kill-switch drill.

#include <cstdint>
#include <string>

namespace peak::session {

/// Listens on 127.0.0.1 with an OS-chosen port. Returns the socket and fills `port`.
/// Throws std::runtime_error when the socket cannot be created.
int listen_loopback(std::uint16_t& port);

/// Accepts one connection on `listen_fd` within `timeout_ms` and reads one command line.
/// Returns the connection (>= 0) and fills `line`, or -1 on timeout.
int accept_command(int listen_fd, int timeout_ms, std::string& line);

/// Sends `reply` plus a newline on a connection from accept_command and closes it.
void send_reply(int fd, const std::string& reply);

/// Sends one command line to 127.0.0.1:`port`; returns the reply line (5 s timeout).
bool control_request(std::int64_t port, const std::string& line, std::string& reply,
                     std::string& error);

/// The path of this executable (resolved /proc/self/exe), so a re-executed `peak` keeps its
/// process name (the registry recognises sessions by it).
std::string self_executable();

/// CLOCK_MONOTONIC in nanoseconds: comparable between processes on one machine.
std::int64_t monotonic_ns();

}  // namespace peak::session
