#include "engine/session_source.hpp"

#include <filesystem>

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
  throw source_error("replay of recorded files is not available in this build");
}

}  // namespace peak::engine
