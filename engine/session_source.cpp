#include "engine/session_source.hpp"

#include <filesystem>

#include "marketdata/replay.hpp"
#include "marketdata/synthetic_feed.hpp"

namespace peak::engine {

std::unique_ptr<marketdata::event_source> open_source(const config::session_config& config,
                                                      const std::string& base_dir) {
  if (config.market_data.source == "synthetic")
    return std::make_unique<marketdata::synthetic_feed>(config.market_data.synthetic,
                                                        config.session.seed);
  std::vector<std::string> files;
  for (const std::string& f : config.market_data.files) {
    const std::filesystem::path p(f);
    files.push_back(p.is_absolute() ? f : (std::filesystem::path(base_dir) / p).string());
  }
  for (const std::string& f : files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f, ec))
      throw source_error(f + ": market data file not found or not a regular file");
  }
  try {
    // Pacing is done by whoever consumes the source (the market-data actor); the source
    // itself replays as fast as it is asked.
    return marketdata::open_replay(files, config.instruments, marketdata::replay_options{});
  } catch (const marketdata::replay_error& e) {
    throw source_error(e.what());
  }
}

input_counters input_counters_of(const marketdata::event_source& source) {
  input_counters in;
  const auto* replay = dynamic_cast<const marketdata::replay_source*>(&source);
  if (replay == nullptr)
    return in;
  const marketdata::replay_stats s = replay->stats();
  const marketdata::reader_counters& t = s.totals;
  in.replayed = true;
  in.files = s.files;
  in.lines = t.lines;
  for (const std::uint64_t m : t.messages)
    in.data_lines += m;
  in.non_data = t.non_data;
  in.blank = t.empty;
  in.malformed = t.malformed;
  in.unknown_symbol = t.unknown_symbol;
  in.events = s.events_emitted;
  for (const marketdata::malformed_line& m : s.first_malformed)
    in.first_malformed.push_back(input_line_problem{m.file, m.line, m.reason});
  in.unknown_symbols = s.unknown_symbols;
  return in;
}

}  // namespace peak::engine
