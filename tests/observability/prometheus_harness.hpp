#pragma once
/// Test helpers for the observability tests and for end-to-end tests against a real session:
/// a loopback HTTP GET, a free loopback port, running a program, and a real Prometheus server
/// (Debian's `prometheus`) on 127.0.0.1 with a temporary storage dir, scraping given targets.
/// Loopback only. Header-only; link simdjson::simdjson for prometheus_server::query().

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace peak::test {

/// Status and body of an HTTP response.
struct http_response {
  int status = 0;
  std::string headers;
  std::string body;
};

/// `GET path` from 127.0.0.1:port over HTTP/1.0 on a plain socket; nullopt when the
/// connection fails or times out.
inline std::optional<http_response> http_get(
    std::uint16_t port, const std::string& path,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return std::nullopt;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  const std::string request =
      "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return std::nullopt;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      ::close(fd);
      return std::nullopt;  // timeout or error
    }
    if (n == 0) {
      break;
    }
    raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) {
    return std::nullopt;
  }
  http_response r;
  const auto sp = raw.find(' ');
  r.status = std::atoi(raw.c_str() + sp + 1);
  r.headers = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  return r;
}

/// A loopback port that was free a moment ago (bind to port 0, read it, close).
inline std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  std::uint16_t port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) {
    ::close(fd);
  }
  return port;
}

/// Percent-encodes a query-string value.
inline std::string url_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// Full path of an executable found on PATH, or "" when absent.
inline std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::istringstream in(dirs);
  std::string dir;
  while (std::getline(in, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

/// Output (stdout and stderr) and exit status of a finished program.
struct program_result {
  int exit_code = -1;  ///< -1 when it could not be run or was killed by a signal
  std::string output;
};

/// Runs `argv` to completion with stdin from `stdin_file` (may be empty), capturing
/// stdout+stderr through a temp file.
inline program_result run_program(const std::vector<std::string>& argv,
                                  const std::string& stdin_file = {}) {
  program_result result;
  char out_path[] = "/tmp/peak-run-XXXXXX";
  const int out_fd = ::mkstemp(out_path);
  if (out_fd < 0) {
    return result;
  }
  ::close(out_fd);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stdin_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 0, stdin_file.c_str(), O_RDONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 1, out_path, O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == 0) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    }
  }
  std::ifstream in(out_path);
  std::ostringstream text;
  text << in.rdbuf();
  result.output = text.str();
  std::remove(out_path);
  return result;
}

/// One sample of an instant-vector query result.
struct query_sample {
  std::map<std::string, std::string> labels;
  double value = 0.0;
};

/// A real Prometheus server on 127.0.0.1:<free port>, scraping `targets` ("127.0.0.1:port")
/// under job "peak" at the given interval, with a temporary storage dir removed at the end.
/// The destructor stops it (SIGTERM, then SIGKILL after 5 s).
class prometheus_server {
public:
  struct options {
    std::vector<std::string> targets;
    std::string job = "peak";
    int scrape_interval_seconds = 1;
    std::vector<std::string> rule_files;  ///< absolute paths, loaded with evaluation every 1 s
  };

