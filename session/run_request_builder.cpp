#include "session/run_request_builder.hpp"

#include "marketdata/replay.hpp"

namespace peak::session {
namespace {

config::session_config load(const std::string& path) {
  return path.empty() ? config::default_config() : config::load_config(path);
}

/// Applies the overrides to `cfg`; problems found on the command line go to `problems`.
void apply_overrides(const run_overrides& o, config::session_config& cfg,
                     std::vector<std::string>& problems) {
  if (o.mode)
    cfg.session.mode = *o.mode;
  if (o.seed)
    cfg.session.seed = *o.seed;
  if (o.synthetic_events > 0) {
    cfg.market_data.source = "synthetic";
    cfg.market_data.synthetic.events = o.synthetic_events;
  }
  if (!o.data.empty()) {
    cfg.market_data.source = "replay";
    cfg.market_data.files = o.data;
  }
  if (!o.speed.empty()) {
    double speed = 0;
    if (marketdata::parse_speed(o.speed, speed))
      cfg.market_data.speed = o.speed;
    else
      problems.push_back(std::string("command line: --speed: expected ") + speed_forms +
                         ", found \"" + o.speed + "\"");
  }
  if (!o.operator_id.empty())
    cfg.session.operator_id = o.operator_id;
  if (!o.reason.empty())
    cfg.session.run_reason = o.reason;
}

}  // namespace

run_request build_run_request(const run_overrides& o, const std::string& command_line) {
  run_request req;
  req.config = load(o.config_path);  // throws config_error with the file's problems
  std::vector<std::string> problems;
  apply_overrides(o, req.config, problems);
  if (!problems.empty())
    throw config::config_error(std::move(problems));
  req.config_path = o.config_path;
  // Data files named in a config resolve next to it; command-line ones in the working directory.
  req.base_dir = ".";
  if (!o.config_path.empty() && o.data.empty())
    req.base_dir = std::filesystem::path(o.config_path).parent_path().string();
  if (req.base_dir.empty())
    req.base_dir = ".";
  req.out_root = o.out;
  req.engine = o.engine;
  req.command_line = command_line;
  req.graph.scheduler_threads = o.threads;
  req.graph.idle = o.spin ? actors::worker_idle::spin : actors::worker_idle::sleep;
  double speed = 0;
  (void)marketdata::parse_speed(req.config.market_data.speed, speed);  // validated by the load
  req.graph.speed = speed;
  return req;
}

}  // namespace peak::session
