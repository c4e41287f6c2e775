#include "session/control_state.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "messages/names.hpp"
#include "session/control_endpoint.hpp"

namespace peak::session {

bool control_state::wait_for_graph(std::unique_lock<std::mutex>& lock) {
  graph_changed.wait_for(lock, std::chrono::seconds(10),
                         [this] { return graph != nullptr || ended; });
  return graph != nullptr;
}

void control_state::write_halts_locked() {
  if (graph == nullptr)
    return;
  const auto halts = graph->halts();
  std::ofstream out(run_dir / "halts.jsonl", std::ios::app);
  for (; halts_written < halts.size(); ++halts_written) {
    const auto& h = halts[halts_written];
    out << "{\"halt_id\":" << h.halt_id << ",\"reason\":\"" << name_of(h.reason)
        << "\",\"trigger_ns\":" << h.trigger_wall_ns
        << ",\"gate_closed_ns\":" << h.gate_closed_wall_ns
        << ",\"all_acknowledged_ns\":" << h.all_acknowledged_wall_ns
        << ",\"orders_cancelled\":" << h.orders_cancelled
        << ",\"orders_after_trigger\":" << h.orders_after_trigger << "}\n";
  }
}

/// Pulls the kill switch and waits (bounded) for every stage's acknowledgement.
std::string do_kill(control_state& st, std::int64_t requested_ns, const std::string& detail) {
  std::unique_lock<std::mutex> lock(st.mutex);
  if (!st.wait_for_graph(lock))
    return "error session is not running";
  const std::uint64_t id = st.graph->kill(halt_reason::operator_command, detail, requested_ns);
  if (id == 0)
    return "ok already_halted";
  const std::size_t want = st.graph->halts().size() + 1;
  const bool acked = st.graph->wait_halts(want, 2'000'000'000);
  st.write_halts_locked();
  const auto halts = st.graph->halts();
  std::ostringstream o;
  o << "ok halt_id=" << id;
  if (acked && !halts.empty()) {
    const auto& h = halts.back();
    o << " trigger_ns=" << h.trigger_wall_ns << " gate_closed_ns=" << h.gate_closed_wall_ns
      << " all_acknowledged_ns=" << h.all_acknowledged_wall_ns
      << " orders_after_trigger=" << h.orders_after_trigger;
  }
  return o.str();
}

std::string handle_command(control_state& st, const std::string& line, session_registry& reg,
                           const std::string& id) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  if (verb == "ping")
    return "ok pong";
  if (verb == "kill") {
    std::int64_t requested = 0;
    in >> requested;
    std::string detail;
    std::getline(in, detail);
    if (!detail.empty() && detail.front() == ' ')
      detail.erase(0, 1);
    const std::string reply = do_kill(st, requested, detail.empty() ? "operator" : detail);
    if (reply.rfind("ok halt_id", 0) == 0) {
      reg.set_state(id, session_state::halted, "operator kill: " + detail);
      st.logline(spdlog::level::warn, "kill_switch_pulled", {{"via", "control"}, {"reply", reply}});
    }
    return reply;
  }
  if (verb == "stop") {
    std::unique_lock<std::mutex> lock(st.mutex);
    if (!st.wait_for_graph(lock))
      return "error session is not running";
    st.stop_requested = true;
    reg.set_state(id, session_state::stopping);  // before stop(): the end may follow at once
    st.graph->stop();
    st.logline(spdlog::level::info, "session_stopping", {{"via", "control"}});
    return "ok stopping";
  }
  if (verb == "rearm") {
    std::string op, note;
    in >> op;
    std::getline(in, note);
    std::unique_lock<std::mutex> lock(st.mutex);
    if (!st.wait_for_graph(lock))
      return "error session is not running";
    if (op.empty())
      return "error rearm needs an operator id";
    st.graph->rearm(op, note);
    st.logline(spdlog::level::warn, "kill_switch_rearmed", {{"operator", op}, {"note", note}});
    st.rearmed_halts = st.graph->halts().size();
    reg.set_state(id, session_state::running, "re-armed by " + op);
    return "ok rearmed";
  }
  return "error unknown command '" + verb + "' (known: ping, kill, stop, rearm)";
}

void control_loop(int listen_fd, control_state& st, const std::filesystem::path& registry_path,
                  std::string id, std::atomic<bool>& done) {
  session_registry reg(registry_path);
  while (!done.load()) {
    std::string line;
    const int fd = accept_command(listen_fd, 200, line);
    if (fd >= 0)
      send_reply(fd, handle_command(st, line, reg, id));
  }
}

void signal_loop(control_state& st, const std::filesystem::path& registry_path, std::string id,
                 std::atomic<bool>& done) {
  session_registry reg(registry_path);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  while (!done.load()) {
    timespec timeout{0, 200'000'000};
    const int sig = ::sigtimedwait(&set, nullptr, &timeout);
    if (sig == SIGUSR1) {
      const std::string reply = do_kill(st, 0, "operator signal SIGUSR1");
      if (reply.rfind("ok halt_id", 0) == 0)
        reg.set_state(id, session_state::halted, "operator kill: SIGUSR1");
      st.logline(spdlog::level::warn, "kill_switch_pulled", {{"via", "signal"}, {"reply", reply}});
    } else if (sig == SIGTERM || sig == SIGINT) {
      std::lock_guard<std::mutex> lock(st.mutex);
      if (st.graph != nullptr) {
        st.stop_requested = true;
        reg.set_state(id, session_state::stopping);
        st.graph->stop();
      }
    }
  }
}

void block_control_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace peak::session