  /// Starts the server; nullptr (with `error` set) when the binary is missing or it cannot
  /// start. Does not wait: call wait_ready().
  static std::unique_ptr<prometheus_server> start(const options& opts, std::string* error) {
    const std::string binary = find_program("prometheus");
    if (binary.empty()) {
      if (error != nullptr) {
        *error = "prometheus binary not found on PATH";
      }
      return nullptr;
    }
    std::unique_ptr<prometheus_server> s(new prometheus_server);
    char dir[] = "/tmp/peak-prometheus-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
      if (error != nullptr) {
        *error = "mkdtemp failed";
      }
      return nullptr;
    }
    s->dir_ = dir;
    s->port_ = free_loopback_port();
    {
      std::ofstream cfg(s->dir_ + "/prometheus.yml");
      cfg << "global:\n"
          << "  scrape_interval: " << opts.scrape_interval_seconds << "s\n"
          << "  scrape_timeout: " << opts.scrape_interval_seconds << "s\n"
          << "  evaluation_interval: 1s\n";
      if (!opts.rule_files.empty()) {
        cfg << "rule_files:\n";
        for (const auto& f : opts.rule_files) {
          cfg << "  - '" << f << "'\n";
        }
      }
      cfg << "scrape_configs:\n"
          << "  - job_name: '" << opts.job << "'\n"
          << "    static_configs:\n"
          << "      - targets: [";
      for (std::size_t i = 0; i < opts.targets.size(); ++i) {
        cfg << (i ? ", " : "") << "'" << opts.targets[i] << "'";
      }
      cfg << "]\n";
    }
    const std::vector<std::string> argv{
        binary, "--config.file=" + s->dir_ + "/prometheus.yml",
        "--storage.tsdb.path=" + s->dir_ + "/data",
        "--web.listen-address=127.0.0.1:" + std::to_string(s->port_), "--log.level=warn"};
    std::vector<char*> args;
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = s->dir_ + "/prometheus.log";
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = ::posix_spawn(&s->pid_, binary.c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      s->pid_ = 0;
      if (error != nullptr) {
        *error = std::string("posix_spawn prometheus: ") + std::strerror(rc);
      }
      return nullptr;
    }
    return s;
  }

  ~prometheus_server() { stop(); }
  prometheus_server(const prometheus_server&) = delete;
  prometheus_server& operator=(const prometheus_server&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] const std::string& dir() const noexcept { return dir_; }
  [[nodiscard]] bool running() {
    if (pid_ <= 0) {
      return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return false;
    }
    return true;
  }

  /// The server's own log (for failure messages).
  [[nodiscard]] std::string log() const {
    std::ifstream in(dir_ + "/prometheus.log");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  /// Polls /-/ready until 200 or the deadline (false also when the process died).
  bool wait_ready(std::chrono::steady_clock::time_point deadline) {
    while (std::chrono::steady_clock::now() < deadline) {
      if (!running()) {
        return false;
      }
      const auto r = http_get(port_, "/-/ready", std::chrono::milliseconds(1000));
      if (r && r->status == 200) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  /// Polls `up{job="<job>"}` until there are `targets` samples all equal to 1 (every target
  /// scraped successfully at least once), or the deadline.
  bool wait_for_scrape(std::chrono::steady_clock::time_point deadline, std::size_t targets = 1,
                       const std::string& job = "peak") {
    while (std::chrono::steady_clock::now() < deadline) {
      const auto r = query("up{job=\"" + job + "\"}");
      if (r && r->size() >= targets) {
        bool all_up = true;
        for (const auto& s : *r) {
          all_up = all_up && s.value == 1.0;
        }
        if (all_up) {
          return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  /// Instant query through /api/v1/query; nullopt on an HTTP or API error or a non-vector
  /// result.
  std::optional<std::vector<query_sample>> query(const std::string& promql,
                                                 std::string* error = nullptr) {
    const auto r = http_get(port_, "/api/v1/query?query=" + url_encode(promql));
    if (!r || r->status != 200) {
      if (error != nullptr) {
        *error = r ? "HTTP " + std::to_string(r->status) + ": " + r->body : "no response";
      }
      return std::nullopt;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r->body).get(doc) != simdjson::SUCCESS) {
      if (error != nullptr) {
        *error = "bad JSON: " + r->body;
      }
      return std::nullopt;
    }
    std::string_view status;
    std::string_view type;
    simdjson::dom::array result;
    if (doc["status"].get(status) != simdjson::SUCCESS || status != "success" ||
        doc["data"]["resultType"].get(type) != simdjson::SUCCESS || type != "vector" ||
        doc["data"]["result"].get(result) != simdjson::SUCCESS) {
      if (error != nullptr) {
        *error = "unexpected answer: " + r->body;
      }
      return std::nullopt;
    }
    std::vector<query_sample> samples;
    for (simdjson::dom::element item : result) {
      query_sample s;
      simdjson::dom::object metric;
      if (item["metric"].get(metric) == simdjson::SUCCESS) {
        for (auto field : metric) {
          std::string_view v;
          if (field.value.get(v) == simdjson::SUCCESS) {
            s.labels.emplace(std::string(field.key), std::string(v));
          }
        }
      }
      std::string_view text;
      if (item["value"].at(1).get(text) == simdjson::SUCCESS) {
        s.value = std::strtod(std::string(text).c_str(), nullptr);
      }
      samples.push_back(std::move(s));
    }
    return samples;
  }

  /// Value of a query expected to return exactly one sample; nullopt otherwise.
  std::optional<double> query_scalar(const std::string& promql) {
    const auto r = query(promql);
    if (!r || r->size() != 1) {
      return std::nullopt;
    }
    return r->front().value;
  }

  /// Stops the server and removes its directory; idempotent.
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      pid_ = 0;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
  }

private:
  prometheus_server() = default;
  pid_t pid_ = 0;
  std::uint16_t port_ = 0;
  std::string dir_;
};

}  // namespace peak::test
