#include "session/live_refusal.hpp"

#include <exception>
#include <ostream>
#include <string>
#include <vector>

#include "evidence/live_lock.hpp"

namespace peak::session {

bool refuse_live_mode(const config::session_config& cfg, std::string_view command,
                      std::ostream& err) {
  if (cfg.session.mode != config::session_mode::live)
    return false;
  std::vector<std::string> symbols;
  for (const auto& ins : cfg.instruments)
    symbols.push_back(ins.symbol);
  const evidence::live_lock_decision lock = evidence::check_live_lock(evidence::make_live_request(
      "live", symbols, cfg.live.account, cfg.live.venue, cfg.live.enable, cfg.live.allowlist));
  err << command << ": live mode refused:\n";
  for (const std::string& why : lock.failures)
    err << "  - " << why << "\n";
  // Even when every lock condition holds, this build ships no live broker adapter: only
  // shadow and paper sessions run (NO-LIVE by default).
  if (lock.allowed)
    err << "  - the lock conditions hold, but this build has no live broker adapter\n";
  return true;
}

bool refuse_live_config(const std::string& config_path, std::string_view command,
                        std::ostream& err) {
  if (config_path.empty())
    return false;
  config::session_config cfg;
  try {
    cfg = config::load_config(config_path);
  } catch (const std::exception&) {
    return false;
  }
  return refuse_live_mode(cfg, command, err);
}

}  // namespace peak::session
