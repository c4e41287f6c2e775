#include "session/session_launcher.hpp"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/session_source.hpp"
#include "evidence/redaction.hpp"
#include "evidence/sha256.hpp"
#include "session/control_endpoint.hpp"
#include "session/exit_codes.hpp"
#include "session/live_refusal.hpp"

namespace peak::session {
namespace {

std::string make_session_id(const std::string& mode) {
  const std::string now = utc_now();  // 2026-11-23T21:02:19.123456789Z
  std::string compact;
  for (char ch : now.substr(0, 19))
    if (ch != '-' && ch != ':')
      compact += ch;
  return mode + "-" + compact + "-" + std::to_string(::getpid());
}

/// The command line of the session process.
std::vector<std::string> serve_arguments(const start_request& r, const session_entry& e) {
  const run_overrides& o = r.overrides;
  std::vector<std::string> args = {"peak",  "session", "serve",      "--id",    e.id,
                                   "--mode", e.mode,   "--out",      o.out,     "--registry",
                                   r.registry};
  if (!o.config_path.empty())
    args.insert(args.end(), {"--config", o.config_path});
  for (const auto& d : o.data)
    args.insert(args.end(), {"--data", d});
  if (!o.speed.empty())
    args.insert(args.end(), {"--speed", o.speed});
  if (o.spin)
    args.emplace_back("--spin");
  args.insert(args.end(), {"--log-level", r.log_level});
  return args;
}

/// Forks a detached grandchild (new session, stdio to <run_dir>/stdout.log) that execs
/// `args`; false (errno set) when the fork fails.
bool spawn_detached(std::vector<std::string> args, const std::string& run_dir) {
  const std::string exe = self_executable();
  const pid_t child = ::fork();
  if (child < 0)
    return false;
  if (child == 0) {
    ::setsid();
    if (::fork() != 0)
      ::_exit(0);  // the grandchild is re-parented to init: nothing to reap for the caller
    const std::string out_file = run_dir + "/stdout.log";
    FILE* f = std::freopen(out_file.c_str(), "a", stdout);
    FILE* g = std::freopen(out_file.c_str(), "a", stderr);
    (void)f;
    (void)g;
    std::vector<char*> argv;
    for (auto& s : args)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return true;
}

/// Waits (bounded, 5 s) until the session process has left `starting`.
std::optional<session_entry> wait_until_started(session_registry& reg, const std::string& id) {
  std::optional<session_entry> now;
  for (int i = 0; i < 100; ++i) {
    now = reg.find(id);
    if (now && now->state != session_state::starting)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return now;
}

/// Checks what the session process will load, so bad input fails here, before detaching.
/// Returns the redacted snapshot's hash (the evidence pack's config hash).
std::string check_inputs(const run_overrides& o) {
  const run_request req = build_run_request(o, "");
  (void)engine::open_source(req.config, req.base_dir);  // missing data fails here
  return evidence::sha256::hash_hex(evidence::redact_secrets(config::to_toml(req.config)).text);
}

}  // namespace

start_result start_session(const start_request& r, std::ostream& err) {
  start_result result;
  result.exit_code = exit_bad_input;
  // NO-LIVE: a live config is refused as `peak run` refuses it, never run as paper.
  if (refuse_live_config(r.overrides.config_path, "peak session start", err))
    return result;
  session_entry e;
  try {
    e.config_hash = check_inputs(r.overrides);
  } catch (const config::config_error& ex) {
    for (const auto& p : ex.problems())
      err << p << "\n";
    err << "peak session start: config refused\n";
    return result;
  } catch (const engine::source_error& ex) {
    err << "peak session start: " << ex.what() << "\n";
    return result;
  }
  const std::string mode = config::to_string(r.overrides.mode.value_or(config::session_mode::paper));
  e.id = make_session_id(mode);
  e.mode = mode;
  e.config_path = r.overrides.config_path.empty() ? "(built-in defaults)" : r.overrides.config_path;
  e.state = session_state::starting;
  e.started_at = utc_now();
  e.run_dir = (std::filesystem::path(r.overrides.out) / "sessions" / e.id).string();
  std::error_code ec;
  std::filesystem::create_directories(e.run_dir, ec);
  if (ec) {
    err << "peak session start: cannot create " << e.run_dir << ": " << ec.message() << "\n";
    return result;
  }
  std::optional<session_registry> reg;
  try {
    reg.emplace(r.registry);
    reg->insert(e);
  } catch (const std::runtime_error& ex) {
    err << "peak session start: registry " << r.registry << ": " << ex.what() << "\n";
    return result;
  }
  if (!spawn_detached(serve_arguments(r, e), e.run_dir)) {
    reg->set_state(e.id, session_state::failed, std::string("fork: ") + std::strerror(errno));
    err << "peak session start: cannot fork: " << std::strerror(errno) << "\n";
    result.exit_code = exit_internal;
    return result;
  }
  const std::optional<session_entry> now = wait_until_started(*reg, e.id);
  if (!now || now->state == session_state::starting || now->state == session_state::failed) {
    err << "peak session start: session " << e.id << " did not start"
        << (now && !now->detail.empty() ? ": " + now->detail : "") << " (see " << e.run_dir
        << "/stdout.log)\n";
    result.exit_code = exit_internal;
    return result;
  }
  result.entry = *now;
  result.exit_code = exit_ok;
  return result;
}

}  // namespace peak::session
